"""The task flow: from the form to the worker and back. It checks the form, sends the task
(Enter in a text field, the default button, or Ctrl+Enter anywhere in the form), and turns
each outcome for the form's task into the form's next state and the result panel's sentence;
a row Toggl refused can be loaded back to edit and retry. A task from the quick-add line goes
the same way (`send_line`), one at a time with the form's, and leaves the form as it is."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton

from desktop.domain.display import isolate
from desktop.messages import Failure, Field, field_named_in
from desktop.session_rows import OutboxState
from desktop.ui.colours import hint_style
from desktop.ui.duplicate_hold import DuplicateHold
from desktop.ui.naming import named
from desktop.ui.outbox_text import editing_waiting, sent_while_edited
from desktop.ui.payloads import Submission
from desktop.ui.result_list import Created
from desktop.ui.submission import SUBMITTED, SubmissionState
from desktop.ui.widgets import plain_label, show_note

if TYPE_CHECKING:

    from PySide6.QtWidgets import QWidget

    from desktop.session import WorkspaceLists
    from desktop.session_rows import OutboxRow
    from desktop.ui.payloads import TaskCreated, TaskDeferred, TaskRefused
    from desktop.ui.project_picker import ProjectPicker
    from desktop.ui.result_panel import ResultPanel
    from desktop.ui.task_form import TaskForm

SUBMIT_KEYS = ("Ctrl+Return", "Ctrl+Enter")  # the main keyboard's Enter, and the keypad's
WIDGET_WITH_CHILDREN_SHORTCUT = 3
"""Qt.ShortcutContext.WidgetWithChildrenShortcut as the int Qt defines: reading PySide6's `Qt`
namespace costs ~40 ms (desktop.ui.qt_values), for one value."""


class TaskFlow(QObject):
    submitted = Signal(object)  # Submission: for the worker
    signInNeeded = Signal()  # Toggl refused the token
    notice = Signal(str)  # for the status bar: about a task no longer in the form
    lineQueued = Signal()  # the quick-add line's task is saved in the outbox: the line clears
    lineFailed = Signal(str)  # it could not be saved: the line keeps it, and says why

    def __init__(self, picker: ProjectPicker, form: TaskForm, panel: ResultPanel) -> None:
        super().__init__(panel)
        self._picker, self._form, self._panel = picker, form, panel
        self.state = SubmissionState()
        self.storage_broken = False
        self.line_pending = False
        """The pending task came from the quick-add line, not the form."""
        self.submit_button = named(QPushButton("Create task"), "submitButton")
        self.submit_button.setDefault(True)  # drawn as the default; Enter on it clicks it
        self.new_task_button = named(QPushButton("New task"), "newTaskButton")
        self.new_task_button.setAccessibleName("New task")
        self.new_task_button.setToolTip(
            "Leave the task being edited in the outbox as it is, and start a new one"
        )
        self.new_task_button.hide()
        self.submit_hint = plain_label("submitHint")
        self.submit_hint.setStyleSheet(hint_style())
        self.duplicates = DuplicateHold()  # a submit held back as a likely duplicate
        self.duplicate_note = self.duplicates.note
        self.buttons = QHBoxLayout()
        self.buttons.addWidget(self.duplicate_note, 1)
        self.buttons.addWidget(self.submit_hint, 1)
        self.buttons.addWidget(self.new_task_button)
        self.buttons.addWidget(self.submit_button)
        picker.changed.connect(self.update)
        form.edited.connect(self._on_field_edited)
        form.entered.connect(self.submit)
        self.submit_button.clicked.connect(self.submit)
        self.new_task_button.clicked.connect(self._leave_editing)

    def watch_keys(self) -> None:
        """Ctrl+Enter submits while any field of the form (or a part of one, as the project
        selector's filter) has the focus, also where plain Enter does something else or
        nothing (the check box, the selectors). Called after the first paint: the shortcuts
        cost ~3 ms the paint need not wait for."""
        from PySide6.QtGui import QKeySequence, QShortcut  # not needed for the paint either

        picker, form = self._picker, self._form
        widgets: list[QWidget] = [
            picker.workspace_selector, picker.selector, form.name_edit, form.estimate_edit,
            form.active_check, form.assignee_selector, self.submit_button,
        ]  # fmt: skip
        keys = [QKeySequence(key) for key in SUBMIT_KEYS]
        for widget in widgets:
            shortcut = QShortcut(widget)
            shortcut.setKeys(keys)
            shortcut.setProperty("context", WIDGET_WITH_CHILDREN_SHORTCUT)
            shortcut.activated.connect(self.submit)

    def lists_arrived(self, lists: WorkspaceLists) -> None:
        """The current workspace's lists: a refused row's project and assignee are selected."""
        if self._picker.set_lists(lists, self.state.wanted_project):
            self.state.wanted_project = None
        if self._form.fill_assignees(lists.users, self.state.wanted_assignee):
            self.state.wanted_assignee = None
        self.update()

    def queued(self, row: OutboxRow) -> None:
        if not self.line_pending:
            self.state.queued(row.id)
            return
        self.state.pending_row = row.id  # a row being edited in the form stays so
        self.lineQueued.emit()

    def send_line(self, submission: Submission) -> str | None:
        """Send the quick-add line's task as the form's would go, its outcome said in the
        result panel; the form is left as it is. Returns why it cannot go now, or None."""
        if self.storage_broken:
            return "The local database cannot be used, so no task can be saved."
        if self.state.pending:
            return "Wait a moment: the task just submitted is being saved. Press Enter again."
        checked, held = self.duplicates.for_line(submission)
        if checked is None:
            return held
        self.submitted.emit(checked)
        self.line_pending = True
        self.state.pending_row = SUBMITTED
        self.update()
        self._panel.sending(submission.draft.name)
        return None

    def _line_settles(self, row_id: int) -> bool:
        """An outcome for the line's pending task (which left the line when it was saved)."""
        if not self.line_pending or not self.state.settles(row_id):
            return False
        self.line_pending = False
        self.update()
        return True

    def problem(self) -> tuple[str | None, Submission | None]:
        """Why the form cannot be sent (shown beside the button), or what to send."""
        state = self.state
        fields_problem, draft = self._form.check(state.toggl_says, state.asked_about)  # notes
        if self.storage_broken:
            return "The local database cannot be used.", None
        if self.state.pending:
            return "Sending…", None
        problem = self._picker.problem() or fields_problem
        workspace_id, project_id = self._picker.workspace_id(), self._picker.project_id()
        if problem or draft is None or workspace_id is None or project_id is None:
            return problem, None
        label, row = self._picker.label(), self.state.editing_row
        return None, Submission(workspace_id, project_id, draft, label, row)

    def update(self) -> None:
        problem, submission = self.problem()
        self.duplicates.follow(submission)
        editing, waiting = self.state.editing, self.state.editing_waiting
        self.submit_button.setEnabled(problem is None)
        text = ("Save changes" if waiting else "Retry task") if editing else "Create task"
        text = "Create anyway" if self.duplicates.holding and not editing else text
        self.submit_button.setText(text)
        self.submit_button.setAccessibleName(text)
        self.new_task_button.setVisible(editing)
        refused = "Editing a task Toggl refused: submit to retry it." if editing else ""
        if waiting:
            refused = "Editing a task waiting in the outbox: save to send it as changed."
        self.submit_hint.setText(problem or refused)

    def _on_field_edited(self, edited: Field) -> None:
        if edited is Field.NAME:
            self.duplicates.release()
        self.state.edited(edited)
        self.update()

    def submit(self) -> None:
        problem, submission = self.problem()
        if problem is not None or submission is None:
            return
        if not self.state.confirms(submission.draft.estimated_seconds):
            self.update()  # the estimate's hint asks: the next submit sends it
            return
        submission = self.duplicates.checked(submission)
        if submission is None:
            self.update()  # the note says so: the next submit sends it
            return
        # The worker starts saving and sending at once, while this thread updates the form.
        self.submitted.emit(submission)
        self._clear_notes()
        self.state.submitted()
        self.update()
        self._panel.sending(submission.draft.name)

    def held_back(self, submission: Submission) -> None:
        """The worker found the submitted task's name taken by an open task: nothing sent."""
        if self.state.pending_row != SUBMITTED:
            return
        self.state.not_sent()
        if self.line_pending:  # the quick-add line's: the line says so, and keeps it
            self.line_pending = False
            self.lineFailed.emit(self.duplicates.hold_line(submission, submission.draft.name))
            self.update()
            return
        self.duplicates.hold(submission, submission.draft.name)
        self._panel.setText(self.duplicate_note.text())
        self.update()

    def created(self, created: TaskCreated) -> None:
        task, label = created.task, created.row.project_label
        shown = Created(task, label or None, self._assignee_name(task.user_id))
        if self._line_settles(created.row.id):
            self._panel.created(shown)
        elif self.state.settles(created.row.id):
            self._panel.created(shown)
            self._clear_form()
        else:
            self._panel.sent_in_background(shown)
            if created.row.id == self.state.editing_row:  # a waiting row, sent before saved
                self.state.leave_editing()
                self.update()
                self.notice.emit(sent_while_edited(created.row.draft.name))

    def refused(self, refused: TaskRefused) -> None:
        if self._line_settles(refused.row.id):  # it waits in the outbox, to edit and retry
            name = isolate(refused.row.draft.name)
            said = f"Toggl refused “{name}”: {refused.failure.text} It waits in the outbox below."
            self._panel.about_row(said, refused.row.id)
            if refused.failure.needs_sign_in:
                self.signInNeeded.emit()
            return
        if refused.row.id != self.state.pending_row:
            self._panel.refused_in_background(refused.row)
            return
        # Toggl refused what was just typed: keep it in the form, to fix and retry.
        self.state.refused(refused.row.id)
        self._panel.refused(refused.row, refused.failure)
        self.apply_failure(refused.failure)
        self.update()

    def deferred(self, deferred: TaskDeferred) -> None:
        line = self._line_settles(deferred.row.id)
        if not line and not self.state.settles(deferred.row.id):
            return
        if not line:
            self._clear_form()
        self._panel.saved_for_later(deferred.row, deferred.failure)
        if deferred.failure.needs_sign_in:
            self.signInNeeded.emit()

    def sending_interrupted(self, message: str) -> None:
        """An unexpected error while sending: the task waits in the outbox, not in the form."""
        if not self.state.pending:
            self.notice.emit(message)
            return
        row_id = self.state.pending_row  # SUBMITTED (no row yet) is never discarded
        self.state.not_sent()
        if self.line_pending:  # saved from the line (which cleared then): it waits in the outbox
            self.line_pending = False
        else:
            self._clear_form()
        self._panel.about_row(message, row_id if row_id is not None else SUBMITTED)

    def submit_failed(self, message: str) -> None:
        self.state.not_sent()
        where = "the quick-add line" if self.line_pending else "the form"
        if self.line_pending:
            self.line_pending = False
            self.lineFailed.emit(message)
        self._panel.setText(f"{message} What you typed is still in {where}.")
        self.update()

    def edit_refused_row(self, row: OutboxRow) -> None:
        """Load a task Toggl refused, or one waiting to be sent, into the form; submitting
        retries or changes that same row."""
        if self.state.pending:  # its outcome would clear the form under the loaded row
            self.notice.emit("Wait a moment: the task just submitted is being saved.")
            return
        waiting = row.state is OutboxState.QUEUED
        self.state.leave_editing()  # what Toggl said about another row goes
        self.state.edit(row.id, row.project_id, row.draft.user_id, waiting=waiting)
        if not self._picker.choose_workspace(row.workspace_id):  # else: lists load, then select
            if self._picker.choose_project(row.project_id):
                self.state.wanted_project = None
            if self._form.fill_assignees(self._form.users(), self.state.wanted_assignee):
                self.state.wanted_assignee = None
        self._form.load(row)
        self._clear_notes()
        name, field = isolate(row.draft.name), field_named_in(row.reason or "")
        if waiting:  # why its last try failed, if it did, is in its outbox row's tooltip
            said = editing_waiting(row.draft.name)
        elif row.reason and field is not None:  # at its field, as when Toggl refused it
            self.apply_failure(Failure(row.reason, field))
            said = f"Editing “{name}”, which Toggl refused: see why above."
        else:
            said = f"Editing “{name}”." + (f" {row.reason}" if row.reason else "")
        self._panel.about_row(said, row.id)
        self.update()

    def discarded(self, row_id: int) -> None:
        """The user discarded an outbox row: the form and the panel let go of it."""
        if self.state.editing_row == row_id:
            self._leave_editing()
        self._panel.forget(row_id)

    def _assignee_name(self, user_id: int | None) -> str | None:
        """The name the assignee selector shows for `user_id`, if it lists that person."""
        selector = self._form.assignee_selector
        found = -1 if user_id is None else selector.findData(user_id)
        return selector.itemText(found) if found > 0 else None

    def _leave_editing(self) -> None:
        """The refused task stays in the outbox; the form is for a new task again."""
        if self.state.editing_row is not None:
            self._panel.forget(self.state.editing_row)
        self.state.leave_editing()
        self._clear_notes()
        self._clear_form()

    def _clear_notes(self) -> None:
        for label in (self._picker.note, self._form.name_note, self._form.assignee_note):
            show_note(label, None)

    def _clear_form(self) -> None:
        self._form.clear()
        self.update()

    def apply_failure(self, failure: Failure) -> None:
        notes = {
            Field.WORKSPACE: self._picker.workspace_note,
            Field.PROJECT: self._picker.note,
            Field.ASSIGNEE: self._form.assignee_note,
        }
        if failure.field in (Field.NAME, Field.ESTIMATE):
            self.state.toggl_said(failure.field, failure.text)  # until that field is edited
            self.update()
        elif failure.field is not None:
            show_note(notes[failure.field], failure.text)
        if failure.needs_sign_in:
            self.signInNeeded.emit()
