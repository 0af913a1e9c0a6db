"""The fake Toggl's control endpoint, over real HTTP: steer it, then watch the API's answers."""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx
import pytest

from tests.fake_toggl import FakeToggl
from tests.fake_toggl.testing import ControlClient, api_client

PREMIUM = 1001
QUOTA_WORDS = "You have hit your hourly limit for API calls."


def tasks_path(fake: FakeToggl, project: str = "Website Redesign") -> str:
    return f"/workspaces/{PREMIUM}/projects/{fake.project_id(project)}/tasks"


def wait_for(condition: Callable[[], bool], seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition never held"
        time.sleep(0.01)


def timed(call: Callable[[], httpx.Response]) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


# ----------------------------------------------------------------------- status


def test_status_lists_routes_and_is_neither_logged_nor_quota(
    fake: FakeToggl, client: httpx.Client, control: ControlClient
) -> None:
    r = control("GET")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    status = r.json()
    assert status["api"] == fake.url
    assert "POST /_control/fail" in status["routes"]
    assert status["rules"] == []
    assert status["quota"]["limit"] is None
    assert control("POST", "/quota", {"limit": 2}).status_code == 200
    for _ in range(5):
        control("GET")
        control("GET", "/requests")
    assert fake.requests == []
    assert client.get(f"/workspaces/{PREMIUM}/users").headers["x-toggl-quota-remaining"] == "1"
    assert control("GET").json()["requests"] == 1


def test_bad_control_requests_get_400_or_404(control: ControlClient) -> None:
    r = control("POST", "/nowhere", {})
    assert r.status_code == 404
    assert "POST /_control/drop" in r.json()["routes"]
    assert control("GET", "/fail").status_code == 404
    assert control("POST", "/fail", {"count": 2}).json() == {
        "error": "status must be a whole number"
    }
    assert control("POST", "/fail", [503]).json() == {"error": "the body must be a JSON object"}
    r = control("POST", "/fail", {"status": 500, "message": "a", "body": "b"})
    assert r.status_code == 400
    assert control("POST", "/delay", {"seconds": -1}).status_code == 400
    assert control("POST", "/delay", {"seconds": "1"}).status_code == 400
    assert control("POST", "/drop", {"when": "during"}).status_code == 400
    assert control("POST", "/down", {"seconds": 0}).status_code == 400
    assert control("POST", "/quota", {"resets_in": 5}).status_code == 400
    assert control("POST", "/token", {"token": " "}).status_code == 400
    assert control("POST", "/projects", {"workspace_id": 4242}).status_code == 400
    assert control("GET").json()["rules"] == []


# ----------------------------------------------------------------------- faults


def test_fail_next_requests(fake: FakeToggl, client: httpx.Client, control: ControlClient) -> None:
    path = tasks_path(fake)
    rule = {"status": 503, "message": 'Down "for" maintenance', "count": 2, "method": "post"}
    r = control("POST", "/fail", {**rule, "path_contains": "/tasks"})
    assert r.status_code == 200
    assert r.json()["rules"][0]["remaining"] == 2
    assert control("GET").status_code == 200  # control requests never meet a rule
    assert client.get("/me").status_code == 200
    for _ in range(2):
        r = client.post(path, json={"name": "Refused"})
        assert r.status_code == 503
        assert r.json() == 'Down "for" maintenance'
        assert "x-toggl-quota-remaining" in r.headers
    assert fake.tasks_named("Refused") == []
    assert client.post(path, json={"name": "Refused"}).status_code == 200

    raw = {"status": 429, "body": "slow down", "content_type": "text/plain"}
    control("POST", "/fail", {**raw, "headers": {"Retry-After": "7"}})
    r = client.get("/me")
    assert r.status_code == 429
    assert r.text == "slow down"
    assert r.headers["content-type"] == "text/plain"
    assert r.headers["retry-after"] == "7"
    assert client.get("/me").status_code == 200


def test_delay_next_and_always(client: httpx.Client, control: ControlClient) -> None:
    client.get("/me")
    control("POST", "/delay", {"seconds": 0.5, "count": 2, "path_contains": "/me/workspaces"})
    assert timed(lambda: client.get("/me"))[1] < 0.4
    for _ in range(2):
        r, took = timed(lambda: client.get("/me/workspaces"))
        assert r.status_code == 200
        assert took >= 0.45
    assert timed(lambda: client.get("/me/workspaces"))[1] < 0.4

    r = control("POST", "/delay", {"seconds": 0.5, "always": True})
    assert r.json()["delay"] == 0.5
    for _ in range(2):
        assert timed(lambda: client.get("/me"))[1] >= 0.45
    assert timed(lambda: control("GET"))[1] < 0.4  # the control endpoint is never slow
    control("POST", "/delay", {"seconds": 0, "always": True})
    assert timed(lambda: client.get("/me"))[1] < 0.4


def test_drop_before_and_after_store(
    fake: FakeToggl, client: httpx.Client, control: ControlClient
) -> None:
    path = tasks_path(fake)
    assert control("POST", "/drop", {}).json()["rules"][0]["when"] == "before_store"
    assert client.get("/me").status_code == 200  # POST only, unless a method is given
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        client.post(path, json={"name": "Lost"})
    assert fake.tasks_named("Lost") == []

    control("POST", "/drop", {"when": "after_store", "path_contains": "/tasks"})
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        client.post(path, json={"name": "Stored unanswered"})
    assert len(fake.tasks_named("Stored unanswered")) == 1

    control("POST", "/drop", {"method": "GET", "count": 2})
    for _ in range(2):
        with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
            client.get("/me")
    assert client.get("/me").status_code == 200


def test_down_for_seconds_then_back(
    fake: FakeToggl, client: httpx.Client, control: ControlClient
) -> None:
    port = fake.port
    r = control("POST", "/down", {"seconds": 0.5})
    assert r.status_code == 200
    assert r.json() == {"down_for": 0.5}
    assert r.headers["connection"] == "close"
    assert fake.is_down  # already when the answer arrives
    with pytest.raises(httpx.ConnectError):
        client.get("/me")
    wait_for(lambda: not fake.is_down)
    assert fake.port == port
    assert client.get("/me").status_code == 200
    assert control("GET").status_code == 200


def test_stop_during_an_outage_stays_stopped(fake: FakeToggl) -> None:
    fake.go_down(0.2)
    fake.stop()
    time.sleep(0.4)  # past the moment it would have come back
    assert fake.is_down
    with api_client(fake) as c, pytest.raises(httpx.ConnectError):
        c.get("/me")


def test_come_back_early_cancels_the_outage_timer(fake: FakeToggl, client: httpx.Client) -> None:
    fake.go_down(0.3)
    fake.come_back()
    assert client.get("/me").status_code == 200
    fake.go_down()  # an open-ended outage that the old timer must not end
    time.sleep(0.5)
    assert fake.is_down
    fake.come_back()
    assert client.get("/me").status_code == 200


# ------------------------------------------------------------------ quota, token


def test_spend_the_quota_and_lift_it(client: httpx.Client, control: ControlClient) -> None:
    users = f"/workspaces/{PREMIUM}/users"
    r = control("POST", "/quota", {"limit": 30, "remaining": 1, "resets_in": 120})
    assert r.json()["quota"] == {"limit": 30, "remaining": 1, "resets_in": 120}
    r = client.get(users)
    assert r.status_code == 200
    assert r.headers["x-toggl-quota-remaining"] == "0"
    r = client.get(users)
    assert r.status_code == 402
    assert r.json().startswith(QUOTA_WORDS)
    assert 100 < int(r.headers["x-toggl-quota-resets-in"]) <= 120
    (org, _) = client.get("/me/quota").json()
    assert (org["remaining"], org["total"]) == (0, 30)

    control("POST", "/quota", {"limit": 5, "remaining": 0, "resets_in": 1})
    assert client.get(users).status_code == 402
    wait_for(lambda: client.get(users).status_code == 200)

    control("POST", "/quota", {"limit": None})
    r = client.get(users)
    assert r.status_code == 200
    assert r.headers["x-toggl-quota-remaining"] == "999999"


def test_revoke_restore_and_set_the_token(
    fake: FakeToggl, client: httpx.Client, control: ControlClient
) -> None:
    assert control("POST", "/token", {"revoked": True}).json() == {"token_revoked": True}
    r = client.get("/me")
    assert r.status_code == 403
    assert r.json() == "Incorrect username and/or password"
    with api_client(fake, (fake.email, fake.password)) as by_password:
        assert by_password.get("/me").status_code == 200
    control("POST", "/token", {"revoked": False})
    assert client.get("/me").status_code == 200

    control("POST", "/token", {"token": "after-reset"})
    assert client.get("/me").status_code == 403
    with api_client(fake, ("after-reset", "api_token")) as renewed:
        assert renewed.get("/me").json()["api_token"] == "after-reset"
    control("POST", "/token", {"revoked": False})  # back to the token it started with
    assert client.get("/me").status_code == 200


# ------------------------------------------------------------------ data, log


def test_toggle_serving_references(
    fake: FakeToggl, client: httpx.Client, control: ControlClient
) -> None:
    path = tasks_path(fake)
    task = client.post(path, json={"name": "Ref", "external_reference": "td-1"}).json()
    assert task["external_reference"] == "td-1"
    assert control("POST", "/references", {"serve": False}).json() == {"serves_references": False}
    assert "external_reference" not in client.get(f"{path}/{task['id']}").json()
    assert all("external_reference" not in t for t in client.get(path).json())
    control("POST", "/references", {"serve": True})
    assert client.get(f"{path}/{task['id']}").json()["external_reference"] == "td-1"


def test_add_projects(fake: FakeToggl, client: httpx.Client, control: ControlClient) -> None:
    r = control("POST", "/projects", {"count": 3, "prefix": "Bulk", "client_name": "Big Co"})
    assert len(r.json()["ids"]) == 3
    names = [p["name"] for p in client.get(f"/workspaces/{PREMIUM}/projects").json()]
    assert names[-3:] == ["Bulk 1", "Bulk 2", "Bulk 3"]
    control("POST", "/projects", {"workspace_id": 1002})
    assert fake.projects[1002][-1]["name"] == "Project 1"


def test_request_log_and_counts(
    fake: FakeToggl, client: httpx.Client, control: ControlClient
) -> None:
    client.get("/me")
    client.post(tasks_path(fake), json={"name": "Logged"})
    client.post(tasks_path(fake), content=b"not json")
    log = control("GET", "/requests").json()
    assert log["count"] == 3
    first = log["requests"][0]
    assert first == {"method": "GET", "path": "/api/v9/me", "query": {}, "body": None}
    posts = control("GET", "/requests", params={"method": "post", "path_contains": "/tasks"}).json()
    assert posts["count"] == 2
    assert posts["requests"][0]["body"] == {"name": "Logged"}
    assert posts["requests"][1]["body"] == "not json"
    assert control("DELETE", "/requests").json() == {"cleared": 3}
    assert fake.requests == []
    assert control("GET", "/requests").json() == {"count": 0, "requests": []}


def test_reset_puts_everything_back(
    fake: FakeToggl, client: httpx.Client, control: ControlClient
) -> None:
    control("POST", "/fail", {"status": 500, "count": 5})
    control("POST", "/delay", {"seconds": 2, "always": True})
    control("POST", "/drop", {"count": 3})
    control("POST", "/quota", {"limit": 1, "remaining": 0})
    control("POST", "/token", {"revoked": True})
    control("POST", "/references", {"serve": False})
    status = control("POST", "/reset").json()
    assert status["rules"] == []
    assert status["delay"] == 0
    assert status["quota"]["limit"] is None
    assert status["token_revoked"] is False
    assert status["serves_references"] is True
    r, took = timed(lambda: client.post(tasks_path(fake), json={"name": "Clean"}))
    assert r.status_code == 200
    assert took < 1
    assert "external_reference" in r.json()
