"""Toggl's hourly request quota as its last answer gave it, on the session's side of the door
(beside `desktop.session`, which stays within its size): the window shows it in the status bar
and the bulk dialog says what a list of tasks will cost against it."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from desktop.api.models import Quota

if TYPE_CHECKING:
    from desktop.session import Session


class QuotaSeen(NamedTuple):
    """The quota as of an answer: requests left (None: not said), and when it refills, as a
    time since the epoch (None: not said)."""

    remaining: int | None
    resets_at: float | None

    @classmethod
    def of(cls, quota: Quota, now: float) -> QuotaSeen:
        """`quota` read at `now`, just after the answer that carried it."""
        return cls(quota.remaining, None if quota.resets_in is None else now + quota.resets_in)


def quota(session: Session) -> Quota | None:
    """The quota headers of Toggl's last answer that had them (a new `Quota` at each such
    answer, so a change is seen by identity), None before any; the client (and with it httpx)
    is never built for the asking."""
    if "client" not in session.__dict__:
        return None
    return session.client.quota
