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

Every response's quota headers are kept in `quota`, its Date header in `last_answer_date`. The
task calls (a project's tasks by pages or by changes since, one task, create, change, delete,
the bulk PATCH) are in `desktop.api.task_calls`, a mixin over this class's one `_request`.
"""

from __future__ import annotations

import base64
import logging
import time
from collections.abc import Callable
from functools import cached_property
from math import ceil
from typing import TYPE_CHECKING

from desktop import APP_ID, __version__
from desktop.api.answers import (
    encode_body,
    error_for,
    int_header,
    parse_json,
    read_capped,
    reason_of,
    request_id_of,
    transport_error,
)
from desktop.api.auth import ApiToken, Credentials
from desktop.api.endpoint import DEFAULT_BASE_URL, validate_base_url
from desktop.api.errors import (
    AuthenticationError,
    ForbiddenError,
    InvalidResponseError,
    QuotaExceededError,
    TogglError,
    clamp_wait,
)
from desktop.api.guard import toggl_errors_only
from desktop.api.models import JSON, Me, Project, Quota, User, Workspace
from desktop.api.task_calls import TaskCalls

if TYPE_CHECKING:
    import httpx

    from desktop.api.deadline import Deadline

log = logging.getLogger(__name__)

PROJECTS_PER_PAGE = 200  # Toggl's maximum page size: fewest requests against the hourly quota.
MAX_PROJECT_PAGES = 500  # 100,000 projects: a server still paging past that is not listing one
DEFAULT_DEADLINE_SECONDS = 30.0
MIN_SECRET_CHARS = 4  # shorter credentials are not cut out of messages: they would garble them


def user_agent() -> str:
    import httpx  # loaded by then: it names the client making the first request

    return f"TaskDesk/{__version__} ({APP_ID}; httpx/{httpx.__version__})"


class TogglClient(TaskCalls):
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
        self.last_answer_date: str | None = None
        """The Date header of the last answer: Toggl's clock, for listing changes since."""
        self._quota_blocked_until = 0.0  # wall-clock time: a machine asleep still waits
        self._timeout = timeout
        self._transport = transport
        self._deadline_seconds = deadline

    @cached_property
    def _http(self) -> httpx.Client:
        import httpx  # at the first request: a session that sends nothing never loads it

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

    @toggl_errors_only
    def me(self) -> Me:
        """The signed-in user; with email and password it also yields the API token."""
        return Me.from_json(self._request("GET", "me"))

    @toggl_errors_only
    def workspaces(self) -> list[Workspace]:
        return [Workspace.from_json(item) for item in self._list("GET", "me/workspaces")]

    @toggl_errors_only
    def projects(
        self,
        workspace_id: int,
        *,
        active: bool | None = True,
        progress: Callable[[int], None] | None = None,
    ) -> list[Project]:
        """Every page of a workspace's projects; archived ones are left out unless `active` is
        False (archived only) or None (all). `progress` hears how many have arrived before each
        further page is asked for (Toggl's paging gives no total)."""
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
            if page >= MAX_PROJECT_PAGES:
                raise InvalidResponseError(
                    "Toggl sent more pages of projects than a workspace holds."
                )
            if progress is not None:
                progress(len(projects))
            page += 1
        if active is not None:
            projects = [p for p in projects if p.active == active]
        return projects

    @toggl_errors_only
    def users(self, workspace_id: int) -> list[User]:
        users = self._list("GET", f"workspaces/{workspace_id}/users")
        return [User.from_json(item) for item in users]

    # --- transport ---------------------------------------------------------------------------

    def _list(
        self, method: str, path: str, *, params: dict[str, str | int] | None = None
    ) -> list[JSON]:
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
        body: JSON = None,
    ) -> JSON:
        import httpx  # loads with the first request, as in `_http`

        if self.credentials is None:
            raise AuthenticationError("Not signed in to Toggl.")
        blocked_for = self._quota_blocked_until - time.time()
        if blocked_for > 0:  # a request now would only spend the quota's reset on a 402
            raise QuotaExceededError(
                "The hourly Toggl request quota is still used up.", resets_in=ceil(blocked_for)
            )
        content, headers = encode_body(body)
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
                raw = read_capped(response, deadline)
        except TogglError:
            raise
        except httpx.HTTPError as exc:
            log.warning("%s /%s failed: %s: %s", method, path, type(exc).__name__, reason_of(exc))
            raise transport_error(exc) from exc
        finally:
            deadline.clear()
        request_id = request_id_of(response.headers)
        log.info(
            "%s /%s -> %s in %.0f ms (request id %s)",
            method,
            path,
            response.status_code,
            (time.monotonic() - started) * 1000,
            request_id,
        )
        self._read_quota(response.headers)
        self.last_answer_date = response.headers.get("Date")
        # Everyone may read their own /me...: a 403 there means the credentials, not access.
        about_me = path == "me" or path.startswith("me/")
        if response.is_success:
            return parse_json(raw, response, request_id)
        error = error_for(
            response, raw, request_id, self._secrets(), credentials_refused_on_403=about_me
        )
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
        remaining = int_header(headers, "X-Toggl-Quota-Remaining")
        resets_in = int_header(headers, "X-Toggl-Quota-Resets-In")
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
