"""The outbox the user controls, through the window's object names against the fake Toggl: a
waiting task edited before it leaves arrives once, as edited; "Send now" skips a backoff and
never a quota wait; a discard the drain overtakes is refused with a sentence."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QLabel, QLineEdit, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from desktop import credentials
from desktop.store.database import DATABASE_FILE
from desktop.ui.main_window import MainWindow
from tests.fake_toggl import FakeToggl
from tests.ui_helpers import child, fill_task, status_text, wait_for_projects, wait_for_top_level

QUOTA_SPENT = '"You have hit your hourly limit for API calls. The quota will reset in 600 seconds."'


@pytest.fixture(autouse=True)
def env_token(monkeypatch: pytest.MonkeyPatch, fake: FakeToggl) -> None:
    monkeypatch.setenv(credentials.ENV_TOKEN, fake.token)


def outbox_texts(window: MainWindow) -> list[str]:
    model = child(window, QAbstractItemView, "outboxView").model()
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def button(window: MainWindow, name: str) -> QPushButton:
    return child(window, QPushButton, name)


def queue_offline(qtbot: QtBot, window: MainWindow, fake: FakeToggl, name: str) -> None:
    """Submit `name` while Toggl cannot be reached: it waits in the outbox, selected."""
    fake.go_down()
    fill_task(window, fake, name, "30")
    qtbot.mouseClick(button(window, "submitButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(outbox_texts(window)) == 1)
    qtbot.waitUntil(lambda: child(window, QLineEdit, "taskNameEdit").text() == "")  # saved
    view = child(window, QAbstractItemView, "outboxView")
    view.setCurrentIndex(view.model().index(0, 0))


def row_state(data_dir: Path, row_id: int) -> str | None:
    uri = f"file:{data_dir / DATABASE_FILE}?mode=ro"
    with closing(sqlite3.connect(uri, uri=True)) as db:
        found = db.execute("SELECT state FROM outbox WHERE id = ?", (row_id,)).fetchone()
    return None if found is None else str(found[0])


def test_a_waiting_task_edited_before_it_leaves_arrives_once_as_edited(
    qtbot: QtBot, make_window: Callable[[], MainWindow], fake: FakeToggl
) -> None:
    window = make_window()
    wait_for_projects(qtbot, window)
    queue_offline(qtbot, window, fake, "Draft name")
    first, second = outbox_texts(window)[0].splitlines()
    assert first == "Draft name — Website Redesign · Acme Corp"
    assert second.startswith("Queued ")
    assert second.endswith(" · 30 min · Waiting to be sent")
    edit = button(window, "retryButton")
    assert (edit.text(), edit.isEnabled()) == ("Edit", True)
    qtbot.mouseClick(edit, Qt.MouseButton.LeftButton)
    name = child(window, QLineEdit, "taskNameEdit")
    assert name.text() == "Draft name"
    assert button(window, "submitButton").text() == "Save changes"
    name.setText("Final name")
    child(window, QLineEdit, "estimateEdit").setText("90")
    qtbot.mouseClick(button(window, "submitButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: outbox_texts(window)[0].startswith("Final name — "))
    assert len(outbox_texts(window)) == 1  # the same row, changed: not a second one
    assert outbox_texts(window)[0].endswith(" · 1 h 30 min · Waiting to be sent")

    fake.come_back()
    qtbot.mouseClick(button(window, "sendNowButton"), Qt.MouseButton.LeftButton)  # no probe wait
    qtbot.waitUntil(lambda: outbox_texts(window) == [], timeout=10_000)
    (task,) = fake.tasks_named("Final name")
    assert task["estimated_seconds"] == 5400
    assert fake.tasks_named("Draft name") == []


def test_send_now_skips_a_backoff_and_the_task_leaves_at_once(
    qtbot: QtBot, make_window: Callable[[], MainWindow], fake: FakeToggl
) -> None:
    window = make_window()
    wait_for_projects(qtbot, window)
    fake.fail_next(429, '"Too many requests"', method="POST", headers={"Retry-After": "600"})
    fill_task(window, fake, "Backed off")
    qtbot.mouseClick(button(window, "submitButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(outbox_texts(window)) == 1)
    send_now = button(window, "sendNowButton")
    qtbot.waitUntil(send_now.isEnabled)
    assert fake.tasks_named("Backed off") == []  # ten minutes to wait, as Toggl asked
    qtbot.mouseClick(send_now, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(fake.tasks_named("Backed off")) == 1, timeout=5_000)
    qtbot.waitUntil(lambda: outbox_texts(window) == [])
    assert not send_now.isVisible()  # the outbox, empty, is hidden


def test_send_now_during_a_quota_wait_is_disabled_says_why_and_sends_nothing(
    qtbot: QtBot, make_window: Callable[[], MainWindow], fake: FakeToggl
) -> None:
    window = make_window()
    wait_for_projects(qtbot, window)
    fake.fail_next(
        402,
        QUOTA_SPENT,
        method="POST",
        headers={"X-Toggl-Quota-Remaining": "0", "X-Toggl-Quota-Resets-In": "600"},
    )
    fill_task(window, fake, "After the quota")
    qtbot.mouseClick(button(window, "submitButton"), Qt.MouseButton.LeftButton)
    indicator = child(window, QLabel, "connectionIndicator")
    qtbot.waitUntil(lambda: indicator.text().startswith("Waiting for quota until"))
    send_now = button(window, "sendNowButton")
    qtbot.waitUntil(lambda: not send_now.isEnabled())
    assert send_now.toolTip().startswith("Toggl's hourly limit is reached; tasks wait until ")
    assert send_now.toolTip().endswith("Send now cannot skip that wait.")
    seen = len(fake.requests)
    # Even asked past the disabled button, the worker sends nothing and says why.
    window.outbox_panel.sendNowRequested.emit()
    qtbot.waitUntil(lambda: status_text(window) == send_now.toolTip())
    assert len(fake.requests) == seen
    assert "After the quota" in outbox_texts(window)[0]


def test_a_discard_confirmed_while_the_task_is_being_sent_is_refused_and_it_arrives_once(
    qtbot: QtBot, make_window: Callable[[], MainWindow], fake: FakeToggl, data_dir: Path
) -> None:
    window = make_window()
    wait_for_projects(qtbot, window)
    queue_offline(qtbot, window, fake, "Going anyway")
    row_id = window.outbox_panel.selected_row().id  # type: ignore[union-attr]
    qtbot.mouseClick(button(window, "discardButton"), Qt.MouseButton.LeftButton)
    box = wait_for_top_level(qtbot, "discardConfirmation")
    assert isinstance(box, QMessageBox)
    assert "not been sent to Toggl yet" in box.text()
    fake.come_back()
    fake.delay_next(2.0, method="POST", path_contains="/tasks")  # on its way while the user reads
    button(window, "sendNowButton").click()
    qtbot.waitUntil(lambda: row_state(data_dir, row_id) == "sending", timeout=10_000)
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Discard), Qt.MouseButton.LeftButton)
    said = "“Going anyway” reached Toggl before it could be discarded: it is there now."
    qtbot.waitUntil(lambda: said in status_text(window), timeout=10_000)
    assert len(fake.tasks_named("Going anyway")) == 1
    assert outbox_texts(window) == []


def test_send_now_while_toggl_is_still_out_of_reach_says_so(
    qtbot: QtBot, make_window: Callable[[], MainWindow], fake: FakeToggl
) -> None:
    window = make_window()
    wait_for_projects(qtbot, window)
    queue_offline(qtbot, window, fake, "Still offline")
    qtbot.mouseClick(button(window, "sendNowButton"), Qt.MouseButton.LeftButton)
    said = "Toggl still cannot be reached; the tasks will be sent as soon as it can."
    qtbot.waitUntil(lambda: status_text(window) == said)
    assert len(outbox_texts(window)) == 1
