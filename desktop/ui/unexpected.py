"""What the session worker says when something unexpected escapes a slot, and the guard that
catches it. Qt-free: the sentences are tested without a window (the local-storage wording is
desktop.store.trouble's)."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

log = logging.getLogger("desktop.ui.worker")  # the worker's own log lines

UNEXPECTED_START = "Task Desk hit an unexpected problem while opening its data folder."
UNEXPECTED_RESTORE = (
    "Task Desk hit an unexpected problem while reading your sign-in; please sign in again."
)
UNEXPECTED_SIGN_IN = "Task Desk hit an unexpected problem while signing in; please try again."
UNEXPECTED_SIGN_OUT = (
    "Task Desk hit an unexpected problem while signing out; your token may still be stored."
)
UNEXPECTED_LOAD = (
    "Task Desk hit an unexpected problem while loading the lists from Toggl; "
    "the lists saved earlier are still shown."
)
UNEXPECTED_NOT_SAVED = "Task Desk hit an unexpected problem and could not save the task."
UNEXPECTED_SEND = (
    "Task Desk hit an unexpected problem; the task is kept in the outbox and will be tried again."
)
UNEXPECTED_DISCARD = "Task Desk hit an unexpected problem, so the task was not discarded."
UNEXPECTED_DIAGNOSTICS = "Task Desk hit an unexpected problem while collecting the diagnostics."

Slot = Callable[..., None]


def guarded(recover: Callable[[Any], None]) -> Callable[[Slot], Slot]:
    """A slot that never lets an exception escape: it is logged (with the request id the
    client's log lines carry) and `recover` puts the window back in a usable state."""

    def wrap(slot: Slot) -> Slot:
        @functools.wraps(slot)
        def run(worker: object, *args: object) -> None:
            try:
                slot(worker, *args)
            except Exception:
                log.exception("unexpected error in %s", slot.__name__)
                try:
                    recover(worker)
                except Exception:
                    log.exception("unexpected error while recovering from it")

        return run

    return wrap


def log_only(_worker: object) -> None:
    """For slots whose failure leaves nothing on screen waiting."""
