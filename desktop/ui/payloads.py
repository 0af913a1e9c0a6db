"""What the session worker's signals carry across threads, one small dataclass per outcome.

Qt signals carry these as `object` (`Signal(object)`): the types live here instead of in
comments. Ids stay Python ints inside them (a Qt `int` argument would be 32-bit).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop.api.models import Task, TaskDraft, Workspace
    from desktop.messages import Failure
    from desktop.store.outbox import OutboxRow


@dataclass(frozen=True, slots=True)
class WorkspacesLoaded:
    workspaces: list[Workspace]
    preferred_id: int | None


@dataclass(frozen=True, slots=True)
class TaskCreated:
    row: OutboxRow
    task: Task


@dataclass(frozen=True, slots=True)
class TaskRefused:
    """Toggl refused the row; it is parked in the outbox to edit and retry or discard."""

    row: OutboxRow
    failure: Failure


@dataclass(frozen=True, slots=True)
class TaskDeferred:
    """The row stays queued for later; `failure` says why, and when it will be sent."""

    row: OutboxRow
    failure: Failure


@dataclass(frozen=True, slots=True)
class Submission:
    """A task from the form: new, or an edit of the refused row `retry_row`."""

    workspace_id: int
    project_id: int
    draft: TaskDraft
    label: str
    retry_row: int | None = None
