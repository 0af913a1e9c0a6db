"""The task routes, as Toggl answers them: a project's tasks, the workspace's paged task list
(``pid``, ``active`` with ``both``, ``since``, sorting), one task (GET, PUT with only the fields
given, DELETE), creating, and the bulk ``PATCH .../tasks/{ids}`` of JSON-patch operations.

Every change stamps the task's ``at``. Errors are Toggl's: a status and a JSON string literal
(404 for a task that is not in the project, 400 for a body it cannot take).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from tests.fake_toggl.query import active_filter, int_param
from tests.fake_toggl.state import TogglState
from tests.fake_toggl.wire import (
    ApiError,
    RecordedRequest,
    Response,
    json_response,
    now_iso,
    parse_json,
)

TASKS_DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200
WRITABLE = ("name", "active", "estimated_seconds", "user_id", "external_reference")
"""The fields of Toggl's task payload; PUT changes those present and keeps the rest."""
PATCHABLE = ("name", "active", "estimated_seconds", "user_id")
SORT_FIELDS = ("name", "created_at")
ONE_TASK = re.compile(r"/workspaces/(\d+)/projects/(\d+)/tasks/(\d+)")
SOME_TASKS = re.compile(r"/workspaces/(\d+)/projects/(\d+)/tasks/([\d,]+)")


def route(state: TogglState, sub: str, request: RecordedRequest) -> Response:
    """Answer a request to a path under ``/workspaces/...`` that names tasks."""
    method, query, raw = request.method, request.query, request.raw_body
    if (m := re.fullmatch(r"/workspaces/(\d+)/tasks", sub)) and method == "GET":
        return _search_tasks(state, int(m[1]), query)
    if m := re.fullmatch(r"/workspaces/(\d+)/projects/(\d+)/tasks", sub):
        if method == "GET":
            return _project_tasks(state, int(m[1]), int(m[2]), query)
        if method == "POST":
            return _create_task(state, int(m[1]), int(m[2]), raw)
    if (m := ONE_TASK.fullmatch(sub)) and method in ("GET", "PUT", "DELETE"):
        return _one_task(state, method, (int(m[1]), int(m[2]), int(m[3])), raw)
    if (m := SOME_TASKS.fullmatch(sub)) and method == "PATCH":
        return _patch_tasks(state, int(m[1]), int(m[2]), m[3], raw)
    raise ApiError(404, "Not found")


def _project_tasks(
    state: TogglState, workspace_id: int, project_id: int, query: dict[str, str]
) -> Response:
    state.workspace(workspace_id)
    state.find_project(workspace_id, project_id)
    wanted = active_filter(query.get("active"))
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
    wanted = active_filter(query.get("active"))
    page = int_param(query, "page", 1)
    per_page = min(int_param(query, "per_page", TASKS_DEFAULT_PER_PAGE), MAX_PER_PAGE)
    search = query.get("search", "").lower()
    pid = int_param(query, "pid", 0, low=0)
    since = int_param(query, "since", 0, low=0)
    sort_field = query.get("sort_field", "name")
    sort_order = query.get("sort_order", "ASC").upper()
    if sort_field not in SORT_FIELDS:
        raise ApiError(400, "Invalid sort_field")
    if sort_order not in ("ASC", "DESC"):
        raise ApiError(400, "Invalid sort_order")
    found = [
        t
        for t in state.tasks
        if t["workspace_id"] == workspace_id
        and (wanted is None or t["active"] is wanted)
        and (not pid or t["project_id"] == pid)
        and search in str(t["name"]).lower()
        and (not since or _unix(t["at"]) >= since)
    ]
    if sort_field == "name":
        found.sort(key=lambda t: (str(t["name"]).lower(), t["id"]))
    else:  # ids grow with creation
        found.sort(key=lambda t: int(t["id"]))
    if sort_order == "DESC":
        found.reverse()
    chunk = found[(page - 1) * per_page : page * per_page]
    return json_response(
        200,
        {
            "data": [state.served(t) for t in chunk],
            "page": page,
            "per_page": per_page,
            "sort_field": sort_field,
            "sort_order": sort_order,
            "total_count": len(found),
        },
    )


def _unix(at: str) -> float:
    return datetime.fromisoformat(at).timestamp()


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
    """Validate the writable task fields present in ``data``; ``user_id`` null clears it."""
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


def _json_body(raw: bytes) -> Any:
    ok, data = parse_json(raw)
    if not ok:
        raise ApiError(400, "Invalid JSON")
    return data


def _create_task(state: TogglState, workspace_id: int, project_id: int, raw: bytes) -> Response:
    data = _json_body(raw)
    if not isinstance(data, dict):
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


def _find_task(
    state: TogglState, workspace_id: int, project_id: int, task_id: int
) -> dict[str, Any] | None:
    return next(
        (
            t
            for t in state.tasks
            if t["id"] == task_id
            and t["project_id"] == project_id
            and t["workspace_id"] == workspace_id
        ),
        None,
    )


def _apply(state: TogglState, task: dict[str, Any], data: dict[str, Any]) -> None:
    """Change the fields present in ``data`` (already checked), keep the others, stamp ``at``."""
    for key in WRITABLE:
        if key in data:
            task[key] = data[key]
    task["user_name"] = state.user_name(int(task["workspace_id"]), task["user_id"])
    task["at"] = now_iso()


def _one_task(state: TogglState, method: str, ids: tuple[int, int, int], raw: bytes) -> Response:
    workspace_id, project_id, task_id = ids
    data: dict[str, Any] = {}
    if method == "PUT":
        parsed = _json_body(raw)
        if not isinstance(parsed, dict):
            raise ApiError(400, "Invalid JSON")
        data = parsed
    if method == "GET":
        state.workspace(workspace_id)
        state.find_project(workspace_id, project_id)
    else:
        _writable_project(state, workspace_id, project_id)
    task = _find_task(state, workspace_id, project_id, task_id)
    if task is None:
        raise ApiError(404, "Task not found")
    if method == "GET":
        return json_response(200, state.served(task))
    if method == "DELETE":
        state.tasks.remove(task)
        return Response(200)
    _check_task_fields(state, workspace_id, data, create=False)
    _apply(state, task, data)
    return json_response(200, state.served(task))


def _patch_tasks(
    state: TogglState, workspace_id: int, project_id: int, ids_text: str, raw: bytes
) -> Response:
    """Toggl's bulk change: the same JSON-patch operations applied to each task named."""
    try:
        ids = [int(part) for part in ids_text.split(",")]
    except ValueError:
        raise ApiError(400, "Invalid task_ids") from None
    operations = _json_body(raw)
    if not isinstance(operations, list) or not operations:
        raise ApiError(400, "Invalid JSON")
    _writable_project(state, workspace_id, project_id)
    data: dict[str, Any] = {}
    for operation in operations:
        if not isinstance(operation, dict) or operation.get("op") not in ("replace", "add"):
            raise ApiError(400, "Invalid operation")
        path = operation.get("path")
        key = path[1:] if isinstance(path, str) and path.startswith("/") else ""
        if key not in PATCHABLE or "value" not in operation:
            raise ApiError(400, f"Invalid path {path}")
        data[key] = operation["value"]
    _check_task_fields(state, workspace_id, data, create=False)
    success: list[int] = []
    failure: list[dict[str, Any]] = []
    for task_id in dict.fromkeys(ids):
        task = _find_task(state, workspace_id, project_id, task_id)
        if task is None:
            failure.append({"id": task_id, "message": "Task not found"})
        else:
            _apply(state, task, data)
            success.append(task_id)
    return json_response(200, {"success": success, "failure": failure})


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0
