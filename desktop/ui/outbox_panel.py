"""The tasks waiting to reach Toggl, and the ones it refused: Edit (and retry), Discard and
Send now, each saying in its tooltip why it is enabled or not (words: desktop.ui.outbox_text)."""

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

from desktop.domain.display import literal_tooltip
from desktop.session_rows import OutboxState
from desktop.ui.colours import refused_row_colour
from desktop.ui.naming import named
from desktop.ui.outbox_text import (
    EDIT_TEXT,
    NOTHING_WAITING,
    RETRY_TEXT,
    SEND_NOW_TIP,
    can_discard,
    can_edit,
    discard_question,
    discard_tip,
    edit_tip,
    row_text,
)
from desktop.ui.qt_values import DISPLAY_ROLE, FOREGROUND_ROLE, TOOL_TIP_ROLE, USER_ROLE

if TYPE_CHECKING:
    from desktop.session import SyncView
    from desktop.session_rows import OutboxRow

__all__ = ["OutboxListModel", "OutboxPanel", "row_text"]

_Index = QModelIndex | QPersistentModelIndex
ROW_ID_ROLE = USER_ROLE


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
    """Emits `retryRequested(row)` to load a refused or waiting row into the form,
    `discardConfirmed(row)` with the row as the user saw it when asked, `sendNowRequested()`."""

    retryRequested = Signal(object)
    discardConfirmed = Signal(object)
    sendNowRequested = Signal()

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
        self.retry_button = named(QPushButton(RETRY_TEXT), "retryButton")
        self.discard_button = named(QPushButton("Discard…"), "discardButton")
        self.send_now_button = named(QPushButton("Send now"), "sendNowButton")
        self.retry_button.setAccessibleName(RETRY_TEXT)
        self.discard_button.setAccessibleName("Discard")
        self.send_now_button.setAccessibleName("Send now")
        self._send_now_blocked: str | None = None
        buttons = QHBoxLayout()
        buttons.addWidget(self.send_now_button)
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
        self.send_now_button.clicked.connect(self._send_now)
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

    def sync_changed(self, view: SyncView) -> None:
        """The sync's state: whether "Send now" can do anything, and why not."""
        self._send_now_blocked = view.send_now_blocked
        self._update_buttons()

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
        text = EDIT_TEXT if row is not None and row.state is OutboxState.QUEUED else RETRY_TEXT
        self.retry_button.setText(text)
        self.retry_button.setAccessibleName(text)
        self.retry_button.setEnabled(can_edit(row))
        self.retry_button.setToolTip(edit_tip(row))
        self.discard_button.setEnabled(can_discard(row))
        self.discard_button.setToolTip(discard_tip(row))
        blocked = self._send_now_blocked
        if blocked is None and not any(r.state is not OutboxState.FAILED for r in self.model.rows):
            blocked = NOTHING_WAITING
        self.send_now_button.setEnabled(blocked is None)
        self.send_now_button.setToolTip(blocked or SEND_NOW_TIP)

    def _retry(self) -> None:
        row = self.selected_row()
        if can_edit(row):
            self.retryRequested.emit(row)

    def _send_now(self) -> None:
        if self.send_now_button.isEnabled():
            self.sendNowRequested.emit()

    def _ask_discard(self) -> None:
        row = self.selected_row()
        if row is None or not can_discard(row):
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
        seen = row  # as the user was told: a row sent meanwhile is then kept (the worker says so)

        def answered() -> None:
            if box.clickedButton() is box.button(QMessageBox.StandardButton.Discard):
                self.discardConfirmed.emit(seen)

        box.finished.connect(answered)
        box.finished.connect(box.deleteLater)
        box.open()
