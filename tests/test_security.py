"""The token stays in the keyring: never in files, logs, diagnostics or exception text."""

from __future__ import annotations

import logging
import stat
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from desktop.logs import (
    RedactingFilter,
    log_path,
    register_secret,
    start_logging,
    stop_logging,
)
from desktop.ui.main_window import MainWindow
from tests.fake_toggl import FakeToggl
from tests.ui_helpers import child, fill_task, sign_in_with_token, status_text, wait_for_projects

TOKEN = "0123456789abcdef0123456789abcdef"  # the shape of a real Toggl token


def test_token_is_in_no_file_log_or_diagnostics(
    qtbot: QtBot, make_window: Callable[[], MainWindow], fake: FakeToggl, data_dir: Path
) -> None:
    fake.token = TOKEN
    handler = start_logging(data_dir)
    try:
        window = make_window()
        sign_in_with_token(qtbot, TOKEN)
        wait_for_projects(qtbot, window)
        fill_task(window, fake, "Secret-free task")
        fake.fail_next(500, f'"echo {TOKEN}"', method="POST")  # a server that echoes it back
        qtbot.mouseClick(child(window, QPushButton, "submitButton"), Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: len(fake.tasks_named("Secret-free task")) == 1, timeout=20_000)
        window.diagnostics_action.trigger()
        clipboard = QApplication.clipboard()
        qtbot.waitUntil(lambda: "Recent log:" in clipboard.text())
        assert TOKEN not in clipboard.text()
        assert TOKEN not in status_text(window)
        assert "request id" in clipboard.text()
        window.close()
    finally:
        stop_logging(handler)
    assert "request id" in log_path(data_dir).read_text()
    for path in data_dir.rglob("*"):
        if path.is_file():
            assert TOKEN.encode() not in path.read_bytes(), path
            assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, path


def test_log_filter_redacts_registered_tokens_and_authorization_headers() -> None:
    register_secret(TOKEN)
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "Authorization: Basic %s and %s", ("abc==", TOKEN), None
    )
    RedactingFilter().filter(record)
    message = record.getMessage()
    assert TOKEN not in message
    assert "abc==" not in message
    assert "Authorization: Basic [redacted]" in message


def test_tls_is_always_verified(fake: FakeToggl) -> None:
    import ssl

    from desktop.api.auth import ApiToken
    from desktop.api.client import TogglClient

    with TogglClient("https://api.track.toggl.com/api/v9", ApiToken("t")) as api:
        pool = api._http._transport._pool  # type: ignore[attr-defined]
        context = pool._ssl_context
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname is True
    source = (Path(__file__).resolve().parents[1] / "desktop").rglob("*.py")
    assert not any("verify=False" in path.read_text() for path in source)


def test_a_typed_token_never_shows_on_screen(
    qtbot: QtBot, make_window: Callable[[], MainWindow]
) -> None:
    """What a screenshot of the sign-in dialog can show: dots, not the token."""
    from PySide6.QtWidgets import QLineEdit

    from tests.ui_helpers import wait_for_top_level

    make_window()
    dialog = wait_for_top_level(qtbot, "signInDialog")
    token_edit = child(dialog, QLineEdit, "tokenEdit")
    token_edit.setText(TOKEN)
    assert token_edit.echoMode() == QLineEdit.EchoMode.Password
    assert TOKEN not in token_edit.displayText()
    assert child(dialog, QLineEdit, "passwordEdit").echoMode() == QLineEdit.EchoMode.Password
