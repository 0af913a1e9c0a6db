"""The quick-add line (`quickAddEdit`): a whole task typed as `Write report 1h30 @web +sam
!done`, with what was understood shown under it as it is typed (`quickAddPreview`), or what is
wrong (an `@` or `+` that finds no one or several names the candidates). Enter sends it through
the task flow, as the form's task goes (saved in the outbox, sent once); a line not understood
sends nothing and stays. Without `@`, the task goes to the project chosen in the form.

The line is read on the UI thread against the lists the picker and the form hold
(desktop.ui.line_reader): no request, no round trip to the worker. The reader and the parser
(seven dataclasses: ~5 ms to create) load after the first paint (`load_reader`), not before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLineEdit

from desktop.ui.colours import error_style, hint_style
from desktop.ui.naming import named
from desktop.ui.widgets import plain_label, set_style

if TYPE_CHECKING:
    from PySide6.QtWidgets import QFormLayout

    from desktop.ui.line_reader import LineReader, Lists
    from desktop.ui.project_picker import ProjectPicker
    from desktop.ui.task_flow import TaskFlow
    from desktop.ui.task_form import TaskForm

PLACEHOLDER = "Write report 1h30 @project +person !done"
HINT = "A whole task in one line: its name, 1h30, @project, +person, !done; Enter adds it."


def window_lists(picker: ProjectPicker, form: TaskForm) -> Lists:
    """What a line is read against now: the picker's workspace and projects, the form's
    project and people."""
    from desktop.ui.line_reader import Lists  # see the module's docstring

    project_id = picker.project_id()
    return Lists(
        picker.workspace_id(),
        picker.workspace_problem(),
        picker.model.choices,
        form.users(),
        project_id,
        picker.label() if project_id is not None else "",
    )


class QuickAdd(QObject):
    """One line and its preview; the main window has one, the quick-add window its own."""

    saved = Signal()  # this line's task is in the outbox now

    def __init__(
        self, picker: ProjectPicker, form: TaskForm, flow: TaskFlow, parent: QObject | None = None
    ) -> None:
        super().__init__(parent or flow)
        self._picker, self._form, self._flow = picker, form, flow
        self.edit = named(QLineEdit(), "quickAddEdit")
        self.edit.setAccessibleName("Quick add")
        self.edit.setPlaceholderText(PLACEHOLDER)
        self.edit.setToolTip(
            "One task in a line: its name, an estimate (1h30, 90m, 1:30), @project, +person, "
            "!done to create it done; Enter adds it"
        )
        self.preview = plain_label("quickAddPreview")
        self.preview.setAccessibleName("Quick add preview")
        self.preview.setWordWrap(True)
        self._reader: LineReader | None = None
        self._sending = False
        """This line's task went to the flow, which has not said yet whether it was saved."""
        self.edit.textChanged.connect(self.show_preview)
        self.edit.returnPressed.connect(self.send)
        picker.changed.connect(self.show_preview)  # another project: the preview says so
        flow.lineQueued.connect(self._queued)
        flow.lineFailed.connect(self._failed)
        self.show_preview()

    def add_rows(self, rows: QFormLayout) -> None:
        rows.addRow("&Quick add:", self.edit)
        rows.addRow("", self.preview)

    @staticmethod
    def load_reader() -> None:
        """After the first paint (the first keystroke would wait for it otherwise)."""
        import desktop.ui.line_reader  # noqa: F401

    def reader(self) -> LineReader:
        """A reader for the lists as they are now (the last one, while they have not changed)."""
        from desktop.ui.line_reader import LineReader

        lists = window_lists(self._picker, self._form)
        if self._reader is None or not self._reader.same_lists(lists):
            self._reader = LineReader(lists)
        return self._reader

    def show_preview(self) -> None:
        text = self.edit.text()
        if not text.strip():
            self._say(HINT, error=False)
            return
        reading = self.reader().read(text)
        self._say(reading.text, error=not reading.ok)

    def send(self) -> None:
        """Enter: a line understood goes; one that is not sends nothing, and stays."""
        if self.edit.isReadOnly() or not self.edit.text().strip():
            return
        reading = self.reader().read(self.edit.text())
        if reading.submission is None:
            self._say(reading.text, error=True)
            return
        why_not = self._flow.send_line(reading.submission)
        if why_not is not None:
            self._say(why_not, error=True)
            return
        self._sending = True
        self.edit.setReadOnly(True)  # until it is saved: what is typed meanwhile is not lost
        self._say("Saving…", error=False)

    def _queued(self) -> None:
        if not self._sending:
            return  # the other line's task
        self._sending = False
        self.edit.setReadOnly(False)
        self.edit.clear()  # the preview goes back to the hint
        self.edit.setFocus()
        self.saved.emit()

    def _failed(self, message: str) -> None:
        if not self._sending:
            return
        self._sending = False
        self.edit.setReadOnly(False)
        self._say(message, error=True)

    def _say(self, text: str, *, error: bool) -> None:
        set_style(self.preview, error_style() if error else hint_style())
        self.preview.setText(text)
