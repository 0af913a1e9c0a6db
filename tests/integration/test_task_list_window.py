"""The task list through the window (issue 13), driven by its automation contract with the real
worker and the fake Toggl: shown from the cache with no request, filtered, acted on (online,
offline then online, refused), the duplicate note, conflicts, the Free plan, F5."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
)
from pytestqt.qtbot import QtBot

from desktop import credentials
from desktop.ui.main_window import MainWindow
from tests.fake_toggl import FakeToggl
from tests.ui_helpers import child, select_by_data, wait_for_projects, wait_for_top_level

SAM = 9_000_000_002
WEBSITE = "Website Redesign"
USER_ROLE = Qt.ItemDataRole.UserRole


@pytest.fixture(autouse=True)
def env_token(monkeypatch: pytest.MonkeyPatch, fake: FakeToggl) -> None:
    monkeypatch.setenv(credentials.ENV_TOKEN, fake.token)


@pytest.fixture
def opened(qtbot: QtBot, make_window: Callable[[], MainWindow], fake: FakeToggl) -> MainWindow:
    """A window showing Website Redesign's tasks, fetched from Toggl."""
    window = make_window()
    open_project(qtbot, window, fake)
    qtbot.waitUntil(lambda: "Existing task" in names(window), timeout=10_000)
    return window


def open_project(qtbot: QtBot, window: MainWindow, fake: FakeToggl, name: str = WEBSITE) -> None:
    projects = wait_for_projects(qtbot, window)
    select_by_data(projects, fake.project_id(name))


def view(window: MainWindow) -> QAbstractItemView:
    return child(window, QAbstractItemView, "taskList")


def rows(window: MainWindow) -> list[QModelIndex]:
    model = view(window).model()
    return [model.index(row, 0) for row in range(model.rowCount())]


def names(window: MainWindow) -> list[str]:
    return [index.data() for index in rows(window)]


def row_of(window: MainWindow, name: str) -> list[str]:
    """The texts of the row showing `name`, column by column."""
    model = view(window).model()
    (row,) = [index.row() for index in rows(window) if index.data() == name]
    return [model.index(row, column).data() for column in range(model.columnCount())]


def select(window: MainWindow, *wanted: str) -> None:
    listed = view(window)
    selection = listed.selectionModel()
    selection.clearSelection()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for index in rows(window):
        if index.data() in wanted:
            selection.select(index, flags)
    assert len(selection.selectedRows()) == len(wanted)


def action(window: MainWindow, name: str) -> QAction:
    return child(window, QAction, name)


def toggl(fake: FakeToggl, name: str) -> dict[str, object]:
    (task,) = fake.tasks_named(name)
    return task


def task_requests(fake: FakeToggl) -> list[tuple[str, str]]:
    return [(r.method, r.path) for r in fake.requests if "/tasks" in r.path]


def test_the_list_shows_the_cache_at_once_with_no_request(
    qtbot: QtBot, make_window: Callable[[], MainWindow], fake: FakeToggl
) -> None:
    first = make_window()
    open_project(qtbot, first, fake)
    qtbot.waitUntil(lambda: names(first) == ["Existing task"], timeout=10_000)
    first.close()
    fake.reset_log()
    second = make_window()
    qtbot.waitUntil(lambda: names(second) == ["Existing task"], timeout=5_000)
    assert row_of(second, "Existing task") == [
        "Existing task", "2 h", "1 h 30 min (75 %)", "Fran Freelancer", "Open",
    ]  # fmt: skip
    (index,) = rows(second)
    assert index.data(USER_ROLE) == toggl(fake, "Existing task")["id"]
    assert child(second, QLabel, "taskListTitle").text() == "Tasks: 1 open, 0 done"
    qtbot.wait(300)  # anything the start would send has had time to leave
    assert fake.requests == []


def test_opening_a_project_the_first_time_costs_one_request_per_page(
    qtbot: QtBot, make_window: Callable[[], MainWindow], fake: FakeToggl
) -> None:
    fake.add_tasks(fake.project_id("Mobile App"), 250)
    window = make_window()
    wait_for_projects(qtbot, window)
    qtbot.wait(300)
    fake.reset_log()
    open_project(qtbot, window, fake, "Mobile App")
    qtbot.waitUntil(lambda: len(names(window)) > 100, timeout=10_000)
    qtbot.wait(300)
    assert [method for method, _ in task_requests(fake)] == ["GET", "GET"]  # 200 a page


def test_open_first_in_natural_order_filtered_by_name_done_when_asked(
    qtbot: QtBot, opened: MainWindow, fake: FakeToggl
) -> None:
    for n in (10, 2, 12, 1, 3, 11):
        fake.add_task(fake.project_id(WEBSITE), f"Task {n}", active=n not in (3, 12))
    action(opened, "markDoneAction")  # exists before any selection
    opened.refresh_action.trigger()  # F5
    qtbot.waitUntil(lambda: len(names(opened)) == 5, timeout=10_000)
    assert names(opened) == ["Existing task", "Task 1", "Task 2", "Task 10", "Task 11"]
    ids = [index.data(USER_ROLE) for index in rows(opened)]
    assert all(isinstance(i, int) for i in ids)
    child(opened, QLineEdit, "taskFilterEdit").setText("TASK 1")
    assert names(opened) == ["Task 1", "Task 10", "Task 11"]
    child(opened, QCheckBox, "showDoneCheck").setChecked(True)
    assert names(opened) == ["Task 1", "Task 10", "Task 11", "Task 12"]  # open ones first
    assert row_of(opened, "Task 12")[4] == "Done"
    child(opened, QLineEdit, "taskFilterEdit").setText("no such")
    assert names(opened) == []
    assert view(opened).accessibleDescription() == "No task matches “no such”."


def test_marking_ten_tasks_done_is_one_bulk_request_and_they_reopen(
    qtbot: QtBot, opened: MainWindow, fake: FakeToggl
) -> None:
    ids = [int(fake.add_task(fake.project_id(WEBSITE), f"Task {n}")["id"]) for n in range(1, 10)]
    opened.refresh_action.trigger()
    qtbot.waitUntil(lambda: "Task 9" in names(opened), timeout=10_000)
    wanted = [f"Task {n}" for n in range(1, 10)] + ["Existing task"]
    select(opened, *wanted)
    assert not action(opened, "reopenAction").isEnabled()
    fake.reset_log()
    action(opened, "markDoneAction").trigger()
    qtbot.waitUntil(lambda: not set(wanted) & set(names(opened)))  # at once, pending
    qtbot.waitUntil(lambda: all(not toggl(fake, n)["active"] for n in wanted), timeout=10_000)
    qtbot.wait(300)
    ((method, path),) = task_requests(fake)
    assert method == "PATCH"
    assert all(str(i) in path for i in ids)
    child(opened, QCheckBox, "showDoneCheck").setChecked(True)
    qtbot.waitUntil(lambda: row_of(opened, "Task 1")[4] == "Done")
    select(opened, "Task 1", "Task 2")
    assert action(opened, "reopenAction").isEnabled()
    assert not action(opened, "markDoneAction").isEnabled()
    action(opened, "reopenAction").trigger()
    qtbot.waitUntil(lambda: toggl(fake, "Task 2")["active"] is True, timeout=10_000)
    qtbot.waitUntil(lambda: row_of(opened, "Task 1")[4] == "Open")


def test_the_actions_act_on_a_row_selected_by_its_first_cell_alone(
    qtbot: QtBot, opened: MainWindow, fake: FakeToggl
) -> None:
    """A script selecting a row's first cell (no Rows flag) has selected that row."""
    (index,) = [i for i in rows(opened) if i.data() == "Existing task"]
    view(opened).selectionModel().select(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    assert action(opened, "markDoneAction").isEnabled()
    action(opened, "markDoneAction").trigger()
    qtbot.waitUntil(lambda: toggl(fake, "Existing task")["active"] is False, timeout=10_000)


def test_editing_one_task_changes_only_what_was_touched(
    qtbot: QtBot, opened: MainWindow, fake: FakeToggl
) -> None:
    select(opened, "Existing task")
    action(opened, "editTaskAction").trigger()
    dialog = wait_for_top_level(qtbot, "taskEditDialog")
    assert isinstance(dialog, QDialog)
    assert child(dialog, QLineEdit, "taskNameEdit").text() == "Existing task"
    assignee = child(dialog, QComboBox, "assigneeSelector")
    assert assignee.currentData() == toggl(fake, "Existing task")["user_id"]
    child(dialog, QLineEdit, "taskNameEdit").setText("Renamed task")
    select_by_data(assignee, SAM)
    fake.reset_log()
    qtbot.mouseClick(child(dialog, QPushButton, "saveTaskButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Renamed task" in names(opened))  # at once, pending
    qtbot.waitUntil(lambda: len(fake.tasks_named("Renamed task")) == 1, timeout=10_000)
    task = toggl(fake, "Renamed task")
    assert (task["user_id"], task["estimated_seconds"], task["active"]) == (SAM, 7200, True)
    (put,) = [r for r in fake.requests if r.method in ("PUT", "PATCH")]
    assert "estimated_seconds" not in put.raw_body.decode()
    qtbot.waitUntil(lambda: row_of(opened, "Renamed task")[3:] == ["Sam Designer", "Open"])


def test_editing_several_tasks_leaves_what_was_not_touched(
    qtbot: QtBot, opened: MainWindow, fake: FakeToggl
) -> None:
    fake.add_task(fake.project_id(WEBSITE), "Other", estimated_seconds=60, user_id=SAM)
    opened.refresh_action.trigger()
    qtbot.waitUntil(lambda: "Other" in names(opened), timeout=10_000)
    select(opened, "Existing task", "Other")
    action(opened, "editTaskAction").trigger()
    dialog = wait_for_top_level(qtbot, "taskEditDialog")
    assert not child(dialog, QLineEdit, "taskNameEdit").isEnabled()
    child(dialog, QLineEdit, "estimateEdit").setText("3h")
    qtbot.mouseClick(child(dialog, QPushButton, "saveTaskButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: toggl(fake, "Other")["estimated_seconds"] == 10_800, timeout=10_000)
    qtbot.waitUntil(lambda: toggl(fake, "Existing task")["estimated_seconds"] == 10_800)
    assert toggl(fake, "Other")["user_id"] == SAM
    assert toggl(fake, "Existing task")["user_id"] != SAM


def test_the_actions_are_in_the_lists_context_menu_and_the_tasks_menu(
    qtbot: QtBot, opened: MainWindow
) -> None:
    names_of = {a.objectName() for a in view(opened).actions()}
    wanted = {"markDoneAction", "reopenAction", "editTaskAction", "deleteTaskAction"}
    assert wanted <= names_of
    assert view(opened).contextMenuPolicy() == Qt.ContextMenuPolicy.ActionsContextMenu
    menu = child(opened, QMenu, "tasksMenu")
    assert wanted <= {a.objectName() for a in menu.actions()}
    assert not action(opened, "markDoneAction").isEnabled()  # nothing selected
    select(opened, "Existing task")
    assert action(opened, "markDoneAction").isEnabled()
    assert not action(opened, "reopenAction").isEnabled()
    view(opened).setFocus()
    qtbot.keyClick(view(opened), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "Existing task" not in names(opened))  # done: open ones only


def test_deleting_asks_first_and_the_delete_key_does_too(
    qtbot: QtBot, opened: MainWindow, fake: FakeToggl
) -> None:
    select(opened, "Existing task")
    view(opened).setFocus()
    qtbot.keyClick(view(opened), Qt.Key.Key_Delete)
    box = wait_for_top_level(qtbot, "deleteConfirmation")
    assert isinstance(box, QMessageBox)
    assert "Existing task" in box.text()
    box.reject()
    qtbot.wait(200)
    assert "Existing task" in names(opened)
    action(opened, "deleteTaskAction").trigger()
    box = wait_for_top_level(qtbot, "deleteConfirmation")
    qtbot.mouseClick(child(box, QPushButton, "confirmDeleteButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Existing task" not in names(opened))
    qtbot.waitUntil(lambda: fake.tasks_named("Existing task") == [], timeout=10_000)


def test_a_change_made_offline_waits_then_reaches_toggl_once(
    qtbot: QtBot, opened: MainWindow, fake: FakeToggl
) -> None:
    child(opened, QCheckBox, "showDoneCheck").setChecked(True)
    fake.go_down()
    select(opened, "Existing task")
    view(opened).setFocus()
    qtbot.keyClick(view(opened), Qt.Key.Key_Space)  # the done toggle
    qtbot.waitUntil(lambda: row_of(opened, "Existing task")[4] == "Done, waiting to sync")
    indicator = child(opened, QLabel, "connectionIndicator")
    qtbot.waitUntil(lambda: indicator.text().startswith("Offline"), timeout=10_000)
    assert toggl(fake, "Existing task")["active"] is True
    fake.come_back()
    qtbot.waitUntil(lambda: toggl(fake, "Existing task")["active"] is False, timeout=30_000)
    qtbot.waitUntil(lambda: row_of(opened, "Existing task")[4] == "Done", timeout=5_000)
    puts = [r for r in fake.requests if r.method in ("PUT", "PATCH")]
    assert len(puts) == 1


def test_a_refused_change_is_parked_with_tolls_reason_and_toggls_values(
    qtbot: QtBot, opened: MainWindow, fake: FakeToggl
) -> None:
    fake.fail_next(400, '"Name has already been taken"', path_contains="/tasks/")
    select(opened, "Existing task")
    action(opened, "editTaskAction").trigger()
    dialog = wait_for_top_level(qtbot, "taskEditDialog")
    child(dialog, QLineEdit, "taskNameEdit").setText("Taken name")
    qtbot.mouseClick(child(dialog, QPushButton, "saveTaskButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: (
            "Existing task" in names(opened)
            and row_of(opened, "Existing task")[4] == "Open, refused by Toggl"
        ),
        timeout=10_000,
    )
    index = next(i for i in rows(opened) if i.data() == "Existing task")
    assert "Name has already been taken" in index.data(Qt.ItemDataRole.ToolTipRole)
    assert "Name has already been taken" in index.data(Qt.ItemDataRole.AccessibleDescriptionRole)
    assert toggl(fake, "Existing task")["name"] == "Existing task"


def test_a_likely_duplicate_is_held_back_once_and_sends_nothing(
    qtbot: QtBot, opened: MainWindow, fake: FakeToggl
) -> None:
    note = child(opened, QLabel, "duplicateNote")
    submit = child(opened, QPushButton, "submitButton")
    child(opened, QLineEdit, "taskNameEdit").setText("existing   TASK")
    fake.reset_log()
    qtbot.mouseClick(submit, Qt.MouseButton.LeftButton)
    assert note.isVisible()
    assert submit.text() == "Create anyway"
    qtbot.wait(200)
    assert fake.requests == []
    child(opened, QLineEdit, "taskNameEdit").setText("existing  TASK")  # edited: asked again
    assert not note.isVisible()
    qtbot.mouseClick(submit, Qt.MouseButton.LeftButton)
    assert note.isVisible()
    qtbot.mouseClick(submit, Qt.MouseButton.LeftButton)  # "Create anyway"
    qtbot.waitUntil(lambda: len(fake.requests) == 1, timeout=10_000)
    assert not note.isVisible()


def test_a_duplicate_submitted_before_the_list_came_is_held_back_by_the_worker(
    qtbot: QtBot, make_window: Callable[[], MainWindow], fake: FakeToggl
) -> None:
    window = make_window()
    wait_for_projects(qtbot, window)
    fake.reset_log()
    open_project(qtbot, window, fake)  # its tasks are fetched first, on the worker
    child(window, QLineEdit, "taskNameEdit").setText("EXISTING task")
    submit = child(window, QPushButton, "submitButton")
    qtbot.mouseClick(submit, Qt.MouseButton.LeftButton)
    note = child(window, QLabel, "duplicateNote")
    qtbot.waitUntil(note.isVisible, timeout=10_000)
    assert submit.text() == "Create anyway"
    assert [r.method for r in fake.requests] == ["GET"]  # the listing, no task sent
    qtbot.mouseClick(submit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(fake.tasks_named("EXISTING task")) == 1, timeout=10_000)


def test_the_quick_add_line_holds_back_a_duplicate_once_too(
    qtbot: QtBot, opened: MainWindow, fake: FakeToggl
) -> None:
    line = child(opened, QLineEdit, "quickAddEdit")
    preview = child(opened, QLabel, "quickAddPreview")
    line.setText("existing task 30m @web")
    fake.reset_log()
    qtbot.keyClick(line, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "already an open task" in preview.text())
    assert line.text() == "existing task 30m @web"  # kept
    assert not child(opened, QLabel, "duplicateNote").isVisible()  # the line says it
    qtbot.keyClick(line, Qt.Key.Key_Return)  # again: created anyway
    qtbot.waitUntil(lambda: len(fake.tasks_named("existing task")) == 1, timeout=10_000)
    qtbot.waitUntil(lambda: line.text() == "")


def test_a_new_task_shows_at_once_pending_then_with_its_toggl_id(
    qtbot: QtBot, opened: MainWindow, fake: FakeToggl
) -> None:
    title = child(opened, QLabel, "taskListTitle")
    before = title.text()
    fake.delay_next(1.0, method="POST")
    child(opened, QLineEdit, "taskNameEdit").setText("Brand new")
    qtbot.mouseClick(child(opened, QPushButton, "submitButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Brand new" in names(opened))
    open_before = int(before.split()[1])  # "Tasks: 1 open, 0 done"
    assert title.text().startswith(f"Tasks: {open_before + 1} open")  # counted at once

    def its_id() -> object:
        return next(i for i in rows(opened) if i.data() == "Brand new").data(USER_ROLE)

    assert its_id() is None
    assert row_of(opened, "Brand new")[4] == "Open, waiting to sync"
    qtbot.waitUntil(lambda: its_id() is not None, timeout=10_000)
    assert its_id() == toggl(fake, "Brand new")["id"]
    qtbot.waitUntil(lambda: row_of(opened, "Brand new")[4] == "Open")
    assert title.text().startswith(f"Tasks: {open_before + 1} open")


def test_tasks_queued_from_the_bulk_dialog_show_at_once_pending(
    qtbot: QtBot, opened: MainWindow, fake: FakeToggl
) -> None:
    fake.go_down()
    action(opened, "bulkAddAction").trigger()
    dialog = wait_for_top_level(qtbot, "bulkAddDialog")
    lines = "\n".join(f"Bulk task {n} 15m @web" for n in (2, 10, 1))
    child(dialog, QPlainTextEdit, "bulkAddEdit").setPlainText(lines)
    button = child(dialog, QPushButton, "bulkAddButton")
    qtbot.waitUntil(button.isEnabled)
    button.click()
    qtbot.waitUntil(lambda: "Bulk task 10" in names(opened))
    assert names(opened) == ["Bulk task 1", "Bulk task 2", "Bulk task 10", "Existing task"]
    assert row_of(opened, "Bulk task 2")[4] == "Open, waiting to sync"
    assert next(i for i in rows(opened) if i.data() == "Bulk task 2").data(USER_ROLE) is None


def conflict_on_the_name(qtbot: QtBot, window: MainWindow, fake: FakeToggl) -> None:
    """Renamed here while offline, and renamed in Toggl meanwhile."""
    fake.go_down()
    select(window, "Existing task")
    action(window, "editTaskAction").trigger()
    dialog = wait_for_top_level(qtbot, "taskEditDialog")
    child(dialog, QLineEdit, "taskNameEdit").setText("Mine")
    qtbot.mouseClick(child(dialog, QPushButton, "saveTaskButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Mine" in names(window))
    indicator = child(window, QLabel, "connectionIndicator")
    qtbot.waitUntil(lambda: indicator.text().startswith("Offline"), timeout=10_000)  # tried
    with fake.lock:
        (task,) = [t for t in fake.tasks if t["name"] == "Existing task"]
        task["name"] = "Theirs"
        task["at"] = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(time.time() + 5))
    fake.come_back()
    qtbot.waitUntil(
        lambda: "conflict" in " ".join(row_of(window, names(window)[0])), timeout=30_000
    )


@pytest.mark.parametrize("keep_mine", [True, False])
def test_a_conflict_is_settled_by_the_user(
    qtbot: QtBot, opened: MainWindow, fake: FakeToggl, keep_mine: bool
) -> None:
    conflict_on_the_name(qtbot, opened, fake)
    (shown,) = names(opened)
    select(opened, shown)
    bar = child(opened, QPushButton, "keepMineButton" if keep_mine else "takeTogglsButton")
    assert bar.isVisible()
    assert child(opened, QLabel, "conflictNote").text()
    assert action(opened, "keepMineAction").isEnabled()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton)
    wanted = "Mine" if keep_mine else "Theirs"
    qtbot.waitUntil(lambda: names(opened) == [wanted], timeout=10_000)
    qtbot.waitUntil(lambda: row_of(opened, wanted)[4] == "Open", timeout=10_000)
    assert len(fake.tasks_named(wanted)) == 1


def test_on_the_free_plan_the_list_says_so_and_nothing_is_asked(
    qtbot: QtBot, make_window: Callable[[], MainWindow], fake: FakeToggl
) -> None:
    window = make_window()
    wait_for_projects(qtbot, window)
    select_by_data(child(window, QComboBox, "workspaceSelector"), fake.free_workspace_id)
    open_project(qtbot, window, fake, "Blog")
    qtbot.waitUntil(lambda: "paid" in view(window).accessibleDescription(), timeout=10_000)
    assert names(window) == []
    note = child(window, QLabel, "taskListNote")
    assert note.isVisible()
    assert note.text() == view(window).accessibleDescription()
    assert not child(window, QLineEdit, "taskFilterEdit").isEnabled()
    for name in ("markDoneAction", "reopenAction", "editTaskAction", "deleteTaskAction"):
        assert not action(window, name).isEnabled()
    qtbot.wait(300)
    assert task_requests(fake) == []


def test_f5_fetches_the_shown_projects_tasks_again(
    qtbot: QtBot, opened: MainWindow, fake: FakeToggl
) -> None:
    qtbot.wait(300)
    fake.reset_log()
    fake.add_task(fake.project_id(WEBSITE), "Added in Toggl")
    opened.refresh_action.trigger()
    qtbot.waitUntil(lambda: "Added in Toggl" in names(opened), timeout=10_000)
    assert [m for m, p in task_requests(fake)] == ["GET"]
