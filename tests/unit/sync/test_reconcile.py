"""Settling an unconfirmed send from a listing of its project's tasks: found by reference, absent
when a server that serves references lists none, and without references, only a task that is
new, unclaimed and exactly what was sent."""

from __future__ import annotations

from desktop.api.models import Task, TaskDraft
from desktop.store.outbox_row import OutboxRow, OutboxState
from desktop.sync.reconcile import Verdict, settle

PROJECT = 20
REFERENCE = "taskdesk:" + "ab" * 16


def row(
    reference: str | None = REFERENCE,
    known: frozenset[int] | None = None,
    *,
    user_checked: bool = False,
    estimate: int | None = 3600,
) -> OutboxRow:
    draft = TaskDraft("Write the report", True, estimate, None, reference)
    return OutboxRow(
        id=1, workspace_id=10, project_id=PROJECT, draft=draft, project_label="Website",
        state=OutboxState.UNCONFIRMED, reason=None, queued_at=0.0, attempts=1,
        last_attempt_at=0.0, remote_task_id=None, maybe_sent=True, known_task_ids=known,
        user_checked=user_checked,
    )  # fmt: skip


def task(
    task_id: int, reference: str | None = None, *, served: bool = True, **fields: object
) -> Task:
    made = Task(
        id=task_id, name="Write the report", estimated_seconds=3600, project_id=PROJECT,
        external_reference=reference, references_served=served,
    )  # fmt: skip
    return made.replace(**fields)


def test_the_task_carrying_the_rows_reference_is_its_task() -> None:
    listing = [task(5), task(9, REFERENCE), task(7, REFERENCE)]
    settled = settle(row(), listing, claimed=set())
    assert settled.verdict is Verdict.FOUND
    assert settled.task == listing[2]  # the first one Toggl made


def test_no_reference_on_a_server_that_serves_them_means_the_send_never_arrived() -> None:
    """Even a task the same in every field is someone else's: it has no or another reference."""
    listing = [task(5), task(6, "taskdesk:" + "cd" * 16)]
    assert settle(row(known=frozenset()), listing, claimed=set()).verdict is Verdict.ABSENT


def test_tasks_of_another_project_are_not_looked_at() -> None:
    listing = [task(9, REFERENCE, project_id=PROJECT + 1)]
    assert settle(row(), listing, claimed=set()).verdict is Verdict.ABSENT


def test_an_empty_project_means_absent_even_without_references() -> None:
    assert settle(row(known=None), [], claimed=set()).verdict is Verdict.ABSENT


def test_without_references_or_earlier_tasks_nothing_is_certain_until_the_user_says() -> None:
    listing = [task(5, served=False)]
    assert settle(row(known=None), listing, claimed=set()).verdict is Verdict.UNKNOWN
    checked = settle(row(known=None, user_checked=True), listing, claimed=set())
    assert checked.verdict is Verdict.ABSENT


def test_without_references_a_new_task_with_every_field_sent_is_adopted() -> None:
    listing = [task(5, served=False), task(8, served=False), task(6, served=False)]
    settled = settle(row(known=frozenset({5})), listing, claimed=set())
    assert settled.verdict is Verdict.FOUND
    assert settled.task == listing[2]


def test_without_references_a_task_that_existed_before_is_never_adopted() -> None:
    listing = [task(5, served=False)]
    assert settle(row(known=frozenset({5})), listing, claimed=set()).verdict is Verdict.ABSENT


def test_without_references_a_task_another_row_owns_is_never_adopted() -> None:
    listing = [task(6, served=False)]
    assert settle(row(known=frozenset()), listing, claimed={6}).verdict is Verdict.ABSENT


def test_without_references_a_task_that_differs_in_any_field_sent_is_not_adopted() -> None:
    for different in (
        task(6, served=False, name="Write the report!"),
        task(6, served=False, estimated_seconds=1800),
        task(6, served=False, active=False),
    ):
        settled = settle(row(known=frozenset()), [different], claimed=set())
        assert settled.verdict is Verdict.ABSENT, different


def test_an_estimate_not_sent_must_be_none_on_toggl_too() -> None:
    listing = [task(6, served=False, estimated_seconds=600)]
    settled = settle(row(known=frozenset(), estimate=None), listing, claimed=set())
    assert settled.verdict is Verdict.ABSENT


def test_a_row_without_a_reference_never_adopts_a_task_carrying_one() -> None:
    """An old row (queued before references) and a task some other client made with its own."""
    listing = [task(6, "elsewhere:1")]
    assert settle(row(None, frozenset()), listing, claimed=set()).verdict is Verdict.ABSENT
    assert settle(row(None, frozenset()), [task(6)], claimed=set()).verdict is Verdict.FOUND
