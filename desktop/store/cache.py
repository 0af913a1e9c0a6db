"""What Toggl told us last time: workspaces, projects, users, tasks, and the user's choices.

Lets the app start and work offline without a request; each list remembers when it was fetched.
The schema's `workspaces.role`, `workspaces.organization_id` and `projects.color` columns are
left to their defaults: nothing reads them, and dropping them would take a migration.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from typing import NamedTuple

from desktop.api.models import Me, Project, Task, User, Workspace
from desktop.store.database import transaction

Clock = Callable[[], float]


def _flag(value: bool | None) -> int | None:
    return None if value is None else int(value)


class Cache:
    def __init__(self, connection: sqlite3.Connection, clock: Clock = time.time) -> None:
        self._db = connection
        self._clock = clock
        self._references: dict[str, bool | None] = {}
        """`serves_references` as committed, by server: asked before every send and after
        every answer, it changes once per server at most (one app per data dir: the lock)."""

    def use(self, connection: sqlite3.Connection) -> None:
        """Continue on another connection to the same store (after a restore)."""
        self._db = connection
        self._references.clear()

    # --- freshness -----------------------------------------------------------------------

    def fetched_at(self, what: str) -> float | None:
        row = self._db.execute("SELECT at FROM fetched WHERE what = ?", (what,)).fetchone()
        return None if row is None else float(row[0])

    def _mark_fetched(self, what: str) -> None:
        self._db.execute(
            "INSERT INTO fetched (what, at) VALUES (?, ?) "
            "ON CONFLICT (what) DO UPDATE SET at = excluded.at",
            (what, self._clock()),
        )

    def _replace(
        self,
        what: str,
        delete: str,
        key: tuple[object, ...],
        insert: str,
        rows: Iterable[tuple[object, ...]],
    ) -> None:
        with self._transaction():
            self._db.execute(delete, key)
            self._db.executemany(insert, rows)
            self._mark_fetched(what)

    def _transaction(self) -> AbstractContextManager[None]:
        return transaction(self._db)

    # --- lists ---------------------------------------------------------------------------

    def save_workspaces(self, workspaces: list[Workspace]) -> None:
        self._replace(
            "workspaces",
            "DELETE FROM workspaces",
            (),
            "INSERT INTO workspaces (id, name, premium) VALUES (?, ?, ?)",
            [(w.id, w.name, _flag(w.premium)) for w in workspaces],
        )
        paid = [(f"tasks.paid_only:{w.id}",) for w in workspaces if w.premium]
        self._db.executemany("DELETE FROM meta WHERE key = ?", paid)  # a 402 for tasks, before

    def workspaces(self) -> list[Workspace]:
        rows = self._db.execute("SELECT id, name, premium FROM workspaces ORDER BY rowid")
        return [Workspace(id=i, name=n, premium=None if p is None else bool(p)) for i, n, p in rows]

    def save_projects(self, workspace_id: int, projects: list[Project]) -> None:
        self._replace(
            f"projects:{workspace_id}",
            "DELETE FROM projects WHERE workspace_id = ?",
            (workspace_id,),
            "INSERT OR REPLACE INTO projects (id, workspace_id, name, active, client_name) "
            "VALUES (?, ?, ?, ?, ?)",
            [(p.id, workspace_id, p.name, int(p.active), p.client_name) for p in projects],
        )

    def projects(self, workspace_id: int) -> list[Project]:
        rows = self._db.execute(
            "SELECT id, name, active, client_name FROM projects WHERE workspace_id = ?",
            (workspace_id,),
        )
        return [
            Project(id=i, name=n, workspace_id=workspace_id, active=bool(a), client_name=c)
            for i, n, a, c in rows
        ]

    def save_users(self, workspace_id: int, users: list[User]) -> None:
        self._replace(
            f"users:{workspace_id}",
            "DELETE FROM users WHERE workspace_id = ?",
            (workspace_id,),
            "INSERT OR REPLACE INTO users (workspace_id, id, fullname, email) VALUES (?, ?, ?, ?)",
            [(workspace_id, u.id, u.fullname, u.email) for u in users],
        )

    def users(self, workspace_id: int) -> list[User]:
        rows = self._db.execute(
            "SELECT id, fullname, email FROM users WHERE workspace_id = ?", (workspace_id,)
        )
        return [User(id=i, fullname=f, email=e) for i, f, e in rows]

    def save_tasks(self, project_id: int, tasks: list[Task]) -> None:
        """A whole listing of the project's tasks (the engine's, which settles sends): the
        project's `since` is kept, as everything since it is in this listing too."""
        with self._transaction():
            self._replace(
                f"tasks:{project_id}",
                _DROP_UNLISTED,
                (project_id, project_id, self._clock() - LISTING_LAG),
                _INSERT_TASK,
                [_task_row(t, project_id) for t in tasks],
            )
            self._db.execute(
                "INSERT INTO task_lists (project_id, full_at) VALUES (?, ?) "
                "ON CONFLICT (project_id) DO UPDATE SET full_at = excluded.full_at",
                (project_id, self._clock()),
            )

    def save_task_listing(
        self,
        workspace_id: int,
        project_id: int,
        tasks: list[Task],
        as_of: int | None,
        *,
        whole: bool,
    ) -> None:
        """A listing of the project's tasks: `whole` replaces the cached ones (deleted tasks go),
        else the tasks changed since the last listing are laid over them. `as_of` (Toggl's
        clock) is the next listing's `since`; None: list the project whole next time."""
        now = self._clock()
        with self._transaction():
            if whole:
                self._db.execute(_DROP_UNLISTED, (project_id, project_id, now - LISTING_LAG))
            self._db.executemany(_INSERT_TASK, [_task_row(t, project_id) for t in tasks])
            self._mark_fetched(f"tasks:{project_id}")
            self._db.execute(
                "INSERT INTO task_lists (project_id, workspace_id, as_of, full_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (project_id) DO UPDATE SET "
                "workspace_id = excluded.workspace_id, as_of = excluded.as_of, "
                "full_at = coalesce(excluded.full_at, task_lists.full_at)",
                (project_id, workspace_id, as_of, now if whole else None),
            )

    def task_list_state(self, project_id: int) -> TaskListState:
        """When the project's tasks were last listed, by changes or whole, and the `since`."""
        found = self._db.execute(
            "SELECT as_of, full_at FROM task_lists WHERE project_id = ?", (project_id,)
        ).fetchone()
        as_of, full_at = (None, None) if found is None else found
        return TaskListState(self.fetched_at(f"tasks:{project_id}"), as_of, full_at)

    def task_places(self, task_ids: list[int]) -> dict[int, tuple[int, int]]:
        """The (workspace id, project id) of each cached task among `task_ids`."""
        rows = self._db.execute(
            "SELECT t.id, coalesce(t.workspace_id, l.workspace_id), t.project_id FROM tasks t "
            "LEFT JOIN task_lists l ON l.project_id = t.project_id "
            f"WHERE t.id IN ({', '.join('?' for _ in task_ids)})",
            task_ids,
        )
        return {i: (w, p) for i, w, p in rows if w is not None and p is not None}

    def remove_tasks(self, task_ids: Iterable[int]) -> None:
        with self._transaction():
            self._db.executemany("DELETE FROM tasks WHERE id = ?", [(i,) for i in task_ids])

    def change_task(self, task_id: int, fields: dict[str, object]) -> None:
        """Lay fields Toggl took (a bulk change answers with ids only) over the cached task;
        a new assignee's name comes from the cached people."""
        columns = [key for key in _CHANGEABLE if key in fields]  # one at least
        sets = ", ".join(f"{key} = ?" for key in columns)
        values = [fields[key] for key in columns]
        if "user_id" in fields:
            sets += (
                ", user_name = (SELECT fullname FROM users "
                "WHERE users.workspace_id = tasks.workspace_id AND users.id = ?)"
            )
            values.append(fields["user_id"])
        with self._transaction():
            self._db.execute(f"UPDATE tasks SET {sets} WHERE id = ?", (*values, task_id))

    def note_tasks_paid_only(self, workspace_id: int) -> None:
        """Toggl answered 402 for this workspace's tasks: its plan has none."""
        with self._transaction():
            self._set(f"tasks.paid_only:{workspace_id}", 1)

    def tasks_paid_only(self, workspace_id: int) -> bool:
        return self._get_int(f"tasks.paid_only:{workspace_id}") == 1

    def serves_references(self, base_url: str) -> bool | None:
        """Whether the server at `base_url` returned tasks with an `external_reference` field,
        as last seen; None before any task came from it."""
        if base_url in self._references:
            return self._references[base_url]
        value = self._get_int(f"references:{base_url}")
        served = None if value is None else bool(value)
        if not self._db.in_transaction:  # never remember what a rollback may undo
            self._references[base_url] = served
        return served

    def note_references(self, base_url: str, served: bool) -> None:
        if self.serves_references(base_url) is not served:
            self._references.pop(base_url, None)
            with self._transaction():
                self._set(f"references:{base_url}", int(served))

    def add_task(self, task: Task) -> None:
        with self._transaction():
            self._db.execute(_INSERT_TASK, _task_row(task, task.project_id))

    def tasks(self, project_id: int) -> list[Task]:
        rows = self._db.execute(
            "SELECT id, workspace_id, name, active, at, estimated_seconds, tracked_ms, user_id, "
            "user_name, project_name, client_name, external_reference FROM tasks "
            "WHERE project_id = ? ORDER BY id",
            (project_id,),
        )
        return [
            Task(
                id=i,
                workspace_id=w,
                name=n,
                active=bool(a),
                at=at,
                estimated_seconds=e,
                tracked_ms=t,
                user_id=u,
                user_name=un,
                project_id=project_id,
                project_name=pn,
                client_name=cn,
                external_reference=r,
            )
            for i, w, n, a, at, e, t, u, un, pn, cn, r in rows
        ]

    # --- the signed-in user and their choices --------------------------------------------

    def save_me(self, me: Me) -> None:
        """The profile without its API token: the token lives only in the keyring."""
        with self._transaction():
            for key, value in (
                ("me.id", me.id),
                ("me.email", me.email),
                ("me.fullname", me.fullname),
                ("me.default_workspace_id", me.default_workspace_id),
            ):
                self._set(key, value)

    def default_workspace_id(self) -> int | None:
        return self._get_int("me.default_workspace_id")

    def last_workspace_id(self) -> int | None:
        return self._get_int("last.workspace")

    def last_project_id(self, workspace_id: int) -> int | None:
        return self._get_int(f"last.project:{workspace_id}")

    def remember(self, workspace_id: int, project_id: int | None) -> None:
        with self._transaction():
            self._set("last.workspace", workspace_id)
            if project_id is not None:
                self._set(f"last.project:{workspace_id}", project_id)

    def clear(self) -> None:
        """Forget everything of the signed-in account (sign-out); the outbox is kept."""
        self._references.clear()
        with self._transaction():
            for table in _CACHED:
                self._db.execute(f"DELETE FROM {table}")

    def _set(self, key: str, value: object) -> None:
        if value is None:
            self._db.execute("DELETE FROM meta WHERE key = ?", (key,))
        else:
            self._db.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, str(value)),
            )

    def _get_int(self, key: str) -> int | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        try:
            return None if row is None else int(row[0])
        except ValueError:
            return None


_INSERT_TASK = (
    "INSERT OR REPLACE INTO tasks (id, workspace_id, project_id, name, active, at, "
    "estimated_seconds, tracked_ms, user_id, user_name, project_name, client_name, "
    "external_reference) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
LISTING_LAG = 60.0
"""A task the app created this recently may not show in Toggl's listings yet (Toggl says 2-5 s):
a whole listing without it keeps it cached. `_DROP_UNLISTED` empties a project but for those."""
_DROP_UNLISTED = (
    "DELETE FROM tasks WHERE project_id = ? AND id NOT IN (SELECT remote_task_id FROM outbox "
    "WHERE project_id = ? AND state = 'done' AND last_attempt_at > ? AND remote_task_id > 0)"
)
_CACHED = ("meta", "fetched", "workspaces", "projects", "users", "tasks", "task_lists")
_CHANGEABLE = ("name", "active", "estimated_seconds", "user_id")


class TaskListState(NamedTuple):
    fetched_at: float | None
    """When the project's tasks were last listed (whole or by changes); None: never."""
    as_of: int | None
    """The next listing's `since` (Toggl's clock); None: list it whole."""
    full_at: float | None
    """When it was last listed whole (only that shows tasks deleted in Toggl)."""


def _task_row(task: Task, project_id: int | None) -> tuple[object, ...]:
    return (
        task.id,
        task.workspace_id,
        project_id,
        task.name,
        int(task.active),
        task.at,
        task.estimated_seconds,
        task.tracked_ms,
        task.user_id,
        task.user_name,
        task.project_name,
        task.client_name,
        task.external_reference,
    )
