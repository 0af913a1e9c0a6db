"""Whatever escapes the session or the sync engine, the window never stays on "Sending…" or
"Signing in…": one sentence, the form and the dialog usable, the outbox intact and still syncing."""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPushButton
from pytestqt.qtbot import QtBot

from desktop.api.client import TogglClient
from desktop.session import Session
from desktop.store.trouble import storage_trouble
from desktop.ui import engine_driver, unexpected
from desktop.ui.main_window import MainWindow
from tests.fake_toggl import FakeToggl
from tests.ui_helpers import (
    child,
    fill_task,
    select_by_data,
    sign_in_with_token,
    status_text,
    wait_for_projects,
)

SENDING = "Sending…"


def raises(error: BaseException) -> Callable[..., Any]:
    def fail(*_args: object, **_kwargs: object) -> Any:
        raise error

    return fail


def assert_one_sentence_no_traceback(text: str) -> None:
    for leak in ("Traceback", "Error", "line ", "maximum recursion"):
        assert leak not in text


def submit(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.mouseClick(child(window, QPushButton, "submitButton"), Qt.MouseButton.LeftButton)


@pytest.fixture
def quick_retry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine_driver, "RETRY_AFTER_UNEXPECTED_SECONDS", 0.2)


def answer_raises_after_storing(monkeypatch: pytest.MonkeyPatch, error: Exception) -> None:
    """The first POST reaches Toggl and is stored; reading its answer raises `error` (as deep
    JSON raised RecursionError), so nobody knows whether the task arrived."""
    create_task = TogglClient.create_task
    calls: list[int] = []

    def stored_then_raise(client: TogglClient, *args: Any, **kwargs: Any) -> Any:
        task = create_task(client, *args, **kwargs)
        calls.append(1)
        if len(calls) == 1:
            raise error
        return task

    monkeypatch.setattr(TogglClient, "create_task", stored_then_raise)


def test_an_unexpected_error_while_signing_in_leaves_the_dialog_usable(
    qtbot: QtBot,
    make_window: Callable[[], MainWindow],
    fake: FakeToggl,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = make_window()
    monkeypatch.setattr(Session, "sign_in", raises(RecursionError("maximum recursion depth")))
    dialog = sign_in_with_token(qtbot, fake.token)
    error = child(dialog, QLabel, "signInError")
    qtbot.waitUntil(error.isVisible, timeout=10_000)
    button = child(dialog, QPushButton, "signInButton")
    assert error.text() == unexpected.UNEXPECTED_SIGN_IN
    assert button.text() == "Sign in"
    assert button.isEnabled()
    assert not child(dialog, QLineEdit, "tokenEdit").isReadOnly()
    indicator = child(window, QLabel, "connectionIndicator")
    qtbot.waitUntil(lambda: indicator.text() == "Sign-in needed")
    monkeypatch.undo()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # the same dialog signs in now
    wait_for_projects(qtbot, window)
    assert not dialog.isVisible()


def test_an_unexpected_error_before_the_task_is_saved_keeps_it_in_the_form(
    qtbot: QtBot, window: MainWindow, fake: FakeToggl, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Session, "claim", raises(OverflowError("int too large")))
    fill_task(window, fake, "Keep me typed", "1h")
    submit(qtbot, window)
    qtbot.waitUntil(lambda: unexpected.UNEXPECTED_NOT_SAVED in status_text(window), timeout=10_000)
    assert "What you typed is still in the form." in status_text(window)
    assert_one_sentence_no_traceback(status_text(window))
    assert child(window, QLabel, "submitHint").text() != SENDING
    assert child(window, QPushButton, "submitButton").isEnabled()
    assert child(window, QLineEdit, "taskNameEdit").text() == "Keep me typed"
    assert child(window, QLineEdit, "estimateEdit").text() == "1h"
    monkeypatch.undo()
    submit(qtbot, window)
    qtbot.waitUntil(lambda: len(fake.tasks_named("Keep me typed")) == 1, timeout=10_000)


@pytest.mark.usefixtures("quick_retry")
def test_an_answer_that_raises_leaves_sending_and_the_task_arrives_once(
    qtbot: QtBot, window: MainWindow, fake: FakeToggl, monkeypatch: pytest.MonkeyPatch
) -> None:
    answer_raises_after_storing(monkeypatch, RecursionError("maximum recursion depth"))
    fill_task(window, fake, "Deep answer")
    submit(qtbot, window)
    qtbot.waitUntil(lambda: status_text(window) == unexpected.UNEXPECTED_SEND, timeout=10_000)
    assert child(window, QLabel, "submitHint").text() != SENDING
    assert child(window, QLineEdit, "taskNameEdit").text() == ""  # it waits in the outbox
    # The engine goes on: it checks Toggl before any new send, and finds the task there.
    qtbot.waitUntil(lambda: "Created “Deep answer”" in status_text(window), timeout=20_000)
    assert len(fake.tasks_named("Deep answer")) == 1
    assert fake.count("POST") == 1
    fill_task(window, fake, "Next one")
    assert child(window, QPushButton, "submitButton").isEnabled()


@pytest.mark.usefixtures("quick_retry")
def test_a_queued_send_that_raises_is_said_and_tried_again(
    qtbot: QtBot, window: MainWindow, fake: FakeToggl, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake.go_down()
    fill_task(window, fake, "Queued deep")
    submit(qtbot, window)
    qtbot.waitUntil(lambda: "offline" in status_text(window), timeout=10_000)
    answer_raises_after_storing(monkeypatch, KeyError("id"))
    seen: list[str] = []
    window.statusBar().messageChanged.connect(seen.append)
    fake.come_back()
    qtbot.waitUntil(lambda: unexpected.UNEXPECTED_SEND in seen, timeout=30_000)
    qtbot.waitUntil(lambda: "Created “Queued deep”" in status_text(window), timeout=20_000)
    assert len(fake.tasks_named("Queued deep")) == 1
    indicator = child(window, QLabel, "connectionIndicator")
    qtbot.waitUntil(lambda: indicator.text() == "Online")


@pytest.mark.parametrize("where", ["refresh", "workspace"])
def test_an_unexpected_error_while_loading_lists_is_one_sentence(
    qtbot: QtBot,
    window: MainWindow,
    fake: FakeToggl,
    monkeypatch: pytest.MonkeyPatch,
    where: str,
) -> None:
    if where == "refresh":
        monkeypatch.setattr(Session, "workspaces", raises(KeyError("premium")))
        window.refresh_action.trigger()
    else:
        monkeypatch.setattr(Session, "workspace_lists", raises(OverflowError("too big")))
        select_by_data(child(window, QComboBox, "workspaceSelector"), fake.free_workspace_id)
    qtbot.waitUntil(lambda: status_text(window) == unexpected.UNEXPECTED_LOAD, timeout=10_000)
    assert child(window, QLabel, "connectionIndicator").text() == "Online"
    monkeypatch.undo()
    select_by_data(child(window, QComboBox, "workspaceSelector"), fake.premium_workspace_id)
    wait_for_projects(qtbot, window)
    fill_task(window, fake, "After the glitch")
    submit(qtbot, window)
    qtbot.waitUntil(lambda: len(fake.tasks_named("After the glitch")) == 1, timeout=10_000)


@pytest.mark.parametrize(
    ("error", "said"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), "the disk is full"),
        (sqlite3.OperationalError("database or disk is full"), "the disk is full"),
        (OSError(errno.EROFS, "Read-only file system"), "its data folder is read-only"),
        (sqlite3.OperationalError("attempt to write a readonly database"), "read-only"),
        (PermissionError(errno.EACCES, "Permission denied"), "may not write to its data folder"),
        (sqlite3.OperationalError("database is locked"), "the database is busy"),
        (sqlite3.DatabaseError("database disk image is malformed"), "damaged"),
        (sqlite3.OperationalError("disk I/O error"), "the database could not be written"),
    ],
)
def test_local_storage_trouble_is_said_in_words(error: Exception, said: str) -> None:
    assert isinstance(error, OSError | sqlite3.Error)
    text = storage_trouble(error)
    assert said in text
    assert "errno" not in text.lower()
    assert "[" not in text
