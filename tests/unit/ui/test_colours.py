"""Errors, hints and refused rows read on any background: WCAG AA (4.5:1) whatever the theme."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtGui import QColor

from desktop.ui.colours import AA_CONTRAST, contrast, error_colour, hint_colour

channels = st.integers(min_value=0, max_value=255)
colours = st.builds(QColor, channels, channels, channels)


def test_contrast_matches_the_wcag_reference_values() -> None:
    assert round(contrast(QColor("black"), QColor("white")), 1) == 21.0
    assert contrast(QColor("#777777"), QColor("#777777")) == 1.0
    # The colours this module replaced, on a dark window (#2b2b2b): unreadable.
    assert contrast(QColor("#b3261e"), QColor("#2b2b2b")) < 2.5
    assert contrast(QColor("#800000"), QColor("#1e1e1e")) < 2
    assert contrast(QColor("#5f6368"), QColor("#2b2b2b")) < 2.5


@given(colours)
def test_the_error_colour_reads_on_any_background(background: QColor) -> None:
    assert contrast(error_colour(background), background) >= AA_CONTRAST


@given(colours, colours)
def test_the_hint_colour_reads_on_any_background(text: QColor, background: QColor) -> None:
    assert contrast(hint_colour(text, background), background) >= AA_CONTRAST


def test_errors_stay_red_on_light_and_dark_windows() -> None:
    for background in (QColor("#efefef"), QColor("#ffffff"), QColor("#2b2b2b"), QColor("#000")):
        red = error_colour(background)
        assert red.red() > red.green() + 60, red.name()
        assert red.red() > red.blue() + 60, red.name()


def test_a_hint_is_quieter_than_the_text_it_sits_beside() -> None:
    pairs = ((QColor("#000"), QColor("#efefef")), (QColor("#fff"), QColor("#2b2b2b")))
    for text, background in pairs:
        hint = hint_colour(text, background)
        assert contrast(hint, background) < contrast(text, background)
