"""The connection indicator's words for the sync engine's state."""

from __future__ import annotations

import time

from desktop.sync.outcomes import Connection, SyncStatus


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
        return (
            "Your hourly Toggl request quota is used up; it will be sent after "
            f"{clock_time(status.quota_until)}."
        )
    if status.connection is Connection.OFFLINE:
        return "You are offline; it will be sent as soon as Toggl can be reached."
    ahead = status.pending - 1
    if ahead > 0:
        return f"It will be sent after the {ahead} task{'s' if ahead > 1 else ''} ahead of it."
    return "It will be sent in a moment."


def send_now_blocked(status: SyncStatus) -> str | None:
    """Why "Send now" can do nothing now, as a sentence; None when it can send at once.

    It skips a backoff (after a server error, a rate limit or a refused check), never Toggl's
    hourly limit: a request before its reset would only be refused again, and spend nothing
    but the user's patience."""
    if status.sign_in_needed:
        return "Sign in again first: Toggl no longer accepts the saved token."
    if status.quota_until is not None:
        return (
            f"Toggl's hourly limit is reached: tasks wait until {clock_time(status.quota_until)}, "
            "and Send now cannot skip that wait."
        )
    if not status.pending:
        return "No task is waiting to be sent."
    return None
