"""The window's layout: a form of readable width that scrolls rather than being cut off, and
under it the project's task list, the result panel and the outbox in a vertical splitter;
sizes that fit small screens.

- The form (picker and task fields, the buttons) sits in a scroll area, capped at
  `FORM_MAX_WIDTH` and aligned left, so a wide window does not stretch the fields across the
  screen, and a short one scrolls the form instead of cutting it off.
- Every note or hint line under a field keeps its line while hidden (`NoteRows`), so the form
  does not jump when "Understood as 45 min." or an error appears or goes.
- The form, the task list, the result panel and the outbox are the panes of a splitter the
  user can drag; none collapses. The window has a fixed minimum size (`MINIMUM_SIZE`), so the outbox
  appearing never makes the window grow, nor keeps it from shrinking back.

Enum values are set as ints by property name: the first paint never reads PySide6's `Qt`
namespace (see desktop.ui.qt_values).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, QTimer
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QLabel,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.naming import named
from desktop.ui.qt_values import ALIGN_TOP_LEFT

if TYPE_CHECKING:
    from desktop.ui.outbox_panel import OutboxPanel
    from desktop.ui.project_picker import ProjectPicker
    from desktop.ui.quick_add import QuickAdd
    from desktop.ui.result_panel import ResultPanel
    from desktop.ui.task_flow import TaskFlow
    from desktop.ui.task_form import TaskForm
    from desktop.ui.task_list import TaskPane

FORM_MAX_WIDTH = 720
"""The form's column, labels included: the fields stay within about 640 px."""
MINIMUM_SIZE = (360, 340)
"""Logical pixels: below 400 x 480, and small enough for a 1366 x 768 screen at 2x (683 x 384
available, less a window frame). Every pane's minimum must fit in it (tests/unit/ui)."""
DEFAULT_SIZE = (600, 620)
"""The first run's size, before it is cut to the screen (desktop.ui.window_geometry): the whole
form, the result and a few outbox rows."""
LIST_MIN_LINES = 2
"""The least height of the outbox list, in lines (a row is two): the lists scroll, so one row
is enough to reach them all, and the panes fit a short screen. The result list and the task
list keep one line (the task list's under its header)."""
VERTICAL = 2  # Qt.Orientation.Vertical
MARGIN = 6
NOTE_SPACING = 1


class NoteRows(QFormLayout):
    """A form layout that puts each field with the note rows added after it (`addRow("",
    label)`) in one cell, the notes tight under the field, and keeps each note's line while it
    is hidden or empty. (QFormLayout drops a hidden field's row whatever its size policy says,
    so a note that came and went as a row of its own moved every row below it.) The row's
    label stays the field's buddy."""

    def __init__(self) -> None:
        super().__init__()
        self._cell: QVBoxLayout | None = None

    def addRow(self, *args: object) -> None:
        text, field = args if len(args) == 2 else (None, None)
        if not isinstance(text, str) or not isinstance(field, QWidget):
            self._cell = None
            super().addRow(*args)  # type: ignore[call-overload]
            return
        if text == "" and isinstance(field, QLabel) and self._cell is not None:
            self._cell.addWidget(keep_a_line(field))
            return
        cell = QWidget()
        self._cell = QVBoxLayout(cell)
        self._cell.setContentsMargins(0, 0, 0, 0)
        self._cell.setSpacing(NOTE_SPACING)
        self._cell.addWidget(field)
        super().addRow(text, cell)
        label = self.labelForField(cell)
        if isinstance(label, QLabel):
            label.setBuddy(field)


def keep_a_line(label: QLabel) -> QWidget:
    """A holder for `label` that is one line tall whether the label shows or not."""
    holder = QWidget()
    box = QVBoxLayout(holder)
    box.setContentsMargins(0, 0, 0, 0)
    box.addWidget(label)
    metrics = label.fontMetrics()
    holder.setMinimumHeight(max(metrics.lineSpacing(), metrics.height()))
    return holder


class FormScroll(QScrollArea):
    """Asks the splitter for the whole form's height (QScrollArea's own hint is cut to a
    few hundred pixels), so the form shows whole whenever the window has room for it."""

    def sizeHint(self) -> QSize:
        column = self.widget()
        return super().sizeHint() if column is None else column.sizeHint()


class WindowLayout:
    """Builds the central widget; `outer` is where a banner goes (above the panes)."""

    def __init__(
        self,
        picker: ProjectPicker,
        form: TaskForm,
        flow: TaskFlow,
        status_panel: ResultPanel,
        outbox_panel: OutboxPanel,
        quick: QuickAdd,
        task_pane: TaskPane,
    ) -> None:
        rows = NoteRows()
        quick.add_rows(rows)  # the quick-add line first: one line, the whole task
        picker.add_rows(rows)
        form.add_rows(rows)
        flow.submit_hint.setWordWrap(True)  # a long hint wraps beside the buttons, not wider
        self.form_column = named(QWidget(), "formColumn")
        self.form_column.setMaximumWidth(FORM_MAX_WIDTH)
        column = QVBoxLayout(self.form_column)
        column.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        column.addLayout(rows)
        column.addLayout(flow.buttons)
        column.addStretch(1)
        self.form_scroll = named(FormScroll(), "formScrollArea")
        self.form_scroll.setWidgetResizable(True)
        self.form_scroll.setWidget(self.form_column)
        self.form_scroll.setProperty("alignment", ALIGN_TOP_LEFT)
        self.form_scroll.setFrameShape(QFrame.Shape.NoFrame)
        for scrolling, least in (
            (status_panel.history, 1),  # one line each: one shows and scrolls to the rest
            (outbox_panel.view, LIST_MIN_LINES),  # two lines each
        ):
            lines = scrolling.fontMetrics().lineSpacing() * least
            scrolling.setMinimumHeight(lines + 2 * scrolling.frameWidth())
        tasks = task_pane.view  # one row under its header
        header = tasks.horizontalHeader().sizeHint().height()
        row = tasks.verticalHeader().defaultSectionSize()
        tasks.setMinimumHeight(header + row + 2 * tasks.frameWidth())
        self.splitter = named(QSplitter(), "mainSplitter")
        self.splitter.setProperty("orientation", VERTICAL)
        self.splitter.setChildrenCollapsible(False)
        panes = ((self.form_scroll, 0), (task_pane, 3), (status_panel, 1), (outbox_panel, 1))
        for pane, stretch in panes:
            self.splitter.addWidget(pane)
            self.splitter.setStretchFactor(self.splitter.indexOf(pane), stretch)
        self._tasks, self._result, self._outbox = task_pane, status_panel, outbox_panel
        self.user_sized = False
        """Once the user drags a pane's edge, the panes keep the sizes the user gave them."""
        self.splitter.splitterMoved.connect(self._dragged)
        status_panel.said.connect(self._refit_soon)
        for shown in (outbox_panel.model.modelReset, outbox_panel.model.rowsInserted):
            shown.connect(self._outbox_filled)
        self.central = QWidget()
        self.outer = QVBoxLayout(self.central)
        self.outer.setContentsMargins(MARGIN, 0, MARGIN, 0)
        self.outer.addWidget(self.splitter)

    def fit_form(self) -> None:
        """The form gets the height it asks for, as far as the panes below can give it up,
        down to their minimums (a splitter left to itself shares the shortfall of a small
        screen in proportion, and the form scrolled on a 2x laptop while the result list
        stood half empty)."""
        if self.user_sized or not self.form_scroll.verticalScrollBar().maximum():
            return  # the form shows whole (cheap to tell: its hints take ~10 ms to compute)
        sizes = self.splitter.sizes()
        total, panes = sum(sizes), (self._tasks, self._result, self._outbox)
        others = sum(p.minimumSizeHint().height() for p in panes if not p.isHidden())
        form = max(self.form_scroll.minimumSizeHint().height(), sizes[0])
        form = min(max(form, self.form_scroll.sizeHint().height()), total - others)
        if form <= sizes[0]:
            return
        rest = total - form
        outbox = self._outbox.minimumSizeHint().height()
        outbox = 0 if self._outbox.isHidden() else max(outbox, rest // 4)
        self.splitter.setSizes([form, *self._below(rest - outbox), outbox])

    def _below(self, height: int) -> list[int]:
        """The task list and the result panel sharing `height`: three quarters to the tasks,
        each at least its minimum."""
        result = self._result.minimumSizeHint().height()
        result = max(result, height // 4)
        tasks = max(self._tasks.minimumSizeHint().height(), height - result)
        return [tasks, height - tasks]

    def _refit_soon(self) -> None:
        """After the splitter's own re-share, which the result pane's growth set off: it
        shares the height by the panes' size hints, and the form would lose its room."""
        QTimer.singleShot(0, self.splitter, self.fit_form)  # never after the window is gone

    def _dragged(self) -> None:
        self.user_sized = True

    def _outbox_filled(self) -> None:
        """Rows arrived, and the outbox shows itself (just after this signal). A QSplitter
        lays out a pane that appears later, and gives one that was hidden when the window
        showed no height at all, so it is shown here and given its share at once: half of
        what the form leaves, at least its minimum (the form keeps its height if it can)."""
        outbox = self._outbox
        if not outbox.isHidden() or not outbox.model.rowCount() or not self.splitter.isVisible():
            return
        sizes = self.splitter.sizes()
        outbox.show()
        needed, total = outbox.minimumSizeHint().height(), sum(sizes)
        form_min = self.form_scroll.minimumSizeHint().height()
        others = sum(p.minimumSizeHint().height() for p in (self._tasks, self._result)) + needed
        form = max(min(sizes[0], total - others), form_min)
        share = max(needed, (total - form) // 4)
        self.splitter.setSizes([form, *self._below(total - form - share), share])
