"""Reading Toggl's answers: its error words, JSON bodies, quota and Retry-After headers, and
what a transport failure means for a send. Each function bounds what it accepts (see the
contract in `desktop.api.client`), so nothing a server sends raises anything but a `TogglError`.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from math import isnan
from typing import TYPE_CHECKING, TypedDict

from desktop.api.errors import (
    AmbiguousError,
    AuthenticationError,
    BadRequestError,
    CertificateError,
    ForbiddenError,
    GoneError,
    InvalidResponseError,
    NetworkError,
    NotFoundError,
    PaidFeatureError,
    QuotaExceededError,
    RateLimitedError,
    ServerError,
    TimedOutError,
    TogglError,
    clamp_wait,
)
from desktop.api.models import JSON, Task

if TYPE_CHECKING:
    import httpx

    from desktop.api.deadline import Deadline

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 20 * 1024 * 1024
MAX_MESSAGE_CHARS = 500
MAX_HEADER_COUNT = 10**9  # a quota count beyond this is absurd; clamped, not refused
QUOTA_RESET_IN_BODY = re.compile(r"reset in (\d+) second", re.IGNORECASE)


def toggl_message(
    raw: bytes, content_type: str, reason: str, secrets: list[tuple[str, str]] | None = None
) -> str:
    """Toggl's error text: a JSON string literal, else plain text, else the HTTP reason phrase;
    one line, clipped, each of `secrets` (text, stand-in) replaced by its stand-in."""

    def said(text: str) -> str:
        for secret, mark in secrets or ():
            text = re.sub(re.escape(secret), mark, text, flags=re.IGNORECASE)
        return _clip(text.strip())

    text = raw.decode("utf-8", errors="replace").strip()
    if not text:
        return said(reason)
    try:
        data = json.loads(text)
    except ValueError:  # not JSON (or a number too long to convert): plain text
        data = None
    except RecursionError:  # JSON nested absurdly deep: nothing a person should read
        return said(reason)
    if isinstance(data, str):
        return said(data) or said(reason)
    if isinstance(data, dict):
        for key in ("message", "error", "error_message"):
            value = data.get(key)
            if isinstance(value, str) and said(value):
                return said(value)
    if "html" in content_type.lower() or text.startswith("<"):
        return said(reason)  # an HTML error page says nothing a person should read in a status line
    return said(text)


def _clip(text: str) -> str:
    """One line of at most MAX_MESSAGE_CHARS, every control or format character a space."""
    if len(text) > MAX_MESSAGE_CHARS:  # cut first: a 20 MB text body is not scanned
        text = text[: MAX_MESSAGE_CHARS - 1] + "…"
    return "".join(ch if ch.isprintable() else " " for ch in text)


def encode_body(body: JSON) -> tuple[bytes | None, dict[str, str]]:
    """The JSON request body, encoded here so that text that cannot be encoded (a lone
    surrogate) is a local refusal before anything is sent, not an exception from httpx."""
    if body is None:
        return None, {}
    try:
        content = json.dumps(body, ensure_ascii=False, allow_nan=False).encode("utf-8")
    except (ValueError, TypeError) as exc:  # UnicodeEncodeError is a ValueError
        raise BadRequestError("The task holds text that cannot be sent to Toggl.") from exc
    return content, {"Content-Type": "application/json"}


def read_capped(response: httpx.Response, deadline: Deadline) -> bytes:
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise InvalidResponseError("Toggl's answer was far larger than expected.")
        chunks.append(chunk)
        if deadline.passed():  # a transport without the deadline backend (tests) still stops
            raise TimedOutError("Toggl did not answer in time.")
    return b"".join(chunks)


def parse_json(raw: bytes, response: httpx.Response, request_id: str | None) -> JSON:
    if not raw.strip():
        return None
    try:
        value: JSON = json.loads(raw)
        return value
    except (ValueError, RecursionError) as exc:  # includes numbers too long to convert
        hint = " (a captive portal or proxy may be in the way)" if b"<" in raw[:200] else ""
        raise InvalidResponseError(
            f"Toggl's answer could not be read{hint}.",
            status=response.status_code,
            request_id=request_id,
        ) from exc


def same_place(task: Task, workspace_id: int, project_id: int) -> Task:
    if (task.project_id is not None and task.project_id != project_id) or (
        task.workspace_id is not None and task.workspace_id != workspace_id
    ):
        log.warning(
            "Toggl answered with task %s in workspace %s, project %s; expected %s, %s",
            task.id,
            task.workspace_id,
            task.project_id,
            workspace_id,
            project_id,
        )
        raise InvalidResponseError(
            "Toggl's answer named another project than the one the task was sent to."
        )
    return task


def transport_error(exc: httpx.HTTPError) -> TogglError:
    """The plain-sentence error for what httpx raised; the detail is logged by the caller."""
    import socket  # only after a failure, like ssl and httpx (see desktop.api.client)
    import ssl

    import httpx

    if isinstance(exc, httpx.ConnectTimeout):
        return NetworkError("Toggl did not accept a connection in time.")
    if isinstance(exc, httpx.PoolTimeout):
        return NetworkError("No connection to Toggl was free in time.")
    if isinstance(exc, httpx.TimeoutException):
        return TimedOutError("Toggl did not answer in time.")
    if isinstance(exc, httpx.ConnectError | httpx.ProxyError):
        causes = list(_causes(exc))
        if any(isinstance(cause, ssl.SSLCertVerificationError) for cause in causes):
            return CertificateError(
                "Toggl's server certificate could not be verified, so nothing was sent."
            )
        if any(isinstance(cause, ssl.SSLError) for cause in causes):
            return CertificateError(
                "A secure connection to Toggl could not be set up, so nothing was sent."
            )
        if any(isinstance(cause, socket.gaierror) for cause in causes):
            return NetworkError("Could not look up the address of Toggl's server.")
        if isinstance(exc, httpx.ProxyError):
            return NetworkError("Could not connect to Toggl through the proxy.")
        return NetworkError("Could not connect to Toggl.")
    if isinstance(exc, httpx.TransportError):
        return AmbiguousError("The connection to Toggl broke before its answer arrived.")
    return InvalidResponseError("Toggl's answer could not be read.")  # e.g. bad gzip


def _causes(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def reason_of(exc: Exception) -> str:
    """Exception text for the log only (never a message): a person cannot act on an errno."""
    text = str(exc).strip()
    return text[:200] if text else type(exc).__name__


def request_id_of(headers: httpx.Headers) -> str | None:
    value = headers.get("X-Toggl-Request-Id")
    return None if value is None else _clip(value)[:100]


def _number_header(headers: httpx.Headers, name: str) -> float | None:
    """A header's number, or None when missing, unreadable or NaN; may be infinite."""
    value = headers.get(name)
    if value is None:
        return None
    try:
        number = float(value.strip()[:100])
    except ValueError:
        return None
    return None if isnan(number) else number


def int_header(headers: httpx.Headers, name: str) -> int | None:
    """A count or a number of seconds, clamped to [0, MAX_HEADER_COUNT] (`inf` included)."""
    number = _number_header(headers, name)
    return None if number is None else int(min(max(number, 0.0), MAX_HEADER_COUNT))


def retry_after(headers: httpx.Headers) -> float | None:
    """Retry-After in seconds, clamped to [0, 3600]; an HTTP date (rare) is left to our own
    backoff."""
    number = _number_header(headers, "Retry-After")
    return None if number is None else clamp_wait(number)


def quota_resets_in(response: httpx.Response, message: str) -> int:
    header = int_header(response.headers, "X-Toggl-Quota-Resets-In")
    if header is not None:
        return int(clamp_wait(header))
    match = QUOTA_RESET_IN_BODY.search(message)
    return int(clamp_wait(int(match.group(1)))) if match else 3600


class _Where(TypedDict):
    """What every error for an answer carries: its status and Toggl's request id."""

    status: int
    request_id: str | None


def error_for(
    response: httpx.Response,
    raw: bytes,
    request_id: str | None,
    secrets: list[tuple[str, str]],
    *,
    credentials_refused_on_403: bool,
) -> TogglError:
    """The typed error for a failed answer, in Toggl's words with `secrets` cut out.

    A 403 is a refused sign-in only where everyone may read (`/me`); elsewhere the client
    asks `/me` before calling it one."""
    status = response.status_code
    content_type = response.headers.get("Content-Type", "")
    reason = response.reason_phrase.strip() or f"Status {status}"
    message = toggl_message(raw, content_type, reason, secrets)
    common: _Where = {"status": status, "request_id": request_id}
    if status == 401 or (status == 403 and credentials_refused_on_403):
        return AuthenticationError(message, **common)
    if status == 403:
        return ForbiddenError(message, **common)
    if status == 402:
        remaining = int_header(response.headers, "X-Toggl-Quota-Remaining")
        if (remaining is not None and remaining <= 0) or QUOTA_RESET_IN_BODY.search(message):
            resets_in = quota_resets_in(response, message)
            return QuotaExceededError(message, resets_in=resets_in, **common)
        return PaidFeatureError(message, **common)
    if status == 410:
        return GoneError(message, **common)
    if status == 429:
        return RateLimitedError(message, retry_after=retry_after(response.headers), **common)
    if 500 <= status < 600:
        return ServerError(message, **common)
    if status == 404:
        return NotFoundError(message, **common)
    if 400 <= status < 500:
        return BadRequestError(message, **common)
    return InvalidResponseError(
        f"Toggl's address answered with an unexpected redirect or status ({status}); "
        "a captive portal or proxy may be in the way.",
        **common,
    )
