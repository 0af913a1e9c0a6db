"""The window's layout (issue #12 item 7) through real windows: usable at its minimum size, not
growing when the outbox appears, the form capped in width and steady when notes come and go,
its size and place remembered, and whole on a 1366 x 768 screen at 2x scale."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLineEdit,
    QPushButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from desktop.api.models import Task, TaskDraft
from desktop.store.outbox_row import OutboxRow, OutboxState
from desktop.ui.layout import DEFAULT_SIZE, MINIMUM_SIZE
from desktop.ui.main_window import MainWindow
from desktop.ui.result_list import Created
from desktop.ui.widgets import show_note
from desktop.ui.window_geometry import GEOMETRY_FILE
from tests.fake_toggl import FakeToggl
from tests.python_process import run_python
from tests.ui_helpers import child, fill_task, wait_for_top_level

MakeWindow = Callable[[], MainWindow]


def started(qtbot: QtBot, make_window: MakeWindow) -> MainWindow:
    """A window past its first paint: the outbox as stored (empty) is shown, the sign-in
    dialog (no token) asks, and rows set now stay set."""
    window = make_window()
    wait_for_top_level(qtbot, "signInDialog")
    return window


def settle() -> None:
    """Let posted layout requests run (nested layouts post one per level)."""
    for _ in range(4):
        QApplication.processEvents()


def outbox_rows(count: int) -> list[OutboxRow]:
    return [
        OutboxRow(
            id=n, workspace_id=1, project_id=2, draft=TaskDraft(name=f"Task {n}"),
            project_label="Website", state=OutboxState.FAILED if n == 1 else OutboxState.QUEUED,
            reason="Toggl refused it." if n == 1 else None, queued_at=0.0, attempts=0,
            last_attempt_at=None, remote_task_id=None,
        )
        for n in range(1, count + 1)
    ]  # fmt: skip


def laid_out(panel: QWidget) -> bool:
    return panel.isVisible() and panel.height() >= panel.minimumSizeHint().height()


def controls(window: MainWindow) -> list[QWidget]:
    kinds = (QAbstractButton, QLineEdit, QComboBox, QAbstractItemView)
    found = [w for kind in kinds for w in window.centralWidget().findChildren(kind)]
    inside_a_combo = [w for w in found if isinstance(w.parentWidget(), QComboBox)]
    return [w for w in found if w.isVisibleTo(window) and w not in inside_a_combo]


def wholly_shown(widget: QWidget) -> bool:
    """Not clipped by the window or a scroll area, nor squeezed under its minimum height."""
    least = widget.minimumHeight() or widget.minimumSizeHint().height()  # as layouts read it
    return widget.visibleRegion().boundingRect() == widget.rect() and widget.height() >= least


def reachable(window: MainWindow, widget: QWidget) -> bool:
    scroll = window.layout_parts.form_scroll
    if scroll.isAncestorOf(widget):  # scrolled to the top of the view, or as far as it goes
        scroll.verticalScrollBar().setValue(widget.mapTo(scroll.widget(), QPoint(0, 0)).y())
        settle()
    return wholly_shown(widget)


def test_at_the_minimum_size_every_control_is_reachable(
    qtbot: QtBot, make_window: MakeWindow
) -> None:
    window = started(qtbot, make_window)
    window.outbox_panel.set_rows(outbox_rows(3))
    assert laid_out(window.outbox_panel)  # at once, as it appears
    for n in range(3):  # the list of the tasks created this session shows too
        window.status_panel.created(Created(Task(id=n, name=f"Created {n}", project_name="Web")))
    width, height = MINIMUM_SIZE
    assert width <= 400
    assert height <= 480
    hint = window.minimumSizeHint()  # what the panes need: nothing squeezed at the minimum
    assert hint.width() <= width
    assert hint.height() <= height
    for size in (MINIMUM_SIZE, (400, 480)):
        window.resize(*size)
        window.layout_parts.form_scroll.verticalScrollBar().setValue(0)
        settle()
        assert (window.width(), window.height()) == size
        names = [w.objectName() for w in controls(window)]
        assert {"submitButton", "retryButton", "outboxView", "resultList"} <= set(names)
        assert not wholly_shown(window.flow.submit_button)  # the form scrolls to it...
        assert [w.objectName() for w in controls(window) if not reachable(window, w)] == []
        assert wholly_shown(window.connection_indicator)


def test_the_outbox_appearing_does_not_grow_the_window_nor_stop_it_shrinking(
    qtbot: QtBot, make_window: MakeWindow
) -> None:
    window = started(qtbot, make_window)
    window.resize(*MINIMUM_SIZE)
    settle()
    assert window.outbox_panel.isHidden()
    window.outbox_panel.set_rows(outbox_rows(5))
    assert laid_out(window.outbox_panel)  # at once, as it appears
    settle()
    assert (window.width(), window.height()) == MINIMUM_SIZE
    assert wholly_shown(window.outbox_panel.discard_button)
    window.resize(700, 700)
    window.outbox_panel.set_rows([])
    window.resize(*MINIMUM_SIZE)
    settle()
    assert (window.width(), window.height()) == MINIMUM_SIZE


def test_a_wide_window_keeps_the_fields_at_a_readable_width(
    qtbot: QtBot, make_window: MakeWindow
) -> None:
    window = make_window()
    window.resize(1270, 700)
    settle()
    for field in (window.form.name_edit, window.picker.selector, window.form.assignee_selector):
        assert 400 <= field.width() <= 640
        assert field.mapTo(window, QPoint(0, 0)).x() < 200  # at the left, under the menu


def test_notes_and_hints_coming_and_going_do_not_move_the_form(
    qtbot: QtBot, make_window: MakeWindow
) -> None:
    window = make_window()
    picker, form = window.picker, window.form
    fields = [
        picker.workspace_selector, picker.selector, form.name_edit, form.estimate_edit,
        form.active_check, form.assignee_selector, window.flow.submit_button,
    ]  # fmt: skip
    notes = [picker.workspace_note, picker.note, form.name_note, form.assignee_note]
    settle()

    def places() -> list[int]:
        return [field.mapTo(window, QPoint(0, 0)).y() for field in fields]

    before = places()
    form.estimate_edit.setText("abc")  # the hint becomes an error
    for note in notes:
        show_note(note, "Toggl says no.")
    settle()
    assert all(note.isVisible() for note in notes)
    assert places() == before
    for note in notes:
        show_note(note, None)
    form.estimate_edit.setText("")
    settle()
    assert places() == before


def test_the_size_and_place_are_remembered_in_the_data_folder(
    qtbot: QtBot, make_window: MakeWindow, data_dir: Path
) -> None:
    window = make_window()
    window.resize(500, 450)
    window.move(30, 40)
    settle()
    window.close()
    assert (data_dir / GEOMETRY_FILE).read_text() == "30 40 500 450 0\n"
    again = make_window()
    assert (again.pos().x(), again.pos().y(), again.width(), again.height()) == (30, 40, 500, 450)


def test_a_place_off_every_screen_is_brought_back(
    qtbot: QtBot, make_window: MakeWindow, data_dir: Path
) -> None:
    (data_dir / GEOMETRY_FILE).write_text("5000 -4000 500 450 0\n")
    window = make_window()
    screen = window.screen().availableGeometry()
    assert screen.contains(window.frameGeometry())
    assert (window.width(), window.height()) == (500, 450)


def test_a_corrupt_geometry_file_is_ignored(
    qtbot: QtBot, make_window: MakeWindow, data_dir: Path
) -> None:
    (data_dir / GEOMETRY_FILE).write_bytes(b"\x00\xff" * 500 + b"99999999 1 1 1 1")
    window = make_window()
    screen = window.screen().availableGeometry()
    expected = min(DEFAULT_SIZE[1], screen.height() - 32)
    assert (window.width(), window.height()) == (DEFAULT_SIZE[0], expected)
    assert screen.contains(window.frameGeometry())


def test_a_maximized_window_opens_maximized(
    qtbot: QtBot, make_window: MakeWindow, data_dir: Path
) -> None:
    (data_dir / GEOMETRY_FILE).write_text("30 40 500 450 1\n")
    window = make_window()
    qtbot.waitUntil(window.isMaximized)


AT_2X_SCRIPT = """
import json, sys
from pathlib import Path
from PySide6.QtCore import QPoint, QRect, QTimer
from PySide6.QtWidgets import QApplication
from desktop.api.models import Project, TaskDraft, Workspace
from desktop.store.cache import Cache
from desktop.store.database import open_database
from desktop.store.outbox import Outbox

data_dir = Path(sys.argv[1])
data_dir.mkdir(mode=0o700)
db = open_database(data_dir)
cache = Cache(db)
cache.save_workspaces([Workspace(id=1, name="Studio", premium=True)])
cache.save_projects(1, [Project(id=2, name="Website", client_name="Acme")])
cache.remember(1, 2)
outbox = Outbox(db)
outbox.mark_failed(outbox.add(1, 2, TaskDraft(name="Refused"), "Website").id, "No.")
outbox.add(1, 2, TaskDraft(name="Queued"), "Website")
db.close()
app = QApplication([])
from desktop.ui.main_window import MainWindow
from desktop.ui.result_list import Created
window = MainWindow("http://127.0.0.1:9/api/v9", data_dir)
window.start()
window.show()

def on_screen(widget):
    corner = widget.mapToGlobal(QPoint(0, 0))
    return [corner.x(), corner.y(), widget.width(), widget.height()]

def report():
    if not window.outbox_panel.isVisible():
        return
    timer.stop()
    app.processEvents()
    parts = [window.outbox_panel.retry_button, window.outbox_panel.discard_button,
             window.statusBar(), window.connection_indicator]
    screen = window.screen()
    print(json.dumps({
        "ratio": screen.devicePixelRatio(),
        "screen": on_screen_rect(screen.availableGeometry()),
        "window": on_screen_rect(window.frameGeometry()),
        "parts": [on_screen(part) for part in parts],
        "whole": [part.visibleRegion().boundingRect() == part.rect() for part in parts],
    }), flush=True)
    window.shutdown()
    app.quit()

def on_screen_rect(rect):
    return [rect.x(), rect.y(), rect.width(), rect.height()]

timer = QTimer()
timer.timeout.connect(report)
timer.start(20)
app.exec()
"""


def test_whole_on_a_1366_by_768_screen_at_2x_scale(tmp_path: Path) -> None:
    """Offscreen Qt given one 1366 x 768 screen (its platform's configfile), scaled 2x: 683 x
    384 logical pixels. The window, its outbox buttons and its status bar are all on it."""
    config = tmp_path / "screen.json"
    screen = {"name": "Laptop", "x": 0, "y": 0, "width": 1366, "height": 768}
    config.write_text(json.dumps({"screens": [{**screen, "logicalDpi": 96, "dpr": 1}]}))
    done = run_python(
        AT_2X_SCRIPT,
        str(tmp_path / "data"),
        QT_QPA_PLATFORM=f"offscreen:configfile={config}",
        QT_SCALE_FACTOR="2",
    )
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["ratio"] == 2
    available = QRect(*seen["screen"])
    assert available.size().toTuple() == (683, 384)
    assert available.contains(QRect(*seen["window"]))
    for part in seen["parts"]:
        assert available.contains(QRect(*part)), part
    assert seen["whole"] == [True] * 4


def test_on_a_short_screen_the_form_keeps_its_room_as_the_results_grow(
    qtbot: QtBot, window: MainWindow, fake: FakeToggl
) -> None:
    """A splitter left to itself re-shares the height by the panes' size hints whenever the
    result pane's text or list grows: on a 2x laptop (683 x 384 logical) the form scrolled
    behind a half-empty list. The form keeps what it asks for, down to what the panes below
    (the task list, the results) need, until the user drags a pane's edge."""
    window.resize(683, 384)
    settle()
    parts = window.layout_parts
    wanted = parts.form_scroll.sizeHint().height()

    def form_height() -> int:
        return parts.splitter.sizes()[0]

    def fitted() -> int:
        below = window.status_panel.minimumSizeHint().height()
        below += window.tasks.minimumSizeHint().height()
        return min(wanted, sum(parts.splitter.sizes()) - below)

    def create(name: str) -> None:
        fill_task(window, fake, name, "20")
        child(window, QPushButton, "submitButton").click()
        qtbot.waitUntil(lambda: not child(window, QLineEdit, "taskNameEdit").text())
        settle()

    for n in range(3):
        create(f"Task number {n} with a longer name")
        qtbot.waitUntil(lambda: form_height() == fitted())
    parts.splitter.moveSplitter(form_height() // 2, 1)  # the user gives the results more room
    dragged = form_height()
    create("After the drag")
    assert form_height() == dragged
