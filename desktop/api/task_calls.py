"""The task calls of `TogglClient`: a project's tasks (whole, or changed since a time), one task,
creating, changing only given fields, deleting, and the bulk PATCH.

A mixin, so that `desktop.api.client` keeps the transport and these share its one `_request`
(with its deadline, caps, quota and error reading); every public method keeps the client's
contract through `toggl_errors_only`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, cast

from desktop.api.answers import same_place
from desktop.api.errors import BadRequestError, InvalidResponseError
from desktop.api.guard import toggl_errors_only
from desktop.api.json_values import JSON, MAX_ID, _bounded_int, _object
from desktop.api.models import Task, TaskChanges, TaskDraft
from desktop.api.task_models import PatchResult, TaskListing

log = logging.getLogger("desktop.api.client")

TASKS_PER_PAGE = 200  # as for projects: Toggl's largest page, fewest requests against the quota
MAX_TASK_PAGES = 500  # 100,000 tasks: a server still paging past that is not listing a project
MAX_PATCH_IDS = 100  # (unverified) Toggl's bulk edits elsewhere take 100 ids at a time
SINCE_OVERLAP_SECONDS = 60
"""How far before Toggl's clock the next `since` starts: Toggl's writes can take seconds to
show in listings, and a change listed twice costs nothing, one never listed a stale row."""


def _ids_path(workspace_id: int, project_id: int, task_id: int | str | None = None) -> str:
    path = f"workspaces/{workspace_id}/projects/{project_id}/tasks"
    return path if task_id is None else f"{path}/{task_id}"


def toggl_clock(date_header: str | None) -> int | None:
    """An HTTP Date header as unix seconds, or None when missing, unreadable or outside the
    years 2000 to 2099 (bounded like every date the client keeps)."""
    if date_header is None or len(date_header) > 64:
        return None
    try:
        moment: datetime = parsedate_to_datetime(date_header)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None or not 2000 <= moment.year <= 2099:
        return None
    return int(moment.timestamp())


def _the_task(task: Task, task_id: int) -> Task:
    if task.id != task_id:
        log.warning("Toggl answered with task %s for task %s", task.id, task_id)
        raise InvalidResponseError("Toggl's answer was about another task than the one asked.")
    return task


class TaskCalls:
    """Task endpoints, for a class that provides `_request`, `_list` and `last_answer_date`."""

    if TYPE_CHECKING:  # provided by `TogglClient`
        last_answer_date: str | None

        def _request(
            self,
            method: str,
            path: str,
            *,
            params: dict[str, str | int] | None = None,
            body: JSON = None,
        ) -> JSON: ...

        def _list(
            self, method: str, path: str, *, params: dict[str, str | int] | None = None
        ) -> list[JSON]: ...

    @toggl_errors_only
    def tasks(
        self, workspace_id: int, project_id: int, *, active: bool | None = None
    ) -> list[Task]:
        """A project's tasks in one unpaged request (open ones only with `active` True); the
        sync engine settles unconfirmed sends by it."""
        params: dict[str, str | int] = {}
        if active is not None:
            params["active"] = "true" if active else "false"
        items = self._list("GET", _ids_path(workspace_id, project_id), params=params)
        return [Task.from_json(item) for item in items]

    @toggl_errors_only
    def task_listing(
        self,
        workspace_id: int,
        project_id: int,
        *,
        since: int | None = None,
        active: bool | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> TaskListing:
        """Every page of a project's tasks, open and done (`active` None: Toggl's `both`), or
        only those created, changed or made done since `since` (unix seconds; a deleted task
        is not among them: only a whole listing shows it gone). `progress` hears the count
        before each further page. Tasks Toggl reports in another project are left out."""
        found: dict[int, Task] = {}
        seen: set[int] = set()
        as_of: int | None = None
        page = 1
        while True:
            params: dict[str, str | int] = {
                "pid": project_id,
                "active": "both" if active is None else str(active).lower(),
                "page": page,
                "per_page": TASKS_PER_PAGE,
                # by creation: a task renamed or added while the pages are read does not move
                # across a page boundary (sorted by name it could be skipped)
                "sort_field": "created_at",
                "sort_order": "ASC",
            }
            if since is not None:
                params["since"] = since
            envelope = self._request("GET", f"workspaces/{workspace_id}/tasks", params=params)
            if page == 1:
                clock = toggl_clock(self.last_answer_date)
                as_of = None if clock is None else max(0, clock - SINCE_OVERLAP_SECONDS)
            items, per_page, total = _page_of(envelope)
            fresh = [t for t in map(Task.from_json, items) if t.id not in seen]
            seen.update(t.id for t in fresh)
            found.update((t.id, t) for t in fresh if t.project_id in (None, project_id))
            # A short page is the last; so is a page of nothing new (a server ignoring paging).
            done = len(items) < min(per_page or TASKS_PER_PAGE, TASKS_PER_PAGE) or not fresh
            if done or (total is not None and len(seen) >= total):
                break
            if page >= MAX_TASK_PAGES:
                raise InvalidResponseError("Toggl sent more pages of tasks than a project holds.")
            if progress is not None:
                progress(len(found))
            page += 1
        return TaskListing(list(found.values()), as_of=as_of)

    @toggl_errors_only
    def task(self, workspace_id: int, project_id: int, task_id: int) -> Task:
        """One task; `NotFoundError` when Toggl has no such task (deleted)."""
        data = self._request("GET", _ids_path(workspace_id, project_id, task_id))
        task = same_place(Task.from_json(data), workspace_id, project_id)
        return _the_task(task, task_id)

    @toggl_errors_only
    def create_task(self, workspace_id: int, project_id: int, draft: TaskDraft) -> Task:
        """The task Toggl created; an answer that names another project or workspace is an
        `InvalidResponseError` (ambiguous: settle it by listing), not a delivery."""
        path = _ids_path(workspace_id, project_id)
        task = Task.from_json(self._request("POST", path, body=draft.to_json()))
        return same_place(task, workspace_id, project_id)

    @toggl_errors_only
    def update_task(
        self, workspace_id: int, project_id: int, task_id: int, changes: TaskChanges
    ) -> Task:
        """PUT only the fields in `changes`; Toggl keeps the others as they are on its side.
        Returns the task as Toggl has it now."""
        path = _ids_path(workspace_id, project_id, task_id)
        task = Task.from_json(self._request("PUT", path, body=changes.to_json()))
        return _the_task(same_place(task, workspace_id, project_id), task_id)

    @toggl_errors_only
    def delete_task(self, workspace_id: int, project_id: int, task_id: int) -> None:
        """Delete a task; `NotFoundError` when it is already gone (for a retried delete, done)."""
        self._request("DELETE", _ids_path(workspace_id, project_id, task_id))

    @toggl_errors_only
    def patch_tasks(
        self, workspace_id: int, project_id: int, task_ids: list[int], changes: TaskChanges
    ) -> PatchResult:
        """The same change to several tasks in one request (Toggl's bulk PATCH, JSON-patch
        `replace` operations); says per id what Toggl did. At most `MAX_PATCH_IDS` ids."""
        ids = list(dict.fromkeys(task_ids))
        if not ids:
            return PatchResult(succeeded=[], failed={}, unanswered=[])
        if len(ids) > MAX_PATCH_IDS:
            raise BadRequestError(f"Toggl changes at most {MAX_PATCH_IDS} tasks at once.")
        if any(isinstance(i, bool) or not 0 < i <= MAX_ID for i in ids):
            raise BadRequestError("A task id to change is not a Toggl task id.")
        path = _ids_path(workspace_id, project_id, ",".join(map(str, ids)))
        data = self._request("PATCH", path, body=changes.to_patch())
        return PatchResult.from_json(data, ids)


def _page_of(envelope: JSON) -> tuple[list[JSON], int | None, int | None]:
    """The tasks of one page of `GET /workspaces/{wid}/tasks`, its page size and the total."""
    obj = _object(envelope, "task list")
    data = obj.get("data")
    if data is None:  # Toggl answers null for an empty collection
        data = []
    if not isinstance(data, list):
        raise InvalidResponseError("Toggl sent a list in an unexpected shape.")
    data = cast(list[JSON], data)
    per_page = _bounded_int(obj.get("per_page"), "id")
    total = _bounded_int(obj.get("total_count"), "id")
    return data, (per_page or None), total
