"""Figures for docs/reliability.md, written by the tests themselves when asked.

With TASK_DESK_RELIABILITY_OUT=DIR, tests add their counts (kills survived, tasks delivered,
inputs generated, ...) to DIR/figures.json; `make reliability` runs the suite that way and turns
the file into the report. Without the variable nothing is written.
"""

from __future__ import annotations

import fcntl
import json
import os
from pathlib import Path


def record(**figures: int) -> None:
    out = os.environ.get("TASK_DESK_RELIABILITY_OUT")
    if not out:
        return
    path = Path(out) / "figures.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        text = handle.read()
        totals: dict[str, int] = json.loads(text) if text.strip() else {}
        for key, value in figures.items():
            totals[key] = totals.get(key, 0) + value
        handle.seek(0)
        handle.truncate()
        json.dump(totals, handle, indent=2, sort_keys=True)
