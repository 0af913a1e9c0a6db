"""Whether a task just queued leaves within the moment a person waits for its outcome.

Toggl allows about one request a second (the engine's pace): a task queued right behind one
just sent leaves within that second, so the window keeps it "Sending…" instead of calling it
saved for later. Anything else (offline, a quota or backoff wait, rows ahead) means later.
"""

from __future__ import annotations

from desktop.store.outbox import Outbox
from desktop.sync.engine import SyncEngine
from desktop.sync.outcomes import Connection

PACE_WAIT_SECONDS = 1.5
"""A task that will leave within this long keeps the form waiting for its outcome."""


def leaves_soon(
    engine: SyncEngine, outbox: Outbox, row_id: int, within: float = PACE_WAIT_SECONDS
) -> bool:
    """Online, nothing ahead of the row and nothing to wait for but the one-a-second pace."""
    status = engine.status()
    ahead = outbox.next_pending()
    return (
        ahead is not None
        and ahead.id == row_id
        and engine.seconds_until_next_attempt() <= within
        and status.connection is Connection.ONLINE
        and not status.sign_in_needed
        and status.quota_until is None
    )
