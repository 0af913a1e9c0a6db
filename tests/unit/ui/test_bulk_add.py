"""The bulk dialog as a part (desktop.ui.bulk_add): one preview row per non-empty line, the
button only when every line is understood, the lines read again after the typing stops."""

from __future__ import annotations

import time

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QHeaderView,
    QPlainTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from desktop.api.models import Project, User
from desktop.domain.project_choices import ProjectChoices
from desktop.session_quota import QuotaSeen
from desktop.ui.bulk_add import REREAD_MS, BulkAddDialog
from desktop.ui.line_reader import Lists
from desktop.ui.payloads import Submission

PROJECTS = ProjectChoices.of(
    [Project(id=1, name="Website Redesign", client_name="Acme"), Project(id=2, name="Mobile")]
)
LISTS = Lists(5, None, PROJECTS, [User(id=7, fullname="Sam")], None, "")


@pytest.fixture
def parent(qtbot: QtBot) -> QWidget:
    """The window the dialog belongs to (kept by the test: the dialog goes with it)."""
    window = QWidget()
    qtbot.addWidget(window)
    return window


def dialog(parent: QWidget, quota: QuotaSeen | None = None) -> BulkAddDialog:
    made = BulkAddDialog(parent, lambda: LISTS, lambda: quota)
    made.show()
    return made


def test_every_line_understood_or_nothing_goes(qtbot: QtBot, parent: QWidget) -> None:
    bulk = dialog(parent, QuotaSeen(1, time.time() + 600))
    sent: list[list[Submission]] = []
    bulk.submitted.connect(sent.append)
    bulk.edit.setPlainText("One @web\n\nTwo 30m\nThree @mobile +sam")
    assert bulk.model.rowCount() == 3  # a paste after a quiet moment: read at once
    assert [bulk.model.index(r, 0).data() for r in range(3)] == ["1", "3", "4"]
    assert not bulk.add_button.isEnabled()
    assert bulk.summary.text().startswith("1 of 3 lines is not understood")
    assert bulk.tasks() is None
    bulk.edit.setPlainText("One @web\n\nTwo 30m @mobile\nThree @mobile +sam")
    assert not bulk.add_button.isEnabled()  # a change right after another waits for a pause
    qtbot.waitUntil(bulk.add_button.isEnabled, timeout=REREAD_MS * 20)
    assert bulk.add_button.text() == "Create 3 tasks"
    assert bulk.cost.text().startswith("3 requests; 1 left this hour: 1 go now, the other 2 after")
    bulk.add_button.click()
    (tasks,) = sent
    assert [(t.project_id, t.draft.name) for t in tasks] == [(1, "One"), (2, "Two"), (2, "Three")]
    assert not bulk.add_button.isEnabled()  # saving: once
    bulk.failed("The disk is full.")
    assert bulk.summary.text() == "The disk is full."
    assert bulk.edit.toPlainText().startswith("One @web")  # kept
    bulk.add_button.click()
    bulk.queued()
    assert len(sent) == 2
    assert bulk.edit.toPlainText() == ""
    assert not bulk.isVisible()


def test_five_hundred_lines_are_previewed_within_100_ms(parent: QWidget) -> None:
    bulk = dialog(parent)
    bulk.edit.setPlainText("\n".join(f"Task {n} {n % 9 + 1}h @web" for n in range(500)))
    took = []
    for _ in range(3):
        bulk._reader = None  # read afresh each time
        start = time.perf_counter()
        bulk.reread()
        took.append(time.perf_counter() - start)
    assert bulk.model.rowCount() == 500
    assert bulk.add_button.text() == "Create 500 tasks"
    assert min(took) < 0.1


def test_every_control_of_the_dialog_has_an_accessible_name(parent: QWidget) -> None:
    bulk = dialog(parent)
    unnamed = {
        widget.objectName() or type(widget).__name__
        for kind in (QAbstractButton, QAbstractItemView, QHeaderView, QPlainTextEdit)
        for widget in bulk.findChildren(kind)
        if not widget.accessibleName()
    }
    assert unnamed == set()
