"""The main window: pick a workspace and project, fill in a task, submit, see what Toggl did."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop import APP_NAME, __version__
from desktop.api.models import TaskDraft
from desktop.domain.estimate import EstimateError, format_human, parse_estimate
from desktop.domain.summary import task_summary
from desktop.domain.task_name import TaskNameError, clean_task_name
from desktop.ui.naming import named
from desktop.ui.project_model import ProjectListModel
from desktop.ui.sign_in_dialog import SignInDialog
from desktop.ui.worker import SessionBridge

if TYPE_CHECKING:
    from desktop.api.auth import Credentials
    from desktop.api.models import Me, Project, Task, User, Workspace
    from desktop.messages import Failure
    from desktop.store.settings import Settings

ERROR_STYLE = "color: #b3261e;"
HINT_STYLE = "color: #5f6368;"


def _note(name: str) -> QLabel:
    label = named(QLabel(), name)
    label.setWordWrap(True)
    label.setStyleSheet(ERROR_STYLE)
    label.hide()
    return label


def _action(text: str, parent: QWidget, slot: Callable[[], object]) -> QAction:
    action = QAction(text, parent)
    action.triggered.connect(slot)
    return action


def _show_note(label: QLabel, text: str | None) -> None:
    label.setText(text or "")
    label.setVisible(bool(text))


class MainWindow(QMainWindow):
    def __init__(self, api_url: str, data_dir: Path) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle(APP_NAME)
        self._workspaces: dict[int, Workspace] = {}
        self._settings: Settings | None = None
        self._busy = False
        self._stopped = False
        self._build_form()
        self._build_menus()
        self._sign_in_dialog: SignInDialog | None = None
        self._bridge = SessionBridge(api_url, data_dir, self)
        self._connect_worker()
        self._update_submit()

    # --- construction ------------------------------------------------------------------------

    def _build_form(self) -> None:
        self.workspace_selector = named(QComboBox(), "workspaceSelector")
        self.workspace_note = _note("workspaceNote")

        self.project_model = ProjectListModel()
        self.project_selector = named(QComboBox(), "projectSelector")
        self.project_selector.setModel(self.project_model)
        self.project_selector.setEditable(True)
        self.project_filter = named(QLineEdit(), "projectFilter")
        self.project_selector.setLineEdit(self.project_filter)
        self.project_selector.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.project_filter.setPlaceholderText("Type to filter projects")
        completer = QCompleter(self.project_model, self.project_selector)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.project_selector.setCompleter(completer)
        self.project_note = _note("projectNote")

        self.task_name_edit = named(QLineEdit(), "taskNameEdit")
        self.task_name_edit.setPlaceholderText("What needs doing?")
        self.task_name_note = _note("taskNameNote")

        self.estimate_edit = named(QLineEdit(), "estimateEdit")
        self.estimate_edit.setPlaceholderText("e.g. 1h 30m, 90m, 1.5h, 1:30 (optional)")
        self.estimate_hint = named(QLabel(), "estimateHint")
        self.estimate_hint.setWordWrap(True)

        self.active_check = named(QCheckBox("Open (uncheck to create it as done)"), "activeCheck")
        self.active_check.setChecked(True)

        self.assignee_selector = named(QComboBox(), "assigneeSelector")
        self.assignee_selector.addItem("No assignee", None)
        self.assignee_note = _note("assigneeNote")

        self.submit_button = named(QPushButton("Create task"), "submitButton")
        self.submit_button.setDefault(True)
        self.submit_hint = named(QLabel(), "submitHint")
        self.submit_hint.setStyleSheet(HINT_STYLE)

        form = QFormLayout()
        form.addRow("&Workspace:", self.workspace_selector)
        form.addRow("", self.workspace_note)
        form.addRow("&Project:", self.project_selector)
        form.addRow("", self.project_note)
        form.addRow("Task &name:", self.task_name_edit)
        form.addRow("", self.task_name_note)
        form.addRow("&Estimate:", self.estimate_edit)
        form.addRow("", self.estimate_hint)
        form.addRow("", self.active_check)
        form.addRow("&Assignee:", self.assignee_selector)
        form.addRow("", self.assignee_note)

        buttons = QHBoxLayout()
        buttons.addWidget(self.submit_hint, 1)
        buttons.addWidget(self.submit_button)

        self.status_panel = named(QLabel("Sign in to start."), "statusPanel")
        self.status_panel.setTextFormat(Qt.TextFormat.PlainText)
        self.status_panel.setWordWrap(True)
        self.status_panel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_panel.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.status_panel.setFrameShape(QFrame.Shape.StyledPanel)
        self.status_panel.setMinimumHeight(150)
        self.status_panel.setMargin(8)

        self.outbox_view = named(QListView(), "outboxView")
        self.outbox_box = QGroupBox("Waiting to sync")
        QVBoxLayout(self.outbox_box).addWidget(self.outbox_view)
        self.outbox_box.hide()  # the offline outbox fills it; nothing waits while online-only

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.status_panel, 1)
        layout.addWidget(self.outbox_box)
        self.setCentralWidget(central)

        self.connection_indicator = named(QLabel("Starting…"), "connectionIndicator")
        self.statusBar().addPermanentWidget(self.connection_indicator)
        self.resize(560, 520)

        self.workspace_selector.currentIndexChanged.connect(self._workspace_chosen)
        self.project_selector.currentIndexChanged.connect(self._project_chosen)
        self.project_filter.editingFinished.connect(self._match_typed_project)
        self.project_selector.editTextChanged.connect(self._update_submit)
        self.task_name_edit.textChanged.connect(self._update_submit)
        self.estimate_edit.textChanged.connect(self._update_submit)
        self.task_name_edit.returnPressed.connect(self._submit)
        self.estimate_edit.returnPressed.connect(self._submit)
        self.submit_button.clicked.connect(self._submit)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.sign_in_action = _action("Sign &in…", self, self._open_sign_in)
        self.sign_out_action = _action("Sign &out", self, self._sign_out)
        self.sign_out_action.setEnabled(False)
        quit_action = _action("&Quit", self, self.close)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        for action in (self.sign_in_action, self.sign_out_action):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)

        view_menu = self.menuBar().addMenu("&View")
        self.refresh_action = _action("&Refresh", self, self._refresh)
        self.refresh_action.setShortcut(QKeySequence(Qt.Key.Key_F5))
        self.refresh_action.setEnabled(False)
        view_menu.addAction(self.refresh_action)

        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction(_action(f"&About {APP_NAME}", self, self._about))

    def _connect_worker(self) -> None:
        worker = self._bridge.worker
        worker.sessionRestored.connect(self._on_session_restored)
        worker.signedIn.connect(self._on_signed_in)
        worker.signInFailed.connect(self._on_sign_in_failed)
        worker.signedOut.connect(self._on_signed_out)
        worker.workspacesLoaded.connect(self._on_workspaces_loaded)
        worker.projectsLoaded.connect(self._on_projects_loaded)
        worker.usersLoaded.connect(self._on_users_loaded)
        worker.loadFailed.connect(self._on_load_failed)
        worker.taskCreated.connect(self._on_task_created)
        worker.taskFailed.connect(self._on_task_failed)
        worker.reachedToggl.connect(lambda: self._set_connection("Online"))

    def start(self) -> None:
        """Look for a stored token (on the worker thread) once the window is up."""
        self._bridge.restoreRequested.emit()

    # --- session -----------------------------------------------------------------------------

    def _on_session_restored(self, signed_in: bool, warning: str) -> None:
        if warning:
            self.statusBar().showMessage(warning)
        if signed_in:
            self._set_signed_in(True)
            self._refresh()
        else:
            self._open_sign_in()

    def _open_sign_in(self) -> None:
        self._set_connection("Sign-in needed")
        if self._sign_in_dialog is None:
            self._sign_in_dialog = SignInDialog(self)
            self._sign_in_dialog.credentialsEntered.connect(self._sign_in)
        self._sign_in_dialog.open()

    def _sign_in(self, given: Credentials) -> None:
        self._set_connection("Signing in…")
        self._bridge.signInRequested.emit(given)

    def _on_signed_in(self, me: Me, warning: str) -> None:
        if self._sign_in_dialog is not None:
            self._sign_in_dialog.finish()
        who = me.fullname or me.email
        self.statusBar().showMessage(warning or f"Signed in as {who}.", 0 if warning else 8000)
        self.status_panel.setText(f"Signed in as {who}. Pick a project and describe the task.")
        self._set_signed_in(True)
        self._refresh()

    def _on_sign_in_failed(self, message: str) -> None:
        self._set_connection("Sign-in needed")
        if self._sign_in_dialog is not None:
            self._sign_in_dialog.show_failure(message)

    def _sign_out(self) -> None:
        self._bridge.signOutRequested.emit()

    def _on_signed_out(self, warning: str) -> None:
        self._set_signed_in(False)
        self._workspaces = {}
        self.workspace_selector.clear()
        self.project_model.set_projects([])
        self._fill_assignees([])
        self.status_panel.setText("Signed out. Your token was removed from this computer.")
        if warning:
            self.statusBar().showMessage(warning)
        self._open_sign_in()

    def _set_signed_in(self, signed_in: bool) -> None:
        self.sign_out_action.setEnabled(signed_in)
        self.sign_in_action.setEnabled(not signed_in)
        self.refresh_action.setEnabled(signed_in)
        if not signed_in:
            self._set_connection("Sign-in needed")

    # --- lists -------------------------------------------------------------------------------

    def _refresh(self) -> None:
        self._set_connection("Connecting…")
        self._bridge.workspacesRequested.emit()

    def _on_workspaces_loaded(self, workspaces: list[Workspace], settings: Settings) -> None:
        self._settings = settings
        self._workspaces = {w.id: w for w in workspaces}
        keep = self.workspace_selector.currentData() or settings.workspace_id
        self.workspace_selector.blockSignals(True)
        self.workspace_selector.clear()
        for workspace in sorted(workspaces, key=lambda w: (w.premium is False, w.name.casefold())):
            free = workspace.premium is False
            label = f"{workspace.name} (Free plan)" if free else workspace.name
            self.workspace_selector.addItem(label, workspace.id)
        index = self.workspace_selector.findData(keep) if keep is not None else -1
        self.workspace_selector.setCurrentIndex(max(index, 0) if workspaces else -1)
        self.workspace_selector.blockSignals(False)
        if not workspaces:
            self.status_panel.setText("Your Toggl account has no workspaces.")
        self._workspace_chosen()

    def _workspace_chosen(self) -> None:
        workspace_id = self.workspace_selector.currentData()
        workspace = self._workspaces.get(workspace_id) if workspace_id is not None else None
        self.project_model.set_projects([])
        self._fill_assignees([])
        _show_note(
            self.workspace_note,
            None
            if workspace is None or workspace.premium is not False
            else f"{workspace.name} is on Toggl's Free plan: tasks need a paid plan "
            "(Starter or higher). Pick another workspace or upgrade it in Toggl.",
        )
        self._update_submit()
        if workspace is not None:
            self.project_filter.setPlaceholderText("Loading projects…")
            self._bridge.workspaceDataRequested.emit(workspace.id)
            self._bridge.selectionChanged.emit(workspace.id, None)

    def _on_projects_loaded(self, workspace_id: int, projects: list[Project]) -> None:
        if workspace_id != self.workspace_selector.currentData():
            return  # the user moved on to another workspace meanwhile
        self.project_selector.blockSignals(True)
        self.project_model.set_projects(projects)
        last = self._settings.last_project(workspace_id) if self._settings else None
        row = self.project_model.row_of(last) if last is not None else -1
        self.project_selector.setCurrentIndex(row)
        if row < 0:
            self.project_selector.setEditText("")
        self.project_selector.blockSignals(False)
        self.project_filter.setPlaceholderText(
            "Type to filter projects" if projects else "This workspace has no active projects"
        )
        self._update_submit()

    def _on_users_loaded(self, workspace_id: int, users: list[User]) -> None:
        if workspace_id == self.workspace_selector.currentData():
            self._fill_assignees(users)

    def _fill_assignees(self, users: list[User]) -> None:
        keep = self.assignee_selector.currentData()
        self.assignee_selector.blockSignals(True)
        self.assignee_selector.clear()
        self.assignee_selector.addItem("No assignee", None)
        for user in sorted(users, key=lambda u: u.label.casefold()):
            self.assignee_selector.addItem(user.label, user.id)
        self.assignee_selector.setCurrentIndex(max(0, self.assignee_selector.findData(keep)))
        self.assignee_selector.blockSignals(False)

    def _project_chosen(self) -> None:
        _show_note(self.project_note, None)
        project_id = self._selected_project_id()
        workspace_id = self.workspace_selector.currentData()
        if project_id is not None and workspace_id is not None:
            if self._settings is not None:
                self._settings.project_by_workspace[workspace_id] = project_id
            self._bridge.selectionChanged.emit(workspace_id, project_id)
        self._update_submit()

    def _match_typed_project(self) -> None:
        """Typed text naming exactly one project selects it (Enter in the filter, or Tab)."""
        text = self.project_selector.currentText().strip().casefold()
        if not text or self._selected_project_id() is not None:
            return
        rows = [
            row
            for row in range(self.project_model.rowCount())
            if text in self.project_selector.itemText(row).casefold()
        ]
        if len(rows) == 1:
            self.project_selector.setCurrentIndex(rows[0])

    def _selected_project_id(self) -> int | None:
        selector = self.project_selector
        index = selector.currentIndex()
        if index < 0 or selector.currentText() != selector.itemText(index):
            return None  # the filter holds typed text that is not a project
        project_id: int | None = selector.itemData(index)
        return project_id

    def _on_load_failed(self, failure: Failure) -> None:
        self.project_filter.setPlaceholderText("Type to filter projects")
        self.status_panel.setText(failure.text)
        self._apply_failure_state(failure)

    # --- the task form -----------------------------------------------------------------------

    def _form_problem(self) -> tuple[str | None, TaskDraft | None]:
        """Why the form cannot be sent (shown beside the button), or the draft to send."""
        workspace = self._workspaces.get(self.workspace_selector.currentData() or 0)
        name_error = estimate_error = None
        name = ""
        estimate: int | None = None
        try:
            name = clean_task_name(self.task_name_edit.text())
        except TaskNameError as exc:
            name_error = str(exc)
        try:
            estimate = parse_estimate(self.estimate_edit.text())
        except EstimateError as exc:
            estimate_error = str(exc)
        typed_name = bool(self.task_name_edit.text())
        _show_note(self.task_name_note, name_error if typed_name else None)
        if estimate_error:
            self.estimate_hint.setStyleSheet(ERROR_STYLE)
            self.estimate_hint.setText(estimate_error)
        else:
            self.estimate_hint.setStyleSheet(HINT_STYLE)
            understood = f"Understood as {format_human(estimate)}." if estimate is not None else ""
            self.estimate_hint.setText(understood or "No estimate.")
        if self._busy:
            return "Creating the task…", None
        if workspace is None:
            return "Pick a workspace.", None
        if workspace.premium is False:
            return "Tasks need a paid plan in this workspace.", None
        if self._selected_project_id() is None:
            return "Pick a project from the list.", None
        if name_error:
            return ("Fix the task name." if typed_name else "Name the task."), None
        if estimate_error:
            return "Fix the estimate.", None
        draft = TaskDraft(
            name=name,
            active=self.active_check.isChecked(),
            estimated_seconds=estimate,
            user_id=self.assignee_selector.currentData(),
        )
        return None, draft

    def _update_submit(self) -> None:
        problem, _ = self._form_problem()
        self.submit_button.setEnabled(problem is None)
        self.submit_hint.setText(problem or "")

    def _submit(self) -> None:
        problem, draft = self._form_problem()
        if problem is not None or draft is None:
            return
        workspace_id = self.workspace_selector.currentData()
        project_id = self._selected_project_id()
        self._busy = True
        self._update_submit()
        for note in (self.project_note, self.task_name_note, self.assignee_note):
            _show_note(note, None)
        self.status_panel.setText(f"Creating “{draft.name}” in Toggl…")
        self._bridge.taskRequested.emit(workspace_id, project_id, draft)

    def _on_task_created(self, task: Task) -> None:
        self._busy = False
        self.status_panel.setText(task_summary(task))
        self.task_name_edit.clear()
        self.estimate_edit.clear()
        self.task_name_edit.setFocus()
        self._update_submit()

    def _on_task_failed(self, failure: Failure) -> None:
        self._busy = False
        self.status_panel.setText(failure.text)
        self._apply_failure_state(failure)
        self._update_submit()

    def _apply_failure_state(self, failure: Failure) -> None:
        from desktop.messages import Field

        notes = {
            Field.WORKSPACE: self.workspace_note,
            Field.PROJECT: self.project_note,
            Field.NAME: self.task_name_note,
            Field.ASSIGNEE: self.assignee_note,
        }
        if failure.field is Field.ESTIMATE:
            self.estimate_hint.setStyleSheet(ERROR_STYLE)
            self.estimate_hint.setText(failure.text)
        elif failure.field is not None:
            _show_note(notes[failure.field], failure.text)
        if failure.needs_sign_in:
            self._set_signed_in(False)
            self._open_sign_in()
        elif failure.offline:
            self._set_connection("Offline")
        else:
            self._set_connection("Online")

    # --- chrome ------------------------------------------------------------------------------

    def _set_connection(self, text: str) -> None:
        self.connection_indicator.setText(text)

    def _about(self) -> None:
        QMessageBox.about(
            self,
            f"About {APP_NAME}",
            f"{APP_NAME} {__version__}\nCreate tasks in your Toggl Track projects.",
        )

    def shutdown(self) -> None:
        """Stop the worker thread; safe to call more than once."""
        if not self._stopped:
            self._stopped = True
            self._bridge.stop()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._sign_in_dialog is not None:
            self._sign_in_dialog.close()
        self.shutdown()
        super().closeEvent(event)
