"""Values of Toggl's JSON, tolerant of unknown and missing fields, bounded in what they keep.

Only an entity's id is required; any other field that is missing, of the wrong type or out of
bounds falls back to a neutral default (None, "", the usual flag), so a changed API degrades a
label instead of breaking the app, and nothing absurd reaches SQLite or the screen:

- ids are ints in 0..`MAX_ID` (2**53 - 1: exact in every JSON reader, far inside SQLite's int64);
  an entity's own id out of bounds is an `InvalidResponseError`, any other id reads as unknown,
  as does a reference of 0 (Toggl's "none"; its Swagger file sets no minimum, and a mock of it
  answers 0 for every id, so 0 is not refused as an entity's own id);
- `estimated_seconds` in 0..`MAX_ESTIMATE_SECONDS` (under 10 years), `tracked_seconds` (which
  holds milliseconds) in 0..`MAX_TRACKED_MS` (under 100 years), else unknown;
- `at` is kept only when it reads as an ISO 8601 time in the years 2000 to 2099, else "";
- text is cut to `MAX_TEXT_CHARS` (ending in "…") and lone surrogates become U+FFFD, so it can
  always be encoded; an `api_token` that is not 1 to 256 printable ASCII characters is dropped
  rather than cut, as a cut token would be a wrong one.

They are never changed after they are built (they cross threads read-only). Unlike the app's
other value classes they are not `@dataclass(slots=True)` but `_Value`s: the same slots,
keyword or positional construction, equality and repr, written out once, because the window's
first paint imports this module, and making these eight dataclasses took 4.4 ms there (their
generated methods are compiled at import). They still answer `dataclasses.replace`, `asdict`
and `fields` as the dataclasses did.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import datetime
from typing import Any, ClassVar, TypeAlias

from desktop.api.errors import InvalidResponseError

MAX_ID = 2**53 - 1
MAX_ESTIMATE_SECONDS = 10 * 365 * 86_400
MAX_TRACKED_MS = 100 * 365 * 86_400 * 1000
MAX_TEXT_CHARS = 1000
MAX_TOKEN_CHARS = 256
_FIRST_YEAR, _LAST_YEAR = 2000, 2099
_RANGES = {
    "estimated_seconds": (0, MAX_ESTIMATE_SECONDS),
    "tracked_seconds": (0, MAX_TRACKED_MS),
}
"""Bounds of the integer fields that are not ids; every other integer field is an id."""
_ID_RANGE = (0, MAX_ID)

JSON: TypeAlias = "bool | int | float | str | list[JSON] | dict[str, JSON] | None"
"""A JSON value as `json.loads` returns it and `json.dumps` takes it."""


def _bounded_int(value: object, key: str) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    low, high = _RANGES.get(key, _ID_RANGE)
    return value if low <= value <= high else None


def _required_id(data: Mapping[str, object], key: str, what: str) -> int:
    value = _bounded_int(data.get(key), key)
    if value is None:
        raise InvalidResponseError(f"Toggl sent a {what} without a valid {key}.")
    return value


def _opt_int(data: Mapping[str, object], key: str) -> int | None:
    value = _bounded_int(data.get(key), key)
    return None if value == 0 and key not in _RANGES else value  # a reference of 0: none


def _text(value: str) -> str:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate from a "\ud800" escape: SQLite would refuse it
        value = "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in value)
    return value if len(value) <= MAX_TEXT_CHARS else value[: MAX_TEXT_CHARS - 1] + "…"


def _str(data: Mapping[str, object], key: str, default: str = "") -> str:
    value = data.get(key)
    return _text(value) if isinstance(value, str) else default


def _opt_str(data: Mapping[str, object], key: str) -> str | None:
    value = data.get(key)
    return _text(value) if isinstance(value, str) else None


def _token(data: Mapping[str, object], key: str) -> str | None:
    value = data.get(key)
    if not isinstance(value, str) or not 0 < len(value) <= MAX_TOKEN_CHARS:
        return None
    return value if value.isascii() and value.isprintable() else None


def _moment(data: Mapping[str, object], key: str) -> str:
    """The time as Toggl wrote it, or "" when it is not an ISO time between 2000 and 2099."""
    value = data.get(key)
    if not isinstance(value, str) or len(value) > 64:
        return ""
    try:
        year = datetime.fromisoformat(value).year
    except ValueError:
        return ""
    return value if _FIRST_YEAR <= year <= _LAST_YEAR else ""


def _bool(data: Mapping[str, object], key: str, default: bool) -> bool:
    value = data.get(key)
    return value if isinstance(value, bool) else default


def _opt_bool(data: Mapping[str, object], key: str) -> bool | None:
    value = data.get(key)
    return value if isinstance(value, bool) else None


def _object(data: object, what: str) -> Mapping[str, object]:
    if not isinstance(data, Mapping):
        raise InvalidResponseError(f"Toggl sent a {what} in an unexpected shape.")
    return data


class _Value:
    """What `@dataclass(slots=True)` generates, for a class whose `_fields` (its `__slots__`)
    list its fields in order, without generating it at import: equality with the same class
    (field by field; unhashable, as a mutable dataclass), a repr of the fields not in `_hidden`,
    and the `__dataclass_fields__` that `dataclasses.replace`, `asdict` and `fields` read
    (`_dataclass_fields`). Each subclass writes its `__init__`."""

    __slots__ = ()
    _fields: ClassVar[tuple[str, ...]] = ()
    _hidden: ClassVar[frozenset[str]] = frozenset()
    __hash__ = None  # type: ignore[assignment]

    def _values(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self._fields)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, _Value)
        return self._values() == other._values()

    def __repr__(self) -> str:
        shown = [f"{n}={getattr(self, n)!r}" for n in self._fields if n not in self._hidden]
        return f"{type(self).__qualname__}({', '.join(shown)})"


def _dataclass_fields(cls: type[_Value]) -> None:
    """Give `cls` the fields a dataclass would have (name, type, repr), so the `dataclasses`
    functions take its instances."""
    kind = getattr(dataclasses, "_FIELD")  # noqa: B009 - the marker of a plain field
    fields: dict[str, Any] = {}
    for name in cls._fields:
        made: Any = dataclasses.field(repr=name not in cls._hidden)
        made.name, made.type, made._field_type = name, cls.__annotations__.get(name), kind
        fields[name] = made
    cls.__dataclass_fields__ = fields  # type: ignore[attr-defined]


class Me(_Value):
    _fields = ("id", "email", "fullname", "default_workspace_id", "api_token")
    __slots__ = _fields
    _hidden = frozenset({"api_token"})
    id: int
    email: str
    fullname: str
    default_workspace_id: int | None
    api_token: str | None

    def __init__(
        self,
        id: int,
        email: str,
        fullname: str,
        default_workspace_id: int | None = None,
        api_token: str | None = None,
    ) -> None:
        self.id, self.email, self.fullname = id, email, fullname
        self.default_workspace_id, self.api_token = default_workspace_id, api_token

    @classmethod
    def from_json(cls, data: object) -> Me:
        obj = _object(data, "profile")
        return cls(
            id=_required_id(obj, "id", "profile"),
            email=_str(obj, "email"),
            fullname=_str(obj, "fullname"),
            default_workspace_id=_opt_int(obj, "default_workspace_id"),
            api_token=_token(obj, "api_token"),
        )


class Workspace(_Value):
    _fields = ("id", "name", "premium")
    __slots__ = _fields
    id: int
    name: str
    premium: bool | None
    """Starter plan or higher (tasks need it); None when Toggl did not say."""

    def __init__(self, id: int, name: str, premium: bool | None = None) -> None:
        self.id, self.name, self.premium = id, name, premium

    @classmethod
    def from_json(cls, data: object) -> Workspace:
        obj = _object(data, "workspace")
        return cls(
            id=_required_id(obj, "id", "workspace"),
            name=_str(obj, "name"),
            premium=_opt_bool(obj, "premium"),
        )


class Project(_Value):
    _fields = ("id", "name", "workspace_id", "active", "client_name")
    __slots__ = _fields
    id: int
    name: str
    workspace_id: int | None
    active: bool
    client_name: str | None

    def __init__(
        self,
        id: int,
        name: str,
        workspace_id: int | None = None,
        active: bool = True,
        client_name: str | None = None,
    ) -> None:
        self.id, self.name, self.workspace_id = id, name, workspace_id
        self.active, self.client_name = active, client_name

    @classmethod
    def from_json(cls, data: object) -> Project:
        obj = _object(data, "project")
        return cls(
            id=_required_id(obj, "id", "project"),
            name=_str(obj, "name"),
            workspace_id=_opt_int(obj, "workspace_id"),
            active=_bool(obj, "active", True),
            client_name=_opt_str(obj, "client_name") or None,
        )


class User(_Value):
    _fields = ("id", "fullname", "email", "inactive")
    __slots__ = _fields
    id: int
    fullname: str
    email: str
    inactive: bool

    def __init__(
        self,
        id: int,
        fullname: str,
        email: str = "",
        inactive: bool = False,
    ) -> None:
        self.id, self.fullname, self.email, self.inactive = id, fullname, email, inactive

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


class Task(_Value):
    _fields = (
        "id",
        "name",
        "active",
        "at",
        "estimated_seconds",
        "tracked_ms",
        "user_id",
        "user_name",
        "project_id",
        "project_name",
        "client_name",
        "workspace_id",
        "external_reference",
        "references_served",
    )
    __slots__ = _fields
    id: int
    name: str
    active: bool
    at: str
    estimated_seconds: int | None
    tracked_ms: int | None
    """Toggl's `tracked_seconds`, which holds milliseconds despite its name."""
    user_id: int | None
    user_name: str | None
    project_id: int | None
    project_name: str | None
    client_name: str | None
    workspace_id: int | None
    external_reference: str | None
    """The reference the creator gave (Task Desk gives every task its own, see the outbox)."""
    references_served: bool
    """Whether Toggl's answer had an `external_reference` field at all (even null): a server
    that drops the field cannot settle an unconfirmed send by reference."""

    def __init__(
        self,
        id: int,
        name: str,
        active: bool = True,
        at: str = "",
        estimated_seconds: int | None = None,
        tracked_ms: int | None = None,
        user_id: int | None = None,
        user_name: str | None = None,
        project_id: int | None = None,
        project_name: str | None = None,
        client_name: str | None = None,
        workspace_id: int | None = None,
        external_reference: str | None = None,
        references_served: bool = False,
    ) -> None:
        self.id, self.name, self.active, self.at = id, name, active, at
        self.estimated_seconds, self.tracked_ms = estimated_seconds, tracked_ms
        self.user_id, self.user_name = user_id, user_name
        self.project_id, self.project_name = project_id, project_name
        self.client_name, self.workspace_id = client_name, workspace_id
        self.external_reference, self.references_served = external_reference, references_served

    @classmethod
    def from_json(cls, data: object) -> Task:
        obj = _object(data, "task")
        return cls(
            id=_required_id(obj, "id", "task"),
            name=_str(obj, "name"),
            active=_bool(obj, "active", True),
            at=_moment(obj, "at"),
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


class TaskDraft(_Value):
    """What the user asks Toggl to create; `user_id` None sends no assignee."""

    _fields = ("name", "active", "estimated_seconds", "user_id", "external_reference")
    __slots__ = _fields
    name: str
    active: bool
    estimated_seconds: int | None
    user_id: int | None
    external_reference: str | None
    """Sent with the task, so an unconfirmed send can be found on Toggl by it."""

    def __init__(
        self,
        name: str,
        active: bool = True,
        estimated_seconds: int | None = None,
        user_id: int | None = None,
        external_reference: str | None = None,
    ) -> None:
        self.name, self.active, self.estimated_seconds = name, active, estimated_seconds
        self.user_id, self.external_reference = user_id, external_reference

    def to_json(self) -> dict[str, JSON]:
        body: dict[str, JSON] = {"name": self.name, "active": self.active}
        if self.estimated_seconds is not None:
            body["estimated_seconds"] = self.estimated_seconds
        if self.user_id is not None:
            body["user_id"] = self.user_id
        if self.external_reference is not None:
            body["external_reference"] = self.external_reference
        return body

    def matches(self, task: Task) -> bool:
        """`task` is what Toggl makes of this draft: every field sent has the same value, and
        an estimate not sent is none there either (an assignee not sent may be anyone: Toggl
        may fill in the requester)."""
        return (
            task.name == self.name
            and task.active == self.active
            and (task.estimated_seconds or None) == self.estimated_seconds
            and (self.user_id is None or task.user_id == self.user_id)
        )


class TaskChanges(_Value):
    """Fields to change on an existing task; only the ones set are sent, and Toggl keeps the
    rest as they are on its side (a rename there survives a "mark done" here).

    `estimated_seconds` 0 clears the estimate (Toggl's request field is not nullable);
    `clear_assignee` sends `user_id: null` (leaves the task to nobody), so it cannot go with
    a `user_id`."""

    _fields = ("name", "active", "estimated_seconds", "user_id", "clear_assignee")
    __slots__ = _fields
    name: str | None
    active: bool | None
    estimated_seconds: int | None
    user_id: int | None
    clear_assignee: bool

    def __init__(
        self,
        name: str | None = None,
        active: bool | None = None,
        estimated_seconds: int | None = None,
        user_id: int | None = None,
        clear_assignee: bool = False,
    ) -> None:
        if clear_assignee and user_id is not None:
            raise ValueError("a change cannot both set and clear the assignee")
        self.name, self.active, self.estimated_seconds = name, active, estimated_seconds
        self.user_id, self.clear_assignee = user_id, clear_assignee

    def to_json(self) -> dict[str, JSON]:
        fields: dict[str, JSON] = {
            "name": self.name,
            "active": self.active,
            "estimated_seconds": self.estimated_seconds,
            "user_id": self.user_id,
        }
        body: dict[str, JSON] = {k: v for k, v in fields.items() if v is not None}
        if self.clear_assignee:
            body["user_id"] = None
        return body

    def to_patch(self) -> list[JSON]:
        """The same change as Toggl's bulk PATCH takes it: one JSON-patch `replace` per field."""
        return [
            {"op": "replace", "path": f"/{key}", "value": value}
            for key, value in self.to_json().items()
        ]


class Quota(_Value):
    """Toggl's hourly request quota as read from the last response's headers."""

    _fields = ("remaining", "resets_in")
    __slots__ = _fields
    remaining: int | None
    resets_in: int | None

    def __init__(self, remaining: int | None, resets_in: int | None) -> None:
        self.remaining, self.resets_in = remaining, resets_in


for _class in (Me, Workspace, Project, User, Task, TaskDraft, TaskChanges, Quota):
    _dataclass_fields(_class)
