"""Contract tests: the real `TogglClient` against Stoplight Prism mocking Toggl's own Swagger file.

Prism validates every request against the spec (path, query, headers, security, body) and answers
a violating one with 4xx (422 for a bad body or query, 401 without credentials), which the client
turns into an exception. So a test that passes proves Toggl's published contract accepts the request
the client really sends.

Needs the Swagger file at `../shared/toggl-api/` beside the repository (or `TOGGL_SWAGGER_FILE`)
and Prism (`bash scripts/install-prism.sh` puts it in `.cache/prism`). Without them every test skips
with the reason, unless `TASK_DESK_REQUIRE_PRISM=1` (set by CI), where they fail instead.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from desktop.api.auth import ApiToken
from desktop.api.client import PROJECTS_PER_PAGE, TogglClient
from desktop.api.models import Me, Project, Task, TaskChanges, TaskDraft, User, Workspace
from desktop.api.task_models import PatchResult
from desktop.store.outbox_row import new_reference

pytestmark = pytest.mark.prism

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SWAGGER = REPO_ROOT.parent / "shared" / "toggl-api" / "toggl-track-api-v9.swagger.json"
LOCAL_PRISM = REPO_ROOT / ".cache" / "prism" / "node_modules" / ".bin" / "prism"
STARTUP_TIMEOUT_S = 60.0
WID, PID, TID, UID = 1234, 1234, 1234, 1234
EXAMPLE_TID = 0
"""Prism answers its example task, id 0, whatever task is asked for; the client refuses an
answer about another task than the one asked, so one-task calls ask for that one."""

PROJECTS_PATH = "/workspaces/{workspace_id}/projects"
WORKSPACE_TASKS_PATH = "/workspaces/{workspace_id}/tasks"
BULK_TASKS_PATH = "/workspaces/{workspace_id}/projects/{project_id}/tasks/{task_ids}"


# --- locating the tools ------------------------------------------------------------------------


def _unavailable(reason: str) -> None:
    """Skip with `reason`, or fail when CI demands the contract tests run."""
    if os.environ.get("TASK_DESK_REQUIRE_PRISM") == "1":
        pytest.fail(f"{reason} (TASK_DESK_REQUIRE_PRISM=1, so this is an error)", pytrace=False)
    pytest.skip(reason)


def _swagger_file() -> Path:
    override = os.environ.get("TOGGL_SWAGGER_FILE")
    path = Path(override) if override else DEFAULT_SWAGGER
    if not path.is_file():
        _unavailable(
            f"Toggl Swagger file not found at {path} (set TOGGL_SWAGGER_FILE to use another)"
        )
    return path


def _prism_command() -> list[str]:
    hint = "run `bash scripts/install-prism.sh` to install Stoplight Prism"
    if shutil.which("node") is None:
        _unavailable(f"node is not on PATH, so Prism cannot run; install Node.js, then {hint}")
    if LOCAL_PRISM.exists():
        return [str(LOCAL_PRISM)]
    on_path = shutil.which("prism")
    if on_path is None:
        _unavailable(f"Prism not found in {LOCAL_PRISM.parent} nor on PATH; {hint}")
    return [str(on_path)]


# --- patching the spec's own bugs --------------------------------------------------------------


def patch_spec(spec: dict[str, Any]) -> dict[str, Any]:
    """A copy of Toggl's Swagger file with the bugs fixed that make Prism reject valid requests.

    Each patch is one the real API contradicts (see shared/toggl-api/README.md):
    """
    spec = copy.deepcopy(spec)

    # 1. The file declares no top-level `consumes` (only a few operations have one), so Prism
    #    rejects every JSON body: "No supported content types, but request included a non-empty
    #    body" (a 415 violation, answered with the operation's documented 400). The API is JSON.
    spec["consumes"] = ["application/json"]

    # 2. GET /workspaces/{workspace_id}/projects marks name, page, sort_field, sort_order,
    #    only_templates, sort_pinned and search as required query parameters; the real API takes
    #    all of them as optional filters (a bare GET lists every project).
    for param in spec["paths"][PROJECTS_PATH]["get"]["parameters"]:
        if param.get("in") == "query":
            param.pop("required", None)

    # 3. `includeIndirect` of the workspace_users listings is marked required; it is an optional
    #    flag. (The app does not call these paths; patched so the copy is right if it ever does.)
    for path, item in spec["paths"].items():
        if not path.endswith("/workspace_users"):
            continue
        for operation in item.values():
            if not isinstance(operation, dict):
                continue
            for param in operation.get("parameters", []):
                if param.get("name") == "includeIndirect":
                    param.pop("required", None)

    # 4. `active` of GET /workspaces/{workspace_id}/tasks is typed boolean, though its own
    #    description says "You can also pass 'both'" (and the API takes it): the app lists a
    #    project's open and done tasks in one listing with active=both.
    for param in spec["paths"][WORKSPACE_TASKS_PATH]["get"]["parameters"]:
        if param.get("name") == "active":
            param.pop("type", None)
            param.update({"type": "string", "enum": ["true", "false", "both"]})

    # 5. `task_ids` of PATCH .../projects/{project_id}/tasks/{task_ids} is typed as one string,
    #    though described as "Numeric IDs of project tasks separated by comma": Prism reads
    #    "1,2" as a list (a path parameter's simple style) and refuses it as not a string, and
    #    crashes when it is typed as an array. Its type is dropped, so the path matches and
    #    the body (an array of patch operations) is still checked.
    for param in spec["paths"][BULK_TASKS_PATH]["patch"]["parameters"]:
        if param.get("name") == "task_ids":
            for key in ("type", "items", "collectionFormat"):
                param.pop(key, None)

    # Not patched, because nothing the app sends trips them: `active` of the projects listing is
    # typed boolean though the API also takes "both"; PUT .../tasks/{task_id} types task_id as a
    # string; GET /me/workspaces declares `since` as formData.
    return spec


# --- the Prism server --------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _tail(path: Path, lines: int = 40) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "(no log)"
    return "\n".join(text.splitlines()[-lines:])


def _wait_until_up(proc: subprocess.Popen[bytes], base_url: str, log_path: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    with httpx.Client(base_url=base_url, timeout=2.0, trust_env=False) as http:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.fail(
                    f"Prism exited with {proc.returncode} before answering; log tail:\n"
                    + _tail(log_path),
                    pytrace=False,
                )
            try:
                http.get("/me")  # any HTTP answer (401 here, no credentials) means it is up
            except httpx.TransportError:
                time.sleep(0.2)
            else:
                return
    pytest.fail(
        f"Prism did not answer within {STARTUP_TIMEOUT_S:.0f} s; log tail:\n" + _tail(log_path),
        pytrace=False,
    )


@pytest.fixture(scope="module")
def prism(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a Prism mock serving a patched copy of Toggl's Swagger file."""
    swagger = _swagger_file()
    command = _prism_command()
    workdir = tmp_path_factory.mktemp("prism")
    patched = workdir / "toggl-v9.patched.swagger.json"
    patched.write_text(json.dumps(patch_spec(json.loads(swagger.read_text("utf-8")))), "utf-8")
    log_path = workdir / "prism.log"
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [*command, "mock", "-h", "127.0.0.1", "-p", str(port), str(patched)],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=workdir,
        )
    try:
        _wait_until_up(proc, base_url, log_path)
        yield base_url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@pytest.fixture
def client(prism: str) -> Iterator[TogglClient]:
    with TogglClient(prism, ApiToken("tok")) as toggl:
        yield toggl


@pytest.fixture
def raw(prism: str) -> Iterator[httpx.Client]:
    """Plain httpx to Prism, without the client's checks, for the negative tests."""
    with httpx.Client(base_url=prism, timeout=10.0, trust_env=False) as http:
        yield http


# --- the client's requests are accepted by the contract ----------------------------------------


def test_me(client: TogglClient) -> None:
    me = client.me()
    assert isinstance(me, Me)
    assert isinstance(me.id, int)


def test_workspaces(client: TogglClient) -> None:
    workspaces = client.workspaces()
    assert isinstance(workspaces, list)
    assert all(isinstance(w, Workspace) and isinstance(w.id, int) for w in workspaces)


def test_projects_default_active_with_paging(client: TogglClient) -> None:
    # Sends active=true, page=1, per_page=PROJECTS_PER_PAGE; Prism's short example page ends it.
    projects = client.projects(WID)
    assert isinstance(projects, list)
    assert all(isinstance(p, Project) and isinstance(p.id, int) for p in projects)
    # The spec has no `maximum` for per_page, so Prism cannot check Toggl's documented cap.
    assert PROJECTS_PER_PAGE <= 200


@pytest.mark.parametrize("active", [False, None])
def test_projects_other_filters(client: TogglClient, active: bool | None) -> None:
    assert isinstance(client.projects(WID, active=active), list)


def test_users(client: TogglClient) -> None:
    users = client.users(WID)
    assert isinstance(users, list)
    assert all(isinstance(u, User) and isinstance(u.id, int) for u in users)


@pytest.mark.parametrize("active", [None, True, False])
def test_tasks(client: TogglClient, active: bool | None) -> None:
    tasks = client.tasks(WID, PID, active=active)
    assert isinstance(tasks, list)
    assert all(isinstance(t, Task) and isinstance(t.id, int) for t in tasks)


def test_create_task_with_every_field(client: TogglClient) -> None:
    draft = TaskDraft(
        name="Write contract tests",
        active=True,
        estimated_seconds=5400,
        user_id=UID,
        external_reference=new_reference(),
    )
    task = client.create_task(WID, PID, draft)
    assert isinstance(task, Task)
    assert isinstance(task.id, int)


def test_create_task_without_optional_fields(client: TogglClient) -> None:
    task = client.create_task(WID, PID, TaskDraft(name="Just a name"))
    assert isinstance(task, Task)
    assert isinstance(task.id, int)


def test_update_task_some_fields(client: TogglClient) -> None:
    task = client.update_task(WID, PID, EXAMPLE_TID, TaskChanges(name="Renamed", active=False))
    assert isinstance(task, Task)
    assert isinstance(task.id, int)


def test_update_task_assignee_and_estimate(client: TogglClient) -> None:
    changes = TaskChanges(estimated_seconds=60, user_id=UID)
    task = client.update_task(WID, PID, EXAMPLE_TID, changes)
    assert isinstance(task, Task)


def test_task_listing_of_open_and_done_tasks(client: TogglClient) -> None:
    # pid, active=both, page, per_page, sort_field, sort_order; Prism's example page ends it.
    listing = client.task_listing(WID, PID)
    assert isinstance(listing.tasks, list)
    assert all(isinstance(t, Task) for t in listing.tasks)


@pytest.mark.parametrize("active", [True, False])
def test_task_listing_of_changes_since(client: TogglClient, active: bool) -> None:
    listing = client.task_listing(WID, PID, since=1_773_828_000, active=active)
    assert isinstance(listing.tasks, list)


def test_one_task(client: TogglClient) -> None:
    task = client.task(WID, PID, EXAMPLE_TID)
    assert isinstance(task, Task)


def test_delete_task(client: TogglClient) -> None:
    assert client.delete_task(WID, PID, TID) is None


def test_bulk_patch(client: TogglClient) -> None:
    result = client.patch_tasks(WID, PID, [TID, TID + 1], TaskChanges(active=False, name="N"))
    assert isinstance(result, PatchResult)
    assert sorted(result.succeeded + list(result.failed) + result.unanswered) == [TID, TID + 1]


def test_the_patched_active_still_refuses_other_values(raw: httpx.Client) -> None:
    """Patch 4 lets `both` through (Toggl's own words allow it), and nothing else."""
    response = raw.get(
        f"/workspaces/{WID}/tasks", params={"active": "maybe"}, auth=("tok", "api_token")
    )
    assert response.status_code >= 400, response.text


# --- the mock really rejects what violates the contract ----------------------------------------


def test_a_bulk_patch_body_that_is_not_a_list_of_operations_is_rejected(
    raw: httpx.Client,
) -> None:
    response = raw.patch(
        f"/workspaces/{WID}/projects/{PID}/tasks/{TID},{TID + 1}",
        json={"op": "replace", "path": "/active", "value": False},
        auth=("tok", "api_token"),
    )
    assert response.status_code >= 400, response.text
    violations = json.loads(response.headers["sl-violations"])
    assert any(v["location"] == ["request", "body"] for v in violations), violations


def test_request_without_credentials_is_rejected(raw: httpx.Client) -> None:
    response = raw.post(f"/workspaces/{WID}/projects/{PID}/tasks", json={"name": "No auth"})
    assert response.status_code == 401, response.text


def test_body_with_wrong_type_is_rejected(raw: httpx.Client) -> None:
    response = raw.post(
        f"/workspaces/{WID}/projects/{PID}/tasks", json={"name": 123}, auth=("tok", "api_token")
    )
    # The operation documents a 400, so Prism answers with it (body: the example string) and
    # lists what it rejected in the `sl-violations` header: the type, not e.g. a content type.
    assert response.status_code >= 400, response.text
    violations = json.loads(response.headers["sl-violations"])
    assert any(v["location"] == ["request", "body", "name"] for v in violations), violations


def test_prefer_code_serves_documented_error(raw: httpx.Client) -> None:
    response = raw.post(
        f"/workspaces/{WID}/projects/{PID}/tasks",
        json={"name": "Forbidden"},
        auth=("tok", "api_token"),
        headers={"Prefer": "code=403"},
    )
    assert response.status_code == 403, response.text
