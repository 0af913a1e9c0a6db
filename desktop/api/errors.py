"""Typed errors of the Toggl client, each carrying Toggl's own message where it sent one.

The split between `NetworkError` and `AmbiguousError` matters for never duplicating a task:
a `NetworkError` guarantees the request never reached Toggl, an `AmbiguousError` means it may have.
`CertificateError` also guarantees nothing was sent, but it is not "offline": the network works and
something on it (or Toggl's server) presented a certificate that does not verify.

Every `message` is one plain sentence (or Toggl's own words, with the credentials cut out): no
errno, no exception text. Waits that came from headers are finite and within `MAX_WAIT_SECONDS`.
"""

from __future__ import annotations

MAX_WAIT_SECONDS = 3600
"""The longest wait a header may ask for; Toggl's quota window is an hour."""


def clamp_wait(seconds: float) -> float:
    """`seconds` within [0, MAX_WAIT_SECONDS]; NaN reads as 0 (no wait known)."""
    if seconds != seconds:  # NaN; math.isnan would overflow on an int beyond float's range
        return 0.0
    return float(min(MAX_WAIT_SECONDS, max(0, seconds)))


class TogglError(Exception):
    """Base of every failure of a Toggl call; `message` is Toggl's text or our plain sentence."""

    def __init__(
        self, message: str, *, status: int | None = None, request_id: str | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.request_id = request_id


class AuthenticationError(TogglError):
    """The credentials were refused (401, or 403 on sign-in): the user must sign in again."""


class ForbiddenError(TogglError):
    """403 outside sign-in: the user has no access to this workspace or project."""


class BadRequestError(TogglError):
    """400 (or another 4xx Toggl uses for a rejected payload): do not send it again unchanged."""


class NotFoundError(BadRequestError):
    """404: no such task (deleted on Toggl, or never there); a delete that meets it is done."""


class PaidFeatureError(TogglError):
    """402 while quota remains: the workspace's plan does not include this feature (tasks)."""


class QuotaExceededError(TogglError):
    """402 with the hourly request quota spent; `resets_in` seconds (0..3600) until it refills."""

    def __init__(
        self,
        message: str,
        *,
        resets_in: int,
        status: int | None = 402,
        request_id: str | None = None,
    ) -> None:
        super().__init__(message, status=status, request_id=request_id)
        self.resets_in = int(clamp_wait(resets_in))


class RateLimitedError(TogglError):
    """429: too many requests; `retry_after` seconds (within [0, 3600]) when Toggl said so."""

    def __init__(
        self,
        message: str,
        *,
        retry_after: float | None,
        status: int | None = 429,
        request_id: str | None = None,
    ) -> None:
        super().__init__(message, status=status, request_id=request_id)
        self.retry_after = None if retry_after is None else clamp_wait(retry_after)


class GoneError(TogglError):
    """410: Toggl retired this endpoint; the app needs an update."""


class ServerError(TogglError):
    """5xx: a fault on Toggl's side; safe to retry later."""


class NetworkError(TogglError):
    """Nothing was sent: DNS failure, connection refused, connect timeout."""


class CertificateError(TogglError):
    """TLS verification failed (an untrusted, expired or mismatched certificate): nothing was sent.

    Not a `NetworkError`: the machine is online, so "You are offline" would mislead. A network
    that intercepts secure connections (some office or hotel Wi-Fi) is the usual cause; a row
    can stay queued and be retried with a backoff, as after a server error.
    """


class AmbiguousError(TogglError):
    """The request went out but no usable answer came back: it may or may not have taken effect."""


class TimedOutError(AmbiguousError):
    """Toggl took longer than a read timeout or the request's total deadline: it may still be
    working on the request."""


class InvalidResponseError(AmbiguousError):
    """Toggl (or something posing as it, such as a captive portal) answered with unreadable data."""
