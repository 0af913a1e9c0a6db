"""A Python snippet in a fresh interpreter from the project root, as the system tests and the
folder tests start one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from desktop import credentials

ROOT = Path(__file__).resolve().parents[1]
"""The project root: where `python -m desktop` and `-c` snippets find the package."""


def run_python(
    script: str, *args: str, timeout: float = 60, **env: str
) -> subprocess.CompletedProcess[str]:
    """`script` in a fresh interpreter from the project root, offscreen, with no token; it must
    exit 0 (its stderr is the assertion's message)."""
    environ = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **env}
    environ.pop(credentials.ENV_TOKEN, None)
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done
