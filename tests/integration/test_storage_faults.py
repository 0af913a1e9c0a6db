"""Disks that refuse: a full one and a read-only one, on real tmpfs mounts (root, as in CI)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLineEdit, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from desktop import credentials
from desktop.app import main
from desktop.ui.main_window import MainWindow
from tests.fake_toggl import FakeToggl
from tests.ui_helpers import (
    child,
    fill_task,
    status_text,
    wait_for_projects,
    wait_for_top_level,
)


def mount_tmpfs(mount_point: Path, options: str) -> Iterator[Path]:
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(mount_point)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({mounted.stderr.strip()})")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 2 MB tmpfs the test can fill."""
    yield from mount_tmpfs(tmp_path / "small-disk", "size=2m,mode=0700")


@pytest.fixture
def read_only_disk(tmp_path: Path) -> Iterator[Path]:
    yield from mount_tmpfs(tmp_path / "read-only-disk", "ro,size=1m")


def fill_up(directory: Path) -> Path:
    filler = directory / "filler"
    fd = os.open(filler, os.O_CREAT | os.O_WRONLY, 0o600)
    try:
        while os.write(fd, b"\0" * 4096):
            pass
    except OSError:  # ENOSPC: full
        pass
    finally:
        os.close(fd)
    return filler


def test_full_disk_refuses_clearly_and_keeps_the_form(
    qtbot: QtBot,
    small_disk: Path,
    fake: FakeToggl,
    monkeypatch: pytest.MonkeyPatch,
    make_window_at: Callable[[Path], MainWindow],
) -> None:
    monkeypatch.setenv(credentials.ENV_TOKEN, fake.token)
    data_dir = small_disk / "data"
    data_dir.mkdir(mode=0o700)
    window = make_window_at(data_dir)
    wait_for_projects(qtbot, window)
    fake.go_down()
    fill_task(window, fake, "Queued before the disk filled")
    qtbot.mouseClick(child(window, QPushButton, "submitButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Saved “Queued before the disk filled”" in status_text(window))
    filler = fill_up(small_disk)
    fill_task(window, fake, "No room for this one " + "x" * 200)
    qtbot.mouseClick(child(window, QPushButton, "submitButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "could not be saved" in status_text(window), timeout=10_000)
    assert "full" in status_text(window)
    assert child(window, QLineEdit, "taskNameEdit").text().startswith("No room for this one")
    os.remove(filler)
    fake.come_back()
    qtbot.mouseClick(child(window, QPushButton, "submitButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(fake.tasks_named("Queued before the disk filled")) == 1,
                    timeout=30_000)  # fmt: skip
    qtbot.waitUntil(lambda: fake.tasks_named("No room for this one " + "x" * 200) != [],
                    timeout=30_000)  # fmt: skip


def test_read_only_data_folder_is_said_plainly(
    qtbot: QtBot, read_only_disk: Path, fake: FakeToggl, capsys: pytest.CaptureFixture[str]
) -> None:
    said: list[str] = []

    def answer() -> None:
        box = wait_for_top_level(qtbot, "dataFolderMessage")
        assert isinstance(box, QMessageBox)
        said.append(box.text())
        box.accept()

    QTimer.singleShot(0, answer)
    data_dir = read_only_disk / "data"
    assert main(["--api-url", fake.url, "--data-dir", str(data_dir)]) == 1
    assert "cannot use its data folder" in said[0]
    assert "Read-only file system" in said[0]
    assert "cannot use its data folder" in capsys.readouterr().err
    assert fake.requests == []
