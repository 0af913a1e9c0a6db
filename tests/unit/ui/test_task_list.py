"""The task list's parts on their own, fed lines directly (no session, no window): the order,
the filter and "Show done", the Toggl ids in UserRole, updates in place, the tracked bar, the
duplicate look-up, and the edit dialog changing only what was touched."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QApplication, QMessageBox, QStyleOptionViewItem, QWidget
from pytestqt.qtbot import QtBot

from desktop.api.models import TaskChanges, User
from desktop.task_lines import TaskLine, TaskLines
from desktop.ui.task_bar import TrackedBarDelegate, bar_rects
from desktop.ui.task_edit import TaskEditDialog, ask_delete
from desktop.ui.task_model import FRACTION_ROLE, TRACKED, TaskTableModel
from desktop.ui.task_rows import arrange, described, status_text, tracked_text
from desktop.ui.task_view import TaskView


def line(
    task_id: int | None,
    name: str,
    active: bool = True,
    *,
    estimate: int | None = None,
    tracked_ms: int | None = None,
    user: tuple[int, str] | None = None,
    state: str = "sent",
    note: str | None = None,
    outbox_id: int | None = None,
) -> TaskLine:
    user_id, user_name = user if user else (None, None)
    return TaskLine(
        task_id, name, active, estimate, tracked_ms, user_id, user_name,
        state, note, outbox_id,  # type: ignore[arg-type]
    )  # fmt: skip


def rows(*lines: TaskLine, unavailable: str | None = None) -> TaskLines:
    return TaskLines(1, 10, list(lines), 1000.0, unavailable)


def names(model: TaskTableModel) -> list[str]:
    return [model.index(r, 0).data() for r in range(model.rowCount())]


@pytest.fixture
def model(qtbot: QtBot) -> TaskTableModel:
    return TaskTableModel()


SOME = [
    line(1, "Task 10"),
    line(2, "task 2"),
    line(3, "Done one", False),
    line(4, "Alpha"),
    line(None, "Queued", state="pending", outbox_id=7),
    line(5, "Task 1", False),
]


def test_open_tasks_first_then_natural_order_and_done_only_when_asked(
    model: TaskTableModel,
) -> None:
    model.set_rows(arrange(rows(*SOME)))
    assert names(model) == ["Alpha", "Queued", "task 2", "Task 10"]
    model.set_show_done(True)
    assert names(model) == ["Alpha", "Queued", "task 2", "Task 10", "Done one", "Task 1"]


def test_column_0_holds_the_name_and_the_toggl_id_or_none(model: TaskTableModel) -> None:
    model.set_rows(arrange(rows(*SOME)))
    ids = [model.index(r, 0).data(Qt.ItemDataRole.UserRole) for r in range(model.rowCount())]
    assert ids == [4, None, 2, 1]
    assert all(isinstance(i, int) for i in ids if i is not None)
    assert model.columnCount() == 5
    view = TaskView()
    view.setModel(model)
    view.after_paint()  # the titles come with the list, after the window's first paint
    titles = view.horizontalHeader().model()
    assert [titles.headerData(c, Qt.Orientation.Horizontal) for c in range(5)] == [
        "Name", "Estimate", "Tracked", "Assignee", "Status",
    ]  # fmt: skip


def test_the_filter_matches_names_in_any_case(model: TaskTableModel) -> None:
    model.set_rows(arrange(rows(*SOME)))
    model.set_filter("TASK")
    assert names(model) == ["task 2", "Task 10"]
    model.set_show_done(True)
    assert names(model) == ["task 2", "Task 10", "Task 1"]
    model.set_filter("  ")
    assert len(names(model)) == 6


def test_the_filter_takes_runs_of_spaces_as_one_as_the_duplicate_check_does(
    model: TaskTableModel,
) -> None:
    model.set_rows(arrange(rows(line(1, "Fix  the   header"), line(2, "Fix the footer"))))
    model.set_filter("fix the   HEADER")
    assert names(model) == ["Fix  the   header"]
    model.add_lines([line(None, "Fix   the header twice", state="pending", outbox_id=3)])
    assert sorted(names(model)) == ["Fix   the header twice", "Fix  the   header"]


def test_one_changed_task_is_updated_in_place_not_reset(model: TaskTableModel) -> None:
    many = [line(i, f"Task {i}") for i in range(1, 501)]
    model.set_rows(arrange(rows(*many)))
    resets, changed, removed, inserted = [], [], [], []
    model.modelReset.connect(lambda: resets.append(1))
    model.dataChanged.connect(lambda top, _bottom: changed.append(top.row()))
    model.rowsRemoved.connect(lambda _p, first, last: removed.append((first, last)))
    model.rowsInserted.connect(lambda _p, first, last: inserted.append((first, last)))
    edited = list(many)
    edited[41] = line(42, "Task 42", estimate=3600, state="pending")
    model.set_rows(arrange(rows(*edited)))
    assert (resets, changed, removed, inserted) == ([], [41], [], [])
    edited[41] = line(42, "Task 42", False, state="pending")  # marked done: it leaves the list
    model.set_rows(arrange(rows(*edited)))
    assert (resets, removed, inserted) == ([], [(41, 41)], [])
    model.set_rows(arrange(rows(*edited, line(None, "Task 42b", outbox_id=3))))
    assert (resets, inserted) == ([], [(41, 41)])  # after Task 41 (Task 42 is done, hidden)
    assert model.index(41, 0).data() == "Task 42b"


def test_a_task_queued_in_the_window_shows_at_once_then_takes_its_toggl_id(
    model: TaskTableModel,
) -> None:
    model.set_rows(arrange(rows(line(1, "B"), line(2, "D"))))
    model.add_lines([line(None, "C", state="pending", outbox_id=9)])
    assert names(model) == ["B", "C", "D"]
    assert model.index(1, 0).data(Qt.ItemDataRole.UserRole) is None
    model.add_lines([line(None, "C2", state="pending", outbox_id=9)])  # edited, queued again
    assert names(model) == ["B", "C2", "D"]
    model.replace_line(9, line(77, "C"))
    assert model.index(1, 0).data(Qt.ItemDataRole.UserRole) == 77


def test_a_created_task_takes_its_place_by_toggls_name_or_joins_a_list_without_it(
    model: TaskTableModel,
) -> None:
    queued = line(None, "Beta", state="pending", outbox_id=5)
    model.set_rows(arrange(rows(line(1, "Alpha"), queued, line(2, "Delta"))))
    model.replace_line(5, line(70, "Zeta"))  # Toggl gave it another name: it moves
    assert names(model) == ["Alpha", "Delta", "Zeta"]
    model.replace_line(8, line(71, "Charlie"))  # queued before the list was read: added
    assert names(model) == ["Alpha", "Charlie", "Delta", "Zeta"]
    model.replace_line(8, line(71, "Charlie"))  # told twice: still one line
    assert names(model) == ["Alpha", "Charlie", "Delta", "Zeta"]
    assert model.index(1, 0).data(Qt.ItemDataRole.UserRole) == 71


def test_the_free_plan_shows_no_rows(model: TaskTableModel) -> None:
    model.set_rows(arrange(rows(*SOME, unavailable="Tasks need a paid plan.")))
    assert model.rowCount() == 0


def test_a_filter_keystroke_over_5000_tasks_is_well_under_a_frame(qtbot: QtBot) -> None:
    model = TaskTableModel()
    view = TaskView()  # the window's own, with the tracked bar
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(700, 500)
    view.show()
    many = [line(i, f"Task {i} for client {i % 37}", i % 3 != 0) for i in range(5000)]
    model.set_rows(arrange(rows(*many)))
    times = []
    for text in ["t", "ta", "tas", "task", "task 1", "task 12", "task 1", "", "client 3", "x"]:
        started = time.perf_counter()
        model.set_filter(text)
        QApplication.processEvents()  # the view's layout and its paint, as after a key

        times.append(time.perf_counter() - started)
    assert sorted(times)[len(times) // 2] < 0.008  # typically 4-5 ms, most of it the paint
    assert max(times) < 0.016


def test_tracked_time_is_milliseconds_against_the_estimate() -> None:
    half = line(1, "A", estimate=3600, tracked_ms=1_800_000)
    assert tracked_text(half) == "30 min (50 %)"
    assert tracked_text(line(2, "B", tracked_ms=90_000)) == "2 min"  # to the minute
    assert tracked_text(line(2, "B", tracked_ms=9_000)) == "under 1 min"
    assert tracked_text(line(3, "C", estimate=60)) == ""
    assert tracked_text(line(3, "C")) == ""
    assert status_text(line(4, "D", False, state="parked")) == "Done, refused by Toggl"
    said = described(line(5, "E", state="conflict", note="Renamed in Toggl too."))
    assert said == "E, open, conflict, unassigned, Renamed in Toggl too."


def test_the_bar_fills_its_share_and_stops_at_the_end(qtbot: QtBot) -> None:
    cell = QRect(0, 0, 108, 20)
    track, filled = bar_rects(cell, 0.5)
    assert track.width() == 100
    assert filled.width() == 50
    assert bar_rects(cell, 3.0)[1].width() == 100
    model = TaskTableModel()
    model.set_rows(arrange(rows(line(1, "A", estimate=100, tracked_ms=250_000))))
    index = model.index(0, TRACKED)
    assert index.data(FRACTION_ROLE) == 2.5
    image = QImage(120, 20, QImage.Format.Format_ARGB32)
    image.fill(0)
    option = QStyleOptionViewItem()
    option.rect = QRect(0, 0, 108, 20)  # type: ignore[attr-defined]
    painter = QPainter(image)
    TrackedBarDelegate().paint(painter, option, index)
    painter.end()
    assert image.pixel(50, 16) != 0  # the bar is drawn along the bottom


def test_a_duplicate_is_an_open_task_of_the_project_named_alike(model: TaskTableModel) -> None:
    model.set_rows(arrange(rows(*SOME)))
    assert model.has_duplicate(1, 10, "  ALPHA ", None) == "Alpha"
    assert model.has_duplicate(1, 10, "queued", None) == "Queued"
    assert model.has_duplicate(1, 10, "queued", 7) is None  # the row being edited itself
    assert model.has_duplicate(1, 10, "Done one", None) is None
    assert model.has_duplicate(1, 11, "Alpha", None) is None
    assert model.has_duplicate(1, 10, "Task  10", None) == "Task 10"


def test_editing_one_task_changes_only_what_was_touched(qtbot: QtBot) -> None:
    users = [User(5, "Sam"), User(6, "Kim")]
    one = line(1, "Write", estimate=3600, user=(5, "Sam"))
    dialog = TaskEditDialog([one], users, None)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    assert dialog.objectName() == "taskEditDialog"
    assert dialog.assignee_selector.currentData() == 5
    assert dialog.changes() == TaskChanges()
    dialog.name_edit.setText("Write more")
    assert dialog.changes() == TaskChanges(name="Write more")
    dialog.assignee_selector.setCurrentIndex(dialog.assignee_selector.findData(None))
    assert dialog.changes() == TaskChanges(name="Write more", clear_assignee=True)
    dialog.estimate_edit.setText("")
    assert dialog.changes() == TaskChanges(
        name="Write more", estimated_seconds=0, clear_assignee=True
    )
    dialog.estimate_edit.setText("soon")
    assert dialog.changes() is None
    assert dialog.estimate_note.isVisibleTo(dialog)


def test_editing_several_tasks_leaves_their_names_and_what_was_not_touched(
    qtbot: QtBot,
) -> None:
    lines = [line(1, "A", user=(5, "Sam")), line(2, "B", estimate=60, user=(6, "Kim"))]
    dialog = TaskEditDialog(lines, [User(5, "Sam"), User(6, "Kim")], None)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    saved: list[TaskChanges] = []
    dialog.saved.connect(saved.append)
    assert not dialog.name_edit.isEnabled()
    assert dialog.estimate_edit.text() == ""
    dialog.estimate_edit.setText("2h")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert saved == [TaskChanges(estimated_seconds=7200)]


def test_editing_several_tasks_can_give_them_one_assignee(qtbot: QtBot) -> None:
    lines = [line(1, "A", user=(5, "Sam")), line(2, "B")]
    dialog = TaskEditDialog(lines, [User(5, "Sam"), User(6, "Kim")], None)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    selector = dialog.assignee_selector
    selector.setCurrentIndex(selector.findData(6))
    assert dialog.changes() == TaskChanges(user_id=6)
    selector.setCurrentIndex(selector.findData(None))
    assert dialog.changes() == TaskChanges(clear_assignee=True)


def test_deleting_a_task_only_queued_is_not_said_to_be_from_toggl(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    queued = line(None, "Not sent yet", state="pending", outbox_id=4)
    for lines, said in (
        ([queued], "Delete “Not sent yet” before it is sent?"),
        ([queued, queued], "Delete 2 tasks before they are sent?"),
        ([queued, line(5, "In Toggl")], "Delete 2 tasks from Toggl?"),
    ):
        ask_delete(lines, parent, lambda: None)
        box = parent.findChild(QMessageBox, "deleteConfirmation")
        assert box is not None
        assert box.text().replace("\u2068", "").replace("\u2069", "").startswith(said)
        box.reject()
        box.setObjectName("answered")
