"""Changes to tasks in Toggl through the outbox (issue 13): done, reopen, edit, delete; each
online, offline then online, and refused; the bulk PATCH and its fallback; exactly once when
an answer is lost or the app stops between the send and the record."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.api.models import TaskDraft
from desktop.store.task_changes import ChangeState
from desktop.sync.outcomes import Connection
from tests.fake_toggl import FakeToggl
from tests.task_rig import TaskRig, open_rig


def open_tasks(tasks: TaskRig, count: int) -> list[int]:
    return [int(tasks.fake.add_task(tasks.pid, f"Open {n}")["id"]) for n in range(count)]


def settled(tasks: TaskRig) -> bool:
    return not tasks.session.task_changes.pending() and not tasks.session.outbox.pending_count()


def test_marking_done_shows_pending_at_once_then_goes_as_one_put(tasks: TaskRig) -> None:
    tasks.refresh()
    task_id = tasks.existing_id()
    tasks.fake.reset_log()
    lines = tasks.change([task_id], active=False)
    (line,) = lines.lines
    assert (line.active, line.state) == (False, "pending")
    assert tasks.fake.requests == []  # queued, not sent by the session itself
    tasks.run(until=lambda: settled(tasks))
    assert tasks.count("PUT") == 1
    assert tasks.toggl_task(task_id)["active"] is False
    assert tasks.toggl_task(task_id)["name"] == "Existing task"
    (line,) = tasks.lines().lines
    assert (line.active, line.state, line.name) == (False, "sent", "Existing task")


def test_reopen_and_an_edit_of_name_estimate_and_assignee(tasks: TaskRig) -> None:
    done = int(tasks.fake.add_task(tasks.pid, "Was done", active=False)["id"])
    tasks.refresh()
    task_id = tasks.existing_id()
    tasks.change([done], active=True)
    lines = tasks.change([task_id], name="Renamed here", estimated_seconds=0, clear_assignee=True)
    line = next(line for line in lines.lines if line.task_id == task_id)
    assert (line.name, line.estimated_seconds, line.user_id) == ("Renamed here", None, None)
    tasks.run(until=lambda: settled(tasks))
    assert tasks.toggl_task(done)["active"] is True
    edited = tasks.toggl_task(task_id)
    assert (edited["name"], edited["estimated_seconds"], edited["user_id"]) == (
        "Renamed here",
        0,
        None,
    )
    assert tasks.line("Renamed here").state == "sent"


def test_an_assignee_set_shows_their_name(tasks: TaskRig) -> None:
    tasks.session.workspace_lists(tasks.wid, force=True)
    tasks.refresh()
    sam = 9_000_000_002
    lines = tasks.change([tasks.existing_id()], user_id=sam)
    assert lines.lines[0].user_name == "Sam Designer"
    tasks.run(until=lambda: settled(tasks))
    assert tasks.toggl_task(tasks.existing_id())["user_id"] == sam
    assert tasks.line("Existing task").user_name == "Sam Designer"


def test_a_change_made_offline_goes_when_back_after_one_listing(tasks: TaskRig) -> None:
    tasks.refresh()
    task_id = tasks.existing_id()
    tasks.offline()
    tasks.change([task_id], active=False)
    tasks.run(steps=3)
    assert tasks.session.engine.connection is Connection.OFFLINE
    assert tasks.line("Existing task").state == "pending"
    tasks.fake.reset_log()
    tasks.online()
    tasks.run(until=lambda: settled(tasks))
    assert [(r.method, "since" in r.query) for r in tasks.fake.requests] == [
        ("GET", True),
        ("PUT", False),
    ]
    assert tasks.toggl_task(task_id)["active"] is False


def test_a_second_change_merges_into_the_waiting_one(tasks: TaskRig) -> None:
    tasks.refresh()
    task_id = tasks.existing_id()
    tasks.offline()
    tasks.change([task_id], name="First")
    tasks.run(steps=2)
    tasks.change([task_id], name="Second", active=False)
    (change,) = tasks.session.task_changes.all()
    assert change.fields == {"name": "Second", "active": False}
    assert change.base == {"name": "Existing task", "active": True}
    tasks.change([task_id], active=True)  # back to what Toggl has: nothing to send for it
    (change,) = tasks.session.task_changes.all()
    assert change.fields == {"name": "Second"}
    tasks.online()
    tasks.run(until=lambda: settled(tasks))
    assert tasks.count("PUT") == 1
    assert (tasks.toggl_task(task_id)["name"], tasks.toggl_task(task_id)["active"]) == (
        "Second",
        True,
    )


def test_a_refused_change_is_parked_with_toggls_reason_and_toggls_values(
    tasks: TaskRig,
) -> None:
    tasks.refresh()
    task_id = tasks.existing_id()
    tasks.change([task_id], name="   ")
    tasks.run(until=lambda: settled(tasks))
    (line,) = tasks.lines().lines
    assert (line.state, line.name) == ("parked", "Existing task")
    assert "Name can't be blank" in (line.note or "")
    assert tasks.toggl_task(task_id)["name"] == "Existing task"
    # taking Toggl's side discards it; a new change replaces a parked one
    tasks.session.settle_conflict(tasks.wid, tasks.pid, task_id, keep_mine=False)
    assert tasks.line("Existing task").state == "sent"


def test_a_step_that_sends_or_parks_a_change_names_its_project(tasks: TaskRig) -> None:
    tasks.refresh()
    tasks.change([tasks.existing_id()], active=False)
    tasks.clock.advance(5)
    result = tasks.session.step()
    assert result.changed_projects == {(tasks.wid, tasks.pid)}
    tasks.fake.fail_next(403, '"User does not have access to this resource."', method="PUT")
    tasks.change([tasks.existing_id()], active=True)
    tasks.clock.advance(5)
    result = tasks.session.step()
    assert result.changed_projects == {(tasks.wid, tasks.pid)}
    assert [task_id for task_id, _ in result.changes_parked] == [tasks.existing_id()]


def test_deleting_a_task_hides_it_at_once_then_deletes_it_in_toggl(tasks: TaskRig) -> None:
    tasks.refresh()
    task_id = tasks.existing_id()
    assert tasks.session.delete_tasks(tasks.wid, tasks.pid, [task_id]).lines == []
    tasks.run(until=lambda: settled(tasks))
    assert tasks.count("DELETE") == 1
    assert not tasks.fake.tasks_named("Existing task")
    assert tasks.lines().lines == []
    assert tasks.session.task_changes.all() == []


def test_deleting_a_task_already_gone_from_toggl_counts_as_done(tasks: TaskRig) -> None:
    tasks.refresh()
    task_id = tasks.existing_id()
    with tasks.fake.lock:
        tasks.fake.tasks[:] = [t for t in tasks.fake.tasks if t["id"] != task_id]
    tasks.session.delete_tasks(tasks.wid, tasks.pid, [task_id])
    tasks.run(until=lambda: settled(tasks))
    assert tasks.session.task_changes.all() == []
    assert tasks.lines().lines == []


def test_deleting_a_task_only_queued_for_creation_discards_it(tasks: TaskRig) -> None:
    tasks.offline()
    row = tasks.session.submit(tasks.wid, tasks.pid, TaskDraft("Never mind"), "W")
    lines = tasks.session.delete_tasks(tasks.wid, tasks.pid, [], outbox_ids=[row.id])
    assert [line.name for line in lines.lines] == []
    tasks.online()
    tasks.run(until=lambda: settled(tasks))
    assert not tasks.fake.tasks_named("Never mind")
    assert tasks.count("POST") == 0


def test_a_delete_made_offline_goes_when_back(tasks: TaskRig) -> None:
    tasks.refresh()
    task_id = tasks.existing_id()
    tasks.offline()
    tasks.session.delete_tasks(tasks.wid, tasks.pid, [task_id])
    tasks.run(steps=3)
    assert tasks.fake.tasks_named("Existing task")
    tasks.online()
    tasks.run(until=lambda: settled(tasks))
    assert not tasks.fake.tasks_named("Existing task")


def test_a_refused_delete_brings_the_task_back_parked(tasks: TaskRig) -> None:
    tasks.refresh()
    tasks.fake.fail_next(403, '"User does not have access to this resource."', method="DELETE")
    tasks.session.delete_tasks(tasks.wid, tasks.pid, [tasks.existing_id()])
    tasks.run(until=lambda: settled(tasks))
    line = tasks.line("Existing task")
    assert line.state == "parked"
    assert "does not have access" in (line.note or "")


def test_marking_ten_tasks_done_is_one_bulk_patch(tasks: TaskRig) -> None:
    ids = open_tasks(tasks, 10)
    tasks.refresh()
    tasks.fake.reset_log()
    tasks.change(ids, active=False)
    tasks.run(until=lambda: settled(tasks))
    assert (tasks.count("PATCH"), tasks.count("PUT"), len(tasks.fake.requests)) == (1, 0, 1)
    assert all(tasks.toggl_task(i)["active"] is False for i in ids)
    shown = {line.task_id: line for line in tasks.lines().lines}
    assert all(shown[i].active is False and shown[i].state == "sent" for i in ids)


def test_a_refused_bulk_patch_falls_back_to_one_put_each(tasks: TaskRig) -> None:
    ids = open_tasks(tasks, 10)
    tasks.refresh()
    tasks.fake.reset_log()
    tasks.fake.fail_next(405, '"Method Not Allowed"', method="PATCH")
    tasks.change(ids, active=False)
    tasks.run(until=lambda: settled(tasks))
    assert (tasks.count("PATCH"), tasks.count("PUT")) == (1, 10)
    assert all(tasks.toggl_task(i)["active"] is False for i in ids)


def test_a_bulk_patch_parks_the_tasks_toggl_could_not_change(tasks: TaskRig) -> None:
    ids = open_tasks(tasks, 3)
    tasks.refresh()
    with tasks.fake.lock:
        tasks.fake.tasks[:] = [t for t in tasks.fake.tasks if t["id"] != ids[1]]
    tasks.change(ids, active=False)
    tasks.run(until=lambda: settled(tasks))
    assert tasks.count("PATCH") == 1
    shown = {line.task_id: line for line in tasks.lines().lines}
    assert shown[ids[0]].state == "sent"
    assert shown[ids[1]].state == "parked"
    assert "Task not found" in (shown[ids[1]].note or "")


def test_a_lost_answer_is_checked_by_a_listing_and_never_sent_twice(tasks: TaskRig) -> None:
    tasks.refresh()
    task_id = tasks.existing_id()
    tasks.fake.drop_next("after_store", method="PUT")
    tasks.change([task_id], active=False)
    tasks.run(until=lambda: settled(tasks))
    assert tasks.count("PUT") == 1
    assert tasks.toggl_task(task_id)["active"] is False
    assert tasks.line("Existing task").state == "sent"


def test_a_stop_between_the_send_and_its_record_sends_nothing_again(
    fake: FakeToggl, data_dir: Path, tasks: TaskRig
) -> None:
    tasks.refresh()
    task_id = tasks.existing_id()
    tasks.change([task_id], active=False, name="Sent once")
    queue = tasks.session.task_changes
    (change,) = queue.all()
    # What the engine does before the request, then the request, then the app stops.
    from dataclasses import replace

    queue.save(replace(change, state=ChangeState.SENDING, sent=dict(change.fields)))
    tasks.toggl_edit(task_id, active=False, name="Sent once")
    tasks.session.close()
    again = open_rig(fake, data_dir)
    try:
        fake.reset_log()
        again.run(until=lambda: settled(again))
        assert fake.count("PUT") == 0
        assert again.session.task_changes.all() == []
        assert again.line("Sent once").state == "sent"
    finally:
        again.session.close()


def test_a_rate_limit_or_server_error_keeps_the_change_and_sends_it_once_later(
    tasks: TaskRig,
) -> None:
    tasks.refresh()
    task_id = tasks.existing_id()
    tasks.fake.fail_next(429, '"Too many requests"', method="PUT")
    tasks.change([task_id], active=False)
    tasks.run(steps=1)
    assert tasks.line("Existing task").state == "pending"
    tasks.run(until=lambda: settled(tasks))
    assert tasks.toggl_task(task_id)["active"] is False
    assert tasks.count("PUT") == 2  # the first refused before it was applied


def test_a_spent_quota_waits_for_its_reset(tasks: TaskRig) -> None:
    tasks.refresh()
    task_id = tasks.existing_id()
    tasks.fake.fail_next(
        402,
        '"You have hit your hourly limit for API calls. The quota will reset in 60 seconds."',
        headers={"X-Toggl-Quota-Remaining": "0", "X-Toggl-Quota-Resets-In": "60"},
        method="PUT",
    )
    tasks.change([task_id], active=False)
    tasks.clock.advance(5)
    result = tasks.session.step()
    assert [t for t, _ in result.changes_deferred] == [task_id]
    assert result.delay is not None
    assert result.delay > 55
    assert tasks.session.engine.status().quota_until is not None
    assert tasks.line("Existing task").state == "pending"
    assert tasks.session.step().delay == pytest.approx(result.delay)  # nothing sent meanwhile
    assert tasks.count("PUT") == 1


def test_a_refused_change_kept_by_the_user_is_sent_again(tasks: TaskRig) -> None:
    tasks.refresh()
    task_id = tasks.existing_id()
    tasks.fake.fail_next(403, '"User does not have access to this resource."', method="PUT")
    tasks.change([task_id], active=False)
    tasks.run(until=lambda: settled(tasks))
    assert tasks.line("Existing task").state == "parked"
    lines = tasks.session.settle_conflict(tasks.wid, tasks.pid, task_id, keep_mine=True)
    assert lines.lines[0].state == "pending"
    tasks.run(until=lambda: settled(tasks))
    assert tasks.toggl_task(task_id)["active"] is False
    assert tasks.line("Existing task").state == "sent"


def test_a_change_queued_while_known_offline_is_checked_by_a_listing_first(
    tasks: TaskRig,
) -> None:
    tasks.refresh()
    task_id = tasks.existing_id()
    tasks.offline()
    tasks.session.submit(tasks.wid, tasks.pid, TaskDraft("Made offline"), "W")
    tasks.run(steps=2)  # the engine finds Toggl out of reach on the new task
    tasks.change([task_id], name="Mine")
    tasks.toggl_edit(task_id, name="Theirs")
    tasks.online()
    tasks.run(until=lambda: settled(tasks))
    assert tasks.count("PUT") == 0
    assert tasks.line("Mine").state == "conflict"
    assert tasks.fake.tasks_named("Made offline")
