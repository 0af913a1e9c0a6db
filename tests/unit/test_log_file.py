"""The rotating log file: private files, rotation included, never through a link, and a
failure said once in one sentence instead of logging's traceback."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

import pytest

from desktop.log_file import PrivateRotatingFileHandler


def record(message: str) -> logging.LogRecord:
    return logging.LogRecord("desktop.test", logging.INFO, __file__, 1, message, None, None)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_every_file_it_writes_is_private_rotated_ones_too(tmp_path: Path) -> None:
    old_umask = os.umask(0o022)  # a umask that would leave files readable by all
    try:
        handler = PrivateRotatingFileHandler(
            tmp_path / "task-desk.log", maxBytes=200, backupCount=2
        )
        try:
            for n in range(20):
                handler.emit(record(f"line {n} " + "x" * 40))
        finally:
            handler.close()
    finally:
        os.umask(old_umask)
    written = sorted(tmp_path.iterdir())
    assert [p.name for p in written] == ["task-desk.log", "task-desk.log.1", "task-desk.log.2"]
    assert {mode(p) for p in written} == {0o600}


def test_a_link_planted_as_the_log_is_not_followed_and_the_failure_is_said_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "elsewhere.txt"
    target.write_text("keep me\n")
    log = tmp_path / "task-desk.log"
    log.symlink_to(target)
    handler = PrivateRotatingFileHandler(log, delay=True)
    try:
        handler.emit(record("first"))
        handler.emit(record("second"))
    finally:
        handler.close()
    assert target.read_text() == "keep me\n"
    err = capsys.readouterr().err
    assert err.count("Task Desk:") == 1
    assert "Nothing more is logged to it." in err
    assert "Traceback" not in err
