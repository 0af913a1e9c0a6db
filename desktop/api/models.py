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

They are `desktop.values.Value`s, not dataclasses (the window's first paint imports them: see
there), and never changed after they are built (they cross threads read-only).
"""

from __future__ import annotations

from desktop.api.json_values import (
    JSON,
    MAX_ESTIMATE_SECONDS,
    MAX_ID,
    MAX_TEXT_CHARS,
    MAX_TOKEN_CHARS,
    MAX_TRACKED_MS,
    _bool,
    _moment,
    _object,
    _opt_bool,
    _opt_int,
    _opt_str,
    _required_id,
    _str,
    _token,
)
from desktop.values import Value

# fmt: off
__all__ = [
    "JSON", "MAX_ESTIMATE_SECONDS", "MAX_ID", "MAX_TEXT_CHARS", "MAX_TOKEN_CHARS", "MAX_TRACKED_MS",
    "Me", "Project", "Quota", "Task", "TaskChanges", "TaskDraft", "User", "Workspace",
]
# fmt: on


class Me(Value):
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


class Workspace(Value):
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


class Project(Value):
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


class User(Value):
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


class Task(Value):
    # fmt: off
    _fields = (
        "id", "name", "active", "at", "estimated_seconds", "tracked_ms", "user_id", "user_name",
        "project_id", "project_name", "client_name", "workspace_id", "external_reference",
        "references_served",
    )
    # fmt: on
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


class TaskDraft(Value):
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


class TaskChanges(Value):
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


class Quota(Value):
    """Toggl's hourly request quota as read from the last response's headers."""

    _fields = ("remaining", "resets_in")
    __slots__ = _fields
    remaining: int | None
    resets_in: int | None

    def __init__(self, remaining: int | None, resets_in: int | None) -> None:
        self.remaining, self.resets_in = remaining, resets_in
