"""The outbox panel on its own (real widgets, offscreen, no worker): each row's time and
estimate, which buttons a row allows and every disabled button saying why, "Send now" kept
from a quota wait, and what the panel hands on; then the task flow editing a waiting row."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from desktop.api.models import Project, Task, TaskDraft, Workspace
from desktop.domain.display import FSI, PDI
from desktop.domain.project_choices import ProjectChoices
from desktop.session import SyncView, WorkspaceLists
from desktop.store.outbox_row import OutboxRow, OutboxState
from desktop.ui.outbox_panel import OutboxPanel
from desktop.ui.outbox_text import NO_SELECTION, queued_when, row_text
from desktop.ui.payloads import Submission, TaskCreated
from desktop.ui.project_picker import ProjectPicker
from desktop.ui.result_panel import ResultPanel
from desktop.ui.task_flow import TaskFlow
from desktop.ui.task_form import TaskForm
from tests.ui_helpers import wait_for_top_level

NOW = time.mktime((2026, 12, 2, 15, 30, 0, 0, 0, -1))  # local time
AT_14_05 = time.mktime((2026, 12, 2, 14, 5, 0, 0, 0, -1))
RLO = "\u202e"


def outbox_row(
    row_id: int, state: OutboxState = OutboxState.QUEUED, name: str = "", **fields: object
) -> OutboxRow:
    row = OutboxRow(
        id=row_id,
        workspace_id=1,
        project_id=10,
        draft=TaskDraft(name=name or f"Task {row_id}", estimated_seconds=5400),
        project_label="Web",
        state=state,
        reason="Toggl rejected this." if state is OutboxState.FAILED else None,
        queued_at=AT_14_05,
        attempts=0,
        last_attempt_at=None,
        remote_task_id=None,
    )
    return row.replace(**fields)  # type: ignore[arg-type]


def view(pending: int, blocked: str | None = None) -> SyncView:
    return SyncView("Online", pending, False, False, send_now_blocked=blocked)


@pytest.fixture
def panel(qtbot: QtBot) -> OutboxPanel:
    made = OutboxPanel()
    qtbot.addWidget(made)
    made.show()
    return made


def select(panel: OutboxPanel, position: int) -> OutboxRow:
    panel.view.setCurrentIndex(panel.model.index(position, 0))
    return panel.model.rows[position]


@pytest.mark.parametrize(
    ("moment", "said"),
    [
        ((2026, 12, 2, 14, 5), "14:05"),
        ((2026, 12, 1, 23, 59), "yesterday 23:59"),
        ((2026, 11, 28, 9, 0), "28 Nov 09:00"),
        ((2025, 12, 2, 14, 5), "2 Dec 2025 14:05"),
    ],
)
def test_when_a_row_was_queued_is_said_in_local_time(
    moment: tuple[int, int, int, int, int], said: str
) -> None:
    assert queued_when(time.mktime((*moment, 0, 0, 0, -1)), NOW) == said


def test_each_row_shows_when_it_was_queued_and_its_estimate_as_plain_text() -> None:
    waiting = outbox_row(1, name="Write copy")
    assert row_text(waiting, NOW).splitlines() == [
        "Write copy — Web",
        "Queued 14:05 · 1 h 30 min · Waiting to be sent",
    ]
    no_estimate = waiting.replace(draft=TaskDraft("Write copy"))
    assert row_text(no_estimate, NOW).splitlines()[1] == "Queued 14:05 · Waiting to be sent"
    refused = outbox_row(2, OutboxState.FAILED, f"{RLO}evil")
    first, second = row_text(refused, NOW).splitlines()
    assert first == f"{FSI}{RLO}evil{PDI} — Web"  # the override ends inside the name
    assert second == "Queued 14:05 · 1 h 30 min · Failed: Toggl rejected this."


def test_a_row_being_sent_can_be_neither_edited_nor_discarded_and_every_button_says_why(
    panel: OutboxPanel,
) -> None:
    panel.set_rows(
        [
            outbox_row(1),
            outbox_row(2, OutboxState.SENDING),
            outbox_row(3, OutboxState.UNCONFIRMED),
            outbox_row(4, OutboxState.FAILED),
            outbox_row(5, OutboxState.FAILED, maybe_sent=True),
        ]
    )
    buttons = (panel.retry_button, panel.discard_button, panel.send_now_button)
    for button in buttons[:2]:
        assert not button.isEnabled()
        assert button.toolTip() == NO_SELECTION
    expected = {  # row -> (Edit enabled, its label, Discard enabled)
        1: (True, "Edit", True),
        2: (False, "Edit and retry", False),
        3: (False, "Edit and retry", True),
        4: (True, "Edit and retry", True),
        5: (True, "Edit and retry", True),
    }
    for position, (edit, label, discard) in enumerate(expected.values()):
        row = select(panel, position)
        assert panel.retry_button.isEnabled() == edit, row.state
        assert panel.retry_button.text() == label
        assert panel.retry_button.accessibleName() == label
        assert panel.discard_button.isEnabled() == discard, row.state
        for button in buttons:
            assert button.toolTip(), f"{button.objectName()} for a {row.state} row"
    select(panel, 1)
    assert panel.retry_button.toolTip() == "It is being sent right now."
    assert panel.discard_button.toolTip() == "It is being sent right now."
    select(panel, 2)
    assert "still checking" in panel.retry_button.toolTip()
    select(panel, 4)
    assert "may already be in Toggl" in panel.retry_button.toolTip()


def test_a_selected_row_that_starts_sending_disables_its_buttons(panel: OutboxPanel) -> None:
    panel.set_rows([outbox_row(1)])
    select(panel, 0)
    assert panel.retry_button.isEnabled()
    panel.put_row(outbox_row(1, OutboxState.SENDING))
    assert not panel.retry_button.isEnabled()
    assert not panel.discard_button.isEnabled()
    assert panel.discard_button.toolTip() == "It is being sent right now."


def test_edit_hands_on_a_waiting_or_refused_row_never_one_under_way(
    qtbot: QtBot, panel: OutboxPanel
) -> None:
    panel.set_rows([outbox_row(1), outbox_row(2, OutboxState.SENDING)])
    asked: list[OutboxRow] = []
    panel.retryRequested.connect(asked.append)
    select(panel, 0)
    qtbot.mouseClick(panel.retry_button, Qt.MouseButton.LeftButton)
    select(panel, 1)
    qtbot.mouseClick(panel.retry_button, Qt.MouseButton.LeftButton)  # disabled: nothing
    panel.view.doubleClicked.emit(panel.model.index(1, 0))
    assert [row.id for row in asked] == [1]


def test_discard_hands_on_the_row_as_the_user_was_asked_about_it(
    qtbot: QtBot, panel: OutboxPanel
) -> None:
    panel.set_rows([outbox_row(1)])
    confirmed: list[OutboxRow] = []
    panel.discardConfirmed.connect(confirmed.append)
    seen = select(panel, 0)
    qtbot.mouseClick(panel.discard_button, Qt.MouseButton.LeftButton)
    box = wait_for_top_level(qtbot, "discardConfirmation")
    assert isinstance(box, QMessageBox)
    assert "not been sent to Toggl yet" in box.text()
    panel.put_row(outbox_row(1, OutboxState.UNCONFIRMED))  # the drain sent it meanwhile
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Discard), Qt.MouseButton.LeftButton)
    assert confirmed == [seen]  # the worker keeps it: the user was told it was never sent


def test_send_now_is_kept_from_a_quota_wait_and_says_why(
    qtbot: QtBot, panel: OutboxPanel
) -> None:
    asked: list[bool] = []
    panel.sendNowRequested.connect(lambda: asked.append(True))
    button = panel.send_now_button
    assert (button.objectName(), button.accessibleName()) == ("sendNowButton", "Send now")
    panel.set_rows([outbox_row(1, OutboxState.FAILED)])  # only refused rows: nothing to send
    assert not button.isEnabled()
    assert button.toolTip() == "No task is waiting to be sent."
    panel.put_row(outbox_row(2))
    panel.sync_changed(view(1))
    assert button.isEnabled()
    assert "hourly limit" in button.toolTip()  # what it does not skip, said up front
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert asked == [True]
    quota = "Toggl's hourly limit is reached; tasks wait until 14:05, and Send now cannot skip it."
    panel.sync_changed(view(1, quota))
    assert not button.isEnabled()
    assert button.toolTip() == quota
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    panel.send_now_button.click()
    assert asked == [True]
    panel.sync_changed(view(1))
    assert button.isEnabled()


# --- the task flow, editing a waiting row ----------------------------------------------------


@pytest.fixture
def flow(qtbot: QtBot) -> Iterator[tuple[TaskFlow, TaskForm, ResultPanel, list[Submission]]]:
    host = QWidget()
    qtbot.addWidget(host)
    picker, form, result = ProjectPicker(host), TaskForm(host), ResultPanel()
    qtbot.addWidget(result)
    layout = QFormLayout(host)
    picker.add_rows(layout)
    form.add_rows(layout)
    made = TaskFlow(picker, form, result)
    sent: list[Submission] = []
    made.submitted.connect(sent.append)
    picker.fill_workspaces([Workspace(1, "Acme", premium=True)])
    picker.set_lists(WorkspaceLists(1, ProjectChoices.of([Project(10, "Web")]), [], 10), None)
    yield made, form, result, sent
    host.close()


def test_a_waiting_row_is_loaded_to_change_and_saved_as_the_same_row(
    flow: tuple[TaskFlow, TaskForm, ResultPanel, list[Submission]],
) -> None:
    task_flow, form, result, sent = flow
    task_flow.edit_refused_row(outbox_row(4, name="Typo"))
    assert form.name_edit.text() == "Typo"
    assert task_flow.submit_button.text() == "Save changes"
    assert "waiting in the outbox" in task_flow.submit_hint.text()
    assert result.text().startswith("Editing “Typo”, which waits in the outbox")
    assert "Toggl refused" not in result.text()
    form.name_edit.setText("Fixed")
    task_flow.submit()
    assert [(s.draft.name, s.retry_row) for s in sent] == [("Fixed", 4)]


def test_a_waiting_row_sent_while_in_the_form_leaves_editing_and_says_so(
    qtbot: QtBot, flow: tuple[TaskFlow, TaskForm, ResultPanel, list[Submission]]
) -> None:
    task_flow, form, _, sent = flow
    task_flow.edit_refused_row(outbox_row(4, name="Typo"))
    form.name_edit.setText("Fixed")
    with qtbot.waitSignal(task_flow.notice) as said:
        task_flow.created(TaskCreated(outbox_row(4, name="Typo"), Task(id=40, name="Typo")))
    assert said.args == ["“Typo” reached Toggl as it was before your change was saved; "
                         "the form keeps your change."]  # fmt: skip
    assert task_flow.submit_button.text() == "Create task"  # a new task now, if sent at all
    assert form.name_edit.text() == "Fixed"
    task_flow.submit()
    assert [(s.draft.name, s.retry_row) for s in sent] == [("Fixed", None)]


def test_a_row_is_not_loaded_while_the_form_waits_for_its_own_task(
    qtbot: QtBot, flow: tuple[TaskFlow, TaskForm, ResultPanel, list[Submission]]
) -> None:
    task_flow, form, _, sent = flow
    form.name_edit.setText("Just sent")
    task_flow.submit()
    with qtbot.waitSignal(task_flow.notice):
        task_flow.edit_refused_row(outbox_row(4, name="Typo"))
    assert not task_flow.state.editing
    assert [s.draft.name for s in sent] == ["Just sent"]
