"""The quick-add window (`quickAddWindow`): a small window holding its own quick-add line and
preview, for a keyboard shortcut (`TaskDesk --quick-add`) or the tray's "Quick add…", with the
main window hidden or elsewhere. It reads lines against the main window's lists and sends
through the same task flow; once the task is saved in the outbox, or on Escape, it goes.

A top-level window of its own (no parent), so the main window's `quickAddEdit` stays the only
one found under the main window; it is built when first asked for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from desktop import APP_NAME
from desktop.ui.quick_add import QuickAdd

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent

    from desktop.ui.project_picker import ProjectPicker
    from desktop.ui.task_flow import TaskFlow
    from desktop.ui.task_form import TaskForm

WIDTH = 520


class QuickAddWindow(QWidget):
    hidden = Signal()  # closed, after a task was saved or on Escape

    def __init__(self, picker: ProjectPicker, form: TaskForm, flow: TaskFlow) -> None:
        super().__init__()
        self.setObjectName("quickAddWindow")
        self.setWindowTitle(f"Quick add · {APP_NAME}")
        self.setWindowFlag(Qt.WindowType.Dialog)  # a small window: no taskbar entry of its own
        self.quick = QuickAdd(picker, form, flow, self)
        self.quick.edit.setMinimumWidth(WIDTH // 2)
        layout = QVBoxLayout(self)
        title = QLabel("&Quick add a task:")
        title.setBuddy(self.quick.edit)
        layout.addWidget(title)
        layout.addWidget(self.quick.edit)
        layout.addWidget(self.quick.preview)
        self.resize(WIDTH, self.sizeHint().height())
        self.quick.saved.connect(self.close)
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        escape.activated.connect(self.close)

    def open(self) -> None:
        """Show it in front, the line ready for typing (what was typed and not sent stays)."""
        self.quick.show_preview()
        self.show()
        self.raise_()
        self.activateWindow()
        self.quick.edit.setFocus()

    def closeEvent(self, event: QCloseEvent) -> None:
        super().closeEvent(event)
        self.hidden.emit()
