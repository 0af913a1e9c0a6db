"""The client's one promise, kept by a decorator: whatever escapes a public call is a
`TogglError` (see `desktop.api.client`)."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from desktop.api.errors import InvalidResponseError, TogglError

log = logging.getLogger("desktop.api.client")
_P = ParamSpec("_P")
_R = TypeVar("_R")


def toggl_errors_only(call: Callable[_P, _R]) -> Callable[_P, _R]:
    """Keep the module's contract: whatever escapes `call` is a `TogglError`; anything else is
    logged with its traceback and raised as an (ambiguous) `InvalidResponseError`."""

    @functools.wraps(call)
    def guarded(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        try:
            return call(*args, **kwargs)
        except TogglError:
            raise
        except Exception as exc:
            log.exception("TogglClient.%s failed unexpectedly", call.__name__)
            raise InvalidResponseError("Task Desk could not make sense of Toggl's answer.") from exc

    return guarded
