"""The project picker on its own: workspaces (Free plan ones last, with a note), a workspace's
projects, and a typed name that selects the one project it names."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QWidget
from pytestqt.qtbot import QtBot

from desktop.api.models import Project, Workspace
from desktop.domain.project_choices import ProjectChoices
from desktop.session import WorkspaceLists
from desktop.ui.project_picker import ProjectPicker

PAID, FREE = Workspace(1, "Acme", premium=True), Workspace(2, "Hobby", premium=False)
PROJECTS = [Project(10, "Website", client_name="Co"), Project(11, "Mobile app")]


@pytest.fixture
def picker(qtbot: QtBot) -> Iterator[ProjectPicker]:
    host = QWidget()  # held here: the part and its widgets live as long as it does
    qtbot.addWidget(host)
    part = ProjectPicker(host)
    part.add_rows(QFormLayout(host))
    yield part
    host.close()


def lists(workspace_id: int = 1, preferred: int | None = None) -> WorkspaceLists:
    return WorkspaceLists(workspace_id, ProjectChoices.of(PROJECTS), [], preferred)


def test_workspaces_paid_first_and_a_free_one_says_tasks_need_a_paid_plan(
    qtbot: QtBot, picker: ProjectPicker
) -> None:
    with qtbot.waitSignal(picker.workspaceChosen) as chosen:
        picker.fill_workspaces([FREE, PAID])
    assert chosen.args == [1]
    selector = picker.workspace_selector
    assert [selector.itemText(i) for i in range(2)] == ["Acme", "Hobby (Free plan)"]
    assert picker.problem() == "Pick a project from the list."
    picker.choose_workspace(2)
    assert picker.problem() == "Tasks need a paid plan in this workspace."
    assert "Free plan" in picker.workspace_note.text()


def test_lists_select_the_preferred_project_and_ignore_a_workspace_left(
    picker: ProjectPicker,
) -> None:
    picker.fill_workspaces([PAID, FREE])
    assert not picker.set_lists(lists(workspace_id=2, preferred=11), wanted=None)
    assert picker.model.rowCount() == 0  # not the workspace shown: ignored
    picker.set_lists(lists(preferred=11), wanted=None)
    assert (picker.project_id(), picker.problem()) == (11, None)
    assert picker.set_lists(lists(preferred=11), wanted=10)  # a refused row's project wins
    assert picker.project_id() == 10


def test_a_typed_name_selects_the_one_project_it_names(qtbot: QtBot, picker: ProjectPicker) -> None:
    picker.fill_workspaces([PAID])
    picker.set_lists(lists(), wanted=None)
    picker.selector.setEditText("mobile")
    assert picker.project_id() is None
    with qtbot.waitSignal(picker.projectChosen) as chosen:
        picker.match_typed()
    assert chosen.args == [1, 11]
    picker.selector.setEditText("Nothing like it")
    picker.match_typed()
    assert picker.project_id() is None
    assert picker.problem() == "Pick a project from the list."


def test_no_workspace_means_pick_one(picker: ProjectPicker) -> None:
    assert picker.problem() == "Pick a workspace."
    picker.fill_workspaces([PAID])
    picker.clear()
    assert (picker.workspace_id(), picker.has_projects()) == (None, False)


def test_the_full_label_typed_selects_its_project(qtbot: QtBot, picker: ProjectPicker) -> None:
    picker.fill_workspaces([PAID])
    picker.set_lists(lists(), wanted=None)
    with qtbot.waitSignal(picker.projectChosen) as chosen:
        qtbot.keyClicks(picker.filter, "website · co")  # selected as the last key is typed
    assert (chosen.args, picker.label()) == ([1, 10], "Website · Co")
    picker.selector.setEditText("")
    assert picker.project_id() is None
    qtbot.keyClicks(picker.filter, "Website - Co")  # the same words: selected on Enter
    assert picker.project_id() is None
    with qtbot.waitSignal(picker.projectChosen) as chosen:  # the row was selected already
        qtbot.keyClick(picker.filter, Qt.Key.Key_Return)
    assert (chosen.args, picker.label(), picker.problem()) == ([1, 10], "Website · Co", None)


def test_typing_what_no_project_has_says_so_until_something_matches(
    qtbot: QtBot, picker: ProjectPicker
) -> None:
    picker.fill_workspaces([PAID])
    picker.set_lists(lists(), wanted=None)
    picker.selector.setEditText("")
    qtbot.keyClicks(picker.filter, "xyz")
    assert not picker.note.isHidden()
    assert picker.note.text() == "No project matches “xyz”"
    assert picker.matches.model.stringList() == []
    for _ in "xyz":
        qtbot.keyClick(picker.filter, Qt.Key.Key_Backspace)
    qtbot.keyClicks(picker.filter, "mob")
    assert picker.note.isHidden()
    assert picker.matches.model.stringList() == ["Mobile app"]
