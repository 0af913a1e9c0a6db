"""Finding a task Toggl may already hold for an unconfirmed send, instead of posting it twice."""

from __future__ import annotations

from datetime import datetime

from desktop.api.models import Task
from desktop.store.outbox import OutboxRow

CLOCK_SKEW_SECONDS = 120.0
"""How far Toggl's clock may lag ours and a task still count as created after it was queued."""


def find_delivered(row: OutboxRow, project_tasks: list[Task], claimed: set[int]) -> Task | None:
    """The oldest unclaimed task with the row's name created after the row was queued."""
    earliest = row.queued_at - CLOCK_SKEW_SECONDS
    matches = [
        task
        for task in project_tasks
        if task.name == row.draft.name
        and task.id not in claimed
        and _created_at_or_after(task.at, earliest)
    ]
    return min(matches, key=lambda task: task.id) if matches else None


def _created_at_or_after(stamp: str, earliest: float) -> bool:
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return True  # no usable time: the name and the unclaimed id must do
    if moment.tzinfo is None:
        return True
    return moment.timestamp() >= earliest
