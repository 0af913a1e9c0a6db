"""Adding a task from outside the main window (issue #14): `TaskDesk --quick-add` opens the
quick-add window alone, or hands over to the copy already running on the same data folder
(a local socket) and exits 0; the quick-add window sends as the main window's line does."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from desktop import credentials
from desktop.app import main
from desktop.store.lock import InstanceLock
from desktop.ui.main_window import MainWindow
from tests.fake_toggl import FakeToggl
from tests.python_process import ROOT
from tests.ui_helpers import child, top_level, wait_for_projects, wait_for_top_level


@pytest.fixture
def env_token(monkeypatch: pytest.MonkeyPatch, fake: FakeToggl) -> None:
    monkeypatch.setenv(credentials.ENV_TOKEN, fake.token)


def main_window() -> QWidget | None:
    """The window `main` made (it is not shown: `top_level` would not find it)."""
    for widget in QApplication.topLevelWidgets():
        if widget.objectName() == "mainWindow" and isinstance(widget, MainWindow):
            return widget
    return None


@pytest.mark.usefixtures("env_token")
def test_quick_add_opens_the_quick_add_window_alone_and_ends_with_it(
    qtbot: QtBot, fake: FakeToggl, data_dir: Path
) -> None:
    seen: dict[str, object] = {}

    def drive() -> None:
        quick = wait_for_top_level(qtbot, "quickAddWindow")
        edit = child(quick, QLineEdit, "quickAddEdit")
        preview = child(quick, QLabel, "quickAddPreview")
        window = main_window()
        assert window is not None
        seen["main shown"] = window.isVisible()
        wait_for_projects(qtbot, window)
        qtbot.keyClicks(edit, "From a shortcut 25m @web")
        qtbot.waitUntil(lambda: "Website Redesign" in preview.text())
        seen["preview"] = preview.text()
        qtbot.keyClick(edit, Qt.Key.Key_Return)

    QTimer.singleShot(0, drive)
    code = main(["--quick-add", "--api-url", fake.url, "--data-dir", str(data_dir)])
    assert code == 0
    assert seen == {
        "main shown": False,
        "preview": "From a shortcut · 25 min · Website Redesign · Acme Corp",
    }
    (task,) = fake.tasks_named("From a shortcut")  # sent before the app ended
    assert task["estimated_seconds"] == 1500


def test_the_menu_entry_has_a_quick_add_action() -> None:
    entry = (ROOT / "resources" / "task-desk.desktop").read_text(encoding="utf-8")
    assert "\nActions=quick-add;\n" in entry
    action = entry.split("[Desktop Action quick-add]\n", 1)[1]
    assert "\nExec=task-desk --quick-add\n" in f"\n{action}"


def test_a_second_quick_add_asks_the_running_copy_and_exits_0(
    qtbot: QtBot, make_window: Callable[[], MainWindow], fake: FakeToggl, data_dir: Path
) -> None:
    lock = InstanceLock(data_dir)  # as `main` holds it for the window it runs
    assert lock.acquire()
    window = make_window()
    with qtbot.waitSignal(window.settled, timeout=10_000):
        pass
    assert top_level("quickAddWindow") is None
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop(credentials.ENV_TOKEN, None)
    second = subprocess.Popen(
        [sys.executable, "-m", "desktop", "--quick-add", "--api-url", fake.url,
         "--data-dir", str(data_dir)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        quick = wait_for_top_level(qtbot, "quickAddWindow", timeout=30_000)
        qtbot.waitUntil(lambda: second.poll() is not None, timeout=30_000)
    finally:
        if second.poll() is None:
            second.kill()
        _, err = second.communicate()
        lock.release()
    assert second.returncode == 0, err
    assert "already running" not in err
    assert quick.isVisible()
    assert window.isVisible()
    quick.close()
    assert window.isVisible()  # closing the quick-add window leaves the app as it was


def test_the_quick_add_window_sends_through_the_same_flow(
    qtbot: QtBot, window: MainWindow, fake: FakeToggl
) -> None:
    quick = window.adding.access().open_quick_window()
    assert quick.objectName() == "quickAddWindow"
    edit = child(quick, QLineEdit, "quickAddEdit")
    assert child(window, QLineEdit, "quickAddEdit") is not edit  # the window finds its own
    window.quick.edit.setText("Typed in the main line")
    qtbot.keyClicks(edit, "From the tray 10m @mobile")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not quick.isVisible())
    qtbot.waitUntil(lambda: len(fake.tasks_named("From the tray")) == 1, timeout=10_000)
    assert window.quick.edit.text() == "Typed in the main line"  # the other line is untouched
