"""Holding back a new task whose name an open task of its project already has (case and runs
of spaces aside): the form's first submit sends nothing and a note beside the button says so,
the button reads "Create anyway", and the next submit of the same name sends it. Editing the
name (or choosing another project) lets go.

The window asks the task list's lines (`find`); when the list does not hold Toggl's copy of the
project yet, the submission goes unchecked and the worker asks the session (no request either
way), answering with `TaskFlow.held_back`."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from desktop.domain.display import isolate
from desktop.ui.payloads import NameCheck
from desktop.ui.task_rows import folded_name
from desktop.ui.widgets import note, show_note

if TYPE_CHECKING:
    from desktop.ui.payloads import Submission

Key = tuple[int, int, str]


def _key(submission: Submission) -> Key:
    return (submission.workspace_id, submission.project_id, folded_name(submission.draft.name))


class DuplicateHold:
    def __init__(self) -> None:
        self.note = note("duplicateNote")
        self.find: Callable[[Submission], NameCheck] = lambda _: NameCheck(False)
        """An open task the submission would duplicate, from the task list's lines."""
        self._held: Key | None = None
        self._line_held: Key | None = None
        """The quick-add line's task held back (the line says so; Enter again sends it)."""

    @property
    def holding(self) -> bool:
        return self._held is not None

    def checked(self, submission: Submission) -> Submission | None:
        """None: held back (the note says why). Else the submission, marked checked when the
        list could tell, or when it is the one held back before ("Create anyway")."""
        if self._held is not None and _key(submission) == self._held:
            self.release()
            return submission._replace(checked=True)
        check = self.find(submission)
        if check.duplicate is not None:
            self.hold(submission, check.duplicate)
            return None
        return submission._replace(checked=check.known)

    def hold(self, submission: Submission, name: str) -> None:
        self._held = _key(submission)
        show_note(
            self.note,
            f"“{isolate(name)}” is already an open task in this project. "
            "Create anyway to add another.",
        )

    def for_line(self, submission: Submission) -> tuple[Submission | None, str]:
        """As `checked`, for the quick-add line, which says it itself: (None, why) when held
        back; the next Enter on the same task sends it."""
        if self._line_held is not None and _key(submission) == self._line_held:
            self._line_held = None
            return submission._replace(checked=True), ""
        check = self.find(submission)
        if check.duplicate is not None:
            return None, self.hold_line(submission, check.duplicate)
        return submission._replace(checked=check.known), ""

    def hold_line(self, submission: Submission, name: str) -> str:
        self._line_held = _key(submission)
        return (
            f"“{isolate(name)}” is already an open task in this project: press Enter again "
            "to create it anyway."
        )

    def follow(self, submission: Submission | None) -> None:
        """The form changed: a different task (or none to send) is not the one held back."""
        if self._held is not None and (submission is None or _key(submission) != self._held):
            self.release()

    def release(self) -> None:
        self._held = None
        show_note(self.note, None)
