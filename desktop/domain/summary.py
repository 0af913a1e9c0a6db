"""What the window says about tasks Toggl created, as a person reads it: one line per task
("Created “Write homepage copy” in Website Redesign · Acme Corp — 1 h 30 min, open,
unassigned · today 15:25") and one line for a drained outbox ("3 tasks sent: “A”, “B”, “C”").
No ids and no ISO timestamps: the window keeps the id for a tooltip and a Copy action.

Every name is a bidi isolate where it needs one (see `isolate`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from desktop.api.models import Task
from desktop.domain.display import isolate
from desktop.domain.estimate import format_human
from desktop.domain.moments import spoken

NAMES_SHOWN = 3
"""A drained outbox names this many of its tasks, then says how many more."""


def task_line(
    task: Task, now: datetime, project: str | None = None, assignee: str | None = None
) -> str:
    """`project` ("Name · Client") and `assignee` are what the window knows, for when Toggl's
    answer leaves them out; `now` is the local time the line is said at."""
    where = _project(task) or (isolate(project) if project else "")
    details = [] if task.estimated_seconds is None else [format_human(task.estimated_seconds)]
    details.append("open" if task.active else "done")  # the form's "Open" check box
    name = task.user_name or assignee
    details.append(isolate(name) if name else "assigned" if task.user_id else "unassigned")
    return (
        f"Created “{isolate(task.name)}”"
        + (f" in {where}" if where else "")
        + f" — {', '.join(details)} · {spoken(_moment(task.at, now), now.date())}"
    )


def sent_line(names: Sequence[str]) -> str:
    """How many queued tasks reached Toggl, naming the first few."""
    shown = ", ".join(f"“{isolate(name)}”" for name in names[:NAMES_SHOWN])
    more = len(names) - NAMES_SHOWN
    tasks = "1 task" if len(names) == 1 else f"{len(names)} tasks"
    return f"{tasks} sent: {shown}" + (f" and {more} more" if more > 0 else "")


def _project(task: Task) -> str:
    if not task.project_name:
        return ""
    client = f" · {isolate(task.client_name)}" if task.client_name else ""
    return isolate(task.project_name) + client


def _moment(stamp: str, now: datetime) -> datetime:
    """Toggl's ISO 8601 `at` in the computer's time zone; `now` when it has none that parses."""
    try:
        moment = datetime.fromisoformat(stamp)
        return moment.astimezone().replace(tzinfo=None) if moment.tzinfo else moment
    except (ValueError, OverflowError):  # not a time; or year 1 or 9999 moved past the calendar
        return now
