"""The banners above the form: whole sentences that wrap, shown literally, with their buttons."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.ui.sign_in_banner import KeychainBanner, SignInBanner, banner_text


@pytest.mark.parametrize(
    ("queued", "then"),
    [
        (0, "Sign in again to go on."),
        (1, "Sign in again to send the queued task."),
        (3, "Sign in again to send the 3 queued tasks."),
    ],
)
def test_the_sign_in_banner_counts_what_waits(queued: int, then: str) -> None:
    assert banner_text(queued) == f"Toggl no longer accepts your sign-in. {then}"


def test_the_sign_in_banner_asks_for_sign_in(qtbot: QtBot) -> None:
    banner = SignInBanner()
    qtbot.addWidget(banner)
    banner.show_queued(2)
    assert banner.isVisible()
    assert banner.text.text() == banner_text(2)
    assert banner.accessibleDescription() == banner_text(2)
    with qtbot.waitSignal(banner.signInRequested):
        qtbot.mouseClick(banner.button, Qt.MouseButton.LeftButton)


def test_the_keychain_banner_shows_text_literally_and_closes(qtbot: QtBot) -> None:
    banner = KeychainBanner()
    qtbot.addWidget(banner)
    markup = "<b>The system keychain</b> is locked"
    banner.say(markup)
    assert banner.isVisible()
    assert banner.text.textFormat() == Qt.TextFormat.PlainText
    assert banner.text.text() == markup
    assert banner.text.wordWrap()
    assert banner.close_button.accessibleName()
    qtbot.mouseClick(banner.close_button, Qt.MouseButton.LeftButton)
    assert not banner.isVisible()
    banner.say("Again.")  # a later problem shows it again
    assert banner.isVisible()
