"""Make the README's screenshots: the real app, real tasks, against the fake Toggl server.

    python scripts/screenshot.py SCENE [TARGET]

Scenes: `light` (docs/screenshot.png: a task created, the next one typed), `dark` (the same
under a dark Fusion palette, docs/screenshot-dark.png), `outbox` (a task Toggl refused and one
waiting while Toggl is unreachable, docs/screenshot-outbox.png), `bulk` (File ▸ Add many… with a
pasted list and what it costs, docs/screenshot-bulk.png), `screen` (the whole screen,
to show the window fits it: run with QT_SCALE_FACTOR=2 on a 1366x768 display for
docs/screenshot-2x.png) and `tasks` (a project's task list with open, done and pending tasks,
docs/screenshot-tasks.png; `tasks-dark` the same under the dark palette). Run under a
(virtual) X display; `make screenshot` runs them all. The token is shown nowhere: the app
takes it from TOGGL_API_TOKEN.
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

from PySide6.QtCore import QItemSelectionModel, QTimer  # noqa: E402
from PySide6.QtGui import QAction, QPixmap  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from desktop.app import main  # noqa: E402
from tests.fake_toggl import FakeToggl  # noqa: E402
from tests.integration.test_contrast import dark_palette  # noqa: E402
from tests.ui_helpers import child as find  # noqa: E402

TARGETS = {
    "light": "screenshot.png",
    "dark": "screenshot-dark.png",
    "outbox": "screenshot-outbox.png",
    "bulk": "screenshot-bulk.png",
    "screen": "screenshot-2x.png",
    "tasks": "screenshot-tasks.png",
    "tasks-dark": "screenshot-tasks-dark.png",  # to check the dark palette; not in the README
}
SAM = 9_000_000_002
TASKS_SIZE = (760, 860)
"""The task list's scenes: a window tall enough for the form and a dozen tasks."""
REFUSAL = '"Name has already been taken"'
PASTED = """Draft the homepage copy 1h30 @web +sam
Collect the client's photos 20m @web
Review the mobile mock-ups 45m @mobile +sam
Call 3 clients @internal
Send the invoice 10m @internal !done
Plan the launch 2h @acme
"""


def wait_until(app: QApplication, condition: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the app did not get there in time")
        app.processEvents()
        time.sleep(0.02)


def settle(app: QApplication) -> None:
    for _ in range(15):
        app.processEvents()
        time.sleep(0.02)


def fill(window: QWidget, fake: FakeToggl, name: str, estimate: str) -> None:
    projects = find(window, QComboBox, "projectSelector")
    projects.setCurrentIndex(projects.findData(fake.project_id("Website Redesign")))
    find(window, QLineEdit, "taskNameEdit").setText(name)
    find(window, QLineEdit, "estimateEdit").setText(estimate)


def outbox_rows(window: QWidget) -> int:
    return find(window, QListView, "outboxView").model().rowCount()


def create(app: QApplication, window: QWidget, fake: FakeToggl, name: str, estimate: str) -> None:
    fill(window, fake, name, estimate)
    find(window, QPushButton, "submitButton").click()
    wait_until(app, lambda: not find(window, QLineEdit, "taskNameEdit").text())  # created


def task_names(window: QWidget) -> list[str]:
    model = find(window, QAbstractItemView, "taskList").model()
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def seed_tasks(fake: FakeToggl) -> None:
    """A project part done: some time tracked against each estimate, one over it."""
    project = fake.project_id("Website Redesign")
    hour = 3_600_000  # Toggl's tracked time is in milliseconds
    for name, estimate, tracked, user, active in (
        ("Homepage copy", 3, 1.2 * hour, SAM, True),
        ("Design review 2", 2, 0.5 * hour, None, True),
        ("Design review 10", 2, 0, None, True),
        ("Contact form", 4, 4.6 * hour, SAM, True),
        ("Photo shoot brief", 1, 1.0 * hour, None, False),
        ("Kick-off call", 1, 1.25 * hour, SAM, False),
        ("Sitemap", 2, 1.5 * hour, None, True),
    ):
        fake.add_task(
            project, name, estimated_seconds=int(estimate * 3600), user_id=user, active=active,
            tracked_seconds=int(tracked),
        )  # fmt: skip


def show_tasks(app: QApplication, window: QWidget, fake: FakeToggl) -> None:
    """Open, done and pending: one marked done and one new task while Toggl is unreachable."""
    window.resize(*TASKS_SIZE)
    fill(window, fake, "", "")
    wait_until(app, lambda: "Sitemap" in task_names(window))
    find(window, QCheckBox, "showDoneCheck").setChecked(True)
    fake.go_down()
    tasks = find(window, QAbstractItemView, "taskList")
    row = task_names(window).index("Sitemap")
    tasks.selectionModel().select(
        tasks.model().index(row, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    find(window, QAction, "markDoneAction").trigger()
    create_later(app, window, fake, "Review the mobile mock-ups", "45")
    tasks.selectionModel().clearSelection()
    wait_until(app, lambda: "Review the mobile mock-ups" in task_names(window))


def create_later(
    app: QApplication, window: QWidget, fake: FakeToggl, name: str, estimate: str
) -> None:
    fill(window, fake, name, estimate)
    find(window, QPushButton, "submitButton").click()
    wait_until(app, lambda: not find(window, QLineEdit, "taskNameEdit").text())  # queued


def act(app: QApplication, window: QWidget, fake: FakeToggl, scene: str) -> None:
    """Bring the window to what the scene shows."""
    assignees = find(window, QComboBox, "assigneeSelector")
    assignees.setCurrentIndex(assignees.findData(SAM))
    if scene.startswith("tasks"):
        show_tasks(app, window, fake)
        return
    if scene == "outbox":
        fake.fail_next(400, REFUSAL, method="POST", path_contains="/tasks")
        fill(window, fake, "Homepage copy", "2h")
        find(window, QPushButton, "submitButton").click()
        wait_until(app, lambda: outbox_rows(window) == 1)
        find(window, QPushButton, "newTaskButton").click()
        fake.go_down()
        fill(window, fake, "Review the mobile mock-ups", "45")
        find(window, QPushButton, "submitButton").click()
        wait_until(app, lambda: outbox_rows(window) == 2)
        wait_until(app, lambda: not find(window, QLineEdit, "taskNameEdit").text())  # kept
        return
    create(app, window, fake, "Draft the homepage copy", "1h 30m")
    create(app, window, fake, "Collect the client's photos", "20")
    wait_until(app, lambda: outbox_rows(window) == 0 and fake.count("POST", "/tasks") == 2)
    # What a freelancer sees next: the next task being typed.
    fill(window, fake, "Review the mobile mock-ups", "45")


def bulk(app: QApplication, window: QWidget, fake: FakeToggl) -> QWidget:
    """The bulk dialog with a pasted list, one line of it naming two projects, and the cost
    against the quota a request just reported."""
    fake.set_quota(240, remaining=213)
    create(app, window, fake, "Kick-off call", "30")
    wait_until(app, lambda: find(window, QWidget, "quotaLabel").isVisible())
    find(window, QAction, "bulkAddAction").trigger()
    wait_until(app, lambda: any(w.objectName() == "bulkAddDialog" for w in app.topLevelWidgets()))
    dialog = next(w for w in app.topLevelWidgets() if w.objectName() == "bulkAddDialog")
    find(dialog, QPlainTextEdit, "bulkAddEdit").setPlainText(PASTED)
    wait_until(app, lambda: find(dialog, QWidget, "bulkPreview").model().rowCount() == 6)
    return dialog


def drive(app: QApplication, fake: FakeToggl, scene: str, target: Path) -> None:
    wait_until(app, lambda: any(w.objectName() == "mainWindow" for w in app.topLevelWidgets()))
    window = next(w for w in app.topLevelWidgets() if w.objectName() == "mainWindow")
    projects = find(window, QComboBox, "projectSelector")
    assignees = find(window, QComboBox, "assigneeSelector")
    wait_until(app, lambda: projects.count() > 0 and assignees.count() > 1)
    shown = bulk(app, window, fake) if scene == "bulk" else window
    if scene != "bulk":
        act(app, window, fake, scene)
    settle(app)
    shot: QPixmap = window.screen().grabWindow(0) if scene == "screen" else shown.grab()
    target.parent.mkdir(parents=True, exist_ok=True)
    if not shot.save(str(target)):
        raise OSError(f"could not write {target}")
    print(f"wrote {target} ({shot.width()}x{shot.height()})")
    if shown is not window:
        shown.hide()
    window.close()


def run() -> int:
    scene = sys.argv[1] if len(sys.argv) > 1 else "light"
    if scene not in TARGETS:
        raise SystemExit(f"scene must be one of {', '.join(TARGETS)}")
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "docs" / TARGETS[scene]
    app = QApplication(sys.argv[:1])
    if scene.endswith("dark"):
        app.setStyle("Fusion")
        app.setPalette(dark_palette())
    with FakeToggl() as fake, tempfile.TemporaryDirectory() as data_dir:
        fake.set_quota(240, remaining=236)  # a Starter plan's hour, as the status bar shows it
        if scene.startswith("tasks"):
            seed_tasks(fake)
        os.environ["TOGGL_API_TOKEN"] = fake.token
        QTimer.singleShot(0, lambda: drive(app, fake, scene, target))
        return main(["--api-url", fake.url, "--data-dir", data_dir])


if __name__ == "__main__":
    sys.exit(run())
