"""Failures as sentences a freelancer can act on, and the form field each one is about."""

from __future__ import annotations

import time
from dataclasses import dataclass
from enum import Enum

from desktop.api.errors import (
    AmbiguousError,
    AuthenticationError,
    BadRequestError,
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


class Field(Enum):
    WORKSPACE = "workspace"
    PROJECT = "project"
    NAME = "name"
    ESTIMATE = "estimate"
    ASSIGNEE = "assignee"


@dataclass(slots=True)
class Failure:
    text: str
    field: Field | None = None
    needs_sign_in: bool = False
    offline: bool = False


def describe(error: TogglError, action: str) -> Failure:
    """`action` completes "Could not ...", e.g. "create the task" or "load the projects"."""
    said = error.message.strip()
    if isinstance(error, AuthenticationError):
        return Failure(
            f"Toggl did not accept your sign-in ({said}). Please sign in again.",
            needs_sign_in=True,
        )
    if isinstance(error, ForbiddenError):
        return Failure(_sentence(f"Toggl refused to {action}: {said}"), Field.WORKSPACE)
    if isinstance(error, BadRequestError):
        return Failure(_sentence(f"Toggl rejected this: {said}"), field_named_in(said))
    if isinstance(error, PaidFeatureError):
        return Failure(
            _sentence(f"This workspace's Toggl plan does not include tasks: {said}")
            + " Tasks need a Starter plan or higher.",
            Field.WORKSPACE,
        )
    if isinstance(error, QuotaExceededError):
        until = time.strftime("%H:%M", time.localtime(time.time() + error.resets_in))
        return Failure(
            f"Your hourly Toggl request quota is used up; it refills at {until}. " + _sentence(said)
        )
    if isinstance(error, RateLimitedError):
        return Failure(f"Toggl asks to slow down ({said}). Try again in a few seconds.")
    if isinstance(error, GoneError):
        return Failure(f"Toggl no longer offers this request ({said}). Please update Task Desk.")
    if isinstance(error, ServerError):
        return Failure(
            f"Toggl had a problem on its side ({error.status}: {said}). "
            "Try again in a little while."
        )
    if isinstance(error, NetworkError):
        return Failure(
            _sentence(f"Could not reach Toggl to {action}: {said}")
            + " Check your internet connection.",
            offline=True,
        )
    if isinstance(error, InvalidResponseError):
        return Failure(_sentence(f"Could not {action}: {said}"), offline=True)
    if isinstance(error, AmbiguousError):
        return Failure(
            _sentence(f"Could not {action}: {said}")
            + " The request may have reached Toggl: Task Desk checks before sending it again.",
            offline=True,
        )
    return Failure(_sentence(f"Could not {action}: {said}"))


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
