"""The worker's slots for the task list: show a project's tasks (from the cache, then fetched
when stale or asked), change, delete, and settle a conflict.

A child of the session worker, so it lives on the worker's thread and runs between the engine
driver's steps. Lines go to the window arranged (sorted, folded: desktop.ui.task_rows), so the
UI thread only filters. While the outbox drains, the shown project's lines are read again at
most every `REREAD_MS`, not once per task sent.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from desktop.api.errors import TogglError
from desktop.messages import describe
from desktop.ui.task_rows import arrange
from desktop.ui.unexpected import UNEXPECTED_NOT_SAVED, guarded

if TYPE_CHECKING:
    from desktop.api.models import TaskChanges
    from desktop.session import Session
    from desktop.sync.outcomes import StepResult
    from desktop.task_lines import TaskLines
    from desktop.ui.payloads import Submission, TaskRefused
    from desktop.ui.worker import SessionWorker

log = logging.getLogger("desktop.ui.worker")

REREAD_MS = 250
UNEXPECTED_TASKS = "Task Desk hit an unexpected problem with the task list; nothing was lost."
GONE = "That task is no longer in Toggl's copy of the project, so it was not changed."


class TaskActions(QObject):
    linesLoaded = Signal(object)  # desktop.ui.task_rows.TaskRows: the shown project's lines
    duplicateHeld = Signal(object)  # Submission: not sent, an open task has its name
    said = Signal(str)  # what went wrong loading or changing tasks, as one sentence

    def __init__(self, worker: SessionWorker) -> None:
        super().__init__(worker)  # moves to the worker's thread with it
        self._worker = worker
        self._shown: tuple[int, int] | None = None
        self._stale: set[int] = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REREAD_MS)
        self._timer.timeout.connect(self._reread)
        # A created task's line is replaced in the window from Toggl's answer (TaskPane.created);
        # reading the lines again for each of a drain's tasks cost ~7 ms a task with 500 queued.
        worker.taskFailed.connect(self._outcome)

    def _session(self) -> Session | None:
        return self._worker.session

    # --- showing -------------------------------------------------------------------------------

    @Slot(object, object)
    @guarded(lambda actions: actions.said.emit(UNEXPECTED_TASKS))
    def show(self, workspace_id: int | None, project_id: int | None) -> None:
        """The project chosen in the window: its lines from the cache at once (no request),
        then fetched if its copy is stale."""
        if workspace_id is None or project_id is None:
            self._shown = None
            return
        self._shown = (workspace_id, project_id)
        if self._emit(lambda s: s.task_lines(workspace_id, project_id)):
            self.refresh(workspace_id, project_id, False)

    @Slot(object, object, bool)
    @guarded(lambda actions: actions.said.emit(UNEXPECTED_TASKS))
    def refresh(self, workspace_id: int, project_id: int, forced: bool) -> None:
        from desktop.session import StorageError

        session = self._session()
        if session is None or not session.signed_in or self._shown != (workspace_id, project_id):
            return
        try:
            lines = session.refresh_tasks(workspace_id, project_id, forced=forced)
        except TogglError as error:
            failure = describe(error, "load the project's tasks")
            if not failure.offline:  # offline: the indicator says so, the list stays as saved
                self.said.emit(failure.text)
            self._status()
            return
        except StorageError as exc:
            log.error("could not update the cached tasks: %s", exc.__cause__)
            self.said.emit(f"The tasks saved on this computer could not be updated: {exc}.")
            return
        if lines is not None:
            self.linesLoaded.emit(arrange(lines))
        self._status()

    # --- a new task -----------------------------------------------------------------------------

    @Slot(object)
    @guarded(lambda actions: actions._worker.submitFailed.emit(UNEXPECTED_NOT_SAVED))
    def submit(self, task: Submission) -> None:
        """The form's task: held back when an open task of its project has its name (asked
        here only when the window could not tell from the lines it holds; no request), else
        on to the worker's submit."""
        session = self._session()
        if not task.checked and task.retry_row is not None:
            task = task._replace(checked=True)  # a row being edited: it is that task itself
        if not task.checked and session is not None and self._duplicate(session, task):
            self.duplicateHeld.emit(task)
            return
        self._worker.submit(task)

    def _duplicate(self, session: Session, task: Submission) -> bool:
        from desktop.session import StorageError

        try:
            return session.likely_duplicate(task.workspace_id, task.project_id, task.draft.name)
        except StorageError as exc:  # the submit says so, if the store is the trouble
            log.warning("could not look for a duplicate: %s", exc.__cause__)
            return False

    # --- changing ------------------------------------------------------------------------------

    @Slot(object, object, object, object)
    @guarded(lambda actions: actions.said.emit(UNEXPECTED_TASKS))
    def change(
        self, workspace_id: int, project_id: int, task_ids: list[int], changes: TaskChanges
    ) -> None:
        """Queue the change (durably) and show the lines pending; the engine sends it."""
        if self._emit(lambda s: s.change_tasks(workspace_id, project_id, task_ids, changes)):
            self._send()

    @Slot(object, object, object, object)
    @guarded(lambda actions: actions.said.emit(UNEXPECTED_TASKS))
    def delete(
        self, workspace_id: int, project_id: int, task_ids: list[int], outbox_ids: list[int]
    ) -> None:
        """Queue the deletions; a task only queued for creation (`outbox_ids`) is discarded
        instead, if it was never sent."""
        deleted = self._emit(
            lambda s: s.delete_tasks(workspace_id, project_id, task_ids, outbox_ids=outbox_ids)
        )
        if deleted:
            self._outbox_rows(outbox_ids)
            self._send()

    @Slot(object, object, object, bool)
    @guarded(lambda actions: actions.said.emit(UNEXPECTED_TASKS))
    def settle(self, workspace_id: int, project_id: int, task_id: int, keep_mine: bool) -> None:
        settled = self._emit(
            lambda s: s.settle_conflict(workspace_id, project_id, task_id, keep_mine=keep_mine)
        )
        if settled and keep_mine:
            self._send()

    # --- after the engine's steps --------------------------------------------------------------

    def stale(self, project_id: int) -> None:
        """That project's lines changed on this thread (a task or change sent, parked): the
        shown project's are read again soon, once for a whole drain's burst."""
        self._stale.add(project_id)
        shown = self._shown
        if shown is not None and shown[1] in self._stale and not self._timer.isActive():
            self._timer.start()

    def stepped(self, result: StepResult) -> None:
        """After an engine step: the projects whose lines it changed, and the changes Toggl
        refused (said once; each line shows why)."""
        created = {row.project_id for row, _ in result.created}  # each line replaced already
        for _, project_id in result.changed_projects:
            if project_id not in created:
                self.stale(project_id)
        for _, failure in result.changes_parked:
            self.said.emit(f"Toggl refused a change to a task: {failure.text}")

    def stop(self) -> None:
        """On this thread, before it quits."""
        self._timer.stop()

    def _outcome(self, outcome: TaskRefused) -> None:
        self.stale(outcome.row.project_id)

    @Slot()
    @guarded(lambda actions: actions.said.emit(UNEXPECTED_TASKS))
    def _reread(self) -> None:
        shown, stale = self._shown, self._stale
        self._stale = set()
        if shown is not None and shown[1] in stale:
            self._emit(lambda s: s.task_lines(*shown))

    # --- helpers -------------------------------------------------------------------------------

    def _emit(self, read: Callable[[Session], TaskLines]) -> bool:
        """Run `read` and send the lines to the window; False (and said) when it failed."""
        from desktop.session import StorageError

        session = self._session()
        if session is None:
            return False
        try:
            lines = read(session)
        except StorageError as exc:
            log.error("task list: %s", exc.__cause__)
            self.said.emit(f"The tasks on this computer could not be read or saved: {exc}.")
            return False
        except TogglError as error:  # the Free plan: nothing is queued
            self.said.emit(error.message)
            return False
        except KeyError:  # a task gone from the cache meanwhile (a refresh removed it)
            self.said.emit(GONE)
            if self._shown is not None:
                shown = self._shown
                self._emit(lambda s: s.task_lines(*shown))
            return False
        if self._shown == (lines.workspace_id, lines.project_id):
            self.linesLoaded.emit(arrange(lines))
        return True

    def _outbox_rows(self, row_ids: list[int]) -> None:
        """The outbox panel hears of rows discarded (or kept: sent meanwhile) by a delete."""
        session = self._session()
        for row_id in row_ids:
            try:
                row = session.outbox_row(row_id) if session is not None else None
            except KeyError:
                self._worker.outboxRowDiscarded.emit(row_id)
            else:
                if row is not None:
                    self._worker.outboxRowChanged.emit(row)

    def _send(self) -> None:
        driver = self._worker.driver
        if driver is not None:
            driver.step_soon(0)
            driver.emit_status()

    def _status(self) -> None:
        driver = self._worker.driver
        if driver is not None:
            driver.emit_status()
