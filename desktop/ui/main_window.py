"""The main window: composes its parts and wires them to the session worker by signals.

The project picker chooses workspace and project, the task form holds the fields, the
submission state (Qt-free) knows which outbox row the form's task is, the result panel says
what became of it, the outbox panel lists what waits, the account part runs sign-in, and the
network watch wakes the sync when the network returns.
"""

from __future__ import annotations

import gc
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFormLayout,
    QHBoxLayout,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop import APP_NAME
from desktop.messages import Field
from desktop.ui.account import Account
from desktop.ui.bridge import SessionBridge
from desktop.ui.naming import named
from desktop.ui.network_watch import NetworkWatch
from desktop.ui.outbox_panel import OutboxPanel
from desktop.ui.payloads import Submission
from desktop.ui.project_picker import ProjectPicker
from desktop.ui.result_panel import ResultPanel
from desktop.ui.submission import SubmissionState
from desktop.ui.task_form import TaskForm
from desktop.ui.widgets import HINT_STYLE, action, plain_label, show_note

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent

    from desktop.messages import Failure
    from desktop.session import SignedIn, Snapshot, SyncView, WorkspaceLists
    from desktop.session_types import OutboxRow
    from desktop.ui.payloads import TaskCreated, TaskDeferred, TaskRefused, WorkspacesLoaded

BENCH_PAINT_ENV = "TASK_DESK_BENCH_EXIT_AFTER_PAINT"


def _freeze_long_lived() -> None:
    """Exempt what lives now (modules, widgets, loaded lists) from cyclic garbage collection.

    A full collection walks every tracked object with the GIL held: 50-90 ms with this app's
    imports and 10,000 projects, a visible stall on the UI thread. Reference counting still
    frees these objects when they are dropped; only cycles among them would be kept.
    """
    gc.freeze()


class MainWindow(QMainWindow):
    closed = Signal()

    def __init__(self, api_url: str, data_dir: Path, folder_notice: str | None = None) -> None:
        """`folder_notice`: what preparing the data folder found and fixed, to be said."""
        super().__init__()
        self._folder_notice = folder_notice
        self.setObjectName("mainWindow")
        self.setWindowTitle(APP_NAME)
        self._state = SubmissionState()
        self._storage_broken = False
        self._pending_count = 0
        self._stopped = False
        self.picker, self.form = ProjectPicker(self), TaskForm(self)
        self.submit_button = named(QPushButton("Create task"), "submitButton")
        self.submit_button.setDefault(True)
        self.new_task_button = named(QPushButton("New task"), "newTaskButton")
        self.new_task_button.setToolTip("Leave the refused task in the outbox and start a new one")
        self.new_task_button.hide()
        self.submit_hint = plain_label("submitHint")
        self.submit_hint.setStyleSheet(HINT_STYLE)
        self.status_panel, self.outbox_panel = ResultPanel(), OutboxPanel()
        self.connection_indicator = plain_label("connectionIndicator", "Starting…")
        self.statusBar().addPermanentWidget(self.connection_indicator)
        form, buttons, central = QFormLayout(), QHBoxLayout(), QWidget()
        self.picker.add_rows(form)
        self.form.add_rows(form)
        for widget, stretch in ((self.submit_hint, 1), (self.new_task_button, 0)):
            buttons.addWidget(widget, stretch)
        buttons.addWidget(self.submit_button)
        layout = QVBoxLayout(central)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.status_panel, 2)
        layout.addWidget(self.outbox_panel, 3)
        self.setCentralWidget(central)
        self.resize(560, 520)
        self._bridge = SessionBridge(api_url, data_dir, self)
        self._build_menus()
        self.account = Account(self, layout, [self.sign_in_action, self.sign_out_action,
                                              self.refresh_action])  # fmt: skip
        self.network = NetworkWatch(self)
        self._wire()
        self._update_submit()

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.sign_in_action = action("Sign &in…", self, lambda: self.account.open_sign_in())
        self.sign_out_action = action("Sign &out", self, self._bridge.signOutRequested.emit)
        quit_action = action("&Quit", self, self.close)
        quit_action.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.Quit))
        for item in (self.sign_in_action, self.sign_out_action):
            file_menu.addAction(item)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
        self.refresh_action = action("&Refresh", self, self._refresh)
        self.refresh_action.setShortcuts([QKeySequence("F5")])
        self.menuBar().addMenu("&View").addAction(self.refresh_action)
        help_menu = self.menuBar().addMenu("&Help")
        self.diagnostics_action = action("&Copy diagnostics", self, self._copy_diagnostics)
        self.diagnostics_action.setObjectName("copyDiagnosticsAction")
        help_menu.addAction(self.diagnostics_action)
        help_menu.addAction(action(f"&About {APP_NAME}", self, self._about))

    def _wire(self) -> None:
        worker, bridge, picker = self._bridge.worker, self._bridge, self.picker
        worker.snapshotLoaded.connect(self._on_snapshot)
        worker.storageFailed.connect(self._on_storage_failed)
        worker.sessionRestored.connect(self._on_session_restored)
        worker.signedIn.connect(self._on_signed_in)
        worker.signInFailed.connect(self.account.sign_in_failed)
        worker.signedOut.connect(self._on_signed_out)
        worker.workspacesLoaded.connect(self._on_workspaces)
        worker.workspaceListsLoaded.connect(self._on_workspace_lists)
        worker.loadFailed.connect(self._on_load_failed)
        worker.taskQueued.connect(lambda row: self._state.queued(row.id))
        worker.taskCreated.connect(self._on_task_created)
        worker.taskFailed.connect(self._on_task_failed)
        worker.taskDeferred.connect(self._on_task_deferred)
        worker.submitFailed.connect(self._on_submit_failed)
        worker.outboxRowChanged.connect(self.outbox_panel.put_row)
        worker.outboxRowDiscarded.connect(self.outbox_panel.remove_row)
        worker.outboxLoaded.connect(self.outbox_panel.set_rows)
        worker.sendingInterrupted.connect(self._on_sending_interrupted)
        worker.problemOccurred.connect(self.status_panel.setText)
        worker.syncStatusChanged.connect(self._on_sync_status)
        worker.diagnosticsCollected.connect(self._on_diagnostics)
        self.outbox_panel.retryRequested.connect(self._edit_failed_row)
        self.outbox_panel.discardConfirmed.connect(bridge.discardRequested)
        picker.workspaceChosen.connect(self._on_workspace_chosen)
        picker.projectChosen.connect(bridge.selectionChanged)
        picker.changed.connect(self._update_submit)
        self.form.edited.connect(self._on_field_edited)
        self.form.entered.connect(self._submit)
        self.submit_button.clicked.connect(self._submit)
        self.new_task_button.clicked.connect(self._leave_editing)
        self.account.credentialsEntered.connect(self._sign_in)
        self.account.opening.connect(lambda: self._set_connection("Sign-in needed"))
        self.network.returned.connect(bridge.networkReturned)

    def start(self) -> None:
        """Open the store on the worker thread; the cached lists come back for the first paint."""
        self._bridge.startRequested.emit()

    # --- session -----------------------------------------------------------------------------

    def _on_snapshot(self, snapshot: Snapshot) -> None:
        """The cached lists and the outbox, before (and without) any request."""
        self.outbox_panel.set_rows(snapshot.waiting)
        notice = " ".join(filter(None, (self._folder_notice, snapshot.storage_notice)))
        if notice:
            from desktop.ui.notices import show_storage_notice

            self.status_panel.setText(notice)
            show_storage_notice(self, notice)
        if snapshot.workspaces:
            self.picker.fill_workspaces(snapshot.workspaces, snapshot.preferred_workspace_id)
            if snapshot.lists is not None:
                self._on_workspace_lists(snapshot.lists)
        bench = os.environ.get(BENCH_PAINT_ENV) == "1"
        QTimer.singleShot(0, self._report_painted if bench else self._after_first_paint)

    def _after_first_paint(self) -> None:
        """What the first paint need not wait for: the keyring, then what is stale or queued."""
        self._bridge.restoreRequested.emit()
        self.picker.watch_focus()

    def _report_painted(self) -> None:
        """Bench only: paint now, with the cached lists in place, print when, and quit."""
        self.repaint()
        print(f"painted {time.time():.6f}", flush=True)
        QApplication.quit()

    def _on_storage_failed(self, message: str) -> None:
        self.status_panel.setText(
            f"{message} Task Desk cannot keep tasks safely, so it will not accept new ones."
        )
        self._storage_broken = True
        self._update_submit()

    def _on_session_restored(self, signed_in: bool, warning: str) -> None:
        if warning:
            self.statusBar().showMessage(warning)
        self.account.expected = signed_in
        self.account.set_signed_in(signed_in)
        if not signed_in:
            self.account.open_sign_in()
        else:
            self.status_panel.ready()
        _freeze_long_lived()  # the worker's imports (httpx, keyring) are done by now

    def _sign_in(self, given: object) -> None:
        self._set_connection("Signing in…")
        self._bridge.signInRequested.emit(given)

    def _on_signed_in(self, signed_in: SignedIn) -> None:
        from desktop.domain.display import isolate

        self.account.signed_in()
        who, warning = isolate(signed_in.me.fullname or signed_in.me.email), signed_in.warning
        self.statusBar().showMessage(warning or f"Signed in as {who}.", 0 if warning else 8000)
        self.status_panel.setText(f"Signed in as {who}. Pick a project and describe the task.")

    def _on_signed_out(self, warning: str) -> None:
        self.picker.clear()
        self.form.fill_assignees([])
        self.status_panel.setText(
            "Signed out. Your token and cached lists were removed from this computer; "
            "tasks waiting in the outbox are kept."
        )
        if warning:
            self.statusBar().showMessage(warning)
        self.account.signed_out()

    # --- lists -------------------------------------------------------------------------------

    def _refresh(self) -> None:
        self.statusBar().showMessage("Refreshing workspaces, projects and people…", 4000)
        self._bridge.refreshRequested.emit(True)

    def _on_workspaces(self, loaded: WorkspacesLoaded) -> None:
        self.picker.fill_workspaces(loaded.workspaces, loaded.preferred_id)
        if not loaded.workspaces:
            self.status_panel.setText("Your Toggl account has no workspaces.")

    def _on_workspace_chosen(self, workspace_id: int | None) -> None:
        self.form.fill_assignees([])
        if workspace_id is not None:
            self._bridge.workspaceRequested.emit(workspace_id)

    def _on_workspace_lists(self, lists: WorkspaceLists) -> None:
        if lists.workspace_id != self.picker.workspace_id():
            return  # the user moved on to another workspace meanwhile
        if self.picker.set_lists(lists, self._state.wanted_project):
            self._state.wanted_project = None
        if self.form.fill_assignees(lists.users, self._state.wanted_assignee):
            self._state.wanted_assignee = None
        self._update_submit()
        _freeze_long_lived()

    def _on_load_failed(self, failure: Failure) -> None:
        self.picker.lists_failed()
        if self.picker.has_projects() and failure.offline:
            self.statusBar().showMessage(f"{failure.text} Showing the lists saved earlier.", 10000)
        else:
            self.status_panel.setText(failure.text)
        self._apply_failure_state(failure)

    # --- the task ----------------------------------------------------------------------------

    def _problem(self) -> tuple[str | None, Submission | None]:
        """Why the form cannot be sent (shown beside the button), or what to send."""
        fields_problem, draft = self.form.check(self._state.toggl_says)  # paints the notes
        if self._storage_broken:
            return "The local database cannot be used.", None
        if self._state.pending:
            return "Sending…", None
        problem = self.picker.problem() or fields_problem
        workspace_id, project_id = self.picker.workspace_id(), self.picker.project_id()
        if problem or draft is None or workspace_id is None or project_id is None:
            return problem, None
        label, row = self.picker.label(), self._state.editing_row
        return None, Submission(workspace_id, project_id, draft, label, row)

    def _update_submit(self) -> None:
        problem, _ = self._problem()
        editing = self._state.editing
        self.submit_button.setEnabled(problem is None)
        self.submit_button.setText("Retry task" if editing else "Create task")
        self.new_task_button.setVisible(editing)
        refused = "Editing a task Toggl refused: submit to retry it." if editing else ""
        self.submit_hint.setText(problem or refused)

    def _on_field_edited(self, edited: Field) -> None:
        self._state.edited(edited)
        self._update_submit()

    def _submit(self) -> None:
        problem, submission = self._problem()
        if problem is not None or submission is None:
            return
        # The worker starts saving and sending at once, while this thread updates the form.
        self._bridge.taskSubmitted.emit(submission)
        self._clear_notes()
        self._state.submitted()
        self._update_submit()
        self.status_panel.sending(submission.draft.name)

    def _on_task_created(self, created: TaskCreated) -> None:
        self.status_panel.created(created.task)
        if self._state.settles(created.row.id):
            self._clear_form()

    def _on_task_failed(self, refused: TaskRefused) -> None:
        if refused.row.id != self._state.pending_row:
            self.status_panel.refused_in_background(refused.row, refused.failure)
            return
        # Toggl refused what was just typed: keep it in the form, to fix and retry.
        self._state.refused(refused.row.id)
        self.status_panel.setText(refused.failure.text)
        self._apply_failure_state(refused.failure)
        self._update_submit()

    def _on_task_deferred(self, deferred: TaskDeferred) -> None:
        if not self._state.settles(deferred.row.id):
            return
        self._clear_form()
        self.status_panel.saved_for_later(deferred.row, deferred.failure)
        if deferred.failure.needs_sign_in:
            self.account.open_sign_in()

    def _on_sending_interrupted(self, message: str) -> None:
        """An unexpected error while sending: the task waits in the outbox, not in the form."""
        if not self._state.pending:
            self.statusBar().showMessage(message, 10000)
            return
        self._state.not_sent()
        self._clear_form()
        self.status_panel.setText(message)

    def _on_submit_failed(self, message: str) -> None:
        self._state.not_sent()
        self.status_panel.setText(message + " What you typed is still in the form.")
        self._update_submit()

    def _edit_failed_row(self, row: OutboxRow) -> None:
        """Load a task Toggl refused into the form; submitting retries that same row."""
        self._state.edit(row.id, row.project_id, row.draft.user_id)
        if not self.picker.choose_workspace(row.workspace_id):  # else: lists load, then select
            if self.picker.choose_project(row.project_id):
                self._state.wanted_project = None
            if self.form.fill_assignees(self.form.users(), self._state.wanted_assignee):
                self._state.wanted_assignee = None
        self.form.load(row)
        self.status_panel.setText(f"Toggl refused this task: {row.reason}")
        self._update_submit()

    def _leave_editing(self) -> None:
        """The refused task stays in the outbox; the form is for a new task again."""
        self._state.leave_editing()
        self._clear_notes()
        self._clear_form()

    def _clear_notes(self) -> None:
        for note in (self.picker.note, self.form.name_note, self.form.assignee_note):
            show_note(note, None)

    def _clear_form(self) -> None:
        self.form.clear()
        self._update_submit()

    def _apply_failure_state(self, failure: Failure) -> None:
        notes = {
            Field.WORKSPACE: self.picker.workspace_note,
            Field.PROJECT: self.picker.note,
            Field.ASSIGNEE: self.form.assignee_note,
        }
        if failure.field in (Field.NAME, Field.ESTIMATE):
            self._state.toggl_said(failure.field, failure.text)  # until that field is edited
            self._update_submit()
        elif failure.field is not None:
            show_note(notes[failure.field], failure.text)
        if failure.needs_sign_in:
            self.account.set_signed_in(False)
            self.account.open_sign_in()

    def _on_sync_status(self, status: SyncView) -> None:
        self._pending_count = status.pending
        if status.offline:
            self.network.watch()
        self._set_connection(status.indicator)
        self.account.sign_in_needed(status.sign_in_needed, status.pending)

    # --- chrome ------------------------------------------------------------------------------

    def _set_connection(self, text: str) -> None:
        self.connection_indicator.setText(text)

    def _copy_diagnostics(self) -> None:
        import PySide6

        self._bridge.diagnosticsRequested.emit(PySide6.__version__)

    def _on_diagnostics(self, text: str) -> None:
        QApplication.clipboard().setText(text)
        self.statusBar().showMessage(
            "Diagnostics copied: paste them into your message to support (no token included).",
            8000,
        )

    def _about(self) -> None:
        from desktop.ui.notices import show_about

        show_about(self)

    def shutdown(self) -> None:
        """Stop the worker thread; safe to call more than once."""
        if not self._stopped:
            self._stopped = True
            self._bridge.stop()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.account.close()
        self.shutdown()
        if self._pending_count:
            from desktop.ui.notices import show_quit_notice

            show_quit_notice(self._pending_count)
        super().closeEvent(event)
        self.closed.emit()
