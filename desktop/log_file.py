"""The rotating log file itself, apart from `desktop.logs` so that `logging.handlers` (which
brings in socket, pickle and queue) loads with the first record, not with the app."""

from __future__ import annotations

import logging.handlers
import os


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """Every file it opens, rotated ones included, is readable by the user only."""

    def _open(self):  # type: ignore[no-untyped-def]
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        return open(fd, "a", encoding=self.encoding, errors=self.errors)
