"""Issue 13's figures, in bench.inproc's window once 10,000 projects are cached: a project of
5,000 tasks opened for the first time (the UI heartbeat while its 25 pages load and the list
fills), a keystroke into the task filter over it, and the heartbeat while 200 of its tasks are
marked done and the changes reach Toggl. Run by bench.inproc before the drain figure: changes
go after new tasks, so they would wait behind its 500 queued tasks."""

from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelection, QItemSelectionModel
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit

from bench.inproc import Heartbeat, beat_summary, keystroke_latencies, pause, wait_until
from tests.ui_helpers import child

if TYPE_CHECKING:
    from bench.inproc import Window

TASKS = 5_000
OPEN_TASKS = TASKS - TASKS // 3
"""The fake marks every third task done (tests/fake_toggl/state.py `add_tasks`)."""
CHANGES = 200
KEYS: list[str] = [*"Task 12", *["\b"] * 7, *"Task 4999", *["\b"] * 9]
USER_ROLE = 256
CHANGED_IDS = re.compile(r"/tasks/([0-9,]+)$")


def open_project(window: Window) -> dict[str, Any]:
    """A new project of 5,000 tasks, listed once F5 has brought it, then chosen in the picker:
    the heartbeat from the choice until the list holds every open task, and 0.3 s after."""
    fake = window.fake
    fake.call("add_projects", fake.premium_workspace_id, 1, prefix="Backlog")
    project_id = fake.project_id("Backlog 1")
    fake.call("add_tasks", project_id, TASKS)
    pause(1.2)  # the engine's pace: F5's requests go at once
    window.main.refresh_action.trigger()
    wait_until(lambda: window.projects.findData(project_id) >= 0, 60.0)
    view = child(window.main, QAbstractItemView, "taskList")
    pause(1.2)
    listed_before = window.fake.count("GET", "/tasks")
    beat = Heartbeat()
    started = time.perf_counter()
    beat.start()
    window.projects.setCurrentIndex(window.projects.findData(project_id))
    wait_until(lambda: view.model().rowCount() >= OPEN_TASKS, 60.0)
    loaded = time.perf_counter() - started
    pause(0.3)
    pages = window.fake.count("GET", "/tasks") - listed_before
    return {
        "project_id": project_id,
        "loaded_s": loaded,
        "pages": pages,
        "heartbeat": beat_summary(
            beat.stop(),
            time.perf_counter() - started,
            f"a project of {TASKS:,} tasks chosen for the first time: {pages} pages listed, "
            f"{OPEN_TASKS:,} open tasks shown in {loaded:.1f} s",
        ),
    }


def filter_latencies(window: Window) -> dict[str, Any]:
    """One key into taskFilterEdit, processed with the list's update, over the 5,000 tasks."""
    edit = child(window.main, QLineEdit, "taskFilterEdit")
    latencies, _ = keystroke_latencies(edit, KEYS, 0.05)
    return {"latency_ms": latencies, "keys": len(KEYS)}


def _changed_ids(window: Window) -> set[int]:
    ids: set[int] = set()
    for method, path in window.fake.requests():
        if method in ("PATCH", "PUT"):
            found = CHANGED_IDS.search(path)
            if found:
                ids.update(int(i) for i in found.group(1).split(","))
    return ids


def mark_done(window: Window) -> dict[str, Any]:
    """The first 200 open tasks selected and marked done: the heartbeat from the action until
    Toggl has every change, and 1 s after (the list re-read after each step)."""
    view = child(window.main, QAbstractItemView, "taskList")
    model = view.model()
    wanted = {int(model.index(row, 0).data(USER_ROLE)) for row in range(CHANGES)}
    selection = QItemSelection(model.index(0, 0), model.index(CHANGES - 1, 0))
    view.selectionModel().select(
        selection,
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    QApplication.processEvents()
    sent_before = window.fake.count("PATCH") + window.fake.count("PUT")
    beat = Heartbeat()
    started = time.perf_counter()
    beat.start()
    child(window.main, QAction, "markDoneAction").trigger()
    # Polled every 100 ms: each look fetches the fake's whole request log through a pipe, on
    # the UI thread, and every 1 ms that would be what the heartbeat measures.
    wait_until(lambda: wanted <= _changed_ids(window), 60.0, poll_ms=100)
    drained = time.perf_counter() - started
    pause(1.0)
    requests = window.fake.count("PATCH") + window.fake.count("PUT") - sent_before
    return {
        "drained_s": drained,
        "requests": requests,
        "heartbeat": beat_summary(
            beat.stop(),
            time.perf_counter() - started,
            f"{CHANGES} tasks marked done at once: at Toggl in {drained:.1f} s, "
            f"{requests} request{'s' if requests != 1 else ''}",
        ),
    }
