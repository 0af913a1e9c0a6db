"""The tray icon, where the desktop has a tray (`QSystemTrayIcon.isSystemTrayAvailable()`):
Quick add…, Show Task Desk, Send now, Keep running in the tray, Quit; the number of queued
tasks in its tooltip. Made after the first paint, never before.

"Keep running in the tray" (off by default) lets the queue drain after the window is closed:
closing the window then hides it, and the worker goes on; Quit (here, or File ▸ Quit while the
window shows) ends the app as before. The setting is one line in the data folder,
`keep-in-tray` ("1" or "0"), a private file as the window's geometry is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QApplication, QMenu, QSystemTrayIcon

from desktop import APP_NAME
from desktop.data_folder import read_small_file, replace_small_file

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from PySide6.QtWidgets import QMainWindow

    from desktop.session import SyncView

SETTING_FILE = "keep-in-tray"
WHAT = "tray setting file"



def keeps_running(folder: Path) -> bool:
    """The saved setting; off when there is none or it cannot be read."""
    data = read_small_file(folder / SETTING_FILE, 8, WHAT)
    return data is not None and data.strip() == b"1"


def save_keeps_running(folder: Path, keep: bool) -> None:
    replace_small_file(folder / SETTING_FILE, b"1\n" if keep else b"0\n", WHAT)


def queued_tooltip(pending: int) -> str:
    if not pending:
        return f"{APP_NAME}: nothing waiting to be sent"
    tasks = "1 task" if pending == 1 else f"{pending} tasks"
    return f"{APP_NAME}: {tasks} queued"


class Tray(QObject):
    def __init__(
        self,
        window: QMainWindow,
        data_dir: Path,
        *,
        quick_add: Callable[[], object],
        send_now: Callable[[], object],
        icon: QIcon,
    ) -> None:
        super().__init__(window)
        self._window, self._data_dir = window, data_dir
        self.quitting = False
        self.menu = QMenu(window)
        self.menu.setObjectName("trayMenu")
        self.quick_add = self._item("Quick add…", "trayQuickAddAction", quick_add)
        self.show_window = self._item(f"Show {APP_NAME}", "trayShowAction", self.show_main)
        self.send_now = self._item("Send now", "traySendNowAction", send_now)
        self.menu.addSeparator()
        self.keep = self._item("Keep running in the tray", "keepInTrayAction", self._kept)
        self.keep.setCheckable(True)
        self.keep.setChecked(keeps_running(data_dir))
        self.menu.addSeparator()
        self.quit = self._item("Quit", "trayQuitAction", self.quit_app)
        self.icon = QSystemTrayIcon(icon, window)
        self.icon.setObjectName("trayIcon")
        self.icon.setContextMenu(self.menu)
        self.icon.setToolTip(queued_tooltip(0))
        self.icon.activated.connect(self._activated)
        window.installEventFilter(self)

    def _item(self, text: str, name: str, slot: Callable[[], object]) -> QAction:
        item = QAction(self.menu)
        item.setText(text)
        item.setObjectName(name)
        item.triggered.connect(slot)
        self.menu.addAction(item)
        return item

    def show(self) -> None:
        self.icon.show()

    def sync_changed(self, status: SyncView) -> None:
        self.icon.setToolTip(queued_tooltip(status.pending))

    def show_main(self) -> None:
        window = self._window
        window.showNormal()
        window.raise_()
        window.activateWindow()

    def quit_app(self) -> None:
        """Close the window for good, hidden or not: the app ends as it does without a tray."""
        self.quitting = True
        hidden = not self._window.isVisible()
        self._window.close()
        if hidden and QApplication.quitOnLastWindowClosed():  # closing a hidden window quits not
            QCoreApplication.quit()

    def _kept(self) -> None:
        save_keeps_running(self._data_dir, self.keep.isChecked())

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason == QSystemTrayIcon.ActivationReason.Trigger:  # a click: the window, or away
            if self._window.isVisible() and self._window.isActiveWindow():
                self._window.hide()
            else:
                self.show_main()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Closing the window hides it instead while the tray keeps the app running."""
        if (
            event.type() == QEvent.Type.Close
            and watched is getattr(self, "_window", None)  # not while being torn down
            and self.keep.isChecked()
            and not self.quitting
        ):
            from desktop.ui import window_geometry

            window_geometry.remember(self._window, self._data_dir)  # the close would have
            event.ignore()
            self._window.hide()
            return True
        return super().eventFilter(watched, event)
