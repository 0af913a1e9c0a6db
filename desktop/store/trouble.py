"""Storage failures in words: one typed error for everything the files on this computer refuse.

The session raises `StorageError` for any SQLite or file-system failure, so the layers above
catch one type and show one sentence; the errno and SQLite's own message go to the log only.
"""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager


class StorageError(Exception):
    """The local store could not be read or written. `trouble` says what went wrong in a few
    words ("the disk is full"); `sentence` is a whole sentence when the store said one."""

    def __init__(self, trouble: str, sentence: str | None = None) -> None:
        super().__init__(sentence or trouble)
        self.trouble = trouble
        self.sentence = sentence

    @classmethod
    def of(cls, exc: OSError | sqlite3.Error) -> StorageError:
        return cls(storage_trouble(exc))


@contextmanager
def storage_errors() -> Iterator[None]:
    """SQLite's and the file system's errors leave the block as one `StorageError`."""
    try:
        yield
    except (sqlite3.Error, OSError) as exc:
        raise StorageError.of(exc) from exc


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
