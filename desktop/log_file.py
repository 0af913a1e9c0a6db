"""The rotating log file itself, apart from `desktop.logs` so that `logging.handlers` (which
brings in socket, pickle and queue) loads with the first record, not with the app."""

from __future__ import annotations

import logging.handlers
import os
import sys
from pathlib import Path

from desktop.data_folder import open_private_file
from desktop.logs import tell_log_failure


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """Every file it opens, rotated ones included, is readable by the user only, and is opened
    without following a link (rotation renames files, which never follows one either)."""

    _told = False

    def _open(self):  # type: ignore[no-untyped-def]
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT
        fd = open_private_file(Path(self.baseFilename), flags, "log file")
        return open(fd, "a", encoding=self.encoding, errors=self.errors)

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: ARG002 - logging's signature
        """One sentence on stderr, once, instead of logging's traceback."""
        if not self._told:
            self._told = True
            tell_log_failure(Path(self.baseFilename), sys.exc_info()[1])
