"""The tasks waiting to reach Toggl, and the ones it refused, with Retry and Discard."""

from __future__ import annotations

from bisect import bisect_left
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.display import isolate, literal_tooltip
from desktop.session_rows import OutboxState
from desktop.ui.colours import refused_row_colour
from desktop.ui.naming import named
from desktop.ui.qt_values import DISPLAY_ROLE, FOREGROUND_ROLE, TOOL_TIP_ROLE, USER_ROLE

if TYPE_CHECKING:
    from desktop.session_rows import OutboxRow

_Index = QModelIndex | QPersistentModelIndex
ROW_ID_ROLE = USER_ROLE
DISCARDABLE = (OutboxState.QUEUED, OutboxState.FAILED, OutboxState.UNCONFIRMED)
"""Not a row being sent this moment: its request is under way."""
MAY_BE_IN_TOGGL = (
    "This task may already be in Toggl (its answer was lost). "
    "Discarding it here does not delete it there."
)
STILL_CHECKING = "Task Desk is still checking whether Toggl received this task."
RETRY_TIP = "Load this task into the form, to fix it and send it again."
RETRY_MAYBE_SENT_TIP = (
    "This task may already be in Toggl (its answer was lost): look there before sending it again."
)


def may_be_in_toggl(row: OutboxRow) -> bool:
    """A request for it left and no answer came back: Toggl may have stored it."""
    return row.state is OutboxState.UNCONFIRMED or row.maybe_sent


def discard_question(row: OutboxRow) -> str:
    name = isolate(row.draft.name)
    if may_be_in_toggl(row):
        return f"Discard “{name}”? {MAY_BE_IN_TOGGL}"
    if row.state is OutboxState.FAILED:
        return f"Discard “{name}”? It was never created in Toggl, and what you typed will be gone."
    return f"Discard “{name}”? It has not been sent to Toggl yet, and what you typed will be gone."


def row_text(row: OutboxRow) -> str:
    """Two lines of plain text; names and Toggl's words are bidi isolates where they need to be,
    so a right-to-left override in a task name cannot reverse the rest of the row."""
    where = f" — {isolate(row.project_label)}" if row.project_label else ""
    if row.state is OutboxState.FAILED:
        state = f"Failed: {isolate(row.reason or 'Toggl refused it.')}"
    elif row.state is OutboxState.SENDING:
        state = "Sending…"
    elif row.state is OutboxState.UNCONFIRMED:
        state = "Checking whether Toggl received it…"
    else:
        state = "Waiting to be sent"  # why the last try failed is in the tooltip
    return f"{isolate(row.draft.name)}{where}\n{state}"


def _row_id(row: OutboxRow) -> int:
    return row.id


class OutboxListModel(QAbstractListModel):
    """The waiting rows in id order. While the outbox drains, one row changes per sent task:
    it is updated or removed in place, so the view never re-reads the other hundreds."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[OutboxRow] = []

    def set_rows(self, rows: list[OutboxRow]) -> None:
        self.beginResetModel()
        self.rows = sorted(rows, key=_row_id)
        self.endResetModel()

    def put(self, row: OutboxRow) -> None:
        """Show `row` as it now is: added, updated, or removed once delivered."""
        if row.state is OutboxState.DONE:
            self.remove(row.id)
            return
        position = self._position(row.id)
        if position is not None:
            self.rows[position] = row
            index = self.index(position, 0)
            self.dataChanged.emit(index, index)
        else:
            at = bisect_left(self.rows, row.id, key=_row_id)
            self.beginInsertRows(QModelIndex(), at, at)
            self.rows.insert(at, row)
            self.endInsertRows()

    def remove(self, row_id: int) -> None:
        position = self._position(row_id)
        if position is not None:
            self.beginRemoveRows(QModelIndex(), position, position)
            del self.rows[position]
            self.endRemoveRows()

    def _position(self, row_id: int) -> int | None:
        at = bisect_left(self.rows, row_id, key=_row_id)
        return at if at < len(self.rows) and self.rows[at].id == row_id else None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index: _Index, role: int = DISPLAY_ROLE) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        if role == DISPLAY_ROLE:
            return row_text(row)
        if role == ROW_ID_ROLE:
            return row.id
        if role == TOOL_TIP_ROLE:
            return literal_tooltip(row.reason)
        if role == FOREGROUND_ROLE and row.state is OutboxState.FAILED:
            return refused_row_colour()
        return None


class OutboxPanel(QGroupBox):
    """Emits `retryRequested(row)` to load a failed row into the form, `discardConfirmed(id)`."""

    retryRequested = Signal(object)
    discardConfirmed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Waiting to sync", parent)
        self.setObjectName("outboxPanel")
        self.model = OutboxListModel()
        self.view = named(QListView(), "outboxView")
        self.view.setAccessibleName("Outbox")
        self.view.setModel(self.model)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setUniformItemSizes(True)  # two lines each: no per-row measuring
        self.view.setAlternatingRowColors(True)
        self.retry_button = named(QPushButton("Edit and retry"), "retryButton")
        self.discard_button = named(QPushButton("Discard…"), "discardButton")
        self.retry_button.setAccessibleName("Edit and retry")
        self.discard_button.setAccessibleName("Discard")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.retry_button)
        buttons.addWidget(self.discard_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        layout.addLayout(buttons)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.view.doubleClicked.connect(self._retry)
        self.retry_button.clicked.connect(self._retry)
        self.discard_button.clicked.connect(self._ask_discard)
        self._update_buttons()
        self.hide()

    def set_rows(self, rows: list[OutboxRow]) -> None:
        self.model.set_rows(rows)
        self._rows_changed()

    def put_row(self, row: OutboxRow) -> None:
        """A row was queued, changed state or was delivered (DONE: it leaves the list)."""
        self.model.put(row)
        self._rows_changed()

    def remove_row(self, row_id: int) -> None:
        self.model.remove(row_id)
        self._rows_changed()

    def _rows_changed(self) -> None:
        rows = self.model.rows
        pending = sum(1 for row in rows if row.state is not OutboxState.FAILED)
        failed = len(rows) - pending
        parts = [f"{pending} waiting" if pending else "", f"{failed} failed" if failed else ""]
        self.setTitle("Outbox: " + ", ".join(p for p in parts if p) if rows else "Outbox")
        self.setVisible(bool(rows))
        self._update_buttons()

    def selected_row(self) -> OutboxRow | None:
        index = self.view.currentIndex()
        if not index.isValid() or index.row() >= len(self.model.rows):
            return None
        return self.model.rows[index.row()]

    def _update_buttons(self) -> None:
        row = self.selected_row()
        failed = row is not None and row.state is OutboxState.FAILED
        self.retry_button.setEnabled(failed)
        self.retry_button.setToolTip(self._retry_tip(row))
        self.discard_button.setEnabled(row is not None and row.state in DISCARDABLE)

    @staticmethod
    def _retry_tip(row: OutboxRow | None) -> str:
        if row is None:
            return ""
        if row.state is OutboxState.UNCONFIRMED:
            return STILL_CHECKING
        if row.state is OutboxState.FAILED:
            return RETRY_MAYBE_SENT_TIP if row.maybe_sent else RETRY_TIP
        return ""

    def _retry(self) -> None:
        row = self.selected_row()
        if row is not None and row.state is OutboxState.FAILED:
            self.retryRequested.emit(row)

    def _ask_discard(self) -> None:
        row = self.selected_row()
        if row is None or row.state not in DISCARDABLE:
            return
        from PySide6.QtCore import Qt  # loaded when first needed, not at start
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Discard task?",
            discard_question(row),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName("discardConfirmation")
        box.setTextFormat(Qt.TextFormat.PlainText)  # the task's name, literally
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        row_id = row.id

        def answered() -> None:
            if box.clickedButton() is box.button(QMessageBox.StandardButton.Discard):
                self.discardConfirmed.emit(row_id)

        box.finished.connect(answered)
        box.finished.connect(box.deleteLater)
        box.open()
