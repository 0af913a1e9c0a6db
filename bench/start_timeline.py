"""`python -m bench.start_timeline APP-OPTIONS`: runs the app like `python -m desktop` (with
the paint hook) and prints `step <ms since BENCH_T0> <name>` as the main thread reaches each
step, to show where the start-up time goes. Wraps a few MainWindow methods; a step whose
method no longer exists is simply not reported."""

from __future__ import annotations

import functools
import os
import sys
import time
from collections.abc import Callable
from typing import Any

T0 = float(os.environ.get("BENCH_T0", time.time()))
NAMES = ("__module__", "__name__", "__qualname__")
"""What the wrappers copy: PySide6 tells slots apart by name, and reading a Qt method's `__doc__`
(as plain `functools.wraps` does) loads its signature machinery, ~60-100 ms this timeline would
otherwise count as building the window."""


def step(name: str) -> None:
    print(f"step {(time.time() - T0) * 1000:.1f} {name}", flush=True)


step("python started")
import desktop.app  # noqa: E402

step("desktop.app imported (config, logs, lock)")
from desktop.ui import startup  # noqa: E402

startup.load_before_qt()  # as desktop.app.main does, before its Qt import
step("Qt-free modules loaded (session, store, models)")
import PySide6.QtWidgets  # noqa: E402, F401

startup.skip_feature_scan()  # as desktop.app.main does, after its Qt import
step("PySide6.QtWidgets imported")
from desktop.ui import main_window  # noqa: E402

step("desktop.ui.main_window imported")


def _after(cls: type, method: str, name: str) -> None:
    original: Callable[..., Any] | None = getattr(cls, method, None)
    if original is None:
        return

    @functools.wraps(original, assigned=NAMES)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        step(name)
        return result

    setattr(cls, method, wrapper)


def _before(cls: type, method: str, name: str) -> None:
    original: Callable[..., Any] | None = getattr(cls, method, None)
    if original is None:
        return

    @functools.wraps(original, assigned=NAMES)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        step(name)
        return original(*args, **kwargs)

    setattr(cls, method, wrapper)


window = main_window.MainWindow
_after(window, "__init__", "MainWindow built")
_after(window, "show", "MainWindow shown")
_after(window, "start", "worker started (MainWindow.start returned)")
_before(window, "_on_snapshot", "cached snapshot arrives on the UI thread")
_before(window, "_report_painted", "paint begins (hook)")
_after(window, "repaint", "painted")  # not after the hook: it quits, and quitting shuts down
sys.argv = ["desktop", *sys.argv[1:]]
desktop.app.run()
