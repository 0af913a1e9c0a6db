"""A log a user can send for support: rotating, in the data dir, user-only, with no secrets.

Requests are logged with Toggl's request id, status and timing; credentials never are, and a
filter scrubs anything shaped like a token or an Authorization header as a second line of defence.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

LOG_DIR = "logs"
LOG_FILE = "taskdesk.log"
MAX_BYTES = 1_000_000
BACKUPS = 3

_SECRETS = re.compile(
    r"(?i)(authorization:\s*\S+\s+)\S+"  # an Authorization header's credentials
    r"|\b[0-9a-f]{32}\b"  # a Toggl API token's shape
)


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        scrubbed = _SECRETS.sub(lambda m: (m.group(1) or "") + "[redacted]", message)
        if scrubbed != message:
            record.msg, record.args = scrubbed, None
        return True


def log_path(data_dir: Path) -> Path:
    return data_dir / LOG_DIR / LOG_FILE


class _LogFile(logging.Handler):
    """The rotating file, opened at the first record: nothing is logged before the window's
    first paint, so the rotation code loads after it."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self._path = path
        self._file: logging.Handler | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if self._file is None:  # `handle` holds the lock: one thread opens it
            try:
                from desktop.log_file import PrivateRotatingFileHandler

                self._file = PrivateRotatingFileHandler(
                    self._path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
                )
            except Exception:
                self.handleError(record)
                return
            self._file.setFormatter(self.formatter)
        self._file.emit(record)

    def close(self) -> None:
        self.acquire()
        try:
            if self._file is not None:
                self._file.close()
        finally:
            self.release()
        super().close()


def start_logging(data_dir: Path) -> logging.Handler:
    """Log INFO and up to the rotating file; returns the handler, to remove with `stop_logging`.

    The file exists, user-only, when this returns (an OSError is raised here, not later)."""
    root = logging.getLogger()
    path = log_path(data_dir)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.close(os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600))
    handler = _LogFile(path)
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s")
    )
    handler.addFilter(RedactingFilter())
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    for noisy in ("httpx", "httpcore"):  # their request lines duplicate ours, without ids
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return handler


def stop_logging(handler: logging.Handler) -> None:
    logging.getLogger().removeHandler(handler)
    handler.close()


def recent_lines(data_dir: Path, count: int = 60) -> list[str]:
    try:
        lines = log_path(data_dir).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    return lines[-count:]
