"""The engine driver: steps the sync engine from a timer on the worker thread and reports
what each step did through the worker's signals.

One single-shot timer, restarted with the delay each step returns, so sending interleaves
with the worker's request slots without locks. An unexpected error never stops the sync for
good: the window hears one sentence and what the outbox now holds, and the step is retried.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from math import ceil
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Slot

from desktop.messages import Failure
from desktop.ui.payloads import TaskCreated, TaskDeferred, TaskRefused
from desktop.ui.unexpected import UNEXPECTED_SEND

if TYPE_CHECKING:
    from desktop.api.models import Task
    from desktop.session import Session, StepResult, SyncView
    from desktop.session_rows import OutboxRow
    from desktop.ui.worker import SessionWorker

log = logging.getLogger("desktop.ui.worker")

PRECISE_TIMER = 0  # Qt.TimerType.PreciseTimer, by property: see desktop.ui.qt_values
RETRY_AFTER_UNEXPECTED_SECONDS = 30.0
"""After an unexpected error in the sync engine, the next step waits this long."""


class EngineDriver(QObject):
    def __init__(self, session: Session, worker: SessionWorker) -> None:
        super().__init__(worker)  # on the worker's thread, so is the timer
        self._session = session
        self._out = worker
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        # Precise: a coarse timer may fire up to 5 % early, and a step before the engine's
        # pace is up is one more step (and status update) for nothing, once per task.
        self._timer.setProperty("timerType", PRECISE_TIMER)
        self._timer.timeout.connect(self._on_timer)
        self._shown: SyncView | None = None
        """The sync status last emitted: a step that leaves it as it was emits none."""

    def step_soon(self, seconds: float) -> None:
        self._timer.start(max(0, ceil(seconds * 1000)))  # never before the engine's time

    def stop(self) -> None:
        self._timer.stop()

    @Slot()
    def _on_timer(self) -> None:
        self.step()

    def step(self) -> set[int]:
        """One step of the engine; returns the outbox ids it settled or deferred."""
        return self._run(lambda session: session.step())

    def send_claimed(self, row: OutboxRow) -> set[int]:
        """Send a row saved as sending; its outcome is reported at once, a created task as
        soon as Toggl's answer is read (before the delivery is recorded: the user waits)."""
        told: set[int] = set()

        def answered(sent: OutboxRow, task: Task) -> None:
            told.add(sent.id)
            self._out.taskCreated.emit(TaskCreated(sent, task))

        return self._run(lambda session: session.send_claimed(row, answered), told)

    def after_queueing(self, row: OutboxRow) -> None:
        """A row just queued: step once, then say it waits unless its outcome is known or
        comes within the pace's second (`Session.leaves_soon`)."""
        outcomes = self.step()  # a row it settled or deferred reached the outbox view there
        if row.id not in outcomes:
            self._out.outboxRowChanged.emit(self._session.outbox_row(row.id))
        if row.id in outcomes or self._session.leaves_soon(row.id):
            return
        self._out.taskDeferred.emit(TaskDeferred(row, Failure(self._session.waiting_reason())))

    def _run(self, run: Callable[[Session], StepResult], told: set[int] | None = None) -> set[int]:
        """Run the engine, report what it did (but the tasks in `told`, created and said
        already) and schedule the next step."""
        try:
            return self._report(run(self._session), told or set())
        except Exception:  # a bug must not stop the sync for good; the outbox is intact
            log.exception("unexpected error in the sync engine")
            self.interrupted()
            return set()

    def interrupted(self) -> None:
        """After an unexpected error while a task was being sent: the engine has made a row it
        left marked as sending unconfirmed (checked before any new send); the window hears
        what the outbox now holds and one sentence, and the engine tries again later."""
        self.step_soon(RETRY_AFTER_UNEXPECTED_SECONDS)
        try:
            self._out.outboxLoaded.emit(self._session.waiting_rows())
        except Exception:
            log.exception("unexpected error while reading the outbox")
        self._out.sendingInterrupted.emit(UNEXPECTED_SEND)
        self.emit_status()

    def _report(self, result: StepResult, told: set[int]) -> set[int]:
        """Tell the window what a step did; returns the outbox ids it settled or deferred."""
        out = self._out
        if result.changed_row is not None:
            out.outboxRowChanged.emit(result.changed_row)
        elif result.changed_row_id is not None:
            out.outboxRowChanged.emit(self._session.outbox_row(result.changed_row_id))
        # Before the outcomes, so the window never shows them out of step.
        self.emit_status(only_if_changed=True)
        touched: set[int] = set()
        for row, task in result.created:
            touched.add(row.id)
            if row.id not in told:
                out.taskCreated.emit(TaskCreated(row, task))
        for row, failure in result.parked:
            touched.add(row.id)
            out.taskFailed.emit(TaskRefused(row, failure))

        for row, failure in result.deferred:
            touched.add(row.id)
            why = failure.replace(text=self._session.waiting_reason(failure))
            out.taskDeferred.emit(TaskDeferred(row, why))
        out.task_actions.stepped(result)  # the task list's lines it changed
        if result.delay is not None:
            self.step_soon(result.delay)
        return touched

    def emit_status(self, *, only_if_changed: bool = False) -> None:
        """The indicator's state; never raises (it runs while recovering from errors too).
        `only_if_changed`: not when it is the state last emitted (a step that did nothing)."""
        try:
            view = self._session.sync_view()
        except Exception:
            log.exception("unexpected error while reading the sync status")
            return
        if only_if_changed and view == self._shown:
            return
        self._shown = view
        self._out.syncStatusChanged.emit(view)
