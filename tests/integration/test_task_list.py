"""A project's task list through the session (issue 13): shown from the cache with no
request, fetched whole the first time and by changes after, only when stale or asked; new
tasks queued in the outbox laid over it; the duplicate check; the Free plan."""

from __future__ import annotations

import json

from desktop.api.models import TaskDraft
from tests.fake_toggl import FakeToggl
from tests.task_rig import TaskRig


def task_requests(fake: FakeToggl) -> list[dict[str, str]]:
    return [r.query for r in fake.requests if r.path.endswith("/tasks") and r.method == "GET"]


def test_the_list_comes_from_the_cache_with_no_request(tasks: TaskRig) -> None:
    never = tasks.lines()
    assert never.lines == []
    assert never.fetched_at is None
    assert never.unavailable is None
    assert tasks.refresh(forced=False) is not None
    tasks.fake.reset_log()
    lines = tasks.lines()
    assert tasks.fake.requests == []
    (line,) = lines.lines
    assert (line.name, line.active, line.estimated_seconds, line.tracked_ms) == (
        "Existing task",
        True,
        7200,
        5_400_000,
    )
    assert line.user_name == "Fran Freelancer"
    assert line.state == "sent"
    assert line.task_id == tasks.fake.tasks_named("Existing task")[0]["id"]
    assert lines.fetched_at is not None


def test_a_first_fetch_lists_the_project_whole_one_request_per_page(tasks: TaskRig) -> None:
    tasks.fake.add_tasks(tasks.pid, 250)
    lines = tasks.refresh(forced=False)
    assert lines is not None
    assert len(lines.lines) == 251
    queries = task_requests(tasks.fake)
    assert len(queries) == 2  # 200 a page
    assert all("since" not in q and q["active"] == "both" for q in queries)


def test_a_refresh_by_changes_is_one_request_and_brings_the_changes(tasks: TaskRig) -> None:
    tasks.refresh()
    tasks.fake.reset_log()
    tasks.fake.add_task(tasks.pid, "Made in Toggl")
    lines = tasks.refresh()
    (query,) = task_requests(tasks.fake)
    assert "since" in query
    assert lines is not None
    assert sorted(line.name for line in lines.lines) == ["Existing task", "Made in Toggl"]


def test_a_fresh_copy_is_not_fetched_again_unless_stale_or_asked(tasks: TaskRig) -> None:
    tasks.refresh(forced=False)
    tasks.fake.reset_log()
    assert tasks.refresh(forced=False) is None
    assert tasks.fake.requests == []
    tasks.age_copy(31 * 60)
    assert tasks.refresh(forced=False) is not None
    (query,) = task_requests(tasks.fake)
    assert "since" in query  # stale, not old enough to be listed whole


def test_a_copy_not_listed_whole_for_hours_is_listed_whole_and_loses_deleted_tasks(
    tasks: TaskRig,
) -> None:
    tasks.fake.add_task(tasks.pid, "Deleted in Toggl")
    tasks.refresh()
    with tasks.fake.lock:
        tasks.fake.tasks[:] = [t for t in tasks.fake.tasks if t["name"] != "Deleted in Toggl"]
    tasks.age_copy(7 * 3600)
    tasks.fake.reset_log()
    lines = tasks.refresh(forced=False)
    (query,) = task_requests(tasks.fake)
    assert "since" not in query
    assert lines is not None
    assert [line.name for line in lines.lines] == ["Existing task"]


def test_a_queued_new_task_shows_pending_then_with_its_toggl_id(tasks: TaskRig) -> None:
    tasks.refresh()
    row = tasks.session.submit(tasks.wid, tasks.pid, TaskDraft("Brand new", user_id=None), "W")
    line = tasks.line("Brand new")
    assert (line.task_id, line.state, line.outbox_id) == (None, "pending", row.id)
    tasks.run(until=lambda: not tasks.session.outbox.pending_count())
    line = tasks.line("Brand new")
    assert line.task_id == tasks.fake.tasks_named("Brand new")[0]["id"]
    assert (line.state, line.outbox_id) == ("sent", None)


def test_a_step_says_which_project_list_changed(tasks: TaskRig) -> None:
    tasks.session.submit(tasks.wid, tasks.pid, TaskDraft("Created"), "W")
    result = tasks.session.step()
    assert result.created
    assert result.changed_projects == {(tasks.wid, tasks.pid)}


def test_likely_duplicate_matches_open_cached_or_queued_names_loosely(tasks: TaskRig) -> None:
    tasks.fake.add_task(tasks.pid, "Finished one", active=False)
    tasks.refresh()
    tasks.session.submit(tasks.wid, tasks.pid, TaskDraft("Queued   Here"), "W")
    fake_requests = len(tasks.fake.requests)
    dup = tasks.session.likely_duplicate
    assert dup(tasks.wid, tasks.pid, "  existing\tTASK ")
    assert dup(tasks.wid, tasks.pid, "queued here")
    assert not dup(tasks.wid, tasks.pid, "Finished one")  # done: not open
    assert not dup(tasks.wid, tasks.pid, "Existing tasks")
    assert not dup(tasks.wid, tasks.fake.project_id("Mobile App"), "Existing task")
    assert len(tasks.fake.requests) == fake_requests


def test_a_free_workspace_shows_why_and_sends_nothing_for_tasks(tasks: TaskRig) -> None:
    tasks.session.workspaces(force=True)
    free, blog = tasks.fake.free_workspace_id, tasks.fake.project_id("Blog")
    tasks.fake.reset_log()
    assert "paid Toggl plan" in (tasks.session.task_lines(free, blog).unavailable or "")
    assert tasks.session.refresh_tasks(free, blog, forced=True) is None
    assert tasks.fake.requests == []


def test_a_402_for_tasks_marks_the_workspace_as_without_tasks(tasks: TaskRig) -> None:
    tasks.fake.fail_next(402, '"Tasks are available only on paid plans."', path_contains="/tasks")
    lines = tasks.refresh()
    assert lines is not None
    assert "paid Toggl plan" in (lines.unavailable or "")
    tasks.fake.reset_log()
    assert tasks.refresh() is None
    assert tasks.fake.requests == []


def test_a_task_just_created_stays_listed_while_toggls_listing_lags(tasks: TaskRig) -> None:
    """Toggl's listings show a new task 2-5 s late: a whole listing taken meanwhile does not
    drop it from the list (a task missing for longer is gone from Toggl)."""
    tasks.fake.add_task(tasks.pid, "Deleted in Toggl")
    tasks.refresh()
    tasks.session.submit(tasks.wid, tasks.pid, TaskDraft("Just made"), "W")
    tasks.run(until=lambda: not tasks.session.outbox.pending_count())
    existing = [t for t in tasks.fake.tasks if t["name"] == "Existing task"]
    lagging = {"data": existing, "page": 1, "per_page": 200, "total_count": 1}
    tasks.fake.fail_next(200, json.dumps(lagging), method="GET", path_contains="/tasks")
    tasks.age_copy(7 * 3600)  # due for a whole listing
    lines = tasks.refresh()
    assert lines is not None
    assert sorted(line.name for line in lines.lines) == ["Existing task", "Just made"]


def test_a_plan_upgraded_after_a_402_for_tasks_has_tasks_again(tasks: TaskRig) -> None:
    tasks.fake.fail_next(402, '"Tasks are available only on paid plans."', path_contains="/tasks")
    tasks.refresh()
    assert tasks.lines().unavailable is not None
    tasks.session.workspaces(force=True)  # Toggl says the workspace is on a paid plan
    assert tasks.lines().unavailable is None
    assert tasks.refresh() is not None
