"""The worker's slots for what the user does to the outbox: discard a row and "Send now".

A child of the session worker, so it lives on the worker's thread and runs between the engine
driver's steps, never during one: a row the drain is sending is settled before a discard of it
is looked at. It talks to the session's outbox controls (desktop.session_controls) alone.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot

from desktop.domain.display import isolate
from desktop.session_rows import OutboxState
from desktop.ui.unexpected import UNEXPECTED_DISCARD, guarded

if TYPE_CHECKING:
    from desktop.session_controls import OutboxControls
    from desktop.session_rows import OutboxRow
    from desktop.ui.worker import SessionWorker

log = logging.getLogger("desktop.ui.worker")

UNEXPECTED_SEND_NOW = "Task Desk hit an unexpected problem; the tasks will be sent in turn."
STILL_OFFLINE = "Toggl still cannot be reached; the tasks will be sent as soon as it can."
BUSY = (
    "This task is being sent or checked against Toggl right now, so it cannot be changed; "
    "wait for its outcome in the outbox."
)


def cannot_change(row: OutboxRow) -> str:
    """Why an edit of `row` was not saved: it is being sent or checked, or (DONE) the drain
    sent it as it was before the edit arrived."""
    if row.state is OutboxState.DONE:
        name = isolate(row.draft.name)
        return f"“{name}” reached Toggl before your change was saved, so it was sent as it was."
    return BUSY


class OutboxActions(QObject):
    said = Signal(str)  # what became of the user's discard or "Send now", when not as asked

    def __init__(self, worker: SessionWorker) -> None:
        super().__init__(worker)  # moves to the worker's thread with it
        self._worker = worker
        self._controls: OutboxControls | None = None

    def controls(self) -> OutboxControls | None:
        session = self._worker.session
        if session is None:
            return None
        if self._controls is None:
            from desktop.session_controls import OutboxControls

            self._controls = OutboxControls(session)
        return self._controls

    @Slot(object)
    @guarded(lambda actions: actions.said.emit(UNEXPECTED_DISCARD))
    def discard(self, seen: OutboxRow | int) -> None:
        """Discard the row the user confirmed, as they saw it when asked (a bare row id, as
        scripts sent before: the row as it now is)."""
        from desktop.session import StorageError

        controls, driver = self.controls(), self._worker.driver
        if controls is None or driver is None:
            return
        try:
            done = controls.discard(seen)
        except StorageError as exc:
            log.error("could not discard a task: %s", exc.__cause__)
            self.said.emit(f"The task could not be discarded: {exc}.")
            return
        if done.gone:
            self._worker.outboxRowDiscarded.emit(seen if isinstance(seen, int) else seen.id)
        elif done.why_kept:
            self.said.emit(done.why_kept)
        driver.emit_status()

    @Slot()
    @guarded(lambda actions: actions.said.emit(UNEXPECTED_SEND_NOW))
    def sendNow(self) -> None:
        """Skip the backoff and step at once; a quota wait is kept, and said."""
        from desktop.session import StorageError

        controls, driver = self.controls(), self._worker.driver
        if controls is None or driver is None:
            return
        try:
            blocked = controls.send_now()
        except StorageError as exc:
            log.error("could not make the outbox due: %s", exc.__cause__)
            self.said.emit(f"The outbox on this computer could not be read: {exc}.")
            return
        if blocked is not None:
            self.said.emit(blocked)
            driver.emit_status()
            return
        driver.step()  # now: offline, this is the probe
        if controls.still_offline():
            self.said.emit(STILL_OFFLINE)
