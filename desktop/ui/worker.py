"""The session worker: lives on its own QThread and does every network, keyring and disk call.

The UI sends requests through the `*Requested` signals of `SessionBridge` and hears back
through the worker's past-tense signals; no widget is touched from here. The sync engine is
stepped from a timer on this thread, so list loading and sending interleave without locks.

Every slot is `guarded` (desktop.ui.unexpected): whatever escapes it (a bug, an answer nothing
expected) is logged with its traceback and answered with the signal that puts the window back
in a usable state, with one sentence; the outbox keeps every task.
"""

from __future__ import annotations

import logging
import sqlite3
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QMetaObject, QObject, QThread, QTimer, Signal, Slot

from desktop.ui.unexpected import (
    UNEXPECTED_DIAGNOSTICS,
    UNEXPECTED_DISCARD,
    UNEXPECTED_LOAD,
    UNEXPECTED_NOT_SAVED,
    UNEXPECTED_RESTORE,
    UNEXPECTED_SEND,
    UNEXPECTED_SIGN_IN,
    UNEXPECTED_SIGN_OUT,
    UNEXPECTED_START,
    guarded,
    log_only,
    storage_trouble,
)

if TYPE_CHECKING:  # the real imports happen on the worker thread, off the path to first paint
    from desktop.api.auth import Credentials
    from desktop.api.errors import TogglError
    from desktop.api.models import TaskDraft
    from desktop.session import Session
    from desktop.store.outbox import OutboxRow
    from desktop.sync.engine import StepResult, SyncEngine

log = logging.getLogger(__name__)

STALE_CHECK_MS = 3600 * 1000
GIL_SWITCH_SECONDS = 0.001
"""How long the worker may run Python before the UI thread gets the GIL (Python's default is
5 ms: with a paint and a 10 ms frame budget, parsing or sorting on the worker stalled the UI)."""
PACE_WAIT_SECONDS = 1.5
"""A task that will leave within this long keeps the form waiting for its outcome."""
RETRY_AFTER_UNEXPECTED_SECONDS = 30.0
"""After an unexpected error in the sync engine, the next step waits this long."""


class SessionWorker(QObject):
    snapshotLoaded = Signal(object)  # Snapshot: cached lists and the outbox, no request made
    storageFailed = Signal(str)
    sessionRestored = Signal(bool, str)  # signed in, keyring warning ("" when none)
    signedIn = Signal(object, str)  # Me, warning ("" when the token was stored)
    signInFailed = Signal(str)
    signedOut = Signal(str)  # warning ("" when none)
    workspacesLoaded = Signal(object, object)  # list[Workspace], preferred workspace id
    workspaceListsLoaded = Signal(object)  # WorkspaceLists
    loadFailed = Signal(object)  # Failure
    taskQueued = Signal(object)  # OutboxRow
    taskCreated = Signal(object, object)  # OutboxRow, Task
    taskFailed = Signal(object, object)  # OutboxRow, Failure: Toggl refused it, parked
    taskDeferred = Signal(object, object)  # OutboxRow, Failure: kept queued for later
    submitFailed = Signal(str)  # the task could not even be saved locally; the form keeps it
    outboxRowChanged = Signal(object)  # OutboxRow as it now is (DONE: it left the outbox)
    outboxRowDiscarded = Signal(object)  # the id of a failed row the user discarded
    outboxLoaded = Signal(object)  # list[OutboxRow]: every waiting row, as they now are
    sendingInterrupted = Signal(str)  # an unexpected error in the engine; the outbox keeps all
    problemOccurred = Signal(str)  # an unexpected error elsewhere, as one sentence
    syncStatusChanged = Signal(object)  # SyncStatus
    diagnosticsCollected = Signal(str)

    def __init__(self, api_url: str, data_dir: Path) -> None:
        super().__init__()
        self._api_url = api_url
        self._data_dir = data_dir
        self._session: Session | None = None
        self._queued_row: int | None = None
        """The outbox row the submit or retry in progress saved, once it is saved."""
        self._timer: QTimer | None = None
        self._refresh_timer: QTimer | None = None

    # --- life cycle ----------------------------------------------------------------------------

    @Slot()
    @guarded(lambda worker: worker.storageFailed.emit(UNEXPECTED_START))
    def start(self) -> None:
        from desktop.session import Session
        from desktop.store.database import DatabaseError

        try:
            self._session = Session(self._api_url, self._data_dir)
        except DatabaseError as exc:
            self.storageFailed.emit(str(exc))
            return
        except OSError as exc:
            log.error("could not open the data folder: %s", exc)
            self.storageFailed.emit(
                f"Task Desk cannot use its data folder: {storage_trouble(exc)}."
            )
            return
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_timer)
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
        if self._session is None:
            return
        restored = self._session.restore()
        self.sessionRestored.emit(restored.signed_in, restored.warning or "")
        self._emit_status()
        if restored.signed_in:
            self.refresh(False)
            self._step_soon(0)

    def _restore_interrupted(self) -> None:
        self.sessionRestored.emit(False, UNEXPECTED_RESTORE)
        self._emit_status()

    @Slot()
    @guarded(log_only)
    def shutdown(self) -> None:
        """Runs on this thread before it quits: stop the timers and release files and sockets."""
        for timer in (self._timer, self._refresh_timer):
            if timer is not None:
                timer.stop()
        session, self._session = self._session, None
        if session is not None:
            session.close()

    # --- signing in ----------------------------------------------------------------------------

    @Slot(object)
    @guarded(lambda worker: worker._sign_in_interrupted())
    def signIn(self, given: Credentials) -> None:
        from desktop.api.errors import AuthenticationError, TogglError
        from desktop.messages import describe
        from desktop.session import NoTokenForAccountError

        if self._session is None:
            return
        try:
            signed_in = self._session.sign_in(given)
        except NoTokenForAccountError as error:
            self.signInFailed.emit(error.message)
            return
        except AuthenticationError as error:
            self.signInFailed.emit(
                f"Toggl did not accept these details ({error.message}). Check them and try again."
            )
            return
        except TogglError as error:
            self.signInFailed.emit(describe(error, "sign in").text)
            return
        finally:
            self._emit_status()
        self.signedIn.emit(signed_in.me, signed_in.warning or "")
        self.refresh(False)
        self._step_soon(0)

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
        from desktop.api.errors import TogglError

        session = self._session
        if session is None:
            return
        try:
            workspaces = session.workspaces(force=force)
            chosen = session.preferred_workspace_id(session.cache.workspaces())
            if workspaces is not None:
                self.workspacesLoaded.emit(workspaces, chosen)
            if chosen is not None:
                lists = session.workspace_lists(chosen, force=force)
                if lists is not None:  # else the window shows the cached lists already
                    self.workspaceListsLoaded.emit(lists)
        except TogglError as error:
            self._load_failed(error, "refresh the lists from Toggl")
        except sqlite3.Error as exc:
            self._cache_failed(exc)
        self._emit_status()

    def _load_interrupted(self) -> None:
        from desktop.messages import Failure

        self.loadFailed.emit(Failure(UNEXPECTED_LOAD))
        self._emit_status()

    @Slot()
    @guarded(log_only)  # refresh, guarded itself, says what went wrong
    def _refresh_if_stale(self) -> None:
        if self._session is not None and self._session.source is not None:
            self.refresh(False)

    @Slot(object)
    @guarded(lambda worker: worker._load_interrupted())
    def loadWorkspace(self, workspace_id: int) -> None:
        from desktop.api.errors import TogglError

        session = self._session
        if session is None:
            return
        try:
            session.remember(workspace_id, None)
            self.workspaceListsLoaded.emit(session.cached_lists(workspace_id))
            lists = session.workspace_lists(workspace_id, force=False)
        except TogglError as error:
            self._load_failed(error, "load the workspace's projects and people")
        except sqlite3.Error as exc:
            self._cache_failed(exc)
        else:
            if lists is not None:
                self.workspaceListsLoaded.emit(lists)
        self._emit_status()

    @Slot(object, object)
    @guarded(log_only)  # only a convenience
    def remember(self, workspace_id: int, project_id: int | None) -> None:
        if self._session is not None:
            try:
                self._session.remember(workspace_id, project_id)
            except sqlite3.Error as exc:  # only a convenience: say it in the log, go on
                log.warning("could not remember the selection: %s", exc)

    # --- the outbox ----------------------------------------------------------------------------

    @Slot(object, object, object, str)
    @guarded(lambda worker: worker._submit_interrupted())
    def submit(self, workspace_id: int, project_id: int, draft: TaskDraft, label: str) -> None:
        """Write the task to the outbox first, then try to send it at once."""
        self._queued_row = None
        if self._session is None:
            self.submitFailed.emit(
                "The local database is not available, so the task was not saved."
            )
            return
        session = self._session
        try:
            claimed = session.claim(workspace_id, project_id, draft, label)
            row = claimed or session.submit(workspace_id, project_id, draft, label)
        except (sqlite3.Error, OSError) as exc:
            log.error("could not queue a task: %s", exc)
            self.submitFailed.emit(
                f"The task could not be saved on this computer: {storage_trouble(exc)}."
            )
            return
        self._queued_row = row.id
        self.taskQueued.emit(row)
        if claimed is not None:  # saved as sending: it leaves now, its outcome reported at once
            self._run_engine(lambda engine: engine.send_claimed(claimed))
        else:
            self._after_queueing(row)

    @Slot(object, object, object, object, str)
    @guarded(lambda worker: worker._submit_interrupted())
    def retry(
        self, row_id: int, workspace_id: int, project_id: int, draft: TaskDraft, label: str
    ) -> None:
        self._queued_row = None
        if self._session is None:
            self.submitFailed.emit(
                "The local database is not available, so the task was not saved."
            )
            return
        from desktop.store.outbox import RowBusyError

        try:
            try:
                row = self._session.requeue_edited(row_id, workspace_id, project_id, draft, label)
            except KeyError:  # discarded meanwhile: what the user typed is queued as new
                row = self._session.submit(workspace_id, project_id, draft, label)
        except RowBusyError:  # never a second copy of a row that is being sent or checked
            self.submitFailed.emit(
                "This task is being sent or checked against Toggl right now, so it cannot be "
                "changed; wait for its outcome in the outbox."
            )
            return
        except (sqlite3.Error, OSError) as exc:
            log.error("could not requeue a task: %s", exc)
            self.submitFailed.emit(
                f"The task could not be saved on this computer: {storage_trouble(exc)}."
            )
            return
        self._queued_row = row.id
        self.taskQueued.emit(row)
        self._after_queueing(row)

    def _submit_interrupted(self) -> None:
        """Nothing saved: the form keeps the task. Saved: it waits in the outbox, not the form."""
        if self._queued_row is None:
            self.submitFailed.emit(UNEXPECTED_NOT_SAVED)
        else:
            self._sending_interrupted()

    @Slot(object)
    @guarded(lambda worker: worker.problemOccurred.emit(UNEXPECTED_DISCARD))
    def discard(self, row_id: int) -> None:
        if self._session is not None and self._session.discard(row_id):
            self.outboxRowDiscarded.emit(row_id)
            self._emit_status()

    @Slot(str)
    @guarded(lambda worker: worker.problemOccurred.emit(UNEXPECTED_DIAGNOSTICS))
    def collectDiagnostics(self, qt_version: str) -> None:
        """Off the UI thread: it asks the keyring for its backend and reads the log file."""
        from desktop.diagnostics import diagnostics
        from desktop.sync.status import indicator_text

        session = self._session
        self.diagnosticsCollected.emit(
            diagnostics(
                api_url=self._api_url,
                data_dir=self._data_dir,
                qt_version=qt_version,
                outbox=session.outbox.waiting() if session else [],
                status=indicator_text(session.engine.status()) if session else "not started",
            )
        )

    @Slot()
    @guarded(log_only)
    def networkReturned(self) -> None:
        if self._session is not None:
            self._session.engine.resume()
            self._step_soon(0)

    def _after_queueing(self, row: OutboxRow) -> None:
        from desktop.messages import Failure

        outcomes = self._step()  # a row it settled or deferred reached the outbox view there
        if row.id not in outcomes:
            assert self._session is not None
            self.outboxRowChanged.emit(self._session.outbox.get(row.id))
        if row.id in outcomes or self._sends_next(row):
            return  # its outcome is known, or comes within the second (pacing)
        self.taskDeferred.emit(row, Failure(self._waiting_reason()))

    def _sends_next(self, row: OutboxRow) -> bool:
        """Online, nothing ahead of it and nothing to wait for but the one-a-second pace."""
        from desktop.sync.engine import Connection

        assert self._session is not None
        status = self._session.engine.status()
        nothing_ahead = self._session.outbox.next_pending() == self._session.outbox.get(row.id)
        return (
            nothing_ahead
            and self._session.engine.seconds_until_next_attempt() <= PACE_WAIT_SECONDS
            and status.connection is Connection.ONLINE
            and not status.sign_in_needed
            and status.quota_until is None
        )

    def _waiting_reason(self) -> str:
        from desktop.sync.status import waiting_reason

        assert self._session is not None
        return waiting_reason(self._session.engine.status())

    # --- the sync engine -----------------------------------------------------------------------

    @Slot()
    def _on_timer(self) -> None:
        self._step()

    def _step(self) -> set[int]:
        """One step of the engine; returns the outbox ids it settled or deferred."""
        return self._run_engine(lambda engine: engine.step())

    def _run_engine(self, run: Callable[[SyncEngine], StepResult]) -> set[int]:
        """Run the engine (a step, or sending a claimed task), report what it did to the window
        and schedule the next step; returns the outbox ids it settled or deferred."""
        session = self._session
        if session is None:
            return set()
        try:
            session.ensure_store()
            result = run(session.engine)
            return self._report(session, result)
        except Exception:  # a bug must not stop the sync for good; the outbox is intact
            log.exception("unexpected error in the sync engine")
            self._sending_interrupted()
            return set()

    def _sending_interrupted(self) -> None:
        """After an unexpected error while a task was being sent: the engine has made a row it
        left marked as sending unconfirmed (checked before any new send); the window hears
        what the outbox now holds and one sentence, and the engine tries again later."""
        self._step_soon(RETRY_AFTER_UNEXPECTED_SECONDS)
        session = self._session
        if session is not None:
            try:
                self.outboxLoaded.emit(session.outbox.waiting())
            except Exception:
                log.exception("unexpected error while reading the outbox")
        self.sendingInterrupted.emit(UNEXPECTED_SEND)
        self._emit_status()

    def _report(self, session: Session, result: StepResult) -> set[int]:
        """Tell the window what a step did; returns the outbox ids it settled or deferred."""
        if result.changed_row_id is not None:
            self.outboxRowChanged.emit(session.outbox.get(result.changed_row_id))
        self._emit_status()  # before the outcomes, so the window never shows them out of step
        touched: set[int] = set()
        for row, task in result.created:
            touched.add(row.id)
            self.taskCreated.emit(row, task)
        for row, failure in result.parked:
            touched.add(row.id)
            self.taskFailed.emit(row, failure)
        for row, failure in result.deferred:
            touched.add(row.id)
            why = replace(failure, text=f"{failure.text} {self._waiting_reason()}")
            self.taskDeferred.emit(row, why)
        if result.delay is not None:
            self._step_soon(result.delay)
        return touched

    def _step_soon(self, seconds: float) -> None:
        if self._timer is not None:
            self._timer.start(max(0, round(seconds * 1000)))

    def _emit_status(self) -> None:
        """The indicator's state; never raises (it runs while recovering from errors too)."""
        if self._session is None:
            return
        try:
            status = self._session.engine.status()
        except Exception:
            log.exception("unexpected error while reading the sync status")
            return
        self.syncStatusChanged.emit(status)

    def _cache_failed(self, exc: sqlite3.Error) -> None:
        from desktop.messages import Failure

        log.error("cache update failed: %s", exc)
        self.loadFailed.emit(
            Failure(
                f"The lists saved on this computer could not be updated: {storage_trouble(exc)}."
            )
        )

    def _load_failed(self, error: TogglError, action: str) -> None:
        from desktop.messages import describe

        self.loadFailed.emit(describe(error, action))


class SessionBridge(QObject):
    """Owns the worker thread; its signals are the UI's requests, delivered on that thread."""

    startRequested = Signal()
    restoreRequested = Signal()
    signInRequested = Signal(object)
    signOutRequested = Signal()
    refreshRequested = Signal(bool)
    workspaceRequested = Signal(object)
    selectionChanged = Signal(object, object)
    taskSubmitted = Signal(object, object, object, str)
    retryRequested = Signal(object, object, object, object, str)
    discardRequested = Signal(object)
    networkReturned = Signal()
    diagnosticsRequested = Signal(str)

    def __init__(self, api_url: str, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        sys.setswitchinterval(GIL_SWITCH_SECONDS)
        self._thread = QThread(self)
        self._thread.setObjectName("sessionThread")
        self.worker = SessionWorker(api_url, data_dir)
        self.worker.moveToThread(self._thread)
        self.startRequested.connect(self.worker.start)
        self.restoreRequested.connect(self.worker.restore)
        self.signInRequested.connect(self.worker.signIn)
        self.signOutRequested.connect(self.worker.signOut)
        self.refreshRequested.connect(self.worker.refresh)
        self.workspaceRequested.connect(self.worker.loadWorkspace)
        self.selectionChanged.connect(self.worker.remember)
        self.taskSubmitted.connect(self.worker.submit)
        self.retryRequested.connect(self.worker.retry)
        self.discardRequested.connect(self.worker.discard)
        self.networkReturned.connect(self.worker.networkReturned)
        self.diagnosticsRequested.connect(self.worker.collectDiagnostics)
        self._thread.start()

    def stop(self) -> None:
        """Let the call in progress finish, close the store, then stop the thread."""
        from PySide6.QtCore import Qt  # not before the first paint: see desktop.ui.qt_values

        if self._thread.isRunning():
            QMetaObject.invokeMethod(
                self.worker, "shutdown", Qt.ConnectionType.BlockingQueuedConnection
            )
            self._thread.quit()
            self._thread.wait()
