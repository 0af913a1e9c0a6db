"""Make docs/screenshot.png: the real app, a real created task, against the fake Toggl server.

Run under a (virtual) X display, e.g. `xvfb-run -a python scripts/screenshot.py`; `make
screenshot` does that. The token shown nowhere: the app takes it from TOGGL_API_TOKEN.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from desktop.app import main  # noqa: E402
from tests.fake_toggl import FakeToggl  # noqa: E402


def wait_until(app: QApplication, condition: Callable[[], bool], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the app did not get there in time")
        app.processEvents()
        time.sleep(0.02)


def main_window(app: QApplication) -> QWidget:
    return next(w for w in app.topLevelWidgets() if w.objectName() == "mainWindow")


def drive(app: QApplication, fake: FakeToggl, target: Path) -> None:
    wait_until(app, lambda: any(w.objectName() == "mainWindow" for w in app.topLevelWidgets()))
    window = main_window(app)
    projects = window.findChild(QComboBox, "projectSelector")
    assignees = window.findChild(QComboBox, "assigneeSelector")
    wait_until(app, lambda: projects.count() > 0 and assignees.count() > 1)
    projects.setCurrentIndex(projects.findData(fake.project_id("Website Redesign")))
    assignees.setCurrentIndex(assignees.findData(9_000_000_002))
    window.findChild(QLineEdit, "taskNameEdit").setText("Draft the homepage copy")
    window.findChild(QLineEdit, "estimateEdit").setText("1h 30m")
    window.findChild(QPushButton, "submitButton").click()
    status = window.findChild(QLabel, "statusPanel")
    wait_until(app, lambda: "Created “" in status.text())
    # Show what a freelancer sees next: the estimate they would type for the next task.
    window.findChild(QLineEdit, "taskNameEdit").setText("Review the mobile mock-ups")
    window.findChild(QLineEdit, "estimateEdit").setText("45m")
    for _ in range(10):
        app.processEvents()
        time.sleep(0.02)
    target.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(target)):
        raise OSError(f"could not write {target}")
    print(f"wrote {target}")
    window.close()


def run() -> int:
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshot.png"
    app = QApplication(sys.argv[:1])
    with FakeToggl() as fake, tempfile.TemporaryDirectory() as data_dir:
        os.environ["TOGGL_API_TOKEN"] = fake.token
        QTimer.singleShot(0, lambda: drive(app, fake, target))
        return main(["--api-url", fake.url, "--data-dir", data_dir])


if __name__ == "__main__":
    sys.exit(run())
