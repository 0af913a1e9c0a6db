"""What the user does to the selected tasks: mark done, reopen, edit, delete, and settle a
conflict (the actions, the conflict bar, the Tasks menu and the list's keys). Each applies to
the selected rows it fits, and is enabled only when one fits; what it asks for goes out
through the pane's `*Requested` signals to the worker (desktop.ui.task_actions)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFrame, QHBoxLayout, QMenu, QPushButton

from desktop.api.models import TaskChanges
from desktop.ui.naming import named
from desktop.ui.widgets import action, plain_label

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from PySide6.QtGui import QAction

    from desktop.task_lines import TaskLine
    from desktop.ui.task_list import TaskPane

WIDGET_SHORTCUT = 0  # Qt.ShortcutContext.WidgetShortcut
TOGGLE_KEYS = ("Space", "Ctrl+Return", "Ctrl+Enter")
"""Mark the selected tasks done, or reopen them when all are done."""


class TaskListActions(QObject):
    def __init__(self, pane: TaskPane) -> None:
        super().__init__(pane)
        self._pane = pane
        self.conflict_bar = named(QFrame(), "conflictBar")
        self.conflict_note = plain_label("conflictNote")
        self.conflict_note.setWordWrap(True)
        self.keep_mine_button = named(QPushButton("Keep mine"), "keepMineButton")
        self.take_toggls_button = named(QPushButton("Take Toggl's"), "takeTogglsButton")
        self.keep_mine_button.setAccessibleName("Keep mine")
        self.take_toggls_button.setAccessibleName("Take Toggl's")
        self.keep_mine_button.setToolTip("Send your change over Toggl's")
        self.take_toggls_button.setToolTip("Drop your change and keep what Toggl has")
        bar = QHBoxLayout(self.conflict_bar)
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.conflict_note, 1)
        bar.addWidget(self.keep_mine_button)
        bar.addWidget(self.take_toggls_button)
        self.conflict_bar.hide()

        def made(text: str, name: str, slot: Callable[[], object]) -> QAction:
            item = named(action(text, pane, slot), name)
            item.setProperty("shortcutContext", WIDGET_SHORTCUT)  # the list's keys, not the form's
            pane.view.addAction(item)  # its context menu
            return item

        self.mark_done = made("Mark &done", "markDoneAction", lambda: self.set_active(False))
        self.reopen = made("&Reopen", "reopenAction", lambda: self.set_active(True))
        self.edit = made("&Edit…", "editTaskAction", self.open_edit)
        self.delete = made("&Delete…", "deleteTaskAction", self.ask_delete)
        self.keep_mine = made("&Keep mine", "keepMineAction", lambda: self.settle(True))
        self.take_toggls = made("&Take Toggl's", "takeTogglsAction", lambda: self.settle(False))
        self.keep_mine_button.clicked.connect(self.keep_mine.trigger)
        self.take_toggls_button.clicked.connect(self.take_toggls.trigger)
        pane.view.doubleClicked.connect(self.open_edit)

    def after_paint(self) -> None:
        """The Tasks menu (before Help) and the keys: not needed for the first paint."""
        from PySide6.QtGui import QKeySequence, QShortcut

        menu_bar = self._pane.main_window.menuBar()
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
        self.delete.setShortcuts([QKeySequence("Delete")])
        self.edit.setShortcuts([QKeySequence("F2")])
        toggle = QShortcut(self._pane.view)
        toggle.setKeys([QKeySequence(key) for key in TOGGLE_KEYS])
        toggle.setProperty("context", WIDGET_SHORTCUT)
        toggle.activated.connect(self.toggle_done)

    # --- which rows --------------------------------------------------------------------------

    def _in_toggl(self) -> list[TaskLine]:
        return [line for line in self._pane.selected() if line.task_id is not None]

    def _deletable(self) -> list[TaskLine]:
        """Tasks in Toggl, and tasks still only queued (their outbox row is discarded)."""
        return [
            line for line in self._pane.selected() if line.task_id or line.outbox_id is not None
        ]

    def _conflict(self) -> TaskLine | None:
        """The one selected line in conflict, if the selection is one such line."""
        lines = self._pane.selected()
        if len(lines) == 1 and lines[0].state == "conflict" and lines[0].task_id is not None:
            return lines[0]
        return None

    def update(self, usable: bool) -> None:
        """Enable what fits the selection (nothing on the Free plan); the conflict bar shows
        for one selected task in conflict."""
        lines = self._in_toggl() if usable else []
        self.mark_done.setEnabled(any(line.active for line in lines))
        self.reopen.setEnabled(any(not line.active for line in lines))
        self.edit.setEnabled(bool(lines))
        self.delete.setEnabled(usable and bool(self._deletable()))
        conflict = self._conflict() if usable else None
        for item in (self.keep_mine, self.take_toggls):
            item.setEnabled(conflict is not None)
        self.conflict_bar.setVisible(conflict is not None)
        if conflict is not None:
            self.conflict_note.setText(conflict.note or "This task changed here and in Toggl.")

    # --- doing -------------------------------------------------------------------------------

    def set_active(self, active: bool) -> None:
        ids = _ids(line for line in self._in_toggl() if line.active != active)
        shown = self._pane.shown
        fits = (self.reopen if active else self.mark_done).isEnabled()
        if ids and shown is not None and fits:
            self._pane.changeRequested.emit(*shown, ids, TaskChanges(active=active))

    def toggle_done(self) -> None:
        lines = self._in_toggl()
        if lines:
            self.set_active(not any(line.active for line in lines))

    def open_edit(self) -> None:
        lines, shown = self._in_toggl(), self._pane.shown
        if not lines or shown is None or not self.edit.isEnabled():
            return
        from desktop.ui.task_edit import TaskEditDialog  # built when first asked for

        pane = self._pane
        dialog = TaskEditDialog(lines, pane.form.users(), pane.main_window)
        ids = _ids(lines)
        dialog.saved.connect(lambda changes: pane.changeRequested.emit(*shown, ids, changes))
        dialog.open()

    def ask_delete(self) -> None:
        lines, shown = self._deletable(), self._pane.shown
        if not lines or shown is None or not self.delete.isEnabled():
            return
        from desktop.ui.task_edit import ask_delete

        ids = _ids(lines)
        queued = [line.outbox_id for line in lines if line.task_id is None and line.outbox_id]
        deleted = self._pane.deleteRequested
        ask_delete(lines, self._pane.main_window, lambda: deleted.emit(*shown, ids, queued))

    def settle(self, keep_mine: bool) -> None:
        line, shown = self._conflict(), self._pane.shown
        if line is not None and line.task_id is not None and shown is not None:
            self._pane.settleRequested.emit(*shown, line.task_id, keep_mine)


def _ids(lines: Iterable[TaskLine]) -> list[int]:
    return [line.task_id for line in lines if line.task_id is not None]
