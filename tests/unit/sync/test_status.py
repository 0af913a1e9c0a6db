"""The connection indicator's words and the reason a queued task waits, for each engine state,
the most pressing state first."""

from __future__ import annotations

import time

import pytest

from desktop.sync.outcomes import Connection, SyncStatus
from desktop.sync.status import clock_time, indicator_text, send_now_blocked, waiting_reason

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
            "You are offline; it will be sent as soon as Toggl can be reached.",
        ),
        (
            SyncStatus(Connection.OFFLINE, 5, quota_until=QUOTA_AT),
            "Your hourly Toggl request quota is used up; it will be sent after 14:05.",
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
            "Toggl's hourly limit is reached: tasks wait until 14:05, "
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
