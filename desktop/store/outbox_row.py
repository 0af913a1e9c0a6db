"""An outbox row as the app reads it: its states, its columns, its own reference.

Apart from `desktop.store.outbox` (the table's operations) so that the window, the sync engine
and the command line can name rows and states without the SQL.
"""

from __future__ import annotations

import os
from enum import Enum
from typing import TypeAlias

from desktop.api.models import TaskDraft
from desktop.values import Value


class OutboxState(Enum):
    QUEUED = "queued"
    SENDING = "sending"
    UNCONFIRMED = "unconfirmed"
    DONE = "done"
    FAILED = "failed"


PENDING = (OutboxState.QUEUED, OutboxState.SENDING, OutboxState.UNCONFIRMED)
WAITING = (*PENDING, OutboxState.FAILED)


class OutboxRow(Value):
    _fields = (
        "id",
        "workspace_id",
        "project_id",
        "draft",
        "project_label",
        "state",
        "reason",
        "queued_at",
        "attempts",
        "last_attempt_at",
        "remote_task_id",
        "maybe_sent",
        "known_task_ids",
        "next_attempt_at",
        "user_checked",
    )
    __slots__ = _fields
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
    maybe_sent: bool
    """A request for it went out and no answer settled it: it may already be in Toggl."""
    known_task_ids: frozenset[int] | None
    """The project's task ids before its first attempt (kept only for a server that does not
    return references): a task among them can never be this row's."""
    next_attempt_at: float | None
    user_checked: bool
    """The user retried it after being told no listing could settle it: when the next listing
    cannot either, the user's word that it is not in Toggl decides."""

    def __init__(
        self,
        id: int,
        workspace_id: int,
        project_id: int,
        draft: TaskDraft,
        project_label: str,
        state: OutboxState,
        reason: str | None,
        queued_at: float,
        attempts: int,
        last_attempt_at: float | None,
        remote_task_id: int | None,
        maybe_sent: bool = False,
        known_task_ids: frozenset[int] | None = None,
        next_attempt_at: float | None = None,
        user_checked: bool = False,
    ) -> None:
        self.id, self.workspace_id, self.project_id = id, workspace_id, project_id
        self.draft, self.project_label, self.state = draft, project_label, state
        self.reason, self.queued_at, self.attempts = reason, queued_at, attempts
        self.last_attempt_at, self.remote_task_id = last_attempt_at, remote_task_id
        self.maybe_sent, self.known_task_ids = maybe_sent, known_task_ids
        self.next_attempt_at, self.user_checked = next_attempt_at, user_checked

    @property
    def external_reference(self) -> str | None:
        return self.draft.external_reference


REFERENCE_PREFIX = "taskdesk:"


def new_reference() -> str:
    """`taskdesk:` and 128 random bits: unique to one outbox row, wherever it is sent from."""
    return REFERENCE_PREFIX + os.urandom(16).hex()  # secrets.token_hex, without its imports


COLUMNS = (
    "id, workspace_id, project_id, name, active, estimated_seconds, user_id, project_label, "
    "state, reason, queued_at, attempts, last_attempt_at, remote_task_id, external_reference, "
    "maybe_sent, known_task_ids, next_attempt_at, user_checked"
)


Columns: TypeAlias = tuple[
    int,  # id
    int,  # workspace_id
    int,  # project_id
    str,  # name
    int,  # active
    int | None,  # estimated_seconds
    int | None,  # user_id
    str,  # project_label
    str,  # state
    str | None,  # reason
    float,  # queued_at
    int,  # attempts
    float | None,  # last_attempt_at
    int | None,  # remote_task_id
    str | None,  # external_reference
    int,  # maybe_sent
    str | None,  # known_task_ids
    float | None,  # next_attempt_at
    int,  # user_checked
]
"""The values of `COLUMNS` as SQLite returns them (its REAL and INTEGER columns, NULL as None)."""


def row_from(values: Columns) -> OutboxRow:
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
        reference,
        maybe_sent,
        known,
        next_attempt_at,
        user_checked,
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
            external_reference=None if reference is None else str(reference),
        ),
        project_label=str(label),
        state=OutboxState(state),
        reason=None if reason is None else str(reason),
        queued_at=float(queued_at),
        attempts=int(attempts),
        last_attempt_at=None if last_attempt_at is None else float(last_attempt_at),
        remote_task_id=None if remote_id is None else int(remote_id),
        maybe_sent=bool(maybe_sent),
        known_task_ids=None if known is None else _parse_known(str(known)),
        next_attempt_at=None if next_attempt_at is None else float(next_attempt_at),
        user_checked=bool(user_checked),
    )


def task_values(
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


def known_json(known: frozenset[int] | None) -> str | None:
    import json  # rows rarely hold these (a server that drops references): json loads then

    return None if known is None else json.dumps(sorted(known))


def _parse_known(text: str) -> frozenset[int]:
    import json

    return frozenset(int(i) for i in json.loads(text))


def state_after_retry(row: OutboxRow) -> OutboxState:
    """A refused row goes back to the queue; one that may be in Toggl is checked first."""
    return OutboxState.UNCONFIRMED if row.maybe_sent else OutboxState.QUEUED


def may_be_in_toggl(row: OutboxRow) -> bool:
    """A request for it left and no answer settled it: Toggl may have stored it."""
    return row.state is OutboxState.UNCONFIRMED or row.maybe_sent
