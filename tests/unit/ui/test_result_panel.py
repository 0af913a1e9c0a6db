"""The result panel on its own: one plain-text sentence (`statusPanel`) for what became of the
last task, over the list of the tasks created this session (`resultList`)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.api.models import Task, TaskDraft
from desktop.messages import Failure, Field
from desktop.store.outbox_row import OutboxRow, OutboxState
from desktop.ui.qt_values import PLAIN_TEXT, USER_ROLE
from desktop.ui.result_list import MAX_SHOWN, Created
from desktop.ui.result_panel import READY_TEXT, START_TEXT, ResultPanel

MARKUP = "<b>Launch</b>"
BIG_ID = 8_000_000_002


@pytest.fixture
def panel(qtbot: QtBot) -> Iterator[ResultPanel]:
    shown = ResultPanel()
    qtbot.addWidget(shown)
    shown.show()
    yield shown
    shown.close()


def row(name: str, row_id: int = 4) -> OutboxRow:
    return OutboxRow(
        row_id, 1, 10, TaskDraft(name), "P", OutboxState.QUEUED, None, 0.0, 0, None, None
    )


def made(name: str, task_id: int = BIG_ID) -> Created:
    return Created(Task(id=task_id, name=name, project_name="Web", estimated_seconds=2700))


def lines(panel: ResultPanel) -> list[str]:
    listed = panel.history
    return [listed.item(i).text() for i in range(listed.count())]


def test_the_sentence_is_the_status_panel_label_shown_literally(panel: ResultPanel) -> None:
    assert panel.status.objectName() == "statusPanel"
    assert panel.status.textFormat().value == PLAIN_TEXT
    panel.sending(MARKUP)
    assert panel.text() == panel.status.text() == f"Sending “{MARKUP}” to Toggl…"
    panel.setText("Signed in as Sam.")
    assert panel.status.text() == "Signed in as Sam."


def test_ready_replaces_only_the_start_text(panel: ResultPanel) -> None:
    assert panel.text() == START_TEXT
    panel.ready()
    assert panel.text() == READY_TEXT
    panel.setText("Created something")
    panel.ready()
    assert panel.text() == "Created something"


def test_created_tasks_are_listed_newest_first_without_their_ids(panel: ResultPanel) -> None:
    listed = panel.history
    assert listed.objectName() == "resultList"
    assert listed.accessibleName()
    assert not listed.isVisible()  # nothing created yet
    panel.created(made("First", BIG_ID))
    panel.created(made("Second", BIG_ID + 1))
    assert listed.isVisible()
    assert [line.split(" — ")[0] for line in lines(panel)] == [
        "Created “Second” in Web",
        "Created “First” in Web",
    ]
    assert panel.text() == lines(panel)[0]  # the sentence is the newest line
    assert all(" — 45 min, open, unassigned · today " in line for line in lines(panel))
    for line in [*lines(panel), panel.text()]:
        assert str(BIG_ID)[:4] not in line  # no digits of the id on screen
    assert str(BIG_ID + 1) in listed.item(0).toolTip()
    assert listed.item(0).data(USER_ROLE) == BIG_ID + 1


def test_copy_task_id_copies_the_lines_id(qtbot: QtBot, panel: ResultPanel) -> None:
    listed = panel.history
    copy = listed.copy_id_action
    assert copy.objectName() == "copyTaskIdAction"
    assert copy.text() == "Copy task id"
    assert copy in listed.actions()  # its context menu
    assert listed.contextMenuPolicy() == Qt.ContextMenuPolicy.ActionsContextMenu
    panel.created(made("First", BIG_ID))
    panel.created(made("Second", BIG_ID + 1))
    QApplication.clipboard().clear()
    second_line = listed.visualItemRect(listed.item(1)).center()
    qtbot.mouseClick(listed.viewport(), Qt.MouseButton.RightButton, pos=second_line)
    assert copy.isEnabled()
    copy.trigger()
    assert QApplication.clipboard().text() == str(BIG_ID)
    listed.setFocus()
    listed.setCurrentRow(0)
    qtbot.keyClick(listed, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.clipboard().text() == str(BIG_ID + 1)


def test_the_list_keeps_the_newest(panel: ResultPanel) -> None:
    for n in range(MAX_SHOWN + 2):
        panel.history.add(made(f"T{n}", n), datetime.now())
    assert panel.history.count() == MAX_SHOWN
    assert panel.history.item(0).text().startswith(f"Created “T{MAX_SHOWN + 1}”")
    assert panel.history.item(MAX_SHOWN - 1).text().startswith("Created “T2”")


def test_lines_said_yesterday_are_said_again_on_a_new_day(panel: ResultPanel) -> None:
    task = Task(id=1, name="Late", at=datetime(2026, 12, 1, 23, 50).astimezone().isoformat())
    panel.history.add(Created(task), datetime(2026, 12, 1, 23, 55))
    assert lines(panel)[0].endswith("· today 23:50")
    panel.history.add(made("Early"), datetime(2026, 12, 2, 0, 5))
    assert lines(panel)[1].endswith("· yesterday 23:50")


def test_outcomes_each_say_what_became_of_the_task(panel: ResultPanel) -> None:
    panel.saved_for_later(row("Later"), Failure("You are offline."))
    assert panel.text() == "Saved “Later” in the outbox. You are offline."
    panel.waiting(0)
    panel.refused_in_background(row("Bad"))
    assert panel.text() == "Toggl refused “Bad”; see the outbox below."


def test_a_refusal_of_the_forms_task_is_not_said_again_when_its_field_says_it(
    panel: ResultPanel,
) -> None:
    panel.refused(row("Taken"), Failure("Toggl rejected this: Name taken.", Field.NAME))
    assert "Name taken" not in panel.text()
    assert panel.text() == "Toggl refused “Taken”: see why above."
    panel.refused(row("Odd"), Failure("Toggl rejected this: something odd."))
    assert panel.text() == "Toggl rejected this: something odd."  # no field says it


def test_discarding_a_row_takes_back_what_was_said_about_it(panel: ResultPanel) -> None:
    panel.saved_for_later(row("Later", 5), Failure("You are offline."))
    panel.forget(6)  # another row: the sentence stays
    assert panel.text().startswith("Saved “Later”")
    panel.forget(5)
    assert panel.text() == READY_TEXT
    panel.refused(row("Taken", 7), Failure("Name taken.", Field.NAME))
    panel.forget(7)
    assert panel.text() == READY_TEXT
    panel.waiting(0)
    panel.refused_in_background(row("Bad", 8))
    panel.created(made("Other"))
    panel.forget(8)  # said before the last sentence: nothing to take back
    assert panel.text().startswith("Created “Other”")


def sent(panel: ResultPanel, name: str, left: int) -> None:
    """As the worker reports a step: the status (what is left) first, then the outcome."""
    panel.waiting(left)
    panel.sent_in_background(made(name, len(name)))


def test_a_background_drain_shows_progress_then_one_line_naming_the_tasks(
    panel: ResultPanel,
) -> None:
    sent(panel, "One", left=2)
    assert panel.text() == "Sending 2 of 3…"
    sent(panel, "Two", left=1)
    assert panel.text() == "Sending 3 of 3…"
    sent(panel, "Three", left=0)
    assert panel.text() == "3 tasks sent: “One”, “Two”, “Three”"
    assert [line.split(" in ")[0] for line in lines(panel)] == [
        "Created “Three”",
        "Created “Two”",
        "Created “One”",
    ]
    sent(panel, "Alone", left=0)  # the next drain counts from one again: its own line
    assert panel.text().startswith("Created “Alone” in Web — 45 min")


def test_a_long_drain_names_a_few_and_counts_the_rest(panel: ResultPanel) -> None:
    for n in range(12):
        sent(panel, f"T{n}", left=11 - n)
    assert panel.text() == "12 tasks sent: “T0”, “T1”, “T2” and 9 more"
    assert panel.history.count() == 12


def test_tasks_sent_while_others_wait_join_the_list_together(
    qtbot: QtBot, panel: ResultPanel, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One insert lays out every wrapped line again: a draining outbox inserts a few at once."""
    monkeypatch.setattr(ResultPanel, "LIST_EVERY_MS", 50)
    sent(panel, "One", left=3)
    sent(panel, "Two", left=2)
    assert panel.text() == "Sending 3 of 4…"
    assert lines(panel) == []  # not yet: they join the list together
    with qtbot.waitSignal(panel.said):
        qtbot.waitUntil(lambda: len(lines(panel)) == 2)  # the pane refits for the list
    assert [line.split(" in ")[0] for line in lines(panel)] == ["Created “Two”", "Created “One”"]
    sent(panel, "Three", left=1)
    panel.created(made("Mine"))  # the form's own task: after those sent before it
    assert [line.split(" in ")[0] for line in lines(panel)][:2] == [
        "Created “Mine”",
        "Created “Three”",
    ]


def test_a_drain_ending_in_a_refusal_says_both_once(panel: ResultPanel) -> None:
    sent(panel, "One", left=2)
    sent(panel, "Two", left=1)
    panel.waiting(0)
    panel.refused_in_background(row("Bad", 9))
    assert panel.text() == "2 tasks sent: “One”, “Two”. Toggl refused “Bad”; see the outbox below."
    sent(panel, "Next", left=1)
    assert panel.text() == "Sending 2 of 2…"  # the next drain counts afresh
    panel.waiting(0)
    panel.refused_in_background(row("Bad again", 10))
    assert panel.text() == "1 task sent: “Next”. Toggl refused “Bad again”; see the outbox below."


def test_a_drain_with_several_refusals_counts_them_and_keeps_the_sentence_on_one_discard(
    panel: ResultPanel,
) -> None:
    sent(panel, "One", left=2)
    panel.waiting(1)
    panel.refused_in_background(row("Bad", 11))
    panel.waiting(0)
    panel.refused_in_background(row("Worse", 12))
    said = "1 task sent: “One”. Toggl refused 2 tasks; see the outbox below."
    assert panel.text() == said
    panel.forget(12)
    assert panel.text() == said  # "Bad" still waits there
