"""What the sync engine tells its drivers: the connection as it last saw it, the outbox's
state for the indicator, and what one step did."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

from desktop.api.models import Task
from desktop.messages import Failure
from desktop.store.outbox_row import OutboxRow


class Connection(Enum):
    UNKNOWN = "unknown"
    ONLINE = "online"
    OFFLINE = "offline"


@dataclass(slots=True)
class SyncStatus:
    connection: Connection
    pending: int
    sign_in_needed: bool = False
    quota_until: float | None = None
    changes_pending: int = 0
    """How many of `pending` are changes to tasks in Toggl (they go after new tasks)."""


@dataclass(slots=True)
class StepResult:
    delay: float | None = None
    """Seconds until the next step is due; None when there is nothing to do until woken."""
    created: list[tuple[OutboxRow, Task]] = field(default_factory=list)
    parked: list[tuple[OutboxRow, Failure]] = field(default_factory=list)
    deferred: list[tuple[OutboxRow, Failure]] = field(default_factory=list)
    changed_row_id: int | None = None
    """The outbox row whose state this step changed, for the view to update just that row."""
    changed_row: OutboxRow | None = None
    """That row as it now is, when the engine knows it without reading it again (delivered);
    given alone, it names `changed_row_id` too."""
    changed_projects: set[tuple[int, int]] = field(default_factory=set)
    """(workspace_id, project_id) of each project whose task list this step changed: a change
    to one of its tasks sent, refused or kept for later, a listing of it taken, a new task
    created. The window reads `Session.task_lines` of the one it shows again."""
    changes_parked: list[tuple[int, Failure]] = field(default_factory=list)
    """Task ids whose change (or deletion) Toggl refused, with why."""
    changes_deferred: list[tuple[int, Failure]] = field(default_factory=list)
    """Task ids whose change waits to go again (offline, a server error, the quota...)."""

    def __post_init__(self) -> None:
        if self.changed_row is not None and self.changed_row_id is None:
            self.changed_row_id = self.changed_row.id
        for row, _ in self.created:
            self.changed_projects.add((row.workspace_id, row.project_id))


Answered = Callable[[OutboxRow, Task], None]
"""Told of a task Toggl created as soon as its answer is read, before the delivery is
recorded (a person waits for it). Should the app stop in between, the row stays `sending`:
the next start makes it unconfirmed and a listing settles it by its reference, never a
second send (see `desktop.sync.reconcile`)."""
