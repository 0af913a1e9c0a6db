"""The outbox on real SQLite files: rows survive reopening, a delivery commits with its cached
task, states and order, an interrupted send, and what may be edited or discarded."""

from __future__ import annotations

from contextlib import closing
from pathlib import Path

import pytest

from desktop.api.models import Task, TaskDraft
from desktop.store.cache import Cache
from desktop.store.database import (
    open_database,
)
from desktop.store.outbox import Outbox, RowBusyError, RowDeliveredError
from desktop.store.outbox_row import OutboxState


def test_outbox_round_trip_survives_reopening(data_dir: Path) -> None:
    with closing(open_database(data_dir)) as db:
        outbox = Outbox(db)
        draft = TaskDraft("Ünïcode 😀 task", active=False, estimated_seconds=5400, user_id=2**40)
        row = outbox.add(1001, 2**33, draft, "Website · Acme")
    with closing(open_database(data_dir)) as db:
        (again,) = Outbox(db).waiting()
    assert again == row
    assert again.draft.replace(external_reference=None) == draft
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


def test_a_delivered_row_refuses_an_edit_and_a_never_sent_discard_keeps_a_maybe_sent_row(
    data_dir: Path,
) -> None:
    with closing(open_database(data_dir)) as db:
        outbox = Outbox(db)
        row = outbox.add(1, 2, TaskDraft("sent"), "P")
        outbox.mark_sending(row.id)
        with pytest.raises(RowBusyError) as busy:
            outbox.requeue_edited(row.id, 1, 2, TaskDraft("late"), "P")
        assert not isinstance(busy.value, RowDeliveredError)
        assert busy.value.row.state is OutboxState.SENDING
        outbox.mark_unconfirmed(row.id, "The answer was lost.")
        assert not outbox.discard(row.id, never_sent_only=True)  # the user was told: not sent
        outbox.mark_failed(row.id, "Could not tell.", maybe_sent=True)
        assert not outbox.discard(row.id, never_sent_only=True)
        outbox.mark_done(row.id, 77)
        with pytest.raises(RowDeliveredError) as delivered:
            outbox.requeue_edited(row.id, 1, 2, TaskDraft("late"), "P")
        assert delivered.value.row.remote_task_id == 77
        assert outbox.get(row.id).draft.name == "sent"
        never_sent = outbox.add(1, 2, TaskDraft("waiting"), "P")
        assert outbox.discard(never_sent.id, never_sent_only=True)
        refused = outbox.add(1, 2, TaskDraft("refused"), "P")
        outbox.mark_failed(refused.id, "Invalid project_id")
        assert outbox.discard(refused.id, never_sent_only=True)


def test_due_now_ends_every_rows_own_wait(data_dir: Path) -> None:
    clock = [1000.0]
    with closing(open_database(data_dir)) as db:
        outbox = Outbox(db, lambda: clock[0])
        waiting = outbox.add(1, 2, TaskDraft("checked later"), "P")
        other = outbox.add(1, 2, TaskDraft("also later"), "P")
        for row in (waiting, other):
            outbox.mark_sending(row.id)
            outbox.postpone_check(row.id, "Toggl would not list the project.", 900)
        assert outbox.next_pending() is None
        assert outbox.next_wait() == 900
        assert outbox.due_now() == 2
        assert outbox.next_wait() is None
        due = outbox.next_pending()
        assert due is not None
        assert (due.id, due.state) == (waiting.id, OutboxState.UNCONFIRMED)  # checked, not sent
        assert outbox.due_now() == 0
