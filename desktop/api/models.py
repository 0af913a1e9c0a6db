"""Dataclasses for Toggl's JSON, tolerant of unknown and missing fields.

Only an entity's id is required; any other field that is missing or of the wrong type falls back
to a neutral default, so a changed API degrades a label instead of breaking the app.

Like every value class of the app these are `@dataclass(slots=True)` and never changed after
they are built (they cross threads read-only); not `frozen=True`, which on Python 3.11 costs
about 1 ms per class at import for its generated methods, 16 ms on the way to the first paint.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from desktop.api.errors import InvalidResponseError


def _required_id(data: Mapping[str, Any], key: str, what: str) -> int:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidResponseError(f"Toggl sent a {what} without a valid {key}.")
    return value


def _opt_int(data: Mapping[str, Any], key: str) -> int | None:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value


def _str(data: Mapping[str, Any], key: str, default: str = "") -> str:
    value = data.get(key)
    return value if isinstance(value, str) else default


def _opt_str(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    return value if isinstance(value, str) else None


def _bool(data: Mapping[str, Any], key: str, default: bool) -> bool:
    value = data.get(key)
    return value if isinstance(value, bool) else default


def _opt_bool(data: Mapping[str, Any], key: str) -> bool | None:
    value = data.get(key)
    return value if isinstance(value, bool) else None


def _object(data: object, what: str) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise InvalidResponseError(f"Toggl sent a {what} in an unexpected shape.")
    return data


@dataclass(slots=True)
class Me:
    id: int
    email: str
    fullname: str
    default_workspace_id: int | None = None
    timezone: str = ""
    api_token: str | None = field(default=None, repr=False)

    @classmethod
    def from_json(cls, data: object) -> Me:
        obj = _object(data, "profile")
        return cls(
            id=_required_id(obj, "id", "profile"),
            email=_str(obj, "email"),
            fullname=_str(obj, "fullname"),
            default_workspace_id=_opt_int(obj, "default_workspace_id"),
            timezone=_str(obj, "timezone"),
            api_token=_opt_str(obj, "api_token") or None,
        )


@dataclass(slots=True)
class Workspace:
    id: int
    name: str
    premium: bool | None = None
    """Starter plan or higher (tasks need it); None when Toggl did not say."""
    role: str = ""
    organization_id: int | None = None

    @classmethod
    def from_json(cls, data: object) -> Workspace:
        obj = _object(data, "workspace")
        return cls(
            id=_required_id(obj, "id", "workspace"),
            name=_str(obj, "name"),
            premium=_opt_bool(obj, "premium"),
            role=_str(obj, "role"),
            organization_id=_opt_int(obj, "organization_id"),
        )


@dataclass(slots=True)
class Project:
    id: int
    name: str
    workspace_id: int | None = None
    active: bool = True
    client_name: str | None = None
    color: str = ""

    @classmethod
    def from_json(cls, data: object) -> Project:
        obj = _object(data, "project")
        return cls(
            id=_required_id(obj, "id", "project"),
            name=_str(obj, "name"),
            workspace_id=_opt_int(obj, "workspace_id"),
            active=_bool(obj, "active", True),
            client_name=_opt_str(obj, "client_name") or None,
            color=_str(obj, "color"),
        )


@dataclass(slots=True)
class User:
    id: int
    fullname: str
    email: str = ""
    inactive: bool = False

    @classmethod
    def from_json(cls, data: object) -> User:
        obj = _object(data, "user")
        return cls(
            id=_required_id(obj, "id", "user"),
            fullname=_str(obj, "fullname"),
            email=_str(obj, "email"),
            inactive=_bool(obj, "inactive", False),
        )

    @property
    def label(self) -> str:
        return self.fullname or self.email or f"User {self.id}"


@dataclass(slots=True)
class Task:
    id: int
    name: str
    active: bool = True
    at: str = ""
    estimated_seconds: int | None = None
    tracked_ms: int | None = None
    """Toggl's `tracked_seconds`, which holds milliseconds despite its name."""
    user_id: int | None = None
    user_name: str | None = None
    project_id: int | None = None
    project_name: str | None = None
    client_name: str | None = None
    workspace_id: int | None = None
    external_reference: str | None = None
    """The reference the creator gave (Task Desk gives every task its own, see the outbox)."""
    references_served: bool = False
    """Whether Toggl's answer had an `external_reference` field at all (even null): a server
    that drops the field cannot settle an unconfirmed send by reference."""

    @classmethod
    def from_json(cls, data: object) -> Task:
        obj = _object(data, "task")
        return cls(
            id=_required_id(obj, "id", "task"),
            name=_str(obj, "name"),
            active=_bool(obj, "active", True),
            at=_str(obj, "at"),
            estimated_seconds=_opt_int(obj, "estimated_seconds"),
            tracked_ms=_opt_int(obj, "tracked_seconds"),
            user_id=_opt_int(obj, "user_id"),
            user_name=_opt_str(obj, "user_name"),
            project_id=_opt_int(obj, "project_id"),
            project_name=_opt_str(obj, "project_name"),
            client_name=_opt_str(obj, "client_name"),
            workspace_id=_opt_int(obj, "workspace_id"),
            external_reference=_opt_str(obj, "external_reference") or None,
            references_served="external_reference" in obj,
        )

    @property
    def tracked_seconds(self) -> int | None:
        return None if self.tracked_ms is None else self.tracked_ms // 1000


@dataclass(slots=True)
class TaskDraft:
    """What the user asks Toggl to create; `user_id` None sends no assignee."""

    name: str
    active: bool = True
    estimated_seconds: int | None = None
    user_id: int | None = None
    external_reference: str | None = None
    """Sent with the task, so an unconfirmed send can be found on Toggl by it."""

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {"name": self.name, "active": self.active}
        if self.estimated_seconds is not None:
            body["estimated_seconds"] = self.estimated_seconds
        if self.user_id is not None:
            body["user_id"] = self.user_id
        if self.external_reference is not None:
            body["external_reference"] = self.external_reference
        return body

    def matches(self, task: Task) -> bool:
        """Every field this draft sends has the same value in `task`."""
        return (
            task.name == self.name
            and task.active == self.active
            and (self.estimated_seconds is None or task.estimated_seconds == self.estimated_seconds)
            and (self.user_id is None or task.user_id == self.user_id)
        )


@dataclass(slots=True)
class TaskChanges:
    """Fields to change on an existing task; only the ones set are sent."""

    name: str | None = None
    active: bool | None = None
    estimated_seconds: int | None = None
    user_id: int | None = None

    def to_json(self) -> dict[str, Any]:
        fields = {
            "name": self.name,
            "active": self.active,
            "estimated_seconds": self.estimated_seconds,
            "user_id": self.user_id,
        }
        return {key: value for key, value in fields.items() if value is not None}


@dataclass(slots=True)
class Quota:
    """Toggl's hourly request quota as read from the last response's headers."""

    remaining: int | None
    resets_in: int | None
