"""Reading Toggl's JSON values within bounds (`desktop.api.models` and the task calls).

Only an entity's id is required; any other field that is missing, of the wrong type or out of
bounds falls back to a neutral default (None, "", the usual flag): see `desktop.api.models`."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TypeAlias

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
