"""The menu bar: File (add many, sign in, sign out, quit), View (refresh), Help (diagnostics,
about).

The Help menu's work is done here: diagnostics are collected on the worker thread and land
on the clipboard; About is a message box. The shortcuts (Quit, F5) are added after the first
paint (`add_shortcuts`): `QKeySequence` and its enums cost ~1.5 ms the paint does not need.
File ▸ Add many… opens the bulk dialog (desktop.ui.adding builds it when first asked)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import PySide6
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

from desktop import APP_NAME
from desktop.ui.widgets import action

if TYPE_CHECKING:
    from desktop.ui.bridge import SessionBridge


class Menus(QObject):
    signInChosen = Signal()
    refreshChosen = Signal()
    addManyChosen = Signal()

    def __init__(self, window: QMainWindow, bridge: SessionBridge) -> None:
        super().__init__(window)
        self._window, self._bridge = window, bridge
        file_menu = window.menuBar().addMenu("&File")
        self.add_many = action("Add &many…", window, self.addManyChosen.emit)
        self.add_many.setObjectName("bulkAddAction")
        file_menu.addAction(self.add_many)
        file_menu.addSeparator()
        self.sign_in = action("Sign &in…", window, self.signInChosen.emit)
        self.sign_out = action("Sign &out", window, bridge.signOutRequested.emit)
        self.quit = action("&Quit", window, window.close)
        for item in (self.sign_in, self.sign_out):
            file_menu.addAction(item)
        file_menu.addSeparator()
        file_menu.addAction(self.quit)
        self.refresh = action("&Refresh", window, self.refreshChosen.emit)
        self._shortcuts_added = False
        window.menuBar().addMenu("&View").addAction(self.refresh)
        help_menu = window.menuBar().addMenu("&Help")
        self.diagnostics = action("&Copy diagnostics", window, self._copy_diagnostics)
        self.diagnostics.setObjectName("copyDiagnosticsAction")
        help_menu.addAction(self.diagnostics)
        help_menu.addAction(action(f"&About {APP_NAME}", window, self._about))
        more = window.menuBar().findChild(QWidget, "qt_menubar_ext_button")  # Qt's own button
        if more is not None:  # shown when the menus do not fit: named for screen readers
            more.setAccessibleName("More menus")
        bridge.worker.diagnosticsCollected.connect(self._on_diagnostics)

    def add_shortcuts(self) -> bool:
        """Quit (the platform's keys), Refresh (F5) and Add many (Ctrl+Shift+V: many tasks are
        often pasted); False if they were added already."""
        if self._shortcuts_added:
            return False
        from PySide6.QtGui import QKeySequence  # after the first paint: see the docstring

        self._shortcuts_added = True
        self.quit.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.Quit))
        self.refresh.setShortcuts([QKeySequence("F5")])
        self.add_many.setShortcuts([QKeySequence("Ctrl+Shift+V")])
        return True

    def _copy_diagnostics(self) -> None:
        self._bridge.diagnosticsRequested.emit(PySide6.__version__)

    def _on_diagnostics(self, text: str) -> None:
        QApplication.clipboard().setText(text)
        self._window.statusBar().showMessage(
            "Diagnostics copied: paste them into your message to support (no token included).",
            8000,
        )

    def _about(self) -> None:
        from desktop.ui.notices import show_about  # QMessageBox: not before the first paint

        show_about(self._window)
