"""The worker's side of the quick ways to add tasks: the bulk dialog's list queued in one
transaction, and the quota Toggl's last answer reported.

A child of the session worker, like desktop.ui.outbox_actions, so it lives on the worker's
thread and runs between the engine driver's steps. It talks to the session alone (through
desktop.session_many and desktop.session_quota).

The quota is looked at whenever the worker reports anything that follows a request (a step's
outcome, the lists, a sign-in, the sync status): reading the client's last `Quota` is one
attribute, and a new one (a new answer) is passed on with the clock time its reset falls at.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot

from desktop.ui.unexpected import guarded

if TYPE_CHECKING:
    from desktop.api.models import Quota
    from desktop.ui.payloads import Submission
    from desktop.ui.worker import SessionWorker

log = logging.getLogger("desktop.ui.worker")

UNEXPECTED_BULK = (
    "Task Desk hit an unexpected problem while saving the tasks; the outbox shows any it kept."
)


class AddingActions(QObject):
    bulkQueued = Signal(object)  # list[OutboxRow]: every task of the list, queued
    bulkFailed = Signal(str)  # none was queued; one sentence why
    quotaSeen = Signal(object)  # desktop.session_quota.QuotaSeen after a new answer

    def __init__(self, worker: SessionWorker) -> None:
        super().__init__(worker)  # moves to the worker's thread with it
        self._worker = worker
        self._quota: Quota | None = None

    @Slot()
    def watchQuota(self) -> None:
        """On the worker's thread, once it has started (before any request): the window's
        thread builds the window meanwhile instead of making these connections."""
        worker = self._worker
        for reported in (
            worker.syncStatusChanged, worker.taskCreated, worker.taskFailed,
            worker.taskDeferred, worker.outboxRowChanged, worker.workspacesLoaded,
            worker.workspaceListsLoaded, worker.listsProgressed, worker.loadFailed,
            worker.signedIn, worker.signInFailed,
        ):  # fmt: skip
            reported.connect(self._look_at_quota)  # same thread: at once, as it is emitted

    @Slot(object)
    @guarded(lambda actions: actions.bulkFailed.emit(UNEXPECTED_BULK))
    def queueMany(self, tasks: list[Submission]) -> None:
        """Queue every task in one transaction (each its own outbox row, sent once by the
        drain), or none; then the drain starts on them."""
        from desktop.session import StorageError
        from desktop.session_many import NewTask, submit_many

        session, driver = self._worker.session, self._worker.driver
        if session is None or driver is None:
            self.bulkFailed.emit("The local database is not available, so no task was saved.")
            return
        try:
            rows = submit_many(
                session, [NewTask(t.workspace_id, t.project_id, t.draft, t.label) for t in tasks]
            )
        except StorageError as exc:
            log.error("could not queue %d tasks: %s", len(tasks), exc.__cause__)
            self.bulkFailed.emit(f"The tasks could not be saved on this computer: {exc}.")
            return
        self.bulkQueued.emit(rows)
        self._worker.outboxLoaded.emit(session.waiting_rows())
        driver.emit_status()
        driver.step_soon(0)

    def _look_at_quota(self, *_: object) -> None:
        from desktop.session_quota import QuotaSeen, quota

        session = self._worker.session
        last = None if session is None else quota(session)
        if last is None or last is self._quota:
            return
        self._quota = last
        self.quotaSeen.emit(QuotaSeen.of(last, time.time()))
