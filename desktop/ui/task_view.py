"""The task list's view: a table with one row per task, columns that give way to the name
as the window narrows, the "Tracked" bar, and, with no rows, why in their place (a label over
the empty list). Built with the window: enum values are ints set by property
name where they would read PySide6's `Qt` namespace (see desktop.ui.qt_values)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QHeaderView, QTableView

from desktop.ui.colours import hint_style
from desktop.ui.naming import named
from desktop.ui.qt_values import ALIGN_TOP_LEFT
from desktop.ui.task_model import ASSIGNEE, ESTIMATE, HEADERS, NAME, STATUS, TRACKED
from desktop.ui.widgets import plain_label

if TYPE_CHECKING:
    from PySide6.QtCore import QAbstractItemModel
    from PySide6.QtGui import QResizeEvent
    from PySide6.QtWidgets import QLabel

SCROLL_BAR_ALWAYS_OFF = 1  # Qt.ScrollBarPolicy.ScrollBarAlwaysOff
ALIGN_LEFT_CENTRED = 0x81  # Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
COLUMN_SAMPLES = {
    ESTIMATE: "10 h 30 min",
    TRACKED: "10 h 30 min (100 %)",
    ASSIGNEE: "Alexandra Smith",
    STATUS: "Done, waiting to sync",
}
"""What each column other than the name is wide enough for."""
COLUMN_PADDING = 16
NAME_AT_LEAST = 120
BAR_HEIGHT, BAR_GAP = 3, 1
"""The tracked bar under the text of its cell (desktop.ui.task_bar)."""
ROW_PADDING = 2 + BAR_HEIGHT + BAR_GAP
"""Each row: a line of text, the tracked bar under it, and a little air."""
GIVE_WAY_LAST_FIRST = (STATUS, TRACKED, ASSIGNEE, ESTIMATE)
"""Columns kept beside the name as the list narrows, the first kept longest."""


class TaskView(QTableView):
    """The list; with no rows to show, it says why in their place (no project, loading, none
    yet, none matching, or the Free plan's sentence), in the palette's hint colour."""

    def __init__(self) -> None:
        super().__init__()
        self.empty_text = ""
        self.note: QLabel | None = None
        """Says why the list is empty; made after the first paint (see after_paint)."""
        self.setProperty("horizontalScrollBarPolicy", SCROLL_BAR_ALWAYS_OFF)  # columns give way
        self.setAccessibleName("Tasks")
        # A table, not a tree: a tree lays out every row after each filter keystroke (~13 ms
        # for 3,000 rows, asking the model about each); a table's rows are one fixed height.
        rows = self.verticalHeader()
        rows.setAccessibleName("Task rows")
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().lineSpacing() + ROW_PADDING)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setTabKeyNavigation(False)  # Tab leaves the list, as in the rest of the window
        self.setAlternatingRowColors(True)
        # Shown after the window's first paint (after_paint): nothing in it before then (its
        # rows come later), and painting an empty table and header cost ~2 ms of that paint.
        # Its room in the layout is kept meanwhile.
        policy = self.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.setSizePolicy(policy)
        self.hide()
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = named(self.horizontalHeader(), "taskListHeader")
        header.setAccessibleName("Task list columns")
        metrics = self.fontMetrics()
        self._widths = {
            column: metrics.horizontalAdvance(sample) + COLUMN_PADDING
            for column, sample in COLUMN_SAMPLES.items()
        }

    def setModel(self, model: QAbstractItemModel | None) -> None:
        super().setModel(model)
        header = self.horizontalHeader()
        header.setMinimumHeight(header.sizeHint().height())  # its one line, not a list's lines
        header.setStretchLastSection(False)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        for column, width in self._widths.items():
            header.resizeSection(column, width)

    def after_paint(self) -> None:
        """What the window's first paint does without: the first call of viewport() alone
        costs ~12 ms (PySide6 readies QAbstractScrollArea's signatures), QStyle's enums
        (the bar's delegate) ~7 ms; then the list shows."""
        from PySide6.QtGui import QStandardItemModel

        from desktop.ui.task_bar import TrackedBarDelegate

        header = self.horizontalHeader()
        # The column titles from a model of its own: the list's model answering headerData
        # would be handed Qt.Orientation, and building PySide6's `Qt` namespace costs ~40 ms
        # (see desktop.ui.qt_values). Its columns never change.
        titles = QStandardItemModel(0, len(HEADERS), header)
        titles.setHorizontalHeaderLabels(list(HEADERS))
        header.setModel(titles)
        header.setProperty("defaultAlignment", ALIGN_LEFT_CENTRED)
        self.setItemDelegateForColumn(TRACKED, TrackedBarDelegate(self))
        self.horizontalHeader().viewport().setAutoFillBackground(False)  # its sections paint it
        for corner in self.findChildren(QAbstractButton, "qt_tableview_cornerbutton"):
            corner.setAccessibleName("Select all tasks")  # hidden with the row headers
        self.note = plain_label("taskListNote")
        self.note.setParent(self.viewport())  # over the rows' area, outside any layout
        self.note.setWordWrap(True)
        self.note.setProperty("alignment", ALIGN_TOP_LEFT)
        self.note.setStyleSheet(hint_style())
        self._place_note()
        self.say(self.empty_text)
        self.show()

    def _place_note(self) -> None:
        if self.note is not None:
            self.note.setGeometry(self.viewport().rect().adjusted(6, 2, -6, -2))

    def resizeEvent(self, event: QResizeEvent) -> None:
        """The columns that do not fit beside a readable name give way, least needed first
        (every line's tooltip and accessible text still say it all)."""
        super().resizeEvent(event)
        self._place_note()
        room = self.contentsRect().width() - NAME_AT_LEAST  # not viewport(): see after_paint
        for column in GIVE_WAY_LAST_FIRST:
            width = self._widths[column]
            fits = room >= width
            if fits:
                room -= width
            if self.isColumnHidden(column) == fits:
                self.setColumnHidden(column, not fits)

    def say(self, text: str) -> None:
        """Why there are no rows ("" once there are), on a label over the empty list."""
        self.empty_text = text
        self.setAccessibleDescription(text)
        if self.note is not None:
            self.note.setText(text)
            self.note.setVisible(bool(text))
