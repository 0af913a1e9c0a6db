"""The fake's task routes (task_routes.py) as Toggl serves them, over real HTTP: the paged
workspace list with its filters, one task, changes of only the fields given, the bulk PATCH,
Toggl-style refusals, and the seeding a person uses (``--tasks``, ``POST /_control/tasks``)."""

from __future__ import annotations

from datetime import datetime

import httpx
import pytest

from tests.fake_toggl import FakeToggl
from tests.fake_toggl.cli import seed
from tests.fake_toggl.testing import ControlClient

PREMIUM = 1001
LONG_AGO = "2026-01-01T00:00:00Z"


@pytest.fixture
def pid(fake: FakeToggl) -> int:
    return fake.project_id("Website Redesign")


def listing(client: httpx.Client, **params: str | int) -> httpx.Response:
    return client.get(f"/workspaces/{PREMIUM}/tasks", params=params)


def one(pid: int, task_id: int | str) -> str:
    return f"/workspaces/{PREMIUM}/projects/{pid}/tasks/{task_id}"


def test_the_workspace_list_pages_filters_and_sorts(
    fake: FakeToggl, client: httpx.Client, pid: int
) -> None:
    fake.add_tasks(pid, 120)
    fake.add_tasks(fake.project_id("Mobile App"), 5)
    first = listing(client, pid=pid).json()
    assert (first["page"], first["per_page"], first["total_count"]) == (1, 50, 121)
    both = listing(client, pid=pid, active="both", per_page=500, sort_field="created_at").json()
    assert (both["per_page"], both["total_count"], len(both["data"])) == (200, 121, 121)
    assert [t["id"] for t in both["data"]] == sorted(t["id"] for t in both["data"])
    by_name = listing(client, pid=pid, active="both", per_page=200, sort_order="desc").json()
    names = [t["name"].lower() for t in by_name["data"]]
    assert names == sorted(names, reverse=True)
    done = listing(client, pid=pid, active="false", page=2, per_page=30).json()
    assert (done["page"], len(done["data"]), done["total_count"]) == (2, 10, 40)
    assert all(not t["active"] and t["project_id"] == pid for t in done["data"])
    assert listing(client, pid=pid, page=99).json()["data"] == []


def test_since_lists_what_changed_including_tasks_made_done(
    fake: FakeToggl, client: httpx.Client, pid: int
) -> None:
    ids = fake.add_tasks(pid, 5)
    with fake.lock:
        for task in fake.tasks:
            task["at"] = LONG_AGO
    since = int(datetime.fromisoformat("2026-06-01T00:00:00+00:00").timestamp())
    assert listing(client, pid=pid, active="both", since=since).json()["data"] == []
    assert client.put(one(pid, ids[0]), json={"active": False}).status_code == 200
    changed = listing(client, pid=pid, active="both", since=since).json()["data"]
    assert [(t["id"], t["active"]) for t in changed] == [(ids[0], False)]
    assert listing(client, pid=pid, active="true", since=since).json()["data"] == []


@pytest.mark.parametrize(
    ("params", "said"),
    [
        ({"active": "maybe"}, "Invalid active"),
        ({"since": "yesterday"}, "Invalid since"),
        ({"since": -1}, "Invalid since"),
        ({"page": 0}, "Invalid page"),
        ({"sort_field": "at"}, "Invalid sort_field"),
        ({"sort_order": "up"}, "Invalid sort_order"),
    ],
)
def test_bad_list_parameters_get_toggls_400(
    client: httpx.Client, params: dict[str, str | int], said: str
) -> None:
    response = listing(client, **params)
    assert (response.status_code, response.json()) == (400, said)


def test_put_changes_only_the_fields_given_and_stamps_at(
    fake: FakeToggl, client: httpx.Client, pid: int
) -> None:
    (seed_task,) = fake.tasks_named("Existing task")
    with fake.lock:
        next(t for t in fake.tasks if t["id"] == seed_task["id"])["at"] = LONG_AGO
    response = client.put(one(pid, seed_task["id"]), json={"external_reference": "ref-1"})
    task = response.json()
    assert task["external_reference"] == "ref-1"
    assert (task["name"], task["estimated_seconds"], task["user_id"]) == (
        "Existing task",
        7200,
        9_000_000_001,
    )
    assert task["at"] != LONG_AGO
    cleared = client.put(one(pid, seed_task["id"]), json={"user_id": None}).json()
    assert (cleared["user_id"], cleared["user_name"]) == (None, None)


@pytest.mark.parametrize(
    ("body", "said"),
    [
        (b"{not json", "Invalid JSON"),
        (b"[]", "Invalid JSON"),
        (b'{"name": ""}', "Name can't be blank"),
        (b'{"active": "no"}', "Invalid active"),
        (b'{"estimated_seconds": -1}', "Invalid estimated_seconds"),
        (b'{"estimated_seconds": null}', "Invalid estimated_seconds"),
        (b'{"user_id": true}', "Invalid user_id"),
    ],
)
def test_a_bad_put_body_gets_toggls_400_and_changes_nothing(
    fake: FakeToggl, client: httpx.Client, pid: int, body: bytes, said: str
) -> None:
    (seed_task,) = fake.tasks_named("Existing task")
    response = client.put(
        one(pid, seed_task["id"]), content=body, headers={"Content-Type": "application/json"}
    )
    assert (response.status_code, response.json()) == (400, said)
    assert fake.tasks_named("Existing task") == [seed_task]


def test_get_put_delete_an_unknown_task_is_404(client: httpx.Client, pid: int) -> None:
    for method in ("GET", "PUT", "DELETE"):
        response = client.request(method, one(pid, 123), json={"name": "x"})
        assert (response.status_code, response.json()) == (404, "Task not found")


def test_delete_answers_200_and_the_task_is_gone(
    fake: FakeToggl, client: httpx.Client, pid: int
) -> None:
    (seed_task,) = fake.tasks_named("Existing task")
    assert client.delete(one(pid, seed_task["id"])).status_code == 200
    assert fake.tasks_named("Existing task") == []
    assert client.get(one(pid, seed_task["id"])).status_code == 404


def test_patch_applies_the_operations_to_each_task_named(
    fake: FakeToggl, client: httpx.Client, pid: int
) -> None:
    a, b = fake.add_tasks(pid, 2)
    operations = [
        {"op": "replace", "path": "/active", "value": False},
        {"op": "replace", "path": "/estimated_seconds", "value": 60},
    ]
    response = client.patch(one(pid, f"{a},{b},77,{a}"), json=operations)
    assert response.json() == {
        "success": [a, b],
        "failure": [{"id": 77, "message": "Task not found"}],
    }
    for task_id in (a, b):
        (task,) = [t for t in fake.tasks if t["id"] == task_id]
        assert (task["active"], task["estimated_seconds"]) == (False, 60)


@pytest.mark.parametrize(
    ("ids", "body", "status", "said"),
    [
        (",", [{"op": "replace", "path": "/active", "value": False}], 400, "Invalid task_ids"),
        ("1", {"op": "replace"}, 400, "Invalid JSON"),
        ("1", [], 400, "Invalid JSON"),
        ("1", [{"op": "remove", "path": "/name"}], 400, "Invalid operation"),
        ("1", [{"op": "replace", "path": "/id", "value": 5}], 400, "Invalid path /id"),
        ("1", [{"op": "replace", "path": "/active"}], 400, "Invalid path /active"),
        ("1", [{"op": "replace", "path": "/active", "value": 1}], 400, "Invalid active"),
    ],
)
def test_a_bad_patch_gets_toggls_400(
    client: httpx.Client, pid: int, ids: str, body: object, status: int, said: str
) -> None:
    response = client.patch(one(pid, ids), json=body)
    assert (response.status_code, response.json()) == (status, said)


def test_changes_need_a_paid_plan_and_an_active_project(
    fake: FakeToggl, client: httpx.Client
) -> None:
    blog = fake.project_id("Blog")
    old = fake.project_id("Old Campaign")
    patch = [{"op": "replace", "path": "/active", "value": False}]
    free = client.patch(f"/workspaces/{fake.free_workspace_id}/projects/{blog}/tasks/1", json=patch)
    assert free.status_code == 402
    archived = client.patch(one(old, 1), json=patch)
    assert (archived.status_code, archived.json()) == (
        400,
        "Can not change tasks of archived project",
    )


def test_quota_and_faults_apply_to_the_task_routes(
    fake: FakeToggl, client: httpx.Client, pid: int
) -> None:
    fake.set_quota(2, resets_in=60)
    assert listing(client, pid=pid).status_code == 200
    assert (
        client.patch(
            one(pid, 1), json=[{"op": "replace", "path": "/name", "value": "x"}]
        ).status_code
        == 200
    )
    spent = client.delete(one(pid, 1))
    assert spent.status_code == 402
    assert "hourly limit" in spent.json()
    fake.set_quota(None)
    fake.fail_next(500, '"Boom"', method="PATCH", path_contains="/tasks/")
    assert client.patch(one(pid, 1), json=[]).status_code == 500


def test_answers_drop_references_when_told(fake: FakeToggl, client: httpx.Client, pid: int) -> None:
    fake.serves_references = False
    (task,) = listing(client, pid=pid).json()["data"]
    assert "external_reference" not in task
    assert "at" in task


def test_tasks_are_seeded_by_the_control_endpoint_and_the_command_line(
    fake: FakeToggl, control: ControlClient
) -> None:
    added = control("POST", "/tasks", {"count": 6, "prefix": "Bulk"}).json()["ids"]
    assert len(added) == 6
    missing = control("POST", "/tasks", {"project_id": 5})
    assert (missing.status_code, missing.json()) == (400, {"error": "no project 5"})
    assert "POST /_control/tasks" in control("GET").json()["routes"]
    bulk = [t for t in fake.tasks if str(t["name"]).startswith("Bulk ")]
    assert [t["name"] for t in bulk] == [f"Bulk {n}" for n in range(2, 8)]  # after the seed task
    assert [t["active"] for t in bulk] == [True, False, True, True, False, True]
    assert all(t["external_reference"] is None and t["at"].endswith("Z") for t in bulk)
    seed(fake, projects=2, tasks=3)
    per_project = {
        p["name"]: sum(t["project_id"] == p["id"] for t in fake.tasks)
        for p in fake.projects[PREMIUM]
    }
    assert per_project == {
        "Website Redesign": 1 + 6 + 3,
        "Mobile App": 3,
        "Internal": 3,
        "Old Campaign": 0,  # archived: none
        "Project 1": 3,
        "Project 2": 3,
    }
