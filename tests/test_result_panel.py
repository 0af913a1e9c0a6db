"""The result panel on its own: one plain-text sentence for what became of the last task."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from desktop.api.models import Task, TaskDraft
from desktop.messages import Failure
from desktop.store.outbox_row import OutboxRow, OutboxState
from desktop.ui.qt_values import PLAIN_TEXT
from desktop.ui.result_panel import READY_TEXT, START_TEXT, ResultPanel

MARKUP = "<b>Launch</b>"


@pytest.fixture
def panel(qtbot: QtBot) -> Iterator[ResultPanel]:
    shown = ResultPanel()
    qtbot.addWidget(shown)
    yield shown
    shown.close()


def row(name: str) -> OutboxRow:
    return OutboxRow(4, 1, 10, TaskDraft(name), "P", OutboxState.QUEUED, None, 0.0, 0, None, None)


def test_it_is_the_status_panel_and_shows_text_literally(panel: ResultPanel) -> None:
    assert panel.objectName() == "statusPanel"
    assert panel.textFormat().value == PLAIN_TEXT
    panel.sending(MARKUP)
    assert panel.text() == f"Sending “{MARKUP}” to Toggl…"


def test_ready_replaces_only_the_start_text(panel: ResultPanel) -> None:
    assert panel.text() == START_TEXT
    panel.ready()
    assert panel.text() == READY_TEXT
    panel.setText("Created something")
    panel.ready()
    assert panel.text() == "Created something"


def test_outcomes_each_say_what_became_of_the_task(panel: ResultPanel) -> None:
    panel.created(Task(id=9, name="Ship it", project_id=10, project_name="Web"))
    assert panel.text().startswith("Created task “Ship it” (id 9)")
    panel.saved_for_later(row("Later"), Failure("You are offline."))
    assert panel.text() == "Saved “Later” in the outbox. You are offline."
    panel.refused_in_background(row("Bad"), Failure("Name taken."))
    assert panel.text().startswith("Toggl refused “Bad”: Name taken. It waits in the outbox")


def sent(panel: ResultPanel, name: str, left: int) -> None:
    """As the worker reports a step: the status (what is left) first, then the outcome."""
    panel.waiting(left)
    panel.sent_in_background(Task(id=len(name), name=name))


def test_a_background_drain_shows_progress_then_one_total_with_the_last_summary(
    panel: ResultPanel,
) -> None:
    sent(panel, "One", left=2)
    assert panel.text() == "Sending 2 of 3…"
    sent(panel, "Two", left=1)
    assert panel.text() == "Sending 3 of 3…"
    sent(panel, "Three", left=0)
    assert panel.text().startswith("3 tasks sent. The last one:\nCreated task “Three”")
    assert "“One”" not in panel.text()
    sent(panel, "Alone", left=0)  # the next drain counts from one again
    assert panel.text().startswith("Created task “Alone”")


def test_a_drain_ending_in_a_refusal_starts_the_next_count_afresh(panel: ResultPanel) -> None:
    sent(panel, "One", left=1)
    panel.waiting(0)
    panel.refused_in_background(row("Bad"), Failure("Name taken."))
    sent(panel, "Next", left=1)
    assert panel.text() == "Sending 2 of 2…"
