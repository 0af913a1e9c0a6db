"""An outbox row as the app reads it: every column back from SQLite's plain values, the user's
fields in the order the table takes them, its own reference, and the state a retry leads to."""

from __future__ import annotations

import json

import pytest

from desktop.api.models import TaskDraft
from desktop.store.outbox_row import (
    COLUMNS,
    PENDING,
    REFERENCE_PREFIX,
    WAITING,
    OutboxState,
    known_json,
    new_reference,
    row_from,
    state_after_retry,
    task_values,
)

COLUMN_NAMES = [name.strip() for name in COLUMNS.split(",")]


def values(**overrides: object) -> tuple[object, ...]:
    """A row as SQLite hands it back: integers for booleans, JSON text for the known ids."""
    plain: dict[str, object] = {
        "id": 7, "workspace_id": 1001, "project_id": 2**40, "name": "Write \u202e report",
        "active": 0, "estimated_seconds": 5400, "user_id": 33, "project_label": "Web · Acme",
        "state": "unconfirmed", "reason": "Toggl did not answer", "queued_at": 1.5, "attempts": 2,
        "last_attempt_at": 9, "remote_task_id": None, "external_reference": "taskdesk:ab",
        "maybe_sent": 1, "known_task_ids": "[3, 1, 2]", "next_attempt_at": None,
        "user_checked": 0,
    }  # fmt: skip
    plain.update(overrides)
    assert list(plain) == COLUMN_NAMES  # the same order as the SELECT
    return tuple(plain.values())


def test_a_row_reads_every_column_into_its_type() -> None:
    row = row_from(values())
    assert (row.id, row.workspace_id, row.project_id) == (7, 1001, 2**40)
    assert row.draft == TaskDraft("Write \u202e report", False, 5400, 33, "taskdesk:ab")
    assert row.external_reference == "taskdesk:ab"
    assert (row.project_label, row.state, row.reason) == (
        "Web · Acme", OutboxState.UNCONFIRMED, "Toggl did not answer",
    )  # fmt: skip
    assert (row.queued_at, row.attempts, row.last_attempt_at) == (1.5, 2, 9.0)
    assert isinstance(row.last_attempt_at, float)
    assert (row.maybe_sent, row.user_checked) == (True, False)
    assert row.known_task_ids == frozenset({1, 2, 3})
    assert (row.remote_task_id, row.next_attempt_at) == (None, None)


def test_absent_values_stay_absent() -> None:
    row = row_from(values(
        estimated_seconds=None, user_id=None, reason=None, last_attempt_at=None,
        external_reference=None, known_task_ids=None, remote_task_id=555, next_attempt_at=60,
    ))  # fmt: skip
    assert (row.draft.estimated_seconds, row.draft.user_id, row.reason) == (None, None, None)
    assert (row.last_attempt_at, row.external_reference, row.known_task_ids) == (None, None, None)
    assert (row.remote_task_id, row.next_attempt_at) == (555, 60.0)


def test_an_empty_list_of_known_tasks_is_not_the_same_as_none() -> None:
    """An empty project before the first send can still settle a send; None cannot."""
    assert row_from(values(known_task_ids="[]")).known_task_ids == frozenset()
    assert known_json(frozenset()) == "[]"
    assert known_json(None) is None


def test_known_ids_are_written_sorted_and_read_back_the_same() -> None:
    known = frozenset({2**40, 5, 17})
    text = known_json(known)
    assert text == json.dumps([5, 17, 2**40])
    assert row_from(values(known_task_ids=text)).known_task_ids == known


def test_the_users_fields_come_in_the_tables_column_order() -> None:
    draft = TaskDraft("Name", active=False, estimated_seconds=60, user_id=9)
    given = task_values(1, 2, draft, "Label")
    assert dict(zip(COLUMN_NAMES[1:8], given, strict=True)) == {
        "workspace_id": 1, "project_id": 2, "name": "Name", "active": 0,
        "estimated_seconds": 60, "user_id": 9, "project_label": "Label",
    }  # fmt: skip


def test_every_reference_is_the_apps_own_and_never_repeats() -> None:
    references = {new_reference() for _ in range(1000)}
    assert len(references) == 1000
    for reference in references:
        assert reference.startswith(REFERENCE_PREFIX)
        int(reference.removeprefix(REFERENCE_PREFIX), 16)
        assert len(reference) == len(REFERENCE_PREFIX) + 32


@pytest.mark.parametrize(
    ("maybe_sent", "state"), [(True, OutboxState.UNCONFIRMED), (False, OutboxState.QUEUED)]
)
def test_a_retried_row_that_may_be_in_toggl_is_checked_first(
    maybe_sent: bool, state: OutboxState
) -> None:
    row = row_from(values(state="failed", maybe_sent=int(maybe_sent)))
    assert state_after_retry(row) is state


def test_pending_rows_are_those_still_to_deliver_and_waiting_adds_the_refused() -> None:
    assert set(PENDING) == {OutboxState.QUEUED, OutboxState.SENDING, OutboxState.UNCONFIRMED}
    assert set(WAITING) - set(PENDING) == {OutboxState.FAILED}
    assert OutboxState.DONE not in WAITING
