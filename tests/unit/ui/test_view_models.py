"""The window's list models on their own: the project completer's matches and the outbox rows,
checked against a plain recomputation (real Qt models, no window)."""

from __future__ import annotations

import re

import pytest
from pytestqt.qtbot import QtBot

from desktop.api.models import Project, TaskDraft
from desktop.domain.project_choices import ProjectChoices
from desktop.store.outbox_row import OutboxRow, OutboxState
from desktop.ui.outbox_panel import OutboxListModel, OutboxPanel
from desktop.ui.project_model import MATCH_LIMIT, ProjectListModel, ProjectMatches

NAMES = ["Alpha", "Alpine", "Beta", "alphabet soup", "Gamma ray", "Delta", "Alp"]


@pytest.fixture
def source(qtbot: QtBot) -> ProjectListModel:
    model = ProjectListModel()
    projects = [Project(id=100 + i, name=name, client_name="Co") for i, name in enumerate(NAMES)]
    model.set_projects(ProjectChoices.of(projects))
    return model


@pytest.fixture
def matches(source: ProjectListModel) -> ProjectMatches:
    return ProjectMatches(source)


def listed(matches: ProjectMatches) -> list[str]:
    return matches.model.stringList()


def expected(text: str) -> list[str]:
    """Matches recomputed plainly: name prefix, then a word starting with the text, then the
    rest, each group in name order (these names have no numbers)."""
    labels = sorted((f"{name} · Co" for name in NAMES), key=str.casefold)
    wanted = text.casefold()
    found = [label for label in labels if wanted in label.casefold()]
    word = re.compile(r"(^|[\W_])" + re.escape(wanted))

    def rank(label: str) -> int:
        folded = label.casefold()
        return 0 if folded.startswith(wanted) else 1 if word.search(folded) else 2

    return sorted(found, key=rank)  # stable: name order within each group


def test_each_keystroke_lists_what_a_fresh_search_would(matches: ProjectMatches) -> None:
    typed = ["a", "al", "alp", "alph", "alp", "lp", "p", "", "ta", "eta", "beta", "x", "", "co"]
    typed += ["r", "ra", "a r"]
    for text in typed:  # growing, shrinking, and jumping to unrelated text
        matches.set_filter(text)
        assert listed(matches) == expected(text), text
        for row, label in enumerate(listed(matches)):
            assert matches.project_id(row) == 100 + NAMES.index(label.removesuffix(" · Co"))


def test_new_projects_start_a_fresh_search(
    source: ProjectListModel, matches: ProjectMatches
) -> None:
    matches.set_filter("alp")
    source.set_projects(ProjectChoices.of([Project(id=9, name="Alpaca")]))
    assert listed(matches) == []
    matches.set_filter("alpa")
    assert listed(matches) == ["Alpaca"]
    assert matches.project_id(0) == 9


def test_at_most_match_limit_listed_and_typing_narrows_the_rest(qtbot: QtBot) -> None:
    model = ProjectListModel()
    model.set_projects(ProjectChoices.of(Project(id=i, name=f"P{i:05}") for i in range(2000)))
    matches = ProjectMatches(model)
    matches.set_filter("p")
    assert len(listed(matches)) == MATCH_LIMIT
    assert listed(matches)[0] == "P00000"
    matches.set_filter("p01999")  # far beyond the listed ones, found from all matches
    assert listed(matches) == ["P01999"]
    assert matches.project_id(0) == 1999


def test_matches_ranked_name_prefix_then_word_prefix_then_anywhere(qtbot: QtBot) -> None:
    model = ProjectListModel()
    names = ["Project 1042", "42 Street", "Project 42", "Project 420", "Side 4242"]
    model.set_projects(ProjectChoices.of(Project(id=i, name=n) for i, n in enumerate(names)))
    matches = ProjectMatches(model)
    matches.set_filter("42")
    assert listed(matches) == [
        "42 Street",
        "Project 42",
        "Project 420",
        "Side 4242",
        "Project 1042",
    ]
    matches.set_filter("zz")
    assert (listed(matches), matches.found_none()) == ([], True)
    matches.set_filter("")
    assert not matches.found_none()
    assert listed(matches)[:3] == ["42 Street", "Project 42", "Project 420"]


def row(row_id: int, state: OutboxState = OutboxState.QUEUED, name: str = "") -> OutboxRow:
    return OutboxRow(
        id=row_id,
        workspace_id=1,
        project_id=2,
        draft=TaskDraft(name=name or f"Task {row_id}"),
        project_label="Website",
        state=state,
        reason=None,
        queued_at=0.0,
        attempts=0,
        last_attempt_at=None,
        remote_task_id=None,
    )


def names(model: OutboxListModel) -> list[str]:
    return [model.index(i, 0).data().split(" — ")[0] for i in range(model.rowCount())]


def test_outbox_rows_are_updated_in_place(qtbot: QtBot) -> None:
    panel = OutboxPanel()
    qtbot.addWidget(panel)
    model = panel.model
    panel.set_rows([row(3), row(1), row(5)])
    assert names(model) == ["Task 1", "Task 3", "Task 5"]
    assert panel.title() == "Outbox: 3 waiting"
    with qtbot.waitSignal(model.dataChanged):
        panel.put_row(row(3).replace(state=OutboxState.FAILED, reason="No such project"))
    assert "Failed: No such project" in model.index(1, 0).data()
    assert panel.title() == "Outbox: 2 waiting, 1 failed"
    with qtbot.waitSignal(model.rowsInserted):
        panel.put_row(row(4))
    assert names(model) == ["Task 1", "Task 3", "Task 4", "Task 5"]
    with qtbot.waitSignal(model.rowsRemoved):
        panel.put_row(row(1).replace(state=OutboxState.DONE))
    panel.put_row(row(99).replace(state=OutboxState.DONE))  # never shown: nothing to remove
    panel.remove_row(5)
    assert names(model) == ["Task 3", "Task 4"]
    assert panel.title() == "Outbox: 1 waiting, 1 failed"
    panel.remove_row(3)
    panel.put_row(row(4).replace(state=OutboxState.DONE))
    assert model.rowCount() == 0
    assert panel.isHidden()


def test_the_qt_values_are_qts_own() -> None:
    from PySide6.QtCore import Qt

    from desktop.ui import qt_values

    role = Qt.ItemDataRole
    assert role.DisplayRole.value == qt_values.DISPLAY_ROLE
    assert role.EditRole.value == qt_values.EDIT_ROLE
    assert role.ToolTipRole.value == qt_values.TOOL_TIP_ROLE
    assert role.ForegroundRole.value == qt_values.FOREGROUND_ROLE
    assert role.UserRole.value == qt_values.USER_ROLE
    assert Qt.TextFormat.PlainText.value == qt_values.PLAIN_TEXT
    align = Qt.AlignmentFlag
    assert (align.AlignTop | align.AlignLeft).value == qt_values.ALIGN_TOP_LEFT
    assert Qt.TextInteractionFlag.TextSelectableByMouse.value == qt_values.SELECTABLE_BY_MOUSE


def discard_text(qtbot: QtBot, panel: OutboxPanel) -> str:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox

    from tests.ui_helpers import wait_for_top_level

    qtbot.mouseClick(panel.discard_button, Qt.MouseButton.LeftButton)
    box = wait_for_top_level(qtbot, "discardConfirmation")
    assert isinstance(box, QMessageBox)
    text = box.text()
    box.reject()
    qtbot.waitUntil(lambda: not box.isVisible())
    return text


def test_a_row_that_may_be_in_toggl_says_so_and_cannot_be_edited(qtbot: QtBot) -> None:
    panel = OutboxPanel()
    qtbot.addWidget(panel)
    panel.set_rows(
        [
            row(1, OutboxState.UNCONFIRMED, "Lost answer"),
            row(2, OutboxState.FAILED, "Refused").replace(reason="Toggl rejected this."),
            row(3, OutboxState.QUEUED, "Waiting"),
            row(4, OutboxState.SENDING, "On its way"),
        ]
    )
    panel.show()
    view = panel.view

    view.setCurrentIndex(panel.model.index(0, 0))  # unconfirmed
    assert not panel.retry_button.isEnabled()
    assert panel.retry_button.toolTip() == (
        "Task Desk is still checking whether Toggl received this task."
    )
    assert panel.discard_button.isEnabled()
    said = discard_text(qtbot, panel)
    assert "This task may already be in Toggl (its answer was lost). " in said
    assert "Discarding it here does not delete it there." in said
    assert "never created" not in said

    view.setCurrentIndex(panel.model.index(1, 0))  # refused
    assert panel.retry_button.isEnabled()
    assert "never created in Toggl" in discard_text(qtbot, panel)

    panel.put_row(panel.model.rows[1].replace(maybe_sent=True))  # refused, answer lost before
    assert panel.retry_button.isEnabled()
    assert "may already be in Toggl" in panel.retry_button.toolTip()
    assert "may already be in Toggl" in discard_text(qtbot, panel)

    view.setCurrentIndex(panel.model.index(2, 0))  # queued, never sent: edited or discarded
    assert panel.retry_button.isEnabled()
    assert panel.retry_button.text() == "Edit"
    assert "not been sent to Toggl yet" in discard_text(qtbot, panel)

    view.setCurrentIndex(panel.model.index(3, 0))  # its request is under way: neither, and why
    assert not panel.retry_button.isEnabled()
    assert not panel.discard_button.isEnabled()
    assert panel.retry_button.toolTip() == panel.discard_button.toolTip()
    assert panel.discard_button.toolTip() == "It is being sent right now."
