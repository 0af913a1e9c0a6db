"""The app in a fresh process: `python -m desktop` paints its window, the PySide6 release is one
without the refcount crash, and the first paint loads nothing it does not need."""

from __future__ import annotations

from pathlib import Path

from tests.python_process import run_python


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

def show_event(window, event):
    print("AT SHOW", window.picker.selector.currentText())
    super(main_window.MainWindow, window).showEvent(event)

main_window.MainWindow.showEvent = show_event
sys.exit(main(["--data-dir", str(data_dir), "--api-url", "http://127.0.0.1:9/api/v9"]))
"""


def test_the_first_paint_never_builds_the_qt_namespace(tmp_path: Path) -> None:
    """Reading PySide6's `Qt` builds 93 enums (~40 ms): not on the way to the first paint."""
    done = run_python(
        FIRST_PAINT_SCRIPT, str(tmp_path / "data"), TASK_DESK_BENCH_EXIT_AFTER_PAINT="1"
    )
    assert "SHOWN Website · Acme | Outbox: 1 waiting, 1 failed" in done.stdout
    assert "QT NAMESPACE READ False" in done.stdout


def test_the_cached_lists_are_in_before_the_window_shows(tmp_path: Path) -> None:
    """The worker reads them while the window is built: the first paint is the filled form,
    not an empty one painted first."""
    done = run_python(
        FIRST_PAINT_SCRIPT, str(tmp_path / "data"), TASK_DESK_BENCH_EXIT_AFTER_PAINT="1"
    )
    assert "AT SHOW Website · Acme" in done.stdout


def test_the_session_and_store_load_before_pyside6(tmp_path: Path) -> None:
    """PySide6's import hook reads the source of each module named after it (see
    desktop.ui.startup): the window's Qt-free modules are imported first."""
    script = (
        "import sys\n"
        "class Watch:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'shiboken6':\n"
        "            mods = ('desktop.session', 'desktop.messages')\n"
        "            loaded = [m for m in mods if m in sys.modules]\n"
        "            print('BEFORE QT', *loaded, flush=True)\n"
        "            sys.meta_path.remove(self)\n"
        "sys.meta_path.insert(0, Watch())\n"
        "from desktop.app import main\n"
        "sys.exit(main(['--data-dir', sys.argv[1], '--api-url', 'http://127.0.0.1:9/api/v9']))\n"
    )
    done = run_python(script, str(tmp_path / "data"), TASK_DESK_BENCH_EXIT_AFTER_PAINT="1")
    assert "BEFORE QT desktop.session desktop.messages" in done.stdout
