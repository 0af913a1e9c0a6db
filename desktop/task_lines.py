"""What the task list shows of one project, as the session hands it to the window and the CLI:
Toggl's copy of the project's tasks from the cache, with what waits in the outbox laid over it
(new tasks not yet created, changes not yet sent, changes Toggl refused, conflicts).

The contract between the session (`Session.task_lines`, `Session.refresh_tasks`,
`Session.change_tasks`, `Session.delete_tasks`, `Session.settle_conflict`) and the window's
task list; NamedTuples, built once and only read."""

from __future__ import annotations

from typing import Literal, NamedTuple

LineState = Literal["sent", "pending", "parked", "conflict"]
"""sent: as Toggl has it. pending: a creation or change waits in the outbox. parked: Toggl
refused a change (`note` says why; the line shows Toggl's values). conflict: the same field
changed here and on Toggl since the app last saw the task; the user keeps theirs or takes
Toggl's (`note` says which field)."""


class TaskLine(NamedTuple):
    task_id: int | None
    """Toggl's id; None while the task waits in the outbox to be created."""
    name: str
    active: bool
    estimated_seconds: int | None
    tracked_ms: int | None
    """Toggl's `tracked_seconds`, which holds milliseconds despite its name."""
    user_id: int | None
    user_name: str | None
    state: LineState = "sent"
    note: str | None = None
    """One sentence for a parked change (Toggl's reason) or a conflict; None otherwise."""
    outbox_id: int | None = None
    """The outbox row of a task waiting to be created (None once Toggl has it)."""


class TaskLines(NamedTuple):
    """One project's task list, every task (open and done); the window filters and sorts."""

    workspace_id: int
    project_id: int
    lines: list[TaskLine]
    fetched_at: float | None
    """When Toggl's copy was last fetched (unix time); None: never, only queued tasks shown."""
    unavailable: str | None = None
    """Why this workspace has no tasks to show (Toggl's Free plan), as one sentence."""
