"""`desktop.app.main` as the automation contract describes it: in-process, returns its exit code."""

from __future__ import annotations

import sqlite3
import stat
from contextlib import closing
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot

from desktop import credentials
from desktop.app import main
from desktop.store.database import DATABASE_FILE
from tests.fake_toggl import FakeToggl
from tests.ui_helpers import child, select_by_data, sign_in_with_token, wait_for_top_level


def test_main_signs_in_remembers_and_returns_zero(
    qtbot: QtBot, fake: FakeToggl, data_dir: Path
) -> None:
    seen: dict[str, object] = {}

    def drive() -> None:
        window = wait_for_top_level(qtbot, "mainWindow")
        try:
            sign_in_with_token(qtbot, fake.token)
            projects = child(window, QComboBox, "projectSelector")
            qtbot.waitUntil(lambda: projects.count() > 0, timeout=10_000)
            select_by_data(projects, fake.project_id("Internal"))
            seen["workspaces"] = child(window, QComboBox, "workspaceSelector").count()
        finally:
            window.close()

    QTimer.singleShot(0, drive)
    assert main(["--api-url", fake.url, "--data-dir", str(data_dir)]) == 0
    assert seen["workspaces"] == 2
    with closing(sqlite3.connect(data_dir / DATABASE_FILE)) as db:
        remembered = dict(db.execute("SELECT key, value FROM meta").fetchall())
    assert remembered[f"last.project:{fake.premium_workspace_id}"] == str(
        fake.project_id("Internal")
    )


def test_files_are_user_only_and_hold_no_token(
    qtbot: QtBot, fake: FakeToggl, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = tmp_path / "fresh" / "data"
    monkeypatch.setenv(credentials.ENV_TOKEN, fake.token)

    def drive() -> None:
        window = wait_for_top_level(qtbot, "mainWindow")
        try:
            projects = child(window, QComboBox, "projectSelector")
            qtbot.waitUntil(lambda: projects.count() > 0, timeout=10_000)
        finally:
            window.close()

    QTimer.singleShot(0, drive)
    assert main(["--api-url", fake.url, "--data-dir", str(data_dir)]) == 0
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    for path in data_dir.rglob("*"):
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, path
        if path.is_file():
            assert fake.token.encode() not in path.read_bytes(), path


def test_plain_http_to_another_host_is_refused(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--api-url", "http://example.com/api/v9", "--data-dir", str(data_dir)]) == 2
    assert "unencrypted" in capsys.readouterr().err


def test_version_option(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert "Task Desk 0.1.0" in capsys.readouterr().out
