"""Adding a task from outside the main window: the quick-add window (desktop.ui.quick_window),
the local socket another `TaskDesk --quick-add` asks to show it (desktop.ui.instance_link), and
the tray icon (desktop.ui.tray). All three are made after the first paint, when first needed.

`--quick-add` runs the app with the quick-add window alone (`standalone`): the main window is
built and its worker runs as ever, but it is not shown; when the quick-add window goes, the app
ends (a task just saved is sent, or left queued, first: the worker finishes its call)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

if TYPE_CHECKING:
    from pathlib import Path

    from PySide6.QtGui import QIcon

    from desktop.ui.bridge import SessionBridge
    from desktop.ui.instance_link import InstanceServer
    from desktop.ui.main_window import MainWindow
    from desktop.ui.menus import Menus
    from desktop.ui.quick_window import QuickAddWindow
    from desktop.ui.tray import Tray


def app_icon() -> QIcon:
    """The app's icon, as desktop.app sets it (read here when no one has: an embedding host)."""
    from PySide6.QtWidgets import QApplication

    from desktop.app import RESOURCES

    icon = QApplication.windowIcon()
    if icon.isNull():
        for png in sorted(RESOURCES.glob("icons/task-desk-*.png")):
            icon.addFile(str(png))
    return icon


class QuickAccess(QObject):
    def __init__(
        self, window: MainWindow, bridge: SessionBridge, menus: Menus, data_dir: Path
    ) -> None:
        super().__init__(window)
        self._window, self._bridge, self._menus = window, bridge, menus
        self._data_dir = data_dir
        self.standalone = False
        self.quick_window: QuickAddWindow | None = None
        self.server: InstanceServer | None = None
        self.tray: Tray | None = None
        window.closed.connect(self._closed)

    def open_quick_window(self, *, standalone: bool = False) -> QuickAddWindow:
        """Show the quick-add window, built the first time; `standalone`: the app is this
        window alone (`--quick-add`), and ends with it."""
        from PySide6.QtCore import Qt

        if self.quick_window is None:
            from desktop.ui.quick_window import QuickAddWindow

            window = self._window
            self.quick_window = QuickAddWindow(window.picker, window.form, window.flow)
            self._bridge.worker.workspaceListsLoaded.connect(self.quick_window.quick.show_preview)
            self.quick_window.hidden.connect(self._quick_window_hidden)
        self.standalone = self.standalone or standalone
        # Only the app's own last window ends it: not this one while the tray keeps it.
        self.quick_window.setAttribute(Qt.WidgetAttribute.WA_QuitOnClose, self.standalone)
        self.quick_window.open()
        return self.quick_window

    def _quick_window_hidden(self) -> None:
        if self.standalone and not self._window.isVisible():
            QTimer.singleShot(0, self._window.close)

    def start(self) -> None:
        """After the first paint: listen for another copy, and the tray where there is one."""
        from desktop.ui.instance_link import InstanceServer

        self.server = InstanceServer(self._data_dir, self)
        self.server.quickAddAsked.connect(self.open_quick_window)
        self.server.listen()
        if not self.standalone:
            QTimer.singleShot(0, self._window, self._add_tray)  # after the window's icon is set

    def _add_tray(self) -> None:
        from PySide6.QtWidgets import QSystemTrayIcon

        if self.tray is not None or not QSystemTrayIcon.isSystemTrayAvailable():
            return
        from desktop.ui.tray import Tray

        self.tray = Tray(
            self._window,
            self._data_dir,
            quick_add=self.open_quick_window,
            send_now=self._bridge.sendNowRequested.emit,
            icon=app_icon(),
        )
        self._bridge.worker.syncStatusChanged.connect(self.tray.sync_changed)
        quit_action = self._menus.quit  # File ▸ Quit quits, also while the tray keeps the app
        quit_action.triggered.disconnect()
        quit_action.triggered.connect(self.tray.quit_app)
        self.tray.show()

    def _closed(self) -> None:
        if self.server is not None:
            self.server.close()
        if self.quick_window is not None:
            self.quick_window.hidden.disconnect(self._quick_window_hidden)
            self.quick_window.close()
            self.quick_window.deleteLater()
            self.quick_window = None
        if self.tray is not None:
            self.tray.icon.hide()
