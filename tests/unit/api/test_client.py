"""The Toggl client over real HTTP against the fake server: calls, paging and every error class."""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator

import httpx
import pytest

from desktop.api.auth import ApiToken, EmailPassword
from desktop.api.client import PROJECTS_PER_PAGE, TogglClient, user_agent
from desktop.api.endpoint import InsecureUrlError
from desktop.api.errors import (
    AmbiguousError,
    AuthenticationError,
    BadRequestError,
    CertificateError,
    ForbiddenError,
    GoneError,
    InvalidResponseError,
    NetworkError,
    PaidFeatureError,
    QuotaExceededError,
    RateLimitedError,
    ServerError,
    TimedOutError,
    TogglError,
)
from desktop.api.models import TaskChanges, TaskDraft
from desktop.messages import describe
from tests.fake_toggl import FakeToggl


@pytest.fixture
def client(fake: FakeToggl) -> Iterator[TogglClient]:
    with TogglClient(fake.url, ApiToken(fake.token)) as api:
        yield api


def test_me_with_token_and_with_email_password(fake: FakeToggl) -> None:
    with TogglClient(fake.url, EmailPassword(fake.email, fake.password)) as api:
        me = api.me()
    assert me.api_token == fake.token
    assert me.id == 9_000_000_001
    assert fake.token not in repr(me)


def test_lists(client: TogglClient, fake: FakeToggl) -> None:
    workspaces = {w.id: w for w in client.workspaces()}
    assert workspaces[fake.premium_workspace_id].premium
    assert workspaces[fake.free_workspace_id].premium is False
    projects = client.projects(fake.premium_workspace_id)
    assert "Old Campaign" not in {p.name for p in projects}
    assert {"Website Redesign", "Mobile App", "Internal"} <= {p.name for p in projects}
    assert any(p.client_name == "Acme Corp" for p in projects)
    users = client.users(fake.premium_workspace_id)
    assert {u.id for u in users} >= {9_000_000_001, 9_000_000_002}
    tasks = client.tasks(fake.premium_workspace_id, fake.project_id("Website Redesign"))
    existing = next(t for t in tasks if t.name == "Existing task")
    assert existing.tracked_ms == 5_400_000
    assert existing.tracked_seconds == 5400


def test_projects_follow_every_page(client: TogglClient, fake: FakeToggl) -> None:
    added = fake.add_projects(fake.premium_workspace_id, 450)
    fake.reset_log()
    projects = client.projects(fake.premium_workspace_id)
    assert {p.id for p in projects} >= set(added)
    assert len(projects) == len({p.id for p in projects}) == 453
    pages = [r for r in fake.requests if r.path.endswith("/projects")]
    assert [r.query["page"] for r in pages] == ["1", "2", "3"]
    assert {r.query["per_page"] for r in pages} == {str(PROJECTS_PER_PAGE)}
    assert {r.query["active"] for r in pages} == {"true"}


def test_projects_report_each_page_before_asking_for_the_next(
    client: TogglClient, fake: FakeToggl
) -> None:
    """Toggl's paging gives no total: the count so far, whenever another page is asked for."""
    fake.add_projects(fake.premium_workspace_id, 450)
    told: list[tuple[int, int]] = []

    def progress(loaded: int) -> None:
        told.append((loaded, len([r for r in fake.requests if r.path.endswith("/projects")])))

    fake.reset_log()
    projects = client.projects(fake.premium_workspace_id, progress=progress)
    assert told == [(200, 1), (400, 2)]  # told after page 1 and 2, never after the last
    assert len(projects) == 453


def test_create_and_update_task(client: TogglClient, fake: FakeToggl) -> None:
    pid = fake.project_id("Website Redesign")
    draft = TaskDraft("Write report", active=True, estimated_seconds=5400, user_id=9_000_000_002)
    task = client.create_task(fake.premium_workspace_id, pid, draft)
    assert (task.name, task.estimated_seconds, task.user_id) == (
        "Write report",
        5400,
        9_000_000_002,
    )
    assert fake.requests[-1].body == {
        "name": "Write report",
        "active": True,
        "estimated_seconds": 5400,
        "user_id": 9_000_000_002,
    }
    updated = client.update_task(fake.premium_workspace_id, pid, task.id, TaskChanges(active=False))
    assert fake.requests[-1].body == {"active": False}
    assert updated.active is False
    assert fake.tasks_named("Write report")[0]["active"] is False


def test_no_assignee_and_no_estimate_are_left_out(client: TogglClient, fake: FakeToggl) -> None:
    client.create_task(fake.premium_workspace_id, fake.project_id("Internal"), TaskDraft("Plain"))
    assert fake.requests[-1].body == {"name": "Plain", "active": True}


def test_sends_user_agent_and_reads_quota(client: TogglClient, fake: FakeToggl) -> None:
    fake.set_quota(30, resets_in=3600)
    client.workspaces()
    client.projects(fake.premium_workspace_id)
    assert fake.requests[-1].headers["user-agent"] == user_agent()
    assert user_agent().startswith("TaskDesk/")
    assert client.quota is not None
    assert client.quota.remaining == 29
    assert 0 < (client.quota.resets_in or 0) <= 3600


# --- errors --------------------------------------------------------------------------------


def test_wrong_token_is_authentication_everywhere(fake: FakeToggl) -> None:
    """Toggl answers a revoked token with 403 on every endpoint: one /me tells it apart."""
    with TogglClient(fake.url, ApiToken("wrong-token")) as api:
        with pytest.raises(AuthenticationError, match="Incorrect") as me_error:
            api.me()
        with pytest.raises(AuthenticationError):
            api.workspaces()
        with pytest.raises(AuthenticationError):
            api.users(fake.premium_workspace_id)
    assert me_error.value.status == 403
    assert "wrong-token" not in str(me_error.value)


def test_401_is_authentication(client: TogglClient, fake: FakeToggl) -> None:
    fake.fail_next(401, "")
    with pytest.raises(AuthenticationError) as error:
        client.users(fake.premium_workspace_id)
    assert error.value.message == "Unauthorized"  # empty body: the reason phrase


def test_forbidden_carries_togglss_message(client: TogglClient, fake: FakeToggl) -> None:
    with pytest.raises(ForbiddenError, match="does not have access"):
        client.create_task(99999, 1, TaskDraft("x"))


@pytest.mark.parametrize(
    ("project", "message"),
    [("Old Campaign", "Can not change tasks of archived project"), (None, "Project not found")],
)
def test_bad_request(
    client: TogglClient, fake: FakeToggl, project: str | None, message: str
) -> None:
    pid = fake.project_id(project) if project else 424242
    with pytest.raises(BadRequestError, match=message) as error:
        client.create_task(fake.premium_workspace_id, pid, TaskDraft("x"))
    assert error.value.status == 400
    assert error.value.request_id


def test_plain_text_error_body(client: TogglClient, fake: FakeToggl) -> None:
    fake.fail_next(400, "Invalid project_id\n", content_type="text/plain")
    with pytest.raises(BadRequestError) as error:
        client.workspaces()
    assert error.value.message == "Invalid project_id"


def test_paid_feature(client: TogglClient, fake: FakeToggl) -> None:
    free = fake.free_workspace_id
    pid = fake.projects[free][0]["id"]
    with pytest.raises(PaidFeatureError, match="paid"):
        client.create_task(free, pid, TaskDraft("x"))


def test_quota_spent(client: TogglClient, fake: FakeToggl) -> None:
    fake.set_quota(1, resets_in=120)
    client.users(fake.premium_workspace_id)
    with pytest.raises(QuotaExceededError, match="hourly limit") as error:
        client.users(fake.premium_workspace_id)
    assert 100 <= error.value.resets_in <= 120
    assert client.quota is not None
    assert client.quota.remaining == 0


def test_quota_read_from_body_when_headers_are_missing(
    client: TogglClient, fake: FakeToggl
) -> None:
    body = '"You have hit your hourly limit for API calls. The quota will reset in 42 seconds."'
    fake.fail_next(
        402, body, headers={"X-Toggl-Quota-Remaining": "", "X-Toggl-Quota-Resets-In": ""}
    )
    with pytest.raises(QuotaExceededError) as error:
        client.workspaces()
    assert error.value.resets_in == 42


@pytest.mark.parametrize(("header", "expected"), [({"Retry-After": "7"}, 7.0), ({}, None)])
def test_rate_limited(
    client: TogglClient, fake: FakeToggl, header: dict[str, str], expected: float | None
) -> None:
    fake.fail_next(429, '"Too many requests"', headers=header)
    with pytest.raises(RateLimitedError, match="Too many") as error:
        client.workspaces()
    assert error.value.retry_after == expected


def test_gone(client: TogglClient, fake: FakeToggl) -> None:
    fake.fail_next(410, '"This API version is no longer available"')
    with pytest.raises(GoneError, match="no longer"):
        client.workspaces()


@pytest.mark.parametrize(
    ("status", "body", "content_type", "message"),
    [
        (500, '"Internal Server Error"', "application/json", "Internal Server Error"),
        (502, "<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html", "Bad Gateway"),
        (503, "<!doctype html><p>Down for maintenance</p>", "text/html", "Service Unavailable"),
    ],
)
def test_server_errors(
    client: TogglClient, fake: FakeToggl, status: int, body: str, content_type: str, message: str
) -> None:
    fake.fail_next(status, body, content_type=content_type)
    with pytest.raises(ServerError) as error:
        client.workspaces()
    assert error.value.message == message
    assert error.value.status == status


def test_refused_connection_is_network(fake: FakeToggl) -> None:
    fake.go_down()
    with TogglClient(fake.url, ApiToken(fake.token)) as api, pytest.raises(NetworkError) as error:
        api.workspaces()
    assert error.value.message == "Could not connect to Toggl."  # the errno goes to the log
    assert describe(error.value, "create the task").text == (
        "Toggl cannot be reached (you may be offline), so Task Desk could not create the task."
    )


def _caused(error: httpx.HTTPError, cause: BaseException) -> httpx.HTTPError:
    error.__cause__ = cause
    return error


@pytest.mark.parametrize(
    ("raised", "expected", "message"),
    [
        (httpx.ConnectError("[Errno 111] Connection refused"), NetworkError,
         "Could not connect to Toggl."),
        (_caused(httpx.ConnectError("[Errno -2] Name or service not known"),
                 socket.gaierror(-2, "Name or service not known")), NetworkError,
         "Could not look up the address of Toggl's server."),
        (_caused(httpx.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed"),
                 ssl.SSLCertVerificationError(1, "certificate verify failed")), CertificateError,
         "Toggl's server certificate could not be verified, so nothing was sent."),
        (_caused(httpx.ConnectError("[SSL: WRONG_VERSION_NUMBER] wrong version number"),
                 ssl.SSLError(1, "wrong version number")), CertificateError,
         "A secure connection to Toggl could not be set up, so nothing was sent."),
        (httpx.ProxyError("407 Proxy Authentication Required"), NetworkError,
         "Could not connect to Toggl through the proxy."),
        (httpx.ConnectTimeout("timed out"), NetworkError,
         "Toggl did not accept a connection in time."),
        (httpx.PoolTimeout("no free connection"), NetworkError,
         "No connection to Toggl was free in time."),
        (httpx.ReadTimeout("timed out"), TimedOutError, "Toggl did not answer in time."),
        (httpx.WriteTimeout("timed out"), TimedOutError, "Toggl did not answer in time."),
        (httpx.RemoteProtocolError("Server disconnected"), AmbiguousError,
         "The connection to Toggl broke before its answer arrived."),
        (httpx.ReadError("[Errno 104] Connection reset by peer"), AmbiguousError,
         "The connection to Toggl broke before its answer arrived."),
        (httpx.DecodingError("Error -3 while decompressing data"), InvalidResponseError,
         "Toggl's answer could not be read."),
    ],
)  # fmt: skip
def test_transport_failures_are_classified(
    raised: Exception, expected: type[TogglError], message: str
) -> None:
    """Whether a request may have reached Toggl decides between resending and reconciling;
    the message is one plain sentence, the exception text (an errno) only in the log."""

    def fail(request: httpx.Request) -> httpx.Response:
        raise raised

    with TogglClient(
        "https://api.track.toggl.com/api/v9", ApiToken("t"), transport=httpx.MockTransport(fail)
    ) as api:
        with pytest.raises(expected) as error:
            api.create_task(1, 2, TaskDraft("x"))
    assert type(error.value) is expected
    assert error.value.message == message
    text = describe(error.value, "create the task").text
    assert "Errno" not in text
    assert "[SSL" not in text
    assert text.count(". ") == 0


def test_undecodable_body_is_invalid_response(client: TogglClient, fake: FakeToggl) -> None:
    fake.fail_next(200, b"not gzip", headers={"Content-Encoding": "gzip"})
    with pytest.raises(InvalidResponseError):
        client.workspaces()


@pytest.mark.parametrize("when", ["before_store", "after_store"])
def test_dropped_connection_is_ambiguous(client: TogglClient, fake: FakeToggl, when: str) -> None:
    fake.drop_next(when)  # type: ignore[arg-type]
    pid = fake.project_id("Internal")
    with pytest.raises(AmbiguousError) as error:
        client.create_task(fake.premium_workspace_id, pid, TaskDraft("Dropped"))
    assert not isinstance(error.value, NetworkError)
    assert len(fake.tasks_named("Dropped")) == (1 if when == "after_store" else 0)


def test_read_timeout_is_ambiguous(fake: FakeToggl) -> None:
    fake.delay_next(1.5)
    timeout = httpx.Timeout(connect=2.0, read=0.3, write=2.0, pool=2.0)
    with TogglClient(fake.url, ApiToken(fake.token), timeout=timeout) as api:
        with pytest.raises(AmbiguousError, match="in time"):
            api.workspaces()


@pytest.mark.parametrize(
    "body", ["<html>Log in to the café Wi-Fi</html>", '{"truncated": ', "not json at all"]
)
def test_unreadable_success_is_invalid_response(
    client: TogglClient, fake: FakeToggl, body: str
) -> None:
    fake.fail_next(200, body, content_type="text/html")
    with pytest.raises(InvalidResponseError):
        client.workspaces()


def test_wrong_shape_is_invalid_response(client: TogglClient, fake: FakeToggl) -> None:
    fake.fail_next(200, '{"data": []}')
    with pytest.raises(InvalidResponseError):
        client.workspaces()
    fake.fail_next(200, '[{"name": "no id"}]')
    with pytest.raises(InvalidResponseError, match="id"):
        client.workspaces()


def test_null_list_is_empty(client: TogglClient, fake: FakeToggl) -> None:
    fake.fail_next(200, "null")
    assert client.workspaces() == []


def test_unknown_and_missing_fields_are_tolerated(client: TogglClient, fake: FakeToggl) -> None:
    fake.fail_next(200, '[{"id": 5, "brand_new_field": {"x": 1}, "premium": "yes"}]')
    (workspace,) = client.workspaces()
    assert (workspace.id, workspace.name, workspace.premium) == (5, "", None)


def test_not_signed_in_sends_nothing(fake: FakeToggl) -> None:
    with TogglClient(fake.url) as api, pytest.raises(AuthenticationError):
        api.workspaces()
    assert fake.requests == []


@pytest.mark.parametrize(
    "url",
    [
        "http://api.track.toggl.com/api/v9",
        "http://192.168.1.10/api/v9",
        "ftp://127.0.0.1/x",
        "nope",
        "http://[::1/api/v9",
        "http://127.0.0.1:99999/api/v9",
    ],
)
def test_insecure_or_bogus_urls_are_refused(url: str) -> None:
    with pytest.raises(InsecureUrlError):
        TogglClient(url)


def test_a_huge_answer_is_refused_not_swallowed(client: TogglClient, fake: FakeToggl) -> None:
    huge = b"[" + b'{"id": 1, "name": "x"},' * 1_100_000 + b'{"id": 2}]'  # ~26 MB
    fake.fail_next(200, huge)
    with pytest.raises(InvalidResponseError, match="larger than expected"):
        client.workspaces()
    assert client.workspaces()  # the next call works normally


@pytest.mark.parametrize(
    "error",
    [
        AuthenticationError("Incorrect username and/or password"),
        ForbiddenError("User does not have access to this resource"),
        BadRequestError("Invalid project_id"),
        PaidFeatureError("Only available on paid plans"),
        QuotaExceededError("You have hit your hourly limit for API calls", resets_in=10**30),
        RateLimitedError("Too many requests", retry_after=float("inf")),
        GoneError("This API version is no longer available"),
        ServerError("Internal Server Error", status=500),
        CertificateError("Toggl's server certificate could not be verified, so nothing was sent."),
        NetworkError("Could not connect to Toggl."),
        InvalidResponseError("Toggl's answer could not be read."),
        TimedOutError("Toggl did not answer in time."),
        AmbiguousError("The connection to Toggl broke before its answer arrived."),
    ],
    ids=lambda error: type(error).__name__,
)
def test_every_failure_is_one_sentence(error: TogglError) -> None:
    text = describe(error, "create the task").text
    assert text.endswith(".")
    assert ". " not in text
    assert "\n" not in text


def test_waits_from_headers_are_finite_and_within_an_hour() -> None:
    assert QuotaExceededError("x", resets_in=10**30).resets_in == 3600
    assert QuotaExceededError("x", resets_in=-5).resets_in == 0
    assert QuotaExceededError("x", resets_in=10**400).resets_in == 3600
    assert RateLimitedError("x", retry_after=float("inf")).retry_after == 3600
    assert RateLimitedError("x", retry_after=float("nan")).retry_after == 0


@pytest.mark.parametrize("raised", [RuntimeError("boom"), RecursionError(), OverflowError()])
def test_anything_else_that_escapes_is_an_ambiguous_toggl_error(
    raised: Exception, caplog: pytest.LogCaptureFixture
) -> None:
    """The contract of every public method: only `TogglError`s escape, and an unknown failure
    is ambiguous, so it can never lead to a task sent twice."""

    def fail(request: httpx.Request) -> httpx.Response:
        raise raised

    with TogglClient(
        "https://api.track.toggl.com/api/v9", ApiToken("t"), transport=httpx.MockTransport(fail)
    ) as api:
        with pytest.raises(InvalidResponseError) as error:
            api.create_task(1, 2, TaskDraft("x"))
    assert error.value.message == "Task Desk could not make sense of Toggl's answer."
    assert error.value.__cause__ is raised
    assert "create_task failed unexpectedly" in caplog.text


def test_text_that_cannot_be_encoded_is_refused_before_sending() -> None:
    sent: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={"id": 1, "name": "x"})

    with TogglClient(
        "https://api.track.toggl.com/api/v9", ApiToken("t"), transport=httpx.MockTransport(record)
    ) as api:
        with pytest.raises(BadRequestError, match="cannot be sent"):
            api.create_task(1, 2, TaskDraft("lone \ud800 surrogate"))
    assert sent == []
