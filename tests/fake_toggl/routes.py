"""The Toggl API v9 routes the app uses: auth, quota, ``/me``, projects and users; the task
routes are in ``task_routes``.

Errors are answered as Toggl does: a status and a JSON string literal body.
"""

from __future__ import annotations

import base64
import binascii
import re

from tests.fake_toggl import task_routes
from tests.fake_toggl.query import active_filter, int_param
from tests.fake_toggl.quota import Quota
from tests.fake_toggl.state import TogglState
from tests.fake_toggl.wire import (
    API_PREFIX,
    ApiError,
    RecordedRequest,
    Response,
    json_response,
)

PROJECTS_DEFAULT_PER_PAGE = 151
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
    if "/tasks" in sub:
        return task_routes.route(state, sub, request)
    raise ApiError(404, "Not found")


def _list_projects(state: TogglState, workspace_id: int, query: dict[str, str]) -> Response:
    state.workspace(workspace_id)
    wanted = active_filter(query.get("active"))
    page = int_param(query, "page", 1)
    per_page = min(int_param(query, "per_page", PROJECTS_DEFAULT_PER_PAGE), MAX_PER_PAGE)
    projects = [
        p for p in state.projects.get(workspace_id, []) if wanted is None or p["active"] is wanted
    ]
    chunk = projects[(page - 1) * per_page : page * per_page]
    return json_response(200, [dict(p) for p in chunk])
