"""The main window: composes its parts and wires them to the session worker by signals.

The project picker, the task form, the quick-add line and bulk dialog (desktop.ui.adding), the
submission state, the result panel, the chosen project's task list, the outbox panel, the
account part (sign-in) and the network watch (which wakes the sync when the network returns).
desktop.ui.layout places them, desktop.ui.window_geometry remembers where."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QApplication, QMainWindow

from desktop import APP_NAME
from desktop.domain.display import isolate
from desktop.ui import window_geometry
from desktop.ui.account import Account
from desktop.ui.adding import Adding
from desktop.ui.bridge import SessionBridge
from desktop.ui.layout import DEFAULT_SIZE, MINIMUM_SIZE, WindowLayout
from desktop.ui.menus import Menus
from desktop.ui.network_watch import NetworkWatch
from desktop.ui.outbox_panel import OutboxPanel
from desktop.ui.project_picker import ProjectPicker
from desktop.ui.quick_add import QuickAdd
from desktop.ui.result_panel import READY_TEXT, ResultPanel
from desktop.ui.startup import bench_exits_after_paint, freeze_long_lived, report_painted
from desktop.ui.task_flow import TaskFlow
from desktop.ui.task_form import TaskForm
from desktop.ui.task_list import TaskPane
from desktop.ui.widgets import plain_label

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent

    from desktop.messages import Failure
    from desktop.session import SignedIn, Snapshot, SyncView, WorkspaceLists
    from desktop.ui.payloads import WorkspacesLoaded


class MainWindow(QMainWindow):
    closed = Signal()
    settled = Signal()  # after the first paint (or the store failing): what the paint skipped

    def __init__(
        self, api_url: str, data_dir: Path, folder_notice: str | None = None, *, start: bool = False
    ) -> None:
        """`folder_notice`: what preparing the data folder found and fixed, to be said. `start`:
        the worker opens the store and reads the cached lists while the window is being built
        (its snapshot is delivered once the event loop runs), as `start()` would after."""
        super().__init__()
        self._folder_notice, self._data_dir = folder_notice, data_dir
        self._bridge = SessionBridge(api_url, data_dir, self)
        self._bridge.worker.snapshotLoaded.connect(self._on_snapshot)
        self._bridge.worker.storageFailed.connect(self._on_storage_failed)
        if start:
            self.start()
        self.setObjectName("mainWindow")
        self.setWindowTitle(APP_NAME)
        self._pending_count, self._stopped, self.first_data_in = 0, False, False
        self.picker, self.form = ProjectPicker(self), TaskForm(self)
        self.status_panel, self.outbox_panel = ResultPanel(), OutboxPanel()
        self.flow = TaskFlow(self.picker, self.form, self.status_panel)
        self.quick = QuickAdd(self.picker, self.form, self.flow)
        self.tasks = TaskPane(self, self._bridge)  # the chosen project's tasks
        self.connection_indicator = plain_label("connectionIndicator", "Starting…")
        self.statusBar().addPermanentWidget(self.connection_indicator)
        parts = (self.picker, self.form, self.flow, self.status_panel, self.outbox_panel)
        self.layout_parts = WindowLayout(*parts, self.quick, self.tasks)
        self.setCentralWidget(self.layout_parts.central)
        self.setMinimumSize(*MINIMUM_SIZE)
        window_geometry.place(self, data_dir, DEFAULT_SIZE)
        self._menus = menus = Menus(self, self._bridge)
        self.sign_in_action, self.sign_out_action = menus.sign_in, menus.sign_out
        self.refresh_action, self.diagnostics_action = menus.refresh, menus.diagnostics
        account_actions = [menus.sign_in, menus.sign_out, menus.refresh]
        self.account = Account(self, self.layout_parts.outer, account_actions)
        menus.signInChosen.connect(self.account.open_sign_in)
        menus.refreshChosen.connect(self._refresh)
        self.adding = Adding(self, self._bridge, menus, data_dir)  # Add many, quota, tray
        self.network = NetworkWatch(self)
        self._wire()
        self.flow.update()

    def _wire(self) -> None:
        worker, bridge, picker = self._bridge.worker, self._bridge, self.picker
        worker.sessionRestored.connect(self._on_session_restored)
        worker.signedIn.connect(self._on_signed_in)
        worker.signInFailed.connect(self.account.sign_in_failed)
        worker.signedOut.connect(self._on_signed_out)
        worker.workspacesLoaded.connect(self._on_workspaces)
        worker.workspaceListsLoaded.connect(self._on_workspace_lists)
        worker.listsProgressed.connect(picker.show_progress)
        worker.loadFailed.connect(self._on_load_failed)
        worker.taskQueued.connect(self.flow.queued)
        worker.taskCreated.connect(self.flow.created)
        worker.taskFailed.connect(self.flow.refused)
        worker.taskDeferred.connect(self.flow.deferred)
        worker.submitFailed.connect(self.flow.submit_failed)
        worker.outboxRowChanged.connect(self.outbox_panel.put_row)
        worker.outboxRowDiscarded.connect(self.outbox_panel.remove_row)
        worker.outboxRowDiscarded.connect(self.flow.discarded)
        worker.outboxLoaded.connect(self.outbox_panel.set_rows)
        worker.sendingInterrupted.connect(self.flow.sending_interrupted)
        worker.problemOccurred.connect(self.status_panel.setText)
        worker.outbox_actions.said.connect(self.status_panel.setText)
        worker.syncStatusChanged.connect(self.outbox_panel.sync_changed)
        worker.syncStatusChanged.connect(self._on_sync_status)
        self.outbox_panel.retryRequested.connect(self.flow.edit_refused_row)
        self.outbox_panel.discardConfirmed.connect(bridge.discardRequested)
        self.outbox_panel.sendNowRequested.connect(bridge.sendNowRequested)
        picker.workspaceChosen.connect(self._on_workspace_chosen)
        picker.projectChosen.connect(bridge.selectionChanged)
        self.flow.submitted.connect(bridge.taskSubmitted)
        self.flow.signInNeeded.connect(self.account.token_refused)
        self.flow.notice.connect(lambda text: self.statusBar().showMessage(text, 10000))
        self.account.credentialsEntered.connect(self._sign_in)
        self.account.opening.connect(lambda: self.connection_indicator.setText("Sign-in needed"))
        self.network.returned.connect(bridge.networkReturned)

    def start(self) -> None:
        """Open the store on the worker thread; the cached lists come back for the first paint."""
        self._bridge.startRequested.emit()

    # --- session -----------------------------------------------------------------------------

    def _on_snapshot(self, snapshot: Snapshot) -> None:
        """The cached lists and the outbox, before (and without) any request."""
        self.first_data_in = True
        self.outbox_panel.set_rows(snapshot.waiting)
        notice = " ".join(filter(None, (self._folder_notice, snapshot.storage_notice)))
        if notice:
            from desktop.ui.notices import show_storage_notice  # QMessageBox: rarely needed

            self.status_panel.setText(notice)
            show_storage_notice(self, notice)
        if snapshot.workspaces:
            self.picker.fill_workspaces(snapshot.workspaces, snapshot.preferred_workspace_id)
            if snapshot.lists is not None:
                self._on_workspace_lists(snapshot.lists)
        bench = bench_exits_after_paint()
        QTimer.singleShot(0, self._report_painted if bench else self._after_first_paint)

    def _after_first_paint(self) -> None:
        """What the first paint need not wait for: the keyring, then what is stale or queued."""
        self._bridge.restoreRequested.emit()
        self.picker.watch_focus()
        self.flow.watch_keys()
        self._settle()

    def _settle(self) -> None:
        if self._menus.add_shortcuts():  # False: done already
            self.picker.finish_views()
            self.settled.emit()

    def _report_painted(self) -> None:
        """The bench seam (desktop.ui.startup): paint the cached lists, say when, and quit."""
        report_painted(self.repaint, QApplication.quit)

    def _on_storage_failed(self, message: str) -> None:
        self.first_data_in = True
        self.status_panel.setText(
            f"{message} Task Desk cannot keep tasks safely, so it will not accept new ones."
        )
        self.flow.storage_broken = True
        self.flow.update()
        self._settle()

    def _on_session_restored(self, signed_in: bool, warning: str) -> None:
        self.account.restored(signed_in, warning)
        if signed_in:
            self.status_panel.ready()
        freeze_long_lived()  # the worker's imports (httpx, keyring) are done by now

    def _sign_in(self, given: object) -> None:
        self.connection_indicator.setText("Signing in…")
        self._bridge.signInRequested.emit(given)

    def _on_signed_in(self, signed_in: SignedIn) -> None:
        self.account.signed_in(signed_in.warning)
        who = isolate(signed_in.me.fullname or signed_in.me.email)
        self.status_panel.setText(f"Signed in as {who}. {READY_TEXT}")

    def _on_signed_out(self, warning: str) -> None:
        self.picker.clear()
        self.form.fill_assignees([])
        self.status_panel.setText(
            "Signed out. Your token and cached lists were removed from this computer; "
            "tasks waiting in the outbox are kept."
        )
        self.account.signed_out(warning)

    # --- lists -------------------------------------------------------------------------------

    def _refresh(self) -> None:
        self.statusBar().showMessage("Refreshing workspaces, projects and people…", 4000)
        self._bridge.refreshRequested.emit(True)

    def _on_workspaces(self, loaded: WorkspacesLoaded) -> None:
        self.picker.fill_workspaces(loaded.workspaces, loaded.preferred_id)
        self.flow.update()  # a workspace may be picked now, though none was chosen by a click
        if not loaded.workspaces:
            self.status_panel.setText("Your Toggl account has no workspaces.")

    def _on_workspace_chosen(self, workspace_id: int | None) -> None:
        self.form.fill_assignees([])
        if workspace_id is not None:
            self._bridge.workspaceRequested.emit(workspace_id)

    def _on_workspace_lists(self, lists: WorkspaceLists) -> None:
        if lists.workspace_id != self.picker.workspace_id():
            return  # the user moved on to another workspace meanwhile
        self.flow.lists_arrived(lists)
        freeze_long_lived()

    def _on_load_failed(self, failure: Failure) -> None:
        self.picker.lists_failed()
        if self.picker.has_projects() and failure.offline:
            self.statusBar().showMessage(f"{failure.text} Showing the lists saved earlier.", 10000)
        else:
            self.status_panel.setText(failure.text)
        self.flow.apply_failure(failure)

    def _on_sync_status(self, status: SyncView) -> None:
        self._pending_count = status.pending
        self.status_panel.waiting(status.pending)
        if status.offline:
            self.network.watch()
        self.connection_indicator.setText(status.indicator)
        self.account.sign_in_needed(status.sign_in_needed, status.pending)

    def shutdown(self) -> None:
        """Stop the worker thread; safe to call more than once."""
        if not self._stopped:
            self._stopped = True
            self._bridge.stop()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.isVisible():
            window_geometry.remember(self, self._data_dir)
        self.account.close()
        self.shutdown()
        if self._pending_count:
            from desktop.ui.notices import show_quit_notice  # loaded at the end, if ever

            show_quit_notice(self._pending_count)
        super().closeEvent(event)
        self.closed.emit()
