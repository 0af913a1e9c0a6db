"""The field-level merge, rule by rule (desktop.sync.task_merge), on a real SQLite file."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from desktop.api.models import Task
from desktop.store.database import open_database
from desktop.store.task_changes import ChangeState, TaskChange, TaskChangeQueue
from desktop.sync.task_merge import checked, conflict_note, queue_change, queue_delete, settle

TASK = Task(id=7, name="Plan", active=True, estimated_seconds=None, user_id=None, project_id=2)


@pytest.fixture
def queue(data_dir: Path) -> Iterator[TaskChangeQueue]:
    with closing(open_database(data_dir)) as db:
        yield TaskChangeQueue(lambda: db)


def change(**fields: object) -> TaskChange:
    base = {"name": "Plan", "active": True, "estimated_seconds": 0, "user_id": None}
    return TaskChange(
        1, 1, 2, 7, delete=False, fields=dict(fields), base={k: base[k] for k in fields}
    )


def test_a_field_toggl_changed_that_i_did_not_touch_is_kept() -> None:
    now = checked(change(active=False), Task(id=7, name="Renamed", active=True))
    assert now is not None
    assert (now.fields, now.held) == ({"active": False}, frozenset())


def test_the_same_field_changed_on_both_sides_is_held() -> None:
    now = checked(change(name="Mine", active=False), Task(id=7, name="Theirs"))
    assert now is not None
    assert now.held == {"name"}
    assert now.sendable == {"active": False}


def test_toggl_holding_my_value_leaves_nothing_to_send() -> None:
    assert checked(change(name="Mine"), Task(id=7, name="Mine")) is None


def test_a_value_of_mine_that_may_have_arrived_is_not_a_conflict() -> None:
    sent_before = TaskChange(
        1, 1, 2, 7, False, fields={"name": "Second"}, base={"name": "Plan"}, sent={"name": "First"}
    )
    now = checked(sent_before, Task(id=7, name="First"))
    assert now is not None
    assert now.held == frozenset()


def test_a_second_change_merges_and_keeps_the_first_base(queue: TaskChangeQueue) -> None:
    queue_change(queue, 1, 2, TASK, {"name": "A"})
    queue_change(queue, 1, 2, Task(id=7, name="Plan", project_id=2), {"name": "B", "active": False})
    (row,) = queue.all()
    assert row.fields == {"name": "B", "active": False}
    assert row.base == {"name": "Plan", "active": True}


def test_setting_a_field_back_to_toggls_value_drops_it(queue: TaskChangeQueue) -> None:
    queue_change(queue, 1, 2, TASK, {"active": False})
    queue_change(queue, 1, 2, TASK, {"active": True})
    assert queue.all() == []


def test_a_deletion_replaces_a_waiting_change_and_wins_over_later_ones(
    queue: TaskChangeQueue,
) -> None:
    queue_change(queue, 1, 2, TASK, {"name": "A"})
    queue_delete(queue, 1, 2, 7)
    queue_change(queue, 1, 2, TASK, {"name": "B"})
    (row,) = queue.all()
    assert (row.delete, row.fields) == (True, {})


def test_keep_mine_takes_toggls_value_as_the_new_base(queue: TaskChangeQueue) -> None:
    queue_change(queue, 1, 2, TASK, {"name": "Mine"})
    (row,) = queue.all()
    held = checked(row, Task(id=7, name="Theirs"))
    assert held is not None
    queue.save(held)
    settle(queue, held, Task(id=7, name="Theirs"), keep_mine=True)
    (row,) = queue.all()
    assert (row.held, row.base, row.fields) == (frozenset(), {"name": "Theirs"}, {"name": "Mine"})


def test_a_crash_mid_send_leaves_the_row_to_be_checked_first(queue: TaskChangeQueue) -> None:
    from dataclasses import replace

    queue_change(queue, 1, 2, TASK, {"active": False})
    (row,) = queue.all()
    queue.save(replace(row, state=ChangeState.SENDING))
    assert queue.recover_interrupted() == 1
    (row,) = queue.all()
    assert (row.state, row.recheck) == (ChangeState.QUEUED, True)


def test_the_conflict_note_names_the_fields_in_one_sentence() -> None:
    assert conflict_note(frozenset({"name"})).startswith("The name was also changed in Toggl")
    assert conflict_note(frozenset({"user_id", "name", "estimated_seconds"})).startswith(
        "The name, estimate and assignee were also changed"
    )


def test_a_task_a_listing_lacks_is_not_taken_for_deleted(
    queue: TaskChangeQueue, data_dir: Path
) -> None:
    """Found by the stateful test: a task created seconds ago is not in listings yet; its
    deletion (or change) must still go, its 404 saying if it is really gone."""
    from dataclasses import replace

    from desktop.store.cache import Cache
    from desktop.sync.task_merge import recheck_project

    queue_delete(queue, 1, 2, 7)
    (row,) = queue.all()
    queue.save(replace(row, recheck=True))
    with closing(open_database(data_dir)) as db:
        recheck_project(Cache(db), queue, 2)
    (row,) = queue.all()
    assert (row.delete, row.recheck) == (True, False)


def test_which_listing_a_project_needs() -> None:
    from desktop.store.cache import TaskListState
    from desktop.sync.task_refresh import listing_due

    now = 100_000.0
    assert listing_due(TaskListState(None, None, None), now, forced=False) == "whole"
    fresh = TaskListState(now - 60, int(now - 120), now - 60)
    assert listing_due(fresh, now, forced=False) is None
    assert listing_due(fresh, now, forced=True) == "since"
    stale = TaskListState(now - 1900, int(now - 1960), now - 1900)
    assert listing_due(stale, now, forced=False) == "since"
    assert listing_due(stale, now, forced=True) == "whole"  # F5, listed whole 30 min ago
    old = TaskListState(now - 1900, int(now - 1960), now - 7 * 3600)
    assert listing_due(old, now, forced=False) == "whole"
    unknown_clock = TaskListState(now - 60, None, now - 60)
    assert listing_due(unknown_clock, now, forced=False) is None
    assert listing_due(unknown_clock, now, forced=True) == "whole"
