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
from desktop.messages import (
    Failure,
    Field,
    describe,
    field_named_in,
    quota_sentence,
    sign_in_refused,
)

ACTION = "create the task"
SAID = "Toggl said no"


def test_a_refused_sign_in_asks_to_sign_in_again_without_toggls_password_words() -> None:
    """Toggl says "Incorrect username and/or password" to a revoked token too: misleading."""
    failure = describe(AuthenticationError("Incorrect username and/or password."), ACTION)
    assert failure == Failure(
        "Toggl no longer accepts your sign-in; please sign in again.", needs_sign_in=True
    )


def test_a_refused_token_is_called_a_token_and_a_refused_password_a_password() -> None:
    token = sign_in_refused(with_token=True)
    assert token.startswith("Toggl did not accept this API token.")
    password = sign_in_refused(with_token=False)
    assert password.startswith("Toggl did not accept this email and password.")
    for text in (token, password):
        assert "Incorrect username" not in text
        assert "\n" not in text


def test_toggls_other_words_on_a_refused_sign_in_are_kept() -> None:
    assert sign_in_refused(True, "Account locked") == (
        sign_in_refused(True) + " Toggl said: Account locked."
    )
    assert sign_in_refused(False, "Incorrect username and/or password") == sign_in_refused(False)


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
        "Toggl had a problem on its side (503: Back soon...)."
    )
    assert describe(RateLimitedError("Slow down.", retry_after=None), ACTION).text == (
        "Toggl asks to slow down (Slow down)."
    )


def test_a_server_error_gives_no_advice_of_its_own() -> None:
    """The outbox tries again by itself and says so once (desktop.sync.status): a 503 that
    also said "try again in a little while" told the user two things."""
    text = describe(ServerError("Service unavailable", status=503), ACTION).text
    assert "try again" not in text.lower()
    assert "moment" not in text


def test_a_plan_without_tasks_points_at_the_workspace() -> None:
    failure = describe(PaidFeatureError("Feature not available."), ACTION)
    assert failure.field is Field.WORKSPACE
    assert "Starter plan" in failure.text
    assert failure.text.endswith("(Feature not available).")


def test_a_spent_quota_says_until_when_in_local_time_and_minutes_never_seconds() -> None:
    toggl = "You have hit your hourly limit for API calls. The quota will reset in 1499 seconds."
    before = time.time()
    failure = describe(QuotaExceededError(toggl, resets_in=1499), ACTION)
    after = time.time()
    possible = {time.strftime("%H:%M", time.localtime(t + 1499)) for t in (before, after)}
    assert any(
        failure.text == f"Toggl's hourly limit is reached; waiting until {until} (25 min)."
        for until in possible
    ), failure.text
    assert "second" not in failure.text
    assert "1499" not in failure.text


@pytest.mark.parametrize(
    ("seconds", "wait"),
    [(1, "1 min"), (29, "1 min"), (89, "1 min"), (91, "2 min"), (1440, "24 min"),
     (3540, "59 min"), (3601, "1 h"), (3900, "1 h 5 min")],
)  # fmt: skip
def test_the_quota_wait_is_in_rounded_minutes(seconds: int, wait: str) -> None:
    until = time.mktime((2026, 3, 4, 14, 5, 0, 0, 0, -1))  # 14:05 local time
    assert quota_sentence(until, now=until - seconds) == (
        f"Toggl's hourly limit is reached; waiting until 14:05 ({wait})."
    )


def test_offline_sentences_name_the_action_and_send_the_task_to_the_outbox() -> None:
    failure = describe(NetworkError("Could not connect to Toggl."), "load your projects")
    assert failure == Failure(
        "Toggl cannot be reached (you may be offline), so Task Desk could not load your projects.",
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
