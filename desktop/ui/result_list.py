"""The tasks created this session, newest first, one line each: no id on screen, where it would
be a number nobody reads; it is in the line's tooltip and copied by "Copy task id" (the context
menu, or Ctrl+C)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtWidgets import QApplication, QListWidget, QListWidgetItem

from desktop.domain.display import literal_tooltip
from desktop.domain.summary import task_line
from desktop.ui.naming import named
from desktop.ui.qt_values import USER_ROLE
from desktop.ui.widgets import action

if TYPE_CHECKING:
    from PySide6.QtCore import QSize

    from desktop.api.models import Task

ACTIONS_CONTEXT_MENU = 2  # Qt.ContextMenuPolicy.ActionsContextMenu (see desktop.ui.qt_values)
WIDGET_SHORTCUT = 0  # Qt.ShortcutContext.WidgetShortcut
SCROLL_BAR_ALWAYS_OFF = 1  # Qt.ScrollBarPolicy.ScrollBarAlwaysOff
RESIZE_ADJUST = 1  # QListView.ResizeMode.Adjust
MAX_SHOWN = 500
"""The oldest lines leave beyond this many: a day's work, not a drained outbox of thousands."""
ROWS_HINTED = 4


class Created(NamedTuple):
    """A task Toggl created, with what the window knows that Toggl's answer may leave out."""

    task: Task
    project: str | None = None  # "Name · Client", the outbox row's label
    assignee: str | None = None


class ResultList(QListWidget):
    def __init__(self) -> None:
        super().__init__()
        named(self, "resultList").setAccessibleName("Tasks created this session")
        # Each line wraps at the list's width, as the sentence above does: elided, the end of
        # a line (when, who) would be lost on a narrow window.
        self.setWordWrap(True)
        self.setAlternatingRowColors(True)  # where a wrapped line ends; the palette's colours
        self.setSpacing(2)
        self.setProperty("horizontalScrollBarPolicy", SCROLL_BAR_ALWAYS_OFF)  # by name: qt_values
        self.setProperty("resizeMode", RESIZE_ADJUST)  # the lines wrap anew as the list resizes
        self.setProperty("contextMenuPolicy", ACTIONS_CONTEXT_MENU)  # by name: see qt_values
        self.copy_id_action = named(action("Copy task id", self, self._copy_id), "copyTaskIdAction")
        self.copy_id_action.setEnabled(False)
        self.addAction(self.copy_id_action)
        self.currentRowChanged.connect(lambda row: self.copy_id_action.setEnabled(row >= 0))
        self._shown: list[Created] = []  # as the lines are, newest first
        self._day: date | None = None
        self.hide()  # until the first task: an empty box says nothing

    def add(self, created: Created, now: datetime) -> str:
        """Put the task on top; returns its line. `now`: the local time it is said at."""
        if self._day != now.date():  # "today" became "yesterday": say the others again
            self._day = now.date()
            for row, shown in enumerate(self._shown):
                self._describe(self.item(row), shown, now)
        if not self._shown:  # the first line: after the first paint, which a key would slow
            from PySide6.QtGui import QKeySequence  # its enums: ~1 ms the paint does not need

            self.copy_id_action.setShortcut(QKeySequence("Ctrl+C"))  # reads `Qt` (qt_values)
            self.copy_id_action.setProperty("shortcutContext", WIDGET_SHORTCUT)
        item = QListWidgetItem()
        line = self._describe(item, created, now)
        self.insertItem(0, item)
        self._shown.insert(0, created)
        if len(self._shown) > MAX_SHOWN:
            self._shown.pop()
            self.takeItem(MAX_SHOWN)
        self.show()
        return line

    def task_id(self) -> int | None:
        """The Toggl id of the current line's task."""
        item = self.currentItem()
        return None if item is None else int(item.data(USER_ROLE))

    def sizeHint(self) -> QSize:
        """A few lines high: the list is compact, the window decides how much more it gets."""
        hint = super().sizeHint()
        hint.setHeight(self.fontMetrics().lineSpacing() * ROWS_HINTED + 2 * self.frameWidth())
        return hint

    def _describe(self, item: QListWidgetItem, created: Created, now: datetime) -> str:
        line = task_line(created.task, now, created.project, created.assignee)
        item.setText(line)
        item.setData(USER_ROLE, created.task.id)
        item.setToolTip(literal_tooltip(f"{line}\nToggl task id: {created.task.id}") or "")
        return line

    def _copy_id(self) -> None:
        task_id = self.task_id()
        if task_id is not None:
            QApplication.clipboard().setText(str(task_id))
