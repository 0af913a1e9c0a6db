"""The start-up helpers that need no window: waiting for the first data before the window shows,
and PySide6's import hook told that no module selects a feature."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from desktop.ui.startup import wait_for_first_data

ROOT = Path(__file__).resolve().parents[3]


def test_the_wait_ends_as_soon_as_the_data_has_arrived() -> None:
    deliveries: list[float] = []

    def deliver() -> None:
        deliveries.append(time.monotonic())

    wait_for_first_data(deliver, lambda: len(deliveries) >= 3, limit=5.0)
    assert len(deliveries) == 3
    assert deliveries[-1] - deliveries[0] < 1.0


def test_the_wait_gives_up_at_its_limit_when_nothing_comes() -> None:
    started = time.monotonic()
    delivered = 0

    def deliver() -> None:
        nonlocal delivered
        delivered += 1

    wait_for_first_data(deliver, lambda: False, limit=0.05)
    assert 0.05 <= time.monotonic() - started < 1.0
    assert delivered >= 2


SCAN_PROBE = """
import linecache, sys
import PySide6.QtWidgets
if sys.argv[1] == "skip":
    from desktop.ui.startup import skip_feature_scan
    skip_feature_scan()
sys.path.insert(0, sys.argv[2])
import probe_module
print(any(name.endswith("probe_module.py") for name in linecache.cache))
"""


def _source_read_on_import(tmp_path: Path, mode: str) -> bool:
    (tmp_path / "probe_module.py").write_text("VALUE = 1\n")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    run = subprocess.run(
        [sys.executable, "-c", SCAN_PROBE, mode, str(tmp_path)],
        env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return run.stdout.strip() == "True"


def test_pysides_import_hook_reads_no_source_once_told(tmp_path: Path) -> None:
    # PySide6 reads each newly imported module's source for `__feature__` (10-12 ms before
    # the first paint); the app selects no feature, so it tells the hook so at once.
    assert _source_read_on_import(tmp_path, "scan")  # what the hook does on its own
    assert not _source_read_on_import(tmp_path, "skip")
