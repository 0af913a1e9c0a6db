"""Server and user text in the window is shown literally: plain-text labels and dialogs, escaped
tooltips, and names isolated so a right-to-left override cannot reverse what follows them."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QTextDocument, QTextLayout
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from desktop.api.models import Project, TaskDraft
from desktop.domain.display import FSI, PDI, literal_tooltip, without_isolates
from desktop.domain.project_choices import ProjectChoices
from desktop.store.outbox_row import OutboxRow, OutboxState
from desktop.ui.main_window import MainWindow
from desktop.ui.outbox_panel import OutboxPanel, row_text
from tests.fake_toggl import FakeToggl
from tests.ui_helpers import (
    child,
    select_by_data,
    sign_in_with_token,
    status_text,
    wait_for_projects,
    wait_for_top_level,
)

HOSTILE = "<h1>big</h1><a href=x>link</a><img src=file:///etc/passwd>"
RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE
PLAIN = Qt.TextFormat.PlainText
TOOL_TIP = Qt.ItemDataRole.ToolTipRole


@pytest.mark.parametrize("text", [HOSTILE, "a  b\nc & d", "&amp; <b>", "<qt>x</qt>"])
def test_a_tooltip_shows_its_text_literally(qtbot: QtBot, text: str) -> None:
    tooltip = literal_tooltip(text)
    assert tooltip is not None
    assert GuiQt.mightBeRichText(tooltip)  # so Qt never guesses: it is read as escaped HTML
    document = QTextDocument()
    document.setHtml(tooltip)
    assert document.toPlainText() == text
    assert literal_tooltip("") is None
    assert literal_tooltip(None) is None


def cursor_xs(text: str) -> list[float]:
    """Where the cursor is drawn before each character, as Qt lays the text out."""
    layout = QTextLayout(text, QFont())
    layout.beginLayout()
    line = layout.createLine()
    line.setLineWidth(100_000)
    layout.endLayout()
    return [line.cursorToX(i)[0] for i in range(len(text) + 1)]


def test_an_override_in_a_task_name_does_not_reverse_the_rest_of_its_outbox_row(
    qtbot: QtBot,
) -> None:
    row = outbox_row(1, f"{RLO}evil", OutboxState.QUEUED)
    first_line = row_text(row.replace(project_label="Website · Acme")).splitlines()[0]
    tail = first_line.index(" — ")
    xs = cursor_xs(first_line)[tail:]
    assert xs == sorted(xs), "the project after the name is drawn reversed"


def test_the_project_list_isolates_a_name_from_its_client_and_matches_what_is_typed() -> None:
    choices = ProjectChoices.of([Project(id=1, name=f"{RLO}Site", client_name="Acme")])
    assert choices.shown == [f"{FSI}{RLO}Site{PDI} · Acme"]
    assert choices.labels == [f"{RLO}Site · Acme"]  # what the combo's text and typing match


# --- the window, against the fake Toggl server ----------------------------------------------------


def outbox_row(row_id: int, name: str, state: OutboxState) -> OutboxRow:
    return OutboxRow(
        id=row_id,
        workspace_id=1,
        project_id=2,
        draft=TaskDraft(name=name),
        project_label=f"Internal {HOSTILE}",
        state=state,
        reason=json.dumps(HOSTILE) if state is OutboxState.FAILED else None,
        queued_at=0.0,
        attempts=1,
        last_attempt_at=None,
        remote_task_id=None,
    )


def visible_widgets() -> list[QWidget]:
    return [w for w in QApplication.topLevelWidgets() if w.isVisible()]


def assert_no_label_renders_markup() -> None:
    """Every label anywhere on screen that holds Toggl's markup shows it as plain text, and no
    tooltip holds it unescaped (Qt would render it)."""
    for top in visible_widgets():
        labels = top.findChildren(QLabel) + ([top] if isinstance(top, QLabel) else [])
        for label in labels:
            if "<h1>big</h1>" in label.text():
                assert label.textFormat() == PLAIN, f"{label.objectName()!r}: {label.text()!r}"
        for widget in [top, *top.findChildren(QWidget)]:
            assert "<h1>big</h1>" not in widget.toolTip(), widget.objectName()


def assert_literal(label: QLabel, text: str) -> None:
    assert label.textFormat() == PLAIN, label.objectName()
    assert text in without_isolates(label.text())


@pytest.fixture
def hostile_fake(fake: FakeToggl) -> FakeToggl:
    """Toggl names a workspace, a project, a person and the account with markup."""
    with fake.lock:
        fake.workspaces[0]["name"] = f"Acme {HOSTILE}"
        fake.workspaces[1]["name"] = f"Side {HOSTILE}"
        fake.me["fullname"] = f"Fran {HOSTILE}"
        for projects in fake.projects.values():
            for project in projects:
                if project["name"] == "Internal":
                    project["name"] = f"Internal {HOSTILE}"
    return fake


def test_toggl_markup_in_names_and_messages_shows_literally(
    qtbot: QtBot, make_window: Callable[[], MainWindow], hostile_fake: FakeToggl
) -> None:
    fake = hostile_fake
    window = make_window()
    sign_in_with_token(qtbot, fake.token)
    projects = wait_for_projects(qtbot, window)
    qtbot.waitUntil(lambda: f"Signed in as Fran {HOSTILE}" in status_text(window))
    assert_literal(child(window, QLabel, "statusPanel"), f"Fran {HOSTILE}")
    assert_no_label_renders_markup()

    select_by_data(projects, fake.project_id(f"Internal {HOSTILE}"))
    document = QTextDocument()
    document.setHtml(projects.model().index(projects.currentIndex(), 0).data(TOOL_TIP))
    assert document.toPlainText() == f"Internal {HOSTILE}"

    # A 400 whose message is markup: in the status panel, next to the field, in the outbox.
    fake.fail_next(400, json.dumps(f"{HOSTILE} project"), method="POST")
    child(window, QLineEdit, "taskNameEdit").setText(f"Task {HOSTILE}")
    qtbot.mouseClick(child(window, QPushButton, "submitButton"), Qt.MouseButton.LeftButton)
    note = child(window, QLabel, "projectNote")
    qtbot.waitUntil(note.isVisible, timeout=10_000)
    assert_literal(note, HOSTILE)
    assert_literal(child(window, QLabel, "statusPanel"), HOSTILE)
    view = child(window, QAbstractItemView, "outboxView")
    qtbot.waitUntil(lambda: view.model().rowCount() == 1)
    index = view.model().index(0, 0)
    assert f"Task {HOSTILE}" in index.data()
    document.setHtml(index.data(TOOL_TIP))
    assert HOSTILE in document.toPlainText()
    assert_no_label_renders_markup()

    # Toggl's word on the estimate, beside the estimate field.
    fake.fail_next(400, json.dumps(f"{HOSTILE} estimate"), method="POST")
    child(window, QLineEdit, "estimateEdit").setText("1h")
    qtbot.mouseClick(child(window, QPushButton, "submitButton"), Qt.MouseButton.LeftButton)
    hint = child(window, QLabel, "estimateHint")
    qtbot.waitUntil(lambda: f"{HOSTILE} estimate" in hint.text(), timeout=10_000)
    assert_literal(hint, HOSTILE)

    # The created task, with its project named in markup.
    child(window, QLineEdit, "estimateEdit").setText("")
    qtbot.mouseClick(child(window, QPushButton, "submitButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Created “" in status_text(window), timeout=10_000)
    assert_literal(child(window, QLabel, "statusPanel"), f" in Internal {HOSTILE}")
    assert_no_label_renders_markup()

    # A workspace on the Free plan, named in markup: the note beside the workspace.
    select_by_data(child(window, QComboBox, "workspaceSelector"), fake.free_workspace_id)
    workspace_note = child(window, QLabel, "workspaceNote")
    qtbot.waitUntil(workspace_note.isVisible)
    assert_literal(workspace_note, f"Side {HOSTILE} is on Toggl's Free plan")
    assert_no_label_renders_markup()


def test_a_sign_in_refusal_in_markup_shows_literally(
    qtbot: QtBot, make_window: Callable[[], MainWindow], fake: FakeToggl
) -> None:
    make_window()
    fake.fail_next(403, json.dumps(HOSTILE), path_contains="/me")
    dialog = sign_in_with_token(qtbot, fake.token)
    error = child(dialog, QLabel, "signInError")
    qtbot.waitUntil(error.isVisible, timeout=10_000)
    assert_literal(error, HOSTILE)
    assert_no_label_renders_markup()


@pytest.mark.parametrize("state", [OutboxState.FAILED, OutboxState.UNCONFIRMED])
def test_the_discard_question_names_the_task_literally(qtbot: QtBot, state: OutboxState) -> None:
    panel = OutboxPanel()
    qtbot.addWidget(panel)
    panel.set_rows([outbox_row(7, f"{RLO}Task {HOSTILE}", state)])
    panel.show()
    panel.view.setCurrentIndex(panel.model.index(0, 0))
    qtbot.mouseClick(child(panel, QPushButton, "discardButton"), Qt.MouseButton.LeftButton)
    box = wait_for_top_level(qtbot, "discardConfirmation")
    assert isinstance(box, QMessageBox)
    box.reject()
    assert box.textFormat() == PLAIN
    assert f"“{FSI}{RLO}Task {HOSTILE}{PDI}”" in box.text()
    maybe_there = state is OutboxState.UNCONFIRMED
    assert ("may already be in Toggl" in box.text()) == maybe_there
