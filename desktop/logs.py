"""A log a user can send for support: rotating, in the data dir, user-only, with no secrets.

Requests are logged with Toggl's request id, status and timing; credentials never are. As a
second line of defence a filter blanks an Authorization header's credentials, a token written
as Toggl's `token:api_token` pair, and every value registered with `register_secret` (the token
and password in use), in messages, tracebacks and stacks alike. Nothing else is blanked: Toggl's
request ids, 32 hex digits like a token, must stay readable for support.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import threading
from pathlib import Path

from desktop.data_folder import DataFolderError, open_private_file, prepare_folder

LOG_DIR = "logs"
LOG_FILE = "taskdesk.log"
MAX_BYTES = 1_000_000
BACKUPS = 3
REDACTED = "[redacted]"

_SHAPES = re.compile(
    # an Authorization header's credentials, as a header line, a dict or a tuple prints them
    r"(?i)(\bauthorization\b(?:['\"]\s*[:=,]|\s*[:=])\s*['\"]?\s*"
    r"(?:(?:basic|bearer|digest|token)\s+)?)[^\s'\",;)}\]]+"
    r"|[^\s:/@'\"]+(?=:api_token\b)"  # a token in Toggl's basic-auth pair
)
_secrets: frozenset[str] = frozenset()
_registered: re.Pattern[str] | None = None
_registering = threading.Lock()


def register_secret(value: str) -> None:
    """From now on, blank `value` wherever it would be logged (as it is, or escaped in a repr
    or JSON). Call it with every token and password the app loads or is given."""
    import json  # here, not with the app: the first call comes after the first paint

    global _secrets, _registered
    if not value:
        return
    forms = {value, repr(value)[1:-1], json.dumps(value)[1:-1]}
    with _registering:
        if forms <= _secrets:
            return
        _secrets = _secrets | forms
        longest_first = sorted(_secrets, key=len, reverse=True)
        _registered = re.compile("|".join(re.escape(secret) for secret in longest_first))


def redact(text: str) -> str:
    """`text` with every registered secret and credential-shaped value blanked."""
    registered = _registered
    if registered is not None:
        text = registered.sub(REDACTED, text)
    return _SHAPES.sub(lambda m: (m.group(1) or "") + REDACTED, text)


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        scrubbed = redact(message)
        if scrubbed != message:
            record.msg, record.args = scrubbed, None
        if record.exc_info and not record.exc_text:  # formatters reuse exc_text when it is set
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
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
        self._told = False

    def emit(self, record: logging.LogRecord) -> None:
        if self._told:
            return
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

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: ARG002 - logging's signature
        """One sentence on stderr, and no more logging to the file: not logging's traceback."""
        self._told = True
        tell_log_failure(self._path, sys.exc_info()[1])

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

    The folder and the file exist, user-only, when this returns; an OSError is raised here, not
    later: a `DataFolderError` with one sentence if the folder or the file is a link or someone
    else's (the file is opened without following links, so a planted link changes nothing)."""
    root = logging.getLogger()
    path = log_path(data_dir)
    opened = prepare_folder(path.parent, "log folder", follow_link=False)
    os.close(open_private_file(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, "log file"))
    handler = _LogFile(path)
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s")
    )
    handler.addFilter(RedactingFilter())
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    for noisy in ("httpx", "httpcore"):  # their request lines duplicate ours, without ids
        logging.getLogger(noisy).setLevel(logging.WARNING)
    if opened:
        logging.getLogger(__name__).warning("%s", opened)
    return handler


def stop_logging(handler: logging.Handler) -> None:
    logging.getLogger().removeHandler(handler)
    handler.close()


def tell_log_failure(path: Path, problem: BaseException | None) -> None:
    """Say once, in one sentence on stderr, that the log file cannot be written any more."""
    if isinstance(problem, DataFolderError):
        reason = str(problem)
    else:
        detail = getattr(problem, "strerror", None) or type(problem).__name__
        reason = f"The log file {path} cannot be written ({detail})."
    print(f"Task Desk: {reason} Nothing more is logged to it.", file=sys.stderr)


def recent_lines(data_dir: Path, count: int = 60) -> list[str]:
    """The log's last lines for diagnostics; never what a link planted as the log leads to."""
    try:
        fd = open_private_file(log_path(data_dir), os.O_RDONLY, "log file")
        with open(fd, encoding="utf-8", errors="replace") as file:
            lines = file.read().splitlines()
    except OSError:
        return []
    return lines[-count:]
