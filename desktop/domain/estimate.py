"""Estimates typed the way people write durations: `45` (minutes), `1h 30m`, `90m`, `1.5h`,
`1:30`, `45s`; and which of them are unusual enough to ask about before sending."""

from __future__ import annotations

import math
import re

MAX_ESTIMATE_SECONDS = 10_000 * 3600
UNUSUAL_BELOW_SECONDS = 60
UNUSUAL_ABOVE_SECONDS = 200 * 3600
"""Estimates under a minute or over 200 hours are more likely a slip (a unit left out or
mistyped) than meant: the window asks once more before sending one."""

_UNITS = {
    "h": 3600,
    "hr": 3600,
    "hrs": 3600,
    "hour": 3600,
    "hours": 3600,
    "m": 60,
    "min": 60,
    "mins": 60,
    "minute": 60,
    "minutes": 60,
    "s": 1,
    "sec": 1,
    "secs": 1,
    "second": 1,
    "seconds": 1,
}
_UNIT_NAMES = {3600: "hours", 60: "minutes", 1: "seconds"}
_PART = re.compile(r"(\d+(?:\.\d+)?|\.\d+)\s*([a-z]+)", re.ASCII)
_CLOCK = re.compile(r"(\d+):([0-5]?\d)(?::([0-5]?\d))?", re.ASCII)


class EstimateError(ValueError):
    """The text is not a duration; the message says what is accepted."""


MAX_DIGITS = 12
"""More digits than this before the point is too long whatever the unit (1e12 s is 31,000 years),
and is refused before converting: `int` refuses 4,300 digits and more with a ValueError."""


def parse_estimate(text: str) -> int | None:
    """Seconds for `text`, None when it is blank; raises `EstimateError` otherwise.

    A bare number is minutes, as people mean "45" (seconds need their unit: `45s`), `h:mm` or
    `h:mm:ss` a clock duration, and any mix of amounts with units (`1h 30m`, `1.5 hours`,
    `2h15`) is summed; a trailing bare number after hours counts as minutes, as people write
    `2h15`. Each unit may come once: `1h 1h` is more likely a slip than two hours.
    """
    cleaned = " ".join(text.strip().lower().replace(",", ".").split())
    if not cleaned:
        return None
    seconds = _parse(cleaned)
    if seconds > MAX_ESTIMATE_SECONDS:
        raise _too_long()
    return seconds


def _parse(text: str) -> int:
    if text.isascii() and text.isdigit():  # a whole number of minutes; `1.5` alone is unclear
        return int(_whole(text)) * 60
    clock = _CLOCK.fullmatch(text)
    if clock:
        hours, minutes, secs = clock.groups()
        return int(_whole(hours)) * 3600 + int(minutes) * 60 + int(secs or 0)
    rest = text
    total = 0.0
    seen: list[int] = []  # the units given, in seconds, in order
    while rest:
        part = _PART.match(rest)
        if part:
            amount, unit = part.groups()
            if unit not in _UNITS:
                raise _invalid()
            scale = _UNITS[unit]
            rest = rest[part.end() :].lstrip()
        elif seen[-1:] == [3600] and rest.isascii() and rest.isdigit():  # `2h15`: minutes
            amount, scale, rest = rest, 60, ""
        else:
            raise _invalid()
        if scale in seen:
            raise EstimateError(
                f"Give each unit once, as in 1h 30m: {_UNIT_NAMES[scale]} came twice."
            )
        seen.append(scale)
        total += _amount(amount) * scale
    if not seen:
        raise _invalid()
    if not math.isfinite(total) or total > MAX_ESTIMATE_SECONDS:
        raise _too_long()
    return round(total)


def _amount(text: str) -> float:
    """`12`, `1.5` or `.5` as a number, its whole part bounded first."""
    whole, _, fraction = text.partition(".")
    return float(f"{_whole(whole)}.{fraction}")


def _whole(digits: str) -> str:
    """`digits` without leading zeros; raises `EstimateError` when far too many are left."""
    significant = digits.lstrip("0") or "0"
    if len(significant) > MAX_DIGITS:
        raise _too_long()
    return significant


def _too_long() -> EstimateError:
    return EstimateError("That estimate is too long (at most 10,000 hours).")


def _invalid() -> EstimateError:
    return EstimateError(
        "Type a duration such as 1h 30m, 90m, 1.5h, 1:30, 45s, or 45 for minutes."
    )


def unusual(seconds: int | None) -> bool:
    """Under a minute or over 200 hours: worth a second look before it is sent."""
    return seconds is not None and not (
        UNUSUAL_BELOW_SECONDS <= seconds <= UNUSUAL_ABOVE_SECONDS
    )


def format_clock(seconds: int) -> str:
    """`h:mm`, rounding down to the minute: 5400 -> `1:30`."""
    hours, remainder = divmod(max(0, seconds), 3600)
    return f"{hours}:{remainder // 60:02d}"


def format_human(seconds: int) -> str:
    """A readable duration: 5400 -> `1 h 30 min`, 45 -> `45 s`, 0 -> `0 min`."""
    hours, remainder = divmod(max(0, seconds), 3600)
    minutes, secs = divmod(remainder, 60)
    parts = [(hours, "h"), (minutes, "min"), (secs, "s")]
    return " ".join(f"{amount} {unit}" for amount, unit in parts if amount) or "0 min"
