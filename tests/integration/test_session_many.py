"""Many tasks queued through the session at once: one transaction, so all of them or none, each
its own outbox row (its own reference), sent exactly once by the usual drain."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop import credentials
from desktop.api.models import TaskDraft
from desktop.cli.running import drain
from desktop.session import Session, StorageError
from desktop.session_many import NewTask, submit_many
from desktop.store.outbox import Outbox
from desktop.sync.engine import SyncEngine
from tests.fake_toggl import FakeToggl


@pytest.fixture
def session(fake: FakeToggl, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Session]:
    monkeypatch.setenv(credentials.ENV_TOKEN, fake.token)
    monkeypatch.setitem(SyncEngine.__init__.__kwdefaults__, "send_interval", 0.0)
    opened = Session(fake.url, data_dir)
    assert opened.restore().signed_in
    try:
        yield opened
    finally:
        opened.close()


def new_tasks(fake: FakeToggl, count: int) -> list[NewTask]:
    project = fake.project_id("Website Redesign")
    return [
        NewTask(fake.premium_workspace_id, project, TaskDraft(f"Bulk {n}", True, 60 * n), "Web")
        for n in range(count)
    ]


def test_every_task_is_its_own_row_in_order(session: Session, fake: FakeToggl) -> None:
    rows = submit_many(session, new_tasks(fake, 5))
    assert [row.draft.name for row in session.waiting_rows()] == [f"Bulk {n}" for n in range(5)]
    assert [row.id for row in rows] == [row.id for row in session.waiting_rows()]
    assert len({row.external_reference for row in rows}) == 5
    assert drain(session, until_settled=None).created.keys() == {row.id for row in rows}
    assert [len(fake.tasks_named(f"Bulk {n}")) for n in range(5)] == [1] * 5


def test_a_store_failing_midway_queues_none(
    session: Session, fake: FakeToggl, monkeypatch: pytest.MonkeyPatch
) -> None:
    add = Outbox.add
    calls = 0

    def full_on_the_third(self: Outbox, *args: object, **kwargs: object) -> object:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise sqlite3.OperationalError("database or disk is full")
        return add(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Outbox, "add", full_on_the_third)
    with pytest.raises(StorageError, match="the disk is full"):
        submit_many(session, new_tasks(fake, 5))
    assert session.waiting_rows() == []
    monkeypatch.setattr(Outbox, "add", add)
    assert len(submit_many(session, new_tasks(fake, 2))) == 2  # the store is usable after


def test_five_hundred_tasks_are_queued_within_a_second(session: Session, fake: FakeToggl) -> None:
    """Issue #14's bench row: queueing 500 lines ≤ 1 s (one durable write, not 500)."""
    tasks = new_tasks(fake, 500)
    start = time.perf_counter()
    submit_many(session, tasks)
    assert time.perf_counter() - start < 1.0
    assert session.outbox.pending_count() == 500
