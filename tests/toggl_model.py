"""A model of Toggl Track's task API, small enough to reason about, served over real HTTP.

The stateful test (tests/integration/test_stateful_sync.py) drives the app against it and then
asks it what really happened: which tasks exist, which of them the app's POSTs created, and
which outbox row each such POST carried (the `external_reference` in its body, kept even when
the model is told not to echo that field). tests/fake_toggl/ is the richer fake for everything
else; this one exists so its facts can be checked, not just its answers.

What it follows (../shared/toggl-api/README.md): Basic auth with `<token>:api_token`; no
credentials 401 with an empty body; wrong or revoked credentials 403 "Incorrect username and/or
password" on every endpoint, /me included; POST .../projects/{pid}/tasks answers 200 with the
task; error bodies are JSON string literals; a 402 is a spent quota when
`X-Toggl-Quota-Remaining` <= 0 or the body says "reset in N seconds", else a paid-only feature;
task names may repeat within a project; `at` is the last-updated time, so an edit moves it
(the app's PUT, bulk PATCH and DELETE of a task too; `GET /workspaces/{wid}/tasks` lists by
`pid` and `since`, and every answer's Date header reads the model's clock);
a new task takes a few seconds to show in listings (here the app's tasks, `LISTING_LAG`: those
of other people show at once, so that no task of theirs can be missed by a listing the app
takes to learn what existed before its send).

Faults wait for a request to come: the next one whatever it is (the engine's POST, its
reconciliation listing, a sign-in check, a list refresh), or the next task POST or task listing.
Each is the connection dropped before anything is stored, dropped after the request took
effect, or a canned answer (5xx, 402, 429, a 403 refusal) instead of the real one.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import re
import socket
import socketserver
import threading
import time
from base64 import b64decode
from binascii import Error as BinasciiError
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import formatdate
from enum import Enum
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar, cast
from urllib.parse import parse_qsl, urlsplit

API_PREFIX = "/api/v9"

AUTH_REFUSED = "Incorrect username and/or password"
NAME_REFUSED = 'Task names starting with "bad" are not allowed'
NO_ACCESS = "User does not have access to this resource."
PAID_ONLY = "Tasks are a paid feature: upgrade this workspace to Starter or higher"
QUOTA_SPENT = "You have hit your hourly limit for API calls. The quota will reset in {} seconds."

LISTING_LAG = 3.0
"""Seconds before a task the app created shows in listings (Toggl says 2-5 s)."""

REFUSALS = (NAME_REFUSED, NO_ACCESS, PAID_ONLY)
"""Every reason the model gives for refusing a task: the only reasons a parked row may show."""


class Target(Enum):
    """Which request a fault waits for."""

    ANY = "the next request"
    POST = "the next task POST"
    LISTING = "the next listing of a project's tasks"
    CHANGE = "the next change to a task (PUT, bulk PATCH or DELETE)"

    def matches(self, method: str, path: str) -> bool:
        if self is Target.CHANGE:
            return method in ("PUT", "PATCH", "DELETE") and "/tasks/" in path
        if not path.endswith("/tasks") or self is Target.ANY:
            return self is Target.ANY
        return method == ("POST" if self is Target.POST else "GET")


class FaultKind(Enum):
    DROP_BEFORE_STORE = "dropped before the request took effect"
    DROP_AFTER_STORE = "dropped after the request took effect"
    ANSWER = "a canned answer instead of the real one"


@dataclass(frozen=True, slots=True)
class Fault:
    """What the model does to the request it waits for (see `Target`)."""

    kind: FaultKind
    status: int = 0
    message: str | None = None
    """Sent as a JSON string literal; None sends an empty body."""
    headers: tuple[tuple[str, str], ...] = ()


def drop(kind: FaultKind) -> Fault:
    return Fault(kind)


def answer(status: int, message: str | None, **headers: str) -> Fault:
    pairs = tuple((name.replace("_", "-"), value) for name, value in headers.items())
    return Fault(FaultKind.ANSWER, status, message, pairs)


@dataclass(slots=True)
class Answer:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    drop: bool = False
    """Close the connection without sending a byte."""


@dataclass(slots=True)
class ModelTask:
    id: int
    workspace_id: int
    project_id: int
    name: str
    active: bool
    estimated_seconds: int | None
    user_id: int | None
    at: str
    external_reference: str | None
    created_by_app: bool
    """Made by a POST the app sent (as opposed to someone else in Toggl's web app)."""
    listed_from: float
    """When listings start to show it."""

    def to_json(self, project_name: str, *, echo_reference: bool) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "workspace_id": self.workspace_id,
            "project_id": self.project_id,
            "project_name": project_name,
            "client_name": None,
            "active": self.active,
            "at": self.at,
            "estimated_seconds": self.estimated_seconds,
            "tracked_seconds": 0,
            "user_id": self.user_id,
            "user_name": None,
            "rate": None,
            "recurring": False,
            "toggl_accounts_id": None,
        }
        if echo_reference:
            data["external_reference"] = self.external_reference
        return data


def _iso(moment: float) -> str:
    return datetime.fromtimestamp(moment, UTC).isoformat(timespec="seconds")


class TogglModel:
    """One workspace with a few projects and their tasks; not thread-safe (the server locks)."""

    WORKSPACE_ID = 7001
    PROJECTS: ClassVar[dict[int, str]] = {7101: "Website", 7102: "Mobile App"}
    USER_ID = 7501

    def __init__(
        self,
        *,
        token: str = "model-token",
        echo_references: bool = True,
        now: Callable[[], float] = time.time,
    ) -> None:
        """`now` stamps `at`: wall time, like Toggl's, and like the outbox's `queued_at`."""
        self.token = token
        self.echo_references = echo_references
        self.revoked = False
        self.faults: list[tuple[Target, Fault]] = []
        self.tasks: dict[int, ModelTask] = {}
        self.deleted: dict[int, ModelTask] = {}
        self.applied: list[tuple[int, dict[str, Any]]] = []
        """Every change the app's PUTs and bulk PATCHes made, in order: task id and fields
        (a DELETE as `{"deleted": True}`)."""
        self._now = now
        self._ids = itertools.count(880_000_001)

    # --- what the test does to Toggl ------------------------------------------------------------

    def inject(self, fault: Fault, target: Target = Target.ANY) -> None:
        """Apply `fault` to the next request `target` names that no fault injected earlier
        waits for."""
        self.faults.append((target, fault))

    def revoke(self) -> None:
        """The token was reset on Toggl's website: every request is refused from now on."""
        self.revoked = True

    def restore(self) -> None:
        self.revoked = False

    def someone_creates(
        self,
        project_id: int,
        name: str,
        *,
        estimated_seconds: int | None = None,
        active: bool = True,
        at: float | None = None,
    ) -> ModelTask:
        """Someone else creates a task in Toggl's web app (no external reference)."""
        return self._store(
            project_id,
            name,
            active,
            estimated_seconds,
            None,
            None,
            at=self._now() if at is None else at,
            by_app=False,
        )

    def someone_edits(
        self, task_id: int, *, name: str | None = None, active: bool | None = None
    ) -> None:
        """Someone else edits a task (its name, done state, or anything else): `at` moves to
        now."""
        task = self.tasks[task_id]
        if name is not None:
            task.name = name
        if active is not None:
            task.active = active
        task.at = _iso(self._now())

    def clock(self) -> float:
        """The model's time (its `at` stamps and its answers' Date header)."""
        return self._now()

    # --- what the test asks afterwards ---------------------------------------------------------

    def app_tasks(self) -> dict[int, ModelTask]:
        """The tasks the app's POSTs made, deleted ones too."""
        made = {**self.deleted, **self.tasks}
        return {i: t for i, t in made.items() if t.created_by_app}

    # --- serving -------------------------------------------------------------------------------

    def handle(self, method: str, target: str, headers: dict[str, str], body: bytes) -> Answer:
        """Answer one request (`headers` with lower-case names), faults included."""
        split = urlsplit(target)
        path, query = split.path, dict(parse_qsl(split.query))
        fault = self._fault_for(method, path)
        if fault is not None and fault.kind is FaultKind.DROP_BEFORE_STORE:
            return Answer(drop=True)
        if fault is not None and fault.kind is FaultKind.ANSWER:
            return _json(fault.status, fault.message, dict(fault.headers))
        answered = self._route(method, path, query, headers, body)
        if fault is not None:  # DROP_AFTER_STORE: it took effect, the answer is lost
            return Answer(drop=True)
        return answered

    def _fault_for(self, method: str, path: str) -> Fault | None:
        for index, (target, fault) in enumerate(self.faults):
            if target.matches(method, path):
                del self.faults[index]
                return fault
        return None

    def _route(
        self,
        method: str,
        path: str,
        query: dict[str, str],
        headers: dict[str, str],
        body: bytes,
    ) -> Answer:
        if not path.startswith(API_PREFIX + "/"):
            return _json(404, "Not found")
        if "authorization" not in headers:
            return Answer(401)
        if self.revoked or not self._authorized(headers["authorization"]):
            return _json(403, AUTH_REFUSED)
        sub = path[len(API_PREFIX) :].rstrip("/")
        if method == "GET" and sub == "/me":
            return _json(
                200,
                {
                    "id": self.USER_ID,
                    "email": "model@example.com",
                    "fullname": "Model User",
                    "api_token": self.token,
                    "default_workspace_id": self.WORKSPACE_ID,
                    "timezone": "UTC",
                },
            )
        if method == "GET" and sub == "/me/workspaces":
            return _json(
                200,
                [
                    {
                        "id": self.WORKSPACE_ID,
                        "name": "Model Workspace",
                        "premium": True,
                        "role": "admin",
                        "organization_id": 1,
                    }
                ],
            )
        if match := re.fullmatch(r"/workspaces/(\d+)/(projects|users)", sub):
            if int(match[1]) != self.WORKSPACE_ID or method != "GET":
                return _json(403, NO_ACCESS)
            if match[2] == "users":
                return _json(
                    200,
                    [
                        {
                            "id": self.USER_ID,
                            "fullname": "Model User",
                            "email": "model@example.com",
                            "inactive": False,
                        }
                    ],
                )
            if query.get("page", "1") != "1":
                return _json(200, [])
            return _json(
                200,
                [
                    {
                        "id": pid,
                        "name": name,
                        "workspace_id": self.WORKSPACE_ID,
                        "active": True,
                        "client_name": None,
                        "color": "#0b83d9",
                    }
                    for pid, name in self.PROJECTS.items()
                ],
            )
        if match := re.fullmatch(r"/workspaces/(\d+)/projects/(\d+)/tasks", sub):
            workspace_id, project_id = int(match[1]), int(match[2])
            if workspace_id != self.WORKSPACE_ID or project_id not in self.PROJECTS:
                return _json(400, "Project not found/accessible")
            if method == "GET":
                now = self._now()
                listed = [
                    t
                    for t in self.tasks.values()
                    if t.project_id == project_id and t.listed_from <= now
                ]
                return _json(200, [self._task_json(t) for t in listed])
            if method == "POST":
                return self._create(project_id, body)
        if match := re.fullmatch(r"/workspaces/(\d+)/tasks", sub):
            if int(match[1]) != self.WORKSPACE_ID or method != "GET":
                return _json(403, NO_ACCESS)
            return self._listing(query)
        if match := re.fullmatch(r"/workspaces/(\d+)/projects/(\d+)/tasks/([\d,]+)", sub):
            workspace_id, project_id = int(match[1]), int(match[2])
            if workspace_id != self.WORKSPACE_ID or project_id not in self.PROJECTS:
                return _json(400, "Project not found/accessible")
            ids = [int(i) for i in match[3].split(",")]
            if method == "PATCH":
                return self._patch(project_id, ids, body)
            if len(ids) == 1 and method in ("PUT", "DELETE"):
                return self._change(method, project_id, ids[0], body)
        return _json(404, "Not found")

    def _listing(self, query: dict[str, str]) -> Answer:
        """`GET /workspaces/{wid}/tasks`: one page holds them all (a few tasks here)."""
        now, since = self._now(), int(query.get("since", "0") or 0)
        project = int(query.get("pid", "0") or 0)
        listed = [
            t
            for t in self.tasks.values()
            if t.listed_from <= now
            and (not project or t.project_id == project)
            and datetime.fromisoformat(t.at).timestamp() >= since
        ]
        page = int(query.get("page", "1") or 1)
        data = [self._task_json(t) for t in listed] if page == 1 else []
        envelope = {"data": data, "page": page, "per_page": 200, "total_count": len(listed)}
        return _json(200, envelope)

    def _change(self, method: str, project_id: int, task_id: int, body: bytes) -> Answer:
        task = self.tasks.get(task_id)
        if task is None or task.project_id != project_id:
            return _json(404, "Task not found")
        if method == "DELETE":
            self.deleted[task_id] = self.tasks.pop(task_id)
            self.applied.append((task_id, {"deleted": True}))
            return Answer(200)
        data = _loads(body)
        if not isinstance(data, dict):
            return _json(400, "Invalid JSON input")
        refused = self._apply(task, data)
        return refused or _json(200, self._task_json(task))

    def _patch(self, project_id: int, ids: list[int], body: bytes) -> Answer:
        operations = _loads(body)
        if not isinstance(operations, list):
            return _json(400, "Invalid JSON input")
        data = {
            str(op.get("path", "")).lstrip("/"): op.get("value")
            for op in operations
            if isinstance(op, dict)
        }
        success: list[int] = []
        failure: list[dict[str, Any]] = []
        for task_id in dict.fromkeys(ids):
            task = self.tasks.get(task_id)
            refused = (
                _json(404, "Task not found")
                if task is None or task.project_id != project_id
                else self._apply(task, data)
            )
            if refused is None:
                success.append(task_id)
            else:
                failure.append({"id": task_id, "message": json.loads(refused.body)})
        return _json(200, {"success": success, "failure": failure})

    def _apply(self, task: ModelTask, data: dict[str, Any]) -> Answer | None:
        """Change the fields given (each checked as a creation checks it); the refusal, or
        None once applied (recorded in `applied`, `at` moved to now)."""
        known = {"name", "active", "estimated_seconds", "user_id"}
        if set(data) - known:
            return _json(400, "Invalid task fields")
        name = data.get("name", task.name)
        if not isinstance(name, str) or not name.strip():
            return _json(400, "Name can't be blank")
        if "name" in data and name.startswith("bad"):
            return _json(400, NAME_REFUSED)
        if not isinstance(data.get("active", True), bool):
            return _json(400, "Invalid task fields")
        if "estimated_seconds" in data and not _is_count(data["estimated_seconds"]):
            return _json(400, "Invalid task fields")
        if data.get("user_id") not in (None, self.USER_ID):
            return _json(400, "User not found")
        for key, value in data.items():
            setattr(task, key, value)
        task.at = _iso(self._now())
        self.applied.append((task.id, dict(data)))
        return None

    def _authorized(self, header: str) -> bool:
        scheme, _, encoded = header.partition(" ")
        try:
            decoded = b64decode(encoded.strip(), validate=True).decode("utf-8")
        except (BinasciiError, UnicodeDecodeError):
            return False
        return scheme.lower() == "basic" and decoded == f"{self.token}:api_token"

    def _create(self, project_id: int, body: bytes) -> Answer:
        data = _loads(body)
        if not isinstance(data, dict):
            return _json(400, "Invalid JSON input")
        name, active = data.get("name"), data.get("active", True)
        reference = data.get("external_reference")
        estimate, user_id = data.get("estimated_seconds"), data.get("user_id")
        if not isinstance(name, str) or not name.strip():
            return _json(400, "Name can't be blank")
        if name.startswith("bad"):
            return _json(400, NAME_REFUSED)
        if not isinstance(active, bool) or not (estimate is None or _is_count(estimate)):
            return _json(400, "Invalid task fields")
        if not (user_id is None or user_id == self.USER_ID):
            return _json(400, "User not found")
        if not (reference is None or isinstance(reference, str)):
            return _json(400, "Invalid external_reference")
        task = self._store(
            project_id,
            name,
            active,
            estimate,
            user_id,
            reference,
            at=self._now(),
            by_app=True,
        )
        return _json(200, self._task_json(task))

    def _store(
        self,
        project_id: int,
        name: str,
        active: bool,
        estimate: int | None,
        user_id: int | None,
        reference: str | None,
        *,
        at: float,
        by_app: bool,
    ) -> ModelTask:
        task = ModelTask(
            next(self._ids),
            self.WORKSPACE_ID,
            project_id,
            name,
            active,
            estimate,
            user_id,
            _iso(at),
            reference,
            by_app,
            at + LISTING_LAG if by_app else at,
        )
        self.tasks[task.id] = task
        return task

    def _task_json(self, task: ModelTask) -> dict[str, Any]:
        return task.to_json(self.PROJECTS[task.project_id], echo_reference=self.echo_references)


def _loads(body: bytes) -> object:
    try:
        return cast(object, json.loads(body)) if body else None
    except (ValueError, UnicodeDecodeError):
        return None


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _json(status: int, payload: object, headers: dict[str, str] | None = None) -> Answer:
    body = b"" if payload is None else json.dumps(payload).encode()
    return Answer(status, body, {"Content-Type": "application/json", **(headers or {})})


class ModelServer:
    """Serves `self.model` on 127.0.0.1 (swap the model between examples; one server per run)."""

    def __init__(self, model: TogglModel) -> None:
        self.model = model
        self.lock = threading.Lock()
        self._server = _Server(self)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}{API_PREFIX}"

    def start(self) -> ModelServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def handle(self, method: str, target: str, headers: dict[str, str], body: bytes) -> Answer:
        with self.lock:
            return self.model.handle(method, target, headers, body)

    def date(self) -> str:
        """The Date header of an answer: the model's clock (the app's `since` comes from it)."""
        return formatdate(self.model.clock(), usegmt=True)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, owner: ModelServer) -> None:
        self.owner = owner
        super().__init__(("127.0.0.1", 0), _Handler)

    def server_bind(self) -> None:
        """Bind without HTTPServer's reverse DNS lookup."""
        socketserver.TCPServer.server_bind(self)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client gone away is no news; anything else is a bug in the model: loud."""
        import sys
        import traceback

        if not isinstance(sys.exc_info()[1], OSError):
            traceback.print_exc()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    wbufsize = 64 * 1024  # headers and body in one write

    def setup(self) -> None:
        super().setup()
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        """No access log."""

    def date_time_string(self, timestamp: float | None = None) -> str:
        return cast(_Server, self.server).owner.date()

    def do_GET(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        owner = cast(_Server, self.server).owner
        reply = owner.handle(self.command, self.path, headers, body)
        if reply.drop:
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        self.wfile.write(reply.body)
        self.wfile.flush()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_GET
