"""The quick-add line, the bulk dialog and the quota label (issue #14) in the real window, with
the real worker, real SQLite files and the fake Toggl: each task sent exactly once, the form
left as it was, nothing sent for a line not understood, all or nothing for a list."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
)
from pytestqt.qtbot import QtBot

from desktop.sync.engine import SyncEngine
from desktop.ui.main_window import MainWindow
from tests.fake_toggl import FakeToggl
from tests.ui_helpers import child, select_by_data, status_text, wait_for_top_level

SAM = 9_000_000_002


@pytest.fixture
def unpaced(monkeypatch: pytest.MonkeyPatch) -> None:
    """No one-a-second pace between requests: 100 tasks in a moment, not 100 s."""
    monkeypatch.setitem(SyncEngine.__init__.__kwdefaults__, "send_interval", 0.0)


def people_loaded(qtbot: QtBot, window: MainWindow) -> None:
    assignees = child(window, QComboBox, "assigneeSelector")
    qtbot.waitUntil(lambda: assignees.findData(SAM) >= 0)


def preview(window: MainWindow) -> str:
    return child(window, QLabel, "quickAddPreview").text()


def posts(fake: FakeToggl) -> int:
    return fake.count("POST", "/tasks")


def open_bulk(qtbot: QtBot, window: MainWindow) -> QDialog:
    child(window, QAction, "bulkAddAction").trigger()
    dialog = wait_for_top_level(qtbot, "bulkAddDialog")
    assert isinstance(dialog, QDialog)
    return dialog


def outbox_empty(window: MainWindow) -> bool:
    return window.outbox_panel.model.rowCount() == 0


def test_the_contract_names_are_in_the_window(window: MainWindow) -> None:
    child(window, QLineEdit, "quickAddEdit")
    child(window, QLabel, "quickAddPreview")
    child(window, QAction, "bulkAddAction")
    quota = child(window, QLabel, "quotaLabel")
    assert window.statusBar().isAncestorOf(quota)


def test_a_line_understood_as_typed_is_sent_once_on_enter(
    qtbot: QtBot, window: MainWindow, fake: FakeToggl
) -> None:
    people_loaded(qtbot, window)
    edit = child(window, QLineEdit, "quickAddEdit")
    qtbot.keyClicks(edit, "Write report 1h30 @web +sam !done")
    assert preview(window) == (
        "Write report · 1 h 30 min · Website Redesign · Acme Corp · Sam Designer · done"
    )
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Created “Write report”" in status_text(window), timeout=10_000)
    assert edit.text() == ""
    (task,) = fake.tasks_named("Write report")
    assert task["project_id"] == fake.project_id("Website Redesign")
    assert (task["estimated_seconds"], task["user_id"], task["active"]) == (5400, SAM, False)
    assert posts(fake) == 1


def test_an_ambiguous_project_names_the_candidates_and_enter_sends_nothing(
    qtbot: QtBot, window: MainWindow, fake: FakeToggl
) -> None:
    edit = child(window, QLineEdit, "quickAddEdit")
    qtbot.keyClicks(edit, "Plan sprint @acme")
    said = preview(window)
    assert "could be 2 projects" in said
    assert "Mobile App · Acme Corp" in said
    assert "Website Redesign · Acme Corp" in said
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert edit.text() == "Plan sprint @acme"
    assert "could be 2 projects" in preview(window)
    qtbot.keyClicks(edit, "\b\b\b\bmobile")  # typing more of the name settles it
    assert edit.text() == "Plan sprint @mobile"
    assert "Mobile App · Acme Corp" in preview(window)
    assert posts(fake) == 0


def test_an_unknown_person_says_so_and_enter_sends_nothing(
    qtbot: QtBot, window: MainWindow, fake: FakeToggl
) -> None:
    people_loaded(qtbot, window)
    edit = child(window, QLineEdit, "quickAddEdit")
    qtbot.keyClicks(edit, "Review @mobile +zed")
    assert preview(window) == "No person matches “zed”."
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert edit.text() == "Review @mobile +zed"
    assert posts(fake) == 0


def test_without_at_the_task_goes_to_the_forms_project_and_the_form_keeps_its_text(
    qtbot: QtBot, window: MainWindow, fake: FakeToggl
) -> None:
    select_by_data(child(window, QComboBox, "projectSelector"), fake.project_id("Mobile App"))
    name = child(window, QLineEdit, "taskNameEdit")
    name.setText("Half-typed in the form")
    edit = child(window, QLineEdit, "quickAddEdit")
    qtbot.keyClicks(edit, "Call 3 clients 45m")
    assert preview(window) == "Call 3 clients · 45 min · Mobile App · Acme Corp"
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Created “Call 3 clients”" in status_text(window), timeout=10_000)
    (task,) = fake.tasks_named("Call 3 clients")
    assert (task["project_id"], task["estimated_seconds"]) == (fake.project_id("Mobile App"), 2700)
    assert name.text() == "Half-typed in the form"
    assert edit.text() == ""


def test_a_line_toggl_refuses_waits_in_the_outbox_and_the_line_is_free_again(
    qtbot: QtBot, window: MainWindow, fake: FakeToggl
) -> None:
    fake.fail_next(400, '"Name has already been taken"', method="POST", path_contains="/tasks")
    edit = child(window, QLineEdit, "quickAddEdit")
    qtbot.keyClicks(edit, "Homepage copy 2h @web")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Toggl refused “Homepage copy”" in status_text(window))
    assert "It waits in the outbox below." in status_text(window)
    assert edit.text() == ""
    assert window.outbox_panel.model.rowCount() == 1
    assert child(window, QLineEdit, "taskNameEdit").text() == ""
    qtbot.keyClicks(edit, "Next one @web")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Created “Next one”" in status_text(window), timeout=10_000)


def test_offline_the_line_is_queued_then_sent_once_when_toggl_is_back(
    qtbot: QtBot, window: MainWindow, fake: FakeToggl
) -> None:
    fake.go_down()
    edit = child(window, QLineEdit, "quickAddEdit")
    qtbot.keyClicks(edit, "Offline idea 20m @mobile")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Saved “Offline idea” in the outbox" in status_text(window))
    assert edit.text() == ""
    assert window.outbox_panel.model.rowCount() == 1
    fake.come_back()
    send_now = child(window, QPushButton, "sendNowButton")
    qtbot.waitUntil(send_now.isEnabled)
    send_now.click()
    qtbot.waitUntil(lambda: outbox_empty(window), timeout=15_000)
    assert len(fake.tasks_named("Offline idea")) == 1


def test_the_quota_label_shows_the_requests_left_after_a_request(
    qtbot: QtBot, window: MainWindow, fake: FakeToggl
) -> None:
    fake.set_quota(240, remaining=213)
    edit = child(window, QLineEdit, "quickAddEdit")
    qtbot.keyClicks(edit, "Count me @mobile")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    quota = child(window, QLabel, "quotaLabel")
    qtbot.waitUntil(lambda: "212 requests left" in quota.text(), timeout=10_000)
    assert quota.isVisible()
    assert " · resets " in quota.text()


def test_the_bulk_dialog_creates_all_or_nothing(
    unpaced: None, qtbot: QtBot, window: MainWindow, fake: FakeToggl
) -> None:
    people_loaded(qtbot, window)
    dialog = open_bulk(qtbot, window)
    edit = child(dialog, QPlainTextEdit, "bulkAddEdit")
    view = child(dialog, QAbstractItemView, "bulkPreview")
    button = child(dialog, QPushButton, "bulkAddButton")
    assert not button.isEnabled()
    edit.setPlainText("First 1h @web\n\n   \nSecond +sam @mobile\nThird @acme\n")
    qtbot.waitUntil(lambda: view.model().rowCount() == 3)
    assert not button.isEnabled()  # one line is not understood: nothing may go
    assert child(dialog, QLabel, "bulkSummary").text().startswith("1 of 3 lines is not")
    model = view.model()
    assert "could be 2 projects" in model.index(2, 1).data()
    assert model.index(2, 0).data() == "5"  # its line number in the text
    button.click()
    assert posts(fake) == 0
    edit.setPlainText("First 1h @web\n\n   \nSecond +sam @mobile\nThird @internal\n")
    qtbot.waitUntil(button.isEnabled)
    assert button.text() == "Create 3 tasks"
    assert "3 requests; " in child(dialog, QLabel, "bulkCost").text()
    button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.waitUntil(lambda: outbox_empty(window) and posts(fake) == 3, timeout=15_000)
    for name in ("First", "Second", "Third"):
        assert len(fake.tasks_named(name)) == 1
    assert fake.tasks_named("Second")[0]["user_id"] == SAM
    assert edit.toPlainText() == ""


def test_a_hundred_lines_queued_offline_arrive_exactly_once(
    unpaced: None, qtbot: QtBot, window: MainWindow, fake: FakeToggl
) -> None:
    fake.go_down()
    dialog = open_bulk(qtbot, window)
    lines = [f"Bulk task {n} 15m @mobile" for n in range(100)]
    child(dialog, QPlainTextEdit, "bulkAddEdit").setPlainText("\n".join(lines))
    button = child(dialog, QPushButton, "bulkAddButton")
    qtbot.waitUntil(button.isEnabled)
    assert button.text() == "Create 100 tasks"
    button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.waitUntil(lambda: window.outbox_panel.model.rowCount() == 100)
    assert "Queued 100 tasks" in status_text(window)
    fake.come_back()
    send_now = child(window, QPushButton, "sendNowButton")
    qtbot.waitUntil(send_now.isEnabled)
    send_now.click()
    qtbot.waitUntil(lambda: outbox_empty(window), timeout=30_000)
    assert posts(fake) == 100
    for n in range(100):
        assert len(fake.tasks_named(f"Bulk task {n}")) == 1


def test_closing_the_bulk_dialog_with_lines_asks_first(qtbot: QtBot, window: MainWindow) -> None:
    dialog = open_bulk(qtbot, window)
    edit = child(dialog, QPlainTextEdit, "bulkAddEdit")
    edit.setPlainText("Keep me\nAnd me")
    dialog.close()
    box = wait_for_top_level(qtbot, "bulkDiscardConfirmation")
    assert isinstance(box, QMessageBox)
    assert "2 lines" in box.text()
    box.button(QMessageBox.StandardButton.Cancel).click()
    qtbot.waitUntil(lambda: not box.isVisible())
    assert dialog.isVisible()
    assert edit.toPlainText() == "Keep me\nAnd me"
    dialog.reject()
    box = wait_for_top_level(qtbot, "bulkDiscardConfirmation")
    assert isinstance(box, QMessageBox)
    box.button(QMessageBox.StandardButton.Discard).click()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert edit.toPlainText() == ""


def test_closing_the_window_with_lines_in_the_bulk_dialog_asks_about_them(
    qtbot: QtBot, window: MainWindow
) -> None:
    dialog = open_bulk(qtbot, window)
    child(dialog, QPlainTextEdit, "bulkAddEdit").setPlainText("Not to be lost @web")
    window.close()
    box = wait_for_top_level(qtbot, "bulkDiscardConfirmation")
    assert isinstance(box, QMessageBox)
    assert window.isVisible()  # the window stays while the question is open
    box.button(QMessageBox.StandardButton.Discard).click()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    window.close()
    assert not window.isVisible()
