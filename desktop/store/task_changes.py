"""The outbox of changes to tasks already in Toggl: at most one row per task, a change (the
fields the user set, each with the value the app last saw of it, its *base*) or a deletion.

A second change to a task whose change still waits merges into that row, field by field (the
first base is kept). States: queued -> sending -> gone (delivered) | failed (Toggl refused it,
with its reason), back to queued when a send was cut short. A send whose answer never came
leaves its values in `sent`: they may be in Toggl, so Toggl showing them is not a conflict,
and the row is checked against a listing of its project (`recheck`) before it goes again.
Fields in `held` are in conflict (changed here and in Toggl): never sent until the user says.

Shares the outbox's connection, so its writes and the cache's commit together.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, closing
from dataclasses import dataclass, field
from enum import Enum
from typing import TypeAlias, cast

from desktop.api.models import Task, TaskChanges
from desktop.store.database import transaction

Value: TypeAlias = str | bool | int | None
Fields: TypeAlias = dict[str, Value]
FIELDS = ("name", "active", "estimated_seconds", "user_id")
"""The fields a change can carry, as Toggl names them; `estimated_seconds` 0 is no estimate,
`user_id` None is nobody."""


class ChangeState(Enum):
    QUEUED = "queued"
    SENDING = "sending"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class TaskChange:
    id: int
    workspace_id: int
    project_id: int
    task_id: int
    delete: bool
    fields: Fields
    """What the user set, by field (none for a deletion)."""
    base: Fields
    """Each changed field's value as the app last saw it in Toggl, before the user changed it."""
    sent: Fields = field(default_factory=dict)
    """Values a request carried whose answer never came: they may be in Toggl."""
    held: frozenset[str] = frozenset()
    """Fields in conflict: not sent until the user keeps theirs or takes Toggl's."""
    state: ChangeState = ChangeState.QUEUED
    reason: str | None = None
    queued_at: float = 0.0
    attempts: int = 0
    recheck: bool = False
    """List the project (by changes) before sending: the row waited through an offline spell,
    or a send of it may have arrived."""

    @property
    def sendable(self) -> Fields:
        """The fields that may go now (not held)."""
        return {k: v for k, v in self.fields.items() if k not in self.held}

    @property
    def due(self) -> bool:
        """Something to send: a deletion, or a field not held."""
        return self.state is ChangeState.QUEUED and (self.delete or bool(self.sendable))

    def changes(self) -> TaskChanges:
        return changes_of(self.sendable)


def fields_of(changes: TaskChanges) -> Fields:
    """The fields a `TaskChanges` sets, as a change row keeps them."""
    body = changes.to_json()  # str, bool, int or None by `TaskChanges`' own fields
    return {key: cast(Value, body[key]) for key in FIELDS if key in body}


def changes_of(fields: Fields) -> TaskChanges:
    user = fields.get("user_id")
    name, active, estimate = (
        fields.get("name"),
        fields.get("active"),
        fields.get("estimated_seconds"),
    )
    return TaskChanges(
        name=name if isinstance(name, str) else None,
        active=active if isinstance(active, bool) else None,
        estimated_seconds=estimate if isinstance(estimate, int) else None,
        user_id=user if isinstance(user, int) and not isinstance(user, bool) else None,
        clear_assignee="user_id" in fields and user is None,
    )


def task_value(task: Task, name: str) -> Value:
    """A task's value of a change field, as a change row compares it (no estimate: 0)."""
    if name == "name":
        return task.name
    if name == "active":
        return task.active
    if name == "estimated_seconds":
        return task.estimated_seconds or 0
    if name == "user_id":
        return task.user_id
    raise KeyError(name)


_COLUMNS = (
    "id, workspace_id, project_id, task_id, kind, fields, base, sent, held, state, reason, "
    "queued_at, attempts, recheck"
)


Columns: TypeAlias = tuple[
    int, int, int, int, str, str, str, str, str, str, str | None, float, int, int
]
"""The values of `_COLUMNS` as SQLite returns them."""


def _row(values: Columns) -> TaskChange:
    (id_, wid, pid, tid, kind, fields, base, sent, held, state, reason, queued_at) = values[:12]
    attempts, recheck = values[12:]
    return TaskChange(
        id=id_,
        workspace_id=wid,
        project_id=pid,
        task_id=tid,
        delete=kind == "delete",
        fields=json.loads(fields),
        base=json.loads(base),
        sent=json.loads(sent),
        held=frozenset(json.loads(held)),
        state=ChangeState(state),
        reason=reason,
        queued_at=queued_at,
        attempts=attempts,
        recheck=bool(recheck),
    )


class TaskChangeQueue:
    """The `task_changes` table. `connection` gives the store's current connection (it is
    replaced when a deleted database file is written back)."""

    def __init__(
        self, connection: Callable[[], sqlite3.Connection], clock: Callable[[], float] = time.time
    ) -> None:
        self._connection = connection
        self._clock = clock

    @property
    def _db(self) -> sqlite3.Connection:
        return self._connection()

    # --- reading ---------------------------------------------------------------------------

    def _select(self, where: str = "", values: tuple[object, ...] = ()) -> list[TaskChange]:
        sql = f"SELECT {_COLUMNS} FROM task_changes {where} ORDER BY id"
        return [_row(r) for r in self._db.execute(sql, values)]

    def get(self, task_id: int) -> TaskChange | None:
        found = self._select("WHERE task_id = ?", (task_id,))
        return found[0] if found else None

    def for_project(self, project_id: int) -> list[TaskChange]:
        return self._select("WHERE project_id = ?", (project_id,))

    def all(self) -> list[TaskChange]:
        return self._select()

    def pending(self) -> list[TaskChange]:
        """Rows with something to send (held fields and refused rows wait for the user)."""
        return [c for c in self._select("WHERE state != 'failed'") if c.delete or c.sendable]

    def pending_count(self) -> int:
        """As `len(pending())`, asked at every step: SQL counts the rows without held fields."""
        (plain,) = self._db.execute(
            "SELECT count(*) FROM task_changes WHERE state != 'failed' AND held = '[]' "
            "AND (kind = 'delete' OR fields != '{}')"
        ).fetchone()
        held = self._select("WHERE state != 'failed' AND held != '[]'")
        return int(plain) + sum(bool(c.delete or c.sendable) for c in held)

    def next_due(self) -> TaskChange | None:
        """The oldest row with something to send (read row by row: the first usually is)."""
        sql = f"SELECT {_COLUMNS} FROM task_changes WHERE state = 'queued' ORDER BY id"
        with closing(self._db.execute(sql)) as rows:  # no read left open past the first due
            return next((c for c in map(_row, rows) if c.due), None)

    def alike(self, change: TaskChange, limit: int) -> list[TaskChange]:
        """`change` and the rows due in its project that set the very same values (one bulk
        request can carry them all), oldest first, at most `limit`."""
        found = [
            c
            for c in self._select(
                "WHERE state = 'queued' AND project_id = ? AND kind = 'change' AND recheck = 0",
                (change.project_id,),
            )
            if c.due and c.sendable == change.sendable
        ]
        return found[:limit]

    # --- writing ---------------------------------------------------------------------------

    def transaction(self) -> AbstractContextManager[None]:
        """Writes inside, here or to the cache, commit together (see `Outbox.transaction`)."""
        return transaction(self._db)

    def add(
        self,
        workspace_id: int,
        project_id: int,
        task_id: int,
        *,
        delete: bool = False,
        fields: Fields | None = None,
        base: Fields | None = None,
        sent: Fields | None = None,
    ) -> None:
        """A new row for a task that has none (`save` changes an existing one)."""
        self._db.execute(
            "INSERT INTO task_changes (workspace_id, project_id, task_id, kind, fields, base, "
            "sent, state, queued_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?)",
            (
                workspace_id,
                project_id,
                task_id,
                "delete" if delete else "change",
                json.dumps(fields or {}),
                json.dumps(base or {}),
                json.dumps(sent or {}),
                self._clock(),
            ),
        )

    def save(self, change: TaskChange) -> None:
        """Write the row as `change` has it (its id and task stay)."""
        self._db.execute(
            "UPDATE task_changes SET kind = ?, fields = ?, base = ?, sent = ?, held = ?, "
            "state = ?, reason = ?, attempts = ?, recheck = ? WHERE id = ?",
            (
                "delete" if change.delete else "change",
                json.dumps(change.fields),
                json.dumps(change.base),
                json.dumps(change.sent),
                json.dumps(sorted(change.held)),
                change.state.value,
                change.reason,
                change.attempts,
                int(change.recheck),
                change.id,
            ),
        )

    def remove(self, change_ids: Iterable[int]) -> None:
        self._db.executemany("DELETE FROM task_changes WHERE id = ?", [(i,) for i in change_ids])

    def recheck_all(self) -> None:
        """Rows that wait through an offline spell are checked against a listing first."""
        self._db.execute("UPDATE task_changes SET recheck = 1 WHERE state = 'queued'")

    def recover_interrupted(self) -> int:
        """After a crash: a row left `sending` may have reached Toggl; checked, then sent."""
        with transaction(self._db):
            cursor = self._db.execute(
                "UPDATE task_changes SET state = 'queued', recheck = 1 WHERE state = 'sending'"
            )
        return cursor.rowcount
