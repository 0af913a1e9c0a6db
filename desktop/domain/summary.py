"""The status panel's text for a task Toggl returned."""

from __future__ import annotations

from datetime import datetime

from desktop.api.models import Task
from desktop.domain.display import isolate
from desktop.domain.estimate import format_clock


def task_summary(task: Task) -> str:
    """Lines of plain text; every name is a bidi isolate where it needs one (see `isolate`)."""
    project = _shown(task.project_name, f"project {task.project_id}" if task.project_id else "—")
    if task.client_name:
        project += f" · {isolate(task.client_name)}"
    assignee = _shown(task.user_name, f"user {task.user_id}" if task.user_id else "No assignee")
    lines = [
        f"Created task “{isolate(task.name)}” (id {task.id})",
        f"Project: {project}",
        "Estimate: "
        + (format_clock(task.estimated_seconds) if task.estimated_seconds is not None else "none"),
        f"Active: {'yes' if task.active else 'no (done)'}",
        f"Assignee: {assignee}",
        f"Tracked: {format_clock(task.tracked_seconds or 0)}",
        f"Updated at: {_shown(task.at, '—')}"
        + (f" ({isolate(local_time(task.at))})" if task.at else ""),
    ]
    return "\n".join(lines)


def _shown(text: str | None, fallback: str) -> str:
    return isolate(text) if text else fallback


def local_time(stamp: str) -> str:
    """Toggl's ISO 8601 `at` in the computer's time zone, or as sent if it does not parse."""
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp or "—"
    if moment.tzinfo is None:
        return moment.strftime("%Y-%m-%d %H:%M:%S")
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S %Z").strip()
