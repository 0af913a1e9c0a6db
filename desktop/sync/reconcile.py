"""Settling an unconfirmed send from a listing of its project's tasks, instead of posting twice.

Toggl has no idempotency key, but a task carries the `external_reference` it was created with,
and every outbox row sends its own random one. So the listing settles a send exactly:
- a task with the row's reference is the row's task;
- no such task, from a server that returns references, means the send did not arrive;
- a server that drops the field gets a rule that can never adopt a task that existed before
  the send: a task only counts if it was not among the project's tasks known before the first
  attempt, is not claimed by another row, and has every field the row sent;
- with neither references nor a list of earlier tasks, nothing is certain: the row is parked
  for the user, who is told it may already be in Toggl; if they retry it, the next listing
  that cannot settle it either takes their word that it is not there.
`at` plays no part: it is Toggl's last-updated time, so an older task edited meanwhile looks new.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from desktop.api.models import Task
from desktop.store.outbox_row import OutboxRow


class Verdict(Enum):
    FOUND = "found"
    ABSENT = "absent"
    UNKNOWN = "unknown"


@dataclass(slots=True)
class Settlement:
    verdict: Verdict
    task: Task | None = None


def settle(row: OutboxRow, project_tasks: list[Task], claimed: set[int]) -> Settlement:
    """What the listing says of `row`'s send; `claimed`: task ids other rows already own."""
    tasks = [t for t in project_tasks if t.project_id in (None, row.project_id)]
    reference = row.external_reference
    if reference is not None:
        mine = [t for t in tasks if t.external_reference == reference]
        if mine:
            return Settlement(Verdict.FOUND, min(mine, key=lambda task: task.id))
        if any(t.references_served for t in tasks):
            return Settlement(Verdict.ABSENT)
    if not tasks:
        return Settlement(Verdict.ABSENT)  # the project holds nothing at all
    known = row.known_task_ids
    if known is None:
        # The user, told so, looked in Toggl and retried: their word decides.
        return Settlement(Verdict.ABSENT if row.user_checked else Verdict.UNKNOWN)
    candidates = [
        task
        for task in tasks
        if task.id not in known
        and task.id not in claimed
        and task.external_reference in (None, reference)
        and row.draft.matches(task)
    ]
    if candidates:
        return Settlement(Verdict.FOUND, min(candidates, key=lambda task: task.id))
    return Settlement(Verdict.ABSENT)
