"""The tray part (desktop.ui.tray) on a real window, its icon not shown (the offscreen platform
has no tray): its menu, the queued count in its tooltip, and "Keep running in the tray"."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QApplication, QMainWindow
from pytestqt.qtbot import QtBot

from desktop.session import SyncView
from desktop.ui.tray import SETTING_FILE, Tray, keeps_running, queued_tooltip
from desktop.ui.window_geometry import GEOMETRY_FILE


@pytest.fixture
def window(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> QMainWindow:
    # A hidden window closing would end a QApplication.exec(); none runs here.
    monkeypatch.setattr(QApplication, "quitOnLastWindowClosed", lambda: False)
    made = QMainWindow()
    qtbot.addWidget(made)
    made.show()
    return made


def tray(window: QMainWindow, data_dir: Path, asked: list[str]) -> Tray:
    return Tray(
        window,
        data_dir,
        quick_add=lambda: asked.append("quick add"),
        send_now=lambda: asked.append("send now"),
        icon=QIcon(),
    )


def test_the_menu_and_the_queued_count(window: QMainWindow, tmp_path: Path) -> None:
    asked: list[str] = []
    part = tray(window, tmp_path, asked)
    names = [a.objectName() for a in part.menu.actions() if not a.isSeparator()]
    assert names == [
        "trayQuickAddAction", "trayShowAction", "traySendNowAction", "keepInTrayAction",
        "trayQuitAction",
    ]  # fmt: skip
    assert [a.text() for a in part.menu.actions() if a.objectName() == "trayShowAction"] == [
        "Show Task Desk"
    ]
    part.quick_add.trigger()
    part.send_now.trigger()
    assert asked == ["quick add", "send now"]
    part.sync_changed(SyncView("Offline — 3 queued", 3, True, False))
    assert part.icon.toolTip() == "Task Desk: 3 tasks queued"
    assert queued_tooltip(1) == "Task Desk: 1 task queued"
    assert queued_tooltip(0) == "Task Desk: nothing waiting to be sent"


def test_kept_running_closing_hides_the_window_until_quit(
    qtbot: QtBot, window: QMainWindow, tmp_path: Path
) -> None:
    part = tray(window, tmp_path, [])
    assert not part.keep.isChecked()  # off by default
    assert not keeps_running(tmp_path)
    part.keep.trigger()
    assert (tmp_path / SETTING_FILE).read_bytes() == b"1\n"
    assert keeps_running(tmp_path)
    window.close()
    assert not window.isVisible()  # hidden, the app (and its worker) still running
    assert (tmp_path / GEOMETRY_FILE).exists()  # its place remembered, as a close does
    part.show_main()
    assert window.isVisible()
    window.close()
    assert not window.isVisible()
    other = QMainWindow()
    qtbot.addWidget(other)
    assert tray(other, tmp_path, []).keep.isChecked()  # remembered in the data folder
    part.quit_app()
    assert part.quitting
    assert not window.isVisible()


def test_off_closing_closes(window: QMainWindow, tmp_path: Path) -> None:
    part = tray(window, tmp_path, [])
    (tmp_path / SETTING_FILE).write_bytes(b"0\n")
    accepted = window.close()
    assert accepted
    assert not part.keep.isChecked()
    window.findChild(QAction, "trayQuitAction")  # the menu belongs to the window
