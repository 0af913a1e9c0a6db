"""A small synchronous Toggl Track API v9 client over one `httpx.Client`.

Blocking by design: the UI runs it on a worker thread. Every call raises a `TogglError` subclass
on failure, and every response's quota headers are kept in `quota`. httpx (with ssl and its CA
bundle, some 15 MB) is imported and its client built at the first request, not with this object:
an app started on fresh cached lists and an empty outbox may never need it.
"""

from __future__ import annotations

import json
import logging
import re
import time
from functools import cached_property
from math import ceil
from typing import TYPE_CHECKING, Any

from desktop import APP_ID, __version__
from desktop.api.auth import Credentials
from desktop.api.endpoint import DEFAULT_BASE_URL, validate_base_url
from desktop.api.errors import (
    AmbiguousError,
    AuthenticationError,
    BadRequestError,
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
from desktop.api.models import Me, Project, Quota, Task, TaskChanges, TaskDraft, User, Workspace

if TYPE_CHECKING:
    import httpx

log = logging.getLogger(__name__)

PROJECTS_PER_PAGE = 200  # Toggl's maximum page size: fewest requests against the hourly quota.
MAX_BODY_BYTES = 20 * 1024 * 1024
MAX_MESSAGE_CHARS = 500
_QUOTA_RESET_IN_BODY = re.compile(r"reset in (\d+) second", re.IGNORECASE)


def user_agent() -> str:
    import httpx

    return f"TaskDesk/{__version__} ({APP_ID}; httpx/{httpx.__version__})"


class TogglClient:
    """Toggl calls for one set of credentials. Not thread-safe: use it from one thread."""

    def __init__(
        self,
        base_url: str = DEFAULT_BASE_URL,
        credentials: Credentials | None = None,
        *,
        timeout: httpx.Timeout | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        """`timeout` None: 5 s to connect or get a pooled connection, 15 s to read or write."""
        self.base_url = validate_base_url(base_url)
        self.credentials = credentials
        self.quota: Quota | None = None
        self._quota_blocked_until = 0.0  # wall-clock time: a machine asleep still waits
        self._timeout = timeout
        self._transport = transport

    @cached_property
    def _http(self) -> httpx.Client:
        import httpx

        timeout = self._timeout
        if timeout is None:
            timeout = httpx.Timeout(connect=5.0, read=15.0, write=15.0, pool=5.0)
        return httpx.Client(
            base_url=self.base_url + "/",
            timeout=timeout,
            transport=self._transport,
            headers={"User-Agent": user_agent(), "Accept": "application/json"},
            follow_redirects=False,
        )

    def close(self) -> None:
        if "_http" in self.__dict__:
            self._http.close()

    def __enter__(self) -> TogglClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- calls -------------------------------------------------------------------------------

    def me(self) -> Me:
        """The signed-in user; with email and password it also yields the API token."""
        return Me.from_json(self._request("GET", "me"))

    def workspaces(self) -> list[Workspace]:
        return [Workspace.from_json(item) for item in self._list("GET", "me/workspaces")]

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

    def users(self, workspace_id: int) -> list[User]:
        users = self._list("GET", f"workspaces/{workspace_id}/users")
        return [User.from_json(item) for item in users]

    def tasks(
        self, workspace_id: int, project_id: int, *, active: bool | None = None
    ) -> list[Task]:
        params: dict[str, str | int] = {}
        if active is not None:
            params["active"] = "true" if active else "false"
        path = f"workspaces/{workspace_id}/projects/{project_id}/tasks"
        return [Task.from_json(item) for item in self._list("GET", path, params=params)]

    def create_task(self, workspace_id: int, project_id: int, draft: TaskDraft) -> Task:
        path = f"workspaces/{workspace_id}/projects/{project_id}/tasks"
        return Task.from_json(self._request("POST", path, body=draft.to_json()))

    def update_task(
        self, workspace_id: int, project_id: int, task_id: int, changes: TaskChanges
    ) -> Task:
        path = f"workspaces/{workspace_id}/projects/{project_id}/tasks/{task_id}"
        return Task.from_json(self._request("PUT", path, body=changes.to_json()))

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
        started = time.monotonic()
        try:
            with self._http.stream(
                method, path, params=params, json=body, auth=self.credentials.basic_auth()
            ) as response:
                raw = _read_capped(response)
        except httpx.ConnectTimeout as exc:
            raise NetworkError("Toggl did not accept a connection in time.") from exc
        except httpx.PoolTimeout as exc:
            raise NetworkError("No connection to Toggl was free in time.") from exc
        except httpx.TimeoutException as exc:
            raise TimedOutError("Toggl did not answer in time.") from exc
        except (httpx.ConnectError, httpx.ProxyError) as exc:
            raise NetworkError(f"Could not connect to Toggl ({_reason(exc)}).") from exc
        except httpx.TransportError as exc:
            raise AmbiguousError(f"The connection to Toggl broke ({_reason(exc)}).") from exc
        except httpx.HTTPError as exc:  # e.g. a body that fails to decode
            raise InvalidResponseError(
                f"Toggl's answer could not be read ({_reason(exc)})."
            ) from exc
        request_id = response.headers.get("X-Toggl-Request-Id")
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
        if remaining is not None or resets_in is not None:
            self.quota = Quota(remaining=remaining, resets_in=resets_in)

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
        message = toggl_message(raw, content_type, response.reason_phrase)
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
        if status >= 500:
            return ServerError(message, **common)
        if 400 <= status < 500:
            return BadRequestError(message, **common)
        return InvalidResponseError(
            f"Toggl's address answered with an unexpected redirect or status ({status}); "
            "a captive portal or proxy may be in the way.",
            **common,
        )


def toggl_message(raw: bytes, content_type: str, reason: str) -> str:
    """Toggl's error text: a JSON string literal, else plain text, else the HTTP reason phrase."""
    text = raw.decode("utf-8", errors="replace").strip()
    if not text:
        return reason
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if isinstance(data, str):
        return _clip(data.strip()) or reason
    if isinstance(data, dict):
        for key in ("message", "error", "error_message"):
            value = data.get(key)
            if isinstance(value, str) and value.strip():
                return _clip(value.strip())
    if "html" in content_type.lower() or text.startswith("<"):
        return reason  # an HTML error page says nothing a person should read in a status line
    return _clip(text)


def _clip(text: str) -> str:
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    return text if len(text) <= MAX_MESSAGE_CHARS else text[: MAX_MESSAGE_CHARS - 1] + "…"


def _read_capped(response: httpx.Response) -> bytes:
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise InvalidResponseError("Toggl's answer was far larger than expected.")
        chunks.append(chunk)
    return b"".join(chunks)


def _parse_json(raw: bytes, response: httpx.Response, request_id: str | None) -> Any:
    if not raw.strip():
        return None
    try:
        return json.loads(raw)
    except ValueError as exc:
        hint = " (a captive portal or proxy may be in the way)" if b"<" in raw[:200] else ""
        raise InvalidResponseError(
            f"Toggl's answer could not be read{hint}.",
            status=response.status_code,
            request_id=request_id,
        ) from exc


def _reason(exc: Exception) -> str:
    text = str(exc).strip()
    return text[:200] if text else type(exc).__name__


def _int_header(headers: httpx.Headers, name: str) -> int | None:
    value = headers.get(name)
    if value is None:
        return None
    try:
        return int(float(value.strip()))
    except ValueError:
        return None


def _retry_after(headers: httpx.Headers) -> float | None:
    value = headers.get("Retry-After")
    if value is None:
        return None
    try:
        return max(0.0, float(value.strip()))
    except ValueError:
        return None  # an HTTP date: rare enough to fall back to our own backoff


def _quota_resets_in(response: httpx.Response, message: str) -> int:
    header = _int_header(response.headers, "X-Toggl-Quota-Resets-In")
    if header is not None:
        return max(0, header)
    match = _QUOTA_RESET_IN_BODY.search(message)
    return int(match.group(1)) if match else 3600
