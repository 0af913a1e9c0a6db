"""What the session worker's signals carry across threads, one small typed record per outcome.

Qt signals carry these as `object` (`Signal(object)`): the types live here instead of in
comments. Ids stay Python ints inside them (a Qt `int` argument would be 32-bit). Named tuples,
not dataclasses: this module loads before the first paint, and a named tuple costs a sixth.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from desktop.api.models import Task, TaskDraft, Workspace
    from desktop.messages import Failure
    from desktop.session_rows import OutboxRow


class WorkspacesLoaded(NamedTuple):
    workspaces: list[Workspace]
    preferred_id: int | None


class TaskCreated(NamedTuple):
    row: OutboxRow
    task: Task


class TaskRefused(NamedTuple):
    """Toggl refused the row; it is parked in the outbox to edit and retry or discard."""

    row: OutboxRow
    failure: Failure


class TaskDeferred(NamedTuple):
    """The row stays queued for later; `failure` says why, and when it will be sent."""

    row: OutboxRow
    failure: Failure


class Submission(NamedTuple):
    """A task from the form: new, or an edit of the refused row `retry_row`."""

    workspace_id: int
    project_id: int
    draft: TaskDraft
    label: str
    retry_row: int | None = None
    checked: bool = False
    """No duplicate check is due on the worker: the window checked the name against the
    project's lines it holds, or the user chose to create it anyway."""


class NameCheck(NamedTuple):
    """What the window's task list knows of a new task's name in its project."""

    known: bool
    """The list holds the project's lines (else the worker asks the session)."""
    duplicate: str | None = None
    """The name of an open task of the project named alike, if any."""
