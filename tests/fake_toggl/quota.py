"""Toggl's API quota: a number of ``/workspaces/...`` requests per period, refilled on a clock.

Unlimited by default (the headers still say 999999 remaining); ``set`` turns it on.
"""

from __future__ import annotations

import math
import threading
import time
from typing import Any

from tests.fake_toggl.wire import ApiError

UNLIMITED_QUOTA = 999_999
DEFAULT_RESETS_IN = 3600


class Quota:
    """Remaining calls and the time of the next refill, guarded by the fake's lock."""

    def __init__(self, lock: threading.RLock) -> None:
        self._lock = lock
        self.limit: int | None = None
        self._period = DEFAULT_RESETS_IN
        self._remaining = UNLIMITED_QUOTA
        self._reset_at = time.monotonic() + DEFAULT_RESETS_IN

    def set(
        self,
        limit: int | None,
        resets_in: int = DEFAULT_RESETS_IN,
        remaining: int | None = None,
    ) -> None:
        """Allow ``limit`` calls per ``resets_in`` s (None: unlimited); start at ``remaining``."""
        with self._lock:
            self.limit = limit
            full = UNLIMITED_QUOTA if limit is None else limit
            self._remaining = full if remaining is None else remaining
            self._period = resets_in
            self._reset_at = time.monotonic() + resets_in

    def consume(self) -> None:
        """Spend one call, or raise Toggl's 402 when none is left."""
        with self._lock:
            self._refresh()
            if self.limit is None:
                return
            if self._remaining <= 0:
                seconds = self._resets_in()
                raise ApiError(
                    402,
                    "You have hit your hourly limit for API calls. "
                    f"The quota will reset in {seconds} seconds.",
                )
            self._remaining -= 1

    def headers(self) -> dict[str, str]:
        """The quota headers Toggl adds to every answer."""
        with self._lock:
            self._refresh()
            return {
                "X-Toggl-Quota-Remaining": str(self._remaining),
                "X-Toggl-Quota-Resets-In": str(self._resets_in()),
            }

    def status(self) -> dict[str, Any]:
        """Limit (None: unlimited), calls left and seconds to the refill."""
        with self._lock:
            self._refresh()
            return {
                "limit": self.limit,
                "remaining": self._remaining,
                "resets_in": self._resets_in(),
            }

    def report(self, organization_ids: list[int]) -> list[dict[str, Any]]:
        """The body of ``GET /me/quota``: one entry per organization."""
        with self._lock:
            self._refresh()
            total = UNLIMITED_QUOTA if self.limit is None else self.limit
            return [
                {
                    "organization_id": org,
                    "remaining": self._remaining,
                    "resets_in_secs": self._resets_in(),
                    "total": total,
                }
                for org in organization_ids
            ]

    def _refresh(self) -> None:
        now = time.monotonic()
        if now >= self._reset_at:
            self._reset_at = now + self._period
            if self.limit is not None:
                self._remaining = self.limit

    def _resets_in(self) -> int:
        return max(0, math.ceil(self._reset_at - time.monotonic()))
