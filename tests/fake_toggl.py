"""A fake Toggl Track API v9 serving real HTTP on 127.0.0.1 (stdlib only).

Typical use in tests::

    with FakeToggl() as fake:
        client = httpx.Client(base_url=fake.url, auth=(fake.token, "api_token"))
        ...
        assert fake.tasks_named("Write report")

It keeps its state in plain dicts and lists (``workspaces``, ``projects``, ``users``,
``tasks``) guarded by ``fake.lock``, records every request, and offers fault controls
(``fail_next``, ``delay_next``, ``drop_next``, ``set_quota``, ``go_down``/``come_back``).

Run it by hand with ``python -m tests.fake_toggl --port 8080`` (from the repository root).
"""

from __future__ import annotations

import argparse
import base64
import binascii
import contextlib
import itertools
import json
import math
import re
import signal
import socket
import socketserver
import sys
import threading
import time
import traceback
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import FrameType, TracebackType
from typing import Any, Literal, cast
from urllib.parse import parse_qsl, urlsplit

__all__ = ["API_PREFIX", "FakeToggl", "RecordedRequest"]

API_PREFIX = "/api/v9"
UNLIMITED_QUOTA = 999_999
DEFAULT_RESETS_IN = 3600
PROJECTS_DEFAULT_PER_PAGE = 151
TASKS_DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200

DropWhen = Literal["before_store", "after_store"]


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the fake received it (path without query, including ``/api/v9``)."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: Any
    raw_body: bytes


@dataclass
class _Response:
    """A response to send: status, raw body and extra headers."""

    status: int
    body: bytes = b""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class _Rule:
    """A registered fault: consumed by the next ``remaining`` matching requests."""

    kind: Literal["fail", "delay", "drop"]
    remaining: int
    method: str | None
    path_contains: str | None
    response: _Response | None = None
    seconds: float = 0.0
    when: DropWhen = "before_store"

    def matches(self, method: str, path: str) -> bool:
        """Whether this rule applies to a request."""
        if self.method is not None and self.method.upper() != method.upper():
            return False
        return self.path_contains is None or self.path_contains in path


@dataclass
class _Plan:
    """What to do with one request after the fault rules were consulted."""

    delay: float = 0.0
    fail: _Response | None = None
    drop: DropWhen | None = None


class _ApiError(Exception):
    """Raised by route handlers: answered as a JSON string literal body."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _json(status: int, payload: Any) -> _Response:
    return _Response(status, json.dumps(payload).encode())


def _parse_json(raw: bytes) -> tuple[bool, Any]:
    """Return (ok, value); an empty body is (False, None)."""
    if not raw.strip():
        return False, None
    try:
        return True, json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return False, None


def _now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _merge_headers(base: dict[str, str], extra: dict[str, str]) -> dict[str, str]:
    merged = dict(base)
    for key, value in extra.items():
        for existing in [k for k in merged if k.lower() == key.lower()]:
            del merged[existing]
        merged[key] = value
    return merged


class FakeToggl:
    """Fake Toggl Track API v9 server with seeded state and fault controls."""

    def __init__(
        self,
        token: str = "test-token",
        email: str = "free@example.com",
        password: str = "s3cret-pass",
        *,
        port: int = 0,
    ) -> None:
        self.lock = threading.RLock()
        self.token = token
        self.email = email
        self.password = password
        self.delay: float = 0.0
        self.serves_references = True
        """False: answers drop `external_reference`, as an old or odd server might."""
        self.premium_workspace_id = 1001
        self.free_workspace_id = 1002
        self._port = port
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._lifecycle = threading.Lock()
        self._log: list[RecordedRequest] = []
        self._rules: list[_Rule] = []
        self._project_ids = itertools.count(2001)
        self._task_ids = itertools.count(8_000_000_001)
        self._quota_limit: int | None = None
        self._quota_period = DEFAULT_RESETS_IN
        self._quota_remaining = UNLIMITED_QUOTA
        self._quota_reset_at = time.monotonic() + DEFAULT_RESETS_IN

        me_id = 9_000_000_001
        self.me: dict[str, Any] = {
            "id": me_id,
            "email": email,
            "fullname": "Fran Freelancer",
            "api_token": token,
            "default_workspace_id": self.premium_workspace_id,
            "timezone": "Europe/Berlin",
        }
        self.workspaces: list[dict[str, Any]] = [
            {
                "id": self.premium_workspace_id,
                "name": "Acme Studio",
                "premium": True,
                "role": "admin",
                "organization_id": 501,
            },
            {
                "id": self.free_workspace_id,
                "name": "Side Projects",
                "premium": False,
                "role": "admin",
                "organization_id": 502,
            },
        ]
        me_user = {"id": me_id, "fullname": "Fran Freelancer", "email": email, "inactive": False}
        sam = {
            "id": 9_000_000_002,
            "fullname": "Sam Designer",
            "email": "sam@example.com",
            "inactive": False,
        }
        self.users: dict[int, list[dict[str, Any]]] = {
            self.premium_workspace_id: [dict(me_user), sam],
            self.free_workspace_id: [dict(me_user)],
        }
        self.projects: dict[int, list[dict[str, Any]]] = {
            self.premium_workspace_id: [],
            self.free_workspace_id: [],
        }
        premium, free = self.premium_workspace_id, self.free_workspace_id
        self._new_project(premium, "Website Redesign", "Acme Corp", color="#0b83d9")
        self._new_project(premium, "Mobile App", "Acme Corp", color="#9e5bd9")
        self._new_project(premium, "Internal", None, color="#2da608")
        self._new_project(premium, "Old Campaign", "Acme Corp", color="#d94182", active=False)
        self._new_project(free, "Blog", None, color="#e36a00")
        self._new_project(free, "Garden Planner", None, color="#06a893")
        self.tasks: list[dict[str, Any]] = []
        seed = self._new_task(
            self._find_project(premium, self.project_id("Website Redesign")),
            name="Existing task",
            estimated_seconds=7200,
            user_id=me_id,
        )
        seed["tracked_seconds"] = 5_400_000

    # ----------------------------------------------------------------- lifecycle

    @property
    def port(self) -> int:
        """The TCP port (0 until started when constructed with port 0)."""
        return self._port

    @property
    def url(self) -> str:
        """Base URL for the client, e.g. ``http://127.0.0.1:PORT/api/v9``."""
        return f"http://127.0.0.1:{self._port}{API_PREFIX}"

    def start(self) -> FakeToggl:
        """Listen on 127.0.0.1 (port given at construction, 0 = any) and serve in a thread."""
        with self._lifecycle:
            if self._server is None:
                self._listen(self._port)
        return self

    def stop(self) -> None:
        """Stop serving, close the listener and every open connection (idempotent)."""
        with self._lifecycle:
            self._close()

    def go_down(self) -> None:
        """Simulate the server vanishing: connects are refused until ``come_back``."""
        with self._lifecycle:
            self._close()

    def come_back(self) -> None:
        """Listen again on the same port after ``go_down``."""
        with self._lifecycle:
            if self._server is None:
                self._listen(self._port)

    def __enter__(self) -> FakeToggl:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _listen(self, port: int) -> None:
        server = _Server(("127.0.0.1", port), self)
        self._port = int(server.server_address[1])
        thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.02},
            name=f"FakeToggl:{self._port}",
            daemon=True,
        )
        self._server, self._thread = server, thread
        thread.start()

    def _close(self) -> None:
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        server.close_all_connections()
        if thread is not None:
            thread.join(timeout=5)

    # ------------------------------------------------------------- state helpers

    def project_id(self, name: str) -> int:
        """Id of the first project with this name (any workspace); KeyError if none."""
        with self.lock:
            for projects in self.projects.values():
                for project in projects:
                    if project["name"] == name:
                        return int(project["id"])
        raise KeyError(name)

    def add_projects(
        self,
        workspace_id: int,
        count: int,
        *,
        prefix: str = "Project",
        client_name: str | None = None,
    ) -> list[int]:
        """Append ``count`` active projects named ``"{prefix} {n}"``; return their ids."""
        with self.lock:
            existing = self.projects.setdefault(workspace_id, [])
            start = sum(1 for p in existing if str(p["name"]).startswith(prefix + " ")) + 1
            return [
                int(self._new_project(workspace_id, f"{prefix} {start + i}", client_name)["id"])
                for i in range(count)
            ]

    def add_task(self, project_id: int, name: str, **fields: Any) -> dict[str, Any]:
        """Store a task directly (no HTTP); ``fields`` override task dict entries."""
        with self.lock:
            project = self._project_anywhere(project_id)
            if project is None:
                raise KeyError(project_id)
            task = self._new_task(
                project,
                name=name,
                active=bool(fields.pop("active", True)),
                estimated_seconds=fields.pop("estimated_seconds", None),
                user_id=fields.pop("user_id", None),
            )
            task.update(fields)
            return dict(task)

    def tasks_named(self, name: str) -> list[dict[str, Any]]:
        """Copies of all stored tasks with exactly this name."""
        with self.lock:
            return [dict(t) for t in self.tasks if t["name"] == name]

    def _new_project(
        self,
        workspace_id: int,
        name: str,
        client_name: str | None,
        *,
        color: str = "#0b83d9",
        active: bool = True,
    ) -> dict[str, Any]:
        project: dict[str, Any] = {
            "id": next(self._project_ids),
            "name": name,
            "active": active,
            "client_name": client_name,
            "color": color,
            "workspace_id": workspace_id,
            "wid": workspace_id,
            "status": "active" if active else "archived",
            "billable": False,
            "is_private": False,
        }
        self.projects.setdefault(workspace_id, []).append(project)
        return project

    def _new_task(
        self,
        project: dict[str, Any],
        *,
        name: str,
        active: bool = True,
        estimated_seconds: int | None = None,
        user_id: int | None = None,
        external_reference: str | None = None,
    ) -> dict[str, Any]:
        wid = int(project["workspace_id"])
        task: dict[str, Any] = {
            "id": next(self._task_ids),
            "name": name,
            "active": active,
            "at": _now_iso(),
            "estimated_seconds": estimated_seconds,
            "tracked_seconds": 0,
            "user_id": user_id,
            "user_name": self._user_name(wid, user_id),
            "project_id": project["id"],
            "project_name": project["name"],
            "project_color": project["color"],
            "project_billable": False,
            "client_name": project["client_name"],
            "workspace_id": wid,
            "rate": None,
            "recurring": False,
            "permissions": None,
            "integration_ext_id": None,
            "integration_ext_type": None,
            "integration_provider": None,
            "toggl_accounts_id": None,
            "external_reference": external_reference,
        }
        self.tasks.append(task)
        return task

    def _served(self, task: dict[str, Any]) -> dict[str, Any]:
        """A task as the server answers it: a copy, without its reference when not served."""
        served = dict(task)
        if not self.serves_references:
            served.pop("external_reference", None)
        return served

    def _user_name(self, workspace_id: int, user_id: int | None) -> str | None:
        for user in self.users.get(workspace_id, []):
            if user["id"] == user_id:
                return cast(str, user["fullname"])
        return None

    def _find_project(self, workspace_id: int, project_id: int) -> dict[str, Any]:
        for project in self.projects.get(workspace_id, []):
            if project["id"] == project_id:
                return project
        raise _ApiError(400, "Project not found/accessible")

    def _project_anywhere(self, project_id: int) -> dict[str, Any] | None:
        for projects in self.projects.values():
            for project in projects:
                if project["id"] == project_id:
                    return project
        return None

    # -------------------------------------------------------------------- quota

    def set_quota(self, limit: int, resets_in: int = DEFAULT_RESETS_IN) -> None:
        """Allow ``limit`` /workspaces/... requests; refill to ``limit`` every ``resets_in`` s."""
        with self.lock:
            self._quota_limit = limit
            self._quota_remaining = limit
            self._quota_period = resets_in
            self._quota_reset_at = time.monotonic() + resets_in

    def _refresh_quota(self) -> None:
        now = time.monotonic()
        if now >= self._quota_reset_at:
            self._quota_reset_at = now + self._quota_period
            if self._quota_limit is not None:
                self._quota_remaining = self._quota_limit

    def _quota_resets_in(self) -> int:
        return max(0, math.ceil(self._quota_reset_at - time.monotonic()))

    def _standard_headers(self, content_type: str) -> dict[str, str]:
        self._refresh_quota()
        return {
            "Content-Type": content_type,
            "X-Toggl-Request-Id": uuid.uuid4().hex,
            "X-Toggl-Quota-Remaining": str(self._quota_remaining),
            "X-Toggl-Quota-Resets-In": str(self._quota_resets_in()),
        }

    # ----------------------------------------------------------- faults and log

    def fail_next(
        self,
        status: int,
        body: str | bytes = "",
        *,
        count: int = 1,
        headers: dict[str, str] | None = None,
        content_type: str = "application/json",
        method: str | None = None,
        path_contains: str | None = None,
    ) -> None:
        """Answer the next ``count`` matching requests with this status and raw body."""
        raw = body.encode() if isinstance(body, str) else body
        response = _Response(status, raw, content_type, dict(headers or {}))
        with self.lock:
            self._rules.append(_Rule("fail", count, method, path_contains, response=response))

    def delay_next(
        self,
        seconds: float,
        count: int = 1,
        *,
        method: str | None = None,
        path_contains: str | None = None,
    ) -> None:
        """Wait ``seconds`` (on top of ``delay``) before answering the next matching requests."""
        with self.lock:
            self._rules.append(_Rule("delay", count, method, path_contains, seconds=seconds))

    def drop_next(
        self,
        when: DropWhen,
        count: int = 1,
        *,
        method: str | None = "POST",
        path_contains: str | None = None,
    ) -> None:
        """Close the connection without answering; ``after_store`` applies the request first."""
        if when not in ("before_store", "after_store"):
            raise ValueError(f"bad drop moment: {when!r}")
        with self.lock:
            self._rules.append(_Rule("drop", count, method, path_contains, when=when))

    @property
    def requests(self) -> list[RecordedRequest]:
        """Copy of the request log, oldest first."""
        with self.lock:
            return list(self._log)

    def count(self, method: str | None = None, path_contains: str | None = None) -> int:
        """Number of logged requests matching method and path substring."""
        probe = _Rule("fail", 1, method, path_contains)
        with self.lock:
            return sum(1 for r in self._log if probe.matches(r.method, r.path))

    def reset_log(self) -> None:
        """Forget all logged requests."""
        with self.lock:
            self._log.clear()

    def _plan(self, request: RecordedRequest) -> _Plan:
        """Log the request and consume the first matching delay and fail/drop rules."""
        with self.lock:
            self._log.append(request)
            plan = _Plan(delay=self.delay)
            delay_taken = action_taken = False
            for rule in self._rules:
                if rule.remaining <= 0 or not rule.matches(request.method, request.path):
                    continue
                if rule.kind == "delay" and not delay_taken:
                    plan.delay += rule.seconds
                    delay_taken = True
                elif rule.kind in ("fail", "drop") and not action_taken:
                    if rule.kind == "fail":
                        plan.fail = rule.response
                    else:
                        plan.drop = rule.when
                    action_taken = True
                else:
                    continue
                rule.remaining -= 1
            self._rules = [r for r in self._rules if r.remaining > 0]
            return plan

    def _finish(self, response: _Response) -> _Response:
        """Add the standard headers to a response (fault headers win)."""
        with self.lock:
            standard = self._standard_headers(response.content_type)
        return _Response(
            response.status,
            response.body,
            response.content_type,
            _merge_headers(standard, response.headers),
        )

    # ------------------------------------------------------------------ routing

    def _respond(self, request: RecordedRequest) -> _Response:
        """Handle a request normally (auth, quota, routes)."""
        with self.lock:
            try:
                return self._route(request)
            except _ApiError as error:
                return _json(error.status, error.message)

    def _authorized(self, header: str) -> bool:
        scheme, _, encoded = header.partition(" ")
        if scheme.lower() != "basic":
            return False
        try:
            decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return False
        user, sep, password = decoded.partition(":")
        if not sep:
            return False
        token_ok = user == self.token and password == "api_token"
        return token_ok or (user == self.email and password == self.password)

    def _route(self, request: RecordedRequest) -> _Response:
        path, method = request.path, request.method
        if not path.startswith(API_PREFIX + "/"):
            raise _ApiError(404, "Not found")
        auth = request.headers.get("authorization")
        if auth is None:
            return _Response(401)
        if not self._authorized(auth):
            raise _ApiError(403, "Incorrect username and/or password")
        sub = path[len(API_PREFIX) :].rstrip("/")
        if sub.startswith("/workspaces/"):
            self._consume_quota()

        if method == "GET" and sub == "/me":
            me = dict(self.me)
            me["api_token"] = self.token
            return _json(200, me)
        if method == "GET" and sub == "/me/workspaces":
            return _json(200, [dict(w) for w in self.workspaces])
        if method == "GET" and sub == "/me/quota":
            return _json(200, self._quota_report())
        if (m := re.fullmatch(r"/workspaces/(\d+)/projects", sub)) and method == "GET":
            return self._list_projects(int(m[1]), request.query)
        if (m := re.fullmatch(r"/workspaces/(\d+)/users", sub)) and method == "GET":
            self._workspace(int(m[1]))
            return _json(200, [dict(u) for u in self.users.get(int(m[1]), [])])
        if (m := re.fullmatch(r"/workspaces/(\d+)/tasks", sub)) and method == "GET":
            return self._search_tasks(int(m[1]), request.query)
        if m := re.fullmatch(r"/workspaces/(\d+)/projects/(\d+)/tasks", sub):
            if method == "GET":
                return self._project_tasks(int(m[1]), int(m[2]), request.query)
            if method == "POST":
                return self._create_task(int(m[1]), int(m[2]), request.raw_body)
        m = re.fullmatch(r"/workspaces/(\d+)/projects/(\d+)/tasks/(\d+)", sub)
        if m and method in ("GET", "PUT", "DELETE"):
            return self._one_task(method, int(m[1]), int(m[2]), int(m[3]), request.raw_body)
        raise _ApiError(404, "Not found")

    def _consume_quota(self) -> None:
        self._refresh_quota()
        if self._quota_limit is None:
            return
        if self._quota_remaining <= 0:
            seconds = self._quota_resets_in()
            raise _ApiError(
                402,
                "You have hit your hourly limit for API calls. "
                f"The quota will reset in {seconds} seconds.",
            )
        self._quota_remaining -= 1

    def _quota_report(self) -> list[dict[str, Any]]:
        self._refresh_quota()
        total = UNLIMITED_QUOTA if self._quota_limit is None else self._quota_limit
        orgs = sorted({int(w["organization_id"]) for w in self.workspaces})
        return [
            {
                "organization_id": org,
                "remaining": self._quota_remaining,
                "resets_in_secs": self._quota_resets_in(),
                "total": total,
            }
            for org in orgs
        ]

    def _workspace(self, workspace_id: int) -> dict[str, Any]:
        for workspace in self.workspaces:
            if workspace["id"] == workspace_id:
                return workspace
        raise _ApiError(403, "User does not have access to this resource.")

    def _list_projects(self, workspace_id: int, query: dict[str, str]) -> _Response:
        self._workspace(workspace_id)
        wanted = _active_filter(query.get("active"))
        page = _int_param(query, "page", 1)
        per_page = min(_int_param(query, "per_page", PROJECTS_DEFAULT_PER_PAGE), MAX_PER_PAGE)
        projects = [
            p
            for p in self.projects.get(workspace_id, [])
            if wanted is None or p["active"] is wanted
        ]
        chunk = projects[(page - 1) * per_page : page * per_page]
        return _json(200, [dict(p) for p in chunk])

    def _project_tasks(
        self, workspace_id: int, project_id: int, query: dict[str, str]
    ) -> _Response:
        self._workspace(workspace_id)
        self._find_project(workspace_id, project_id)
        wanted = _active_filter(query.get("active"))
        return _json(
            200,
            [
                self._served(t)
                for t in self.tasks
                if t["workspace_id"] == workspace_id
                and t["project_id"] == project_id
                and (wanted is None or t["active"] is wanted)
            ],
        )

    def _search_tasks(self, workspace_id: int, query: dict[str, str]) -> _Response:
        self._workspace(workspace_id)
        wanted = _active_filter(query.get("active"))
        page = _int_param(query, "page", 1)
        per_page = min(_int_param(query, "per_page", TASKS_DEFAULT_PER_PAGE), MAX_PER_PAGE)
        search = query.get("search", "").lower()
        pid = _int_param(query, "pid", 0)
        found = [
            t
            for t in self.tasks
            if t["workspace_id"] == workspace_id
            and (wanted is None or t["active"] is wanted)
            and (not pid or t["project_id"] == pid)
            and search in str(t["name"]).lower()
        ]
        chunk = found[(page - 1) * per_page : page * per_page]
        return _json(
            200,
            {
                "data": [self._served(t) for t in chunk],
                "page": page,
                "per_page": per_page,
                "total_count": len(found),
            },
        )

    def _writable_project(self, workspace_id: int, project_id: int) -> dict[str, Any]:
        workspace = self._workspace(workspace_id)
        if not workspace.get("premium"):
            raise _ApiError(402, "Tasks are available only on paid plans.")
        project = self._find_project(workspace_id, project_id)
        if not project["active"]:
            raise _ApiError(400, "Can not change tasks of archived project")
        return project

    def _task_fields(self, workspace_id: int, data: dict[str, Any], *, create: bool) -> None:
        """Validate the writable task fields present in ``data``."""
        if create or "name" in data:
            name = data.get("name")
            if not isinstance(name, str) or not name.strip():
                raise _ApiError(400, "Name can't be blank")
        if "active" in data and not isinstance(data["active"], bool):
            raise _ApiError(400, "Invalid active")
        if "estimated_seconds" in data and not _is_count(data["estimated_seconds"]):
            raise _ApiError(400, "Invalid estimated_seconds")
        reference = data.get("external_reference")
        if reference is not None and not isinstance(reference, str):
            raise _ApiError(400, "Invalid external_reference")
        user_id = data.get("user_id")
        if user_id is not None and (
            isinstance(user_id, bool)
            or all(u["id"] != user_id for u in self.users.get(workspace_id, []))
        ):
            raise _ApiError(400, "Invalid user_id")

    def _create_task(self, workspace_id: int, project_id: int, raw: bytes) -> _Response:
        ok, data = _parse_json(raw)
        if not ok or not isinstance(data, dict):
            raise _ApiError(400, "Invalid JSON")
        project = self._writable_project(workspace_id, project_id)
        self._task_fields(workspace_id, data, create=True)
        task = self._new_task(
            project,
            name=data["name"],
            active=data.get("active", True),
            estimated_seconds=data.get("estimated_seconds"),
            user_id=data.get("user_id"),
            external_reference=data.get("external_reference"),
        )
        return _json(200, self._served(task))

    def _one_task(
        self, method: str, workspace_id: int, project_id: int, task_id: int, raw: bytes
    ) -> _Response:
        data: dict[str, Any] = {}
        if method == "PUT":
            ok, parsed = _parse_json(raw)
            if not ok or not isinstance(parsed, dict):
                raise _ApiError(400, "Invalid JSON")
            data = parsed
        if method == "GET":
            self._workspace(workspace_id)
            self._find_project(workspace_id, project_id)
        else:
            self._writable_project(workspace_id, project_id)
        task = next(
            (
                t
                for t in self.tasks
                if t["id"] == task_id
                and t["project_id"] == project_id
                and t["workspace_id"] == workspace_id
            ),
            None,
        )
        if task is None:
            raise _ApiError(404, "Task not found")
        if method == "GET":
            return _json(200, self._served(task))
        if method == "DELETE":
            self.tasks.remove(task)
            return _Response(200)
        self._task_fields(workspace_id, data, create=False)
        for key in ("name", "active", "estimated_seconds", "user_id"):
            if key in data:
                task[key] = data[key]
        task["user_name"] = self._user_name(workspace_id, task["user_id"])
        task["at"] = _now_iso()
        return _json(200, self._served(task))


def _active_filter(value: str | None) -> bool | None:
    """Map the ``active`` query value to True/False, or None for all."""
    if value is None or value.lower() == "both":
        return None
    if value.lower() == "true":
        return True
    if value.lower() == "false":
        return False
    raise _ApiError(400, "Invalid active")


def _int_param(query: dict[str, str], name: str, default: int) -> int:
    value = query.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise _ApiError(400, f"Invalid {name}") from None
    if number < 1:
        raise _ApiError(400, f"Invalid {name}")
    return number


class _Server(ThreadingHTTPServer):
    """Threading HTTP server that tracks its open connections so it can cut them."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], fake: FakeToggl) -> None:
        self.fake = fake
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, _Handler)

    def server_bind(self) -> None:
        """Bind without HTTPServer's slow reverse DNS lookup."""
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = int(port)

    def process_request(
        self, request: socket.socket | tuple[bytes, socket.socket], client_address: Any
    ) -> None:
        """Remember the connection, then hand it to a handler thread."""
        if isinstance(request, socket.socket):
            with self._connections_lock:
                self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: socket.socket | tuple[bytes, socket.socket]) -> None:
        """Forget and close the connection."""
        if isinstance(request, socket.socket):
            with self._connections_lock:
                self._connections.discard(request)
        super().shutdown_request(request)

    def close_all_connections(self) -> None:
        """Shut down every open connection; handler threads then close them."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Stay quiet about client disconnects; print anything else."""
        error = sys.exc_info()[1]
        if isinstance(error, OSError):
            return
        traceback.print_exc()


class _Handler(BaseHTTPRequestHandler):
    """Reads one request at a time (keep-alive) and lets FakeToggl answer it."""

    protocol_version = "HTTP/1.1"
    server_version = "FakeToggl/1.0"
    wbufsize = 64 * 1024  # headers and body leave in one write (no Nagle stalls)

    def setup(self) -> None:
        """Disable Nagle's algorithm on the accepted connection."""
        with contextlib.suppress(OSError):
            self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().setup()

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the default stderr access log."""

    def handle(self) -> None:
        """Serve requests until the client or the fake closes the connection."""
        try:
            super().handle()
        except OSError:  # BrokenPipe, ConnectionReset, cut by go_down()
            self.close_connection = True

    def do_GET(self) -> None:
        """Serve any method the same way."""
        self._serve()

    do_POST = do_GET
    do_PUT = do_GET
    do_DELETE = do_GET
    do_PATCH = do_GET
    do_HEAD = do_GET

    def _serve(self) -> None:
        fake = cast(_Server, self.server).fake
        raw = self._read_body()
        if raw is None:
            self.close_connection = True
            self._send(fake._finish(_json(400, "Invalid request framing")))
            return
        split = urlsplit(self.path)
        request = RecordedRequest(
            method=self.command,
            path=split.path,
            query=dict(parse_qsl(split.query, keep_blank_values=True)),
            headers={k.lower(): v for k, v in self.headers.items()},
            body=_parse_json(raw)[1],
            raw_body=raw,
        )
        plan = fake._plan(request)
        if plan.delay > 0:
            time.sleep(plan.delay)
        if plan.drop == "before_store":
            self._drop()
            return
        if plan.fail is not None:
            response = plan.fail
        else:
            try:
                response = fake._respond(request)
            except Exception as error:  # a bug in the fake: say so loudly
                traceback.print_exc()
                response = _json(500, f"FakeToggl internal error: {error!r}")
        if plan.drop == "after_store":
            self._drop()
            return
        self._send(fake._finish(response))

    def _read_body(self) -> bytes | None:
        """Read the whole request body (Content-Length or chunked); None if malformed."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks: list[bytes] = []
            while True:
                size_line = self.rfile.readline(65537)
                try:
                    size = int(size_line.split(b";")[0].strip(), 16)
                except ValueError:
                    return None
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline(65537)
        length = self.headers.get("Content-Length")
        if length is None:
            return b""
        try:
            size = int(length)
        except ValueError:
            return None
        if size < 0:
            return None
        data = self.rfile.read(size)
        return data if len(data) == size else None

    def _send(self, response: _Response) -> None:
        self.send_response(response.status)
        for key, value in response.headers.items():
            if key.lower() not in ("content-length", "connection"):
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(response.body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD" and response.body:
            self.wfile.write(response.body)
        self.wfile.flush()

    def _drop(self) -> None:
        """Close the connection without sending a single byte."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)
        self.connection.close()


def main(argv: list[str] | None = None) -> int:
    """Command line entry point: serve until Ctrl-C or SIGTERM."""
    parser = argparse.ArgumentParser(prog="python -m tests.fake_toggl", description=__doc__)
    parser.add_argument("--port", type=int, default=8080, help="TCP port (0 = any free port)")
    parser.add_argument("--token", default="test-token", help="API token to accept")
    parser.add_argument("--projects", type=int, default=0, help="extra premium projects")
    parser.add_argument("--delay", type=float, default=0.0, help="seconds before every answer")
    args = parser.parse_args(argv)

    fake = FakeToggl(token=args.token, port=args.port)
    if args.projects > 0:
        fake.add_projects(fake.premium_workspace_id, args.projects)
    fake.delay = args.delay
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)  # also when started with SIGINT ignored (&)
    fake.start()
    try:
        print(fake.url, flush=True)
        print(f"token: {fake.token}", flush=True)
        print(f"email: {fake.email} password: {fake.password}", flush=True)
        while not stop.wait(0.2):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        fake.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
