"""The connection indicator's words and the reason a queued task waits, for each engine state,
the most pressing state first."""

from __future__ import annotations

import time

import pytest

from desktop.api.errors import (
    AuthenticationError,
    NetworkError,
    QuotaExceededError,
    ServerError,
    TimedOutError,
)
from desktop.messages import describe
from desktop.sync.outcomes import Connection, SyncStatus
from desktop.sync.status import (
    OFFLINE_SENTENCE,
    clock_time,
    deferred_reason,
    indicator_text,
    send_now_blocked,
    waiting_reason,
)

QUOTA_AT = time.mktime((2026, 3, 4, 14, 5, 0, 0, 0, -1))  # 14:05 local time


@pytest.mark.parametrize(
    ("status", "text"),
    [
        (SyncStatus(Connection.UNKNOWN, 0), "Connecting…"),
        (SyncStatus(Connection.ONLINE, 0), "Online"),
        (SyncStatus(Connection.ONLINE, 3), "Syncing 3"),
        (SyncStatus(Connection.UNKNOWN, 2), "Syncing 2"),
        (SyncStatus(Connection.OFFLINE, 0), "Offline"),
        (SyncStatus(Connection.OFFLINE, 4), "Offline — 4 queued"),
        (SyncStatus(Connection.OFFLINE, 4, quota_until=QUOTA_AT), "Waiting for quota until 14:05"),
        (
            SyncStatus(Connection.OFFLINE, 4, sign_in_needed=True, quota_until=QUOTA_AT),
            "Sign-in needed",
        ),
    ],
)
def test_the_indicator_names_the_most_pressing_state(status: SyncStatus, text: str) -> None:
    assert indicator_text(status) == text


def test_clock_time_is_hours_and_minutes_in_local_time() -> None:
    assert clock_time(QUOTA_AT) == "14:05"
    assert clock_time(QUOTA_AT + 59) == "14:05"
    assert clock_time(QUOTA_AT + 60) == "14:06"


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (SyncStatus(Connection.ONLINE, 1), "It will be sent in a moment."),
        (SyncStatus(Connection.ONLINE, 2), "It will be sent after the 1 task ahead of it."),
        (SyncStatus(Connection.ONLINE, 5), "It will be sent after the 4 tasks ahead of it."),
        (
            SyncStatus(Connection.OFFLINE, 5),
            "Toggl cannot be reached (you may be offline). Tasks are kept and sent when it can.",
        ),
        (
            SyncStatus(Connection.OFFLINE, 5, sign_in_needed=True, quota_until=QUOTA_AT),
            "It will be sent once you sign in again.",
        ),
    ],
)
def test_a_queued_task_is_told_why_it_waits(status: SyncStatus, reason: str) -> None:
    assert waiting_reason(status) == reason


@pytest.mark.parametrize(
    ("status", "said"),
    [
        (SyncStatus(Connection.ONLINE, 2), None),
        (SyncStatus(Connection.OFFLINE, 2), None),  # Send now tries the network at once
        (SyncStatus(Connection.ONLINE, 0), "No task is waiting to be sent."),
        (
            SyncStatus(Connection.ONLINE, 2, quota_until=QUOTA_AT),
            "Toggl's hourly limit is reached; tasks wait until 14:05, "
            "and Send now cannot skip that wait.",
        ),
        (
            SyncStatus(Connection.ONLINE, 2, sign_in_needed=True, quota_until=QUOTA_AT),
            "Sign in again first: Toggl no longer accepts the saved token.",
        ),
    ],
)
def test_send_now_skips_a_backoff_but_never_a_quota_wait(
    status: SyncStatus, said: str | None
) -> None:
    assert send_now_blocked(status) == said


def test_a_spent_quota_is_said_with_its_clock_time_and_minutes() -> None:
    status = SyncStatus(Connection.ONLINE, 5, quota_until=time.time() + 24 * 60)
    reason = waiting_reason(status)
    assert reason.startswith("Toggl's hourly limit is reached; waiting until ")
    assert reason.endswith(f"{clock_time(status.quota_until or 0)} (24 min).")


ACTION = "create the task"
TOGGL_QUOTA = "You have hit your hourly limit for API calls. The quota will reset in 1499 seconds."


def test_a_503_says_one_thing() -> None:
    """Not both "try again in a little while" and "It will be sent in a moment"."""
    failure = describe(ServerError("Service unavailable", status=503), ACTION)
    reason = deferred_reason(failure, SyncStatus(Connection.ONLINE, 1))
    assert reason == (
        "Toggl had a problem on its side (503: Service unavailable). "
        "Task Desk will try again shortly."
    )


def test_a_spent_quota_is_said_once() -> None:
    failure = describe(QuotaExceededError(TOGGL_QUOTA, resets_in=1499), ACTION)
    status = SyncStatus(Connection.ONLINE, 1, quota_until=time.time() + 1500)
    reason = deferred_reason(failure, status)
    assert reason.count("hourly limit") == 1
    assert "quota" not in reason.lower()
    assert "seconds" not in reason
    assert reason.endswith("(25 min).")


def test_offline_is_one_plain_sentence_pair() -> None:
    failure = describe(NetworkError("Could not connect to Toggl."), ACTION)
    reason = deferred_reason(failure, SyncStatus(Connection.OFFLINE, 1))
    assert reason == OFFLINE_SENTENCE
    assert reason.startswith("Toggl cannot be reached")


def test_a_refused_sign_in_says_the_task_waits_for_it_once() -> None:
    failure = describe(AuthenticationError("Incorrect username and/or password"), ACTION)
    reason = deferred_reason(failure, SyncStatus(Connection.ONLINE, 1, sign_in_needed=True))
    assert reason == (
        "Toggl no longer accepts your sign-in; it will be sent once you sign in again."
    )


def test_an_answer_that_may_have_arrived_says_only_that_it_is_checked() -> None:
    failure = describe(TimedOutError("Toggl did not answer in time."), ACTION)
    reason = deferred_reason(failure, SyncStatus(Connection.ONLINE, 1))
    assert reason == failure.text
    assert reason.count("Task Desk") == 1
