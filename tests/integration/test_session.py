"""The session, the one door from the window to the store, the client and the engine: storage
failures leave it as one typed error in words, and it answers the worker's questions."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop import credentials
from desktop.api.models import TaskDraft
from desktop.session import ListsProgress, Session, StorageError
from desktop.store.outbox import Outbox
from desktop.store.outbox_row import OutboxState
from tests.fake_toggl import FakeToggl


@pytest.fixture
def session(fake: FakeToggl, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Session]:
    monkeypatch.setenv(credentials.ENV_TOKEN, fake.token)
    opened = Session(fake.url, data_dir)
    assert opened.restore().signed_in
    try:
        yield opened
    finally:
        opened.close()


def queue(session: Session, fake: FakeToggl, name: str) -> int:
    project = fake.project_id("Website Redesign")
    return session.submit(fake.premium_workspace_id, project, TaskDraft(name), "Website").id


def test_an_unusable_data_folder_is_one_storage_error_in_words(tmp_path: Path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("a file where the folder should be")
    with pytest.raises(StorageError) as raised:
        Session.open("http://127.0.0.1:9", blocker)
    sentence = raised.value.sentence
    assert sentence is not None
    assert sentence.endswith(".")


def test_a_full_disk_while_queueing_is_a_storage_error_saying_so(
    session: Session, fake: FakeToggl, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*_: object, **__: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(Outbox, "add", full)
    with pytest.raises(StorageError) as raised:
        queue(session, fake, "Never saved")
    assert str(raised.value) == "the disk is full"
    assert isinstance(raised.value.__cause__, sqlite3.OperationalError)


def test_the_worker_reads_rows_and_state_through_the_session(
    session: Session, fake: FakeToggl
) -> None:
    row_id = queue(session, fake, "Queued")
    assert [row.id for row in session.waiting_rows()] == [row_id]
    assert session.outbox_row(row_id).state is OutboxState.QUEUED
    view = session.sync_view()
    assert (view.pending, view.offline, view.sign_in_needed) == (1, False, False)
    assert session.signed_in
    assert session.snapshot().waiting[0].id == row_id


def test_a_step_sends_the_next_row_and_the_next_leaves_within_the_pace(
    session: Session, fake: FakeToggl
) -> None:
    first, second, third = (queue(session, fake, f"Task {n}") for n in range(3))
    result = session.step()
    assert [row.id for row, _ in result.created] == [first]
    assert fake.tasks_named("Task 0")
    assert session.leaves_soon(second)  # next in line, waiting only for the one-a-second pace
    assert not session.leaves_soon(third)  # a task ahead of it
    assert session.waiting_reason() == "It will be sent after the 1 task ahead of it."


def test_nothing_leaves_soon_while_offline(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(credentials.ENV_TOKEN, "token")
    with FakeToggl() as fake:
        url, project = fake.url, fake.project_id("Website Redesign")
    session = Session(url, data_dir)  # the server is gone: connections are refused
    try:
        session.restore()
        row = session.submit(1001, project, TaskDraft("Offline"), "Website")
        session.step()
        assert session.sync_view().offline
        assert not session.leaves_soon(row.id)
        assert "offline" in session.waiting_reason()
    finally:
        session.close()


def test_pages_of_projects_are_told_as_they_come_and_a_fresh_cache_tells_nothing(
    session: Session, fake: FakeToggl
) -> None:
    fake.add_projects(fake.premium_workspace_id, 450)  # 3 pages
    told: list[ListsProgress] = []
    lists = session.workspace_lists(fake.premium_workspace_id, force=True, progress=told.append)
    assert lists is not None
    assert told == [
        ListsProgress(fake.premium_workspace_id, 200),
        ListsProgress(fake.premium_workspace_id, 400),
    ]
    assert told[0].text() == "Loading projects: 200 loaded…"
    assert ListsProgress(1, 2000).text() == "Loading projects: 2,000 loaded…"
    told.clear()
    again = session.workspace_lists(fake.premium_workspace_id, force=False, progress=told.append)
    assert again is None  # fresh in the cache: nothing fetched, nothing told
    assert told == []
