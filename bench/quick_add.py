"""Issue 14's figures, in bench.inproc's window once 10,000 projects are cached: the quick-add
preview per keystroke, the bulk dialog's preview of 500 lines, queueing those 500 lines (one
transaction on the worker), and the UI heartbeat meanwhile. Run by bench.inproc after the
drain figure (the engine is still sending its queue then: the worst case for the heartbeat)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPlainTextEdit, QPushButton

from bench.inproc import Heartbeat, beat_summary, keystroke_latencies, pause, wait_until
from tests.ui_helpers import child, top_level

if TYPE_CHECKING:
    from bench.inproc import Window

LINE = "Write report 1h30 @project +sam !done"
"""`@project` names every one of the 10,000 projects while it is typed: the longest match."""
BULK_LINES = 500


def bulk_text() -> str:
    """500 lines as a pasted plan reads: a few projects and people, each line its own task."""
    projects = ("@web", "@mobile", '@"Website Redesign"', "@internal")
    return "\n".join(
        f"Plan item {n} {n % 8 + 1}h {projects[n % 4]}" + (" +sam" if n % 3 == 0 else "")
        for n in range(BULK_LINES)
    )


def preview_latencies(window: Window) -> dict[str, Any]:
    """One key into quickAddEdit, processed with the preview's update, every key of `LINE`."""
    edit = child(window.main, QLineEdit, "quickAddEdit")
    preview = child(window.main, QLabel, "quickAddPreview")
    latencies, shown = keystroke_latencies(edit, list(LINE), 0.03, preview.text)
    said = shown[-1]
    return {"latency_ms": latencies, "keys": len(LINE), "preview": said}


def bulk(window: Window) -> dict[str, Any]:
    """The dialog's preview of 500 lines (read afresh, shown), then Create 500 tasks: the time
    to the dialog closing (all saved), with the heartbeat from the click to 2 s after."""
    child(window.main, QAction, "bulkAddAction").trigger()
    wait_until(lambda: top_level("bulkAddDialog") is not None)
    dialog = top_level("bulkAddDialog")
    assert dialog is not None
    edit = child(dialog, QPlainTextEdit, "bulkAddEdit")
    button = child(dialog, QPushButton, "bulkAddButton")
    edit.setPlainText(bulk_text())
    wait_until(button.isEnabled, 5.0)
    previews = []
    for _ in range(5):
        dialog._reader = None  # type: ignore[attr-defined]  # every line read afresh
        started = time.perf_counter()
        dialog.reread()  # type: ignore[attr-defined]  # what the 100 ms timer runs
        QApplication.processEvents()
        previews.append((time.perf_counter() - started) * 1000)
    beat = Heartbeat()
    beat.start()
    started = time.perf_counter()
    button.click()
    wait_until(lambda: not dialog.isVisible(), 10.0)
    queued = (time.perf_counter() - started) * 1000
    pause(2.0)
    wall = time.perf_counter() - started
    return {
        "preview_ms": previews,
        "queue_ms": queued,
        "lines": BULK_LINES,
        "heartbeat": beat_summary(
            beat.stop(),
            wall,
            f"{BULK_LINES} tasks queued from the bulk dialog in one transaction while the "
            "outbox drains; the click and 2 s after",
        ),
    }
