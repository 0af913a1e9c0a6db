"""`TaskDesk tasks`, `done`, `reopen`, `edit` and `delete` (issue 13), in-process against the
fake Toggl: the list from the cache or fetched, each change through the outbox, offline and
refused, with the exit codes of `add`."""

from __future__ import annotations

from collections.abc import Callable

from desktop.cli.exit_codes import EX_FAILED, EX_OK, EX_USAGE
from tests.cli_rig import Ran
from tests.fake_toggl import FakeToggl

Cli = Callable[..., Ran]
WEBSITE = "Website Redesign"


def existing(fake: FakeToggl) -> int:
    return int(fake.tasks_named("Existing task")[0]["id"])


def toggl(fake: FakeToggl, task_id: int) -> dict[str, object]:
    (task,) = [dict(t) for t in fake.tasks if t["id"] == task_id]
    return task


def test_tasks_lists_open_ones_first_fetched_once_then_from_the_cache(
    cli: Cli, fake: FakeToggl
) -> None:
    fake.add_task(fake.project_id(WEBSITE), "Task 10")
    fake.add_task(fake.project_id(WEBSITE), "Task 9")
    fake.add_task(fake.project_id(WEBSITE), "Finished", active=False)
    ran = cli("tasks", "--project", "website")
    assert ran.code == EX_OK, ran.err
    names = [line.split("  ")[1].split(" · ")[0] for line in ran.out.splitlines()]
    assert names == ["Existing task", "Task 9", "Task 10"]
    assert "1:30 of 2:00" in ran.out
    assert "Fran Freelancer" in ran.out
    fake.reset_log()
    ran = cli("tasks", "--project", "website", "--all", "--json")
    assert ran.code == EX_OK
    assert fake.count(path_contains="/tasks") == 0  # fresh: from the cache
    tasks = ran.json()["tasks"]
    assert [t["name"] for t in tasks][-1] == "Finished"
    first = tasks[0]
    assert first == {
        "id": existing(fake),
        "name": "Existing task",
        "active": True,
        "estimated_seconds": 7200,
        "tracked_seconds": 5400,
        "assignee": "Fran Freelancer",
        "assignee_id": first["assignee_id"],
        "state": "sent",
        "note": None,
        "outbox_id": None,
    }


def test_tasks_refresh_asks_only_for_changes(cli: Cli, fake: FakeToggl) -> None:
    cli("tasks", "--project", WEBSITE)
    fake.reset_log()
    ran = cli("tasks", "--project", WEBSITE, "--refresh", "--json")
    assert ran.code == EX_OK
    (listing,) = [r for r in fake.requests if r.path.endswith("/tasks")]
    assert "since" in listing.query


def test_tasks_of_a_free_workspace_say_tasks_need_a_paid_plan(cli: Cli, fake: FakeToggl) -> None:
    ran = cli("tasks", "--workspace", "Side", "--project", "Blog")
    assert ran.code == EX_FAILED
    assert "paid Toggl plan" in ran.err
    assert fake.count(path_contains="/tasks") == 0


def test_done_and_reopen_go_through_the_outbox(cli: Cli, fake: FakeToggl) -> None:
    cli("tasks", "--project", WEBSITE)
    task_id = existing(fake)
    ran = cli("done", str(task_id))
    assert ran.code == EX_OK, ran.err
    assert ran.out.strip() == f"Marked done: “Existing task” ({task_id})."
    assert toggl(fake, task_id)["active"] is False
    ran = cli("reopen", str(task_id), "--json")
    assert ran.code == EX_OK
    assert ran.json()["tasks"] == [
        {"id": task_id, "name": "Existing task", "state": "sent", "reason": None}
    ]
    assert toggl(fake, task_id)["active"] is True


def test_done_of_many_tasks_is_one_bulk_request(cli: Cli, fake: FakeToggl) -> None:
    pid = fake.project_id(WEBSITE)
    ids = [int(fake.add_task(pid, f"Open {n}")["id"]) for n in range(10)]
    cli("tasks", "--project", WEBSITE)
    fake.reset_log()
    ran = cli("done", *map(str, ids))
    assert ran.code == EX_OK, ran.err
    assert [r.method for r in fake.requests] == ["PATCH"]
    assert all(toggl(fake, i)["active"] is False for i in ids)


def test_edit_changes_only_the_fields_given(cli: Cli, fake: FakeToggl) -> None:
    cli("tasks", "--project", WEBSITE)
    task_id = existing(fake)
    ran = cli("edit", str(task_id), "--name", "New name", "--estimate", "45m", "--assignee", "sam")
    assert ran.code == EX_OK, ran.err
    task = toggl(fake, task_id)
    assert (task["name"], task["estimated_seconds"], task["user_name"]) == (
        "New name",
        2700,
        "Sam Designer",
    )
    (put,) = [r for r in fake.requests if r.method == "PUT"]
    assert set(put.body) == {"name", "estimated_seconds", "user_id"}
    ran = cli("edit", str(task_id), "--unassign", "--estimate", "0")
    assert ran.code == EX_OK
    assert (toggl(fake, task_id)["user_id"], toggl(fake, task_id)["estimated_seconds"]) == (
        None,
        0,
    )


def test_edit_without_a_field_is_a_usage_error(cli: Cli) -> None:
    ran = cli("edit", "5")
    assert ran.code == EX_USAGE
    assert "--name" in ran.err


def test_delete_removes_the_task(cli: Cli, fake: FakeToggl) -> None:
    cli("tasks", "--project", WEBSITE)
    task_id = existing(fake)
    ran = cli("delete", str(task_id))
    assert ran.code == EX_OK, ran.err
    assert not fake.tasks_named("Existing task")
    listed = cli("tasks", "--project", WEBSITE, "--all", "--json").json()["tasks"]
    assert listed == []


def test_an_unknown_id_is_looked_for_in_the_project_given(cli: Cli, fake: FakeToggl) -> None:
    task_id = existing(fake)
    ran = cli("done", str(task_id), "--project", WEBSITE)
    assert ran.code == EX_OK, ran.err
    assert toggl(fake, task_id)["active"] is False
    ran = cli("done", "12345", "--project", WEBSITE)
    assert ran.code == EX_USAGE
    assert "--project" in ran.err


def test_a_change_offline_is_queued_and_sent_by_sync(cli: Cli, fake: FakeToggl) -> None:
    cli("tasks", "--project", WEBSITE)
    task_id = existing(fake)
    fake.go_down()
    ran = cli("done", str(task_id), "--json")
    assert ran.code == EX_OK
    (item,) = ran.json()["tasks"]
    assert item["state"] == "queued"
    fake.come_back()
    ran = cli("sync")
    assert ran.code == EX_OK, ran.err
    assert toggl(fake, task_id)["active"] is False


def test_a_refused_change_exits_1_with_toggls_reason(cli: Cli, fake: FakeToggl) -> None:
    cli("tasks", "--project", WEBSITE)
    task_id = existing(fake)
    fake.fail_next(400, '"Can not change tasks of archived project"', method="PUT")
    ran = cli("edit", str(task_id), "--name", "Nope")
    assert ran.code == EX_FAILED
    assert "Can not change tasks of archived project" in ran.err
    assert toggl(fake, task_id)["name"] == "Existing task"


def test_sync_exits_1_when_toggl_refuses_a_queued_change(cli: Cli, fake: FakeToggl) -> None:
    cli("tasks", "--project", WEBSITE)
    task_id = existing(fake)
    fake.go_down()
    assert cli("edit", str(task_id), "--name", "Nope").code == EX_OK  # queued
    fake.come_back()
    fake.fail_next(400, '"Can not change tasks of archived project"', method="PUT")
    ran = cli("sync", "--json")
    assert ran.code == EX_FAILED, ran.out
    assert ran.json()["failed"] == 1
    assert toggl(fake, task_id)["name"] == "Existing task"


def test_outbox_lists_a_change_that_waits_in_it(cli: Cli, fake: FakeToggl) -> None:
    """`done` offline says the change "waits in the outbox": `outbox` must not call it empty."""
    cli("tasks", "--project", WEBSITE)
    task_id = existing(fake)
    fake.go_down()
    assert "waits in the outbox" in cli("done", str(task_id)).out
    ran = cli("outbox")
    assert ran.code == EX_OK
    assert "empty" not in ran.out
    assert "Existing task" in ran.out
    (change,) = cli("outbox", "--json").json()["changes"]
    assert (change["task_id"], change["state"]) == (task_id, "queued")
