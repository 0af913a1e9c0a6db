"""The field-level merge of changes to tasks (issue 13): a change carries only what the user
touched, so what Toggl changed meanwhile survives; the same field changed on both sides is a
conflict the user settles, and nothing is overwritten silently."""

from __future__ import annotations

from tests.task_rig import TaskRig


def settled(tasks: TaskRig) -> bool:
    return not tasks.session.task_changes.pending()


def offline_change_then_toggl_edit(
    tasks: TaskRig, mine: dict[str, object], **theirs: object
) -> int:
    tasks.refresh()
    task_id = tasks.existing_id()
    tasks.offline()
    tasks.change([task_id], **mine)
    tasks.run(steps=2)  # the engine finds Toggl out of reach
    tasks.toggl_edit(task_id, **theirs)
    tasks.fake.reset_log()
    tasks.online()
    tasks.run(until=lambda: settled(tasks))
    return task_id


def test_renamed_in_toggl_and_marked_done_here_ends_done_with_toggls_name(tasks: TaskRig) -> None:
    task_id = offline_change_then_toggl_edit(tasks, {"active": False}, name="Renamed in Toggl")
    toggl = tasks.toggl_task(task_id)
    assert (toggl["name"], toggl["active"]) == ("Renamed in Toggl", False)
    (put,) = [r for r in tasks.fake.requests if r.method == "PUT"]
    assert put.body == {"active": False}
    (line,) = tasks.lines().lines
    assert (line.name, line.active, line.state) == ("Renamed in Toggl", False, "sent")


def test_the_same_field_changed_on_both_sides_is_a_conflict_not_sent(tasks: TaskRig) -> None:
    task_id = offline_change_then_toggl_edit(tasks, {"name": "Mine"}, name="Theirs")
    assert tasks.count("PUT") == 0
    (line,) = tasks.lines().lines
    assert line.state == "conflict"
    assert line.name == "Mine"
    assert line.note is not None
    assert "name" in line.note
    assert tasks.toggl_task(task_id)["name"] == "Theirs"


def test_a_conflict_kept_mine_is_sent_over_toggls(tasks: TaskRig) -> None:
    task_id = offline_change_then_toggl_edit(tasks, {"name": "Mine"}, name="Theirs")
    lines = tasks.session.settle_conflict(tasks.wid, tasks.pid, task_id, keep_mine=True)
    assert lines.lines[0].state == "pending"
    tasks.run(until=lambda: settled(tasks))
    assert tasks.toggl_task(task_id)["name"] == "Mine"
    assert tasks.line("Mine").state == "sent"


def test_a_conflict_taken_from_toggl_drops_mine_and_sends_nothing(tasks: TaskRig) -> None:
    task_id = offline_change_then_toggl_edit(tasks, {"name": "Mine"}, name="Theirs")
    lines = tasks.session.settle_conflict(tasks.wid, tasks.pid, task_id, keep_mine=False)
    (line,) = lines.lines
    assert (line.name, line.state) == ("Theirs", "sent")
    tasks.run(until=lambda: settled(tasks))
    assert tasks.count("PUT") == 0
    assert tasks.session.task_changes.all() == []


def test_the_other_fields_of_a_change_in_conflict_still_go(tasks: TaskRig) -> None:
    task_id = offline_change_then_toggl_edit(
        tasks, {"name": "Mine", "active": False}, name="Theirs"
    )
    (put,) = [r for r in tasks.fake.requests if r.method == "PUT"]
    assert put.body == {"active": False}
    assert tasks.toggl_task(task_id)["active"] is False
    (line,) = tasks.lines().lines
    assert (line.state, line.name, line.active) == ("conflict", "Mine", False)


def test_toggl_already_holding_my_value_is_no_conflict_and_no_request(tasks: TaskRig) -> None:
    task_id = offline_change_then_toggl_edit(tasks, {"name": "Same"}, name="Same")
    assert tasks.count("PUT") == 0
    assert tasks.line("Same").state == "sent"
    assert tasks.toggl_task(task_id)["name"] == "Same"


def test_a_change_into_a_stale_copy_lists_the_project_first(tasks: TaskRig) -> None:
    tasks.refresh()
    task_id = tasks.existing_id()
    tasks.age_copy(31 * 60)
    tasks.change([task_id], name="Mine")
    tasks.toggl_edit(task_id, name="Theirs")
    tasks.fake.reset_log()
    tasks.run(until=lambda: settled(tasks))
    assert [r.method for r in tasks.fake.requests] == ["GET"]
    assert tasks.line("Mine").state == "conflict"


def test_a_fresh_copy_spends_no_request_to_look_for_conflicts(tasks: TaskRig) -> None:
    tasks.refresh()
    tasks.fake.reset_log()
    tasks.change([tasks.existing_id()], estimated_seconds=3600)
    tasks.run(until=lambda: settled(tasks))
    assert [r.method for r in tasks.fake.requests] == ["PUT"]


def test_a_refresh_by_the_user_also_finds_the_conflict(tasks: TaskRig) -> None:
    tasks.refresh()
    task_id = tasks.existing_id()
    tasks.offline()
    tasks.change([task_id], estimated_seconds=600)
    tasks.run(steps=2)
    tasks.online()
    tasks.toggl_edit(task_id, estimated_seconds=1200)
    lines = tasks.refresh()
    assert lines is not None
    (line,) = lines.lines
    assert line.state == "conflict"
    assert line.note is not None
    assert "estimate" in line.note
