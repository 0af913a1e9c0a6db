"""The task list's "Tracked" cell: its text, and under it a thin bar of the time tracked
against the estimate, drawn from the palette (the error colour once over the estimate)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QAbstractItemView, QStyledItemDelegate

from desktop.ui.colours import error_colour
from desktop.ui.task_model import FRACTION_ROLE
from desktop.ui.task_view import BAR_GAP, BAR_HEIGHT

if TYPE_CHECKING:
    from PySide6.QtCore import QModelIndex, QPersistentModelIndex
    from PySide6.QtGui import QPainter
    from PySide6.QtWidgets import QStyleOptionViewItem

BAR_INSET = 4


def bar_rects(cell: QRect, fraction: float) -> tuple[QRect, QRect]:
    """The bar's track along the bottom of `cell`, and its filled part (at most the track)."""
    track = QRect(
        cell.left() + BAR_INSET,
        cell.bottom() - BAR_HEIGHT - 1,
        max(0, cell.width() - 2 * BAR_INSET),
        BAR_HEIGHT,
    )
    filled = QRect(track)
    filled.setWidth(round(track.width() * min(1.0, max(0.0, fraction))))
    return track, filled


class TrackedBarDelegate(QStyledItemDelegate):
    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        """Room for the bar under the text (every row: the list's rows are all one height)."""
        hint = super().sizeHint(option, index)
        return QSize(hint.width(), hint.height() + BAR_HEIGHT + BAR_GAP)

    def _selected(self, index: QModelIndex | QPersistentModelIndex) -> bool:
        """From the view's selection, not `option.state`: reading QStyle's flags builds all of
        QStyle's 27 enums (~20 ms) the first time, a stall in the middle of filling the list."""
        view = self.parent()
        if not isinstance(view, QAbstractItemView) or view.selectionModel() is None:
            return False
        return view.selectionModel().isSelected(index.sibling(index.row(), index.column()))

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        from PySide6.QtWidgets import QStyleOptionViewItem

        text_option = QStyleOptionViewItem(option)
        text_rect = QRect(option.rect)
        text_rect.setBottom(text_rect.bottom() - BAR_HEIGHT - BAR_GAP)
        text_option.rect = text_rect
        super().paint(painter, text_option, index)
        fraction = index.data(FRACTION_ROLE)
        if not isinstance(fraction, float):
            return
        palette: QPalette = option.palette
        rect: QRect = option.rect
        selected = self._selected(index)
        group = QPalette.ColorGroup.Active
        role = QPalette.ColorRole
        track, filled = bar_rects(rect, fraction)
        if selected:
            fill = palette.color(group, role.HighlightedText)
        elif fraction > 1:
            fill = error_colour(palette.color(group, role.Base))
        else:
            fill = palette.color(group, role.Highlight)
        painter.save()
        painter.fillRect(track, palette.color(group, role.Mid))
        painter.fillRect(filled, fill)
        painter.restore()
