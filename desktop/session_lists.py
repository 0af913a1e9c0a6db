"""A workspace's lists (projects and people) for `Session.workspace_lists`: each fetched from
Toggl when stale or forced, else read from the cache; pages of projects reported as they come.
Kept apart from desktop.session, which stays the one door."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from desktop.domain.project_choices import ProjectChoices
from desktop.session_types import ListsProgress, WorkspaceLists
from desktop.store.trouble import storage_errors

if TYPE_CHECKING:
    from desktop.session import Session


def load_workspace_lists(
    session: Session,
    workspace_id: int,
    *,
    force: bool,
    progress: Callable[[ListsProgress], None] | None,
) -> WorkspaceLists | None:
    """None when the cache was fresh and nothing was fetched."""
    fetch_projects = force or not session.fresh(f"projects:{workspace_id}")
    fetch_users = force or not session.fresh(f"users:{workspace_id}")
    if not (fetch_projects or fetch_users):
        return None
    client, cache = session.client, session.cache

    def told(loaded: int) -> None:
        if progress is not None:
            progress(ListsProgress(workspace_id, loaded))

    if fetch_projects:
        fresh = session.observed(lambda: client.projects(workspace_id, progress=told))
        with storage_errors():
            cache.save_projects(workspace_id, fresh)
        projects = ProjectChoices.of(fresh)
    else:
        with storage_errors():
            projects = ProjectChoices.of(cache.projects(workspace_id))
    if fetch_users:
        people = session.observed(lambda: client.users(workspace_id))
        users = [user for user in people if not user.inactive]
    with storage_errors():
        if fetch_users:
            cache.save_users(workspace_id, users)
        else:
            users = cache.users(workspace_id)
        last = cache.last_project_id(workspace_id)
    return WorkspaceLists(workspace_id, projects, users, last)
