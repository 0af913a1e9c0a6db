"""What the outbox panel says: each row's two lines, the discard question, and why each button
is enabled or not. Qt-free, so the words are tested without widgets.

Every name and every word of Toggl's is a bidi isolate where it needs to be, so a right-to-left
override in a task name cannot reverse the rest of a row or a sentence.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta

from desktop.domain.display import isolate
from desktop.domain.estimate import format_human
from desktop.session_rows import OutboxRow, OutboxState, may_be_in_toggl

MAY_BE_IN_TOGGL = (
    "This task may already be in Toggl (its answer was lost). "
    "Discarding it here does not delete it there."
)
NO_SELECTION = "Select a task in the outbox first."
BEING_SENT = "It is being sent right now."
STILL_CHECKING = "Task Desk is still checking whether Toggl received this task."
RETRY_TIP = "Load this task into the form, to fix it and send it again."
RETRY_MAYBE_SENT_TIP = (
    "This task may already be in Toggl (its answer was lost): look there before sending it again."
)
EDIT_TIP = "Load this task into the form to change it before it is sent."
DISCARD_TIP = "Remove this task from the outbox (you are asked first)."
SEND_NOW_TIP = (
    "Send the waiting tasks now instead of waiting to try again. Toggl's hourly limit, "
    "when reached, is still waited for."
)
NOTHING_WAITING = "No task is waiting to be sent."
EDIT_TEXT, RETRY_TEXT = "Edit", "Edit and retry"


def queued_when(epoch: float, now: float | None = None) -> str:
    """When a row was queued, in local time as people say it: "14:05" today, "yesterday
    14:05", "2 Dec 14:05", "2 Dec 2025 14:05"."""
    try:
        moment = datetime.fromtimestamp(epoch)
        today = datetime.fromtimestamp(time.time() if now is None else now).date()
    except (OverflowError, OSError, ValueError):
        return "at an unknown time"
    clock = moment.strftime("%H:%M")
    if moment.date() == today:
        return clock
    if moment.date() == today - timedelta(days=1):
        return f"yesterday {clock}"
    year = f" {moment.year}" if moment.year != today.year else ""
    return f"{moment.day} {moment.strftime('%b')}{year} {clock}"


def row_text(row: OutboxRow, now: float | None = None) -> str:
    """Two lines of plain text: the task and its project; when it was queued, its estimate and
    where it stands (last, so a long reason from Toggl cuts nothing else off)."""
    where = f" — {isolate(row.project_label)}" if row.project_label else ""
    if row.state is OutboxState.FAILED:
        state = f"Failed: {isolate(row.reason or 'Toggl refused it.')}"
    elif row.state is OutboxState.SENDING:
        state = "Sending…"
    elif row.state is OutboxState.UNCONFIRMED:
        state = "Checking whether Toggl received it…"
    else:
        state = "Waiting to be sent"  # why the last try failed is in the tooltip
    estimate = row.draft.estimated_seconds
    facts = [f"Queued {queued_when(row.queued_at, now)}"]
    if estimate is not None:
        facts.append(format_human(estimate))
    return f"{isolate(row.draft.name)}{where}\n{' · '.join(facts)} · {state}"


def discard_question(row: OutboxRow) -> str:
    name = isolate(row.draft.name)
    if may_be_in_toggl(row):
        return f"Discard “{name}”? {MAY_BE_IN_TOGGL}"
    if row.state is OutboxState.FAILED:
        return f"Discard “{name}”? It was never created in Toggl, and what you typed will be gone."
    return f"Discard “{name}”? It has not been sent to Toggl yet, and what you typed will be gone."


def can_edit(row: OutboxRow | None) -> bool:
    """Refused, or waiting and never sent: one that may be in Toggl is checked first."""
    return row is not None and row.state in (OutboxState.FAILED, OutboxState.QUEUED)


def edit_tip(row: OutboxRow | None) -> str:
    """Why Edit is enabled or not, for the selected row."""
    if row is None:
        return NO_SELECTION
    if row.state is OutboxState.SENDING:
        return BEING_SENT
    if row.state is OutboxState.UNCONFIRMED:
        return STILL_CHECKING
    if row.state is OutboxState.FAILED:
        return RETRY_MAYBE_SENT_TIP if row.maybe_sent else RETRY_TIP
    return EDIT_TIP


def can_discard(row: OutboxRow | None) -> bool:
    """Not a row being sent this moment: its request is under way."""
    return row is not None and row.state in (
        OutboxState.QUEUED,
        OutboxState.FAILED,
        OutboxState.UNCONFIRMED,
    )


def discard_tip(row: OutboxRow | None) -> str:
    if row is None:
        return NO_SELECTION
    if row.state is OutboxState.SENDING:
        return BEING_SENT
    return DISCARD_TIP


def editing_waiting(name: str) -> str:
    """The form holds a waiting row: what saving does, and what happens if it leaves first."""
    return (
        f"Editing “{isolate(name)}”, which waits in the outbox: save to send it as changed. "
        "If it leaves before you save, it is sent as it was."
    )


def sent_while_edited(name: str) -> str:
    return (
        f"“{isolate(name)}” reached Toggl as it was before your change was saved; "
        "the form keeps your change."
    )
