"""The session worker and its engine driver on their own thread, without a window: typed
payloads for each outcome, pacing answered by the session, storage trouble in words.

The worker's signals are emitted on its thread: each test collects them in a list and waits
with waitUntil (qtbot.waitSignal would stop its own timer from the worker's thread)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop import credentials
from desktop.api.models import TaskDraft
from desktop.store.outbox import Outbox
from desktop.store.outbox_row import OutboxRow, OutboxState
from desktop.ui.bridge import SessionBridge
from desktop.ui.payloads import Submission, TaskCreated, TaskDeferred
from tests.fake_toggl import FakeToggl


@pytest.fixture
def bridge(
    qtbot: QtBot, fake: FakeToggl, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[SessionBridge]:
    monkeypatch.setenv(credentials.ENV_TOKEN, fake.token)
    started = SessionBridge(fake.url, data_dir)
    restored: list[tuple[bool, str]] = []
    started.worker.sessionRestored.connect(lambda *args: restored.append(args))
    started.startRequested.emit()
    started.restoreRequested.emit()
    qtbot.waitUntil(lambda: bool(restored), timeout=10_000)
    assert restored == [(True, "")]
    yield started
    started.stop()


def task(fake: FakeToggl, name: str) -> Submission:
    project = fake.project_id("Website Redesign")
    return Submission(fake.premium_workspace_id, project, TaskDraft(name), "Website Redesign")


def test_a_submitted_task_is_queued_then_created_with_typed_payloads(
    qtbot: QtBot, bridge: SessionBridge, fake: FakeToggl
) -> None:
    queued: list[object] = []
    created: list[object] = []
    bridge.worker.taskQueued.connect(queued.append)
    bridge.worker.taskCreated.connect(created.append)
    bridge.taskSubmitted.emit(task(fake, "Typed"))
    qtbot.waitUntil(lambda: bool(created), timeout=10_000)
    row = queued[0]
    assert isinstance(row, OutboxRow)
    outcome = created[0]
    assert isinstance(outcome, TaskCreated)
    assert (outcome.row.id, outcome.task.name) == (row.id, "Typed")
    assert len(fake.tasks_named("Typed")) == 1


def test_the_window_hears_of_a_created_task_before_its_delivery_is_recorded(
    qtbot: QtBot, bridge: SessionBridge, fake: FakeToggl, data_dir: Path
) -> None:
    """The user waits for Toggl's answer, not for the commit after it: the row is still
    `sending` on disk when the window is told (a crash then leaves it to reconciliation),
    `done` right after, and the window is told once."""
    seen: list[tuple[str, str]] = []  # (task name, the row's state on disk when told)
    rows: list[object] = []

    def told(created: TaskCreated) -> None:  # on the worker's thread, as it emits
        with closing(sqlite3.connect(data_dir / "taskdesk.sqlite3")) as db:
            (state,) = db.execute(
                "SELECT state FROM outbox WHERE id = ?", (created.row.id,)
            ).fetchone()
        seen.append((created.task.name, state))

    bridge.worker.taskCreated.connect(told, Qt.ConnectionType.DirectConnection)
    bridge.worker.outboxRowChanged.connect(rows.append)
    bridge.taskSubmitted.emit(task(fake, "Told early"))
    qtbot.waitUntil(lambda: any(getattr(r, "state", None) is OutboxState.DONE for r in rows))
    assert seen == [("Told early", "sending")]
    with closing(sqlite3.connect(data_dir / "taskdesk.sqlite3")) as db:
        assert db.execute("SELECT state FROM outbox").fetchall() == [("done",)]


def test_a_task_right_behind_another_waits_for_the_pace_not_called_deferred(
    qtbot: QtBot, bridge: SessionBridge, fake: FakeToggl
) -> None:
    worker, deferred, created = bridge.worker, [], []  # type: ignore[var-annotated]
    worker.taskDeferred.connect(deferred.append)
    worker.taskCreated.connect(created.append)
    bridge.taskSubmitted.emit(task(fake, "First"))
    bridge.taskSubmitted.emit(task(fake, "Second"))
    qtbot.waitUntil(lambda: len(created) == 2, timeout=10_000)
    assert deferred == []


def test_while_toggl_is_down_a_task_is_deferred_with_the_reason(
    qtbot: QtBot, bridge: SessionBridge, fake: FakeToggl
) -> None:
    deferred: list[object] = []
    bridge.worker.taskDeferred.connect(deferred.append)
    fake.go_down()
    bridge.taskSubmitted.emit(task(fake, "Offline"))
    qtbot.waitUntil(lambda: bool(deferred), timeout=20_000)
    outcome = deferred[0]
    assert isinstance(outcome, TaskDeferred)
    assert outcome.row.draft.name == "Offline"
    assert "offline" in outcome.failure.text


def test_a_full_disk_is_one_sentence_and_nothing_is_queued(
    qtbot: QtBot, bridge: SessionBridge, fake: FakeToggl, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*_: object, **__: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(Outbox, "add", full)
    failed: list[str] = []
    bridge.worker.submitFailed.connect(failed.append)
    bridge.taskSubmitted.emit(task(fake, "Never saved"))
    qtbot.waitUntil(lambda: bool(failed), timeout=10_000)
    assert failed == ["The task could not be saved on this computer: the disk is full."]
