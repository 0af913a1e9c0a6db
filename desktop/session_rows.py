"""The outbox's rows and their states as the window reads them: the window imports them from
here, the session's side of the door, never from the store. Cheap to import before the first
paint (the session's own types load with the session, on the worker thread)."""

from __future__ import annotations

from desktop.store.outbox_row import OutboxRow, OutboxState, may_be_in_toggl

__all__ = ["OutboxRow", "OutboxState", "may_be_in_toggl"]
