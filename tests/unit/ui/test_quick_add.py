"""The quick-add line as a part, with the real picker, form and task flow and no worker: what
it previews, what Enter sends, and what each outcome does to the line, the form and the panel."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from PySide6.QtWidgets import QFormLayout, QWidget
from pytestqt.qtbot import QtBot

from desktop.api.models import Project, Task, TaskDraft, User, Workspace
from desktop.domain.project_choices import ProjectChoices
from desktop.messages import Failure
from desktop.session import WorkspaceLists
from desktop.store.outbox_row import OutboxRow, OutboxState
from desktop.ui.payloads import Submission, TaskCreated, TaskDeferred, TaskRefused
from desktop.ui.project_picker import ProjectPicker
from desktop.ui.quick_add import HINT, QuickAdd
from desktop.ui.result_panel import ResultPanel
from desktop.ui.task_flow import TaskFlow
from desktop.ui.task_form import TaskForm

SAM = User(id=7, fullname="Sam Designer", email="sam@example.com")


@dataclass
class Parts:
    form: TaskForm
    panel: ResultPanel
    flow: TaskFlow
    quick: QuickAdd
    sent: list[Submission]


@pytest.fixture
def parts(qtbot: QtBot) -> Iterator[Parts]:
    host = QWidget()  # held here: the parts live as long as it does
    qtbot.addWidget(host)
    picker, form, panel = ProjectPicker(host), TaskForm(host), ResultPanel()
    qtbot.addWidget(panel)
    flow = TaskFlow(picker, form, panel)
    quick = QuickAdd(picker, form, flow)
    layout = QFormLayout(host)
    quick.add_rows(layout)
    picker.add_rows(layout)
    form.add_rows(layout)
    sent: list[Submission] = []
    flow.submitted.connect(sent.append)
    picker.fill_workspaces([Workspace(1, "Acme", premium=True)])
    projects = ProjectChoices.of([Project(10, "Web"), Project(11, "Mobile", client_name="Acme")])
    flow.lists_arrived(WorkspaceLists(1, projects, [SAM], 10))
    yield Parts(form, panel, flow, quick, sent)
    host.close()


def row(row_id: int, name: str) -> OutboxRow:
    return OutboxRow(
        row_id, 1, 11, TaskDraft(name), "Mobile · Acme", OutboxState.QUEUED, None, 0, 0, None, None
    )


def test_the_preview_follows_the_typing(parts: Parts) -> None:
    assert parts.quick.preview.text() == HINT
    parts.quick.edit.setText("Fix bug 45m")
    assert parts.quick.preview.text() == "Fix bug · 45 min · Web"  # the form's project
    parts.quick.edit.setText("Fix bug 45m @mob +sam !done")
    assert parts.quick.preview.text() == "Fix bug · 45 min · Mobile · Acme · Sam Designer · done"
    parts.quick.edit.setText("Fix bug @nothing")
    assert parts.quick.preview.text() == "No project matches “nothing”."


def test_enter_sends_once_and_the_line_clears_when_saved(parts: Parts) -> None:
    parts.form.name_edit.setText("Typed in the form")
    parts.quick.edit.setText("Fix bug 45m @mob")
    parts.quick.send()
    assert parts.sent == [Submission(1, 11, TaskDraft("Fix bug", True, 2700), "Mobile · Acme")]
    assert parts.quick.edit.isReadOnly()
    parts.quick.send()  # saving: a second Enter sends nothing
    parts.flow.submit()  # nor does the form, one task at a time
    assert len(parts.sent) == 1
    parts.flow.queued(row(4, "Fix bug"))
    assert parts.quick.edit.text() == ""
    assert not parts.quick.edit.isReadOnly()
    parts.flow.created(TaskCreated(row(4, "Fix bug"), Task(id=40, name="Fix bug")))
    assert parts.panel.text().startswith("Created “Fix bug” in Mobile · Acme")
    assert parts.form.name_edit.text() == "Typed in the form"  # the form is left as it was
    parts.flow.submit()
    assert parts.sent[-1].draft.name == "Typed in the form"


def test_a_line_not_understood_sends_nothing_and_stays(parts: Parts) -> None:
    parts.quick.edit.setText("Call +nobody")
    parts.quick.send()
    assert parts.sent == []
    assert parts.quick.edit.text() == "Call +nobody"
    assert parts.quick.preview.text() == "No person matches “nobody”."


def test_a_line_not_saved_stays_and_says_why(parts: Parts) -> None:
    parts.quick.edit.setText("Fix bug")
    parts.quick.send()
    parts.flow.submit_failed("The disk is full.")
    assert parts.quick.edit.text() == "Fix bug"
    assert not parts.quick.edit.isReadOnly()
    assert parts.quick.preview.text() == "The disk is full."
    assert parts.panel.text() == "The disk is full. What you typed is still in the quick-add line."


def test_refused_or_deferred_the_task_waits_in_the_outbox_and_the_form_is_untouched(
    parts: Parts,
) -> None:
    parts.form.name_edit.setText("Mine")
    parts.quick.edit.setText("Taken @mob")
    parts.quick.send()
    parts.flow.queued(row(5, "Taken"))
    parts.flow.refused(TaskRefused(row(5, "Taken"), Failure("Name has already been taken.")))
    assert parts.panel.text() == (
        "Toggl refused “Taken”: Name has already been taken. It waits in the outbox below."
    )
    assert not parts.flow.state.editing  # not loaded into the form: the form keeps "Mine"
    assert parts.form.name_edit.text() == "Mine"
    parts.quick.edit.setText("Later @mob")
    parts.quick.send()
    parts.flow.queued(row(6, "Later"))
    parts.flow.deferred(TaskDeferred(row(6, "Later"), Failure("Toggl cannot be reached.")))
    assert parts.panel.text().startswith("Saved “Later” in the outbox.")
    assert parts.form.name_edit.text() == "Mine"
    assert not parts.flow.state.pending
