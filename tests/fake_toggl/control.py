"""The control endpoint under ``/_control``: steer the fake over HTTP, JSON in and JSON out.

Control requests bypass the fault rules, the delay, the quota and the request log, and need
no auth. The routes are listed in ``ROUTES`` (and in the package docstring).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tests.fake_toggl.faults import DROP_MOMENTS, Rule
from tests.fake_toggl.wire import CONTROL_PREFIX, RecordedRequest, Response, json_response

if TYPE_CHECKING:
    from tests.fake_toggl.fake import FakeToggl

MAX_SECONDS = 3600.0

ROUTES = {
    "GET /_control": "this help and the current state",
    "POST /_control/fail": "next `count` requests answer `status` with `message` (a JSON "
    "string, Toggl's way) or raw `body`; optional `method`, `path_contains`, `headers`",
    "POST /_control/delay": "wait `seconds` before the next `count` answers, or before every "
    "answer with `always: true` (seconds 0 ends it)",
    "POST /_control/drop": "close the next `count` connections unanswered, `when` "
    "before_store or after_store (stored, then cut); `method` defaults to POST",
    "POST /_control/down": "refuse connections for `seconds`, then listen again",
    "POST /_control/quota": "`limit` calls (null: unlimited) per `resets_in` seconds, "
    "`remaining` of them left now",
    "POST /_control/token": "`revoked: true` makes the token get 403, false restores it; "
    "`token` sets a new one",
    "POST /_control/references": "`serve: false` drops external_reference from task answers",
    "POST /_control/projects": "add `count` projects (`workspace_id`, `prefix`, `client_name`)",
    "POST /_control/tasks": "add `count` tasks to project `project_id` (default: Website "
    "Redesign) named `prefix` n; every third done",
    "POST /_control/reset": "clear every fault, the delay and the quota; restore the token "
    "and references",
    "GET /_control/requests": "the request log (`?method=`, `?path_contains=`) with its count",
    "DELETE /_control/requests": "forget the request log",
}


class _BadRequestError(Exception):
    """A control request that cannot be followed; answered 400 with this sentence."""


Handler = Callable[["FakeToggl", dict[str, Any]], Any]
"""Follows one control request; returns the JSON answer."""


def handle(fake: FakeToggl, request: RecordedRequest) -> Response:
    """Follow one control request and answer it."""
    route = f"{request.method} {request.path.rstrip('/') or '/'}"
    handler = _HANDLERS.get(route)
    if handler is None:
        return json_response(404, {"error": f"no control route {route}", "routes": ROUTES})
    body: Any = {}
    if request.method == "GET":
        body = dict(request.query)
    elif request.raw_body.strip():
        body = request.body
        if not isinstance(body, dict):
            return json_response(400, {"error": "the body must be a JSON object"})
    try:
        payload = handler(fake, body)
    except _BadRequestError as error:
        return json_response(400, {"error": str(error)})
    return json_response(200, payload)


def _status(fake: FakeToggl, body: dict[str, Any]) -> Any:
    with fake.lock:
        return {
            "api": fake.url,
            "delay": fake.delay,
            "rules": fake.faults.describe(),
            "quota": fake.quota.status(),
            "token_revoked": fake.token_revoked,
            "serves_references": fake.serves_references,
            "requests": fake.count(),
            "routes": ROUTES,
        }


def _fail(fake: FakeToggl, body: dict[str, Any]) -> Any:
    status = _int(body, "status", None, 100, 599)
    if "message" in body and "body" in body:
        raise _BadRequestError("give either message or body, not both")
    text = _str(body, "body", "")
    if "message" in body:
        text = json.dumps(_str(body, "message", ""))
    headers = body.get("headers", {})
    if not isinstance(headers, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in headers.items()
    ):
        raise _BadRequestError("headers must be an object of strings")
    fake.fail_next(
        status,
        text,
        count=_count(body),
        headers=headers,
        content_type=_str(body, "content_type", "application/json"),
        method=_method(body, None),
        path_contains=_optional_str(body, "path_contains"),
    )
    return {"rules": fake.faults.describe()}


def _delay(fake: FakeToggl, body: dict[str, Any]) -> Any:
    seconds = _seconds(body, allow_zero=True)
    if _bool(body, "always", False):
        fake.delay = seconds
    else:
        fake.delay_next(
            seconds,
            _count(body),
            method=_method(body, None),
            path_contains=_optional_str(body, "path_contains"),
        )
    return {"delay": fake.delay, "rules": fake.faults.describe()}


def _drop(fake: FakeToggl, body: dict[str, Any]) -> Any:
    when = _str(body, "when", "before_store")
    if when not in DROP_MOMENTS:
        raise _BadRequestError(f"when must be one of {', '.join(DROP_MOMENTS)}")
    fake.drop_next(
        "after_store" if when == "after_store" else "before_store",
        _count(body),
        method=_method(body, "POST"),
        path_contains=_optional_str(body, "path_contains"),
    )
    return {"rules": fake.faults.describe()}


def _down(fake: FakeToggl, body: dict[str, Any]) -> Any:
    seconds = _seconds(body, allow_zero=False)
    fake.go_down(seconds)  # this connection is spared: the answer still leaves
    return {"down_for": seconds}


def _quota(fake: FakeToggl, body: dict[str, Any]) -> Any:
    if "limit" not in body:
        raise _BadRequestError("limit is missing (null for unlimited)")
    limit = None if body["limit"] is None else _int(body, "limit", None, 0, None)
    resets_in = _int(body, "resets_in", 3600, 1, None)
    remaining = None if body.get("remaining") is None else _int(body, "remaining", 0, 0, None)
    fake.set_quota(limit, resets_in, remaining)
    return {"quota": fake.quota.status()}


def _token(fake: FakeToggl, body: dict[str, Any]) -> Any:
    if "token" in body:
        token = _str(body, "token", "")
        if not token.strip():
            raise _BadRequestError("token must not be blank")
        fake.rotate_token(token)
    if "revoked" in body:
        if _bool(body, "revoked", False):
            fake.revoke_token()
        else:
            fake.restore_token()
    return {"token_revoked": fake.token_revoked}


def _references(fake: FakeToggl, body: dict[str, Any]) -> Any:
    with fake.lock:
        fake.serves_references = _bool(body, "serve", True)
        return {"serves_references": fake.serves_references}


def _projects(fake: FakeToggl, body: dict[str, Any]) -> Any:
    workspace_id = _int(body, "workspace_id", fake.premium_workspace_id, 1, None)
    if all(w["id"] != workspace_id for w in fake.workspaces):
        raise _BadRequestError(f"no workspace {workspace_id}")
    ids = fake.add_projects(
        workspace_id,
        _int(body, "count", 1, 1, 100_000),
        prefix=_str(body, "prefix", "Project"),
        client_name=_optional_str(body, "client_name"),
    )
    return {"ids": ids}


def _tasks(fake: FakeToggl, body: dict[str, Any]) -> Any:
    project_id = _int(body, "project_id", fake.project_id("Website Redesign"), 1, None)
    with fake.lock:
        if fake.project_anywhere(project_id) is None:
            raise _BadRequestError(f"no project {project_id}")
        ids = fake.add_tasks(
            project_id, _int(body, "count", 1, 1, 100_000), prefix=_str(body, "prefix", "Task")
        )
    return {"ids": ids}


def _reset(fake: FakeToggl, body: dict[str, Any]) -> Any:
    with fake.lock:
        fake.clear_faults()
        fake.set_quota(None)
        fake.restore_token()
        fake.serves_references = True
    return _status(fake, body)


def _requests(fake: FakeToggl, body: dict[str, Any]) -> Any:
    probe = Rule("fail", 1, _method(body, None), _optional_str(body, "path_contains"))
    found = [r for r in fake.requests if probe.matches(r.method, r.path)]
    return {
        "count": len(found),
        "requests": [
            {
                "method": r.method,
                "path": r.path,
                "query": r.query,
                "body": _logged_body(r),
            }
            for r in found
        ],
    }


def _forget_requests(fake: FakeToggl, body: dict[str, Any]) -> Any:
    with fake.lock:
        cleared = fake.count()
        fake.reset_log()
    return {"cleared": cleared}


def _logged_body(request: RecordedRequest) -> Any:
    """The body as JSON if it was JSON, else as text (None when empty)."""
    if request.body is not None or not request.raw_body:
        return request.body
    return request.raw_body.decode(errors="replace")


_HANDLERS: dict[str, Handler] = {
    f"GET {CONTROL_PREFIX}": _status,
    f"POST {CONTROL_PREFIX}/fail": _fail,
    f"POST {CONTROL_PREFIX}/delay": _delay,
    f"POST {CONTROL_PREFIX}/drop": _drop,
    f"POST {CONTROL_PREFIX}/down": _down,
    f"POST {CONTROL_PREFIX}/quota": _quota,
    f"POST {CONTROL_PREFIX}/token": _token,
    f"POST {CONTROL_PREFIX}/references": _references,
    f"POST {CONTROL_PREFIX}/projects": _projects,
    f"POST {CONTROL_PREFIX}/tasks": _tasks,
    f"POST {CONTROL_PREFIX}/reset": _reset,
    f"GET {CONTROL_PREFIX}/requests": _requests,
    f"DELETE {CONTROL_PREFIX}/requests": _forget_requests,
}


# ------------------------------------------------------------------ body fields


def _int(body: dict[str, Any], name: str, default: int | None, low: int, high: int | None) -> int:
    value = body.get(name, default)
    if isinstance(value, str) and value.strip().isdigit():  # from a query string
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool):
        raise _BadRequestError(f"{name} must be a whole number")
    if value < low or (high is not None and value > high):
        top = "" if high is None else f" and at most {high}"
        raise _BadRequestError(f"{name} must be at least {low}{top}")
    return value


def _count(body: dict[str, Any]) -> int:
    return _int(body, "count", 1, 1, 1_000_000)


def _seconds(body: dict[str, Any], *, allow_zero: bool) -> float:
    value = body.get("seconds")
    if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
        raise _BadRequestError("seconds must be a number")
    if value < 0 or (value == 0 and not allow_zero) or value > MAX_SECONDS:
        low = "0" if allow_zero else "more than 0"
        raise _BadRequestError(f"seconds must be {low} and at most {MAX_SECONDS:g}")
    return float(value)


def _bool(body: dict[str, Any], name: str, default: bool) -> bool:
    value = body.get(name, default)
    if not isinstance(value, bool):
        raise _BadRequestError(f"{name} must be true or false")
    return value


def _str(body: dict[str, Any], name: str, default: str) -> str:
    value = body.get(name, default)
    if not isinstance(value, str):
        raise _BadRequestError(f"{name} must be a string")
    return value


def _optional_str(body: dict[str, Any], name: str) -> str | None:
    return None if body.get(name) is None else _str(body, name, "")


def _method(body: dict[str, Any], default: str | None) -> str | None:
    method = _optional_str(body, "method") if "method" in body else default
    return None if method is None else method.upper()
