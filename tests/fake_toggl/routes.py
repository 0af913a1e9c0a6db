"""The Toggl API v9 routes the app uses: auth, quota, ``/me``, projects, users and tasks.

Errors are answered as Toggl does: a status and a JSON string literal body.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any

from tests.fake_toggl.quota import Quota
from tests.fake_toggl.state import TogglState
from tests.fake_toggl.wire import (
    API_PREFIX,
    ApiError,
    RecordedRequest,
    Response,
    json_response,
    now_iso,
    parse_json,
)

PROJECTS_DEFAULT_PER_PAGE = 151
TASKS_DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200


def respond(state: TogglState, quota: Quota, request: RecordedRequest) -> Response:
    """Answer an API request normally (auth, quota, routes); no faults here."""
    with state.lock:
        try:
            return _route(state, quota, request)
        except ApiError as error:
            return json_response(error.status, error.message)


def _authorized(state: TogglState, header: str) -> bool:
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
    token_ok = user == state.token and password == "api_token" and not state.token_revoked
    return token_ok or (user == state.email and password == state.password)


def _route(state: TogglState, quota: Quota, request: RecordedRequest) -> Response:
    path, method, query = request.path, request.method, request.query
    if not path.startswith(API_PREFIX + "/"):
        raise ApiError(404, "Not found")
    auth = request.headers.get("authorization")
    if auth is None:
        return Response(401)
    if not _authorized(state, auth):
        raise ApiError(403, "Incorrect username and/or password")
    sub = path[len(API_PREFIX) :].rstrip("/")
    if sub.startswith("/workspaces/"):
        quota.consume()

    if method == "GET" and sub == "/me":
        me = dict(state.me)
        me["api_token"] = state.token
        return json_response(200, me)
    if method == "GET" and sub == "/me/workspaces":
        return json_response(200, [dict(w) for w in state.workspaces])
    if method == "GET" and sub == "/me/quota":
        orgs = sorted({int(w["organization_id"]) for w in state.workspaces})
        return json_response(200, quota.report(orgs))
    if (m := re.fullmatch(r"/workspaces/(\d+)/projects", sub)) and method == "GET":
        return _list_projects(state, int(m[1]), query)
    if (m := re.fullmatch(r"/workspaces/(\d+)/users", sub)) and method == "GET":
        state.workspace(int(m[1]))
        return json_response(200, [dict(u) for u in state.users.get(int(m[1]), [])])
    if (m := re.fullmatch(r"/workspaces/(\d+)/tasks", sub)) and method == "GET":
        return _search_tasks(state, int(m[1]), query)
    if m := re.fullmatch(r"/workspaces/(\d+)/projects/(\d+)/tasks", sub):
        if method == "GET":
            return _project_tasks(state, int(m[1]), int(m[2]), query)
        if method == "POST":
            return _create_task(state, int(m[1]), int(m[2]), request.raw_body)
    m = re.fullmatch(r"/workspaces/(\d+)/projects/(\d+)/tasks/(\d+)", sub)
    if m and method in ("GET", "PUT", "DELETE"):
        ids = (int(m[1]), int(m[2]), int(m[3]))
        return _one_task(state, method, ids, request.raw_body)
    raise ApiError(404, "Not found")


def _list_projects(state: TogglState, workspace_id: int, query: dict[str, str]) -> Response:
    state.workspace(workspace_id)
    wanted = _active_filter(query.get("active"))
    page = _int_param(query, "page", 1)
    per_page = min(_int_param(query, "per_page", PROJECTS_DEFAULT_PER_PAGE), MAX_PER_PAGE)
    projects = [
        p for p in state.projects.get(workspace_id, []) if wanted is None or p["active"] is wanted
    ]
    chunk = projects[(page - 1) * per_page : page * per_page]
    return json_response(200, [dict(p) for p in chunk])


def _project_tasks(
    state: TogglState, workspace_id: int, project_id: int, query: dict[str, str]
) -> Response:
    state.workspace(workspace_id)
    state.find_project(workspace_id, project_id)
    wanted = _active_filter(query.get("active"))
    return json_response(
        200,
        [
            state.served(t)
            for t in state.tasks
            if t["workspace_id"] == workspace_id
            and t["project_id"] == project_id
            and (wanted is None or t["active"] is wanted)
        ],
    )


def _search_tasks(state: TogglState, workspace_id: int, query: dict[str, str]) -> Response:
    state.workspace(workspace_id)
    wanted = _active_filter(query.get("active"))
    page = _int_param(query, "page", 1)
    per_page = min(_int_param(query, "per_page", TASKS_DEFAULT_PER_PAGE), MAX_PER_PAGE)
    search = query.get("search", "").lower()
    pid = _int_param(query, "pid", 0)
    found = [
        t
        for t in state.tasks
        if t["workspace_id"] == workspace_id
        and (wanted is None or t["active"] is wanted)
        and (not pid or t["project_id"] == pid)
        and search in str(t["name"]).lower()
    ]
    chunk = found[(page - 1) * per_page : page * per_page]
    return json_response(
        200,
        {
            "data": [state.served(t) for t in chunk],
            "page": page,
            "per_page": per_page,
            "total_count": len(found),
        },
    )


def _writable_project(state: TogglState, workspace_id: int, project_id: int) -> dict[str, Any]:
    workspace = state.workspace(workspace_id)
    if not workspace.get("premium"):
        raise ApiError(402, "Tasks are available only on paid plans.")
    project = state.find_project(workspace_id, project_id)
    if not project["active"]:
        raise ApiError(400, "Can not change tasks of archived project")
    return project


def _check_task_fields(
    state: TogglState, workspace_id: int, data: dict[str, Any], *, create: bool
) -> None:
    """Validate the writable task fields present in ``data``."""
    if create or "name" in data:
        name = data.get("name")
        if not isinstance(name, str) or not name.strip():
            raise ApiError(400, "Name can't be blank")
    if "active" in data and not isinstance(data["active"], bool):
        raise ApiError(400, "Invalid active")
    if "estimated_seconds" in data and not _is_count(data["estimated_seconds"]):
        raise ApiError(400, "Invalid estimated_seconds")
    reference = data.get("external_reference")
    if reference is not None and not isinstance(reference, str):
        raise ApiError(400, "Invalid external_reference")
    user_id = data.get("user_id")
    if user_id is not None and (
        isinstance(user_id, bool)
        or all(u["id"] != user_id for u in state.users.get(workspace_id, []))
    ):
        raise ApiError(400, "Invalid user_id")


def _create_task(state: TogglState, workspace_id: int, project_id: int, raw: bytes) -> Response:
    ok, data = parse_json(raw)
    if not ok or not isinstance(data, dict):
        raise ApiError(400, "Invalid JSON")
    project = _writable_project(state, workspace_id, project_id)
    _check_task_fields(state, workspace_id, data, create=True)
    task = state.new_task(
        project,
        name=data["name"],
        active=data.get("active", True),
        estimated_seconds=data.get("estimated_seconds"),
        user_id=data.get("user_id"),
        external_reference=data.get("external_reference"),
    )
    return json_response(200, state.served(task))


def _one_task(state: TogglState, method: str, ids: tuple[int, int, int], raw: bytes) -> Response:
    workspace_id, project_id, task_id = ids
    data: dict[str, Any] = {}
    if method == "PUT":
        ok, parsed = parse_json(raw)
        if not ok or not isinstance(parsed, dict):
            raise ApiError(400, "Invalid JSON")
        data = parsed
    if method == "GET":
        state.workspace(workspace_id)
        state.find_project(workspace_id, project_id)
    else:
        _writable_project(state, workspace_id, project_id)
    task = next(
        (
            t
            for t in state.tasks
            if t["id"] == task_id
            and t["project_id"] == project_id
            and t["workspace_id"] == workspace_id
        ),
        None,
    )
    if task is None:
        raise ApiError(404, "Task not found")
    if method == "GET":
        return json_response(200, state.served(task))
    if method == "DELETE":
        state.tasks.remove(task)
        return Response(200)
    _check_task_fields(state, workspace_id, data, create=False)
    for key in ("name", "active", "estimated_seconds", "user_id"):
        if key in data:
            task[key] = data[key]
    task["user_name"] = state.user_name(workspace_id, task["user_id"])
    task["at"] = now_iso()
    return json_response(200, state.served(task))


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _active_filter(value: str | None) -> bool | None:
    """Map the ``active`` query value to True/False, or None for all."""
    if value is None or value.lower() == "both":
        return None
    if value.lower() == "true":
        return True
    if value.lower() == "false":
        return False
    raise ApiError(400, "Invalid active")


def _int_param(query: dict[str, str], name: str, default: int) -> int:
    value = query.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ApiError(400, f"Invalid {name}") from None
    if number < 1:
        raise ApiError(400, f"Invalid {name}")
    return number
