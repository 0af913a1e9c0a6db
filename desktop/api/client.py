"""A small synchronous Toggl Track API v9 client over one `httpx.Client`.

Blocking by design: the UI runs it on a worker thread. httpx (with ssl and its CA bundle, some
15 MB) is imported and its client built at the first request, not with this object: an app
started on fresh cached lists and an empty outbox may never need it.

The contract, whatever the server (or something posing as it) answers: a public method of
`TogglClient` returns parsed, bounded models or raises a `TogglError` subclass, nothing else (the
constructor alone raises `InsecureUrlError` for a bad address). Concretely:

- each request has a total deadline (`deadline`, 30 s) over connect, send and read together, so
  an answer dripped a byte at a time ends in `TimedOutError` (or `NetworkError` when the
  connection was never made) instead of hanging;
- bodies are capped at 20 MB; JSON nested too deep or holding numbers too long to read is an
  `InvalidResponseError`, as is a model field out of bounds (see `desktop.api.models`);
- quota and Retry-After headers are read leniently and clamped to [0, 3600] seconds
  (`errors.MAX_WAIT_SECONDS`); unreadable ones are ignored;
- a TLS verification failure is a `CertificateError` (nothing was sent; not "offline");
- a created or updated task that Toggl reports in another project or workspace is an
  `InvalidResponseError` (an ambiguous send, to be settled by listing), never a delivery;
- every message is one plain sentence or Toggl's own words, with the credentials cut out (a
  server that echoes the token must not get it stored in the outbox or shown); exception text
  and errno go to the log only;
- anything else that goes wrong inside a call is logged with its traceback and raised as an
  `InvalidResponseError`, which, being ambiguous, can never make the app send a task twice.

Every response's quota headers are kept in `quota`.
"""

from __future__ import annotations

import base64
import functools
import json
import logging
import re
import time
from collections.abc import Callable, Iterator
from functools import cached_property
from math import ceil, isnan
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from desktop import APP_ID, __version__
from desktop.api.auth import ApiToken, Credentials
from desktop.api.endpoint import DEFAULT_BASE_URL, validate_base_url
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
    clamp_wait,
)
from desktop.api.models import Me, Project, Quota, Task, TaskChanges, TaskDraft, User, Workspace

if TYPE_CHECKING:
    import httpx

    from desktop.api.deadline import Deadline

log = logging.getLogger(__name__)

PROJECTS_PER_PAGE = 200  # Toggl's maximum page size: fewest requests against the hourly quota.
MAX_BODY_BYTES = 20 * 1024 * 1024
MAX_MESSAGE_CHARS = 500
DEFAULT_DEADLINE_SECONDS = 30.0
MAX_HEADER_COUNT = 10**9  # a quota count beyond this is absurd; clamped, not refused
MIN_SECRET_CHARS = 4  # shorter credentials are not cut out of messages: they would garble them
_P = ParamSpec("_P")
_R = TypeVar("_R")
_QUOTA_RESET_IN_BODY = re.compile(r"reset in (\d+) second", re.IGNORECASE)


def user_agent() -> str:
    import httpx

    return f"TaskDesk/{__version__} ({APP_ID}; httpx/{httpx.__version__})"


def _toggl_errors_only(call: Callable[_P, _R]) -> Callable[_P, _R]:
    """Keep the module's contract: whatever escapes `call` is a `TogglError`."""

    @functools.wraps(call)
    def guarded(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        try:
            return call(*args, **kwargs)
        except TogglError:
            raise
        except Exception as exc:
            log.exception("TogglClient.%s failed unexpectedly", call.__name__)
            raise InvalidResponseError("Task Desk could not make sense of Toggl's answer.") from exc

    return guarded


class TogglClient:
    """Toggl calls for one set of credentials. Not thread-safe: use it from one thread."""

    def __init__(
        self,
        base_url: str = DEFAULT_BASE_URL,
        credentials: Credentials | None = None,
        *,
        timeout: httpx.Timeout | None = None,
        transport: httpx.BaseTransport | None = None,
        deadline: float = DEFAULT_DEADLINE_SECONDS,
    ) -> None:
        """`timeout` None: 5 s to connect or get a pooled connection, 15 s to read or write;
        `deadline`: seconds for a whole request, however its bytes trickle in."""
        self.base_url = validate_base_url(base_url)
        self.credentials = credentials
        self.quota: Quota | None = None
        self._quota_blocked_until = 0.0  # wall-clock time: a machine asleep still waits
        self._timeout = timeout
        self._transport = transport
        self._deadline_seconds = deadline

    @cached_property
    def _http(self) -> httpx.Client:
        import httpx

        from desktop.api.deadline import install

        timeout = self._timeout
        if timeout is None:
            timeout = httpx.Timeout(connect=5.0, read=15.0, write=15.0, pool=5.0)
        client = httpx.Client(
            base_url=self.base_url + "/",
            timeout=timeout,
            transport=self._transport,
            headers={"User-Agent": user_agent(), "Accept": "application/json"},
            follow_redirects=False,
        )
        install(client, self._deadline)
        return client

    @cached_property
    def _deadline(self) -> Deadline:
        from desktop.api.deadline import Deadline

        return Deadline()

    def close(self) -> None:
        if "_http" in self.__dict__:
            self._http.close()

    def __enter__(self) -> TogglClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- calls -------------------------------------------------------------------------------

    @_toggl_errors_only
    def me(self) -> Me:
        """The signed-in user; with email and password it also yields the API token."""
        return Me.from_json(self._request("GET", "me"))

    @_toggl_errors_only
    def workspaces(self) -> list[Workspace]:
        return [Workspace.from_json(item) for item in self._list("GET", "me/workspaces")]

    @_toggl_errors_only
    def projects(self, workspace_id: int, *, active: bool | None = True) -> list[Project]:
        """Every page of a workspace's projects; archived ones are left out unless `active` is
        False (archived only) or None (all)."""
        projects: list[Project] = []
        seen: set[int] = set()
        page = 1
        while True:
            params: dict[str, str | int] = {"page": page, "per_page": PROJECTS_PER_PAGE}
            if active is not None:
                params["active"] = "true" if active else "false"
            items = self._list("GET", f"workspaces/{workspace_id}/projects", params=params)
            fresh = [p for p in map(Project.from_json, items) if p.id not in seen]
            projects.extend(fresh)
            seen.update(p.id for p in fresh)
            # A short page is the last one; a page of nothing new guards against a server
            # that ignores paging and would otherwise be asked forever.
            if len(items) < PROJECTS_PER_PAGE or not fresh:
                break
            page += 1
        if active is not None:
            projects = [p for p in projects if p.active == active]
        return projects

    @_toggl_errors_only
    def users(self, workspace_id: int) -> list[User]:
        users = self._list("GET", f"workspaces/{workspace_id}/users")
        return [User.from_json(item) for item in users]

    @_toggl_errors_only
    def tasks(
        self, workspace_id: int, project_id: int, *, active: bool | None = None
    ) -> list[Task]:
        params: dict[str, str | int] = {}
        if active is not None:
            params["active"] = "true" if active else "false"
        path = f"workspaces/{workspace_id}/projects/{project_id}/tasks"
        return [Task.from_json(item) for item in self._list("GET", path, params=params)]

    @_toggl_errors_only
    def create_task(self, workspace_id: int, project_id: int, draft: TaskDraft) -> Task:
        """The task Toggl created; an answer that names another project or workspace is an
        `InvalidResponseError` (ambiguous: settle it by listing), not a delivery."""
        path = f"workspaces/{workspace_id}/projects/{project_id}/tasks"
        task = Task.from_json(self._request("POST", path, body=draft.to_json()))
        return _same_place(task, workspace_id, project_id)

    @_toggl_errors_only
    def update_task(
        self, workspace_id: int, project_id: int, task_id: int, changes: TaskChanges
    ) -> Task:
        path = f"workspaces/{workspace_id}/projects/{project_id}/tasks/{task_id}"
        task = Task.from_json(self._request("PUT", path, body=changes.to_json()))
        return _same_place(task, workspace_id, project_id)

    # --- transport ---------------------------------------------------------------------------

    def _list(
        self, method: str, path: str, *, params: dict[str, str | int] | None = None
    ) -> list[Any]:
        data = self._request(method, path, params=params)
        if data is None:  # Toggl answers `null` for an empty collection.
            return []
        if not isinstance(data, list):
            raise InvalidResponseError("Toggl sent a list in an unexpected shape.")
        return data

    def _request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, str | int] | None = None,
        body: dict[str, Any] | None = None,
    ) -> Any:
        import httpx

        if self.credentials is None:
            raise AuthenticationError("Not signed in to Toggl.")
        blocked_for = self._quota_blocked_until - time.time()
        if blocked_for > 0:  # a request now would only spend the quota's reset on a 402
            raise QuotaExceededError(
                "The hourly Toggl request quota is still used up.", resets_in=ceil(blocked_for)
            )
        content, headers = _encode_body(body)
        http, deadline = self._http, self._deadline
        started = time.monotonic()
        deadline.start(self._deadline_seconds)
        try:
            with http.stream(
                method,
                path,
                params=params,
                content=content,
                headers=headers,
                auth=self.credentials.basic_auth(),
            ) as response:
                raw = _read_capped(response, deadline)
        except TogglError:
            raise
        except httpx.HTTPError as exc:
            log.warning("%s /%s failed: %s: %s", method, path, type(exc).__name__, _reason(exc))
            raise _transport_error(exc) from exc
        finally:
            deadline.clear()
        request_id = _request_id(response.headers)
        log.info(
            "%s /%s -> %s in %.0f ms (request id %s)",
            method,
            path,
            response.status_code,
            (time.monotonic() - started) * 1000,
            request_id,
        )
        self._read_quota(response.headers)
        # Everyone may read their own /me...: a 403 there means the credentials, not access.
        about_me = path == "me" or path.startswith("me/")
        if response.is_success:
            return _parse_json(raw, response, request_id)
        error = self._error(response, raw, request_id, credentials_refused_on_403=about_me)
        if isinstance(error, ForbiddenError) and not self._credentials_accepted():
            error = AuthenticationError(error.message, status=403, request_id=request_id)
        if isinstance(error, QuotaExceededError):
            self._quota_blocked_until = time.time() + error.resets_in
        raise error

    def _credentials_accepted(self) -> bool:
        """Toggl answers a revoked token with 403 everywhere, and a task it will not take with
        403 too: one `GET /me`, which everyone may read, tells them apart. Its verdict is not
        kept (a token can be reset between two requests): 403s are rare, and /me allows 30
        an hour. Other failures of that request propagate: the caller keeps its task and
        tries again later."""
        try:
            self._request("GET", "me")
        except AuthenticationError:
            return False
        return True

    def _read_quota(self, headers: httpx.Headers) -> None:
        remaining = _int_header(headers, "X-Toggl-Quota-Remaining")
        resets_in = _int_header(headers, "X-Toggl-Quota-Resets-In")
        if resets_in is not None:
            resets_in = int(clamp_wait(resets_in))
        if remaining is not None or resets_in is not None:
            self.quota = Quota(remaining=remaining, resets_in=resets_in)

    def _secrets(self) -> list[tuple[str, str]]:
        """What the credentials would reveal if a server echoed them, and what stands in."""
        if self.credentials is None:
            return []
        user, password = self.credentials.basic_auth()
        basic = base64.b64encode(f"{user}:{password}".encode()).decode()
        if isinstance(self.credentials, ApiToken):
            found = [(basic, "[credentials]"), (user, "[token]")]
        else:
            found = [(basic, "[credentials]"), (password, "[password]"), (user, "[email]")]
        return [(secret, mark) for secret, mark in found if len(secret) >= MIN_SECRET_CHARS]

    def _error(
        self,
        response: httpx.Response,
        raw: bytes,
        request_id: str | None,
        *,
        credentials_refused_on_403: bool,
    ) -> TogglError:
        status = response.status_code
        content_type = response.headers.get("Content-Type", "")
        reason = response.reason_phrase.strip() or f"Status {status}"
        message = toggl_message(raw, content_type, reason, self._secrets())
        common: dict[str, Any] = {"status": status, "request_id": request_id}
        if status == 401 or (status == 403 and credentials_refused_on_403):
            return AuthenticationError(message, **common)
        if status == 403:
            return ForbiddenError(message, **common)
        if status == 402:
            remaining = _int_header(response.headers, "X-Toggl-Quota-Remaining")
            if (remaining is not None and remaining <= 0) or _QUOTA_RESET_IN_BODY.search(message):
                resets_in = _quota_resets_in(response, message)
                return QuotaExceededError(message, resets_in=resets_in, **common)
            return PaidFeatureError(message, **common)
        if status == 410:
            return GoneError(message, **common)
        if status == 429:
            return RateLimitedError(message, retry_after=_retry_after(response.headers), **common)
        if 500 <= status < 600:
            return ServerError(message, **common)
        if 400 <= status < 500:
            return BadRequestError(message, **common)
        return InvalidResponseError(
            f"Toggl's address answered with an unexpected redirect or status ({status}); "
            "a captive portal or proxy may be in the way.",
            **common,
        )


def toggl_message(
    raw: bytes, content_type: str, reason: str, secrets: list[tuple[str, str]] | None = None
) -> str:
    """Toggl's error text: a JSON string literal, else plain text, else the HTTP reason phrase;
    one line, clipped, each of `secrets` (text, stand-in) replaced by its stand-in."""

    def said(text: str) -> str:
        for secret, mark in secrets or ():
            text = re.sub(re.escape(secret), mark, text, flags=re.IGNORECASE)
        return _clip(text.strip())

    text = raw.decode("utf-8", errors="replace").strip()
    if not text:
        return said(reason)
    try:
        data = json.loads(text)
    except ValueError:  # not JSON (or a number too long to convert): plain text
        data = None
    except RecursionError:  # JSON nested absurdly deep: nothing a person should read
        return said(reason)
    if isinstance(data, str):
        return said(data) or said(reason)
    if isinstance(data, dict):
        for key in ("message", "error", "error_message"):
            value = data.get(key)
            if isinstance(value, str) and said(value):
                return said(value)
    if "html" in content_type.lower() or text.startswith("<"):
        return said(reason)  # an HTML error page says nothing a person should read in a status line
    return said(text)


def _clip(text: str) -> str:
    """One line of at most MAX_MESSAGE_CHARS, every control or format character a space."""
    if len(text) > MAX_MESSAGE_CHARS:  # cut first: a 20 MB text body is not scanned
        text = text[: MAX_MESSAGE_CHARS - 1] + "…"
    return "".join(ch if ch.isprintable() else " " for ch in text)


def _encode_body(body: dict[str, Any] | None) -> tuple[bytes | None, dict[str, str]]:
    """The JSON request body, encoded here so that text that cannot be encoded (a lone
    surrogate) is a local refusal before anything is sent, not an exception from httpx."""
    if body is None:
        return None, {}
    try:
        content = json.dumps(body, ensure_ascii=False, allow_nan=False).encode("utf-8")
    except (ValueError, TypeError) as exc:  # UnicodeEncodeError is a ValueError
        raise BadRequestError("The task holds text that cannot be sent to Toggl.") from exc
    return content, {"Content-Type": "application/json"}


def _read_capped(response: httpx.Response, deadline: Deadline) -> bytes:
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise InvalidResponseError("Toggl's answer was far larger than expected.")
        chunks.append(chunk)
        if deadline.passed():  # a transport without the deadline backend (tests) still stops
            raise TimedOutError("Toggl did not answer in time.")
    return b"".join(chunks)


def _parse_json(raw: bytes, response: httpx.Response, request_id: str | None) -> Any:
    if not raw.strip():
        return None
    try:
        return json.loads(raw)
    except (ValueError, RecursionError) as exc:  # includes numbers too long to convert
        hint = " (a captive portal or proxy may be in the way)" if b"<" in raw[:200] else ""
        raise InvalidResponseError(
            f"Toggl's answer could not be read{hint}.",
            status=response.status_code,
            request_id=request_id,
        ) from exc


def _same_place(task: Task, workspace_id: int, project_id: int) -> Task:
    if (task.project_id is not None and task.project_id != project_id) or (
        task.workspace_id is not None and task.workspace_id != workspace_id
    ):
        log.warning(
            "Toggl answered with task %s in workspace %s, project %s; expected %s, %s",
            task.id,
            task.workspace_id,
            task.project_id,
            workspace_id,
            project_id,
        )
        raise InvalidResponseError(
            "Toggl's answer named another project than the one the task was sent to."
        )
    return task


def _transport_error(exc: httpx.HTTPError) -> TogglError:
    """The plain-sentence error for what httpx raised; the detail is logged by the caller."""
    import socket
    import ssl

    import httpx

    if isinstance(exc, httpx.ConnectTimeout):
        return NetworkError("Toggl did not accept a connection in time.")
    if isinstance(exc, httpx.PoolTimeout):
        return NetworkError("No connection to Toggl was free in time.")
    if isinstance(exc, httpx.TimeoutException):
        return TimedOutError("Toggl did not answer in time.")
    if isinstance(exc, httpx.ConnectError | httpx.ProxyError):
        causes = list(_causes(exc))
        if any(isinstance(cause, ssl.SSLCertVerificationError) for cause in causes):
            return CertificateError(
                "Toggl's server certificate could not be verified, so nothing was sent."
            )
        if any(isinstance(cause, ssl.SSLError) for cause in causes):
            return CertificateError(
                "A secure connection to Toggl could not be set up, so nothing was sent."
            )
        if any(isinstance(cause, socket.gaierror) for cause in causes):
            return NetworkError("Could not look up the address of Toggl's server.")
        if isinstance(exc, httpx.ProxyError):
            return NetworkError("Could not connect to Toggl through the proxy.")
        return NetworkError("Could not connect to Toggl.")
    if isinstance(exc, httpx.TransportError):
        return AmbiguousError("The connection to Toggl broke before its answer arrived.")
    return InvalidResponseError("Toggl's answer could not be read.")  # e.g. bad gzip


def _causes(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _reason(exc: Exception) -> str:
    """Exception text for the log only (never a message): a person cannot act on an errno."""
    text = str(exc).strip()
    return text[:200] if text else type(exc).__name__


def _request_id(headers: httpx.Headers) -> str | None:
    value = headers.get("X-Toggl-Request-Id")
    return None if value is None else _clip(value)[:100]


def _number_header(headers: httpx.Headers, name: str) -> float | None:
    """A header's number, or None when missing, unreadable or NaN; may be infinite."""
    value = headers.get(name)
    if value is None:
        return None
    try:
        number = float(value.strip()[:100])
    except ValueError:
        return None
    return None if isnan(number) else number


def _int_header(headers: httpx.Headers, name: str) -> int | None:
    """A count or a number of seconds, clamped to [0, MAX_HEADER_COUNT] (`inf` included)."""
    number = _number_header(headers, name)
    return None if number is None else int(min(max(number, 0.0), MAX_HEADER_COUNT))


def _retry_after(headers: httpx.Headers) -> float | None:
    """Retry-After in seconds, clamped to [0, 3600]; an HTTP date (rare) is left to our own
    backoff."""
    number = _number_header(headers, "Retry-After")
    return None if number is None else clamp_wait(number)


def _quota_resets_in(response: httpx.Response, message: str) -> int:
    header = _int_header(response.headers, "X-Toggl-Quota-Resets-In")
    if header is not None:
        return int(clamp_wait(header))
    match = _QUOTA_RESET_IN_BODY.search(message)
    return int(clamp_wait(int(match.group(1)))) if match else 3600
