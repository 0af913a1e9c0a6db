"""The colours of errors, hints and refused outbox rows, derived from the palette in use.

Nothing is hard-coded against one theme: a red that reads on a light window (#b3261e) is
1.96:1 on a dark one, and a fixed grey hint is 2.1:1. Each colour starts from a hue and is moved
in lightness, away from the background it is drawn on, until it reaches WCAG AA contrast (4.5:1,
with a little margin) against that background.
"""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtGui import QColor, QGuiApplication, QPalette

AA_CONTRAST = 4.5
_TARGET = 4.7  # a margin over AA, so antialiased glyph cores still pass
_LIGHT_RED, _DARK_RED = QColor(0xB3, 0x26, 0x1E), QColor(0xF2, 0x8B, 0x82)


def relative_luminance(colour: QColor) -> float:
    """WCAG 2's relative luminance of an sRGB colour."""

    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    red, green, blue = colour.redF(), colour.greenF(), colour.blueF()
    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


def contrast(first: QColor, second: QColor) -> float:
    """WCAG 2's contrast ratio, from 1 (same) to 21 (black on white)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _is_dark(background: QColor) -> bool:
    return relative_luminance(background) < 0.18


def _readable(start: QColor, background: QColor) -> QColor:
    """`start`, made darker on a light background or lighter on a dark one until it reads."""
    # Not QColor(start): that overload's resolution builds PySide6's `Qt` namespace (~40 ms),
    # which nothing before the first paint may read (see desktop.ui.qt_values).
    colour, towards_light = QColor.fromRgb(start.rgb()), _is_dark(background)
    for _ in range(50):
        if contrast(colour, background) >= _TARGET:
            return colour
        lightness = colour.lightnessF()
        lightness = min(1.0, lightness + 0.02) if towards_light else max(0.0, lightness - 0.02)
        colour = QColor.fromHslF(colour.hslHueF(), colour.hslSaturationF(), lightness)
    return QColor(255, 255, 255) if towards_light else QColor(0, 0, 0)


@lru_cache(maxsize=8)
def _error_rgb(background: int) -> int:
    back = QColor.fromRgb(background)
    return _readable(_DARK_RED if _is_dark(back) else _LIGHT_RED, back).rgb()


@lru_cache(maxsize=8)
def _hint_rgb(text: int, background: int) -> int:
    """Text faded towards the background, but no further than still reads."""
    fore, back = QColor.fromRgb(text), QColor.fromRgb(background)
    faded = QColor(
        (fore.red() * 3 + back.red() * 2) // 5,
        (fore.green() * 3 + back.green() * 2) // 5,
        (fore.blue() * 3 + back.blue() * 2) // 5,
    )
    return _readable(faded, back).rgb()


def error_colour(background: QColor) -> QColor:
    return QColor.fromRgb(_error_rgb(background.rgb()))


def hint_colour(text: QColor, background: QColor) -> QColor:
    return QColor.fromRgb(_hint_rgb(text.rgb(), background.rgb()))


def _palette() -> QPalette:
    return QGuiApplication.palette()


def error_style() -> str:
    """A style sheet for error text on the window's background."""
    return f"color: {error_colour(_palette().color(QPalette.ColorRole.Window)).name()};"


def hint_style() -> str:
    """A style sheet for hint text on the window's background."""
    palette = _palette()
    colour = hint_colour(
        palette.color(QPalette.ColorRole.WindowText), palette.color(QPalette.ColorRole.Window)
    )
    return f"color: {colour.name()};"


def refused_row_colour() -> QColor:
    """The text of a refused outbox row, on the list's base colour."""
    return error_colour(_palette().color(QPalette.ColorRole.Base))
