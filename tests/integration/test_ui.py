"""The main window and sign-in dialog, offscreen, against the fake Toggl server."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFrame,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
)
from pytestqt.qtbot import QtBot

from desktop import credentials
from desktop.ui.main_window import MainWindow
from tests.fake_toggl import FakeToggl
from tests.ui_helpers import (
    child,
    fill_task,
    select_by_data,
    sign_in_with_token,
    status_text,
    wait_for_projects,
    wait_for_top_level,
)

SAM = 9_000_000_002


def keyring_usable() -> bool:
    return credentials.save_token("probe") is None and credentials.delete_token() is None


def test_contract_widgets_exist(window: MainWindow) -> None:
    assert window.objectName() == "mainWindow"
    for kind, name in [
        (QComboBox, "workspaceSelector"),
        (QComboBox, "projectSelector"),
        (QComboBox, "assigneeSelector"),
        (QLineEdit, "taskNameEdit"),
        (QLineEdit, "estimateEdit"),
        (QCheckBox, "activeCheck"),
        (QPushButton, "submitButton"),
        (QLabel, "statusPanel"),
        (QLabel, "connectionIndicator"),
        (QAbstractItemView, "outboxView"),
    ]:
        child(window, kind, name)
    assert child(window, QCheckBox, "activeCheck").isChecked()


def test_sign_in_select_submit_and_see_the_task(
    qtbot: QtBot, window: MainWindow, fake: FakeToggl
) -> None:
    assignees = child(window, QComboBox, "assigneeSelector")
    qtbot.waitUntil(lambda: assignees.findData(SAM) >= 0)
    assert assignees.itemText(0) == "No assignee"
    assert assignees.itemData(0) is None
    fill_task(window, fake, "  Write report  ", "1h 30m")
    select_by_data(assignees, SAM)
    submit = child(window, QPushButton, "submitButton")
    assert submit.isEnabled()
    qtbot.mouseClick(submit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Created “Write report”" in status_text(window), timeout=10_000)

    (task,) = fake.tasks_named("Write report")
    assert (task["estimated_seconds"], task["user_id"], task["active"]) == (5400, SAM, True)
    text = status_text(window)
    assert text.startswith(
        "Created “Write report” in Website Redesign · Acme Corp — 1 h 30 min, open, "
        "Sam Designer · today "
    )
    assert str(task["id"]) not in text  # the id is in the list's tooltip and Copy action
    listed = child(window, QListWidget, "resultList")
    assert listed.item(0).text() == text
    assert str(task["id"]) in listed.item(0).toolTip()
    assert child(window, QLabel, "connectionIndicator").text() == "Online"
    assert child(window, QLineEdit, "taskNameEdit").text() == ""  # ready for the next task


def test_enter_submits_and_no_assignee_sends_no_user(
    qtbot: QtBot, window: MainWindow, fake: FakeToggl
) -> None:
    fill_task(window, fake, "Via Enter")
    child(window, QCheckBox, "activeCheck").setChecked(False)
    qtbot.keyClick(child(window, QLineEdit, "taskNameEdit"), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(fake.tasks_named("Via Enter")) == 1, timeout=10_000)
    post = [r for r in fake.requests if r.method == "POST"][-1]
    assert post.body.pop("external_reference").startswith("taskdesk:")
    assert post.body == {"name": "Via Enter", "active": False}
    qtbot.waitUntil(lambda: " — done, unassigned · " in status_text(window))


def test_toggl_400_message_is_shown_next_to_the_field(
    qtbot: QtBot, window: MainWindow, fake: FakeToggl
) -> None:
    fake.fail_next(400, '"Invalid project_id"', method="POST")
    fill_task(window, fake, "Rejected")
    qtbot.mouseClick(child(window, QPushButton, "submitButton"), Qt.MouseButton.LeftButton)
    note = child(window, QLabel, "projectNote")
    qtbot.waitUntil(note.isVisible, timeout=10_000)
    assert "Invalid project_id" in note.text()
    assert status_text(window) == "Toggl refused “Rejected”: see why above."  # said once
    assert child(window, QLineEdit, "taskNameEdit").text() == "Rejected"  # nothing typed is lost
    assert child(window, QPushButton, "submitButton").isEnabled()


def test_window_stays_responsive_while_toggl_takes_two_seconds(
    qtbot: QtBot, window: MainWindow, fake: FakeToggl
) -> None:
    fake.delay_next(2.0, method="POST")
    fill_task(window, fake, "Slow one")
    beats: list[float] = []
    heartbeat = QTimer()
    heartbeat.timeout.connect(lambda: beats.append(time.monotonic()))
    heartbeat.start(10)
    submit = child(window, QPushButton, "submitButton")
    qtbot.mouseClick(submit, Qt.MouseButton.LeftButton)
    assert not submit.isEnabled()  # no double submit while the first is under way
    name = child(window, QLineEdit, "taskNameEdit")
    qtbot.keyClicks(name, " typed meanwhile")
    qtbot.waitUntil(lambda: "Created “Slow one”" in status_text(window), timeout=15_000)
    heartbeat.stop()
    gaps = [b - a for a, b in itertools.pairwise(beats)]
    assert len(beats) > 50
    assert max(gaps) < 0.5  # generous: the bench measures the real figure
    assert len(fake.tasks_named("Slow one")) == 1


def test_free_workspace_says_tasks_need_a_paid_plan(
    qtbot: QtBot, window: MainWindow, fake: FakeToggl
) -> None:
    workspaces = child(window, QComboBox, "workspaceSelector")
    select_by_data(workspaces, fake.free_workspace_id)
    note = child(window, QLabel, "workspaceNote")
    qtbot.waitUntil(note.isVisible)
    assert "paid plan" in note.text()
    wait_for_projects(qtbot, window)
    child(window, QLineEdit, "taskNameEdit").setText("Anything")
    assert not child(window, QPushButton, "submitButton").isEnabled()


def test_archived_projects_are_left_out_and_clients_shown(
    window: MainWindow, fake: FakeToggl
) -> None:
    projects = child(window, QComboBox, "projectSelector")
    labels = [projects.itemText(i) for i in range(projects.count())]
    assert "Website Redesign · Acme Corp" in labels
    assert "Internal" in labels
    assert not any("Old Campaign" in label for label in labels)
    assert projects.findData(fake.project_id("Old Campaign")) == -1


def test_typing_filters_projects(qtbot: QtBot, window: MainWindow, fake: FakeToggl) -> None:
    projects = child(window, QComboBox, "projectSelector")
    editor = projects.lineEdit()
    assert editor is not None
    editor.clear()
    qtbot.keyClicks(editor, "mobi")
    completer = projects.completer()
    qtbot.waitUntil(lambda: completer.completionModel().rowCount() == 1)
    assert completer.completionModel().index(0, 0).data() == "Mobile App · Acme Corp"
    popup = completer.popup()
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClick(popup, Qt.Key.Key_Down)  # pick the match, as with the keyboard
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: projects.currentData() == fake.project_id("Mobile App"))
    assert projects.currentText() == "Mobile App · Acme Corp"


def test_estimate_is_explained_and_a_wrong_one_flagged(window: MainWindow, fake: FakeToggl) -> None:
    fill_task(window, fake, "Estimated", "1.5h")
    hint = child(window, QLabel, "estimateHint")
    assert "1 h 30 min" in hint.text()
    submit = child(window, QPushButton, "submitButton")
    assert submit.isEnabled()
    child(window, QLineEdit, "estimateEdit").setText("soon")
    assert "duration" in hint.text()
    assert not submit.isEnabled()


def test_overlong_name_is_flagged(window: MainWindow, fake: FakeToggl) -> None:
    fill_task(window, fake, "é" * 200)
    note = child(window, QLabel, "taskNameNote")
    assert note.isVisible()
    assert "400 bytes" in note.text()
    assert not child(window, QPushButton, "submitButton").isEnabled()


def test_wrong_token_is_explained_in_the_dialog(
    qtbot: QtBot, make_window: Callable[[], MainWindow], fake: FakeToggl
) -> None:
    make_window()
    dialog = sign_in_with_token(qtbot, "not-the-token")
    error = child(dialog, QLabel, "signInError")
    qtbot.waitUntil(error.isVisible, timeout=10_000)
    assert "did not accept" in error.text()
    assert dialog.isVisible()


def test_email_and_password_are_exchanged_for_the_token(
    qtbot: QtBot, make_window: Callable[[], MainWindow], fake: FakeToggl
) -> None:
    can_store = keyring_usable()  # probed before signing in: the probe clears the entry
    win = make_window()
    dialog = wait_for_top_level(qtbot, "signInDialog")
    child(dialog, QLineEdit, "emailEdit").setText(fake.email)
    child(dialog, QLineEdit, "passwordEdit").setText(fake.password)
    qtbot.mouseClick(child(dialog, QPushButton, "signInButton"), Qt.MouseButton.LeftButton)
    wait_for_projects(qtbot, win)
    assert not dialog.isVisible()
    assert child(dialog, QLineEdit, "passwordEdit").text() == ""
    me_calls = [r for r in fake.requests if r.path.endswith("/me")]
    assert len(me_calls) == 1
    later = [r for r in fake.requests if r.path.endswith("/workspaces")][-1]
    assert later.headers["authorization"].startswith("Basic ")
    if can_store:
        assert credentials.load_token().token == fake.token
    else:
        assert "session only" in win.statusBar().currentMessage()


def test_environment_token_skips_sign_in_and_is_never_stored(
    qtbot: QtBot,
    make_window: Callable[[], MainWindow],
    fake: FakeToggl,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(credentials.ENV_TOKEN, fake.token)
    win = make_window()
    wait_for_projects(qtbot, win)
    dialog = win.findChild(QDialog, "signInDialog")
    assert dialog is None or not dialog.isVisible()
    monkeypatch.delenv(credentials.ENV_TOKEN)
    assert credentials.load_token().token is None
    assert not any(r.path.endswith("/me") for r in fake.requests)  # no sign-in request


def test_last_workspace_and_project_are_remembered(
    qtbot: QtBot,
    make_window: Callable[[], MainWindow],
    fake: FakeToggl,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(credentials.ENV_TOKEN, fake.token)
    first = make_window()
    projects = wait_for_projects(qtbot, first)
    select_by_data(projects, fake.project_id("Mobile App"))
    first.close()
    second = make_window()
    projects = wait_for_projects(qtbot, second)
    qtbot.waitUntil(lambda: projects.currentData() == fake.project_id("Mobile App"))
    assert child(second, QComboBox, "workspaceSelector").currentData() == fake.premium_workspace_id


def test_sign_out_forgets_the_token(qtbot: QtBot, window: MainWindow, fake: FakeToggl) -> None:
    window.sign_out_action.trigger()
    wait_for_top_level(qtbot, "signInDialog")
    assert credentials.load_token().token is None
    assert child(window, QComboBox, "projectSelector").count() == 0
    assert child(window, QLabel, "connectionIndicator").text() == "Sign-in needed"


def test_revoked_token_keeps_the_task_and_asks_to_sign_in_again(
    qtbot: QtBot, window: MainWindow, fake: FakeToggl
) -> None:
    fake.fail_next(401, "", method="POST")
    fill_task(window, fake, "After revoke")
    qtbot.mouseClick(child(window, QPushButton, "submitButton"), Qt.MouseButton.LeftButton)
    sign_in_with_token(qtbot, fake.token)  # the dialog is back; signing in sends the task
    qtbot.waitUntil(lambda: len(fake.tasks_named("After revoke")) == 1, timeout=10_000)
    qtbot.waitUntil(lambda: "Created “After revoke”" in status_text(window))
    assert len(fake.tasks_named("After revoke")) == 1


def test_unreachable_toggl_keeps_the_task_and_sends_it_on_return(
    qtbot: QtBot, window: MainWindow, fake: FakeToggl
) -> None:
    fill_task(window, fake, "Offline try")
    fake.go_down()
    qtbot.mouseClick(child(window, QPushButton, "submitButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "offline" in status_text(window), timeout=10_000)
    indicator = child(window, QLabel, "connectionIndicator")
    qtbot.waitUntil(lambda: indicator.text() == "Offline — 1 queued")
    outbox = child(window, QAbstractItemView, "outboxView")
    assert outbox.model().rowCount() == 1
    assert "Offline try" in outbox.model().index(0, 0).data()
    fake.come_back()
    qtbot.waitUntil(lambda: len(fake.tasks_named("Offline try")) == 1, timeout=30_000)
    qtbot.waitUntil(lambda: indicator.text() == "Online", timeout=10_000)
    assert outbox.model().rowCount() == 0
    assert "Created “Offline try”" in status_text(window)


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Tab])
def test_typing_a_project_then_enter_or_tab_selects_it(
    qtbot: QtBot, window: MainWindow, fake: FakeToggl, key: Qt.Key
) -> None:
    projects = child(window, QComboBox, "projectSelector")
    projects.setCurrentIndex(-1)
    projects.setFocus()
    editor = projects.lineEdit()
    assert editor is not None
    editor.clear()
    qtbot.keyClicks(projects, "internal")
    qtbot.keyClick(projects.completer().popup() if key == Qt.Key.Key_Return else editor, key)
    qtbot.waitUntil(lambda: projects.currentData() == fake.project_id("Internal"))
    assert projects.currentText() == "Internal"


def wait_for_banner(qtbot: QtBot, window: MainWindow) -> QFrame:
    qtbot.waitUntil(
        lambda: (
            (banner := window.findChild(QFrame, "signInBanner")) is not None and banner.isVisible()
        ),
        timeout=10_000,
    )
    return child(window, QFrame, "signInBanner")


def revoke_and_submit(qtbot: QtBot, window: MainWindow, fake: FakeToggl, name: str) -> QFrame:
    """Toggl stops accepting the token while the window believes it is signed in; a task is
    submitted: the banner says the outbox waits for a new sign-in, and the task stays queued."""
    fill_task(window, fake, name)
    qtbot.mouseClick(child(window, QPushButton, "submitButton"), Qt.MouseButton.LeftButton)
    banner = wait_for_banner(qtbot, window)
    text = child(banner, QLabel, "signInBannerText")
    assert text.text() == (
        "Toggl no longer accepts your sign-in. Sign in again to send the queued task."
    )
    assert text.textFormat() == Qt.TextFormat.PlainText
    assert child(window, QLabel, "connectionIndicator").text() == "Sign-in needed"
    outbox = child(window, QAbstractItemView, "outboxView")
    qtbot.waitUntil(lambda: outbox.model().rowCount() == 1)
    assert outbox.model().index(0, 0).data().endswith("Waiting to be sent")  # not failed
    return banner


def sign_in_from_the_banner(
    qtbot: QtBot, window: MainWindow, fake: FakeToggl, banner: QFrame, name: str
) -> None:
    dialog = window.findChild(QDialog, "signInDialog")
    if dialog is not None and dialog.isVisible():
        dialog.reject()  # not now: the banner stays
    assert banner.isVisible()
    qtbot.mouseClick(child(banner, QPushButton, "signInBannerButton"), Qt.MouseButton.LeftButton)
    sign_in_with_token(qtbot, fake.token)
    qtbot.waitUntil(lambda: len(fake.tasks_named(name)) == 1, timeout=10_000)
    qtbot.waitUntil(lambda: not banner.isVisible())
    outbox = child(window, QAbstractItemView, "outboxView")
    qtbot.waitUntil(lambda: outbox.model().rowCount() == 0)
    assert len(fake.tasks_named(name)) == 1


def test_a_refused_sign_in_shows_a_banner_until_signed_in_again(
    qtbot: QtBot, window: MainWindow, fake: FakeToggl
) -> None:
    fake.fail_next(401, "", method="POST")
    banner = revoke_and_submit(qtbot, window, fake, "Behind the banner")
    sign_in_from_the_banner(qtbot, window, fake, banner, "Behind the banner")


def test_a_revoked_token_pauses_the_outbox_behind_a_banner(
    qtbot: QtBot, window: MainWindow, fake: FakeToggl
) -> None:
    with fake.lock:
        fake.token = "other"  # reset on Toggl's website: every request now gets a 403
    banner = revoke_and_submit(qtbot, window, fake, "Paused, not parked")
    sign_in_from_the_banner(qtbot, window, fake, banner, "Paused, not parked")


def test_quit_and_refresh_get_their_shortcuts_once_the_window_has_painted(
    qtbot: QtBot, make_window: Callable[[], MainWindow]
) -> None:
    """Added after the first paint (QKeySequence is not needed for it), yet always added."""
    window = make_window()
    assert window.refresh_action.shortcuts() == []
    with qtbot.waitSignal(window.settled):
        pass
    assert [key.toString() for key in window.refresh_action.shortcuts()] == ["F5"]
    quit_action = next(a for a in window.findChildren(QAction) if a.text() == "&Quit")
    assert quit_action.shortcuts() == QKeySequence.keyBindings(QKeySequence.StandardKey.Quit)
