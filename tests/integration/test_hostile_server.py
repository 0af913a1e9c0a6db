"""The client against a hostile server on 127.0.0.1 that can send any bytes, at any pace.

Whatever comes back (JSON nested too deep, numbers too big, absurd headers, answers dripped a
byte at a time, an untrusted certificate, a task of another project, the token echoed back),
`TogglClient` raises a `TogglError` with one plain sentence, within its deadline.
"""

from __future__ import annotations

import json
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from desktop.api.answers import MAX_MESSAGE_CHARS
from desktop.api.auth import ApiToken, EmailPassword
from desktop.api.client import TogglClient
from desktop.api.deadline import DeadlineBackend
from desktop.api.errors import (
    AmbiguousError,
    BadRequestError,
    CertificateError,
    InvalidResponseError,
    NetworkError,
    QuotaExceededError,
    RateLimitedError,
    ServerError,
    TimedOutError,
    TogglError,
)
from desktop.api.models import MAX_TEXT_CHARS, TaskChanges, TaskDraft
from desktop.messages import describe
from desktop.store.cache import Cache
from desktop.store.database import open_database

TOKEN = "0123456789abcdef0123456789abcdef"
WORKSPACE, PROJECT = 7, 70


@dataclass(slots=True)
class Drip:
    """Bytes sent one at a time, `every` seconds apart (until the client hangs up)."""

    data: bytes
    every: float


Part = bytes | Drip


@dataclass
class HostileServer:
    """One answer per connection, scripted as raw bytes; the connection is closed after it."""

    tls: ssl.SSLContext | None = None
    requests: list[bytes] = field(default_factory=list)
    handshakes_failed: int = 0
    _answers: list[list[Part]] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}/api/v9"

    def answer(self, *parts: Part) -> None:
        self._answers.append(list(parts))

    def start(self) -> HostileServer:
        thread = threading.Thread(target=self._accept, daemon=True)
        thread.start()
        self._threads.append(thread)
        return self

    def stop(self) -> None:
        self._stop.set()
        socket.create_connection(("127.0.0.1", self.port)).close()  # wakes the accept
        for thread in self._threads:
            thread.join(timeout=5)
        self._listener.close()

    def _accept(self) -> None:
        while True:
            conn, _ = self._listener.accept()
            if self._stop.is_set():
                conn.close()
                return
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            thread.start()
            self._threads.append(thread)

    def _serve(self, conn: socket.socket) -> None:
        try:
            if self.tls is not None:
                conn.settimeout(5)
                try:
                    conn = self.tls.wrap_socket(conn, server_side=True)
                except (ssl.SSLError, OSError):
                    self.handshakes_failed += 1
                    return
            self.requests.append(_read_request(conn))
            parts = self._answers.pop(0) if self._answers else [respond(404, b'"Not found"')]
            for part in parts:
                if isinstance(part, Drip):
                    for byte in part.data:
                        if self._stop.wait(part.every):
                            return
                        conn.sendall(bytes([byte]))
                else:
                    conn.sendall(part)
        except OSError:
            pass  # the client hung up: what a deadline is for
        finally:
            conn.close()


def _read_request(conn: socket.socket) -> bytes:
    conn.settimeout(5)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


def respond(
    status: int,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
    *,
    reason: str = "Reason",
) -> bytes:
    lines = [f"HTTP/1.1 {status} {reason}", f"Content-Length: {len(body)}", "Connection: close"]
    if "Content-Type" not in (headers or {}):
        lines.append("Content-Type: application/json")
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


@pytest.fixture
def server() -> Iterator[HostileServer]:
    hostile = HostileServer().start()
    try:
        yield hostile
    finally:
        hostile.stop()


@pytest.fixture
def client(server: HostileServer) -> Iterator[TogglClient]:
    with TogglClient(server.url, ApiToken(TOKEN)) as api:
        yield api


def assert_plain(error: TogglError) -> None:
    """One plain sentence: no errno, no exception text, no line break, no token."""
    message = error.message
    assert message
    assert len(message) <= 500
    assert "Errno" not in message
    assert "\n" not in message
    assert TOKEN not in message
    text = describe(error, "create the task").text
    assert "Errno" not in text
    assert "\n" not in text
    assert TOKEN not in text
    assert text.endswith((".", "…")), text


# --- absurd bodies (issue #10, failure 4) ------------------------------------------------------


@pytest.mark.parametrize("depth", [100_000, 1_000_000])
def test_json_nested_too_deep_is_an_invalid_response(
    client: TogglClient, server: HostileServer, depth: int
) -> None:
    server.answer(respond(200, b"[" * depth + b"]" * depth))
    with pytest.raises(InvalidResponseError) as error:
        client.workspaces()
    assert_plain(error.value)


def test_json_nested_too_deep_in_an_error_body_gives_the_reason_phrase(
    client: TogglClient, server: HostileServer
) -> None:
    server.answer(respond(400, b'{"a":' * 200_000 + b"1" + b"}" * 200_000, reason="Bad Request"))
    with pytest.raises(BadRequestError) as error:
        client.workspaces()
    assert error.value.message == "Bad Request"


def test_numbers_too_long_to_read_are_an_invalid_response(
    client: TogglClient, server: HostileServer
) -> None:
    server.answer(respond(200, b'[{"id": 1' + b"0" * 5000 + b', "name": "x"}]'))
    with pytest.raises(InvalidResponseError) as error:
        client.workspaces()
    assert_plain(error.value)
    server.answer(respond(400, b"9" * 6000))
    with pytest.raises(BadRequestError) as refused:
        client.workspaces()
    assert_plain(refused.value)


@pytest.mark.parametrize("task_id", [2**63, 2**64, 10**30, -1, 2**53])
def test_an_id_out_of_bounds_is_an_invalid_response(
    client: TogglClient, server: HostileServer, task_id: int
) -> None:
    server.answer(respond(200, json.dumps([{"id": task_id, "name": "x"}]).encode()))
    with pytest.raises(InvalidResponseError, match="valid id"):
        client.tasks(WORKSPACE, PROJECT)


def test_fields_out_of_bounds_read_as_unknown_and_fit_sqlite(
    client: TogglClient, server: HostileServer, tmp_path: Path
) -> None:
    task = {
        "id": 2**53 - 1,
        "name": "n" * 5000 + "\ud800",
        "at": "0001-01-01T00:00:00Z",
        "estimated_seconds": 2**63,
        "tracked_seconds": 10**30,
        "user_id": 2**64,
        "user_name": "\udfff",
        "project_id": PROJECT,
        "workspace_id": -5,
    }
    later = dict(
        task, id=2, name="ok", at="2150-01-01T00:00:00+00:00", estimated_seconds=-1, user_id=0
    )
    kept = dict(task, id=3, name="kept", at="2026-03-18T10:00:00Z", estimated_seconds=5400)
    server.answer(respond(200, json.dumps([task, later, kept]).encode()))
    first, second, third = client.tasks(WORKSPACE, PROJECT)
    assert len(first.name) == MAX_TEXT_CHARS
    assert first.name.endswith("…")
    assert (first.at, first.estimated_seconds, first.tracked_ms, first.user_id) == (
        "",
        None,
        None,
        None,
    )
    assert first.user_name == "\ufffd"
    assert first.workspace_id is None
    assert (second.at, second.estimated_seconds, second.user_id) == ("", None, None)
    assert (third.at, third.estimated_seconds) == ("2026-03-18T10:00:00Z", 5400)
    data_dir = tmp_path / "data"
    data_dir.mkdir(mode=0o700)
    connection = open_database(data_dir)
    try:
        cache = Cache(connection)
        cache.save_tasks(PROJECT, [first, second, third])
        assert {t.id for t in cache.tasks(PROJECT)} == {2**53 - 1, 2, 3}
    finally:
        connection.close()


def test_a_token_that_is_not_a_token_is_dropped(client: TogglClient, server: HostileServer) -> None:
    server.answer(respond(200, json.dumps({"id": 1, "api_token": "x" * 10_000}).encode()))
    assert client.me().api_token is None
    server.answer(respond(200, json.dumps({"id": 1, "api_token": "ab\ncd"}).encode()))
    assert client.me().api_token is None


def test_html_and_status_oddities(client: TogglClient, server: HostileServer) -> None:
    server.answer(respond(500, b"<html>" + b"<p>x</p>" * 100_000, {"Content-Type": "text/html"}))
    with pytest.raises(ServerError) as error:
        client.workspaces()
    assert error.value.message == "Reason"
    server.answer(respond(299, b"[]"))
    assert client.workspaces() == []
    server.answer(respond(999, b'"?"'))
    with pytest.raises(InvalidResponseError) as odd:
        client.workspaces()
    assert_plain(odd.value)


@pytest.mark.parametrize(
    "raw",
    [
        b"HELLO\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * 200_000 + b"\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n[1,",
        b"",
    ],
    ids=["garbage status line", "absurd header", "body cut short", "silence"],
)
def test_broken_answers_are_ambiguous_with_a_plain_sentence(
    client: TogglClient, server: HostileServer, raw: bytes
) -> None:
    server.answer(raw)
    with pytest.raises(AmbiguousError) as error:
        client.create_task(WORKSPACE, PROJECT, TaskDraft("x"))
    assert not isinstance(error.value, NetworkError)
    assert_plain(error.value)


# --- absurd quota and Retry-After headers (issue #10, failure 4) -----------------------------

ABSURD = ["inf", "-inf", "nan", "1e20", "-5", "garbage", "9" * 5000, "1e309", "0x10", ""]


@pytest.mark.parametrize("value", ABSURD)
def test_absurd_quota_headers_are_clamped(
    client: TogglClient, server: HostileServer, value: str
) -> None:
    headers = {"X-Toggl-Quota-Remaining": value, "X-Toggl-Quota-Resets-In": value}
    server.answer(respond(200, b"[]", headers))
    assert client.workspaces() == []
    if client.quota is not None:
        assert client.quota.remaining is None or client.quota.remaining >= 0
        assert client.quota.resets_in is None or 0 <= client.quota.resets_in <= 3600


@pytest.mark.parametrize("value", ABSURD)
def test_a_spent_quota_waits_at_most_an_hour(value: str, server: HostileServer) -> None:
    headers = {"X-Toggl-Quota-Remaining": "0", "X-Toggl-Quota-Resets-In": value}
    server.answer(respond(402, b'"You have hit your hourly limit for API calls."', headers))
    with TogglClient(server.url, ApiToken(TOKEN)) as api:
        with pytest.raises(QuotaExceededError) as error:
            api.workspaces()
    assert 0 <= error.value.resets_in <= 3600
    assert "waiting until" in describe(error.value, "load the workspaces").text


@pytest.mark.parametrize("value", [*ABSURD, "1e12"])
def test_absurd_retry_after_is_clamped(
    client: TogglClient, server: HostileServer, value: str
) -> None:
    server.answer(respond(429, b'"Too many requests"', {"Retry-After": value}))
    with pytest.raises(RateLimitedError) as error:
        client.workspaces()
    after = error.value.retry_after
    assert after is None or 0 <= after <= 3600
    if value in ("inf", "1e20", "1e12", "1e309", "9" * 5000):
        assert after == 3600


def test_a_quota_reset_in_the_body_is_clamped(client: TogglClient, server: HostileServer) -> None:
    body = b'"You have hit your hourly limit. The quota will reset in ' + b"9" * 300 + b' seconds."'
    server.answer(respond(402, body))
    with pytest.raises(QuotaExceededError) as error:
        client.workspaces()
    assert error.value.resets_in == 3600
    describe(error.value, "load the workspaces")  # time.localtime() once overflowed here


# --- a total deadline (issue #10, failure 5) ---------------------------------------------------

TIMEOUT = httpx.Timeout(connect=2.0, read=1.0, write=2.0, pool=2.0)


def test_headers_dripped_byte_by_byte_end_at_the_deadline(server: HostileServer) -> None:
    server.answer(b"HTTP/1.1 200 OK\r\n", Drip(b"X-Slow: " + b"a" * 200 + b"\r\n\r\n[]", 0.1))
    with TogglClient(server.url, ApiToken(TOKEN), timeout=TIMEOUT, deadline=1.5) as api:
        started = time.monotonic()
        with pytest.raises(TimedOutError) as error:
            api.create_task(WORKSPACE, PROJECT, TaskDraft("x"))
    assert 1.4 <= time.monotonic() - started < 5
    assert_plain(error.value)


def test_a_body_dripped_byte_by_byte_ends_at_the_deadline(server: HostileServer) -> None:
    body = b"[" + b" " * 200 + b"]"
    head = respond(200, body)[: -len(body)]
    server.answer(head, Drip(body, 0.1))
    with TogglClient(server.url, ApiToken(TOKEN), timeout=TIMEOUT, deadline=1.5) as api:
        started = time.monotonic()
        with pytest.raises(TimedOutError):
            api.workspaces()
    assert 1.4 <= time.monotonic() - started < 5


def test_a_prompt_answer_is_not_cut_by_the_deadline(server: HostileServer) -> None:
    """The control: the same client and server with the whole answer inside the deadline."""
    server.answer(b"HTTP/1.1 200 OK\r\n", Drip(b"Content-Length: 2\r\n\r\n[]", 0.01))
    with TogglClient(server.url, ApiToken(TOKEN), timeout=TIMEOUT, deadline=3.0) as api:
        assert api.workspaces() == []


def test_the_deadline_is_under_every_connection_pool() -> None:
    """It relies on a private attribute of httpx's pool; an httpx that renames it fails here."""
    with TogglClient("https://api.track.toggl.com/api/v9", ApiToken("t")) as api:
        pool = api._http._transport._pool  # type: ignore[attr-defined]
        assert isinstance(pool._network_backend, DeadlineBackend)


# --- TLS (weaker point: "a TLS failure is reported as You are offline") -----------------------


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[Path, Path]:
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("the openssl command is needed to make a self-signed certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "2",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


def test_an_untrusted_certificate_is_its_own_error_and_sends_nothing(
    certificate: tuple[Path, Path],
) -> None:
    cert, key = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    tls_server = HostileServer(tls=context).start()
    try:
        with TogglClient(tls_server.url, ApiToken(TOKEN)) as api:
            with pytest.raises(CertificateError) as error:
                api.create_task(WORKSPACE, PROJECT, TaskDraft("x"))
        assert not isinstance(error.value, NetworkError | AmbiguousError)
        assert tls_server.requests == []  # nothing was sent
        failure = describe(error.value, "create the task")
        assert failure.text.startswith("Toggl's server certificate could not be verified")
        assert not failure.offline
        assert failure.text.count(". ") == 0
        assert "Errno" not in failure.text
        # The control: the same server answers a client that trusts its certificate.
        tls_server.answer(respond(200, b"[]"))
        trusting = ssl.create_default_context(cafile=str(cert))
        with httpx.Client(verify=trusting) as plain:
            assert plain.get(tls_server.url + "/me/workspaces").json() == []
    finally:
        tls_server.stop()


# --- a 201 for another project (weaker point) ---------------------------------------------------


def _task(**fields: Any) -> bytes:
    return json.dumps({"id": 11, "name": "x", "project_id": PROJECT, "workspace_id": WORKSPACE}
                      | fields).encode()  # fmt: skip


@pytest.mark.parametrize(
    "fields", [{"project_id": PROJECT + 1}, {"workspace_id": WORKSPACE + 1}], ids=["project", "ws"]
)
def test_a_created_task_somewhere_else_is_not_a_delivery(
    client: TogglClient, server: HostileServer, fields: dict[str, int]
) -> None:
    server.answer(respond(201, _task(**fields)))
    with pytest.raises(AmbiguousError) as error:
        client.create_task(WORKSPACE, PROJECT, TaskDraft("x"))
    assert not isinstance(error.value, NetworkError)
    assert "another project" in error.value.message
    server.answer(respond(201, _task()))  # the control: the right project is a delivery
    assert client.create_task(WORKSPACE, PROJECT, TaskDraft("x")).id == 11


# --- the token echoed back (weaker point) ------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        json.dumps(f"Invalid token {TOKEN}").encode(),
        json.dumps({"message": f"bad {TOKEN.upper()}"}).encode(),
        ('"bad \\u0030' + TOKEN[1:] + '"').encode(),
        f"token={TOKEN}".encode(),
        b"" + ("x" * 480 + TOKEN).encode(),
    ],
    ids=["string", "upper-case", "escaped", "plain text", "at the clipping edge"],
)
def test_a_server_that_echoes_the_token_does_not_get_it_stored(
    client: TogglClient, server: HostileServer, body: bytes
) -> None:
    server.answer(respond(500, body, reason=f"Oops {TOKEN}"))
    with pytest.raises(ServerError) as error:
        client.workspaces()
    assert TOKEN not in error.value.message.lower()
    assert TOKEN[:12] not in error.value.message.lower()
    assert "[token]" in error.value.message


def test_echoed_email_password_and_basic_credentials_are_cut_out(server: HostileServer) -> None:
    import base64

    basic = base64.b64encode(b"me@example.com:s3cret-pass").decode()
    body = json.dumps(f"user me@example.com pass s3cret-pass auth Basic {basic}").encode()
    server.answer(respond(403, body))
    with TogglClient(server.url, EmailPassword("me@example.com", "s3cret-pass")) as api:
        with pytest.raises(TogglError) as error:
            api.me()
    message = error.value.message
    assert "s3cret-pass" not in message
    assert basic not in message
    assert "me@example.com" not in message
    assert message == "user [email] pass [password] auth Basic [credentials]"


def test_a_project_listing_that_pages_forever_ends_in_a_sentence(
    client: TogglClient, server: HostileServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Full pages of projects never seen before, without end: the listing gives up after as
    many pages as a workspace could hold, instead of asking while the quota drains."""
    monkeypatch.setattr("desktop.api.client.PROJECTS_PER_PAGE", 2)
    monkeypatch.setattr("desktop.api.client.MAX_PROJECT_PAGES", 3)
    for page in range(5):
        ids = (page * 2 + 1, page * 2 + 2)
        body = json.dumps([{"id": i, "name": f"p{i}", "active": True} for i in ids]).encode()
        server.answer(respond(200, body))
    with pytest.raises(InvalidResponseError) as error:
        client.projects(WORKSPACE)
    assert_plain(error.value)
    assert len(server.requests) == 3


# --- the task list of issue #13 ----------------------------------------------------------------


def task_page(ids: range, *, per_page: int, total: int, project: int = PROJECT) -> bytes:
    data = [{"id": i, "name": f"t{i}", "project_id": project} for i in ids]
    body = {"data": data, "page": 1, "per_page": per_page, "total_count": total}
    return json.dumps(body).encode()


def test_a_task_listing_that_pages_forever_ends_in_a_sentence(
    client: TogglClient, server: HostileServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Full pages of new tasks, a total that never comes: the listing gives up, it does not
    loop while the quota drains."""
    monkeypatch.setattr("desktop.api.task_calls.MAX_TASK_PAGES", 3)
    for page in range(5):
        server.answer(
            respond(200, task_page(range(page * 2 + 1, page * 2 + 3), per_page=2, total=10**12))
        )
    with pytest.raises(InvalidResponseError) as error:
        client.task_listing(WORKSPACE, PROJECT)
    assert_plain(error.value)
    assert len(server.requests) == 3


@pytest.mark.parametrize(
    "body",
    [b"[]", b'"tasks"', b'{"data": {"id": 1}}', b'{"data": "x"}', b"{" * 5000],
)
def test_a_task_listing_in_another_shape_is_an_invalid_response(
    client: TogglClient, server: HostileServer, body: bytes
) -> None:
    server.answer(respond(200, body))
    with pytest.raises(InvalidResponseError) as error:
        client.task_listing(WORKSPACE, PROJECT)
    assert_plain(error.value)


def test_a_task_listing_keeps_only_this_projects_tasks_and_no_absurd_clock(
    client: TogglClient, server: HostileServer
) -> None:
    """A server that ignores `pid` lists the workspace: other projects' tasks are left out. A
    Date far in the future must not become the next `since` (changes would be missed)."""
    mixed = {
        "data": [
            {"id": 1, "name": "mine", "project_id": PROJECT},
            {"id": 2, "name": "other", "project_id": PROJECT + 1},
            {"id": 3, "name": "no project said"},
        ],
        "per_page": "200",
        "total_count": -1,
    }
    server.answer(
        respond(200, json.dumps(mixed).encode(), {"Date": "Fri, 01 Jan 2100 00:00:00 GMT"})
    )
    listing = client.task_listing(WORKSPACE, PROJECT)
    assert [t.id for t in listing.tasks] == [1, 3]
    assert listing.as_of is None
    assert len(server.requests) == 1


def test_an_answer_about_another_task_is_not_that_task(
    client: TogglClient, server: HostileServer
) -> None:
    server.answer(respond(200, json.dumps({"id": 9, "name": "x", "project_id": PROJECT}).encode()))
    with pytest.raises(InvalidResponseError, match="another task") as error:
        client.task(WORKSPACE, PROJECT, 8)
    assert_plain(error.value)


def test_a_bulk_change_answered_absurdly_leaves_the_tasks_unanswered(
    client: TogglClient, server: HostileServer
) -> None:
    """Only ids asked about count, each once; what Toggl did not say is left for a listing."""
    answer = {"success": [2**64, "1", 3, 3], "failure": [{"id": 1, "message": "\x1b[31m" * 400}]}
    server.answer(respond(200, json.dumps(answer).encode()))
    result = client.patch_tasks(WORKSPACE, PROJECT, [1, 2, 3], TaskChanges(active=False))
    assert result.succeeded == [3]
    assert list(result.failed) == [1]
    assert len(result.failed[1]) <= MAX_MESSAGE_CHARS
    assert result.failed[1].isprintable()  # one line, no escape sequences
    assert result.unanswered == [2]
    request = server.requests[0]
    assert request.startswith(b"PATCH /api/v9/workspaces/7/projects/70/tasks/1,2,3 ")
