"""The database file: private and in WAL mode, migrations with a backup, a newer schema refused,
a damaged file kept aside, and a file deleted while running written back."""

from __future__ import annotations

import sqlite3
import stat
from contextlib import closing
from pathlib import Path

import pytest

from desktop.api.models import TaskDraft
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
from desktop.store.outbox import Outbox
from desktop.store.outbox_row import REFERENCE_PREFIX


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


def test_v4_keeps_cached_tasks_and_adds_references_lists_and_task_changes(data_dir: Path) -> None:
    with closing(open_database(data_dir, target_version=3)) as db:
        db.execute(
            "INSERT INTO tasks (id, workspace_id, project_id, name, active) "
            "VALUES (7, 1, 2, 'cached before the update', 1)"
        )
    with closing(open_database(data_dir)) as db:
        assert schema_version(db) >= 4
        (task,) = Cache(db).tasks(2)
        assert (task.name, task.external_reference) == ("cached before the update", None)
        state = Cache(db).task_list_state(2)
        assert (state.as_of, state.full_at) == (None, None)
        assert db.execute("SELECT count(*) FROM task_changes").fetchone() == (0,)
