"""Listing one project's tasks into the cache: when, how (by changes since the last listing,
or whole), and what a listing does to the changes that wait for its tasks.

When: on the user's F5, when the project was never listed, and when its copy is older than
`STALE_AFTER` (the window asks as a project is opened; the engine before sending changes that
waited through an offline spell or into a stale copy).

How: by changes (`since` the stored `as_of`, Toggl's own clock less an overlap), so an
unchanged project costs one small request. Such a listing cannot show a task deleted in
Toggl, so the project is listed whole when it never was, when its last whole listing is older
than `WHOLE_AFTER`, and on F5 when that was more than `WHOLE_ON_F5_AFTER` ago: deletions show
within minutes of asking, and pressing F5 again and again costs one small request each. With
Starter's 240 requests an hour, an open project costs at most two an hour on its own, plus one
per page every six hours.
"""

from __future__ import annotations

from typing import Literal

from desktop.api.client import TogglClient
from desktop.api.errors import PaidFeatureError
from desktop.store.cache import Cache, TaskListState
from desktop.store.task_changes import TaskChangeQueue
from desktop.sync.task_merge import recheck_project

STALE_AFTER = 30 * 60.0
WHOLE_AFTER = 6 * 3600.0
WHOLE_ON_F5_AFTER = 10 * 60.0

Listing = Literal["since", "whole"]


def listing_due(state: TaskListState, now: float, *, forced: bool) -> Listing | None:
    """Which listing the project's copy needs now; None: it is fresh enough."""
    if state.fetched_at is None:
        return "whole"
    if not forced and not is_stale(state, now):
        return None
    whole_age = None if state.full_at is None else now - state.full_at
    if (
        state.as_of is None
        or whole_age is None
        or whole_age > WHOLE_AFTER
        or (forced and whole_age > WHOLE_ON_F5_AFTER)
    ):
        return "whole"
    return "since"


def is_stale(state: TaskListState, now: float) -> bool:
    return state.fetched_at is None or now - state.fetched_at > STALE_AFTER


def refresh_project(
    client: TogglClient,
    cache: Cache,
    queue: TaskChangeQueue,
    workspace_id: int,
    project_id: int,
    how: Listing,
) -> None:
    """List the project (whole, or by changes when its `since` is known), keep the listing in
    the cache and check the changes waiting for its tasks against it, in one transaction. A
    402 is remembered: the workspace's plan has no tasks."""
    state = cache.task_list_state(project_id)
    since = state.as_of if how == "since" else None
    try:
        listing = client.task_listing(workspace_id, project_id, since=since)
    except PaidFeatureError:
        cache.note_tasks_paid_only(workspace_id)
        raise
    whole = since is None
    with queue.transaction():
        cache.save_task_listing(workspace_id, project_id, listing.tasks, listing.as_of, whole=whole)
        if listing.tasks:
            served = any(task.references_served for task in listing.tasks)
            cache.note_references(client.base_url, served)
        recheck_project(cache, queue, project_id)
