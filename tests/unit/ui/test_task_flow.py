"""The task flow with real parts and no worker: what it sends, and what each outcome does to
the form and the result panel."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from PySide6.QtWidgets import QFormLayout, QWidget
from pytestqt.qtbot import QtBot

from desktop.api.models import Project, Task, TaskDraft, User, Workspace
from desktop.domain.project_choices import ProjectChoices
from desktop.messages import Failure, Field
from desktop.session import WorkspaceLists
from desktop.store.outbox_row import OutboxRow, OutboxState
from desktop.ui.payloads import NameCheck, Submission, TaskCreated, TaskDeferred, TaskRefused
from desktop.ui.project_picker import ProjectPicker
from desktop.ui.result_panel import READY_TEXT, ResultPanel
from desktop.ui.task_flow import TaskFlow
from desktop.ui.task_form import TaskForm


@dataclass
class Parts:
    picker: ProjectPicker
    form: TaskForm
    panel: ResultPanel
    flow: TaskFlow
    sent: list[Submission]


@pytest.fixture
def parts(qtbot: QtBot) -> Iterator[Parts]:
    host = QWidget()  # held here: the parts live as long as it does
    qtbot.addWidget(host)
    picker, form, panel = ProjectPicker(host), TaskForm(host), ResultPanel()
    qtbot.addWidget(panel)
    layout = QFormLayout(host)
    picker.add_rows(layout)
    form.add_rows(layout)
    flow = TaskFlow(picker, form, panel)
    sent: list[Submission] = []
    flow.submitted.connect(sent.append)
    picker.fill_workspaces([Workspace(1, "Acme", premium=True)])
    picker.set_lists(WorkspaceLists(1, ProjectChoices.of([Project(10, "Web")]), [], 10), None)
    yield Parts(picker, form, panel, flow, sent)
    host.close()


def row(row_id: int, name: str) -> OutboxRow:
    return OutboxRow(
        row_id, 1, 10, TaskDraft(name), "Web", OutboxState.QUEUED, None, 0, 0, None, None
    )


def test_a_valid_form_sends_one_submission_and_waits_for_its_row(parts: Parts) -> None:
    parts.flow.update()
    assert parts.flow.submit_hint.text() == "Name the task."
    parts.form.name_edit.setText("Ship it")
    assert parts.flow.submit_button.isEnabled()
    parts.flow.submit()
    assert parts.sent == [Submission(1, 10, TaskDraft("Ship it"), "Web", None)]  # unchecked
    assert parts.flow.submit_hint.text() == "Sending…"
    parts.flow.submit()  # pending: a second click sends nothing
    assert len(parts.sent) == 1
    parts.flow.queued(row(7, "Ship it"))
    parts.flow.created(TaskCreated(row(7, "Ship it"), Task(id=70, name="Ship it")))
    assert parts.form.name_edit.text() == ""
    assert parts.panel.text().startswith("Created “Ship it” in Web — open, unassigned · today ")


def test_a_likely_duplicate_is_held_back_once_with_a_note(parts: Parts) -> None:
    asked: list[Submission] = []

    def duplicate_of(submission: Submission) -> NameCheck:
        asked.append(submission)
        return NameCheck(True, "Ship it" if submission.draft.name.casefold() == "ship it" else None)

    parts.flow.duplicates.find = duplicate_of
    note = parts.flow.duplicate_note
    parts.form.name_edit.setText("SHIP it")
    parts.flow.submit()
    assert parts.sent == []
    assert not note.isHidden()
    assert "“Ship it” is already an open task" in note.text()
    assert parts.flow.submit_button.text() == "Create anyway"
    parts.form.name_edit.setText("SHIP it ")  # editing the name: asked again
    assert note.isHidden()
    assert parts.flow.submit_button.text() == "Create task"
    parts.flow.submit()
    assert parts.sent == []
    parts.flow.submit()  # "Create anyway"
    assert [(s.draft.name, s.checked) for s in parts.sent] == [("SHIP it", True)]
    assert note.isHidden()
    assert len(asked) == 2


def test_the_worker_holds_back_a_duplicate_the_window_could_not_see(parts: Parts) -> None:
    """The list had not the project's lines yet: the submission goes unchecked, the worker
    asks the session, and holds it back; the next submit sends it."""
    note = parts.flow.duplicate_note
    parts.form.name_edit.setText("Ship it")
    parts.flow.submit()
    (sent,) = parts.sent
    assert not sent.checked
    parts.flow.held_back(sent)
    assert not note.isHidden()
    assert parts.flow.submit_button.text() == "Create anyway"
    assert parts.form.name_edit.text() == "Ship it"
    parts.flow.submit()
    assert [s.checked for s in parts.sent] == [False, True]


def test_a_refusal_keeps_the_task_in_the_form_to_retry_that_row(parts: Parts) -> None:
    parts.form.name_edit.setText("Taken")
    parts.flow.submit()
    parts.flow.queued(row(3, "Taken"))
    parts.flow.refused(TaskRefused(row(3, "Taken"), Failure("Name taken.", Field.NAME)))
    assert parts.form.name_edit.text() == "Taken"
    assert parts.form.name_note.text() == "Name taken."
    assert parts.flow.submit_button.text() == "Retry task"
    parts.form.name_edit.setText("Free")
    parts.flow.submit()
    assert parts.sent[-1].retry_row == 3


def test_a_deferred_task_leaves_the_form_and_says_it_waits(parts: Parts) -> None:
    parts.form.name_edit.setText("Later")
    parts.flow.submit()
    parts.flow.queued(row(4, "Later"))
    parts.flow.deferred(TaskDeferred(row(4, "Later"), Failure("You are offline.")))
    assert parts.form.name_edit.text() == ""
    assert parts.panel.text() == "Saved “Later” in the outbox. You are offline."


def test_a_task_not_saved_stays_in_the_form(parts: Parts) -> None:
    parts.form.name_edit.setText("Kept")
    parts.flow.submit()
    parts.flow.submit_failed("The task could not be saved on this computer: the disk is full.")
    assert parts.form.name_edit.text() == "Kept"
    assert parts.flow.submit_button.isEnabled()
    assert parts.panel.text().endswith("What you typed is still in the form.")


def test_an_unusual_estimate_is_sent_on_the_second_submit(parts: Parts) -> None:
    parts.form.name_edit.setText("Huge")
    parts.form.estimate_edit.setText("250h")
    parts.flow.submit()
    assert parts.sent == []
    hint = parts.form.estimate_hint.text()
    assert hint == "That is 250 h: press Enter again to create it anyway."
    assert parts.flow.submit_button.isEnabled()
    parts.flow.submit()
    assert [s.draft.estimated_seconds for s in parts.sent] == [250 * 3600]


def test_changing_the_estimate_asks_again(parts: Parts) -> None:
    parts.form.name_edit.setText("Tiny")
    parts.form.estimate_edit.setText("30s")
    parts.flow.submit()
    parts.form.estimate_edit.setText("40s")
    assert parts.form.estimate_hint.text() == "Understood as 40 s."
    parts.flow.submit()
    assert parts.sent == []
    assert "That is 40 s" in parts.form.estimate_hint.text()
    parts.form.estimate_edit.setText("45")  # minutes: usual, sent at once
    parts.flow.submit()
    assert [s.draft.estimated_seconds for s in parts.sent] == [2700]


def test_after_a_task_is_created_the_next_one_is_open_and_unnamed(parts: Parts) -> None:
    parts.form.name_edit.setText("Done already")
    parts.form.estimate_edit.setText("90")
    parts.form.active_check.setChecked(False)
    parts.flow.submit()
    assert parts.sent[-1].draft == TaskDraft("Done already", False, 5400)
    parts.flow.queued(row(8, "Done already"))
    parts.flow.created(TaskCreated(row(8, "Done already"), Task(id=80, name="Done already")))
    form = parts.form
    assert (form.name_edit.text(), form.estimate_edit.text()) == ("", "")
    assert form.active_check.isChecked()
    form.name_edit.setText("Next")
    parts.flow.submit()
    assert parts.sent[-1].draft == TaskDraft("Next", True, None)


def test_a_refusal_at_a_field_is_said_there_not_again_in_the_panel(parts: Parts) -> None:
    parts.form.name_edit.setText("Taken")
    parts.flow.submit()
    parts.flow.queued(row(3, "Taken"))
    reason = "Toggl rejected this: Name has already been taken."
    parts.flow.refused(TaskRefused(row(3, "Taken"), Failure(reason, Field.NAME)))
    assert parts.form.name_note.text() == reason
    assert "already been taken" not in parts.panel.text()
    assert parts.panel.text() == "Toggl refused “Taken”: see why above."


def test_a_refusal_in_the_background_points_to_the_outbox(parts: Parts) -> None:
    parts.panel.waiting(0)
    reason = "Toggl rejected this: Invalid project_id."
    parts.flow.refused(TaskRefused(row(5, "Queued"), Failure(reason, Field.PROJECT)))
    assert parts.panel.text() == "Toggl refused “Queued”; see the outbox below."
    assert parts.picker.note.text() == ""  # the note is for the form's task


def test_discarding_the_refused_task_in_the_form_clears_it_and_the_panel(parts: Parts) -> None:
    parts.form.name_edit.setText("Taken")
    parts.flow.submit()
    parts.flow.queued(row(3, "Taken"))
    parts.flow.refused(TaskRefused(row(3, "Taken"), Failure("Name taken.", Field.NAME)))
    parts.flow.discarded(4)  # another row: nothing changes
    assert parts.flow.submit_button.text() == "Retry task"
    parts.flow.discarded(3)
    assert parts.panel.text() == READY_TEXT
    assert parts.form.name_edit.text() == ""
    assert parts.form.name_note.text() == ""
    assert parts.flow.submit_button.text() == "Create task"
    parts.form.name_edit.setText("New")
    parts.flow.submit()
    assert parts.sent[-1].retry_row is None  # not a retry of the discarded row


def test_discarding_a_deferred_task_takes_back_its_saved_sentence(parts: Parts) -> None:
    parts.form.name_edit.setText("Later")
    parts.flow.submit()
    parts.flow.queued(row(4, "Later"))
    parts.flow.deferred(TaskDeferred(row(4, "Later"), Failure("You are offline.")))
    parts.flow.discarded(4)
    assert parts.panel.text() == READY_TEXT


def test_a_refused_row_loaded_to_edit_shows_its_reason_at_its_field(parts: Parts) -> None:
    reason = "Toggl rejected this: Name has already been taken."
    refused = row(6, "Taken").replace(state=OutboxState.FAILED, reason=reason)
    parts.flow.edit_refused_row(refused)
    assert parts.form.name_edit.text() == "Taken"
    assert parts.form.name_note.text() == reason
    assert parts.panel.text() == "Editing “Taken”, which Toggl refused: see why above."
    parts.flow.discarded(6)
    assert parts.panel.text() == READY_TEXT
    assert parts.form.name_note.text() == ""


def test_a_created_task_is_described_with_the_windows_names(parts: Parts) -> None:
    parts.form.fill_assignees([User(7, "Sam Designer")])
    labelled = row(9, "Queued").replace(project_label="Web · Acme")
    parts.panel.waiting(0)
    parts.flow.created(TaskCreated(labelled, Task(id=90, name="Queued", user_id=7)))
    assert parts.panel.text().startswith("Created “Queued” in Web · Acme — open, Sam Designer")
    assert parts.panel.history.count() == 1


def test_leaving_a_refused_task_for_later_takes_back_what_was_said_about_it(
    parts: Parts,
) -> None:
    parts.form.name_edit.setText("Taken")
    parts.flow.submit()
    parts.flow.queued(row(3, "Taken"))
    parts.flow.refused(TaskRefused(row(3, "Taken"), Failure("Name taken.", Field.NAME)))
    parts.flow.new_task_button.click()
    assert parts.panel.text() == READY_TEXT  # "see why above" would point at an empty form


def test_discarding_a_task_whose_sending_was_interrupted_takes_back_that_message(
    parts: Parts,
) -> None:
    parts.form.name_edit.setText("Stuck")
    parts.flow.submit()
    parts.flow.queued(row(12, "Stuck"))
    parts.flow.sending_interrupted("Something unexpected stopped the sending.")
    assert parts.panel.text() == "Something unexpected stopped the sending."
    parts.flow.discarded(12)
    assert parts.panel.text() == READY_TEXT


def test_a_quick_add_task_the_worker_holds_back_stays_in_its_line(parts: Parts) -> None:
    failed: list[str] = []
    parts.flow.lineFailed.connect(failed.append)
    line_task = Submission(1, 10, TaskDraft("Ship it"), "Web")
    assert parts.flow.send_line(line_task) is None
    (sent,) = parts.sent
    assert not sent.checked  # the list holds no lines here: the worker asks
    parts.flow.held_back(sent)
    assert failed == ["“Ship it” is already an open task in this project: press Enter again "
                      "to create it anyway."]  # fmt: skip
    assert parts.flow.duplicate_note.isHidden()  # the form's note is the form's
    assert not parts.flow.state.pending
    assert parts.flow.send_line(line_task) is None  # Enter again: created anyway
    assert [s.checked for s in parts.sent] == [False, True]
