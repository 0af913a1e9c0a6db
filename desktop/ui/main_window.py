"""The main window: pick a workspace and project, fill in a task, submit, see what Toggl did."""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QCompleter,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop import APP_NAME, __version__
from desktop.api.models import TaskDraft
from desktop.domain.display import isolate
from desktop.domain.estimate import EstimateError, format_human, parse_estimate
from desktop.domain.project_choices import ProjectChoices
from desktop.domain.task_name import TaskNameError, clean_task_name
from desktop.messages import Field
from desktop.ui.naming import named
from desktop.ui.outbox_panel import OutboxPanel
from desktop.ui.project_model import ProjectListModel, ProjectMatches
from desktop.ui.qt_values import ALIGN_TOP_LEFT, PLAIN_TEXT, SELECTABLE_BY_MOUSE
from desktop.ui.worker import SessionBridge

if TYPE_CHECKING:
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtGui import QCloseEvent

    from desktop.api.auth import Credentials
    from desktop.api.models import Me, Task, User, Workspace
    from desktop.messages import Failure
    from desktop.session import Snapshot, WorkspaceLists
    from desktop.store.outbox import OutboxRow
    from desktop.sync.engine import SyncStatus
    from desktop.ui.sign_in_banner import SignInBanner
    from desktop.ui.sign_in_dialog import SignInDialog

ERROR_STYLE = "color: #b3261e;"
QUIT_NOTICE_MS = 2500
BENCH_PAINT_ENV = "TASK_DESK_BENCH_EXIT_AFTER_PAINT"
READY_TEXT = "Pick a project and describe the task."
START_TEXT = "Sign in to start."
HINT_STYLE = "color: #5f6368;"


def _freeze_long_lived() -> None:
    """Exempt what lives now (modules, widgets, loaded lists) from cyclic garbage collection.

    A full collection walks every tracked object with the GIL held: 50-90 ms with this app's
    imports and 10,000 projects, a visible stall on the UI thread. Reference counting still
    frees these objects when they are dropped; only cycles among them would be kept.
    """
    gc.freeze()


def _plain_label(name: str, text: str = "") -> QLabel:
    """A label that shows its text literally: QLabel's default (Qt.AutoText) would render a
    Toggl message or a project name that looks like HTML as rich text, links and images too."""
    label = named(QLabel(text), name)
    label.setProperty("textFormat", PLAIN_TEXT)  # by name: see desktop.ui.qt_values
    return label


def _note(name: str) -> QLabel:
    label = _plain_label(name)
    label.setWordWrap(True)
    label.setStyleSheet(ERROR_STYLE)
    label.hide()
    return label


def _action(text: str, parent: QWidget, slot: Callable[[], object]) -> QAction:
    action = QAction(parent)  # not QAction(text, parent): resolving that overload costs ~5 ms
    action.setText(text)
    action.triggered.connect(slot)
    return action


def _set_style(widget: QWidget, style: str) -> None:
    """Only when it changes: each setStyleSheet re-polishes the widget (this runs per keystroke)."""
    if widget.styleSheet() != style:
        widget.setStyleSheet(style)


def _show_note(label: QLabel, text: str | None) -> None:
    label.setText(text or "")
    label.setVisible(bool(text))


class MainWindow(QMainWindow):
    closed = Signal()

    def __init__(self, api_url: str, data_dir: Path, folder_notice: str | None = None) -> None:
        """`folder_notice`: what preparing the data folder found and fixed, to be said."""
        super().__init__()
        self._folder_notice = folder_notice
        self.setObjectName("mainWindow")
        self.setWindowTitle(APP_NAME)
        self._workspaces: dict[int, Workspace] = {}
        self._pending_row: int | None = None
        """The outbox row just submitted, until its first outcome (created, refused, deferred)."""
        self._editing_row: int | None = None
        """A row Toggl refused, loaded into the form: submitting retries it."""
        self._wanted_project: int | None = None
        self._wanted_assignee: int | None = None
        self._pending_count = 0
        self._toggl_says: dict[Field, str] = {}
        """Toggl's word on a field, shown beside it until the user edits that field."""
        self._storage_broken = False
        self._account_expected = False
        """Signed in as far as the user knows: Toggl refusing the token then is news to them."""
        self._sign_in_banner: SignInBanner | None = None
        self._stopped = False
        self._watching_network = False
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
        # Thousands of projects: the combo never measures every row, its views lay out rows of
        # one height, and the completer shows a list filtered in Python in one pass.
        self.project_selector.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.project_selector.setMinimumContentsLength(24)
        combo_view = self.project_selector.view()
        if isinstance(combo_view, QListView):
            combo_view.setUniformItemSizes(True)
        self.project_matches = ProjectMatches(self.project_model)
        completer = QCompleter(self.project_matches.model, self.project_filter)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        completer.setMaxVisibleItems(12)
        popup = completer.popup()
        if isinstance(popup, QListView):
            popup.setUniformItemSizes(True)
        completer.activated[QModelIndex].connect(  # type: ignore[index]
            self._project_completed
        )
        self.project_filter.setCompleter(completer)
        self.project_filter.textEdited.connect(self.project_matches.set_filter)
        self.project_note = _note("projectNote")

        self.task_name_edit = named(QLineEdit(), "taskNameEdit")
        self.task_name_edit.setPlaceholderText("What needs doing?")
        self.task_name_note = _note("taskNameNote")

        self.estimate_edit = named(QLineEdit(), "estimateEdit")
        self.estimate_edit.setPlaceholderText("e.g. 1h 30m, 90m, 1.5h, 1:30 (optional)")
        self.estimate_hint = _plain_label("estimateHint")
        self.estimate_hint.setWordWrap(True)

        self.active_check = named(QCheckBox("Open (uncheck to create it as done)"), "activeCheck")
        self.active_check.setChecked(True)

        self.assignee_selector = named(QComboBox(), "assigneeSelector")
        self.assignee_selector.addItem("No assignee", None)
        self.assignee_note = _note("assigneeNote")

        self.submit_button = named(QPushButton("Create task"), "submitButton")
        self.new_task_button = named(QPushButton("New task"), "newTaskButton")
        self.new_task_button.setToolTip("Leave the refused task in the outbox and start a new one")
        self.new_task_button.hide()
        self.submit_button.setDefault(True)
        self.submit_hint = _plain_label("submitHint")
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
        buttons.addWidget(self.new_task_button)
        buttons.addWidget(self.submit_button)

        self.status_panel = _plain_label("statusPanel", START_TEXT)
        # By property name, as ints: the first paint never reads `Qt` (see qt_values).
        self.status_panel.setWordWrap(True)
        self.status_panel.setProperty("textInteractionFlags", SELECTABLE_BY_MOUSE)
        self.status_panel.setProperty("alignment", ALIGN_TOP_LEFT)
        self.status_panel.setFrameShape(QFrame.Shape.StyledPanel)
        self.status_panel.setMinimumHeight(120)
        self.status_panel.setMargin(8)

        self.outbox_panel = OutboxPanel()

        central = QWidget()
        layout = QVBoxLayout(central)
        self._central_layout = layout
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.status_panel, 2)
        layout.addWidget(self.outbox_panel, 3)
        self.setCentralWidget(central)

        self.connection_indicator = _plain_label("connectionIndicator", "Starting…")
        self.statusBar().addPermanentWidget(self.connection_indicator)
        self.resize(560, 520)

        self.workspace_selector.currentIndexChanged.connect(self._workspace_chosen)
        self.project_selector.currentIndexChanged.connect(self._project_chosen)
        self.project_filter.editingFinished.connect(self._match_typed_project)
        self.project_selector.editTextChanged.connect(self._project_text_edited)
        self.task_name_edit.textChanged.connect(self._name_edited)
        self.estimate_edit.textChanged.connect(self._estimate_edited)
        self.task_name_edit.returnPressed.connect(self._submit)
        self.estimate_edit.returnPressed.connect(self._submit)
        self.submit_button.clicked.connect(self._submit)
        self.new_task_button.clicked.connect(self._leave_editing)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.sign_in_action = _action("Sign &in…", self, self._open_sign_in)
        self.sign_out_action = _action("Sign &out", self, self._sign_out)
        self.sign_out_action.setEnabled(False)
        quit_action = _action("&Quit", self, self.close)
        quit_action.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.Quit))
        for action in (self.sign_in_action, self.sign_out_action):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)

        view_menu = self.menuBar().addMenu("&View")
        self.refresh_action = _action("&Refresh", self, self._refresh)
        self.refresh_action.setShortcuts([QKeySequence("F5")])
        self.refresh_action.setEnabled(False)
        view_menu.addAction(self.refresh_action)

        help_menu = self.menuBar().addMenu("&Help")
        self.diagnostics_action = _action("&Copy diagnostics", self, self._copy_diagnostics)
        self.diagnostics_action.setObjectName("copyDiagnosticsAction")
        help_menu.addAction(self.diagnostics_action)
        help_menu.addAction(_action(f"&About {APP_NAME}", self, self._about))

    def _connect_worker(self) -> None:
        worker = self._bridge.worker
        worker.snapshotLoaded.connect(self._on_snapshot)
        worker.storageFailed.connect(self._on_storage_failed)
        worker.sessionRestored.connect(self._on_session_restored)
        worker.signedIn.connect(self._on_signed_in)
        worker.signInFailed.connect(self._on_sign_in_failed)
        worker.signedOut.connect(self._on_signed_out)
        worker.workspacesLoaded.connect(self._fill_workspaces)
        worker.workspaceListsLoaded.connect(self._on_workspace_lists)
        worker.loadFailed.connect(self._on_load_failed)
        worker.taskQueued.connect(self._on_task_queued)
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
        self.outbox_panel.discardConfirmed.connect(self._bridge.discardRequested)

    def start(self) -> None:
        """Open the store on the worker thread; the cached lists come back for the first paint."""
        self._bridge.startRequested.emit()

    def _watch_network(self) -> None:
        """Once offline: where the platform reports reachability, a returning network wakes the
        sync at once; elsewhere the engine's probe notices it. Not before: the watch loads
        QtNetwork and its backend (two threads, D-Bus; some 6 MB) that an online app never needs.
        """
        if self._watching_network:
            return
        self._watching_network = True
        from PySide6.QtNetwork import QNetworkInformation

        if not QNetworkInformation.loadBackendByFeatures(QNetworkInformation.Feature.Reachability):
            return
        info = QNetworkInformation.instance()
        if info is not None:
            info.reachabilityChanged.connect(self._on_reachability)

    def _on_reachability(self, reachability: object) -> None:
        from PySide6.QtNetwork import QNetworkInformation

        if reachability == QNetworkInformation.Reachability.Online:
            self._bridge.networkReturned.emit()

    # --- session -----------------------------------------------------------------------------

    def _on_snapshot(self, snapshot: Snapshot) -> None:
        """The cached lists and the outbox, before (and without) any request."""
        self.outbox_panel.set_rows(snapshot.outbox)
        notice = " ".join(filter(None, (self._folder_notice, snapshot.storage_notice)))
        if notice:
            from PySide6.QtWidgets import QMessageBox  # rarely needed: not loaded up front

            self.status_panel.setText(notice)
            box = QMessageBox(
                QMessageBox.Icon.Warning,
                APP_NAME,
                notice,
                QMessageBox.StandardButton.Ok,
                self,
            )
            box.setObjectName("storageNotice")
            box.setProperty("textFormat", PLAIN_TEXT)  # it names folders: shown literally
            box.finished.connect(box.deleteLater)
            box.open()
        if snapshot.workspaces:
            self._fill_workspaces(snapshot.workspaces, snapshot.preferred_workspace_id)
            if snapshot.lists is not None:
                self._on_workspace_lists(snapshot.lists)
        if os.environ.get(BENCH_PAINT_ENV) == "1":
            QTimer.singleShot(0, self._report_painted)
        else:
            QTimer.singleShot(0, self._after_first_paint)

    def _after_first_paint(self) -> None:
        """What the first paint need not wait for: the keyring, then what is stale or queued."""
        self._bridge.restoreRequested.emit()
        # Filtering events reads QEvent.Type, a Python enum PySide6 builds on first use (~6 ms).
        self.project_filter.installEventFilter(self)

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
        self._account_expected = signed_in
        self._set_signed_in(signed_in)
        if not signed_in:
            self._open_sign_in()
        elif self.status_panel.text() == START_TEXT:
            self.status_panel.setText(READY_TEXT)
        _freeze_long_lived()  # the worker's imports (httpx, keyring) are done by now

    def _open_sign_in(self) -> None:
        self._set_connection("Sign-in needed")
        if self._sign_in_dialog is None:
            from desktop.ui.sign_in_dialog import SignInDialog  # not needed for the first paint

            self._sign_in_dialog = SignInDialog(self)
            self._sign_in_dialog.credentialsEntered.connect(self._sign_in)
        if not self._sign_in_dialog.isVisible():
            self._sign_in_dialog.open()

    def _sign_in(self, given: Credentials) -> None:
        self._set_connection("Signing in…")
        self._bridge.signInRequested.emit(given)

    def _on_signed_in(self, me: Me, warning: str) -> None:
        if self._sign_in_dialog is not None:
            self._sign_in_dialog.finish()
        who = isolate(me.fullname or me.email)
        self.statusBar().showMessage(warning or f"Signed in as {who}.", 0 if warning else 8000)
        self.status_panel.setText(f"Signed in as {who}. {READY_TEXT}")
        self._account_expected = True
        self._set_signed_in(True)

    def _on_sign_in_failed(self, message: str) -> None:
        if self._sign_in_dialog is not None:
            self._sign_in_dialog.show_failure(message)

    def _sign_out(self) -> None:
        self._bridge.signOutRequested.emit()

    def _on_signed_out(self, warning: str) -> None:
        self._account_expected = False
        self._set_signed_in(False)
        self._workspaces = {}
        self.workspace_selector.clear()
        self.project_model.set_projects(ProjectChoices())
        self._fill_assignees([])
        self.status_panel.setText(
            "Signed out. Your token and cached lists were removed from this computer; "
            "tasks waiting in the outbox are kept."
        )
        if warning:
            self.statusBar().showMessage(warning)
        self._open_sign_in()

    def _set_signed_in(self, signed_in: bool) -> None:
        self.sign_out_action.setEnabled(signed_in)
        self.sign_in_action.setEnabled(not signed_in)
        self.refresh_action.setEnabled(signed_in)

    # --- lists -------------------------------------------------------------------------------

    def _refresh(self) -> None:
        self.statusBar().showMessage("Refreshing workspaces, projects and people…", 4000)
        self._bridge.refreshRequested.emit(True)

    def _fill_workspaces(self, workspaces: list[Workspace], preferred: int | None = None) -> None:
        self._workspaces = {w.id: w for w in workspaces}
        keep = self.workspace_selector.currentData()
        if keep is None:
            keep = preferred
        self.workspace_selector.blockSignals(True)
        self.workspace_selector.clear()
        for workspace in sorted(workspaces, key=lambda w: (w.premium is False, w.name.casefold())):
            free = workspace.premium is False
            name = isolate(workspace.name)
            label = f"{name} (Free plan)" if free else name
            self.workspace_selector.addItem(label, workspace.id)
        index = self.workspace_selector.findData(keep) if keep is not None else -1
        self.workspace_selector.setCurrentIndex(max(index, 0) if workspaces else -1)
        self.workspace_selector.blockSignals(False)
        if not workspaces:
            self.status_panel.setText("Your Toggl account has no workspaces.")
        self._show_workspace_note()
        if self.workspace_selector.currentData() != keep:
            self._workspace_chosen()

    def _workspace_chosen(self) -> None:
        workspace_id = self.workspace_selector.currentData()
        self.project_model.set_projects(ProjectChoices())
        self._fill_assignees([])
        self._show_workspace_note()
        self._update_submit()
        if workspace_id is not None:
            self.project_filter.setPlaceholderText("Loading projects…")
            self._bridge.workspaceRequested.emit(workspace_id)

    def _show_workspace_note(self) -> None:
        workspace = self._workspaces.get(self.workspace_selector.currentData() or 0)
        free = workspace is not None and workspace.premium is False
        _show_note(
            self.workspace_note,
            f"{isolate(workspace.name)} is on Toggl's Free plan: tasks need a paid plan "
            "(Starter or higher). Pick another workspace or upgrade it in Toggl."
            if workspace is not None and free
            else None,
        )

    def _on_workspace_lists(self, lists: WorkspaceLists) -> None:
        if lists.workspace_id != self.workspace_selector.currentData():
            return  # the user moved on to another workspace meanwhile
        keep = self._wanted_project or self._selected_project_id() or lists.preferred_project_id
        self.project_selector.blockSignals(True)
        self.project_model.set_projects(lists.projects)
        row = self.project_model.row_of(keep) if keep is not None else -1
        self.project_selector.setCurrentIndex(row)
        if row < 0:
            self.project_selector.setEditText("")
        else:
            self._wanted_project = None
        self.project_selector.blockSignals(False)
        self.project_filter.setPlaceholderText(
            "Type to filter projects" if lists.projects else "This workspace has no active projects"
        )
        self._fill_assignees(lists.users)
        self._update_submit()
        _freeze_long_lived()

    def _fill_assignees(self, users: list[User]) -> None:
        keep = self._wanted_assignee or self.assignee_selector.currentData()
        self.assignee_selector.blockSignals(True)
        self.assignee_selector.clear()
        self.assignee_selector.addItem("No assignee", None)
        for user in sorted(users, key=lambda u: u.label.casefold()):
            self.assignee_selector.addItem(user.label, user.id)
        index = self.assignee_selector.findData(keep) if keep is not None else -1
        self.assignee_selector.setCurrentIndex(max(0, index))
        if index > 0:
            self._wanted_assignee = None
        self.assignee_selector.blockSignals(False)

    def _project_chosen(self) -> None:
        _show_note(self.project_note, None)
        project_id = self._selected_project_id()
        workspace_id = self.workspace_selector.currentData()
        if project_id is not None and workspace_id is not None:
            self._bridge.selectionChanged.emit(workspace_id, project_id)
        self._update_submit()

    def _project_completed(self, index: QModelIndex) -> None:
        project_id = self.project_matches.project_id(index.row())
        row = self.project_model.row_of(project_id) if project_id is not None else -1
        if row >= 0:
            self.project_selector.setCurrentIndex(row)

    def _project_text_edited(self, text: str) -> None:
        """Typing a project's whole label selects it at once, whatever happens to focus next."""
        if self._selected_project_id() is None and text.strip():
            row = self.project_model.row_of_label(text.strip())
            if row >= 0:
                self.project_selector.setCurrentIndex(row)
        self._update_submit()

    def _match_typed_project(self) -> None:
        """Typed text naming one project selects it (on Enter, Tab or leaving the field):
        an exact name or label first, else the only project containing the text."""
        text = self.project_selector.currentText().strip().casefold()
        if not text or self._selected_project_id() is not None:
            return
        row = self.project_model.match_text(text)
        if row >= 0:
            self.project_selector.setCurrentIndex(row)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        from PySide6.QtCore import QEvent  # its class, with its enums, loads after the paint

        if watched is self.project_filter and event.type() == QEvent.Type.FocusOut:
            self._match_typed_project()
        return super().eventFilter(watched, event)

    def _selected_project_id(self) -> int | None:
        selector = self.project_selector
        index = selector.currentIndex()
        if index < 0 or selector.currentText() != selector.itemText(index):
            return None  # the filter holds typed text that is not a project
        project_id: int | None = selector.itemData(index)
        return project_id

    def _on_load_failed(self, failure: Failure) -> None:
        self.project_filter.setPlaceholderText("Type to filter projects")
        if self.project_model.rowCount() and failure.offline:
            self.statusBar().showMessage(f"{failure.text} Showing the lists saved earlier.", 10000)
        else:
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
        _show_note(
            self.task_name_note,
            (name_error if typed_name else None) or self._toggl_says.get(Field.NAME),
        )
        estimate_error = estimate_error or self._toggl_says.get(Field.ESTIMATE)
        if estimate_error:
            _set_style(self.estimate_hint, ERROR_STYLE)
            self.estimate_hint.setText(estimate_error)
        else:
            _set_style(self.estimate_hint, HINT_STYLE)
            understood = f"Understood as {format_human(estimate)}." if estimate is not None else ""
            self.estimate_hint.setText(understood or "No estimate.")
        if self._storage_broken:
            return "The local database cannot be used.", None
        if self._pending_row is not None:
            return "Sending…", None
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

    def _name_edited(self) -> None:
        self._toggl_says.pop(Field.NAME, None)
        self._update_submit()

    def _estimate_edited(self) -> None:
        self._toggl_says.pop(Field.ESTIMATE, None)
        self._update_submit()

    def _update_submit(self) -> None:
        problem, _ = self._form_problem()
        self.submit_button.setEnabled(problem is None)
        editing = self._editing_row is not None
        self.submit_button.setText("Retry task" if editing else "Create task")
        self.new_task_button.setVisible(editing)
        hint = problem or (
            "Editing a task Toggl refused: submit to retry it."
            if self._editing_row is not None
            else ""
        )
        self.submit_hint.setText(hint)

    def _submit(self) -> None:
        problem, draft = self._form_problem()
        if problem is not None or draft is None:
            return
        workspace_id = self.workspace_selector.currentData()
        project_id = self._selected_project_id()
        label = self.project_selector.currentText()
        # The worker starts saving and sending at once, while this thread updates the form.
        if self._editing_row is not None:
            self._bridge.retryRequested.emit(
                self._editing_row, workspace_id, project_id, draft, label
            )
        else:
            self._bridge.taskSubmitted.emit(workspace_id, project_id, draft, label)
        for note in (self.project_note, self.task_name_note, self.assignee_note):
            _show_note(note, None)
        self._toggl_says.clear()
        self._pending_row = -1  # until the worker says which outbox row holds it
        self._update_submit()
        self.status_panel.setText(f"Sending “{isolate(draft.name)}” to Toggl…")

    def _on_task_queued(self, row: OutboxRow) -> None:
        self._pending_row = row.id
        self._editing_row = None

    def _on_task_created(self, row: OutboxRow, task: Task) -> None:
        from desktop.domain.summary import task_summary  # with datetime, after the first paint

        self.status_panel.setText(task_summary(task))
        if row.id == self._pending_row:
            self._pending_row = None
            self._clear_form()

    def _on_task_failed(self, row: OutboxRow, failure: Failure) -> None:
        if row.id == self._pending_row:
            # Toggl refused what was just typed: keep it in the form, to fix and retry.
            self._pending_row = None
            self._editing_row = row.id
            self.status_panel.setText(failure.text)
            self._apply_failure_state(failure)
            self._update_submit()
        else:
            self.status_panel.setText(
                f"Toggl refused “{isolate(row.draft.name)}”: {failure.text} "
                "It waits in the outbox below, to edit and retry or discard."
            )

    def _on_task_deferred(self, row: OutboxRow, failure: Failure) -> None:
        if row.id != self._pending_row:
            return
        self._pending_row = None
        self._clear_form()
        self.status_panel.setText(
            f"Saved “{isolate(row.draft.name)}” in the outbox. {failure.text}"
        )
        if failure.needs_sign_in:
            self._open_sign_in()

    def _on_sending_interrupted(self, message: str) -> None:
        """An unexpected error while sending: the task waits in the outbox, not in the form."""
        if self._pending_row is None:
            self.statusBar().showMessage(message, 10000)
            return
        self._pending_row = None
        self._clear_form()
        self.status_panel.setText(message)

    def _on_submit_failed(self, message: str) -> None:
        self._pending_row = None
        self.status_panel.setText(message + " What you typed is still in the form.")
        self._update_submit()

    def _edit_failed_row(self, row: OutboxRow) -> None:
        """Load a task Toggl refused into the form; submitting retries that same row."""
        self._editing_row = row.id
        self._wanted_project = row.project_id
        self._wanted_assignee = row.draft.user_id
        index = self.workspace_selector.findData(row.workspace_id)
        if index >= 0 and index != self.workspace_selector.currentIndex():
            self.workspace_selector.setCurrentIndex(index)  # lists load, then select the project
        else:
            project_row = self.project_model.row_of(row.project_id)
            if project_row >= 0:
                self.project_selector.setCurrentIndex(project_row)
                self._wanted_project = None
            self._fill_assignees(self._current_users())
        self.task_name_edit.setText(row.draft.name)
        estimate = row.draft.estimated_seconds
        self.estimate_edit.setText("" if estimate is None else format_human(estimate))
        self.active_check.setChecked(row.draft.active)
        self.status_panel.setText(f"Toggl refused this task: {row.reason}")
        self.task_name_edit.setFocus()
        self._update_submit()

    def _current_users(self) -> list[User]:
        from desktop.api.models import User

        return [
            User(id=self.assignee_selector.itemData(i), fullname=self.assignee_selector.itemText(i))
            for i in range(1, self.assignee_selector.count())
        ]

    def _leave_editing(self) -> None:
        """The refused task stays in the outbox; the form is for a new task again."""
        self._editing_row = None
        self._toggl_says.clear()
        for note in (self.project_note, self.task_name_note, self.assignee_note):
            _show_note(note, None)
        self._clear_form()

    def _clear_form(self) -> None:
        self.task_name_edit.clear()
        self.estimate_edit.clear()
        self.task_name_edit.setFocus()
        self._update_submit()

    def _apply_failure_state(self, failure: Failure) -> None:
        notes = {
            Field.WORKSPACE: self.workspace_note,
            Field.PROJECT: self.project_note,
            Field.ASSIGNEE: self.assignee_note,
        }
        if failure.field in (Field.NAME, Field.ESTIMATE):
            self._toggl_says[failure.field] = failure.text  # shown until that field is edited
            self._update_submit()
        elif failure.field is not None:
            _show_note(notes[failure.field], failure.text)
        if failure.needs_sign_in:
            self._set_signed_in(False)
            self._open_sign_in()

    def _on_sync_status(self, status: SyncStatus) -> None:
        from desktop.sync.engine import Connection
        from desktop.sync.status import indicator_text

        self._pending_count = status.pending
        if status.connection is Connection.OFFLINE:
            self._watch_network()
        self._set_connection(indicator_text(status))
        if status.sign_in_needed:
            self._set_signed_in(False)
        if status.sign_in_needed and self._account_expected:
            self._show_sign_in_banner(status.pending)
        elif self._sign_in_banner is not None:
            self._sign_in_banner.hide()

    def _show_sign_in_banner(self, queued: int) -> None:
        """Toggl stopped accepting the token (revoked, reset): the outbox is paused, not parked,
        until the user signs in again; the banner says so for as long as it lasts."""
        if self._sign_in_banner is None:
            from desktop.ui.sign_in_banner import SignInBanner  # rarely needed: built on demand

            self._sign_in_banner = SignInBanner()
            self._sign_in_banner.signInRequested.connect(self._open_sign_in)
            self._central_layout.insertWidget(0, self._sign_in_banner)
        self._sign_in_banner.show_queued(queued)

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
        from PySide6.QtWidgets import QMessageBox

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
        if self._pending_count:
            show_quit_notice(self._pending_count)
        super().closeEvent(event)
        self.closed.emit()


def show_quit_notice(pending: int) -> None:
    """Say, as the window closes, that queued tasks are kept; it closes itself shortly."""
    from PySide6.QtCore import Qt  # not before the first paint: see desktop.ui.qt_values

    tasks = f"{pending} task{'s' if pending != 1 else ''}"
    notice = _plain_label(
        "quitNotice",
        f"{tasks} not yet sent to Toggl {'are' if pending != 1 else 'is'} kept safely and "
        "will be sent the next time you open Task Desk.",
    )
    notice.setWindowTitle(APP_NAME)
    notice.setWordWrap(True)
    notice.setMargin(16)
    notice.setMinimumWidth(360)
    notice.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    _open_notices.add(notice)  # a parentless widget lives only while Python holds it
    notice.destroyed.connect(_open_notices.clear)
    notice.show()
    QTimer.singleShot(QUIT_NOTICE_MS, notice.close)


_open_notices: set[QLabel] = set()
