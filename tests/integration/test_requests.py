"""The Free plan allows 30 requests an hour: count what a sign-in and a task really cost."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QPushButton
from pytestqt.qtbot import QtBot

from desktop import credentials
from desktop.ui.main_window import MainWindow
from tests.fake_toggl import FakeToggl
from tests.ui_helpers import (
    child,
    fill_task,
    select_by_data,
    sign_in_with_token,
    status_text,
    wait_for_projects,
)


def create_one(qtbot: QtBot, window: MainWindow, fake: FakeToggl, name: str) -> None:
    fill_task(window, fake, name)
    qtbot.mouseClick(child(window, QPushButton, "submitButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: f"Created “{name}”" in status_text(window), timeout=10_000)
    qtbot.wait(300)  # a stray request after the task would show up meanwhile


def test_cold_sign_in_and_one_task_cost_six_requests(
    qtbot: QtBot, make_window: Callable[[], MainWindow], fake: FakeToggl
) -> None:
    fake.add_projects(fake.premium_workspace_id, 147)  # 150 active projects in all
    window = make_window()
    sign_in_with_token(qtbot, fake.token)
    projects = wait_for_projects(qtbot, window)
    assert projects.count() == 150
    create_one(qtbot, window, fake, "Cold start task")
    calls = [(r.method, r.path.removeprefix("/api/v9")) for r in fake.requests]
    assert calls == [
        ("GET", "/me"),
        ("GET", "/me/workspaces"),
        ("GET", f"/workspaces/{fake.premium_workspace_id}/projects"),
        ("GET", f"/workspaces/{fake.premium_workspace_id}/users"),
        ("GET", f"/workspaces/{fake.premium_workspace_id}/tasks"),  # the project's, first opened
        ("POST", f"/workspaces/{fake.premium_workspace_id}/projects/"
                 f"{fake.project_id('Website Redesign')}/tasks"),
    ]  # fmt: skip


def test_warm_start_and_one_task_cost_one_request(
    qtbot: QtBot,
    make_window: Callable[[], MainWindow],
    fake: FakeToggl,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(credentials.ENV_TOKEN, fake.token)
    first = make_window()
    select_by_data(wait_for_projects(qtbot, first), fake.project_id("Website Redesign"))
    tasks = child(first, QAbstractItemView, "taskList").model()
    qtbot.waitUntil(lambda: tasks.rowCount() == 1)  # its tasks fetched: fresh for 30 min
    first.close()
    fake.reset_log()
    second = make_window()
    wait_for_projects(qtbot, second)
    create_one(qtbot, second, fake, "Warm start task")
    assert [r.method for r in fake.requests] == ["POST"]
