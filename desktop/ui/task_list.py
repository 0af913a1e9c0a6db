"""The chosen project's tasks: a filter box, "Show done", the list (name, estimate, time tracked
with its bar, assignee, open or done, and what waits to sync), and the actions on the selected
rows (desktop.ui.task_list_actions).

Shown from the cache as soon as a project is chosen (after the first paint), then refreshed
when stale; F5 forces it. The worker side is desktop.ui.task_actions. A task queued from the
form shows at once, pending, and takes its Toggl id when created, before the worker's lines
confirm it. Enum values are ints set by property name where the pane is built: it is part of
the first paint (see desktop.ui.qt_values)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.display import isolate
from desktop.ui.naming import named
from desktop.ui.payloads import NameCheck
from desktop.ui.task_list_actions import TaskListActions
from desktop.ui.task_model import TaskTableModel
from desktop.ui.task_rows import empty_rows, summary
from desktop.ui.task_view import TaskView
from desktop.ui.widgets import plain_label

if TYPE_CHECKING:
    from desktop.session_rows import OutboxRow
    from desktop.task_lines import TaskLine
    from desktop.ui.bridge import SessionBridge
    from desktop.ui.main_window import MainWindow
    from desktop.ui.payloads import Submission, TaskCreated
    from desktop.ui.project_picker import ProjectPicker
    from desktop.ui.task_flow import TaskFlow
    from desktop.ui.task_rows import TaskRows

ACTIONS_CONTEXT_MENU = 2  # Qt.ContextMenuPolicy.ActionsContextMenu
MARGIN, SPACING = 4, 2
LOADING = "Loading tasks…"


class TaskPane(QWidget):
    showRequested = Signal(object, object)  # workspace id, project id
    refreshRequested = Signal(object, object, bool)  # workspace id, project id, forced
    changeRequested = Signal(object, object, object, object)  # ws, project, ids, TaskChanges
    deleteRequested = Signal(object, object, object, object)  # ws, project, task ids, outbox ids
    settleRequested = Signal(object, object, object, bool)  # ws, project, task id, keep mine
    said = Signal(str)  # for the status bar

    def __init__(self, window: MainWindow, bridge: SessionBridge) -> None:
        """Between the window's picker, form and flow (built before it) and the worker."""
        super().__init__()
        self.setObjectName("taskPane")
        picker, self.form, flow = window.picker, window.form, window.flow
        self.main_window, self._picker = window, picker
        self.shown: tuple[int, int] | None = None
        """The project whose tasks are shown (workspace id, project id)."""
        self._loaded = False
        """Lines for the shown project came (from the cache at least)."""
        self._painted = False
        self.model = TaskTableModel()
        self.title = plain_label("taskListTitle", "Tasks")
        self.filter_edit = named(QLineEdit(), "taskFilterEdit")
        self.filter_edit.setAccessibleName("Task filter")
        self.filter_edit.setPlaceholderText("Filter tasks by name")
        self.show_done = named(QCheckBox("Show done"), "showDoneCheck")
        self.show_done.setAccessibleName("Show done tasks")
        self.view = named(TaskView(), "taskList")
        self.view.setModel(self.model)
        self.view.setProperty("contextMenuPolicy", ACTIONS_CONTEXT_MENU)
        self.actions_ = TaskListActions(self)
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addWidget(self.filter_edit, 1)
        top.addWidget(self.show_done)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, MARGIN, 0, 0)
        layout.setSpacing(SPACING)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.actions_.conflict_bar)
        self.filter_edit.textChanged.connect(self._filter)
        self.show_done.toggled.connect(self._show_done)
        self.view.selectionModel().selectionChanged.connect(self._update_actions)
        for changed in (self.model.modelReset, self.model.rowsRemoved, self.model.dataChanged):
            changed.connect(self._update_actions)
        self._wire(bridge, picker, flow)
        self._update_actions()

    def _wire(self, bridge: SessionBridge, picker: ProjectPicker, flow: TaskFlow) -> None:
        """To the worker's task actions (queued: they run on its thread) and outcomes, to the
        picker's choice, to F5 (the window's forced refresh), and to the form's duplicate
        check (the list's lines, or the worker's answer)."""
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
        bridge.adding.bulkQueued.connect(self.queued_many)
        worker.taskCreated.connect(self.created)
        worker.signedIn.connect(lambda _: self._ask_again())  # the list may be stale
        self.said.connect(lambda text: self.main_window.statusBar().showMessage(text, 10_000))
        bridge.refreshRequested.connect(lambda forced: self.refresh() if forced else None)
        picker.projectChosen.connect(self.follow)
        picker.workspaceChosen.connect(self._follow_picker)
        for lists_in in (worker.snapshotLoaded, worker.workspaceListsLoaded):  # chosen quietly
            lists_in.connect(lambda _: QTimer.singleShot(0, self, self._follow_picker))
        self.main_window.settled.connect(self._after_paint)
        flow.duplicates.find = self._duplicate_of
        actions.duplicateHeld.connect(flow.held_back)

    # --- which project -------------------------------------------------------------------------

    def follow(self, workspace_id: int | None, project_id: int | None) -> None:
        """The project the picker shows: its tasks from the cache (after the first paint)."""
        wanted = None if workspace_id is None or project_id is None else (workspace_id, project_id)
        if wanted == self.shown:
            return
        self.shown, self._loaded = wanted, False
        self.model.set_rows(None if wanted is None else empty_rows(*wanted))
        self._said()
        if self._painted and wanted is not None:
            self.showRequested.emit(*wanted)

    def _follow_picker(self) -> None:
        """After the window took new lists (the picker selects a project without a signal)."""
        self.follow(self._picker.workspace_id(), self._picker.project_id())

    def _after_paint(self) -> None:
        self._painted = True
        from PySide6.QtWidgets import QToolButton  # its enums: ~1 ms, not for the paint either

        self.filter_edit.setClearButtonEnabled(True)  # ~1 ms (its icon): not for the paint
        for clear in self.filter_edit.findChildren(QToolButton):
            clear.setAccessibleName("Clear the filter")
        self.view.after_paint()
        self.actions_.after_paint()
        self._ask_again()

    def _ask_again(self) -> None:
        """The shown project's lines again, fetched if stale (no request when fresh)."""
        if self._painted and self.shown is not None:
            self.showRequested.emit(*self.shown)

    def refresh(self) -> None:
        """F5: fetch the shown project's tasks now, fresh or not."""
        if self.shown is not None:
            self.refreshRequested.emit(*self.shown, True)

    # --- lines ---------------------------------------------------------------------------------

    def set_rows(self, rows: TaskRows) -> None:
        if (rows.workspace_id, rows.project_id) != self.shown:
            return  # the user moved on meanwhile
        self._loaded = True
        self.model.set_rows(rows)
        self._said()

    def queued(self, row: OutboxRow) -> None:
        """A new task is in the outbox: in the list at once, pending."""
        self.queued_many([row])

    def queued_many(self, rows: list[OutboxRow]) -> None:
        """New tasks in the outbox (the form's, the quick-add line's, the bulk dialog's): those
        of the shown project in the list at once, pending."""
        from desktop.task_lines import TaskLine  # not before the first paint: nothing queued

        lines = [
            TaskLine(None, row.draft.name, row.draft.active, row.draft.estimated_seconds, None,
                     row.draft.user_id, None, "pending", None, row.id)
            for row in rows
            if (row.workspace_id, row.project_id) == self.shown
        ]  # fmt: skip
        if lines:
            self.model.add_lines(lines)
            self._said()

    def created(self, created: TaskCreated) -> None:
        row, task = created.row, created.task
        if (row.workspace_id, row.project_id) == self.shown:
            from desktop.task_lines import TaskLine

            self.model.replace_line(
                row.id,
                TaskLine(task.id, task.name, task.active, task.estimated_seconds,
                         task.tracked_ms, task.user_id, task.user_name),
            )  # fmt: skip
            self._said()

    def selected(self) -> list[TaskLine]:
        """The rows with any cell selected: a script may select a row by its first cell."""
        ranges = self.view.selectionModel().selection()
        parts = (ranges.at(i) for i in range(ranges.count()))
        rows = sorted({row for part in parts for row in range(part.top(), part.bottom() + 1)})
        return [line for line in map(self.model.line, rows) if line is not None]

    def _said(self) -> None:
        """The title's counts as the list now is; why it has no rows, if it has none; the Free
        plan disables all."""
        rows = self.model.rows
        self.title.setText("Tasks" if rows is None else summary(rows))
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

    def _update_actions(self) -> None:
        rows = self.model.rows
        self.actions_.update(rows is not None and not rows.unavailable)

    def _filter(self, text: str) -> None:
        self.model.set_filter(text)
        self._said()

    def _show_done(self, show: bool) -> None:
        self.model.set_show_done(show)
        self._said()

    def _duplicate_of(self, submission: Submission) -> NameCheck:
        """An open task of the submission's project named like it, from the lines held."""
        rows = self.model.rows
        known = (  # lines of Toggl's copy: a project never listed is asked on the worker
            rows is not None
            and rows.fetched_at is not None
            and (rows.workspace_id, rows.project_id)
            == (submission.workspace_id, submission.project_id)
        )
        if not known:
            return NameCheck(False)
        name = self.model.has_duplicate(
            submission.workspace_id,
            submission.project_id,
            submission.draft.name,
            submission.retry_row,
        )
        return NameCheck(True, name)
