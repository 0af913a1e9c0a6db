"""The machine a run happened on, and waiting for it to be quiet first."""

from __future__ import annotations

import os
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _ram_gb() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GB"
    except OSError:
        pass
    return "unknown"


def _os_name() -> str:
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                return f"{line.split('=', 1)[1].strip(chr(34))} (Linux {platform.release()})"
    except OSError:
        pass
    return platform.platform()


def describe(load_at_start: tuple[float, float, float], waited: float) -> dict[str, str]:
    import PySide6

    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": _cpu_model(),
        "cores": str(os.cpu_count()),
        "ram": _ram_gb(),
        "os": _os_name(),
        "python": sys.version.split()[0],
        "pyside6": PySide6.__version__,
        "load": " / ".join(f"{x:.2f}" for x in load_at_start)
        + (f" (after waiting {waited:.0f} s for it to drop)" if waited >= 1 else ""),
    }


def wait_for_quiet(limit: float, threshold: float = 1.0) -> tuple[float, bool]:
    """Poll the 1-minute load average until below `threshold`; (seconds waited, reached)."""
    started = time.monotonic()
    polls = 0
    while os.getloadavg()[0] >= threshold:
        waited = time.monotonic() - started
        if waited >= limit:
            return waited, False
        if polls % 6 == 0:  # every 30 s
            print(f"bench: load {os.getloadavg()[0]:.2f}, waiting for < {threshold}", flush=True)
        polls += 1
        time.sleep(5)
    return time.monotonic() - started, True


def load1() -> float:
    return os.getloadavg()[0]
