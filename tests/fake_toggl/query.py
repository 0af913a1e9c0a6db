"""Reading query parameters as Toggl does: a bad value is Toggl's 400, in its words."""

from __future__ import annotations

from tests.fake_toggl.wire import ApiError


def active_filter(value: str | None) -> bool | None:
    """Map the ``active`` query value to True/False, or None for all (omitted or ``both``)."""
    if value is None or value.lower() == "both":
        return None
    if value.lower() == "true":
        return True
    if value.lower() == "false":
        return False
    raise ApiError(400, "Invalid active")


def int_param(query: dict[str, str], name: str, default: int, *, low: int = 1) -> int:
    """A whole-number parameter of at least ``low``, or ``default`` when absent or empty."""
    value = query.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ApiError(400, f"Invalid {name}") from None
    if number < low:
        raise ApiError(400, f"Invalid {name}")
    return number
