"""The task-name rule: required, trimmed, at most 255 bytes of UTF-8, no control characters."""

from __future__ import annotations

import unicodedata

MAX_NAME_BYTES = 255


class TaskNameError(ValueError):
    """The name cannot be sent; the message says why."""


def clean_task_name(text: str) -> str:
    """The trimmed name, or raises `TaskNameError`.

    A lone surrogate is how Python hands over bytes that were not valid UTF-8 (a command-line
    argument on Linux): such a name can be neither stored nor sent, so it is refused here."""
    name = text.strip()
    if not name:
        raise TaskNameError("Give the task a name.")
    if len(name) > MAX_NAME_BYTES:  # every character is one byte at least: too long already
        raise _too_long(len(name.encode("utf-8", "surrogatepass")))
    categories = {unicodedata.category(ch) for ch in name}
    if "Cs" in categories:
        raise TaskNameError(
            "The name holds bytes that are not valid UTF-8 text: type it again, or check the "
            "encoding of the script that passes it."
        )
    if "Cc" in categories:
        raise TaskNameError("The name cannot contain line breaks, tabs or control characters.")
    size = len(name.encode("utf-8"))
    if size > MAX_NAME_BYTES:
        raise _too_long(size)
    return name


def _too_long(size: int) -> TaskNameError:
    return TaskNameError(
        f"The name is too long: {size} bytes, at most {MAX_NAME_BYTES} "
        "(letters outside English count as 2 to 4 bytes)."
    )
