"""The folders and files the app keeps: private to this user, and never someone else's.

A folder the app creates is 0700 whatever the umask (mkdir's mode is masked by the umask, so each
is chmod'ed after). An existing data folder must belong to this user; if others may write to it,
it is made 0700 and the user told. The app's files are opened without following symbolic links
and only if they are ordinary files of this user's with no other name, so a link or a file
planted while the folder was open cannot make the app write to, or read, anything else.

The owner and mode checks are POSIX ones; elsewhere (Windows) the folder's ACL, inherited from
the user's profile, keeps it private, and the link checks use `os.path.islink`.
"""

from __future__ import annotations

import contextlib
import logging
import os
import stat
from pathlib import Path

POSIX = os.name == "posix"
log = logging.getLogger(__name__)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # a planted FIFO must not hang the open
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_ELSEWHERE = "start Task Desk with --data-dir set to a folder of your own"


class DataFolderError(OSError):
    """A folder or file of the app's cannot be trusted; the message says why in one sentence."""


def prepare_folder(
    path: Path, what: str = "data folder", *, follow_link: bool = True
) -> str | None:
    """Create `path` and any missing parents user-only, or check the folder already there.

    Someone else's folder is refused (`DataFolderError`); the user's own, if others may write to
    it, is made 0700 and a sentence saying so is returned. A data folder that is a symbolic link
    is followed and the folder it leads to checked; with `follow_link=False` a link is refused.
    Other OSErrors (a read-only disk, no permission) are raised as they are."""
    _create_missing(path)
    return _check_folder(path, what, follow_link)


def read_small_file(path: Path, limit: int, what: str) -> bytes | None:
    """Up to `limit` + 1 bytes of one of the app's small files (more than `limit` means it is
    not the app's); None when it is missing or cannot be read, which the log says."""
    try:
        fd = open_private_file(path, os.O_RDONLY, what)
    except FileNotFoundError:
        return None
    except OSError as exc:  # a link, someone else's file, no permission: go on without it
        log.warning("The %s was not read: %s", what, exc)
        return None
    try:
        return os.read(fd, limit + 1)
    except OSError as exc:
        log.warning("The %s was not read: %s", what, exc)
        return None
    finally:
        os.close(fd)


def replace_small_file(path: Path, data: bytes, what: str) -> None:
    """Replace the file whole (a new file renamed over it), or leave it as it was: a full or
    read-only disk is said in the log, and what was to be saved lasts this run only."""
    spare = path.with_name(f"{path.name}.new")
    try:
        spare.unlink(missing_ok=True)
        fd = open_private_file(spare, os.O_WRONLY | os.O_CREAT | os.O_EXCL, what)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)
        os.replace(spare, path)
    except OSError as exc:
        log.warning("The %s was not saved: %s", what, exc)
        with contextlib.suppress(OSError):
            spare.unlink(missing_ok=True)


def open_private_file(path: Path, flags: int, what: str) -> int:
    """`os.open` for one of the app's files: never through a symbolic link, created 0600, and
    only an ordinary file of this user's with no second name (a hard link); wider modes are
    narrowed to 0600. Raises `DataFolderError` with a sentence otherwise."""
    if not _NOFOLLOW and os.path.islink(path):  # no O_NOFOLLOW (Windows): the best check there is
        raise DataFolderError(_refusal(what, path, "is a symbolic link"))
    try:
        fd = os.open(path, flags | _NOFOLLOW | _NONBLOCK | _CLOEXEC, 0o600)
    except OSError as exc:
        if os.path.islink(path):  # ELOOP on Linux and macOS, EMLINK on FreeBSD
            raise DataFolderError(_refusal(what, path, "is a symbolic link")) from exc
        raise
    try:
        _check_file(os.fstat(fd), path, what)
        if POSIX and stat.S_IMODE(os.fstat(fd).st_mode) & 0o077:
            os.fchmod(fd, 0o600)
    except BaseException:
        os.close(fd)
        raise
    return fd


def check_private_file(path: Path, what: str) -> None:
    """If `path` exists, the same checks as `open_private_file` (a missing file is fine)."""
    try:
        fd = open_private_file(path, os.O_RDONLY, what)
    except FileNotFoundError:
        return
    os.close(fd)


def fresh_private_file(path: Path, what: str) -> None:
    """Create `path` empty and 0600, first removing whatever had the name (a link is removed,
    not followed), with SQLite's side files of that name: for files SQLite then opens by path."""
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    os.close(open_private_file(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, what))


def _create_missing(path: Path) -> None:
    missing: list[Path] = []
    folder = path
    while not os.path.lexists(folder) and folder.parent != folder:
        missing.append(folder)
        folder = folder.parent
    for folder in reversed(missing):
        try:
            os.mkdir(folder, 0o700)
        except FileExistsError:
            continue  # made meanwhile by someone else: not ours to chmod (the last is checked)
        if POSIX:
            fd = os.open(folder, os.O_RDONLY | _DIRECTORY | _NOFOLLOW | _CLOEXEC)
            try:
                os.fchmod(fd, 0o700)
            finally:
                os.close(fd)


def _check_folder(path: Path, what: str, follow_link: bool) -> str | None:
    if not follow_link and os.path.islink(path):
        raise DataFolderError(_refusal(what, path, "is a symbolic link"))
    if not POSIX:
        if not path.is_dir():
            raise DataFolderError(_refusal(what, path, "is not a folder"))
        return None
    try:  # one descriptor for the check and the chmod: the folder cannot be swapped between
        fd = os.open(path, os.O_RDONLY | _DIRECTORY | _CLOEXEC | (0 if follow_link else _NOFOLLOW))
    except NotADirectoryError as exc:
        raise DataFolderError(_refusal(what, path, "is not a folder")) from exc
    except FileNotFoundError as exc:  # only a link can lead nowhere: the folder was just made
        raise DataFolderError(_refusal(what, path, "is a link to nothing")) from exc
    try:
        status = os.fstat(fd)
        if status.st_uid != os.geteuid():
            raise DataFolderError(_refusal(what, path, "belongs to another user"))
        if status.st_mode & 0o022:
            os.fchmod(fd, 0o700)
            return f"The {what} {path} was open to other users; Task Desk made it private."
    finally:
        os.close(fd)
    return None


def _check_file(status: os.stat_result, path: Path, what: str) -> None:
    if not stat.S_ISREG(status.st_mode):
        raise DataFolderError(_refusal(what, path, "is not an ordinary file"))
    if POSIX and status.st_uid != os.geteuid():
        raise DataFolderError(_refusal(what, path, "belongs to another user"))
    if status.st_nlink > 1:
        raise DataFolderError(_refusal(what, path, "has a second name (a hard link)"))


def _refusal(what: str, path: Path, problem: str) -> str:
    remedy = _ELSEWHERE if what == "data folder" else f"remove it, or {_ELSEWHERE}"
    return f"The {what} {path} {problem}, so Task Desk will not use it: {remedy}."
