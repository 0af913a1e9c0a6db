"""Failures as sentences a freelancer can act on, and the form field each one is about."""

from __future__ import annotations

import time
from enum import Enum

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
    TogglError,
)
from desktop.values import Value


class Field(Enum):
    WORKSPACE = "workspace"
    PROJECT = "project"
    NAME = "name"
    ESTIMATE = "estimate"
    ASSIGNEE = "assignee"


class Failure(Value):
    _fields = ("text", "field", "needs_sign_in", "offline")
    __slots__ = _fields
    text: str
    field: Field | None
    needs_sign_in: bool
    offline: bool

    def __init__(
        self,
        text: str,
        field: Field | None = None,
        needs_sign_in: bool = False,
        offline: bool = False,
    ) -> None:
        self.text, self.field, self.needs_sign_in, self.offline = (
            text,
            field,
            needs_sign_in,
            offline,
        )


def describe(error: TogglError, action: str) -> Failure:
    """One sentence for `error`; `action` completes "Could not ...", e.g. "create the task".

    Toggl's own words are kept where it sent any (in the client's message); a message the
    client wrote itself is used only where it says more than this sentence would.
    """
    said = error.message.strip()
    if isinstance(error, AuthenticationError):
        # Toggl's words here are always "Incorrect username and/or password", whatever was
        # given: misleading to someone who pasted a token, so they are left out.
        return Failure(
            "Toggl no longer accepts your sign-in; please sign in again.", needs_sign_in=True
        )
    if isinstance(error, ForbiddenError):
        return Failure(_sentence(f"Toggl refused to {action}: {said}"), Field.WORKSPACE)
    if isinstance(error, BadRequestError):
        return Failure(_sentence(f"Toggl rejected this: {said}"), field_named_in(said))
    if isinstance(error, PaidFeatureError):
        return Failure(
            "This workspace's Toggl plan does not include tasks, which need a Starter plan or "
            f"higher ({_clause(said)}).",
            Field.WORKSPACE,
        )
    if isinstance(error, QuotaExceededError):
        # Toggl's words count seconds ("reset in 1499 seconds"): the clock time says it better.
        return Failure(quota_sentence(time.time() + error.resets_in))
    if isinstance(error, RateLimitedError):
        return Failure(f"Toggl asks to slow down ({_clause(said)}).")
    if isinstance(error, GoneError):
        return Failure(
            f"Toggl no longer offers this request ({_clause(said)}); please update Task Desk."
        )
    if isinstance(error, ServerError):
        # No advice here: the outbox tries again by itself, and says so (desktop.sync.status).
        return Failure(f"Toggl had a problem on its side ({error.status}: {_clause(said)}).")
    if isinstance(error, CertificateError):
        return Failure(
            f"{_clause(said)}; a network that intercepts secure connections (as some office or "
            "hotel Wi-Fi does) may be in the way."
        )
    if isinstance(error, NetworkError):
        return Failure(
            f"Toggl cannot be reached (you may be offline), so Task Desk could not {action}.",
            offline=True,
        )
    if isinstance(error, InvalidResponseError):
        return Failure(_sentence(f"Could not {action}: {said}"), offline=True)
    if isinstance(error, AmbiguousError):
        return Failure(
            f"Could not {action} ({_clause(said)}); the request may have reached Toggl, so "
            "Task Desk checks before sending it again.",
            offline=True,
        )
    return Failure(_sentence(f"Could not {action}: {said}"))


def quota_sentence(until: float, now: float | None = None) -> str:
    """Toggl's quota is spent until `until` (a timestamp): local clock time and whole minutes."""
    now = time.time() if now is None else now
    minutes = max(1, round((until - now) / 60))
    hours, rest = divmod(minutes, 60)
    wait = " ".join(filter(None, (f"{hours} h" if hours else "", f"{rest} min" if rest else "")))
    clock = time.strftime("%H:%M", time.localtime(until))
    return f"Toggl's hourly limit is reached; waiting until {clock} ({wait})."


def sign_in_refused(with_token: bool, said: str = "") -> str:
    """Toggl refused the details typed in the sign-in dialog. Its usual words, "Incorrect
    username and/or password", would mislead someone who pasted a token: words about a
    password are left out; anything else Toggl said is kept."""
    if with_token:
        text = (
            "Toggl did not accept this API token. Copy it again from your Toggl profile "
            "(Profile → API Token) and paste all of it."
        )
    else:
        text = "Toggl did not accept this email and password. Check them and try again."
    said = said.strip()
    if not said or "password" in said.lower():
        return text
    return f"{text} Toggl said: {_sentence(said)}"


def field_named_in(message: str) -> Field | None:
    """The form field a Toggl 400 message is about, when it names one."""
    lowered = message.lower()
    for needle, field in (
        ("project", Field.PROJECT),
        ("estimat", Field.ESTIMATE),
        ("user", Field.ASSIGNEE),
        ("name", Field.NAME),
    ):
        if needle in lowered:
            return field
    return None


def _sentence(text: str) -> str:
    """End with a full stop unless the text already ends a sentence."""
    text = text.rstrip()
    return text if text.endswith((".", "!", "?", "…")) else text + "."


def _clause(text: str) -> str:
    """`text` set inside a sentence: without its closing full stop."""
    text = text.rstrip()
    return text[:-1] if text.endswith(".") and not text.endswith("..") else text
