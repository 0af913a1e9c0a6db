"""`desktop.app.main` as the automation contract describes it: in-process, returns its exit code."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
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

ROOT = Path(__file__).resolve().parents[1]


def run_python(
    script: str, *args: str, timeout: float = 60, **env: str
) -> subprocess.CompletedProcess[str]:
    """`script` in a fresh interpreter from the project root, offscreen, with no token; it must
    exit 0 (its stderr is the assertion's message)."""
    environ = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **env}
    environ.pop(credentials.ENV_TOKEN, None)
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done


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


def test_python_m_desktop_starts_with_the_sign_in_dialog(tmp_path: Path) -> None:
    """The run command's path: a real process, offscreen, told to quit once it has painted."""
    script = (
        "import sys\n"
        "from PySide6.QtCore import QTimer\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication(sys.argv)\n"
        "def report():\n"
        "    names = sorted(w.objectName() for w in app.topLevelWidgets() if w.isVisible())\n"
        "    print('VISIBLE', ' '.join(names), flush=True)\n"
        "    app.quit()\n"
        "QTimer.singleShot(3000, report)\n"
        "from desktop.app import main\n"
        "sys.exit(main(['--api-url', 'http://127.0.0.1:9/api/v9', '--data-dir', sys.argv[1]]))\n"
    )
    done = run_python(script, str(tmp_path / "data"))
    assert "VISIBLE mainWindow signInDialog" in done.stdout


def test_pyside6_release_without_the_none_refcount_crash(tmp_path: Path) -> None:
    """PySide6 6.12.0 aborts CPython 3.11 ("none_dealloc") after thousands of void calls."""
    import PySide6

    assert tuple(int(p) for p in PySide6.__version__.split(".")[:2]) < (6, 12)
    script = (
        "from PySide6.QtCore import QObject, Signal\n"
        "from PySide6.QtWidgets import QApplication, QLabel\n"
        "app = QApplication([])\n"
        "class Emitter(QObject):\n"
        "    fired = Signal(object)\n"
        "label, emitter = QLabel(), Emitter()\n"
        "emitter.fired.connect(lambda value: None)\n"
        "for i in range(30000):\n"
        "    label.setText(str(i))\n"
        "    emitter.fired.emit(None)\n"
        "print('survived')\n"
    )
    assert "survived" in run_python(script, timeout=120).stdout


def test_the_window_modules_leave_network_keyring_and_log_rotation_for_later() -> None:
    """What the first paint waits for: none of these load with the app and its window."""
    later = (
        "httpx",
        "keyring",
        "logging.handlers",
        "desktop.api.client",
        "desktop.cli",
        "desktop.ui.sign_in_dialog",
    )
    script = (
        "import sys\n"
        "import desktop.app, desktop.ui.main_window\n"
        f"print(' '.join(name for name in {later!r} if name in sys.modules))\n"
    )
    assert run_python(script).stdout.split() == []


FIRST_PAINT_SCRIPT = """
import sys
from pathlib import Path
from PySide6 import QtCore
from desktop.api.models import Project, TaskDraft, User, Workspace
from desktop.app import main
from desktop.store.cache import Cache
from desktop.store.database import open_database
from desktop.store.outbox import Outbox
import desktop.ui.main_window as main_window

data_dir = Path(sys.argv[1])
data_dir.mkdir(mode=0o700)
db = open_database(data_dir)
cache = Cache(db)
cache.save_workspaces([Workspace(id=1, name="Studio", premium=True)])
cache.save_projects(1, [Project(id=2, name="Website", client_name="Acme")])
cache.save_users(1, [User(id=3, fullname="Sam")])
cache.remember(1, 2)
outbox = Outbox(db)
outbox.mark_failed(outbox.add(1, 2, TaskDraft(name="Refused"), "Website").id, "No.")
outbox.add(1, 2, TaskDraft(name="Queued"), "Website")
db.close()

painted = main_window.MainWindow._report_painted

def report(window):
    window.repaint()  # as the hook does, before it quits (and the quitting may read `Qt`)
    shown = window.picker.selector.currentText()
    print("SHOWN", shown, "|", window.outbox_panel.title())
    print("QT NAMESPACE READ", "Qt" in vars(QtCore))
    painted(window)

main_window.MainWindow._report_painted = report
sys.exit(main(["--data-dir", str(data_dir), "--api-url", "http://127.0.0.1:9/api/v9"]))
"""


def test_the_first_paint_never_builds_the_qt_namespace(tmp_path: Path) -> None:
    """Reading PySide6's `Qt` builds 93 enums (~40 ms): not on the way to the first paint."""
    done = run_python(
        FIRST_PAINT_SCRIPT, str(tmp_path / "data"), TASK_DESK_BENCH_EXIT_AFTER_PAINT="1"
    )
    assert "SHOWN Website · Acme | Outbox: 1 waiting, 1 failed" in done.stdout
    assert "QT NAMESPACE READ False" in done.stdout
