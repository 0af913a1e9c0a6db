"""The task-name rule: required, trimmed, at most 255 bytes of UTF-8, no control characters."""

from __future__ import annotations

import unicodedata

MAX_NAME_BYTES = 255


class TaskNameError(ValueError):
    """The name cannot be sent; the message says why."""


def clean_task_name(text: str) -> str:
    """The trimmed name, or raises `TaskNameError`."""
    name = text.strip()
    if not name:
        raise TaskNameError("Give the task a name.")
    if any(unicodedata.category(ch) == "Cc" for ch in name):
        raise TaskNameError("The name cannot contain line breaks, tabs or control characters.")
    size = len(name.encode("utf-8"))
    if size > MAX_NAME_BYTES:
        raise TaskNameError(
            f"The name is too long: {size} bytes, at most {MAX_NAME_BYTES} "
            "(letters outside English count as 2 to 4 bytes)."
        )
    return name
