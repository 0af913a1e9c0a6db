"""A project's tasks through the session's door (issue 13): the task list as the window and
the command line show it, refreshing it from Toggl, and queueing changes and deletions in the
outbox. A mixin of `Session`, which stays within its size; everything runs on the session's
worker thread, and storage failures leave as `StorageError`.

`task_lines` never sends a request. Changes are queued durably here and sent by the engine's
steps (`desktop.sync.change_steps`), exactly as new tasks are; the engine also takes back a
change a killed app left *sending*. This module loads with the session, on the worker's path
to the first paint: what only a task list needs is imported where it is first used.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from contextlib import suppress
from functools import cached_property
from typing import TYPE_CHECKING, TypeVar

from desktop.api.errors import PaidFeatureError
from desktop.api.models import Task, TaskChanges
from desktop.store.outbox_row import OutboxState
from desktop.store.trouble import storage_errors

if TYPE_CHECKING:
    from desktop.api.client import TogglClient
    from desktop.store.cache import Cache
    from desktop.store.outbox import Outbox
    from desktop.store.task_changes import Fields, TaskChangeQueue
    from desktop.task_lines import TaskLine, TaskLines

T = TypeVar("T")

PAID_PLAN_ONLY = (
    "Tasks need a paid Toggl plan (Starter or higher); this workspace is on the Free plan."
)


def name_key(name: str) -> str:
    """A task name as duplicates are compared: case-insensitive, runs of spaces as one."""
    return re.sub(r"\s+", " ", name).strip().casefold()


class SessionTasks:
    """For `Session`, which provides what is declared below."""

    if TYPE_CHECKING:
        cache: Cache
        outbox: Outbox

        @property
        def client(self) -> TogglClient: ...
        def ensure_store(self) -> None: ...
        def observed(self, call: Callable[[], T]) -> T: ...

    @cached_property
    def task_changes(self) -> TaskChangeQueue:
        """The outbox of changes to tasks in Toggl (the engine sends them)."""
        from desktop.store.task_changes import TaskChangeQueue

        return TaskChangeQueue(lambda: self.outbox.connection)

    def task_lines(self, workspace_id: int, project_id: int) -> TaskLines:
        """The project's tasks from the cache with what waits in the outbox laid over them;
        no request."""
        with storage_errors():
            return self._lines(workspace_id, project_id)

    def refresh_tasks(
        self, workspace_id: int, project_id: int, *, forced: bool
    ) -> TaskLines | None:
        """List the project's tasks from Toggl when `forced` (F5), never listed, or older
        than 30 minutes (see `desktop.sync.task_refresh` for which listing); None when the
        copy is fresh enough and nothing was sent, or the workspace has no tasks (its plan).
        A 402 for tasks is the Free plan: the lines come back with `unavailable` set."""
        from desktop.sync.task_refresh import listing_due, refresh_project

        with storage_errors():
            if self._unavailable(workspace_id):
                return None
            how = listing_due(self.cache.task_list_state(project_id), time.time(), forced=forced)
            if how is None:
                return None
            self.ensure_store()
            with suppress(PaidFeatureError):  # remembered by refresh_project: the lines say it
                self.observed(
                    lambda: refresh_project(
                        self.client, self.cache, self.task_changes, workspace_id, project_id, how
                    )
                )
            return self._lines(workspace_id, project_id)

    def change_tasks(
        self, workspace_id: int, project_id: int, task_ids: list[int], changes: TaskChanges
    ) -> TaskLines:
        """Queue `changes` for each task (one outbox entry per task, merged into the one that
        still waits, field by field); returns the lines with them pending. `KeyError` for a
        task id the cache does not hold in this project (refresh it first)."""
        from desktop.store.task_changes import fields_of
        from desktop.sync.task_merge import queue_change

        self._check_plan(workspace_id)
        fields = fields_of(changes)
        with storage_errors():
            self.ensure_store()
            tasks = self._tasks(project_id, task_ids)
            with self.task_changes.transaction():
                for task in tasks:
                    queue_change(self.task_changes, workspace_id, project_id, task, fields)
            return self._lines(workspace_id, project_id)

    def delete_tasks(
        self,
        workspace_id: int,
        project_id: int,
        task_ids: list[int],
        *,
        outbox_ids: Sequence[int] = (),
    ) -> TaskLines:
        """Queue the deletion of each task (a change that waits for one is replaced); a task
        still only queued for creation (`outbox_ids`, a line's `outbox_id`) is discarded from
        the outbox instead, if it was never sent (else it stays, and is deleted once known).
        `KeyError` for a task id the cache does not hold in this project."""
        from desktop.sync.task_merge import queue_delete

        if task_ids:
            self._check_plan(workspace_id)
        with storage_errors():
            self.ensure_store()
            tasks = self._tasks(project_id, task_ids)
            with self.task_changes.transaction():
                for task in tasks:
                    queue_delete(self.task_changes, workspace_id, project_id, task.id)
            for row_id in outbox_ids:
                self.outbox.discard(row_id, never_sent_only=True)
            return self._lines(workspace_id, project_id)

    def settle_conflict(
        self, workspace_id: int, project_id: int, task_id: int, *, keep_mine: bool
    ) -> TaskLines:
        """The user's word on a conflict: keep theirs (sent over Toggl's value) or take
        Toggl's (their value for that field dropped). On a change Toggl refused, keep_mine
        sends it again (checked against a listing first) and take Toggl's discards it."""
        from desktop.sync.task_merge import settle

        with storage_errors():
            self.ensure_store()
            change = self.task_changes.get(task_id)
            (task,) = self._tasks(project_id, [task_id])
            if change is not None:
                with self.task_changes.transaction():
                    settle(self.task_changes, change, task, keep_mine=keep_mine)
            return self._lines(workspace_id, project_id)

    def likely_duplicate(self, workspace_id: int, project_id: int, name: str) -> bool:
        """An open task of the project (cached, or queued for creation) has this name, compared
        case-insensitively with runs of spaces as one; no request."""
        key = name_key(name)
        if not key:
            return False
        lines = self.task_lines(workspace_id, project_id).lines
        return any(line.active and name_key(line.name) == key for line in lines)

    # --- helpers -----------------------------------------------------------------------------

    def _check_plan(self, workspace_id: int) -> None:
        with storage_errors():
            unavailable = self._unavailable(workspace_id)
        if unavailable:
            raise PaidFeatureError(unavailable, status=402)

    def _unavailable(self, workspace_id: int) -> str | None:
        premium = next((w.premium for w in self.cache.workspaces() if w.id == workspace_id), None)
        if premium is False or self.cache.tasks_paid_only(workspace_id):
            return PAID_PLAN_ONLY
        return None

    def _tasks(self, project_id: int, task_ids: list[int]) -> list[Task]:
        cached = {task.id: task for task in self.cache.tasks(project_id)}
        missing = [i for i in task_ids if i not in cached]
        if missing:
            raise KeyError(missing[0])
        return [cached[i] for i in dict.fromkeys(task_ids)]

    def _lines(self, workspace_id: int, project_id: int) -> TaskLines:
        from desktop.store.task_changes import ChangeState
        from desktop.task_lines import TaskLine, TaskLines

        users = {user.id: user.fullname for user in self.cache.users(workspace_id)}
        changes = {c.task_id: c for c in self.task_changes.for_project(project_id)}
        lines: list[TaskLine] = []
        references: set[str] = set()
        for task in self.cache.tasks(project_id):
            if task.external_reference:
                references.add(task.external_reference)
            change = changes.get(task.id)
            line = TaskLine(
                task.id,
                task.name,
                task.active,
                task.estimated_seconds or None,
                task.tracked_ms,
                task.user_id,
                task.user_name,
            )
            if change is None:
                lines.append(line)
            elif change.state is ChangeState.FAILED:
                lines.append(line._replace(state="parked", note=change.reason))
            elif not change.delete:  # a task deleted here is gone from the list
                lines.append(_laid_over(line, change.fields, users, change.held))
        for row in self.outbox.waiting():
            if row.project_id != project_id or row.external_reference in references:
                continue
            refused = row.state is OutboxState.FAILED
            draft = row.draft
            lines.append(
                TaskLine(
                    None,
                    draft.name,
                    draft.active,
                    draft.estimated_seconds or None,
                    None,
                    draft.user_id,
                    users.get(draft.user_id) if draft.user_id is not None else None,
                    state="parked" if refused else "pending",
                    note=row.reason if refused else None,
                    outbox_id=row.id,
                )
            )
        fetched_at = self.cache.task_list_state(project_id).fetched_at
        return TaskLines(
            workspace_id, project_id, lines, fetched_at, self._unavailable(workspace_id)
        )


def _laid_over(
    line: TaskLine, fields: Fields, users: dict[int, str], held: frozenset[str]
) -> TaskLine:
    """The line with the user's values (pending, or in conflict when a field is held)."""
    from desktop.sync.task_merge import conflict_note

    shown = line._replace(state="conflict" if held else "pending")
    if held:
        shown = shown._replace(note=conflict_note(held))
    name, active = fields.get("name"), fields.get("active")
    if isinstance(name, str):
        shown = shown._replace(name=name)
    if isinstance(active, bool):
        shown = shown._replace(active=active)
    if "estimated_seconds" in fields:
        estimate = fields["estimated_seconds"]
        seconds = estimate if isinstance(estimate, int) and estimate else None
        shown = shown._replace(estimated_seconds=seconds)
    if "user_id" in fields:
        user = fields["user_id"]
        user_id = user if isinstance(user, int) else None
        shown = shown._replace(user_id=user_id, user_name=users.get(user_id) if user_id else None)
    return shown
