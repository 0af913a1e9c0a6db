"""The task form on its own: what is wrong with the fields, Toggl's word beside one, the draft
the fields make, and a refused row loaded back."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QFormLayout, QWidget
from pytestqt.qtbot import QtBot

from desktop.api.models import TaskDraft, User
from desktop.messages import Field
from desktop.store.outbox_row import OutboxRow, OutboxState
from desktop.ui.task_form import TaskForm


@pytest.fixture
def form(qtbot: QtBot) -> Iterator[TaskForm]:
    host = QWidget()  # held here: the part and its widgets live as long as it does
    qtbot.addWidget(host)
    part = TaskForm(host)
    part.add_rows(QFormLayout(host))
    yield part
    host.close()


def test_an_empty_name_asks_for_one_and_a_bad_estimate_says_so(form: TaskForm) -> None:
    assert form.check({}) == ("Name the task.", None)
    form.name_edit.setText("Write docs")
    form.estimate_edit.setText("soon")
    problem, draft = form.check({})
    assert (problem, draft) == ("Fix the estimate.", None)
    assert form.estimate_hint.text()


def test_the_fields_make_the_draft(form: TaskForm) -> None:
    form.fill_assignees([User(5, "Ann"), User(6, "Bob")], wanted=6)
    form.name_edit.setText("  Write docs ")
    form.estimate_edit.setText("1h 30m")
    form.active_check.setChecked(False)
    assert form.check({}) == (None, TaskDraft("Write docs", False, 5400, 6))
    assert form.estimate_hint.text() == "Understood as 1 h 30 min."


def test_toggls_word_on_the_name_shows_beside_it(qtbot: QtBot, form: TaskForm) -> None:
    form.name_edit.setText("Taken")
    form.check({Field.NAME: "A task with this name already exists."})
    assert form.name_note.text() == "A task with this name already exists."
    assert not form.name_note.isHidden()
    with qtbot.waitSignal(form.edited) as edited:
        form.name_edit.setText("Free")
    assert edited.args == [Field.NAME]


def test_a_refused_row_loads_back_and_clear_empties_the_fields(form: TaskForm) -> None:
    draft = TaskDraft("Refused", active=False, estimated_seconds=900)
    row = OutboxRow(1, 1, 10, draft, "P", OutboxState.FAILED, "No.", 0.0, 1, None, None)
    form.load(row)
    assert (form.name_edit.text(), form.estimate_edit.text()) == ("Refused", "15 min")
    assert not form.active_check.isChecked()
    form.clear()
    assert (form.name_edit.text(), form.estimate_edit.text()) == ("", "")
    assert form.active_check.isChecked()  # the next task is open unless unchecked again


def test_clearing_keeps_the_assignee_shown(form: TaskForm) -> None:
    form.fill_assignees([User(5, "Ann"), User(6, "Bob")], wanted=6)
    form.name_edit.setText("For Bob")
    form.active_check.setChecked(False)
    form.clear()
    assert form.assignee_selector.currentText() == "Bob"
    form.name_edit.setText("Next")
    assert form.check({}) == (None, TaskDraft("Next", True, None, 6))


@pytest.mark.parametrize(
    ("typed", "seconds", "hint"),
    [("45", 2700, "Understood as 45 min."), ("90", 5400, "Understood as 1 h 30 min."),
     ("45s", 45, "Understood as 45 s."), ("1:30", 5400, "Understood as 1 h 30 min."),
     ("", None, "No estimate.")],
)  # fmt: skip
def test_the_hint_says_in_words_what_was_understood(
    form: TaskForm, typed: str, seconds: int | None, hint: str
) -> None:
    form.name_edit.setText("Timed")
    form.estimate_edit.setText(typed)
    assert form.check({}) == (None, TaskDraft("Timed", True, seconds))
    assert form.estimate_hint.text() == hint


def test_the_hint_asks_about_the_unusual_estimate_it_was_asked_about(form: TaskForm) -> None:
    form.name_edit.setText("Long")
    form.estimate_edit.setText("250h")
    form.check({}, asked_about=250 * 3600)
    assert form.estimate_hint.text() == "That is 250 h: press Enter again to create it anyway."
    form.check({}, asked_about=None)
    assert form.estimate_hint.text() == "Understood as 250 h."


def test_assignees_keep_the_choice_and_list_people_by_name(form: TaskForm) -> None:
    assert not form.fill_assignees([User(6, "bob"), User(5, "Ann")])
    selector = form.assignee_selector
    assert [selector.itemText(i) for i in range(3)] == ["No assignee", "Ann", "bob"]
    selector.setCurrentIndex(2)
    form.fill_assignees(form.users())
    assert selector.currentData() == 6
