"""The task form: name, estimate, open or done, assignee; the notes beside them, and the draft
they make."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QLineEdit

from desktop.api.models import TaskDraft, User
from desktop.domain.estimate import EstimateError, format_human, parse_estimate
from desktop.domain.task_name import TaskNameError, clean_task_name
from desktop.messages import Field
from desktop.ui.colours import error_style, hint_style
from desktop.ui.naming import named
from desktop.ui.widgets import note, plain_label, set_style, show_note

if TYPE_CHECKING:
    from desktop.session_rows import OutboxRow


class TaskForm(QObject):
    edited = Signal(object)  # the Field the user changed (NAME or ESTIMATE)
    entered = Signal()  # Enter in a text field: submit

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name_edit = named(QLineEdit(), "taskNameEdit")
        self.name_edit.setPlaceholderText("What needs doing?")
        self.name_note = note("taskNameNote")
        self.estimate_edit = named(QLineEdit(), "estimateEdit")
        self.estimate_edit.setPlaceholderText("e.g. 45 (minutes), 1h 30m, 1.5h, 1:30 (optional)")
        self.estimate_hint = plain_label("estimateHint")
        self.estimate_hint.setWordWrap(True)
        self.active_check = named(QCheckBox("Open (uncheck to create it as done)"), "activeCheck")
        self.active_check.setChecked(True)
        self.active_check.setAccessibleName("Open")  # its text says more than a name
        self.assignee_selector = named(QComboBox(), "assigneeSelector")
        self.assignee_selector.addItem("No assignee", None)
        self.assignee_selector.view().setAccessibleName("Assignees")
        self.assignee_note = note("assigneeNote")
        self._people: list[User] = []
        """The workspace's people as the selector lists them, with their emails."""
        self.name_edit.textChanged.connect(lambda: self.edited.emit(Field.NAME))
        self.estimate_edit.textChanged.connect(lambda: self.edited.emit(Field.ESTIMATE))
        self.name_edit.returnPressed.connect(self.entered)
        self.estimate_edit.returnPressed.connect(self.entered)

    def add_rows(self, form: QFormLayout) -> None:
        form.addRow("Task &name:", self.name_edit)
        form.addRow("", self.name_note)
        form.addRow("&Estimate:", self.estimate_edit)
        form.addRow("", self.estimate_hint)
        form.addRow("", self.active_check)
        form.addRow("&Assignee:", self.assignee_selector)
        form.addRow("", self.assignee_note)

    def check(
        self, toggl_says: dict[Field, str], asked_about: int | None = None
    ) -> tuple[str | None, TaskDraft | None]:
        """Paint the notes (what is wrong, or Toggl's word on a field; how the estimate was
        understood, or the question when it is the unusual one `asked_about`) and say why the
        fields cannot be sent, or the draft they make."""
        name_error = estimate_error = None
        name = ""
        estimate: int | None = None
        try:
            name = clean_task_name(self.name_edit.text())
        except TaskNameError as exc:
            name_error = str(exc)
        try:
            estimate = parse_estimate(self.estimate_edit.text())
        except EstimateError as exc:
            estimate_error = str(exc)
        typed_name = bool(self.name_edit.text())
        show_note(
            self.name_note, (name_error if typed_name else None) or toggl_says.get(Field.NAME)
        )
        estimate_error = estimate_error or toggl_says.get(Field.ESTIMATE)
        if estimate_error:
            set_style(self.estimate_hint, error_style())
            self.estimate_hint.setText(estimate_error)
        else:
            set_style(self.estimate_hint, hint_style())
            self.estimate_hint.setText(_understood(estimate, asked_about))
        if name_error:
            return ("Fix the task name." if typed_name else "Name the task."), None
        if estimate_error:
            return "Fix the estimate.", None
        user_id: int | None = self.assignee_selector.currentData()
        return None, TaskDraft(name, self.active_check.isChecked(), estimate, user_id)

    def fill_assignees(self, users: list[User], wanted: int | None = None) -> bool:
        """The workspace's people, keeping the choice (or selecting `wanted`); True when
        `wanted` was selected."""
        selector = self.assignee_selector
        keep = wanted or selector.currentData()
        selector.blockSignals(True)
        selector.clear()
        selector.addItem("No assignee", None)
        self._people = sorted(users, key=lambda u: u.label.casefold())
        for user in self._people:
            selector.addItem(user.label, user.id)
        index = selector.findData(keep) if keep is not None else -1
        selector.setCurrentIndex(max(0, index))
        selector.blockSignals(False)
        return index > 0 and wanted is not None

    def users(self) -> list[User]:
        """The people the selector lists (the same list until the next `fill_assignees`)."""
        return self._people

    def load(self, row: OutboxRow) -> None:
        """A refused row's fields, to fix and retry."""
        self.name_edit.setText(row.draft.name)
        estimate = row.draft.estimated_seconds
        self.estimate_edit.setText("" if estimate is None else format_human(estimate))
        self.active_check.setChecked(row.draft.active)
        self.name_edit.setFocus()

    def clear(self) -> None:
        """The next task's defaults: no name or estimate, open. The assignee stays, as shown:
        several tasks in a row are often for one person."""
        self.name_edit.clear()
        self.estimate_edit.clear()
        self.active_check.setChecked(True)
        self.name_edit.setFocus()


def _understood(estimate: int | None, asked_about: int | None) -> str:
    if estimate is None:
        return "No estimate."
    if estimate == asked_about:
        return f"That is {format_human(estimate)}: press Enter again to create it anyway."
    return f"Understood as {format_human(estimate)}."
