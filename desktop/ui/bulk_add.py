"""The bulk dialog (File ▸ Add many…): lines pasted or typed in the quick-add syntax, one task
each; a preview with one row per non-empty line saying what was understood or what is wrong;
"Create N tasks", enabled only when every line is understood, queues them all in one
transaction (desktop.ui.adding_actions), and the dialog says what that costs against Toggl's
hourly quota.

Built when first opened (nothing here is on the path to the first paint). A change after a
quiet moment (a paste) is read at once; changes coming faster (typing) are read together once
100 ms have passed without one, by a reader that remembers every line it read
(desktop.ui.line_reader): a paste of 500 lines is read once, an edit re-reads one line.
Closing the dialog with lines in it asks first: nothing typed is dropped silently.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.display import literal_tooltip
from desktop.ui.colours import error_style, hint_style, refused_row_colour
from desktop.ui.line_reader import LineReader, Lists, Reading
from desktop.ui.naming import named
from desktop.ui.quota_label import cost_sentence
from desktop.ui.widgets import plain_label, set_style

if TYPE_CHECKING:
    from desktop.session_quota import QuotaSeen
    from desktop.ui.payloads import Submission

_Index = QModelIndex | QPersistentModelIndex

REREAD_MS = 100
"""Changes within this long of the last reading wait for the typing to pause."""
PLACEHOLDER = (
    "One task a line, as in the quick-add line:\n"
    "Write report 1h30 @web +sam\n"
    "Call 3 clients 45m\n"
    'Send invoice @"Acme Corp" !done'
)
HEADERS = ("Line", "Understood as")


def create_text(count: int) -> str:
    return "Create 1 task" if count == 1 else f"Create {count} tasks"


class PreviewModel(QAbstractTableModel):
    """One row per non-empty line: its number, and what it was understood as or what is
    wrong with it (drawn in the error colour)."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[tuple[int, Reading]] = []

    def set_rows(self, rows: list[tuple[int, Reading]]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: _Index, role: int = 0) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        number, reading = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return str(number) if index.column() == 0 else reading.text
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 1:
            return literal_tooltip(reading.text)
        if role == Qt.ItemDataRole.ForegroundRole and not reading.ok:
            return refused_row_colour()
        return None


class BulkAddDialog(QDialog):
    submitted = Signal(object)  # list[Submission]: every line's task, all understood

    def __init__(
        self,
        parent: QWidget,
        lists: Callable[[], Lists],
        quota: Callable[[], QuotaSeen | None],
    ) -> None:
        super().__init__(parent)
        self.setObjectName("bulkAddDialog")
        self.setWindowTitle("Add many tasks")
        self._lists, self._quota = lists, quota
        self._reader: LineReader | None = None
        self._saving = False
        self.edit = named(QPlainTextEdit(), "bulkAddEdit")
        self.edit.setAccessibleName("Tasks, one a line")
        self.edit.setPlaceholderText(PLACEHOLDER)
        self.edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.model = PreviewModel()
        self.preview = named(QTableView(), "bulkPreview")
        self.preview.setAccessibleName("What each line was understood as")
        self.preview.setModel(self.model)
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.preview.setWordWrap(False)
        self.preview.verticalHeader().hide()
        rows = self.preview.verticalHeader()
        rows.setAccessibleName("Preview rows")
        for corner in self.preview.findChildren(QAbstractButton, "qt_tableview_cornerbutton"):
            corner.setAccessibleName("Select all lines")  # hidden with the row headers
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # one line each, never measured
        rows.setDefaultSectionSize(self.fontMetrics().lineSpacing() + 6)
        header = self.preview.horizontalHeader()
        header.setAccessibleName("Preview columns")
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)  # never measures rows
        header.resizeSection(0, self.fontMetrics().horizontalAdvance("Line 000"))
        header.setStretchLastSection(True)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.summary = plain_label("bulkSummary")
        self.summary.setWordWrap(True)
        self.cost = plain_label("bulkCost")
        self.cost.setWordWrap(True)
        set_style(self.cost, hint_style())
        self.add_button = named(QPushButton(create_text(0)), "bulkAddButton")
        self.add_button.setEnabled(False)
        self.add_button.setDefault(False)
        self.add_button.setAutoDefault(False)  # Enter in the text is a new line, never a send
        close = named(QPushButton("Close"), "bulkCloseButton")
        close.setAccessibleName("Close")
        close.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.cost, 1)
        buttons.addWidget(close)
        buttons.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Paste or type the tasks, one a line:"))
        layout.addWidget(self.edit, 2)
        layout.addWidget(self.preview, 3)
        layout.addWidget(self.summary)
        layout.addLayout(buttons)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REREAD_MS)
        self._timer.timeout.connect(self._quiet)
        self._unread = False
        """The text changed since it was last read (while the timer runs)."""
        self.edit.textChanged.connect(self._changed)
        self.add_button.clicked.connect(self._create)
        close.clicked.connect(self.reject)
        self.resize(640, 480)
        self.reread()

    # --- reading -----------------------------------------------------------------------------

    def reader(self) -> LineReader:
        lists = self._lists()
        if self._reader is None or not self._reader.same_lists(lists):
            self._reader = LineReader(lists)
        return self._reader

    def _changed(self) -> None:
        if self._timer.isActive():  # typing: read when it pauses
            self._unread = True
        else:  # after a quiet moment (a paste, the first key): at once
            self.reread()
        self._timer.start()

    def _quiet(self) -> None:
        if self._unread:
            self.reread()

    def reread(self) -> None:
        """Read every non-empty line; the preview, the summary, the cost and the button follow."""
        self._unread = False
        reader = self.reader()
        rows = [
            (number, reader.read(line))
            for number, line in enumerate(self.edit.toPlainText().split("\n"), 1)
            if line.strip()
        ]
        self.model.set_rows(rows)
        self._show_state()

    def tasks(self) -> list[Submission] | None:
        """Every line's task, or None when there is none or any line is not understood."""
        found = [reading.submission for _, reading in self.model.rows]
        ready = [task for task in found if task is not None]
        return ready if ready and len(ready) == len(found) else None

    def _show_state(self) -> None:
        rows = self.model.rows
        wrong = sum(not reading.ok for _, reading in rows)
        count = len(rows)
        if self._saving:
            said = f"Saving {count} tasks…"
        elif wrong:
            verb, them = ("is", "it") if wrong == 1 else ("are", "them")
            lines = "line" if count == 1 else "lines"
            said = f"{wrong} of {count} {lines} {verb} not understood: fix {them} to go on."
        else:
            said = "" if count else "No tasks yet."
        set_style(self.summary, error_style() if wrong and not self._saving else hint_style())
        self.summary.setText(said)
        self.add_button.setText(create_text(count))
        self.add_button.setAccessibleName(create_text(count))
        self.add_button.setEnabled(not self._saving and count > 0 and not wrong)
        self.show_cost()

    def show_cost(self) -> None:
        count = len(self.model.rows)
        self.cost.setText(cost_sentence(count, self._quota()) if count else "")

    # --- creating ----------------------------------------------------------------------------

    def _create(self) -> None:
        self.reread()  # what is shown now is what is sent, the last keystroke included
        tasks = self.tasks()
        if tasks is None or self._saving:
            return
        self._saving = True
        self.edit.setReadOnly(True)
        self._show_state()
        self.submitted.emit(tasks)

    def queued(self) -> None:
        """The worker saved every task: the lines are in the outbox now, not here."""
        if not self._saving:
            return
        self._saving = False
        self.edit.setReadOnly(False)
        self.edit.clear()
        self.reread()
        self.hide()

    def failed(self, message: str) -> None:
        """Nothing was saved: the lines stay, and the dialog says why."""
        if not self._saving:
            return
        self._saving = False
        self.edit.setReadOnly(False)
        self._show_state()
        set_style(self.summary, error_style())
        self.summary.setText(message)

    # --- closing -----------------------------------------------------------------------------

    def holds_lines(self) -> bool:
        """Lines typed and not yet queued (or being saved): closing would drop them."""
        return self._saving or bool(self.edit.toPlainText().strip())

    def reject(self) -> None:
        """Close (Escape, the Close button, the title bar): lines typed are discarded only
        once the user says so; while saving, the dialog stays until the worker answers."""
        if self._saving:
            return
        text = self.edit.toPlainText()
        if not text.strip():
            super().reject()
            return
        lines = sum(bool(line.strip()) for line in text.split("\n"))
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Discard these tasks?",
            f"Discard the {lines} lines typed here? They have not been added."
            if lines > 1
            else "Discard the line typed here? It has not been added.",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName("bulkDiscardConfirmation")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)

        def answered() -> None:
            if box.clickedButton() is box.button(QMessageBox.StandardButton.Discard):
                self.edit.clear()
                self.reread()
                super(BulkAddDialog, self).reject()

        box.finished.connect(answered)
        box.finished.connect(box.deleteLater)
        box.open()
