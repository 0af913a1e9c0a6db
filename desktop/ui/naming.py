"""Object names are the UI's automation contract; this keeps setting them a one-liner."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QObject

T = TypeVar("T", bound=QObject)


def named(obj: T, name: str) -> T:
    obj.setObjectName(name)
    return obj
