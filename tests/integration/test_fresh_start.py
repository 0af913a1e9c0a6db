"""Issue #12, item 9: started with TOGGL_API_TOKEN on a fresh data folder, the window must load
the workspaces and projects by itself, promptly, without the user pressing F5."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QComboBox, QLabel
from pytestqt.qtbot import QtBot

from desktop import credentials
from desktop.app import main
from tests.fake_toggl import FakeToggl
from tests.ui_helpers import child, wait_for_top_level


def test_an_environment_token_on_a_fresh_data_folder_loads_the_lists_without_f5(
    qtbot: QtBot, fake: FakeToggl, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake.add_projects(fake.premium_workspace_id, 1_000)  # several pages, as a real account
    fake.delay = 0.02
    monkeypatch.setenv(credentials.ENV_TOKEN, fake.token)
    data_dir = tmp_path / "never-used" / "data"  # not even its parent exists
    seen: dict[str, object] = {}

    def drive() -> None:
        window = wait_for_top_level(qtbot, "mainWindow")
        try:
            projects = child(window, QComboBox, "projectSelector")
            qtbot.waitUntil(lambda: projects.count() > 1_000, timeout=10_000)
            indicator = child(window, QLabel, "connectionIndicator")
            qtbot.waitUntil(lambda: indicator.text() == "Online", timeout=10_000)
            seen["projects"] = projects.count()
            seen["first"] = [projects.itemText(row) for row in range(5)]
        finally:
            window.close()

    QTimer.singleShot(0, drive)
    assert main(["--api-url", fake.url, "--data-dir", str(data_dir)]) == 0
    active = [p for p in fake.projects[fake.premium_workspace_id] if p["active"]]
    assert seen["projects"] == len(active)
    assert seen["first"] == [  # natural order: numbers as numbers
        "Internal",
        "Mobile App · Acme Corp",
        "Project 1",
        "Project 2",
        "Project 3",
    ]
    paths = [request.path for request in fake.requests]
    assert any(path.endswith("/me/workspaces") for path in paths)
    assert any(path.endswith(f"/workspaces/{fake.premium_workspace_id}/projects") for path in paths)
    assert not any(path.endswith("/me") for path in paths)  # no sign-in: the token is trusted


def test_the_indicator_says_online_once_toggl_answers_not_after_every_page(
    qtbot: QtBot, fake: FakeToggl, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reported "Connecting… for about 50 s": 5,000 projects from a slow server are 26
    pages; the workspaces' answer already says Toggl is reachable."""
    fake.add_projects(fake.premium_workspace_id, 400)  # three pages
    fake.delay_next(1.5, count=3, path_contains="/projects")
    monkeypatch.setenv(credentials.ENV_TOKEN, fake.token)
    seen: dict[str, object] = {}

    def drive() -> None:
        window = wait_for_top_level(qtbot, "mainWindow")
        try:
            projects = child(window, QComboBox, "projectSelector")
            indicator = child(window, QLabel, "connectionIndicator")
            qtbot.waitUntil(lambda: indicator.text() == "Online", timeout=10_000)
            seen["projects when online"] = projects.count()
            qtbot.waitUntil(lambda: projects.count() > 400, timeout=10_000)
        finally:
            window.close()

    QTimer.singleShot(0, drive)
    assert main(["--api-url", fake.url, "--data-dir", str(tmp_path / "fresh")]) == 0
    assert seen["projects when online"] == 0  # online while the pages were still on their way
