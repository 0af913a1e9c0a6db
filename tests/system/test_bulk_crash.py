"""100 tasks queued from the bulk dialog of a real app process while Toggl is down, the process
killed with SIGKILL while it sends them once Toggl is back, then started again: every task
lands exactly once (issue #14)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from contextlib import closing
from pathlib import Path

from desktop import credentials
from desktop.store.database import open_database
from desktop.store.outbox import Outbox
from tests.fake_toggl import FakeToggl

ROOT = Path(__file__).resolve().parents[2]
TASKS = 100

DRIVER = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QComboBox, QPlainTextEdit, QPushButton
from desktop.app import main
from desktop.sync.engine import SyncEngine

SyncEngine.__init__.__kwdefaults__["send_interval"] = 0.05  # 100 tasks in seconds, not 100 s
api_url, data_dir, lines = sys.argv[1], sys.argv[2], int(sys.argv[3])

def find(kind, name):
    for top in QApplication.topLevelWidgets():
        if top.objectName() == name:
            return top
        found = top.findChild(kind, name)
        if found is not None:
            return found
    return None

def when(condition, then):
    timer = QTimer()
    def check():
        if condition():
            timer.stop()
            then()
    timer.timeout.connect(check)
    timer.start(20)
    when.timers.append(timer)
when.timers = []

def paste():
    print("lists", flush=True)
    sys.stdin.readline()  # the test took Toggl down
    find(QAction, "bulkAddAction").trigger()
    text = "\\n".join(f"bulk crash {n:03d} 15m @web" for n in range(lines))
    find(QPlainTextEdit, "bulkAddEdit").setPlainText(text)
    button = find(QPushButton, "bulkAddButton")
    def create():
        button.click()
        when(lambda: not find(QPushButton, "bulkAddButton").isVisible(), queued)
    when(button.isEnabled, create)

def queued():
    print("queued", flush=True)

def assignees():
    combo = find(QComboBox, "assigneeSelector")
    return combo is not None and combo.count() > 1

if lines:
    QTimer.singleShot(0, lambda: when(assignees, paste))
sys.exit(main(["--api-url", api_url, "--data-dir", data_dir]))
"""


def start(fake: FakeToggl, data_dir: Path, lines: int, log: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", credentials.ENV_TOKEN: fake.token}
    with log.open("ab") as errors:  # the child has its own copy of the descriptor
        return subprocess.Popen(
            [sys.executable, "-c", DRIVER, fake.url, str(data_dir), str(lines)],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        )


def stop(app: subprocess.Popen[str], sig: int) -> None:
    app.send_signal(sig)
    app.communicate(timeout=20)  # and the pipes closed


def delivered(fake: FakeToggl) -> Counter[str]:
    with fake.lock:
        return Counter(t["name"] for t in fake.tasks if t["name"].startswith("bulk crash "))


def said(app: subprocess.Popen[str], line: str, log: Path) -> None:
    assert app.stdout is not None
    got = app.stdout.readline().strip()
    assert got == line, log.read_text()[-3000:]


def test_bulk_lines_queued_offline_arrive_once_across_a_sigkill(
    fake: FakeToggl, data_dir: Path, tmp_path: Path
) -> None:
    log = tmp_path / "app.log"
    app = start(fake, data_dir, TASKS, log)
    try:
        said(app, "lists", log)
        fake.go_down()
        assert app.stdin is not None
        app.stdin.write("go\n")
        app.stdin.flush()
        said(app, "queued", log)
        with closing(open_database(data_dir)) as db:
            assert len(Outbox(db).waiting()) == TASKS  # all of them, in one transaction
        fake.delay = 0.05  # a request in flight is a likelier place for the kill to land
        fake.come_back()
        deadline = time.monotonic() + 60
        while len(delivered(fake)) < 20 and time.monotonic() < deadline:
            assert app.poll() is None, log.read_text()[-3000:]
            time.sleep(0.02)
        assert len(delivered(fake)) < TASKS  # killed in the middle of sending them
    finally:
        stop(app, signal.SIGKILL)
    again = start(fake, data_dir, 0, log)
    try:
        deadline = time.monotonic() + 90
        while len(delivered(fake)) < TASKS and time.monotonic() < deadline:
            assert again.poll() is None, log.read_text()[-3000:]
            time.sleep(0.1)
        time.sleep(1.0)  # room for a duplicate to show up, were one coming
    finally:
        stop(again, signal.SIGTERM)
    counts = delivered(fake)
    assert sorted(counts) == [f"bulk crash {n:03d}" for n in range(TASKS)]
    assert set(counts.values()) == {1}, counts
    with closing(open_database(data_dir)) as db:
        assert Outbox(db).waiting() == []
