"""The task list's rows, Qt-free: one project's lines in the list's order (open first, then by
name in natural order, "Task 2" before "Task 10"), and the words each line is shown with.

`arrange` runs on the worker thread (sorting 5,000 names is the slow part), so the window only
filters and compares what arrives; everything here is tested without widgets.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from desktop.domain.display import isolate
from desktop.domain.estimate import format_human
from desktop.domain.project_choices import natural_key

if TYPE_CHECKING:
    from desktop.task_lines import TaskLine, TaskLines

Identity = int | tuple[str, int | None]
"""A line's identity across refreshes: its Toggl id, or its outbox row while not yet created."""

MARKS = {
    "pending": "waiting to sync",
    "parked": "refused by Toggl",
    "conflict": "conflict",
}
"""What the status column adds for a line that is not as Toggl has it."""


def identity(line: TaskLine) -> Identity:
    return line.task_id if line.task_id is not None else ("new", line.outbox_id)


def sort_key(line: TaskLine) -> tuple[bool, str, str]:
    return (not line.active, _natural(line.name), line.name)


@lru_cache(maxsize=20_000)
def _natural(name: str) -> str:
    """Kept: the shown project's lines are arranged again after each burst of a drain."""
    return natural_key(name)


def folded_name(name: str) -> str:
    """The name as duplicates are compared: case-folded, each run of spaces one space."""
    return " ".join(name.split()).casefold()


class TaskRows(NamedTuple):
    """One project's lines in the list's order, with what the window filters on."""

    workspace_id: int
    project_id: int
    lines: list[TaskLine]
    folded: list[str]
    """Each line's name as `folded_name` folds it, for the filter box."""
    keys: list[tuple[bool, str, str]]
    """Each line's sort key, to place a line added in the window (a task just queued)."""
    unavailable: str | None = None
    fetched_at: float | None = None


def arrange(lines: TaskLines) -> TaskRows:
    keyed = sorted(((sort_key(line), line) for line in lines.lines), key=lambda pair: pair[0])
    ordered = [line for _, line in keyed]
    return TaskRows(
        lines.workspace_id,
        lines.project_id,
        ordered,
        [folded_name(line.name) for line in ordered],
        [key for key, _ in keyed],
        lines.unavailable,
        lines.fetched_at,
    )


def empty_rows(workspace_id: int, project_id: int) -> TaskRows:
    return TaskRows(workspace_id, project_id, [], [], [])


def estimate_text(line: TaskLine) -> str:
    seconds = line.estimated_seconds
    return format_human(seconds) if seconds else ""


def tracked_text(line: TaskLine) -> str:
    """Time tracked (Toggl gives milliseconds) to the minute, and its share of the estimate
    when there is one; nothing when none was tracked (the bar's empty track says so)."""
    minutes = round((line.tracked_ms or 0) / 60_000)
    if not line.tracked_ms:
        return ""
    spent = format_human(minutes * 60) if minutes else "under 1 min"
    fraction = tracked_fraction(line)
    return spent if fraction is None else f"{spent} ({round(fraction * 100)} %)"


def tracked_fraction(line: TaskLine) -> float | None:
    """Tracked time over the estimate (above 1 once over it); None without an estimate."""
    if not line.estimated_seconds:
        return None
    return (line.tracked_ms or 0) / (line.estimated_seconds * 1000)


def status_text(line: TaskLine) -> str:
    state = "Open" if line.active else "Done"
    mark = MARKS.get(line.state)
    return f"{state}, {mark}" if mark else state


def described(line: TaskLine) -> str:
    """The whole line in words, for screen readers: name, state, estimate, time, assignee,
    and why it is marked."""
    parts = [isolate(line.name), status_text(line).casefold()]
    if line.estimated_seconds:
        parts.append(f"estimate {estimate_text(line)}")
    tracked = tracked_text(line)
    if tracked:
        parts.append(f"tracked {tracked}")
    parts.append(f"assigned to {isolate(line.user_name)}" if line.user_name else "unassigned")
    if line.note:
        parts.append(line.note)
    return ", ".join(parts)


def summary(rows: TaskRows) -> str:
    """The pane's title: how many open and done."""
    done = sum(1 for line in rows.lines if not line.active)
    return f"Tasks: {len(rows.lines) - done} open, {done} done" if rows.lines else "Tasks"
