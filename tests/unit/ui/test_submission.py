"""The form's submission state, without a window: which row is pending or being edited, and
which of Toggl's words stays beside which field."""

from __future__ import annotations

from desktop.messages import Field
from desktop.ui.submission import SUBMITTED, SubmissionState


def test_a_submitted_task_is_pending_until_its_row_has_an_outcome() -> None:
    state = SubmissionState()
    state.submitted()
    assert state.pending_row == SUBMITTED
    state.queued(7)
    assert not state.settles(8)  # another row's outcome: the form still waits
    assert state.pending
    assert state.settles(7)
    assert not state.pending


def test_a_refused_task_stays_in_the_form_as_the_row_to_retry() -> None:
    state = SubmissionState()
    state.submitted()
    state.queued(3)
    state.refused(3)
    assert (state.pending, state.editing_row) == (False, 3)
    state.submitted()
    state.queued(3)  # requeued under its own id
    assert (state.pending_row, state.editing) == (3, False)


def test_editing_a_refused_row_wants_its_project_and_assignee_until_leaving() -> None:
    state = SubmissionState()
    state.edit(5, project_id=50, assignee_id=500)
    assert (state.editing_row, state.wanted_project, state.wanted_assignee) == (5, 50, 500)
    state.toggl_said(Field.NAME, "Name taken")
    state.leave_editing()
    assert (state.editing, state.toggl_says) == (False, {})


def test_toggls_word_on_a_field_lasts_until_that_field_is_edited_or_resubmitted() -> None:
    state = SubmissionState()
    state.toggl_said(Field.NAME, "Name taken")
    state.toggl_said(Field.ESTIMATE, "Too long")
    state.edited(Field.ESTIMATE)
    assert state.toggl_says == {Field.NAME: "Name taken"}
    state.submitted()
    assert state.toggl_says == {}


def test_a_task_not_saved_is_no_longer_pending() -> None:
    state = SubmissionState()
    state.submitted()
    state.not_sent()
    assert not state.pending


def test_an_unusual_estimate_goes_on_the_second_submit_only() -> None:
    state = SubmissionState()
    assert state.confirms(None)
    assert state.confirms(5400)  # usual: no question
    assert not state.confirms(250 * 3600)  # first submit: asked
    assert state.asked_about == 250 * 3600
    assert state.confirms(250 * 3600)  # second submit: sent
    state.submitted()
    assert state.asked_about is None
    assert not state.confirms(45)  # the next unusual task is asked about again


def test_editing_the_estimate_takes_the_question_back() -> None:
    state = SubmissionState()
    assert not state.confirms(30)
    state.edited(Field.NAME)  # the name is not what was asked about
    assert state.asked_about == 30
    state.edited(Field.ESTIMATE)
    assert state.asked_about is None
    assert not state.confirms(30)
