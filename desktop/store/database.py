"""The one SQLite file under the data dir: WAL mode, a schema version, forward migrations.

Before a migration the file is copied aside (`taskdesk.v<N>.bak.sqlite3`), and each migration
runs in one transaction, so a crash mid-way leaves the old schema and its outbox intact.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from desktop.data_folder import (
    DataFolderError,
    check_private_file,
    fresh_private_file,
    open_private_file,
)

DATABASE_FILE = "taskdesk.sqlite3"

MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        "CREATE TABLE fetched (what TEXT PRIMARY KEY, at REAL NOT NULL)",
        """CREATE TABLE workspaces (
            id INTEGER PRIMARY KEY, name TEXT NOT NULL, premium INTEGER,
            role TEXT NOT NULL DEFAULT '', organization_id INTEGER)""",
        """CREATE TABLE projects (
            id INTEGER PRIMARY KEY, workspace_id INTEGER NOT NULL, name TEXT NOT NULL,
            active INTEGER NOT NULL, client_name TEXT, color TEXT NOT NULL DEFAULT '')""",
        "CREATE INDEX projects_by_workspace ON projects (workspace_id)",
        """CREATE TABLE users (
            workspace_id INTEGER NOT NULL, id INTEGER NOT NULL, fullname TEXT NOT NULL,
            email TEXT NOT NULL DEFAULT '', PRIMARY KEY (workspace_id, id))""",
        """CREATE TABLE tasks (
            id INTEGER PRIMARY KEY, workspace_id INTEGER, project_id INTEGER, name TEXT NOT NULL,
            active INTEGER NOT NULL, at TEXT NOT NULL DEFAULT '', estimated_seconds INTEGER,
            tracked_ms INTEGER, user_id INTEGER, user_name TEXT, project_name TEXT,
            client_name TEXT)""",
        "CREATE INDEX tasks_by_project ON tasks (project_id)",
        """CREATE TABLE outbox (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            workspace_id INTEGER NOT NULL, project_id INTEGER NOT NULL,
            name TEXT NOT NULL, active INTEGER NOT NULL, estimated_seconds INTEGER,
            user_id INTEGER, project_label TEXT NOT NULL DEFAULT '',
            state TEXT NOT NULL, reason TEXT, queued_at REAL NOT NULL,
            remote_task_id INTEGER)""",
    ),
    # 2: count attempts and remember when the last one left, for reconciling unconfirmed sends.
    2: (
        "ALTER TABLE outbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE outbox ADD COLUMN last_attempt_at REAL",
        "CREATE INDEX outbox_by_state ON outbox (state, id)",
    ),
    # 3: exact reconciliation. Every row gets its own reference, sent as the task's
    # `external_reference`; rows whose earlier send went out without one (unconfirmed or
    # sending now) keep none and are marked as possibly sent. `known_task_ids`: the project's
    # task ids before the first attempt, for a server that drops references; `next_attempt_at`:
    # a row whose check Toggl refused waits without holding up the rest; `user_checked`: the
    # user retried a row no listing could settle, saying it is not in Toggl.
    3: (
        "ALTER TABLE outbox ADD COLUMN external_reference TEXT",
        "ALTER TABLE outbox ADD COLUMN known_task_ids TEXT",
        "ALTER TABLE outbox ADD COLUMN maybe_sent INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE outbox ADD COLUMN next_attempt_at REAL",
        "ALTER TABLE outbox ADD COLUMN user_checked INTEGER NOT NULL DEFAULT 0",
        "UPDATE outbox SET maybe_sent = 1 WHERE state IN ('sending', 'unconfirmed')",
        "UPDATE outbox SET external_reference = 'taskdesk:' || lower(hex(randomblob(16))) "
        "WHERE state IN ('queued', 'failed')",
        "CREATE UNIQUE INDEX outbox_by_reference ON outbox (external_reference)",
    ),
    # 4: a project's task list (issue 13). Tasks keep their `external_reference`; each listed
    # project keeps Toggl's clock of its last listing (`as_of`, the next `since`) and when it
    # was last listed whole (`full_at`: only a whole listing shows deletions). `task_changes`:
    # the outbox of changes to existing tasks, one row per task (see desktop.store.task_changes).
    4: (
        "ALTER TABLE tasks ADD COLUMN external_reference TEXT",
        """CREATE TABLE task_lists (
            project_id INTEGER PRIMARY KEY, workspace_id INTEGER, as_of INTEGER, full_at REAL)""",
        """CREATE TABLE task_changes (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            workspace_id INTEGER NOT NULL, project_id INTEGER NOT NULL, task_id INTEGER NOT NULL,
            kind TEXT NOT NULL, fields TEXT NOT NULL DEFAULT '{}', base TEXT NOT NULL DEFAULT '{}',
            sent TEXT NOT NULL DEFAULT '{}', held TEXT NOT NULL DEFAULT '[]',
            state TEXT NOT NULL, reason TEXT, queued_at REAL NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0, recheck INTEGER NOT NULL DEFAULT 0)""",
        "CREATE UNIQUE INDEX task_changes_by_task ON task_changes (task_id)",
        "CREATE INDEX task_changes_by_project ON task_changes (project_id)",
    ),
}
SCHEMA_VERSION = max(MIGRATIONS)


class DatabaseError(Exception):
    """The local database cannot be used; the message says why in plain words."""


class CorruptDatabaseError(DatabaseError):
    """The file is damaged: it is to be kept aside for recovery, never overwritten."""


_CORRUPTION = ("file is not a database", "malformed", "disk image")


def open_database(data_dir: Path, *, target_version: int = SCHEMA_VERSION) -> sqlite3.Connection:
    """Open (creating or migrating) the database; `target_version` exists for migration tests."""
    path = data_dir / DATABASE_FILE
    try:
        _check_own_files(path)
        connection = sqlite3.connect(path, timeout=10.0, isolation_level=None)
    except DataFolderError:
        raise
    except (OSError, sqlite3.Error) as exc:
        raise DatabaseError(f"The local database {path} cannot be opened: {exc}.") from exc
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        # FULL: a commit survives power loss, which the outbox's promise needs.
        connection.execute("PRAGMA synchronous=FULL")
        connection.execute("PRAGMA foreign_keys=ON")
        (check,) = connection.execute("PRAGMA quick_check").fetchone()
        if check != "ok":
            raise sqlite3.DatabaseError(f"database disk image is malformed ({check})")
        _migrate(connection, path, target_version)
    except sqlite3.DatabaseError as exc:
        connection.close()
        kind = CorruptDatabaseError if any(w in str(exc) for w in _CORRUPTION) else DatabaseError
        raise kind(f"The local database {path} cannot be opened: {exc}.") from exc
    return connection


def open_or_set_aside(data_dir: Path) -> tuple[sqlite3.Connection, str | None]:
    """Open the database; a damaged one is renamed aside (kept, reported) and a new one begun."""
    try:
        return open_database(data_dir), None
    except CorruptDatabaseError as exc:
        aside = set_aside(data_dir / DATABASE_FILE)
        notice = (
            f"The local database was damaged ({exc.__cause__}), so Task Desk started a new one. "
            f"The damaged file is kept as {aside}: tasks that were waiting in it were not sent; "
            "send them again, or give that file to support."
        )
        return open_database(data_dir), notice


def set_aside(path: Path) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"taskdesk.damaged-{stamp}.sqlite3")
    for suffix in ("", "-wal", "-shm"):
        source = Path(f"{path}{suffix}")
        if os.path.lexists(source):  # a rename moves a link itself, never what it leads to
            os.replace(source, Path(f"{aside}{suffix}"))
    return aside


def restore_if_deleted(connection: sqlite3.Connection, data_dir: Path) -> sqlite3.Connection:
    """If the file was deleted or replaced under the open connection, write what the connection
    still holds back to disk and return a connection to it; otherwise the same connection."""
    path = data_dir / DATABASE_FILE
    if path.exists():
        return connection
    partial = path.with_suffix(".restoring")
    fresh_private_file(partial, "database copy")
    copy = sqlite3.connect(partial)
    try:
        connection.backup(copy)
    finally:
        copy.close()
    connection.close()
    os.chmod(partial, 0o600)
    os.replace(partial, path)
    return open_database(data_dir)


def schema_version(connection: sqlite3.Connection) -> int:
    version: int = connection.execute("PRAGMA user_version").fetchone()[0]
    return version


def _migrate(connection: sqlite3.Connection, path: Path, target: int) -> None:
    version = schema_version(connection)
    if version > SCHEMA_VERSION:
        raise DatabaseError(
            f"The local database was written by a newer Task Desk (schema {version}); "
            "please update the app."
        )
    if version == target:
        return
    if version > 0:
        _backup(connection, path.with_name(f"taskdesk.v{version}.bak.sqlite3"))
    for step in range(version + 1, target + 1):
        with transaction(connection):
            for statement in MIGRATIONS[step]:
                connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {step}")


def _backup(connection: sqlite3.Connection, target: Path) -> None:
    if os.path.lexists(target):
        return  # an earlier, interrupted attempt already kept the original
    partial = target.with_suffix(".partial")
    fresh_private_file(partial, "database backup")
    copy = sqlite3.connect(partial)
    try:
        connection.backup(copy)
    finally:
        copy.close()
    os.replace(partial, target)


def _check_own_files(path: Path) -> None:
    """SQLite opens by path and follows links: before it does, the database (created here if
    missing) and its side files must be this user's own ordinary files, not links, or
    `DataFolderError` says why. A journal planted by someone else would be replayed into it."""
    os.close(open_private_file(path, os.O_CREAT | os.O_RDONLY, "database"))
    for suffix in ("-wal", "-shm", "-journal"):
        check_private_file(Path(f"{path}{suffix}"), "database file")


@contextmanager
def transaction(connection: sqlite3.Connection) -> Iterator[None]:
    """One IMMEDIATE transaction (connections here are in autocommit mode otherwise); inside
    another one, part of it: the outer one commits, or rolls back, everything at once."""
    if connection.in_transaction:
        yield
        return
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")
