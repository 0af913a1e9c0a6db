"""The account part with no worker: the File menu's actions follow the sign-in state, the
dialog opens when there is no token, and the banner says the outbox waits for a sign-in."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from desktop.ui.account import Account
from tests.ui_helpers import child, wait_for_top_level


@pytest.fixture
def host(qtbot: QtBot) -> Iterator[QWidget]:
    window = QWidget()
    QVBoxLayout(window)
    qtbot.addWidget(window)
    window.show()
    yield window
    window.close()


def account_in(host: QWidget) -> tuple[Account, list[QAction]]:
    actions = [QAction(host) for _ in range(3)]  # sign in, sign out, refresh
    layout = host.layout()
    assert isinstance(layout, QVBoxLayout)
    return Account(host, layout, actions), actions


def test_no_token_opens_the_dialog_and_only_sign_in_is_offered(qtbot: QtBot, host: QWidget) -> None:
    account, (sign_in, sign_out, refresh) = account_in(host)
    opened: list[bool] = []
    account.opening.connect(lambda: opened.append(True))
    account.restored(False)
    dialog = wait_for_top_level(qtbot, "signInDialog")
    assert opened == [True]
    assert (sign_in.isEnabled(), sign_out.isEnabled(), refresh.isEnabled()) == (True, False, False)
    account.signed_in()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert (sign_in.isEnabled(), sign_out.isEnabled(), refresh.isEnabled()) == (False, True, True)


def test_a_token_toggl_stops_accepting_shows_the_banner_until_signed_in(host: QWidget) -> None:
    account, _ = account_in(host)
    account.restored(True)
    account.sign_in_needed(False, 0)
    assert host.findChild(QWidget, "signInBanner") is None  # built on first need only
    account.sign_in_needed(True, 3)
    banner = child(host, QWidget, "signInBanner")
    assert banner.isVisible()
    assert "3" in child(banner, QLabel, "signInBannerText").text()
    account.sign_in_needed(False, 3)
    assert not banner.isVisible()
    account.close()
