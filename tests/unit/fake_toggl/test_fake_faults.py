"""The fake Toggl's faults, quota, request log and lifecycle (faults.py, quota.py, fake.py)."""

from __future__ import annotations

import dataclasses
import time

import httpx
import pytest

from tests.fake_toggl import FakeToggl, RecordedRequest
from tests.fake_toggl.testing import NO_TLS, api_client

PREMIUM = 1001
FREE = 1002


def tasks_path(fake: FakeToggl, project: str = "Website Redesign", wid: int = PREMIUM) -> str:
    return f"/workspaces/{wid}/projects/{fake.project_id(project)}/tasks"


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


def test_clear_faults_forgets_rules_and_delay(fake: FakeToggl, client: httpx.Client) -> None:
    fake.fail_next(500, count=3)
    fake.drop_next("before_store", method=None)
    fake.delay = 2.0
    fake.clear_faults()
    started = time.monotonic()
    assert client.get("/me").status_code == 200
    assert time.monotonic() - started < 1.0
    assert fake.delay == 0


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
    with api_client(fake) as fresh, pytest.raises(httpx.ConnectError):
        fresh.get("/me")
    fake.come_back()
    assert fake.port == port
    assert client.get("/me").status_code == 200


def test_stop_is_idempotent_and_refuses_connections() -> None:
    fake = FakeToggl().start()
    url = fake.url
    with api_client(fake) as c:
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
        with api_client(fake) as c:
            assert c.get("/me").json()["api_token"] == "other"
