"""What the user does to the outbox besides editing a row, on the session's side of the door:
"Send now", and a discard that keeps a row sent meanwhile. Beside `desktop.session` (the
window's worker builds them on its session) so that module stays within its size.

Both guard a promise the window made when the user clicked: "Send now" skips a backoff, never
Toggl's hourly limit; a row the user was told had never been sent is discarded only if that
is still true when the discard runs (the drain may have sent it in between).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from desktop.domain.display import isolate
from desktop.store.outbox_row import OutboxRow, OutboxState, may_be_in_toggl
from desktop.store.trouble import storage_errors

if TYPE_CHECKING:
    from desktop.session import Session


@dataclass(frozen=True, slots=True)
class Discarded:
    gone: bool
    """The row is no longer in the outbox (discarded now, or already gone)."""
    why_kept: str | None = None
    """Why it was kept, as a sentence (None when gone)."""


class OutboxControls:
    def __init__(self, session: Session) -> None:
        self._session = session

    def send_now(self) -> str | None:
        """Skip the backoff: rows that wait on their own are due now and the engine's retry
        wait ends (an unconfirmed row is still checked before anything is sent). Returns why
        nothing can leave now (a quota wait, a sign-in), doing nothing then; None when done."""
        from desktop.sync.status import send_now_blocked

        session = self._session
        with storage_errors():
            blocked = send_now_blocked(session.engine.status())
            if blocked is None:
                session.ensure_store()
                session.outbox.due_now()
        if blocked is None:
            session.engine.send_now()
        return blocked

    def still_offline(self) -> bool:
        """After "Send now": did Toggl stay out of reach (the probe or the request failed)?"""
        from desktop.sync.outcomes import Connection

        return self._session.engine.connection is Connection.OFFLINE

    def discard(self, seen: OutboxRow | int) -> Discarded:
        """Discard the row the user confirmed, as `seen` when they were asked: a row they were
        told had never reached Toggl is kept if it may have since (its answer lost). Given a
        row id alone, the row is discarded as it now is (waiting, unconfirmed or refused)."""
        session = self._session
        with storage_errors():
            session.ensure_store()
            if isinstance(seen, int):
                try:
                    seen = session.outbox.get(seen)
                except KeyError:
                    return Discarded(True)
            if session.outbox.discard(seen.id, never_sent_only=not may_be_in_toggl(seen)):
                return Discarded(True)
            try:
                now = session.outbox.get(seen.id)
            except KeyError:
                return Discarded(True)
        return Discarded(False, kept_because(now))


def kept_because(row: OutboxRow) -> str:
    """Why a row the user confirmed discarding is still there (or in Toggl)."""
    name = isolate(row.draft.name)
    if row.state is OutboxState.DONE:
        return f"“{name}” reached Toggl before it could be discarded: it is there now."
    if row.state is OutboxState.SENDING:
        return f"“{name}” is being sent right now, so it was not discarded."
    return (
        f"“{name}” was sent meanwhile and Toggl's answer did not come back, so it was not "
        "discarded: it may already be in Toggl. It stays in the outbox until Task Desk knows."
    )
