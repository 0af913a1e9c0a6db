"""One running Task Desk per data dir, so two instances never drain the same outbox."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from desktop.data_folder import open_private_file

LOCK_FILE = "taskdesk.lock"


class InstanceLock:
    """An OS file lock on `taskdesk.lock`: released by the OS even if the app is killed."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / LOCK_FILE
        self._fd: int | None = None

    def acquire(self) -> bool:
        """True if this process now holds the lock; False if another one does.

        Raises `DataFolderError` if `taskdesk.lock` is a link, or not this user's own file."""
        fd = open_private_file(self.path, os.O_CREAT | os.O_RDWR, "lock file")
        try:
            _lock(fd)
        except OSError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor releases the lock
            self._fd = None


if sys.platform == "win32":
    import msvcrt

    def _lock(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
