"""The durable outbox: every submitted task is a row here before any request is sent.

States: queued -> sending -> done | failed, plus `unconfirmed` for a send whose answer never
came (it may exist on Toggl; the sync engine looks before sending again). A row keeps
everything the user typed, whatever happens to it.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from enum import Enum
from typing import Any

from desktop.api.models import TaskDraft
from desktop.store.database import transaction

Clock = Callable[[], float]


class OutboxState(Enum):
    QUEUED = "queued"
    SENDING = "sending"
    UNCONFIRMED = "unconfirmed"
    DONE = "done"
    FAILED = "failed"


PENDING = (OutboxState.QUEUED, OutboxState.SENDING, OutboxState.UNCONFIRMED)
WAITING = (*PENDING, OutboxState.FAILED)


@dataclass(slots=True)
class OutboxRow:
    id: int
    workspace_id: int
    project_id: int
    draft: TaskDraft
    project_label: str
    state: OutboxState
    reason: str | None
    queued_at: float
    attempts: int
    last_attempt_at: float | None
    remote_task_id: int | None


_COLUMNS = (
    "id, workspace_id, project_id, name, active, estimated_seconds, user_id, project_label, "
    "state, reason, queued_at, attempts, last_attempt_at, remote_task_id"
)


def _row(values: tuple[Any, ...]) -> OutboxRow:
    (
        id_,
        wid,
        pid,
        name,
        active,
        estimate,
        user_id,
        label,
        state,
        reason,
        queued_at,
        attempts,
        last_attempt_at,
        remote_id,
    ) = values
    return OutboxRow(
        id=int(id_),
        workspace_id=int(wid),
        project_id=int(pid),
        draft=TaskDraft(
            name=str(name),
            active=bool(active),
            estimated_seconds=None if estimate is None else int(estimate),
            user_id=None if user_id is None else int(user_id),
        ),
        project_label=str(label),
        state=OutboxState(state),
        reason=None if reason is None else str(reason),
        queued_at=float(queued_at),
        attempts=int(attempts),
        last_attempt_at=None if last_attempt_at is None else float(last_attempt_at),
        remote_task_id=None if remote_id is None else int(remote_id),
    )


def _task_values(
    workspace_id: int, project_id: int, draft: TaskDraft, project_label: str
) -> tuple[object, ...]:
    """What the user typed, in the column order of `add` and `requeue_edited`."""
    return (
        workspace_id,
        project_id,
        draft.name,
        int(draft.active),
        draft.estimated_seconds,
        draft.user_id,
        project_label,
    )


class Outbox:
    def __init__(self, connection: sqlite3.Connection, clock: Clock = time.time) -> None:
        self._db = connection
        self._clock = clock

    def transaction(self) -> AbstractContextManager[None]:
        """Writes made inside, to the outbox or to the cache on the same connection, commit
        together: one durable write instead of several."""
        return transaction(self._db)

    def use(self, connection: sqlite3.Connection) -> None:
        """Continue on another connection to the same store (after a restore)."""
        self._db = connection

    def add(
        self,
        workspace_id: int,
        project_id: int,
        draft: TaskDraft,
        project_label: str,
        *,
        sending: bool = False,
    ) -> OutboxRow:
        """Queue a task in one transaction; once this returns, the task survives any crash.

        `sending`: saved already marked as being sent (see `SyncEngine.claim_new`), so the one
        durable write before the request covers both the task and the attempt."""
        now = self._clock()
        with transaction(self._db):
            cursor = self._db.execute(
                "INSERT INTO outbox (workspace_id, project_id, name, active, estimated_seconds, "
                "user_id, project_label, state, queued_at, attempts, last_attempt_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    *_task_values(workspace_id, project_id, draft, project_label),
                    (OutboxState.SENDING if sending else OutboxState.QUEUED).value,
                    now,
                    1 if sending else 0,
                    now if sending else None,
                ),
            )
            row_id = cursor.lastrowid
        assert row_id is not None
        return self.get(row_id)

    def get(self, row_id: int) -> OutboxRow:
        found = self._db.execute(
            f"SELECT {_COLUMNS} FROM outbox WHERE id = ?", (row_id,)
        ).fetchone()
        if found is None:
            raise KeyError(row_id)
        return _row(found)

    def _select(self, states: tuple[OutboxState, ...], limit: int | None = None) -> list[OutboxRow]:
        marks = ", ".join("?" for _ in states)
        sql = f"SELECT {_COLUMNS} FROM outbox WHERE state IN ({marks}) ORDER BY id"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [_row(r) for r in self._db.execute(sql, [s.value for s in states])]

    def next_pending(self) -> OutboxRow | None:
        """The oldest task still to be delivered (queued, or unconfirmed and to be checked)."""
        rows = self._select((OutboxState.QUEUED, OutboxState.UNCONFIRMED), limit=1)
        return rows[0] if rows else None

    def waiting(self) -> list[OutboxRow]:
        """Rows the user should see: not yet delivered, or parked as failed."""
        return self._select(WAITING)

    def pending_count(self) -> int:
        marks = ", ".join("?" for _ in PENDING)
        row = self._db.execute(
            f"SELECT count(*) FROM outbox WHERE state IN ({marks})",
            [s.value for s in PENDING],
        ).fetchone()
        return int(row[0])

    def recover_interrupted(self) -> int:
        """After a crash, a row left in `sending` may or may not have reached Toggl."""
        with transaction(self._db):
            cursor = self._db.execute(
                "UPDATE outbox SET state = ? WHERE state = ?",
                (OutboxState.UNCONFIRMED.value, OutboxState.SENDING.value),
            )
        return cursor.rowcount

    def mark_sending(self, row_id: int) -> None:
        """Durably record that a request is about to leave, before it does."""
        self._update(
            row_id,
            "state = ?, attempts = attempts + 1, last_attempt_at = ?",
            (OutboxState.SENDING.value, self._clock()),
        )

    def mark_queued(self, row_id: int, reason: str | None = None) -> None:
        self._update(row_id, "state = ?, reason = ?", (OutboxState.QUEUED.value, reason))

    def mark_unconfirmed(self, row_id: int, reason: str) -> None:
        """The answer never came; the time is when we gave up, so a late arrival can show."""
        self._update(
            row_id,
            "state = ?, reason = ?, last_attempt_at = ?",
            (OutboxState.UNCONFIRMED.value, reason, self._clock()),
        )

    def mark_done(self, row_id: int, remote_task_id: int) -> None:
        self._update(
            row_id,
            "state = ?, reason = NULL, remote_task_id = ?",
            (OutboxState.DONE.value, remote_task_id),
        )

    def mark_failed(self, row_id: int, reason: str) -> None:
        self._update(row_id, "state = ?, reason = ?", (OutboxState.FAILED.value, reason))

    def claimed_task_ids(self, project_id: int) -> set[int]:
        """Toggl task ids already matched to outbox rows: never adopted twice."""
        rows = self._db.execute(
            "SELECT remote_task_id FROM outbox WHERE project_id = ? AND remote_task_id IS NOT NULL",
            (project_id,),
        )
        return {int(r[0]) for r in rows}

    def requeue_edited(
        self, row_id: int, workspace_id: int, project_id: int, draft: TaskDraft, project_label: str
    ) -> OutboxRow:
        """Retry a failed row with what the user changed; refuses rows that are not failed."""
        with transaction(self._db):
            cursor = self._db.execute(
                "UPDATE outbox SET workspace_id = ?, project_id = ?, name = ?, active = ?, "
                "estimated_seconds = ?, user_id = ?, project_label = ?, state = ?, reason = NULL, "
                "queued_at = ? WHERE id = ? AND state = ?",
                (
                    *_task_values(workspace_id, project_id, draft, project_label),
                    OutboxState.QUEUED.value,
                    self._clock(),
                    row_id,
                    OutboxState.FAILED.value,
                ),
            )
        if cursor.rowcount != 1:
            raise KeyError(row_id)
        return self.get(row_id)

    def discard(self, row_id: int) -> bool:
        """Delete a failed row (the user confirmed); queued rows are never discarded."""
        with transaction(self._db):
            cursor = self._db.execute(
                "DELETE FROM outbox WHERE id = ? AND state = ?", (row_id, OutboxState.FAILED.value)
            )
        return cursor.rowcount == 1

    def _update(self, row_id: int, assignments: str, values: tuple[object, ...]) -> None:
        with transaction(self._db):
            self._db.execute(f"UPDATE outbox SET {assignments} WHERE id = ?", (*values, row_id))
