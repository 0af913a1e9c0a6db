"""The connection indicator's words for the sync engine's state, and why a task waits."""

from __future__ import annotations

import time

from desktop.messages import Failure, quota_sentence
from desktop.sync.outcomes import Connection, SyncStatus

OFFLINE_SENTENCE = (
    "Toggl cannot be reached (you may be offline). Tasks are kept and sent when it can."
)
RETRIED_SENTENCE = "Task Desk will try again shortly."


def clock_time(timestamp: float) -> str:
    return time.strftime("%H:%M", time.localtime(timestamp))


def indicator_text(status: SyncStatus) -> str:
    """Online, Offline — N queued, Syncing N, Waiting for quota until HH:MM, Sign-in needed."""
    if status.sign_in_needed:
        return "Sign-in needed"
    if status.quota_until is not None:
        return f"Waiting for quota until {clock_time(status.quota_until)}"
    if status.connection is Connection.OFFLINE:
        return f"Offline — {status.pending} queued" if status.pending else "Offline"
    if status.pending:
        return f"Syncing {status.pending}"
    if status.connection is Connection.ONLINE:
        return "Online"
    return "Connecting…"


def waiting_reason(status: SyncStatus) -> str:
    """Why a task just queued was not sent at once (it is safe in the outbox either way)."""
    if status.sign_in_needed:
        return "It will be sent once you sign in again."
    if status.quota_until is not None:
        return quota_sentence(status.quota_until)
    if status.connection is Connection.OFFLINE:
        return OFFLINE_SENTENCE
    ahead = status.pending - status.changes_pending - 1  # changes go after new tasks
    if ahead > 0:
        return f"It will be sent after the {ahead} task{'s' if ahead > 1 else ''} ahead of it."
    return "It will be sent in a moment."


def send_now_blocked(status: SyncStatus) -> str | None:
    """Why "Send now" can do nothing now, as a sentence; None when it can send at once.

    It skips a backoff (after a server error, a rate limit or a refused check), never Toggl's
    hourly limit: a request before its reset would only be refused again. No minutes left are
    counted here: the sentence stays in a tooltip while they run out."""
    if status.sign_in_needed:
        return "Sign in again first: Toggl no longer accepts the saved token."
    if status.quota_until is not None:
        return (
            f"Toggl's hourly limit is reached; tasks wait until {clock_time(status.quota_until)}, "
            "and Send now cannot skip that wait."
        )
    if not status.pending:
        return "No task is waiting to be sent."
    return None


def deferred_reason(failure: Failure, status: SyncStatus) -> str:
    """Why a task that just failed to leave waits, said once. A quota, an unreachable Toggl
    or a refused sign-in is the state itself: its own sentence alone. Otherwise Toggl's
    problem, then that the outbox tries again, unless the problem's sentence says what
    happens next already (an answer that may have arrived is checked first)."""
    if status.sign_in_needed:
        return "Toggl no longer accepts your sign-in; it will be sent once you sign in again."
    if status.quota_until is not None or status.connection is Connection.OFFLINE:
        return waiting_reason(status)
    if failure.offline:
        return failure.text
    return f"{failure.text} {RETRIED_SENTENCE}"
