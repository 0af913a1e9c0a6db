"""The local store on real SQLite files: outbox durability, cache, migrations."""

from __future__ import annotations

import sqlite3
import stat
from contextlib import closing
from dataclasses import replace
from pathlib import Path

import pytest

from desktop.api.models import Project, Task, TaskDraft, User, Workspace
from desktop.store.cache import Cache
from desktop.store.database import (
    DATABASE_FILE,
    SCHEMA_VERSION,
    DatabaseError,
    open_database,
    open_or_set_aside,
    restore_if_deleted,
    schema_version,
)
from desktop.store.lock import InstanceLock
from desktop.store.outbox import Outbox, RowBusyError
from desktop.store.outbox_row import REFERENCE_PREFIX, OutboxState


def test_outbox_round_trip_survives_reopening(data_dir: Path) -> None:
    with closing(open_database(data_dir)) as db:
        outbox = Outbox(db)
        draft = TaskDraft("Ünïcode 😀 task", active=False, estimated_seconds=5400, user_id=2**40)
        row = outbox.add(1001, 2**33, draft, "Website · Acme")
    with closing(open_database(data_dir)) as db:
        (again,) = Outbox(db).waiting()
    assert again == row
    assert replace(again.draft, external_reference=None) == draft
    assert again.state is OutboxState.QUEUED
    assert again.project_id == 2**33


def test_a_delivery_and_its_cached_task_commit_together(data_dir: Path) -> None:
    task = Task(id=77, workspace_id=1001, project_id=2001, name="Delivered")
    with closing(open_database(data_dir)) as db:
        outbox, cache = Outbox(db), Cache(db)
        row = outbox.add(1001, 2001, TaskDraft("Delivered"), "Website")

        def deliver_then_fail() -> None:
            with outbox.transaction():
                outbox.mark_done(row.id, task.id)
                cache.add_task(task)
                raise RuntimeError("the process dies before the commit")

        with pytest.raises(RuntimeError):
            deliver_then_fail()
        assert outbox.get(row.id).state is OutboxState.QUEUED
        assert cache.tasks(2001) == []
        with outbox.transaction():
            outbox.mark_done(row.id, task.id)
            cache.add_task(task)
    with closing(open_database(data_dir)) as db:
        assert Outbox(db).get(row.id).remote_task_id == 77
        assert [t.id for t in Cache(db).tasks(2001)] == [77]


def test_states_and_order(data_dir: Path) -> None:
    with closing(open_database(data_dir)) as db:
        outbox = Outbox(db)
        first = outbox.add(1, 2, TaskDraft("first"), "")
        second = outbox.add(1, 2, TaskDraft("second"), "")
        assert outbox.next_pending() == first
        outbox.mark_sending(first.id)
        assert outbox.next_pending() == second  # a row being sent is not picked again
        assert outbox.get(first.id).attempts == 1
        outbox.mark_done(first.id, 77)
        outbox.mark_failed(second.id, "Invalid project_id")
        assert outbox.next_pending() is None
        assert [r.state for r in outbox.waiting()] == [OutboxState.FAILED]
        assert outbox.pending_count() == 0
        assert outbox.claimed_task_ids(2) == {77}


def test_interrupted_send_becomes_unconfirmed(data_dir: Path) -> None:
    with closing(open_database(data_dir)) as db:
        outbox = Outbox(db)
        row = outbox.add(1, 2, TaskDraft("in flight"), "")
        outbox.mark_sending(row.id)
    with closing(open_database(data_dir)) as db:
        outbox = Outbox(db)
        assert outbox.recover_interrupted() == 1
        assert outbox.get(row.id).state is OutboxState.UNCONFIRMED
        assert outbox.next_pending() is not None


def test_failed_rows_can_be_edited_and_sending_ones_never_discarded(data_dir: Path) -> None:
    with closing(open_database(data_dir)) as db:
        outbox = Outbox(db)
        row = outbox.add(1, 2, TaskDraft("typo"), "P")
        outbox.mark_sending(row.id)
        assert not outbox.discard(row.id)  # its request is on its way
        with pytest.raises(RowBusyError):
            outbox.requeue_edited(row.id, 1, 3, TaskDraft("fixed"), "Q")
        outbox.mark_queued(row.id)
        waiting = outbox.requeue_edited(row.id, 1, 2, TaskDraft("typo fixed"), "P")
        assert (waiting.state, waiting.draft.name) == (OutboxState.QUEUED, "typo fixed")
        with pytest.raises(KeyError):
            outbox.requeue_edited(999, 1, 3, TaskDraft("fixed"), "Q")
        outbox.mark_failed(row.id, "Invalid project_id")
        edited = outbox.requeue_edited(row.id, 1, 3, TaskDraft("fixed"), "Q")
        assert (edited.state, edited.project_id, edited.draft.name) == (
            OutboxState.QUEUED,
            3,
            "fixed",
        )
        outbox.mark_failed(row.id, "again")
        assert outbox.discard(row.id)
        assert outbox.waiting() == []


def test_cache_round_trip_and_clear(data_dir: Path) -> None:
    with closing(open_database(data_dir)) as db:
        cache = Cache(db)
        cache.save_workspaces([Workspace(1, "A", premium=True), Workspace(2, "B", premium=None)])
        cache.save_projects(1, [Project(10, "Web", 1, True, "Acme")])
        cache.save_users(1, [User(2**40, "Sam", "sam@example.com")])
        task = Task(5, "T", at="2026-01-01T00:00:00Z", tracked_ms=1000, project_id=10)
        cache.save_tasks(10, [task])
        cache.remember(1, 10)
        assert cache.workspaces()[1].premium is None
        assert cache.projects(1)[0].client_name == "Acme"
        assert cache.users(1)[0].id == 2**40
        assert cache.tasks(10)[0].tracked_ms == 1000
        assert cache.last_project_id(1) == 10
        assert cache.fetched_at("projects:1") is not None
        outbox = Outbox(db)
        outbox.add(1, 10, TaskDraft("kept"), "")
        cache.clear()
        assert cache.workspaces() == []
        assert cache.fetched_at("projects:1") is None
        assert len(outbox.waiting()) == 1  # sign-out never drops queued tasks


def test_files_are_user_only_and_wal(data_dir: Path) -> None:
    with closing(open_database(data_dir)) as db:
        Outbox(db).add(1, 2, TaskDraft("x"), "")
        mode = db.execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"
    assert stat.S_IMODE((data_dir / DATABASE_FILE).stat().st_mode) == 0o600


def test_previous_schema_migrates_keeping_its_outbox_and_a_backup(data_dir: Path) -> None:
    previous = SCHEMA_VERSION - 1
    with closing(open_database(data_dir, target_version=previous)) as db:
        assert schema_version(db) == previous
        db.execute(
            "INSERT INTO outbox (workspace_id, project_id, name, active, project_label, state, "
            "queued_at) VALUES (1, 2, 'queued before the update', 1, 'P', 'queued', 1.0)"
        )
    with closing(open_database(data_dir)) as db:
        assert schema_version(db) == SCHEMA_VERSION
        (row,) = Outbox(db).waiting()
    assert row.draft.name == "queued before the update"
    assert row.attempts == 0
    backup = data_dir / f"taskdesk.v{previous}.bak.sqlite3"
    with closing(sqlite3.connect(backup)) as copy:
        assert copy.execute("PRAGMA user_version").fetchone()[0] == previous
        assert copy.execute("SELECT name FROM outbox").fetchall() == [("queued before the update",)]


def test_v3_gives_waiting_rows_a_reference_and_marks_unsettled_sends(data_dir: Path) -> None:
    """Rows sent without a reference before the update cannot be settled by one: they stay
    without, marked as possibly sent; rows still to be sent get their own."""
    with closing(open_database(data_dir, target_version=2)) as db:
        for name, state in (("waits", "queued"), ("lost", "unconfirmed"), ("refused", "failed")):
            db.execute(
                "INSERT INTO outbox (workspace_id, project_id, name, active, project_label, "
                "state, queued_at) VALUES (1, 2, ?, 1, 'P', ?, 1.0)",
                (name, state),
            )
    with closing(open_database(data_dir)) as db:
        rows = {row.draft.name: row for row in Outbox(db).waiting()}
    assert rows["lost"].external_reference is None
    assert rows["lost"].maybe_sent
    for name in ("waits", "refused"):
        assert (rows[name].external_reference or "").startswith(REFERENCE_PREFIX)
        assert not rows[name].maybe_sent
    assert rows["waits"].external_reference != rows["refused"].external_reference


def test_a_newer_schema_is_refused_not_overwritten(data_dir: Path) -> None:
    with closing(open_database(data_dir)) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(DatabaseError, match="newer Task Desk"):
        open_database(data_dir)


def test_one_instance_per_data_dir(data_dir: Path) -> None:
    first, second = InstanceLock(data_dir), InstanceLock(data_dir)
    assert first.acquire()
    assert not second.acquire()
    first.release()
    assert second.acquire()
    second.release()


def test_a_damaged_file_is_kept_aside_and_reported(data_dir: Path) -> None:
    damaged = b"this is not a database, but it was once the user's outbox" * 100
    (data_dir / DATABASE_FILE).write_bytes(damaged)
    db, notice = open_or_set_aside(data_dir)
    with closing(db):
        assert Outbox(db).waiting() == []  # a fresh store to keep working with
    assert notice is not None
    assert "damaged" in notice
    (aside,) = data_dir.glob("taskdesk.damaged-*.sqlite3")
    assert aside.read_bytes() == damaged  # kept byte for byte, never overwritten
    assert aside.name in notice


def test_a_database_deleted_while_running_is_written_back(data_dir: Path) -> None:
    db = open_database(data_dir)
    outbox = Outbox(db)
    outbox.add(1, 2, TaskDraft("queued before the delete"), "")
    (data_dir / DATABASE_FILE).unlink()
    db = restore_if_deleted(db, data_dir)
    outbox.use(db)
    outbox.add(1, 2, TaskDraft("queued after the delete"), "")
    db.close()
    with closing(open_database(data_dir)) as again:
        names = [row.draft.name for row in Outbox(again).waiting()]
    assert names == ["queued before the delete", "queued after the delete"]
