"""Editing selected tasks: the dialog (name, estimate, assignee; only the fields the user
touched are changed, and the name only for one task) and the confirmation before deleting.

Both are built when first asked for, never before the window's first paint."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.api.models import TaskChanges
from desktop.domain.display import isolate
from desktop.domain.estimate import EstimateError, format_human, parse_estimate
from desktop.domain.task_name import TaskNameError, clean_task_name
from desktop.ui.naming import named
from desktop.ui.widgets import note, show_note

if TYPE_CHECKING:
    from collections.abc import Callable

    from desktop.api.models import User
    from desktop.task_lines import TaskLine

KEEP = "keep"
"""The assignee selector's data for "keep each task's assignee" (several tasks, several people)."""


class TaskEditDialog(QDialog):
    """Emits `saved(TaskChanges)` with the fields the user changed (none: nothing is sent)."""

    saved = Signal(object)

    def __init__(self, lines: list[TaskLine], users: list[User], parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("taskEditDialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        one = len(lines) == 1
        self.setWindowTitle(
            f"Edit “{isolate(lines[0].name)}”" if one else f"Edit {len(lines)} tasks"
        )
        self.name_edit = named(QLineEdit(), "taskNameEdit")
        self.name_edit.setAccessibleName("Task name")
        self.name_note = note("taskEditNameNote")
        self.estimate_edit = named(QLineEdit(), "estimateEdit")
        self.estimate_edit.setAccessibleName("Estimate")
        self.estimate_note = note("taskEditEstimateNote")
        self.assignee_selector = named(QComboBox(), "assigneeSelector")
        self.assignee_selector.setAccessibleName("Assignee")
        self.assignee_selector.view().setAccessibleName("Assignees")
        if one:
            self.name_edit.setText(lines[0].name)
        else:
            self.name_edit.setEnabled(False)
            self.name_edit.setPlaceholderText("Each task keeps its name")
        estimates = {line.estimated_seconds or 0 for line in lines}
        if len(estimates) == 1:
            seconds = estimates.pop()
            self.estimate_edit.setText(format_human(seconds) if seconds else "")
            self.estimate_edit.setPlaceholderText("No estimate")
        else:
            self.estimate_edit.setPlaceholderText("Each task keeps its estimate")
        self._fill_assignees(lines, users)
        self._initial = (self.name_edit.text(), self.estimate_edit.text())
        self._initial_assignee = self.assignee_selector.currentIndex()
        form = QFormLayout()
        form.addRow("Task &name:", self.name_edit)
        form.addRow("", self.name_note)
        form.addRow("&Estimate:", self.estimate_edit)
        form.addRow("", self.estimate_note)
        form.addRow("&Assignee:", self.assignee_selector)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.save_button = named(QPushButton("Save"), "saveTaskButton")
        self.save_button.setAccessibleName("Save")
        self.save_button.setDefault(True)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setObjectName("cancelTaskButton")
        cancel.setAccessibleName("Cancel")
        buttons.rejected.connect(self.reject)
        self.save_button.clicked.connect(self._save)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def _fill_assignees(self, lines: list[TaskLine], users: list[User]) -> None:
        selector = self.assignee_selector
        people = {line.user_id for line in lines}
        if len(people) > 1:
            selector.addItem("Keep each task's assignee", KEEP)
        selector.addItem("No assignee", None)
        listed: set[int] = set()
        for user in users:
            selector.addItem(user.label, user.id)
            listed.add(user.id)
        for line in lines:  # someone no longer in the workspace's list
            if line.user_id is not None and line.user_id not in listed:
                selector.addItem(line.user_name or f"User {line.user_id}", line.user_id)
                listed.add(line.user_id)
        if len(people) == 1:
            selector.setCurrentIndex(max(0, selector.findData(people.pop())))

    def changes(self) -> TaskChanges | None:
        """The fields touched, checked; None (and said beside the field) when one is wrong."""
        name: str | None = None
        seconds: int | None = None
        name_text, estimate_text = self.name_edit.text(), self.estimate_edit.text()
        try:
            if name_text != self._initial[0]:
                name = clean_task_name(name_text)
        except TaskNameError as exc:
            show_note(self.name_note, str(exc))
            return None
        show_note(self.name_note, None)
        try:
            if estimate_text != self._initial[1]:
                seconds = parse_estimate(estimate_text) or 0  # 0 clears it in Toggl
        except EstimateError as exc:
            show_note(self.estimate_note, str(exc))
            return None
        show_note(self.estimate_note, None)
        user_id, clear = None, False
        if self.assignee_selector.currentIndex() != self._initial_assignee:
            chosen = self.assignee_selector.currentData()
            if chosen is None:
                clear = True
            elif chosen != KEEP:
                user_id = chosen
        return TaskChanges(
            name=name, estimated_seconds=seconds, user_id=user_id, clear_assignee=clear
        )

    def _save(self) -> None:
        changes = self.changes()
        if changes is None:
            return
        if changes != TaskChanges():
            self.saved.emit(changes)
        self.accept()


def ask_delete(lines: list[TaskLine], parent: QWidget, confirmed: Callable[[], None]) -> None:
    """Ask before deleting `lines` from Toggl (or, for tasks only queued to be created, from
    the outbox); `confirmed` runs on "Delete"."""
    where = "from Toggl" if any(line.task_id is not None for line in lines) else "before it is sent"
    if len(lines) == 1:
        text = f"Delete “{isolate(lines[0].name)}” {where}? This cannot be undone."
    else:
        where = where.replace("it is", "they are")
        text = f"Delete {len(lines)} tasks {where}? This cannot be undone."
    box = QMessageBox(QMessageBox.Icon.Question, "Delete tasks?", text, parent=parent)
    box.setObjectName("deleteConfirmation")
    box.setTextFormat(Qt.TextFormat.PlainText)  # task names, literally
    delete = box.addButton("Delete", QMessageBox.ButtonRole.DestructiveRole)
    delete.setObjectName("confirmDeleteButton")
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)

    def answered() -> None:
        if box.clickedButton() is delete:
            confirmed()

    box.finished.connect(answered)
    box.finished.connect(box.deleteLater)
    box.open()
