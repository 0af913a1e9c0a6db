"""The result panel: one plain-text sentence for what became of the last thing the user did
(`statusPanel`), over the list of the tasks created this session (`resultList`)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from desktop.domain.display import isolate
from desktop.domain.summary import sent_line
from desktop.ui.qt_values import ALIGN_TOP_LEFT, PLAIN_TEXT, SELECTABLE_BY_MOUSE
from desktop.ui.result_list import Created, ResultList

if TYPE_CHECKING:
    from desktop.messages import Failure
    from desktop.session_rows import OutboxRow

START_TEXT = "Sign in to start."
READY_TEXT = "Pick a project and describe the task."
SENTENCE_LINES = 2
"""Room kept for the sentence, so the list under it does not jump when it wraps."""


class ResultPanel(QWidget):
    """While the outbox drains queued tasks in the background the sentence says how far it
    got ("Sending 3 of 12…") and, once empty, one line for them all ("3 tasks sent: “A”, “B”,
    “C”"); each task also goes into the list. A refusal's reason is not repeated here: it is
    at its field and in its outbox row. A sentence about an outbox row the user discards
    gives way to the ready sentence."""

    said = Signal()
    """The sentence (and with it, maybe, the list) changed: the pane may need more height."""
    LIST_EVERY_MS = 5000
    """While the outbox drains, the tasks it sent join the list together this often, and when
    it is empty: the word-wrapped list lays out all its lines again at each insert (about 1.5
    ms of the UI thread), once a second otherwise. The sentence says the progress meanwhile."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("resultPanel")
        self.status = QLabel(START_TEXT)
        self.status.setObjectName("statusPanel")
        # By property name, as ints: the first paint never reads `Qt` (see qt_values).
        self.status.setProperty("textFormat", PLAIN_TEXT)
        self.status.setWordWrap(True)
        self.status.setProperty("textInteractionFlags", SELECTABLE_BY_MOUSE)
        self.status.setProperty("alignment", ALIGN_TOP_LEFT)
        self.status.setMinimumHeight(self.status.fontMetrics().lineSpacing() * SENTENCE_LINES)
        self.history = ResultList()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.status)
        layout.addWidget(self.history, 1)
        self._about: int | None = None
        """The outbox row the sentence is about, if it is about one."""
        self._waiting = 0
        """Tasks still waiting in the outbox (as of the last sync status)."""
        self._drained: list[str] = []
        """Names of the tasks sent in the background since the outbox was last empty."""
        self._refused: list[str] = []
        """…and of those Toggl refused meanwhile."""
        self._unlisted: list[Created] = []
        """Tasks sent in the background and not yet in the list, oldest first."""
        self._lister: QTimer | None = None

    def text(self) -> str:
        return self.status.text()

    def setText(self, text: str) -> None:  # as QLabel's, which it stands in for
        self._say(text)

    def ready(self) -> None:
        if self.text() == START_TEXT:
            self._say(READY_TEXT)

    def sending(self, name: str) -> None:
        self._say(f"Sending “{isolate(name)}” to Toggl…")

    def created(self, created: Created) -> None:
        """The form's task reached Toggl."""
        self._say(self._list(created))

    def waiting(self, pending: int) -> None:
        """The outbox's count, from each sync status (emitted before a step's outcomes)."""
        self._waiting = pending

    def sent_in_background(self, created: Created) -> None:
        """A queued task, not the form's, reached Toggl. While others wait it joins the list
        with the next few (see `LIST_EVERY_MS`), else at once."""
        self._drained.append(created.task.name)
        if self._waiting:
            self._unlisted.append(created)
            self._list_soon()
            self._say(self._progress(), refit=False)  # the same sentence's length: no refit
            return
        line = self._list(created)
        if len(self._drained) == 1 and not self._refused:
            self._drained = []
            self._say(line)
        else:
            self._say_drained(None)

    def refused_in_background(self, row: OutboxRow) -> None:
        """Toggl refused a queued task, not the form's: its outbox row says why."""
        self._refused.append(row.draft.name)
        if self._waiting:
            self._say(f"Toggl refused “{isolate(row.draft.name)}”; see the outbox below.", row.id)
        else:
            self._say_drained(row.id)

    def refused(self, row: OutboxRow, failure: Failure) -> None:
        """Toggl refused the form's task: the reason is at its field (and in the outbox), so
        here only when it is about no field."""
        if failure.field is None:
            self._say(failure.text, row.id)
        else:
            self._say(f"Toggl refused “{isolate(row.draft.name)}”: see why above.", row.id)

    def saved_for_later(self, row: OutboxRow, failure: Failure) -> None:
        self._say(f"Saved “{isolate(row.draft.name)}” in the outbox. {failure.text}", row.id)

    def about_row(self, text: str, row_id: int) -> None:
        """A sentence about one outbox row, withdrawn when that row is discarded."""
        self._say(text, row_id)

    def forget(self, row_id: int) -> None:
        """What was said about this outbox row no longer holds: the user discarded it, or left
        it in the outbox and emptied the form."""
        if self._about == row_id:
            self._say(READY_TEXT)

    def _progress(self) -> str:
        done = len(self._drained) + len(self._refused)
        return f"Sending {done + 1} of {done + self._waiting}…"

    def _list_soon(self) -> None:
        if self._lister is None:
            self._lister = QTimer(self)
            self._lister.setSingleShot(True)
            self._lister.timeout.connect(self._list_waiting)
        if not self._lister.isActive():
            self._lister.start(self.LIST_EVERY_MS)

    def _list_waiting(self) -> None:
        self._list()
        self.said.emit()  # the list may have appeared, or grown

    def _list(self, created: Created | None = None) -> str:
        """Put the tasks sent meanwhile, then `created`, on top of the list; returns the line
        of the last one put there ("" when none)."""
        if self._lister is not None:
            self._lister.stop()
        now, line = datetime.now(), ""
        for each in [*self._unlisted, *([created] if created else [])]:
            line = self.history.add(each, now)
        self._unlisted = []
        return line

    def _say_drained(self, about: int | None) -> None:
        """One sentence for a drain that ended: what was sent, what Toggl refused."""
        self._list()
        sent, refused = self._drained, self._refused
        self._drained, self._refused = [], []
        parts = [sent_line(sent)] if sent else []
        if len(refused) == 1:
            parts.append(f"Toggl refused “{isolate(refused[0])}”; see the outbox below.")
        elif refused:
            parts.append(f"Toggl refused {len(refused)} tasks; see the outbox below.")
        about = about if len(refused) == 1 else None  # when several, one discard takes none back
        self._say(". ".join(parts) if len(parts) > 1 else parts[0], about)

    def _say(self, text: str, about: int | None = None, *, refit: bool = True) -> None:
        self._about = about
        self.status.setText(text)
        if refit:
            self.said.emit()
