"""Storage failures in words: whatever SQLite or the file system raised, one typed error with a
few plain words, never an errno or SQLite's own message."""

from __future__ import annotations

import errno
import sqlite3

import pytest

from desktop.store.trouble import StorageError, storage_errors, storage_trouble


@pytest.mark.parametrize(
    ("raised", "words"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), "the disk is full"),
        (OSError(errno.EDQUOT, "Disk quota exceeded"), "the disk is full"),
        (sqlite3.OperationalError("database or disk is full"), "the disk is full"),
        (OSError(errno.EROFS, "Read-only file system"), "its data folder is read-only"),
        (
            sqlite3.OperationalError("attempt to write a readonly database"),
            "its data folder is read-only",
        ),
        (
            PermissionError(errno.EACCES, "Permission denied"),
            "Task Desk may not write to its data folder",
        ),
        (
            OSError(errno.EPERM, "Operation not permitted"),
            "Task Desk may not write to its data folder",
        ),
        (sqlite3.OperationalError("database is locked"), "the database is busy"),
        (sqlite3.OperationalError("database table is busy"), "the database is busy"),
        (sqlite3.DatabaseError("database disk image is malformed"), "the database file is damaged"),
        (sqlite3.DatabaseError("file is not a database"), "the database file is damaged"),
        (sqlite3.OperationalError("disk I/O error"), "the database could not be written"),
        (OSError(errno.EIO, "Input/output error"), "the database could not be written"),
    ],
)
def test_each_failure_has_its_few_words(raised: OSError | sqlite3.Error, words: str) -> None:
    assert storage_trouble(raised) == words


def test_the_block_lets_one_typed_error_out_and_keeps_the_cause_for_the_log() -> None:
    cause = OSError(errno.ENOSPC, "No space left on device", "/data/taskdesk.sqlite3")
    with pytest.raises(StorageError) as caught, storage_errors():
        raise cause
    assert caught.value.trouble == "the disk is full"
    assert caught.value.sentence is None
    assert str(caught.value) == "the disk is full"
    assert caught.value.__cause__ is cause
    assert "28" not in str(caught.value)
    assert "/data" not in str(caught.value)


def test_other_errors_are_not_storage_trouble() -> None:
    with pytest.raises(ValueError, match="not ours"), storage_errors():
        raise ValueError("not ours")


def test_a_whole_sentence_is_kept_when_the_store_said_one() -> None:
    error = StorageError("the database is busy", "Another copy of Task Desk holds the outbox.")
    assert str(error) == "Another copy of Task Desk holds the outbox."
    assert error.trouble == "the database is busy"
