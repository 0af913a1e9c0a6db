"""The session worker: lives on its own QThread and does every network and keyring call.

The UI sends requests through the `*Requested` signals of `SessionBridge` and hears back
through the worker's past-tense signals; no widget is touched from here.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QThread, Signal, Slot

if TYPE_CHECKING:  # the real imports happen on the worker thread, off the path to first paint
    from desktop.api.auth import Credentials
    from desktop.api.errors import TogglError
    from desktop.api.models import TaskDraft
    from desktop.messages import Failure
    from desktop.session import Session

log = logging.getLogger(__name__)


class SessionWorker(QObject):
    sessionRestored = Signal(bool, str)  # signed in, keyring warning ("" when none)
    signedIn = Signal(object, str)  # Me, warning ("" when the token was stored)
    signInFailed = Signal(str)
    signedOut = Signal(str)  # warning ("" when none)
    workspacesLoaded = Signal(object, object)  # list[Workspace], Settings
    projectsLoaded = Signal(object, object)  # workspace id, list[Project]
    usersLoaded = Signal(object, object)  # workspace id, list[User]
    loadFailed = Signal(object)  # Failure
    taskCreated = Signal(object)  # Task
    taskFailed = Signal(object)  # Failure
    reachedToggl = Signal()

    def __init__(self, api_url: str, data_dir: Path) -> None:
        super().__init__()
        self._api_url = api_url
        self._data_dir = data_dir
        self._session: Session | None = None

    def _get_session(self) -> Session:
        if self._session is None:
            from desktop.session import Session

            self._session = Session(self._api_url, self._data_dir)
        return self._session

    def close(self) -> None:
        """Release the HTTP connections; call only once the thread has stopped."""
        if self._session is not None:
            self._session.close()
            self._session = None

    @Slot()
    def restore(self) -> None:
        restored = self._get_session().restore()
        self.sessionRestored.emit(restored.signed_in, restored.warning or "")

    @Slot(object)
    def signIn(self, given: Credentials) -> None:
        from desktop.api.errors import TogglError
        from desktop.messages import describe

        try:
            signed_in = self._get_session().sign_in(given)
        except TogglError as error:
            self.signInFailed.emit(_sign_in_sentence(error, describe(error, "sign in")))
            return
        self.reachedToggl.emit()
        self.signedIn.emit(signed_in.me, signed_in.warning or "")

    @Slot()
    def signOut(self) -> None:
        self.signedOut.emit(self._get_session().sign_out() or "")

    @Slot()
    def loadWorkspaces(self) -> None:
        from desktop.api.errors import TogglError

        session = self._get_session()
        try:
            workspaces = session.workspaces()
        except TogglError as error:
            self._load_failed(error, "load your workspaces")
            return
        self.reachedToggl.emit()
        self.workspacesLoaded.emit(workspaces, session.settings)

    @Slot(object)
    def loadWorkspaceData(self, workspace_id: int) -> None:
        """Projects first (the user picks one next), then the workspace's users."""
        from desktop.api.errors import TogglError

        session = self._get_session()
        try:
            projects = session.projects(workspace_id)
            self.projectsLoaded.emit(workspace_id, projects)
            users = session.users(workspace_id)
            self.usersLoaded.emit(workspace_id, users)
        except TogglError as error:
            self._load_failed(error, "load the workspace's projects and people")
            return
        self.reachedToggl.emit()

    @Slot(object, object, object)
    def createTask(self, workspace_id: int, project_id: int, draft: TaskDraft) -> None:
        from desktop.api.errors import TogglError
        from desktop.messages import describe

        try:
            task = self._get_session().create_task(workspace_id, project_id, draft)
        except TogglError as error:
            log.info("task creation failed: %s", type(error).__name__)
            self.taskFailed.emit(describe(error, "create the task"))
            return
        self.reachedToggl.emit()
        self.taskCreated.emit(task)

    @Slot(object, object)
    def rememberSelection(self, workspace_id: int, project_id: int | None) -> None:
        try:
            self._get_session().remember(workspace_id, project_id)
        except OSError as exc:
            log.warning("could not save settings: %s", exc)

    def _load_failed(self, error: TogglError, action: str) -> None:
        from desktop.messages import describe

        self.loadFailed.emit(describe(error, action))


def _sign_in_sentence(error: TogglError, failure: Failure) -> str:
    from desktop.api.errors import AuthenticationError
    from desktop.session import NoTokenForAccountError

    if isinstance(error, NoTokenForAccountError):
        return error.message
    if isinstance(error, AuthenticationError):
        return f"Toggl did not accept these details ({error.message}). Check them and try again."
    return failure.text


class SessionBridge(QObject):
    """Owns the worker thread; its signals are the UI's requests, delivered on that thread."""

    restoreRequested = Signal()
    signInRequested = Signal(object)
    signOutRequested = Signal()
    workspacesRequested = Signal()
    workspaceDataRequested = Signal(object)
    taskRequested = Signal(object, object, object)
    selectionChanged = Signal(object, object)

    def __init__(self, api_url: str, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread = QThread(self)
        self._thread.setObjectName("sessionThread")
        self.worker = SessionWorker(api_url, data_dir)
        self.worker.moveToThread(self._thread)
        self.restoreRequested.connect(self.worker.restore)
        self.signInRequested.connect(self.worker.signIn)
        self.signOutRequested.connect(self.worker.signOut)
        self.workspacesRequested.connect(self.worker.loadWorkspaces)
        self.workspaceDataRequested.connect(self.worker.loadWorkspaceData)
        self.taskRequested.connect(self.worker.createTask)
        self.selectionChanged.connect(self.worker.rememberSelection)
        self._thread.start()

    def stop(self) -> None:
        """Stop the thread (after the call in progress, if any) and release its resources."""
        if self._thread.isRunning():
            self._thread.quit()
            self._thread.wait()
        self.worker.close()
