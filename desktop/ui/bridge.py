"""The window's side of the session worker: owns the worker thread; its signals are the UI's
requests, delivered on that thread."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMetaObject, QObject, QThread, Signal

from desktop.ui.adding_actions import AddingActions
from desktop.ui.startup import share_the_gil
from desktop.ui.worker import SessionWorker


class SessionBridge(QObject):
    startRequested = Signal()
    restoreRequested = Signal()
    signInRequested = Signal(object)  # desktop.api.auth.Credentials
    signOutRequested = Signal()
    refreshRequested = Signal(bool)  # forced
    workspaceRequested = Signal(object)  # workspace id
    selectionChanged = Signal(object, object)  # workspace id, project id
    taskSubmitted = Signal(object)  # desktop.ui.payloads.Submission
    discardRequested = Signal(object)  # the OutboxRow as the user saw it when asked (or its id)
    sendNowRequested = Signal()
    networkReturned = Signal()
    diagnosticsRequested = Signal(str)  # the Qt version
    manyTasksSubmitted = Signal(object)  # list[desktop.ui.payloads.Submission]: all or none

    def __init__(self, api_url: str, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        share_the_gil()  # the worker thread starts below
        self._thread = QThread(self)
        self._thread.setObjectName("sessionThread")
        self.worker = SessionWorker(api_url, data_dir)
        self.adding = AddingActions(self.worker)  # the worker's child: moves with it
        self.worker.moveToThread(self._thread)
        self.startRequested.connect(self.worker.start)
        self.startRequested.connect(self.adding.watchQuota)
        self.restoreRequested.connect(self.worker.restore)
        self.signInRequested.connect(self.worker.signIn)
        self.signOutRequested.connect(self.worker.signOut)
        self.refreshRequested.connect(self.worker.refresh)
        self.workspaceRequested.connect(self.worker.loadWorkspace)
        self.selectionChanged.connect(self.worker.remember)
        self.taskSubmitted.connect(self.worker.task_actions.submit)  # checked, then submitted
        self.discardRequested.connect(self.worker.outbox_actions.discard)
        self.sendNowRequested.connect(self.worker.outbox_actions.sendNow)
        self.networkReturned.connect(self.worker.networkReturned)
        self.diagnosticsRequested.connect(self.worker.collectDiagnostics)
        self.manyTasksSubmitted.connect(self.adding.queueMany)
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
