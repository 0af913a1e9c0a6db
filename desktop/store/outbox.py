"""The durable outbox: every submitted task is a row here before any request is sent.

States: queued -> sending -> done | failed, plus `unconfirmed` for a send whose answer never
came (it may exist on Toggl). An unconfirmed row is never sent again until a listing of its
project settles it: found by its `external_reference` (a random reference of its own, sent with
the task), or known to be absent. A row keeps everything the user typed, whatever happens to it.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from contextlib import AbstractContextManager

from desktop.api.models import TaskDraft
from desktop.store.database import transaction
from desktop.store.outbox_row import (
    COLUMNS,
    PENDING,
    WAITING,
    OutboxRow,
    OutboxState,
    known_json,
    new_reference,
    row_from,
    state_after_retry,
    task_values,
)

Clock = Callable[[], float]
_SENDING = (
    "state = ?, attempts = attempts + 1, last_attempt_at = ?, maybe_sent = 1, "
    "next_attempt_at = NULL"
)
_DONE = "state = ?, reason = NULL, remote_task_id = ?, next_attempt_at = NULL"


class RowBusyError(Exception):
    """The row is being sent or checked against Toggl: it cannot be edited now. `row` is the
    row as it was found."""

    def __init__(self, row: OutboxRow) -> None:
        super().__init__(row.id)
        self.row = row


class RowDeliveredError(RowBusyError):
    """The row reached Toggl before the change: an edit of it would be a second task."""


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

    @property
    def connection(self) -> sqlite3.Connection:
        """The store's connection now (the queue of task changes shares it)."""
        return self._db

    def add(
        self,
        workspace_id: int,
        project_id: int,
        draft: TaskDraft,
        project_label: str,
        *,
        sending: bool = False,
        known_task_ids: frozenset[int] | None = None,
    ) -> OutboxRow:
        """Queue a task in one statement; once this returns, the task survives any crash.

        `sending`: saved already marked as being sent (see `SyncEngine.claim_new`), so the one
        durable write before the request covers both the task and the attempt; `known_task_ids`
        as the row's field of that name. The row gets a new reference of its own."""
        now = self._clock()
        state = OutboxState.SENDING if sending else OutboxState.QUEUED
        reference = new_reference()
        cursor = self._db.execute(  # one statement: committed as `_update`'s are
            "INSERT INTO outbox (workspace_id, project_id, name, active, estimated_seconds, "
            "user_id, project_label, state, queued_at, attempts, last_attempt_at, "
            "external_reference, maybe_sent, known_task_ids) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                *task_values(workspace_id, project_id, draft, project_label),
                state.value,
                now,
                int(sending),
                now if sending else None,
                reference,
                int(sending),
                known_json(known_task_ids),
            ),
        )
        assert cursor.lastrowid is not None
        return OutboxRow(  # as `get` would read it back, without the read
            id=cursor.lastrowid,
            workspace_id=workspace_id,
            project_id=project_id,
            draft=TaskDraft(
                name=draft.name,
                active=bool(draft.active),
                estimated_seconds=draft.estimated_seconds,
                user_id=draft.user_id,
                external_reference=reference,
            ),
            project_label=project_label,
            state=state,
            reason=None,
            queued_at=now,
            attempts=int(sending),
            last_attempt_at=now if sending else None,
            remote_task_id=None,
            maybe_sent=sending,
            known_task_ids=known_task_ids,
        )

    def get(self, row_id: int) -> OutboxRow:
        found = self._db.execute(f"SELECT {COLUMNS} FROM outbox WHERE id = ?", (row_id,)).fetchone()
        if found is None:
            raise KeyError(row_id)
        return row_from(found)

    def _select(self, states: tuple[OutboxState, ...], limit: int | None = None) -> list[OutboxRow]:
        marks = ", ".join("?" for _ in states)
        sql = f"SELECT {COLUMNS} FROM outbox WHERE state IN ({marks}) ORDER BY id"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [row_from(r) for r in self._db.execute(sql, [s.value for s in states])]

    def next_pending(self) -> OutboxRow | None:
        """The oldest task due to be delivered (queued, or unconfirmed and to be checked); a row
        whose own wait (`next_attempt_at`) has not run out is passed over."""
        found = self._db.execute(
            f"SELECT {COLUMNS} FROM outbox WHERE state IN (?, ?) "
            "AND (next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY id LIMIT 1",
            (OutboxState.QUEUED.value, OutboxState.UNCONFIRMED.value, self._clock()),
        ).fetchone()
        return None if found is None else row_from(found)

    def next_wait(self) -> float | None:
        """Seconds until the earliest row that waits on its own is due; None if none waits."""
        (due,) = self._db.execute(
            "SELECT min(next_attempt_at) FROM outbox WHERE state IN (?, ?) "
            "AND next_attempt_at IS NOT NULL",
            (OutboxState.QUEUED.value, OutboxState.UNCONFIRMED.value),
        ).fetchone()
        return None if due is None else max(0.0, float(due) - self._clock())

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
        self._update(row_id, _SENDING, (OutboxState.SENDING.value, self._clock()))

    def sending(self, row: OutboxRow) -> OutboxRow:
        """`mark_sending` for a row just read; returns it as it now is, without reading it."""
        now = self._clock()
        self._update(row.id, _SENDING, (OutboxState.SENDING.value, now))

        return row.replace(
            state=OutboxState.SENDING,
            attempts=row.attempts + 1,
            last_attempt_at=now,
            maybe_sent=True,
            next_attempt_at=None,
        )

    def set_known_task_ids(self, row_id: int, known: frozenset[int]) -> None:
        self._update(row_id, "known_task_ids = ?", (known_json(known),))

    def mark_queued(self, row_id: int, reason: str | None = None) -> None:
        """Waiting to be sent: its request was refused before it reached Toggl (nothing was
        sent), or a listing showed that an unconfirmed send did not arrive."""
        self._update(
            row_id,
            "state = ?, reason = ?, maybe_sent = 0, next_attempt_at = NULL, user_checked = 0",
            (OutboxState.QUEUED.value, reason),
        )

    def mark_unconfirmed(self, row_id: int, reason: str) -> None:
        """The answer never came; the time is when we gave up, so a late arrival can show."""
        self._update(
            row_id,
            "state = ?, reason = ?, last_attempt_at = ?, maybe_sent = 1",
            (OutboxState.UNCONFIRMED.value, reason, self._clock()),
        )

    def postpone_check(self, row_id: int, reason: str, seconds: float) -> None:
        """An unconfirmed row whose check Toggl refused: it stays unconfirmed, says why, and is
        checked again after `seconds` while the rows behind it go on."""
        self._update(
            row_id,
            "state = ?, reason = ?, next_attempt_at = ?",
            (OutboxState.UNCONFIRMED.value, reason, self._clock() + seconds),
        )

    def mark_done(self, row_id: int, remote_task_id: int) -> None:
        self._update(row_id, _DONE, (OutboxState.DONE.value, remote_task_id))

    def done(self, row: OutboxRow, remote_task_id: int) -> OutboxRow:
        """`mark_done` for a row the caller holds as it is; returns it as it now is."""
        self.mark_done(row.id, remote_task_id)

        return row.replace(
            state=OutboxState.DONE,
            reason=None,
            remote_task_id=remote_task_id,
            next_attempt_at=None,
        )

    def mark_failed(self, row_id: int, reason: str, *, maybe_sent: bool = False) -> None:
        """Parked for the user: Toggl refused it (nothing was created), or, `maybe_sent`, no
        listing could settle whether an earlier send arrived."""
        self._update(
            row_id,
            "state = ?, reason = ?, maybe_sent = ?, next_attempt_at = NULL",
            (OutboxState.FAILED.value, reason, int(maybe_sent)),
        )

    def retry(self, row_id: int) -> OutboxRow:
        """The user's retry: a refused row is queued again as it is; one that may already be in
        Toggl, and every unconfirmed one, is checked now, never sent blindly; a row that waits
        on its own is due now. KeyError when no such row waits."""
        with transaction(self._db):
            row = self.get(row_id)
            if row.state is OutboxState.FAILED:
                self._db.execute(
                    "UPDATE outbox SET state = ?, reason = NULL, next_attempt_at = NULL, "
                    "user_checked = maybe_sent, "
                    "external_reference = coalesce(external_reference, ?) WHERE id = ?",
                    (state_after_retry(row).value, new_reference(), row_id),
                )
            elif row.state in (OutboxState.QUEUED, OutboxState.UNCONFIRMED):
                self._db.execute("UPDATE outbox SET next_attempt_at = NULL WHERE id = ?", (row_id,))
            else:
                raise KeyError(row_id)
        return self.get(row_id)

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
        """Retry a refused row, or change a waiting one, with what the user changed (a row that
        may already be in Toggl is checked first, as `retry` does). KeyError when the row is
        gone; `RowBusyError` when it is being sent or checked, `RowDeliveredError` when it
        reached Toggl meanwhile: never copied into a second row."""
        with transaction(self._db):
            row = self.get(row_id)
            if row.state is OutboxState.DONE:
                raise RowDeliveredError(row)
            if row.state not in (OutboxState.FAILED, OutboxState.QUEUED):
                raise RowBusyError(row)
            self._db.execute(
                "UPDATE outbox SET workspace_id = ?, project_id = ?, name = ?, active = ?, "
                "estimated_seconds = ?, user_id = ?, project_label = ?, state = ?, reason = NULL, "
                "queued_at = ?, next_attempt_at = NULL, user_checked = maybe_sent, "
                "known_task_ids = CASE WHEN maybe_sent THEN known_task_ids END, "
                "external_reference = coalesce(external_reference, ?) WHERE id = ?",
                (
                    *task_values(workspace_id, project_id, draft, project_label),
                    state_after_retry(row).value,
                    self._clock(),
                    new_reference(),
                    row_id,
                ),
            )
        return self.get(row_id)

    def discard(self, row_id: int, *, never_sent_only: bool = False) -> bool:
        """Delete a row the user gave up on (they confirmed): waiting, unconfirmed or failed;
        never one being sent or delivered. `never_sent_only`: the user was told it never
        reached Toggl, so a row that may have (sent meanwhile, its answer lost) is kept."""
        if never_sent_only:
            discardable: tuple[OutboxState, ...] = (OutboxState.QUEUED, OutboxState.FAILED)
        else:
            discardable = (OutboxState.QUEUED, OutboxState.UNCONFIRMED, OutboxState.FAILED)
        marks = ", ".join("?" for _ in discardable)
        unsent = " AND maybe_sent = 0" if never_sent_only else ""
        with transaction(self._db):
            cursor = self._db.execute(
                f"DELETE FROM outbox WHERE id = ? AND state IN ({marks}){unsent}",
                (row_id, *(state.value for state in discardable)),
            )
        return cursor.rowcount == 1

    def due_now(self) -> int:
        """The user's "Send now": every row that waits on its own (`next_attempt_at`) is due
        at once; an unconfirmed one is still checked before anything is sent. Returns how many
        rows waited."""
        with transaction(self._db):
            cursor = self._db.execute(
                "UPDATE outbox SET next_attempt_at = NULL WHERE state IN (?, ?) "
                "AND next_attempt_at IS NOT NULL",
                (OutboxState.QUEUED.value, OutboxState.UNCONFIRMED.value),
            )
        return cursor.rowcount

    def _update(self, row_id: int, assignments: str, values: tuple[object, ...]) -> None:
        """One statement, so no BEGIN and COMMIT of its own: on this autocommit connection it
        is its own transaction, committed (fsync'd, synchronous=FULL) before `execute` returns,
        or, inside a `transaction()`, part of that one, as a nested `transaction()` would be."""
        self._db.execute(f"UPDATE outbox SET {assignments} WHERE id = ?", (*values, row_id))
