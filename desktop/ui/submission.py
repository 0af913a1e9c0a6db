"""Where the task in the form stands: Qt-free, so its rules are tested without a window.

One task at a time is "pending" (submitted, until its first outcome: created, refused or
deferred); a row Toggl refused can be loaded into the form to edit, and submitting then
retries that row. Toggl's word on the name or the estimate stays beside that field until the
user edits it; a refused row's project and assignee are "wanted" until their lists arrive.
An unusual estimate (under a minute, over 200 hours) is sent only when submitted twice in a
row: the first time the form asks, and editing the estimate takes the question back.
"""

from __future__ import annotations

from desktop.domain.estimate import unusual
from desktop.messages import Field

SUBMITTED = -1
"""`pending_row` between the click and the worker saying which outbox row holds the task."""


class SubmissionState:
    __slots__ = (
        "asked_about",
        "editing_row",
        "editing_waiting",
        "pending_row",
        "toggl_says",
        "wanted_assignee",
        "wanted_project",
    )

    def __init__(self) -> None:  # a plain class: it loads before the first paint
        self.pending_row: int | None = None
        self.editing_row: int | None = None
        self.editing_waiting = False
        """The row being edited waits to be sent (not refused): saving changes it in place."""
        self.wanted_project: int | None = None
        self.wanted_assignee: int | None = None
        self.toggl_says: dict[Field, str] = {}
        self.asked_about: int | None = None
        """The unusual estimate (seconds) the form asked about: submitting again sends it."""

    @property
    def pending(self) -> bool:
        return self.pending_row is not None

    @property
    def editing(self) -> bool:
        return self.editing_row is not None

    def confirms(self, estimate: int | None) -> bool:
        """May a task with this estimate go? Yes when it is usual or was asked about already;
        an unusual one is asked about first (False), and the next submit sends it."""
        if not unusual(estimate) or self.asked_about == estimate:
            return True
        self.asked_about = estimate
        return False

    def submitted(self) -> None:
        """The form's task went to the worker; what Toggl said about the last one is old."""
        self.pending_row = SUBMITTED
        self.toggl_says.clear()
        self.asked_about = None

    def queued(self, row_id: int) -> None:
        """The worker saved it as this outbox row (an edited row keeps its id)."""
        self.pending_row = row_id
        self.editing_row = None

    def settles(self, row_id: int) -> bool:
        """An outcome arrived for `row_id`: True (and no longer pending) if it is the form's."""
        if row_id != self.pending_row:
            return False
        self.pending_row = None
        return True

    def refused(self, row_id: int) -> None:
        """Toggl refused the form's task: it stays in the form, to fix and retry that row."""
        self.pending_row = None
        self.editing_row = row_id
        self.editing_waiting = False

    def not_sent(self) -> None:
        """Nothing was saved, or saving was interrupted: nothing is pending any more."""
        self.pending_row = None

    def edit(
        self, row_id: int, project_id: int, assignee_id: int | None, *, waiting: bool = False
    ) -> None:
        self.editing_row = row_id
        self.editing_waiting = waiting
        self.wanted_project = project_id
        self.wanted_assignee = assignee_id

    def leave_editing(self) -> None:
        self.editing_row = None
        self.editing_waiting = False
        self.toggl_says.clear()

    def toggl_said(self, on: Field, text: str) -> None:
        self.toggl_says[on] = text

    def edited(self, on: Field) -> None:
        self.toggl_says.pop(on, None)
        if on is Field.ESTIMATE:
            self.asked_about = None
