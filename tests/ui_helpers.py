"""Driving the app through its automation contract (object names), as a person would."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from tests.fake_toggl import FakeToggl

T = TypeVar("T", bound=QObject)


def child(parent: QWidget, kind: type[T], name: str) -> T:
    found = parent.findChild(kind, name)
    assert found is not None, f"no {kind.__name__} named {name!r}"
    return found


def top_level(name: str) -> QWidget | None:
    for widget in QApplication.topLevelWidgets():
        if widget.objectName() == name and widget.isVisible():
            return widget
    return None


def wait_for_top_level(qtbot: QtBot, name: str, timeout: int = 10_000) -> QWidget:
    qtbot.waitUntil(lambda: top_level(name) is not None, timeout=timeout)
    widget = top_level(name)
    assert widget is not None
    return widget


def sign_in_with_token(qtbot: QtBot, token: str, window: QWidget | None = None) -> QDialog:
    """Find the visible sign-in dialog as a test that knows nothing of the app's internals;
    given the `window`, its own dialog: an earlier test's window may not be gone yet, and its
    dialog would take the token instead."""
    qtbot.waitUntil(lambda: own_dialog(window) is not None, timeout=10_000)
    dialog = own_dialog(window)
    assert isinstance(dialog, QDialog)
    child(dialog, QLineEdit, "tokenEdit").setText(token)
    qtbot.mouseClick(child(dialog, QPushButton, "signInButton"), Qt.MouseButton.LeftButton)
    return dialog


def own_dialog(window: QWidget | None) -> QWidget | None:
    """The visible sign-in dialog of `window`, or (None) of any window still shown: a closed
    window's dialog is an earlier test's, left until Qt deletes it."""
    for widget in QApplication.topLevelWidgets():
        if widget.objectName() != "signInDialog" or not widget.isVisible():
            continue
        parent = widget.parentWidget()
        if window is not None and parent is window:
            return widget
        if window is None and (parent is None or parent.isVisible()):
            return widget
    return None


def select_by_data(combo: QComboBox, value: object) -> None:
    index = combo.findData(value)
    assert index >= 0, f"{value!r} not in {combo.objectName()}"
    combo.setCurrentIndex(index)


def wait_for_projects(qtbot: QtBot, window: QWidget, timeout: int = 30_000) -> QComboBox:
    """Signing in writes the token to the keyring first: over D-Bus to a real Secret Service
    in CI, which once took over 10 s on a busy machine."""
    projects = child(window, QComboBox, "projectSelector")
    qtbot.waitUntil(lambda: projects.count() > 0, timeout=timeout)
    return projects


def fill_task(window: QWidget, fake: FakeToggl, name: str, estimate: str = "") -> None:
    select_by_data(child(window, QComboBox, "projectSelector"), fake.project_id("Website Redesign"))
    child(window, QLineEdit, "taskNameEdit").setText(name)
    child(window, QLineEdit, "estimateEdit").setText(estimate)


def status_text(window: QWidget) -> str:
    return child(window, QLabel, "statusPanel").text()
