"""The window under a light and a dark Fusion palette: errors, hints and refused outbox rows
are rendered with at least WCAG AA contrast (4.5:1) against what they are drawn on.

Contrast is measured on the rendered pixels, not on the colours the code asked for: the pixel of
a label that stands out most from its background is the glyphs' own colour (antialiased edges
lie between the two), so a colour that does not read cannot pass.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QListView, QWidget
from pytestqt.qtbot import QtBot

from desktop.session_rows import OutboxState
from desktop.ui.colours import AA_CONTRAST, contrast
from desktop.ui.main_window import MainWindow
from tests.ui_helpers import child
from tests.unit.ui.test_view_models import row


def dark_palette() -> QPalette:
    palette = QPalette()
    roles = QPalette.ColorRole
    for role, colour in (
        (roles.Window, "#2b2b2b"),
        (roles.WindowText, "#f0f0f0"),
        (roles.Base, "#1e1e1e"),
        (roles.AlternateBase, "#2d2d2d"),
        (roles.Text, "#f0f0f0"),
        (roles.Button, "#353535"),
        (roles.ButtonText, "#f0f0f0"),
        (roles.Highlight, "#2a82da"),
        (roles.HighlightedText, "#000000"),
        (roles.PlaceholderText, "#9a9a9a"),
        (roles.ToolTipBase, "#2b2b2b"),
        (roles.ToolTipText, "#f0f0f0"),
    ):
        palette.setColor(role, QColor(colour))
    return palette


@pytest.fixture(params=["light", "dark"])
def theme(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    """Set before the window is built (ask for it before `window`), restored after."""
    old_style, old_palette = qapp.style().name(), qapp.palette()
    style = qapp.setStyle("Fusion")
    assert style is not None
    qapp.setPalette(dark_palette() if request.param == "dark" else style.standardPalette())
    yield str(request.param)
    qapp.setStyle(old_style)
    qapp.setPalette(old_palette)


def strongest_pixel(widget: QWidget, area: QRect, background: QColor) -> QColor:
    image = widget.grab(area).toImage()
    best, best_contrast = background, 1.0
    for y in range(image.height()):
        for x in range(image.width()):
            pixel = image.pixelColor(x, y)
            ratio = contrast(pixel, background)
            if ratio > best_contrast:
                best, best_contrast = pixel, ratio
    return best


def label_text_colour(label: QLabel) -> QColor:
    assert label.isVisible(), label.objectName()
    assert label.text(), label.objectName()
    return strongest_pixel(label, label.rect(), label.palette().color(QPalette.ColorRole.Window))


def is_red(colour: QColor) -> bool:
    return colour.red() > colour.green() + 60 and colour.red() > colour.blue() + 60


def test_errors_and_hints_read_on_the_window(qtbot: QtBot, theme: str, window: MainWindow) -> None:
    background = window.palette().color(QPalette.ColorRole.Window)
    assert (background.lightness() < 100) == (theme == "dark")
    estimate, hint = child(window, QLineEdit, "estimateEdit"), child(window, QLabel, "estimateHint")

    estimate.setText("90")
    qtbot.waitUntil(lambda: "90 min" in hint.text() or "1 h 30 min" in hint.text())
    hint_colour = label_text_colour(hint)
    assert contrast(hint_colour, background) >= AA_CONTRAST, hint_colour.name()

    estimate.setText("soon")
    qtbot.waitUntil(lambda: hint.text().startswith("Type a duration"))
    error = label_text_colour(hint)
    assert is_red(error), error.name()
    assert contrast(error, background) >= AA_CONTRAST, error.name()

    name_edit = child(window, QLineEdit, "taskNameEdit")
    name_edit.setText("x" * 300)
    note = child(window, QLabel, "taskNameNote")
    qtbot.waitUntil(note.isVisible)
    note_colour = label_text_colour(note)
    assert is_red(note_colour)
    assert contrast(note_colour, background) >= AA_CONTRAST


def test_a_refused_outbox_row_reads_on_the_list(
    qtbot: QtBot, theme: str, window: MainWindow
) -> None:
    window.outbox_panel.set_rows(
        [row(1).replace(state=OutboxState.FAILED, reason="Name has already been taken")]
    )
    view = child(window, QListView, "outboxView")
    qtbot.waitUntil(view.isVisible)
    area = view.visualRect(view.model().index(0, 0))
    base = view.palette().color(QPalette.ColorRole.Base)
    text = strongest_pixel(view.viewport(), area, base)
    assert is_red(text), text.name()
    assert contrast(text, base) >= AA_CONTRAST, text.name()
