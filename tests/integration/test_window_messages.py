"""Issue #12, item 5, through the window: one sentence per state, said once. The quota in clock
time and minutes, a 503 saying one thing, offline without an errno anywhere on screen, a refused
token called a token, no "Pick a workspace." while one is picked, the keychain notice in a
banner the user dismisses, and pages of projects counted while a slow server sends them."""

from __future__ import annotations

import re
from collections.abc import Callable

import keyring
import pytest
from keyring.errors import KeyringLocked
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QFrame,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from desktop import credentials
from desktop.ui.main_window import MainWindow
from tests.fake_toggl import FakeToggl
from tests.ui_helpers import (
    child,
    fill_task,
    sign_in_with_token,
    status_text,
    wait_for_projects,
)

TOGGL_QUOTA = "You have hit your hourly limit for API calls. The quota will reset in 1499 seconds."
RAW = re.compile(r"Errno|Error\b|Exception|Traceback|\[\w+ \d+\]")
"""What exception text looks like: none of it may reach the screen."""


@pytest.fixture
def env_token(monkeypatch: pytest.MonkeyPatch, fake: FakeToggl) -> None:
    monkeypatch.setenv(credentials.ENV_TOKEN, fake.token)


def submit(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.mouseClick(child(window, QPushButton, "submitButton"), Qt.MouseButton.LeftButton)


def indicator(window: MainWindow) -> QLabel:
    return child(window, QLabel, "connectionIndicator")


def screen_texts(window: QWidget) -> list[str]:
    """Everything the window shows in words: visible labels (status bar included), the status
    bar's message, placeholders, the outbox rows and their tooltips, and open dialogs."""
    texts = [window.statusBar().currentMessage()] if isinstance(window, MainWindow) else []
    for top in [window, *QApplication.topLevelWidgets()]:
        if not top.isVisible():
            continue
        texts += [label.text() for label in top.findChildren(QLabel) if label.isVisible()]
        texts += [edit.placeholderText() for edit in top.findChildren(QLineEdit)]
    for view in window.findChildren(QAbstractItemView):
        model = view.model()
        for row in range(model.rowCount()):
            index = model.index(row, 0)
            texts += [str(index.data()), str(index.data(Qt.ItemDataRole.ToolTipRole) or "")]
    return [text for text in texts if text]


@pytest.mark.usefixtures("env_token")
def test_a_spent_quota_is_said_once_in_clock_time_and_minutes(
    qtbot: QtBot, make_window: Callable[[], MainWindow], fake: FakeToggl
) -> None:
    window = make_window()
    wait_for_projects(qtbot, window)
    fake.fail_next(
        402,
        f'"{TOGGL_QUOTA}"',
        method="POST",
        headers={"X-Toggl-Quota-Remaining": "0", "X-Toggl-Quota-Resets-In": "1499"},
    )
    fill_task(window, fake, "After the quota", "30")
    submit(qtbot, window)
    qtbot.waitUntil(lambda: "outbox" in status_text(window))
    panel = status_text(window)
    assert re.fullmatch(
        r"Saved “After the quota” in the outbox\. Toggl's hourly limit is reached; "
        r"waiting until \d\d:\d\d \(2[45] min\)\.",
        panel,
    ), panel
    everything = " ".join(screen_texts(window))
    assert "seconds" not in everything
    assert "1499" not in everything
    assert panel.count("hourly limit") == 1
    assert window.statusBar().currentMessage() == ""


@pytest.mark.usefixtures("env_token")
def test_a_503_says_one_thing(
    qtbot: QtBot, make_window: Callable[[], MainWindow], fake: FakeToggl
) -> None:
    window = make_window()
    wait_for_projects(qtbot, window)
    fake.fail_next(503, '"Service unavailable"', method="POST", count=50)
    fill_task(window, fake, "Through a 503", "30")
    submit(qtbot, window)
    qtbot.waitUntil(lambda: "outbox" in status_text(window))
    assert status_text(window) == (
        "Saved “Through a 503” in the outbox. Toggl had a problem on its side "
        "(503: Service unavailable). Task Desk will try again shortly."
    )
    fake.clear_faults()


@pytest.mark.usefixtures("env_token")
def test_going_offline_shows_no_errno_or_exception_text_anywhere(
    qtbot: QtBot, make_window: Callable[[], MainWindow], fake: FakeToggl
) -> None:
    window = make_window()
    wait_for_projects(qtbot, window)
    fake.go_down()
    fill_task(window, fake, "On the train", "30")
    submit(qtbot, window)
    saved = (
        "Saved “On the train” in the outbox. "
        "Toggl cannot be reached (you may be offline). Tasks are kept and sent when it can."
    )
    # The sync status (the indicator) comes before the step's outcome (the sentence).
    qtbot.waitUntil(lambda: indicator(window).text() == "Offline — 1 queued")
    qtbot.waitUntil(lambda: status_text(window) == saved)
    window.refresh_action.trigger()  # the lists too, then a second task
    status_bar = window.statusBar()
    qtbot.waitUntil(lambda: "Showing the lists saved earlier" in status_bar.currentMessage())
    fill_task(window, fake, "Still on the train", "30")
    submit(qtbot, window)
    qtbot.waitUntil(lambda: indicator(window).text() == "Offline — 2 queued")
    qtbot.waitUntil(lambda: "Still on the train" in status_text(window))
    texts = screen_texts(window)
    assert not [text for text in texts if RAW.search(text)], texts
    fake.come_back()
    qtbot.waitUntil(lambda: len(fake.tasks_named("Still on the train")) == 1, timeout=30_000)


def test_a_refused_token_is_called_a_token_and_a_refused_password_a_password(
    qtbot: QtBot, make_window: Callable[[], MainWindow]
) -> None:
    make_window()
    dialog = sign_in_with_token(qtbot, "not-the-token")
    error = child(dialog, QLabel, "signInError")
    qtbot.waitUntil(error.isVisible)
    assert error.text().startswith("Toggl did not accept this API token.")
    assert "Incorrect username" not in error.text()
    child(dialog, QLineEdit, "tokenEdit").clear()
    child(dialog, QLineEdit, "emailEdit").setText("sam@example.com")
    child(dialog, QLineEdit, "passwordEdit").setText("not the password")
    error.hide()
    qtbot.mouseClick(child(dialog, QPushButton, "signInButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(error.isVisible)
    assert error.text().startswith("Toggl did not accept this email and password.")
    assert "token" not in error.text()


@pytest.mark.usefixtures("env_token")
def test_no_pick_a_workspace_while_one_is_picked(
    qtbot: QtBot, make_window: Callable[[], MainWindow], fake: FakeToggl
) -> None:
    """A fresh data folder: the workspaces arrive and one is picked while its projects are
    still on their way; the hint then asks for a project, not for a workspace."""
    fake.delay_next(1.0, path_contains="/projects")
    window = make_window()
    workspaces = child(window, QComboBox, "workspaceSelector")
    qtbot.waitUntil(lambda: workspaces.currentIndex() >= 0, timeout=10_000)
    assert child(window, QComboBox, "projectSelector").count() == 0  # still loading
    assert child(window, QLabel, "submitHint").text() == "Pick a project from the list."


@pytest.mark.usefixtures("env_token")
def test_pages_of_projects_are_counted_while_a_slow_server_sends_them(
    qtbot: QtBot, make_window: Callable[[], MainWindow], fake: FakeToggl
) -> None:
    """Toggl's paging gives no total: the empty project list says how many have arrived."""
    fake.add_projects(fake.premium_workspace_id, 900)  # 5 pages
    fake.delay_next(0.4, count=5, path_contains="/projects")
    window = make_window()
    project_filter = child(window, QLineEdit, "projectFilter")
    placeholders: list[str] = []

    def counted_to(text: str) -> bool:
        placeholders.append(project_filter.placeholderText())
        return placeholders[-1] == text

    qtbot.waitUntil(lambda: counted_to("Loading projects: 800 loaded…"), timeout=10_000)
    assert "Loading projects: 200 loaded…" in placeholders
    assert child(window, QLabel, "connectionIndicator").text() == "Online"
    qtbot.waitUntil(lambda: child(window, QComboBox, "projectSelector").count() > 900)
    assert project_filter.placeholderText() == "Type to filter projects"


class FailingKeyring(keyring.backend.KeyringBackend):
    # keyring discovers every KeyringBackend subclass: with a priority above 0 this one would
    # be a second viable backend next to the real Secret Service, and keyring would then pick
    # its chaining backend for the whole suite. Tests set it explicitly instead.
    priority = 0  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringLocked("locked")

    def delete_password(self, service: str, username: str) -> None:
        raise KeyringLocked("locked")


@pytest.fixture
def failing_keyring() -> object:
    previous = keyring.get_keyring()
    keyring.set_keyring(FailingKeyring())
    yield
    keyring.set_keyring(previous)


@pytest.mark.usefixtures("failing_keyring")
def test_the_keychain_notice_is_a_whole_banner_the_user_dismisses(
    qtbot: QtBot, make_window: Callable[[], MainWindow], fake: FakeToggl
) -> None:
    window = make_window()
    window.resize(420, 600)  # narrow: the status bar cut the sentence off at this width
    sign_in_with_token(qtbot, fake.token)
    wait_for_projects(qtbot, window)
    banner = child(window, QFrame, "keychainBanner")
    text = child(banner, QLabel, "keychainBannerText")
    qtbot.waitUntil(banner.isVisible)
    assert text.text() == (
        "The system keychain is locked, so your Toggl token cannot be kept. "
        "You are signed in for this session only."
    )
    assert text.wordWrap()
    assert text.textFormat() == Qt.TextFormat.PlainText
    assert banner.accessibleName()
    assert "keychain" not in window.statusBar().currentMessage()
    style = banner.styleSheet()
    assert "palette(" in style
    assert "#" not in style.replace("#keychainBanner", "")  # no hard-coded colour
    close = child(banner, QToolButton, "keychainBannerClose")
    assert close.accessibleName() == "Dismiss the keychain notice"
    qtbot.mouseClick(close, Qt.MouseButton.LeftButton)
    assert not banner.isVisible()


class LockedKeyring(FailingKeyring):
    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringLocked("locked")


def test_a_keychain_that_cannot_be_read_is_said_in_the_banner_not_the_status_bar(
    qtbot: QtBot, make_window: Callable[[], MainWindow]
) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(LockedKeyring())
    try:
        window = make_window()
        qtbot.waitUntil(lambda: window.findChild(QFrame, "keychainBanner") is not None)
        banner = child(window, QFrame, "keychainBanner")
        qtbot.waitUntil(banner.isVisible)
    finally:
        keyring.set_keyring(previous)
    assert child(banner, QLabel, "keychainBannerText").text() == (
        "The system keychain is locked, so your Toggl token cannot be kept."
    )
    assert window.statusBar().currentMessage() == ""


def test_signing_in_is_said_once(
    qtbot: QtBot, make_window: Callable[[], MainWindow], fake: FakeToggl
) -> None:
    window = make_window()
    sign_in_with_token(qtbot, fake.token)
    qtbot.waitUntil(lambda: status_text(window).startswith("Signed in as Fran Freelancer."))
    assert "Signed in" not in window.statusBar().currentMessage()
