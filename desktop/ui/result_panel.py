"""The result panel: what became of the last thing the user did, in one plain-text sentence."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFrame, QLabel

from desktop.domain.display import isolate
from desktop.domain.summary import task_summary
from desktop.ui.qt_values import ALIGN_TOP_LEFT, PLAIN_TEXT, SELECTABLE_BY_MOUSE

if TYPE_CHECKING:
    from desktop.api.models import Task
    from desktop.messages import Failure
    from desktop.session_rows import OutboxRow

START_TEXT = "Sign in to start."
READY_TEXT = "Pick a project and describe the task."


class ResultPanel(QLabel):
    """While the outbox drains queued tasks in the background it says how far it got
    ("Sending 3 of 12…") and, once empty, how many were sent with the last one's summary,
    instead of one summary per task."""

    def __init__(self) -> None:
        super().__init__(START_TEXT)
        self._waiting = 0
        """Tasks still waiting in the outbox (as of the last sync status)."""
        self._drained = 0
        """Tasks sent in the background since the outbox was last empty."""
        self.setObjectName("statusPanel")
        # By property name, as ints: the first paint never reads `Qt` (see qt_values).
        self.setProperty("textFormat", PLAIN_TEXT)
        self.setWordWrap(True)
        self.setProperty("textInteractionFlags", SELECTABLE_BY_MOUSE)
        self.setProperty("alignment", ALIGN_TOP_LEFT)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMinimumHeight(120)
        self.setMargin(8)

    def ready(self) -> None:
        if self.text() == START_TEXT:
            self.setText(READY_TEXT)

    def sending(self, name: str) -> None:
        self.setText(f"Sending “{isolate(name)}” to Toggl…")

    def created(self, task: Task) -> None:
        self.setText(task_summary(task))

    def waiting(self, pending: int) -> None:
        """The outbox's count, from each sync status (emitted before a step's outcomes)."""
        self._waiting = pending

    def sent_in_background(self, task: Task) -> None:
        """A queued task, not the form's, reached Toggl."""
        self._drained += 1
        sent, left = self._drained, self._waiting
        if left:
            self.setText(f"Sending {sent + 1} of {sent + left}…")
            return
        self._drained = 0
        summary = task_summary(task)
        self.setText(summary if sent == 1 else f"{sent} tasks sent. The last one:\n{summary}")

    def refused_in_background(self, row: OutboxRow, failure: Failure) -> None:
        if not self._waiting:
            self._drained = 0  # the drain ended with this one
        self.setText(
            f"Toggl refused “{isolate(row.draft.name)}”: {failure.text} "
            "It waits in the outbox below, to edit and retry or discard."
        )

    def saved_for_later(self, row: OutboxRow, failure: Failure) -> None:
        self.setText(f"Saved “{isolate(row.draft.name)}” in the outbox. {failure.text}")
