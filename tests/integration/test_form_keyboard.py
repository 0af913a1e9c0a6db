"""The form through the automation contract and the keyboard: estimates in minutes, an
unusual one asked about once, the next task's defaults, Ctrl+Enter from every field, the
default button, and an accessible name for every interactive widget of the window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyle,
    QStyleOptionButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from desktop.ui.main_window import MainWindow
from tests.fake_toggl import FakeToggl
from tests.ui_helpers import child, fill_task, select_by_data

SAM = 9_000_000_002
CTRL = Qt.KeyboardModifier.ControlModifier


def created(qtbot: QtBot, window: MainWindow, fake: FakeToggl, name: str) -> dict[str, object]:
    """The task once Toggl has it and the form is ready for the next one."""
    qtbot.waitUntil(lambda: len(fake.tasks_named(name)) == 1, timeout=10_000)
    qtbot.waitUntil(lambda: child(window, QLineEdit, "taskNameEdit").text() == "")
    (task,) = fake.tasks_named(name)
    return task


def focus(qtbot: QtBot, window: MainWindow, widget: QWidget) -> None:
    window.activateWindow()
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)  # the project filter's focus is its selector's


def test_a_bare_number_is_minutes(qtbot: QtBot, window: MainWindow, fake: FakeToggl) -> None:
    fill_task(window, fake, "Ninety", "90")
    assert child(window, QLabel, "estimateHint").text() == "Understood as 1 h 30 min."
    qtbot.mouseClick(child(window, QPushButton, "submitButton"), Qt.MouseButton.LeftButton)
    assert created(qtbot, window, fake, "Ninety")["estimated_seconds"] == 5400


@pytest.mark.parametrize(("typed", "words"), [("250h", "250 h"), ("45s", "45 s")])
def test_an_unusual_estimate_needs_a_second_enter(
    qtbot: QtBot, window: MainWindow, fake: FakeToggl, typed: str, words: str
) -> None:
    fill_task(window, fake, "Unusual", typed)
    estimate = child(window, QLineEdit, "estimateEdit")
    focus(qtbot, window, estimate)
    qtbot.keyClick(estimate, Qt.Key.Key_Return)
    hint = child(window, QLabel, "estimateHint")
    assert hint.text() == f"That is {words}: press Enter again to create it anyway."
    assert child(window, QPushButton, "submitButton").isEnabled()  # not sending
    qtbot.keyClick(estimate, Qt.Key.Key_Return)
    created(qtbot, window, fake, "Unusual")
    assert [r.method for r in fake.requests].count("POST") == 1


def test_ctrl_enter_asks_about_an_unusual_estimate_once_too(
    qtbot: QtBot, window: MainWindow, fake: FakeToggl
) -> None:
    fill_task(window, fake, "Asked once", "300h")
    check = child(window, QCheckBox, "activeCheck")
    focus(qtbot, window, check)
    qtbot.keyClick(check, Qt.Key.Key_Return, CTRL)
    assert "press Enter again" in child(window, QLabel, "estimateHint").text()
    child(window, QLineEdit, "estimateEdit").setText("299h")  # changed: asked again
    qtbot.keyClick(check, Qt.Key.Key_Return, CTRL)
    assert "That is 299 h" in child(window, QLabel, "estimateHint").text()
    assert fake.tasks_named("Asked once") == []
    qtbot.keyClick(check, Qt.Key.Key_Return, CTRL)
    assert created(qtbot, window, fake, "Asked once")["estimated_seconds"] == 299 * 3600


def test_the_next_task_is_open_and_keeps_the_assignee(
    qtbot: QtBot, window: MainWindow, fake: FakeToggl
) -> None:
    assignees = child(window, QComboBox, "assigneeSelector")
    qtbot.waitUntil(lambda: assignees.findData(SAM) >= 0)
    select_by_data(assignees, SAM)
    fill_task(window, fake, "Finished before", "1h")
    check = child(window, QCheckBox, "activeCheck")
    check.setChecked(False)
    qtbot.mouseClick(child(window, QPushButton, "submitButton"), Qt.MouseButton.LeftButton)
    first = created(qtbot, window, fake, "Finished before")
    assert (first["active"], first["user_id"]) == (False, SAM)
    assert check.isChecked()
    assert child(window, QLineEdit, "estimateEdit").text() == ""
    assert (assignees.currentData(), assignees.currentText()) == (SAM, "Sam Designer")
    child(window, QLineEdit, "taskNameEdit").setText("Still to do")
    qtbot.mouseClick(child(window, QPushButton, "submitButton"), Qt.MouseButton.LeftButton)
    second = created(qtbot, window, fake, "Still to do")
    assert (second["active"], second["user_id"]) == (True, SAM)


@pytest.mark.parametrize(
    ("kind", "name"),
    [(QLineEdit, "taskNameEdit"), (QLineEdit, "estimateEdit"), (QCheckBox, "activeCheck"),
     (QComboBox, "assigneeSelector"), (QLineEdit, "projectFilter"),
     (QComboBox, "workspaceSelector")],
)  # fmt: skip
def test_ctrl_enter_creates_from_anywhere_in_the_form(
    qtbot: QtBot, window: MainWindow, fake: FakeToggl, kind: type[QWidget], name: str
) -> None:
    fill_task(window, fake, f"From {name}", "20m")
    widget = child(window, kind, name)
    focus(qtbot, window, widget)
    qtbot.keyClick(widget, Qt.Key.Key_Return, CTRL)
    assert created(qtbot, window, fake, f"From {name}")["estimated_seconds"] == 1200
    fill_task(window, fake, "Keypad", "")
    focus(qtbot, window, widget)
    qtbot.keyClick(widget, Qt.Key.Key_Enter, CTRL | Qt.KeyboardModifier.KeypadModifier)
    created(qtbot, window, fake, "Keypad")


def test_the_default_button_shows_it_and_takes_focus_and_enter(
    qtbot: QtBot, window: MainWindow, fake: FakeToggl
) -> None:
    submit = child(window, QPushButton, "submitButton")
    fill_task(window, fake, "Tabbed to")
    assignees = child(window, QComboBox, "assigneeSelector")
    focus(qtbot, window, assignees)
    qtbot.keyClick(assignees, Qt.Key.Key_Tab)
    qtbot.waitUntil(submit.hasFocus)
    option = QStyleOptionButton()
    submit.initStyleOption(option)
    assert option.features & QStyleOptionButton.ButtonFeature.DefaultButton
    assert option.state & QStyle.StateFlag.State_HasFocus
    qtbot.keyClick(submit, Qt.Key.Key_Return)
    created(qtbot, window, fake, "Tabbed to")


def unnamed_widgets(window: QWidget) -> list[str]:
    """Interactive widgets with neither an accessible name nor a label naming them."""
    buddies = [label.buddy() for label in window.findChildren(QLabel) if label.buddy()]
    missing = []
    for kind in (QAbstractButton, QLineEdit, QComboBox, QAbstractItemView, QCheckBox):
        for widget in window.findChildren(kind):
            if widget.accessibleName() or any(widget is buddy for buddy in buddies):
                continue
            parent = widget.parentWidget()
            where = parent.objectName() if parent is not None else ""
            missing.append(widget.objectName() or f"{type(widget).__name__} in {where!r}")
    return sorted(set(missing))


def test_every_interactive_widget_has_an_accessible_name(
    qtbot: QtBot, window: MainWindow, fake: FakeToggl
) -> None:
    fill_task(window, fake, "Shown")  # the outbox and notes as they are in use
    assert unnamed_widgets(window) == []
    assert child(window, QCheckBox, "activeCheck").accessibleName() == "Open"
