"""Tests of the fake Toggl server itself, through real HTTP with httpx."""

from __future__ import annotations

import base64
import dataclasses
import http.client
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.fake_toggl import FakeToggl, RecordedRequest

REPO_ROOT = Path(__file__).resolve().parent.parent
PREMIUM = 1001
# One cheap TLS context for every client: httpx would load the CA bundle per client otherwise.
NO_TLS = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
FREE = 1002
NO_ACCESS = "User does not have access to this resource."


@pytest.fixture
def fake() -> Iterator[FakeToggl]:
    with FakeToggl() as server:
        yield server


def make_client(fake: FakeToggl, auth: tuple[str, str] | None = None) -> httpx.Client:
    return httpx.Client(
        base_url=fake.url,
        auth=auth if auth is not None else (fake.token, "api_token"),
        timeout=5.0,
        trust_env=False,
        verify=NO_TLS,
    )


@pytest.fixture
def client(fake: FakeToggl) -> Iterator[httpx.Client]:
    with make_client(fake) as c:
        yield c


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
    with make_client(fake, ("wrong", "api_token")) as bad:
        r = bad.get("/me")
        assert r.status_code == 403
        assert r.json() == "Incorrect username and/or password"
    with make_client(fake, (fake.email, "nope")) as bad_password:
        assert bad_password.get("/me").status_code == 403
    with make_client(fake) as by_token:
        r = by_token.get("/me")
        assert r.status_code == 200
        me = r.json()
        assert me["id"] == 9_000_000_001
        assert me["fullname"] == "Fran Freelancer"
        assert me["default_workspace_id"] == PREMIUM
        assert me["timezone"] == "Europe/Berlin"
    with make_client(fake, (fake.email, fake.password)) as by_password:
        r = by_password.get("/me")
        assert r.status_code == 200
        assert r.json()["api_token"] == "test-token"
    fake.token = "rotated"
    with make_client(fake, ("test-token", "api_token")) as revoked:
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
        with make_client(fake) as c:
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


# ------------------------------------------------------------------------ faults


def test_fail_next_with_count_and_filters(fake: FakeToggl, client: httpx.Client) -> None:
    path = tasks_path(fake)
    fake.fail_next(500, '"Invalid project_id"', count=2, path_contains="/tasks")
    assert client.get("/me").status_code == 200  # does not match the filter
    for _ in range(2):
        r = client.post(path, json={"name": "Failing"})
        assert r.status_code == 500
        assert r.json() == "Invalid project_id"
        assert "x-toggl-request-id" in r.headers
    assert fake.tasks_named("Failing") == []
    assert client.post(path, json={"name": "Failing"}).status_code == 200

    fake.fail_next(429, "slow down", content_type="text/plain", headers={"Retry-After": "3"})
    fake.fail_next(503, b"", method="GET")
    r = client.post(path, json={"name": "Throttled"})
    assert r.status_code == 429
    assert r.text == "slow down"
    assert r.headers["content-type"] == "text/plain"
    assert r.headers["retry-after"] == "3"
    assert client.post(path, json={"name": "Passes"}).status_code == 200
    r = client.get("/me")
    assert r.status_code == 503
    assert r.content == b""
    assert client.get("/me").status_code == 200


def test_fail_next_rules_apply_in_order(client: httpx.Client, fake: FakeToggl) -> None:
    fake.fail_next(500)
    fake.fail_next(502)
    fake.fail_next(410, '"Gone"', headers={"X-Toggl-Quota-Remaining": "0"})
    assert client.get("/me").status_code == 500
    assert client.get("/me").status_code == 502
    r = client.get("/me")
    assert r.status_code == 410
    assert r.headers["x-toggl-quota-remaining"] == "0"
    assert client.get("/me").status_code == 200


def test_drop_before_store(fake: FakeToggl, client: httpx.Client) -> None:
    client.get("/me")  # warm a keep-alive connection
    fake.drop_next("before_store")
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        client.post(tasks_path(fake), json={"name": "Dropped"})
    assert fake.tasks_named("Dropped") == []
    assert fake.count("POST") == 1
    assert client.get("/me").status_code == 200  # server still fine


def test_drop_after_store(fake: FakeToggl, client: httpx.Client) -> None:
    fake.drop_next("after_store", path_contains="/tasks")
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        client.post(tasks_path(fake), json={"name": "Stored anyway"})
    assert len(fake.tasks_named("Stored anyway")) == 1
    r = client.post(tasks_path(fake), json={"name": "Stored anyway"})
    assert r.status_code == 200
    assert len(fake.tasks_named("Stored anyway")) == 2


def test_drop_only_matches_post_by_default(fake: FakeToggl, client: httpx.Client) -> None:
    fake.drop_next("before_store")
    assert client.get("/me").status_code == 200
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        client.post(tasks_path(fake), json={"name": "x"})


def test_delay_next(fake: FakeToggl, client: httpx.Client) -> None:
    client.get("/me")
    fake.delay_next(0.3, path_contains="/me/workspaces")
    started = time.monotonic()
    assert client.get("/me").status_code == 200
    fast = time.monotonic() - started
    started = time.monotonic()
    assert client.get("/me/workspaces").status_code == 200
    slow = time.monotonic() - started
    assert slow >= 0.25
    assert fast < 0.25
    started = time.monotonic()
    client.get("/me/workspaces")
    assert time.monotonic() - started < 0.25  # consumed


def test_global_delay(fake: FakeToggl, client: httpx.Client) -> None:
    fake.delay = 0.2
    started = time.monotonic()
    assert client.get("/me").status_code == 200
    assert time.monotonic() - started >= 0.15


def test_quota_exhaustion_and_refill(fake: FakeToggl, client: httpx.Client) -> None:
    users = f"/workspaces/{PREMIUM}/users"
    fake.set_quota(2, resets_in=1)
    r = client.get(users)
    assert r.status_code == 200
    assert r.headers["x-toggl-quota-remaining"] == "1"
    assert client.get(users).headers["x-toggl-quota-remaining"] == "0"
    assert client.get("/me").status_code == 200  # /me does not consume it
    r = client.get(users)
    assert r.status_code == 402
    assert r.headers["x-toggl-quota-remaining"] == "0"
    resets_in = int(r.headers["x-toggl-quota-resets-in"])
    assert 0 <= resets_in <= 1
    assert r.json() == (
        "You have hit your hourly limit for API calls. "
        f"The quota will reset in {resets_in} seconds."
    )
    deadline = time.monotonic() + 5
    while True:
        r = client.get(users)
        if r.status_code == 200 or time.monotonic() > deadline:
            break
        assert r.status_code == 402
        time.sleep(0.05)
    assert r.status_code == 200
    assert r.headers["x-toggl-quota-remaining"] == "1"


def test_free_workspace_402_is_not_quota(fake: FakeToggl, client: httpx.Client) -> None:
    fake.set_quota(5)
    r = client.post(tasks_path(fake, "Blog", FREE), json={"name": "x"})
    assert r.status_code == 402
    assert int(r.headers["x-toggl-quota-remaining"]) == 4
    assert int(r.headers["x-toggl-quota-resets-in"]) > 3000


def test_go_down_and_come_back(fake: FakeToggl, client: httpx.Client) -> None:
    port = fake.port
    assert client.get("/me").status_code == 200
    fake.go_down()
    with pytest.raises(httpx.ConnectError):
        client.get("/me")
    with make_client(fake) as fresh, pytest.raises(httpx.ConnectError):
        fresh.get("/me")
    fake.come_back()
    assert fake.port == port
    assert client.get("/me").status_code == 200


def test_stop_is_idempotent_and_refuses_connections() -> None:
    fake = FakeToggl().start()
    url = fake.url
    with make_client(fake) as c:
        assert c.get("/me").status_code == 200
    fake.stop()
    fake.stop()
    with httpx.Client(trust_env=False, verify=NO_TLS) as c, pytest.raises(httpx.ConnectError):
        c.get(url + "/me")


def test_request_log(fake: FakeToggl, client: httpx.Client) -> None:
    client.get("/me")
    fake.reset_log()
    client.get(f"/workspaces/{PREMIUM}/projects", params={"active": "true", "page": "2"})
    client.post(tasks_path(fake), json={"name": "Logged"})
    fake.fail_next(500)
    client.get("/me")
    log = fake.requests
    assert len(log) == 3
    first, second, third = log
    assert isinstance(first, RecordedRequest)
    assert first.method == "GET"
    assert first.path == f"/api/v9/workspaces/{PREMIUM}/projects"
    assert first.query == {"active": "true", "page": "2"}
    assert first.headers["authorization"].startswith("Basic ")
    assert first.body is None
    assert first.raw_body == b""
    assert second.method == "POST"
    assert second.body == {"name": "Logged"}
    assert second.raw_body.startswith(b"{")
    assert third.path == "/api/v9/me"
    assert fake.count() == 3
    assert fake.count("POST") == 1
    assert fake.count(path_contains="/projects") == 2
    assert fake.count("GET", "/tasks") == 0
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.method = "PUT"  # type: ignore[misc]
    log.clear()
    assert len(fake.requests) == 3  # a copy
    fake.reset_log()
    assert fake.requests == []


def test_fixed_port_and_context_manager() -> None:
    with FakeToggl() as probe:
        port = probe.port
    with FakeToggl(port=port, token="other") as fake:
        assert fake.url == f"http://127.0.0.1:{port}/api/v9"
        with make_client(fake) as c:
            assert c.get("/me").json()["api_token"] == "other"


# -------------------------------------------------------------------------- CLI


def test_command_line() -> None:
    with subprocess.Popen(
        [sys.executable, "-m", "tests.fake_toggl", "--port", "0", "--projects", "5"],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as proc:
        try:
            assert proc.stdout is not None
            url = proc.stdout.readline().strip()
            token_line = proc.stdout.readline()
            login_line = proc.stdout.readline()
            assert url.startswith("http://127.0.0.1:")
            assert url.endswith("/api/v9")
            assert "test-token" in token_line
            assert "free@example.com" in login_line
            assert "s3cret-pass" in login_line
            auth = ("test-token", "api_token")
            with httpx.Client(auth=auth, trust_env=False, verify=NO_TLS) as c:
                projects = c.get(f"{url}/workspaces/{PREMIUM}/projects").json()
            assert len(projects) == 4 + 5
        finally:
            proc.terminate()
            code = proc.wait(timeout=5)
        assert proc.stderr is not None
        assert proc.stderr.read() == ""
    assert code == 0
