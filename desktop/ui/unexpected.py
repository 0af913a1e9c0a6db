"""What the session worker says when something unexpected escapes a slot, and the guard that
catches it. Qt-free: the sentences and the local-storage wording are tested without a window."""

from __future__ import annotations

import errno
import functools
import logging
import sqlite3
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


def storage_trouble(exc: OSError | sqlite3.Error) -> str:
    """What went wrong with the files on this computer, in words: never an errno or SQLite's
    own message (those go to the log)."""
    said = str(exc).lower()
    code = getattr(exc, "errno", None)
    if code in (errno.ENOSPC, errno.EDQUOT) or "full" in said:
        return "the disk is full"
    if code == errno.EROFS or "readonly" in said or "read-only" in said:
        return "its data folder is read-only"
    if code in (errno.EACCES, errno.EPERM):
        return "Task Desk may not write to its data folder"
    if "locked" in said or "busy" in said:
        return "the database is busy"
    if "malformed" in said or "not a database" in said:
        return "the database file is damaged"
    return "the database could not be written"


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
