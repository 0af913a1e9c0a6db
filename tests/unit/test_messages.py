"""Each failure as one sentence a person can act on, with Toggl's words kept, and the form field
it is about; the flags that send the window to the sign-in dialog or the outbox."""

from __future__ import annotations

import time

import pytest

from desktop.api.errors import (
    AmbiguousError,
    AuthenticationError,
    BadRequestError,
    CertificateError,
    ForbiddenError,
    GoneError,
    InvalidResponseError,
    NetworkError,
    PaidFeatureError,
    QuotaExceededError,
    RateLimitedError,
    ServerError,
    TimedOutError,
    TogglError,
)
from desktop.messages import Failure, Field, describe, field_named_in

ACTION = "create the task"
SAID = "Toggl said no"


def test_a_refused_sign_in_asks_to_sign_in_again_in_toggls_words() -> None:
    failure = describe(AuthenticationError("Incorrect username and/or password."), ACTION)
    assert failure == Failure(
        "Toggl did not accept your sign-in (Incorrect username and/or password); "
        "please sign in again.",
        needs_sign_in=True,
    )


@pytest.mark.parametrize(
    ("said", "field"),
    [
        ("Invalid project_id", Field.PROJECT),
        ("estimated_seconds must be positive", Field.ESTIMATE),
        ("user_id 5 is not a member of this workspace", Field.ASSIGNEE),
        ("name has already been taken", Field.NAME),
        ("The project name is too long", Field.PROJECT),  # the first field named wins
        ("Something went wrong", None),
    ],
)
def test_a_rejected_task_points_at_the_field_toggl_names(said: str, field: Field | None) -> None:
    failure = describe(BadRequestError(said, status=400), ACTION)
    assert failure.text == f"Toggl rejected this: {said}."
    assert failure.field is field
    assert field_named_in(said) is field
    assert not failure.offline
    assert not failure.needs_sign_in


def test_a_sentence_toggl_ended_is_not_ended_twice() -> None:
    assert describe(BadRequestError("Name is too long!"), ACTION).text == (
        "Toggl rejected this: Name is too long!"
    )
    assert describe(ForbiddenError("Not in this workspace."), ACTION) == Failure(
        "Toggl refused to create the task: Not in this workspace.", Field.WORKSPACE
    )


def test_a_clause_keeps_an_ellipsis_but_drops_one_full_stop() -> None:
    assert describe(ServerError("Back soon...", status=503), ACTION).text == (
        "Toggl had a problem on its side (503: Back soon...); try again in a little while."
    )
    assert describe(RateLimitedError("Slow down.", retry_after=None), ACTION).text == (
        "Toggl asks to slow down (Slow down); try again in a few seconds."
    )


def test_a_plan_without_tasks_points_at_the_workspace() -> None:
    failure = describe(PaidFeatureError("Feature not available."), ACTION)
    assert failure.field is Field.WORKSPACE
    assert "Starter plan" in failure.text
    assert failure.text.endswith("(Feature not available).")


def test_a_spent_quota_says_when_it_refills() -> None:
    before = time.time()
    failure = describe(QuotaExceededError("Quota reached.", resets_in=600), ACTION)
    after = time.time()
    possible = {time.strftime("%H:%M", time.localtime(t + 600)) for t in (before, after)}
    assert any(
        failure.text == "Your hourly Toggl request quota is used up and refills at "
        f"{until} (Quota reached)."
        for until in possible
    ), failure.text


def test_offline_sentences_name_the_action_and_send_the_task_to_the_outbox() -> None:
    failure = describe(NetworkError("Could not connect to Toggl."), "load your projects")
    assert failure == Failure(
        "Could not reach Toggl to load your projects; check your internet connection.",
        offline=True,
    )


@pytest.mark.parametrize(
    "error",
    [AmbiguousError("The connection broke."), TimedOutError("Toggl did not answer in time.")],
)
def test_a_send_that_may_have_arrived_says_it_is_checked_before_sending_again(
    error: TogglError,
) -> None:
    failure = describe(error, ACTION)
    assert failure.offline
    assert failure.text.startswith(f"Could not {ACTION} (")
    assert "checks before sending it again" in failure.text


def test_an_unreadable_answer_is_said_as_it_is_not_as_a_maybe() -> None:
    """InvalidResponseError is an AmbiguousError, but its own words say more."""
    failure = describe(InvalidResponseError("Toggl's answer could not be read"), ACTION)
    assert failure == Failure(
        "Could not create the task: Toggl's answer could not be read.", offline=True
    )


def test_a_certificate_problem_suggests_what_may_be_in_the_way() -> None:
    failure = describe(
        CertificateError("Toggl's server certificate could not be verified, so nothing was sent."),
        ACTION,
    )
    assert failure.text.startswith(
        "Toggl's server certificate could not be verified, so nothing was sent; a network that "
        "intercepts secure connections"
    )
    assert not failure.offline


def test_gone_and_anything_else() -> None:
    assert describe(GoneError("This endpoint is retired."), ACTION).text == (
        "Toggl no longer offers this request (This endpoint is retired); please update Task Desk."
    )
    assert describe(TogglError("Odd"), ACTION) == Failure("Could not create the task: Odd.")


@pytest.mark.parametrize(
    "error",
    [
        AuthenticationError(SAID), ForbiddenError(SAID), BadRequestError(SAID),
        PaidFeatureError(SAID), QuotaExceededError(SAID, resets_in=5),
        RateLimitedError(SAID, retry_after=1), GoneError(SAID), ServerError(SAID, status=500),
        CertificateError(SAID), NetworkError(SAID), InvalidResponseError(SAID),
        AmbiguousError(SAID), TimedOutError(SAID), TogglError(SAID),
    ],
)  # fmt: skip
def test_every_failure_is_one_line(error: TogglError) -> None:
    text = describe(error, ACTION).text
    assert "\n" not in text
    assert text[0].isupper()
    assert text.endswith((".", "!", "?", "…"))
