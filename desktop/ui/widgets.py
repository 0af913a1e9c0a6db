"""Small builders the window's parts share: labels that show text literally, field notes."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QWidget

from desktop.ui.colours import error_style
from desktop.ui.naming import named
from desktop.ui.qt_values import PLAIN_TEXT


def plain_label(name: str, text: str = "") -> QLabel:
    """A label that shows its text literally: QLabel's default (Qt.AutoText) would render a
    Toggl message or a project name that looks like HTML as rich text, links and images too."""
    label = named(QLabel(text), name)
    label.setProperty("textFormat", PLAIN_TEXT)  # by name: see desktop.ui.qt_values
    return label


def note(name: str) -> QLabel:
    """A hidden red note under a field, for what is wrong with it."""
    label = plain_label(name)
    label.setWordWrap(True)
    label.setStyleSheet(error_style())
    label.hide()
    return label


def show_note(label: QLabel, text: str | None) -> None:
    label.setText(text or "")
    label.setVisible(bool(text))


def set_style(widget: QWidget, style: str) -> None:
    """Only when it changes: each setStyleSheet re-polishes the widget (this runs per keystroke)."""
    if widget.styleSheet() != style:
        widget.setStyleSheet(style)


def action(text: str, parent: QWidget, slot: Callable[[], object]) -> QAction:
    made = QAction(parent)  # not QAction(text, parent): resolving that overload costs ~5 ms
    made.setText(text)
    made.triggered.connect(slot)
    return made
