"""The session worker: lives on its own QThread and does every network, keyring and disk call.

The UI sends requests through the `*Requested` signals of `SessionBridge` (desktop.ui.bridge)
and hears back through the worker's past-tense signals; no widget is touched from here. The
worker's slots answer requests; its `EngineDriver` steps the sync engine from a timer on this
thread, so list loading and sending interleave without locks. Both talk to `Session` only.

Every slot is `guarded` (desktop.ui.unexpected): whatever escapes it (a bug, an answer nothing
expected) is logged with its traceback and answered with the signal that puts the window back
in a usable state, with one sentence; the outbox keeps every task.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from desktop.api.errors import AuthenticationError, TogglError
from desktop.messages import Failure, describe, sign_in_refused
from desktop.ui.outbox_actions import OutboxActions, cannot_change
from desktop.ui.payloads import WorkspacesLoaded
from desktop.ui.task_actions import TaskActions
from desktop.ui.unexpected import (
    UNEXPECTED_DIAGNOSTICS,
    UNEXPECTED_LOAD,
    UNEXPECTED_NOT_SAVED,
    UNEXPECTED_RESTORE,
    UNEXPECTED_SIGN_IN,
    UNEXPECTED_SIGN_OUT,
    UNEXPECTED_START,
    guarded,
    log_only,
)

if TYPE_CHECKING:  # the real imports happen on the worker thread, off the path to first paint
    from desktop.api.auth import Credentials
    from desktop.session import Session, StorageError
    from desktop.ui.engine_driver import EngineDriver
    from desktop.ui.payloads import Submission

log = logging.getLogger(__name__)

STALE_CHECK_MS = 3600 * 1000
NOT_SAVED = "The local database is not available, so the task was not saved."


class SessionWorker(QObject):
    # Every payload's type is named; the dataclasses are in desktop.ui.payloads.
    snapshotLoaded = Signal(object)  # desktop.session.Snapshot
    storageFailed = Signal(str)
    sessionRestored = Signal(bool, str)  # signed in, keyring warning ("" when none)
    signedIn = Signal(object)  # desktop.session.SignedIn
    signInFailed = Signal(str)
    signedOut = Signal(str)  # warning ("" when none)
    workspacesLoaded = Signal(object)  # WorkspacesLoaded
    workspaceListsLoaded = Signal(object)  # desktop.session.WorkspaceLists
    listsProgressed = Signal(object)  # desktop.session.ListsProgress: pages of projects came
    loadFailed = Signal(object)  # desktop.messages.Failure
    taskQueued = Signal(object)  # OutboxRow
    taskCreated = Signal(object)  # TaskCreated
    taskFailed = Signal(object)  # TaskRefused: Toggl refused it, parked
    taskDeferred = Signal(object)  # TaskDeferred: kept queued for later
    submitFailed = Signal(str)  # the task could not even be saved locally; the form keeps it
    outboxRowChanged = Signal(object)  # OutboxRow as it now is (DONE: it left the outbox)
    outboxRowDiscarded = Signal(object)  # the id of a row the user discarded
    outboxLoaded = Signal(object)  # list[OutboxRow]: every waiting row, as they now are
    sendingInterrupted = Signal(str)  # an unexpected error in the engine; the outbox keeps all
    problemOccurred = Signal(str)  # an unexpected error elsewhere, as one sentence
    syncStatusChanged = Signal(object)  # desktop.session.SyncView
    diagnosticsCollected = Signal(str)

    def __init__(self, api_url: str, data_dir: Path) -> None:
        super().__init__()
        self._api_url = api_url
        self._data_dir = data_dir
        self._session: Session | None = None
        self._driver: EngineDriver | None = None
        self._refresh_timer: QTimer | None = None
        self._queued_row: int | None = None
        """The outbox row the submit or retry in progress saved, once it is saved."""
        self.outbox_actions = OutboxActions(self)  # discard, Send now: a child, on this thread
        self.task_actions = TaskActions(self)  # the task list's: a child, on this thread too

    @property
    def session(self) -> Session | None:
        return self._session

    @property
    def driver(self) -> EngineDriver | None:
        return self._driver

    # --- start and stop ------------------------------------------------------------------------

    @Slot()
    @guarded(lambda worker: worker.storageFailed.emit(UNEXPECTED_START))
    def start(self) -> None:
        from desktop.session import Session, StorageError
        from desktop.ui.engine_driver import EngineDriver

        try:
            self._session = Session.open(self._api_url, self._data_dir)
        except StorageError as exc:
            log.error("could not open the data folder: %s", exc.__cause__)
            self.storageFailed.emit(exc.sentence or f"Task Desk cannot use its data folder: {exc}.")
            return
        self._driver = EngineDriver(self._session, self)
        # Hourly, refresh whatever list went stale (older than a few hours): no polling, since
        # a fresh list costs nothing to check and a stale one costs one request.
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setInterval(STALE_CHECK_MS)
        self._refresh_timer.timeout.connect(self._refresh_if_stale)
        self._refresh_timer.start()
        self.snapshotLoaded.emit(self._session.snapshot())

    @Slot()
    @guarded(lambda worker: worker._restore_interrupted())
    def restore(self) -> None:
        """After the first paint: the keyring, then whatever is stale or queued (httpx loads with
        the first request)."""
        if self._session is None or self._driver is None:
            return
        restored = self._session.restore()
        self.sessionRestored.emit(restored.signed_in, restored.warning or "")
        self._emit_status()
        if restored.signed_in:
            self.refresh(False)
            self._driver.step_soon(0)

    def _restore_interrupted(self) -> None:
        self.sessionRestored.emit(False, UNEXPECTED_RESTORE)
        self._emit_status()

    @Slot()
    @guarded(log_only)
    def shutdown(self) -> None:
        """Runs on this thread before it quits: stop the timers and release files and sockets."""
        if self._driver is not None:
            self._driver.stop()
        if self._refresh_timer is not None:
            self._refresh_timer.stop()
        self.task_actions.stop()
        session, self._session = self._session, None
        if session is not None:
            session.close()

    # --- signing in ----------------------------------------------------------------------------

    @Slot(object)
    @guarded(lambda worker: worker._sign_in_interrupted())
    def signIn(self, given: Credentials) -> None:
        from desktop.api.auth import ApiToken
        from desktop.session import NoTokenForAccountError

        if self._session is None or self._driver is None:
            return
        try:
            signed_in = self._session.sign_in(given)
        except NoTokenForAccountError as error:
            self.signInFailed.emit(error.message)
            return
        except AuthenticationError as error:
            self.signInFailed.emit(sign_in_refused(isinstance(given, ApiToken), error.message))
            return
        except TogglError as error:
            self.signInFailed.emit(describe(error, "sign in").text)
            return
        finally:
            self._emit_status()
        self.signedIn.emit(signed_in)
        self.refresh(False)
        self._driver.step_soon(0)

    def _sign_in_interrupted(self) -> None:
        self.signInFailed.emit(UNEXPECTED_SIGN_IN)
        self._emit_status()

    @Slot()
    @guarded(lambda worker: worker._sign_out_interrupted())
    def signOut(self) -> None:
        if self._session is not None:
            self.signedOut.emit(self._session.sign_out() or "")
            self._emit_status()

    def _sign_out_interrupted(self) -> None:
        self.signedOut.emit(UNEXPECTED_SIGN_OUT)
        self._emit_status()

    # --- lists ---------------------------------------------------------------------------------

    @Slot(bool)
    @guarded(lambda worker: worker._load_interrupted())
    def refresh(self, force: bool) -> None:
        """Workspaces, then the preferred workspace's lists: only what is stale, unless forced."""
        from desktop.session import StorageError

        session = self._session
        if session is None:
            return
        try:
            workspaces = session.workspaces(force=force)
            chosen = session.preferred_workspace_id()
            if workspaces is not None:
                self.workspacesLoaded.emit(WorkspacesLoaded(workspaces, chosen))
                # Toggl answered: the indicator says so now, not after every page of projects
                # (5,000 of them from a slow server kept it at "Connecting…" for 50 s).
                self._emit_status()
            if chosen is not None:
                lists = session.workspace_lists(
                    chosen, force=force, progress=self.listsProgressed.emit
                )
                if lists is not None:  # else the window shows the cached lists already
                    self.workspaceListsLoaded.emit(lists)
        except TogglError as error:
            self._load_failed(error, "refresh the lists from Toggl")
        except StorageError as exc:
            self._cache_failed(exc)
        self._emit_status()

    def _load_interrupted(self) -> None:
        self.loadFailed.emit(Failure(UNEXPECTED_LOAD))
        self._emit_status()

    @Slot()
    @guarded(log_only)  # refresh, guarded itself, says what went wrong
    def _refresh_if_stale(self) -> None:
        if self._session is not None and self._session.signed_in:
            self.refresh(False)

    @Slot(object)
    @guarded(lambda worker: worker._load_interrupted())
    def loadWorkspace(self, workspace_id: int) -> None:
        from desktop.session import StorageError

        session = self._session
        if session is None:
            return
        try:
            session.remember(workspace_id, None)
            self.workspaceListsLoaded.emit(session.cached_lists(workspace_id))
            lists = session.workspace_lists(
                workspace_id, force=False, progress=self.listsProgressed.emit
            )
        except TogglError as error:
            self._load_failed(error, "load the workspace's projects and people")
        except StorageError as exc:
            self._cache_failed(exc)
        else:
            if lists is not None:
                self.workspaceListsLoaded.emit(lists)
        self._emit_status()

    @Slot(object, object)
    @guarded(log_only)  # only a convenience
    def remember(self, workspace_id: int, project_id: int | None) -> None:
        from desktop.session import StorageError

        if self._session is not None:
            try:
                self._session.remember(workspace_id, project_id)
            except StorageError as exc:  # only a convenience: say it in the log, go on
                log.warning("could not remember the selection: %s", exc.__cause__)

    # --- the outbox ----------------------------------------------------------------------------

    @Slot(object)
    @guarded(lambda worker: worker._submit_interrupted())
    def submit(self, task: Submission) -> None:
        """Write the task to the outbox first, then try to send it at once; a refused row
        being edited (`retry_row`) is requeued as the form now has it."""
        from desktop.session import RowBusyError, StorageError

        self._queued_row = None
        session, driver = self._session, self._driver
        if session is None or driver is None:
            self.submitFailed.emit(NOT_SAVED)
            return
        fields = (task.workspace_id, task.project_id, task.draft, task.label)
        claimed = None
        try:
            if task.retry_row is not None:
                try:
                    row = session.requeue_edited(task.retry_row, *fields)
                except KeyError:  # discarded meanwhile: what the user typed is queued as new
                    row = session.submit(*fields)
            else:
                claimed = session.claim(*fields)
                row = claimed or session.submit(*fields)
        except RowBusyError as busy:  # never a second copy of a row being sent, checked or sent
            self.submitFailed.emit(cannot_change(busy.row))
            return
        except StorageError as exc:
            log.error("could not queue a task: %s", exc.__cause__)
            self.submitFailed.emit(f"The task could not be saved on this computer: {exc}.")
            return
        self._queued_row = row.id
        self.taskQueued.emit(row)
        if claimed is not None:  # saved as sending: it leaves now, its outcome reported at once
            driver.send_claimed(claimed)
        else:
            driver.after_queueing(row)

    def _submit_interrupted(self) -> None:
        """Nothing saved: the form keeps the task. Saved: it waits in the outbox, not the form."""
        if self._queued_row is None:
            self.submitFailed.emit(UNEXPECTED_NOT_SAVED)
        elif self._driver is not None:
            self._driver.interrupted()

    @Slot(str)
    @guarded(lambda worker: worker.problemOccurred.emit(UNEXPECTED_DIAGNOSTICS))
    def collectDiagnostics(self, qt_version: str) -> None:
        """Off the UI thread: it asks the keyring for its backend and reads the log file."""
        from desktop.diagnostics import diagnostics  # with the keyring: on request only

        session = self._session
        self.diagnosticsCollected.emit(
            diagnostics(
                api_url=self._api_url,
                data_dir=self._data_dir,
                qt_version=qt_version,
                outbox=session.waiting_rows() if session else [],
                status=session.sync_view().indicator if session else "not started",
            )
        )

    @Slot()
    @guarded(log_only)
    def networkReturned(self) -> None:
        if self._session is not None and self._driver is not None:
            self._session.resume_sync()
            self._driver.step_soon(0)

    def _emit_status(self) -> None:
        if self._driver is not None:
            self._driver.emit_status()

    def _cache_failed(self, exc: StorageError) -> None:
        log.error("cache update failed: %s", exc.__cause__)
        self.loadFailed.emit(
            Failure(f"The lists saved on this computer could not be updated: {exc}.")
        )

    def _load_failed(self, error: TogglError, action: str) -> None:
        self.loadFailed.emit(describe(error, action))
