"""The fake Toggl's seeded state and API routes (state.py, routes.py), over real HTTP."""

from __future__ import annotations

import base64
import http.client
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from tests.fake_toggl import FakeToggl
from tests.fake_toggl.testing import NO_TLS, api_client

PREMIUM = 1001
FREE = 1002
NO_ACCESS = "User does not have access to this resource."


def tasks_path(fake: FakeToggl, project: str = "Website Redesign", wid: int = PREMIUM) -> str:
    return f"/workspaces/{wid}/projects/{fake.project_id(project)}/tasks"


# ------------------------------------------------------------------------- basics


def test_seed_state(fake: FakeToggl) -> None:
    assert fake.url == f"http://127.0.0.1:{fake.port}/api/v9"
    assert fake.port > 0
    assert fake.premium_workspace_id == PREMIUM
    assert fake.free_workspace_id == FREE
    names = [p["name"] for p in fake.projects[PREMIUM]]
    assert names == ["Website Redesign", "Mobile App", "Internal", "Old Campaign"]
    assert [p["active"] for p in fake.projects[PREMIUM]] == [True, True, True, False]
    assert fake.project_id("Website Redesign") == 2001
    assert len(fake.projects[FREE]) == 2
    assert all(p["active"] for p in fake.projects[FREE])
    assert [u["id"] for u in fake.users[PREMIUM]] == [9_000_000_001, 9_000_000_002]
    (seed,) = fake.tasks_named("Existing task")
    assert seed["id"] == 8_000_000_001
    assert seed["tracked_seconds"] == 5_400_000
    assert seed["estimated_seconds"] == 7200
    assert seed["at"].endswith("Z")


def test_auth_variants(fake: FakeToggl) -> None:
    with httpx.Client(base_url=fake.url, trust_env=False, verify=NO_TLS) as anon:
        r = anon.get("/me")
        assert r.status_code == 401
        assert r.content == b""
        assert "x-toggl-quota-remaining" in r.headers
    with api_client(fake, ("wrong", "api_token")) as bad:
        r = bad.get("/me")
        assert r.status_code == 403
        assert r.json() == "Incorrect username and/or password"
    with api_client(fake, (fake.email, "nope")) as bad_password:
        assert bad_password.get("/me").status_code == 403
    with api_client(fake) as by_token:
        r = by_token.get("/me")
        assert r.status_code == 200
        me = r.json()
        assert me["id"] == 9_000_000_001
        assert me["fullname"] == "Fran Freelancer"
        assert me["default_workspace_id"] == PREMIUM
        assert me["timezone"] == "Europe/Berlin"
    with api_client(fake, (fake.email, fake.password)) as by_password:
        r = by_password.get("/me")
        assert r.status_code == 200
        assert r.json()["api_token"] == "test-token"
    fake.token = "rotated"
    with api_client(fake, ("test-token", "api_token")) as revoked:
        assert revoked.get("/me").status_code == 403


def test_headers_on_every_response(fake: FakeToggl, client: httpx.Client) -> None:
    responses = [client.get("/me"), client.get("/nowhere"), client.get("/me/workspaces")]
    ids = set()
    for r in responses:
        assert r.headers["content-type"] == "application/json"
        assert int(r.headers["x-toggl-quota-remaining"]) > 0
        assert int(r.headers["x-toggl-quota-resets-in"]) > 0
        ids.add(r.headers["x-toggl-request-id"])
    assert len(ids) == 3
    assert responses[1].status_code == 404
    assert responses[1].json() == "Not found"
    with httpx.Client(trust_env=False, verify=NO_TLS) as raw:
        r = raw.get(f"http://127.0.0.1:{fake.port}/elsewhere")
        assert r.status_code == 404


def test_keep_alive_serves_many_requests_on_one_connection(fake: FakeToggl) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", fake.port, timeout=5)
    try:
        token = base64.b64encode(f"{fake.token}:api_token".encode()).decode()
        headers = {"Authorization": f"Basic {token}"}
        for _ in range(3):
            conn.request("GET", "/api/v9/me", headers=headers)
            response = conn.getresponse()
            assert response.status == 200
            assert response.getheader("Content-Length") is not None
            response.read()
        conn.request("GET", "/api/v9/me")  # no auth: empty body but still framed
        response = conn.getresponse()
        assert response.status == 401
        assert response.read() == b""
        conn.request("GET", "/api/v9/me/workspaces", headers=headers)
        assert conn.getresponse().status == 200
    finally:
        conn.close()


def test_workspaces_and_users(client: httpx.Client) -> None:
    workspaces = client.get("/me/workspaces").json()
    premium = next(w for w in workspaces if w["id"] == PREMIUM)
    assert premium["name"] == "Acme Studio"
    assert premium["premium"] is True
    assert premium["role"] == "admin"
    assert premium["organization_id"] == 501
    free = next(w for w in workspaces if w["id"] == FREE)
    assert free["name"] == "Side Projects"
    assert free["premium"] is False
    users = client.get(f"/workspaces/{PREMIUM}/users").json()
    assert {u["fullname"] for u in users} == {"Fran Freelancer", "Sam Designer"}
    assert all(set(u) >= {"id", "fullname", "email", "inactive"} for u in users)
    assert [u["id"] for u in client.get(f"/workspaces/{FREE}/users").json()] == [9_000_000_001]
    r = client.get("/workspaces/4242/users")
    assert r.status_code == 403
    assert r.json() == NO_ACCESS


# ---------------------------------------------------------------------- projects


def fetch_all(client: httpx.Client, params: dict[str, Any]) -> list[list[dict[str, Any]]]:
    pages: list[list[dict[str, Any]]] = []
    for page in range(1, 20):
        r = client.get(f"/workspaces/{PREMIUM}/projects", params={**params, "page": page})
        assert r.status_code == 200
        pages.append(r.json())
        if len(pages[-1]) < int(params.get("per_page", 151)):
            return pages
    raise AssertionError("pagination never ended")


def test_project_pagination(fake: FakeToggl, client: httpx.Client) -> None:
    ids = fake.add_projects(PREMIUM, 450)
    assert len(ids) == 450
    assert len(set(ids)) == 450
    pages = fetch_all(client, {"per_page": 200})
    assert [len(p) for p in pages] == [200, 200, 54]
    active_pages = fetch_all(client, {"per_page": 200, "active": "true"})
    assert [len(p) for p in active_pages] == [200, 200, 53]
    active_names = {p["name"] for page in active_pages for p in page}
    assert "Old Campaign" not in active_names
    assert "Project 1" in active_names
    assert "Project 450" in active_names
    archived = client.get(f"/workspaces/{PREMIUM}/projects", params={"active": "false"}).json()
    assert [p["name"] for p in archived] == ["Old Campaign"]
    assert archived[0]["status"] == "archived"
    both = client.get(f"/workspaces/{PREMIUM}/projects", params={"active": "both"}).json()
    assert len(both) == 151  # default per_page
    clamped = client.get(f"/workspaces/{PREMIUM}/projects", params={"per_page": 500}).json()
    assert len(clamped) == 200
    first = pages[0][0]
    assert set(first) >= {"id", "name", "active", "client_name", "color", "workspace_id", "status"}
    assert first["client_name"] == "Acme Corp"
    assert client.get(f"/workspaces/{PREMIUM}/projects", params={"page": 99}).json() == []


def test_add_many_projects_is_fast(fake: FakeToggl) -> None:
    started = time.monotonic()
    ids = fake.add_projects(PREMIUM, 10_000, prefix="Bulk", client_name="Big Co")
    assert time.monotonic() - started < 2.0
    assert len(ids) == 10_000
    assert fake.projects[PREMIUM][-1]["name"] == "Bulk 10000"
    assert fake.projects[PREMIUM][-1]["client_name"] == "Big Co"


# ------------------------------------------------------------------------- tasks


def test_create_task_read_back_and_duplicates(fake: FakeToggl, client: httpx.Client) -> None:
    path = tasks_path(fake)
    body = {"name": "Write copy", "active": True, "estimated_seconds": 3600}
    r = client.post(path, json={**body, "user_id": 9_000_000_002})
    assert r.status_code == 200
    task = r.json()
    assert task["id"] > 2**31
    assert task["name"] == "Write copy"
    assert task["user_id"] == 9_000_000_002
    assert task["user_name"] == "Sam Designer"
    assert task["project_id"] == fake.project_id("Website Redesign")
    assert task["project_name"] == "Website Redesign"
    assert task["client_name"] == "Acme Corp"
    assert task["workspace_id"] == PREMIUM
    assert task["tracked_seconds"] == 0
    assert task["estimated_seconds"] == 3600
    assert task["at"].endswith("Z")
    assert task["project_billable"] is False
    assert task["rate"] is None
    assert task["toggl_accounts_id"] is None

    single = client.get(f"{path}/{task['id']}")
    assert single.status_code == 200
    assert single.json() == task
    listed = client.get(path, params={"active": "true"}).json()
    assert {t["name"] for t in listed} == {"Existing task", "Write copy"}

    again = client.post(path, json=body)
    assert again.status_code == 200
    assert again.json()["id"] != task["id"]
    assert again.json()["user_id"] is None
    assert len(fake.tasks_named("Write copy")) == 2

    search = client.get(f"/workspaces/{PREMIUM}/tasks", params={"search": "copy"}).json()
    assert search["total_count"] == 2
    assert search["page"] == 1
    assert len(search["data"]) == 2
    assert "per_page" in search


def test_update_and_delete_task(fake: FakeToggl, client: httpx.Client) -> None:
    path = tasks_path(fake)
    task = client.post(path, json={"name": "Draft"}).json()
    r = client.put(f"{path}/{task['id']}", json={"active": False, "user_id": 9_000_000_001})
    assert r.status_code == 200
    updated = r.json()
    assert updated["active"] is False
    assert updated["name"] == "Draft"
    assert updated["user_name"] == "Fran Freelancer"
    only_open = client.get(path, params={"active": "true"}).json()
    assert task["id"] not in {t["id"] for t in only_open}
    assert task["id"] in {t["id"] for t in client.get(path).json()}
    r = client.delete(f"{path}/{task['id']}")
    assert r.status_code == 200
    assert r.content == b""
    assert fake.tasks_named("Draft") == []
    for method in ("GET", "PUT", "DELETE"):
        r = client.request(method, f"{path}/{task['id']}", json={"name": "x"})
        assert r.status_code == 404
        assert r.json() == "Task not found"


def test_concurrent_creates_get_unique_ids(fake: FakeToggl) -> None:
    path = tasks_path(fake)

    def create(n: int) -> int:
        with api_client(fake) as c:
            r = c.post(path, json={"name": "Parallel"})
            assert r.status_code == 200
            return int(r.json()["id"])

    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = list(pool.map(create, range(16)))
    assert len(set(ids)) == 16
    assert len(fake.tasks_named("Parallel")) == 16


@pytest.mark.parametrize(
    ("wid", "project", "body", "status", "message"),
    [
        (4242, "Website Redesign", {"name": "x"}, 403, NO_ACCESS),
        (FREE, "Blog", {"name": "x"}, 402, "Tasks are available only on paid plans."),
        (PREMIUM, None, {"name": "x"}, 400, "Project not found/accessible"),
        (PREMIUM, "Old Campaign", {"name": "x"}, 400, "Can not change tasks of archived project"),
        (PREMIUM, "Website Redesign", {}, 400, "Name can't be blank"),
        (PREMIUM, "Website Redesign", {"name": "   "}, 400, "Name can't be blank"),
        (PREMIUM, "Website Redesign", {"name": "x", "estimated_seconds": -1}, 400,
         "Invalid estimated_seconds"),
        (PREMIUM, "Website Redesign", {"name": "x", "estimated_seconds": 1.5}, 400,
         "Invalid estimated_seconds"),
        (PREMIUM, "Website Redesign", {"name": "x", "estimated_seconds": "60"}, 400,
         "Invalid estimated_seconds"),
        (PREMIUM, "Website Redesign", {"name": "x", "user_id": 123}, 400, "Invalid user_id"),
    ],
)  # fmt: skip
def test_create_task_errors(
    fake: FakeToggl,
    client: httpx.Client,
    wid: int,
    project: str | None,
    body: dict[str, Any],
    status: int,
    message: str,
) -> None:
    pid = fake.project_id(project) if project else 9999
    before = len(fake.tasks)
    r = client.post(f"/workspaces/{wid}/projects/{pid}/tasks", json=body)
    assert r.status_code == status
    assert r.json() == message
    assert r.headers["content-type"] == "application/json"
    assert int(r.headers["x-toggl-quota-remaining"]) > 0
    assert len(fake.tasks) == before


def test_create_task_invalid_json(fake: FakeToggl, client: httpx.Client) -> None:
    r = client.post(
        tasks_path(fake), content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert r.status_code == 400
    assert r.json() == "Invalid JSON"


def test_assignee_must_be_in_the_workspace(fake: FakeToggl, client: httpx.Client) -> None:
    fake.workspaces[1]["premium"] = True
    r = client.post(tasks_path(fake, "Blog", FREE), json={"name": "x", "user_id": 9_000_000_002})
    assert r.status_code == 400
    assert r.json() == "Invalid user_id"
