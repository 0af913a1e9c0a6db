"""The chosen project's tasks: a filter box, "Show done", the list (name, estimate, time tracked
with its bar, assignee, open or done, and what waits to sync), and the actions on the selected
rows: mark done, reopen, edit, delete, and settle a conflict.

Shown from the cache as soon as a project is chosen, then refreshed when stale (F5 forces it);
the worker side is desktop.ui.task_actions. Enum values are ints set by property name where
the pane is built: it is part of the first paint (see desktop.ui.qt_values)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMenu,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desktop.api.models import TaskChanges
from desktop.domain.display import isolate
from desktop.task_lines import TaskLine
from desktop.ui.naming import named
from desktop.ui.task_bar import TrackedBarDelegate
from desktop.ui.task_model import ASSIGNEE, ESTIMATE, NAME, STATUS, TRACKED, TaskTableModel
from desktop.ui.task_rows import empty_rows, summary
from desktop.ui.widgets import action, plain_label

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtCore import QAbstractItemModel
    from PySide6.QtGui import QAction, QPaintEvent, QResizeEvent

    from desktop.session_rows import OutboxRow
    from desktop.ui.bridge import SessionBridge
    from desktop.ui.main_window import MainWindow
    from desktop.ui.payloads import Submission, TaskCreated
    from desktop.ui.project_picker import ProjectPicker
    from desktop.ui.task_flow import TaskFlow
    from desktop.ui.task_form import TaskForm
    from desktop.ui.task_rows import TaskRows

ACTIONS_CONTEXT_MENU = 2  # Qt.ContextMenuPolicy.ActionsContextMenu
WIDGET_SHORTCUT = 0  # Qt.ShortcutContext.WidgetShortcut
MARGIN, SPACING = 4, 2
SCROLL_BAR_ALWAYS_OFF = 1  # Qt.ScrollBarPolicy.ScrollBarAlwaysOff
COLUMN_SAMPLES = {
    ESTIMATE: "10 h 30 min",
    TRACKED: "10 h 30 min (100 %)",
    ASSIGNEE: "Alexandra Smith",
    STATUS: "Done, waiting to sync",
}
"""What each column other than the name is wide enough for."""
COLUMN_PADDING = 16
NAME_AT_LEAST = 120
GIVE_WAY_LAST_FIRST = (STATUS, TRACKED, ASSIGNEE, ESTIMATE)
"""Columns kept beside the name as the list narrows, the first kept longest."""
LOADING = "Loading tasks…"


class TaskView(QTreeView):
    """The list; with no rows to show, it says why in their place (no project, loading, none
    yet, none matching, or the Free plan's sentence), in the palette's placeholder colour."""

    def __init__(self) -> None:
        super().__init__()
        self.empty_text = ""
        self.setProperty("horizontalScrollBarPolicy", SCROLL_BAR_ALWAYS_OFF)  # columns give way
        metrics = self.fontMetrics()
        self._widths = {
            column: metrics.horizontalAdvance(sample) + COLUMN_PADDING
            for column, sample in COLUMN_SAMPLES.items()
        }

    def setModel(self, model: QAbstractItemModel | None) -> None:
        super().setModel(model)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        for column, width in self._widths.items():
            header.resizeSection(column, width)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """The columns that do not fit beside a readable name give way, least needed first
        (every line's tooltip and accessible text still say it all)."""
        super().resizeEvent(event)
        room = self.viewport().width() - NAME_AT_LEAST
        for column in GIVE_WAY_LAST_FIRST:
            width = self._widths[column]
            fits = room >= width
            if fits:
                room -= width
            if self.isColumnHidden(column) == fits:
                self.setColumnHidden(column, not fits)

    def say(self, text: str) -> None:
        self.empty_text = text
        self.setAccessibleDescription(text)
        self.viewport().update()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        model = self.model()
        if not self.empty_text or model is None or model.rowCount():
            return
        from PySide6.QtCore import Qt  # after the first paint: this paint has rows or waits
        from PySide6.QtGui import QPainter, QPalette

        painter = QPainter(self.viewport())
        painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
        area = self.viewport().rect().adjusted(6, 2, -6, -2)
        flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap
        painter.drawText(area, int(flags.value), self.empty_text)
        painter.end()


class TaskPane(QWidget):
    showRequested = Signal(object, object)  # workspace id, project id (None, None: none)
    refreshRequested = Signal(object, object, bool)  # workspace id, project id, forced
    changeRequested = Signal(object, object, object, object)  # ws, project, ids, TaskChanges
    deleteRequested = Signal(object, object, object)  # ws, project, task ids
    settleRequested = Signal(object, object, object, bool)  # ws, project, task id, keep mine
    said = Signal(str)  # for the status bar

    def __init__(
        self,
        window: MainWindow,
        bridge: SessionBridge,
        picker: ProjectPicker,
        form: TaskForm,
        flow: TaskFlow,
    ) -> None:
        super().__init__()
        self.setObjectName("taskPane")
        self._window, self._form, self._picker = window, form, picker
        self._shown: tuple[int, int] | None = None
        self._loaded = False
        """Lines for the shown project came (from the cache at least)."""
        self._painted = False
        self.model = TaskTableModel()
        self.filter_edit = named(QLineEdit(), "taskFilterEdit")
        self.filter_edit.setAccessibleName("Task filter")
        self.filter_edit.setPlaceholderText("Filter tasks by name")
        self.filter_edit.setClearButtonEnabled(True)
        self.show_done = named(QCheckBox("Show done"), "showDoneCheck")
        self.show_done.setAccessibleName("Show done tasks")
        self.title = plain_label("taskListTitle", "Tasks")
        self.view = named(TaskView(), "taskList")
        self.view.setAccessibleName("Tasks")
        self.view.setModel(self.model)
        self.view.setRootIsDecorated(False)
        self.view.setUniformRowHeights(True)  # 5,000 rows: none measured
        self.view.setAlternatingRowColors(True)
        self.view.setAllColumnsShowFocus(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setItemDelegateForColumn(TRACKED, TrackedBarDelegate(self.view))
        header = named(self.view.header(), "taskListHeader")
        header.setAccessibleName("Task list columns")
        header.setMinimumHeight(header.sizeHint().height())  # its one line, not a list's lines
        header.viewport().setAutoFillBackground(False)  # its sections paint it all
        self.view.setProperty("contextMenuPolicy", ACTIONS_CONTEXT_MENU)
        self.conflict_bar = named(QFrame(), "conflictBar")
        self.conflict_note = plain_label("conflictNote")
        self.conflict_note.setWordWrap(True)
        self.keep_mine_button = named(QPushButton("Keep mine"), "keepMineButton")
        self.take_toggls_button = named(QPushButton("Take Toggl's"), "takeTogglsButton")
        self.keep_mine_button.setAccessibleName("Keep mine")
        self.take_toggls_button.setAccessibleName("Take Toggl's")
        conflict = QHBoxLayout(self.conflict_bar)
        conflict.setContentsMargins(0, 0, 0, 0)
        conflict.addWidget(self.conflict_note, 1)
        conflict.addWidget(self.keep_mine_button)
        conflict.addWidget(self.take_toggls_button)
        self.conflict_bar.hide()
        self._make_actions()
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addWidget(self.filter_edit, 1)
        top.addWidget(self.show_done)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, MARGIN, 0, 0)
        layout.setSpacing(SPACING)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.conflict_bar)
        self.filter_edit.textChanged.connect(self._filter)
        self.show_done.toggled.connect(self._show_done)
        self.view.selectionModel().selectionChanged.connect(self._update_actions)
        self.model.modelReset.connect(self._update_actions)
        self.model.rowsRemoved.connect(self._update_actions)
        self.model.dataChanged.connect(self._update_actions)
        self.view.doubleClicked.connect(self._edit)
        self.keep_mine_button.clicked.connect(lambda: self._settle(True))
        self.take_toggls_button.clicked.connect(lambda: self._settle(False))
        self._wire(bridge, picker)
        flow.find_duplicate = self._duplicate_of
        self._update_actions()

    def _make_actions(self) -> None:
        def made(text: str, name: str, slot: Callable[[], object]) -> QAction:
            item = named(action(text, self, slot), name)
            item.setProperty("shortcutContext", WIDGET_SHORTCUT)
            self.view.addAction(item)
            return item

        self.mark_done = made("Mark &done", "markDoneAction", lambda: self._set_active(False))
        self.reopen = made("&Reopen", "reopenAction", lambda: self._set_active(True))
        self.edit = made("&Edit…", "editTaskAction", self._edit)
        self.delete = made("&Delete…", "deleteTaskAction", self._delete)
        self.keep_mine = made("&Keep mine", "keepMineAction", lambda: self._settle(True))
        self.take_toggls = made("&Take Toggl's", "takeTogglsAction", lambda: self._settle(False))

    def _add_menu(self) -> None:
        """Tasks, before Help in the menu bar (after the first paint, with the shortcuts)."""
        menu_bar = self._window.menuBar()
        menu = QMenu("&Tasks", menu_bar)
        menu.setObjectName("tasksMenu")
        for item in (self.mark_done, self.reopen, self.edit, self.delete):
            menu.addAction(item)
        menu.addSeparator()
        menu.addAction(self.keep_mine)
        menu.addAction(self.take_toggls)
        menus = menu_bar.actions()
        if menus:
            menu_bar.insertMenu(menus[-1], menu)
        else:
            menu_bar.addMenu(menu)

    def _wire(self, bridge: SessionBridge, picker: ProjectPicker) -> None:
        """To the worker's task actions (queued: they run on its thread) and outcomes, to the
        picker's choice, and to F5 (the window's forced refresh)."""
        worker = bridge.worker
        actions = worker.task_actions
        self.showRequested.connect(actions.show)
        self.refreshRequested.connect(actions.refresh)
        self.changeRequested.connect(actions.change)
        self.deleteRequested.connect(actions.delete)
        self.settleRequested.connect(actions.settle)
        actions.linesLoaded.connect(self.set_rows)
        actions.said.connect(self.said)
        worker.taskQueued.connect(self.queued)
        worker.taskCreated.connect(self.created)
        bridge.refreshRequested.connect(lambda forced: self.refresh() if forced else None)
        picker.projectChosen.connect(self.follow)
        picker.workspaceChosen.connect(self._follow_picker)
        for lists_in in (worker.snapshotLoaded, worker.workspaceListsLoaded):  # chosen quietly
            lists_in.connect(lambda _: QTimer.singleShot(0, self, self._follow_picker))
        self._window.settled.connect(self._after_paint)

    # --- which project -------------------------------------------------------------------------

    def follow(self, workspace_id: int | None, project_id: int | None) -> None:
        """The project the picker shows: its tasks from the cache (after the first paint)."""
        wanted = None if workspace_id is None or project_id is None else (workspace_id, project_id)
        if wanted == self._shown:
            return
        self._shown, self._loaded = wanted, False
        self.model.set_rows(None if wanted is None else empty_rows(*wanted))
        self.title.setText("Tasks")
        self._said()
        if self._painted:
            self.showRequested.emit(workspace_id, project_id)

    def _follow_picker(self) -> None:
        """After the window took new lists (the picker selects a project without a signal)."""
        self.follow(self._picker.workspace_id(), self._picker.project_id())

    def _after_paint(self) -> None:
        from PySide6.QtGui import QKeySequence, QShortcut  # not needed for the first paint

        self._painted = True
        self._add_menu()
        self.delete.setShortcuts([QKeySequence("Delete")])
        self.edit.setShortcuts([QKeySequence("F2")])
        toggle = QShortcut(self.view)
        toggle.setKeys([QKeySequence(k) for k in ("Space", "Ctrl+Return", "Ctrl+Enter")])
        toggle.setProperty("context", WIDGET_SHORTCUT)
        toggle.activated.connect(self._toggle_done)
        if self._shown is not None:
            self.showRequested.emit(*self._shown)

    def refresh(self) -> None:
        """F5: fetch the shown project's tasks now, fresh or not."""
        if self._shown is not None:
            self.refreshRequested.emit(*self._shown, True)

    # --- lines ---------------------------------------------------------------------------------

    def set_rows(self, rows: TaskRows) -> None:
        if (rows.workspace_id, rows.project_id) != self._shown:
            return  # the user moved on meanwhile
        self._loaded = True
        self.model.set_rows(rows)
        self.title.setText(summary(rows))
        self._said()

    def queued(self, row: OutboxRow) -> None:
        """A new task is in the outbox: in the list at once, pending."""
        if (row.workspace_id, row.project_id) != self._shown:
            return
        draft = row.draft
        self.model.add_line(
            TaskLine(None, draft.name, draft.active, draft.estimated_seconds, None,
                     draft.user_id, None, "pending", None, row.id)
        )  # fmt: skip
        self._said()

    def created(self, created: TaskCreated) -> None:
        row, task = created.row, created.task
        if (row.workspace_id, row.project_id) == self._shown:
            self.model.replace_line(
                row.id,
                TaskLine(task.id, task.name, task.active, task.estimated_seconds,
                         task.tracked_ms, task.user_id, task.user_name),
            )  # fmt: skip

    def _said(self) -> None:
        """Say in the list why it has no rows, if it has none; the Free plan disables all."""
        rows = self.model.rows
        unavailable = rows is not None and bool(rows.unavailable)
        self.view.say(self._empty_text() if not self.model.shown else "")
        self.filter_edit.setEnabled(not unavailable)
        self.show_done.setEnabled(not unavailable)
        self._update_actions()

    def _empty_text(self) -> str:
        rows, typed = self.model.rows, self.filter_edit.text().strip()
        if rows is None:
            return "Pick a project to see its tasks."
        if rows.unavailable:
            return rows.unavailable
        if not rows.lines:
            return "No tasks in this project yet." if self._loaded else LOADING
        if typed:
            return f"No task matches “{isolate(typed)}”."
        return "No open tasks. Check “Show done” to see the done ones."

    def _filter(self, text: str) -> None:
        self.model.set_filter(text)
        self._said()

    def _show_done(self, show: bool) -> None:
        self.model.set_show_done(show)
        self._said()

    def _duplicate_of(self, submission: Submission) -> str | None:
        """An open task of the submission's project named like it, from the lines held."""
        return self.model.has_duplicate(
            submission.workspace_id,
            submission.project_id,
            submission.draft.name,
            submission.retry_row,
        )

    # --- actions -------------------------------------------------------------------------------

    def selected(self) -> list[TaskLine]:
        rows = sorted({index.row() for index in self.view.selectionModel().selectedRows()})
        return [line for line in map(self.model.line, rows) if line is not None]

    def _in_toggl(self) -> list[TaskLine]:
        return [line for line in self.selected() if line.task_id is not None]

    def _update_actions(self) -> None:
        rows = self.model.rows
        usable = rows is not None and not rows.unavailable
        lines = self._in_toggl() if usable else []
        self.mark_done.setEnabled(any(line.active for line in lines))
        self.reopen.setEnabled(any(not line.active for line in lines))
        self.edit.setEnabled(bool(lines))
        self.delete.setEnabled(bool(lines))
        conflict = self._conflict()
        for item in (self.keep_mine, self.take_toggls):
            item.setEnabled(conflict is not None)
        self.conflict_bar.setVisible(conflict is not None)
        if conflict is not None:
            self.conflict_note.setText(conflict.note or "This task changed here and in Toggl.")

    def _conflict(self) -> TaskLine | None:
        """The one selected line in conflict, if the selection is one such line."""
        lines = self.selected()
        if len(lines) == 1 and lines[0].state == "conflict" and lines[0].task_id is not None:
            return lines[0]
        return None

    def _ids(self, lines: list[TaskLine]) -> list[int]:
        return [line.task_id for line in lines if line.task_id is not None]

    def _set_active(self, active: bool) -> None:
        ids = self._ids([line for line in self._in_toggl() if line.active != active])
        if ids and self._shown is not None:
            self.changeRequested.emit(*self._shown, ids, TaskChanges(active=active))

    def _toggle_done(self) -> None:
        lines = self._in_toggl()
        if lines:
            self._set_active(not any(line.active for line in lines))

    def _edit(self) -> None:
        lines, shown = self._in_toggl(), self._shown
        if not lines or shown is None:
            return
        from desktop.ui.task_edit import TaskEditDialog  # built when first asked for

        dialog = TaskEditDialog(lines, self._form.users(), self._window)
        ids = self._ids(lines)
        dialog.saved.connect(lambda changes: self.changeRequested.emit(*shown, ids, changes))
        dialog.open()

    def _delete(self) -> None:
        lines, shown = self._in_toggl(), self._shown
        if not lines or shown is None:
            return
        from desktop.ui.task_edit import ask_delete

        ids = self._ids(lines)
        ask_delete(lines, self._window, lambda: self.deleteRequested.emit(*shown, ids))

    def _settle(self, keep_mine: bool) -> None:
        line = self._conflict()
        if line is not None and line.task_id is not None and self._shown is not None:
            self.settleRequested.emit(*self._shown, line.task_id, keep_mine)
