"""What the sync engine tells its drivers: the connection as it last saw it, the outbox's
state for the indicator, and what one step did."""

from __future__ import annotations

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
    """That row as it now is, when the engine knows it without reading it again (delivered)."""
