"""The start-up tricks, in one place: what each does, why, and what it bought.

Task Desk's start-up figure is the time from `python -m desktop` to the first paint of the
window with the cached lists, against a bare PySide6 window (docs/benchmarks.md: at most 1.5
times). Each trick below is called from the one place it applies; none changes what the app
does, only when the interpreter spends its time.

- **No collection while the app starts** (`collection_paused`, in `desktop.app` around
  importing PySide6 and creating the QApplication, then around importing and building
  `MainWindow`). That creates tens of thousands of objects that live as long as the app and
  next to no garbage, so a collection pass meanwhile walks them all for nothing (6-9 ms of
  collections before the first paint otherwise). When the pause ends, what it created is
  frozen (below): else the first collection after it, the young generation holding all of it,
  would walk it all once, before the paint.
- **Long-lived objects frozen out of collection** (`freeze_long_lived`, from the window once
  the worker's imports are done and after each list load). A full collection walks every
  tracked object with the GIL held: 50-90 ms with this app's modules and 10,000 projects,
  46-56 ms stalls of the UI thread while the outbox drained; none seen since. Reference
  counting still frees these objects when dropped; only cycles among them would be kept.
- **A 1 ms GIL switch interval** (`share_the_gil`, once the worker thread exists). Python's
  default 5 ms let parsing and sorting 10,000 projects on the worker hold the UI thread past a
  frame: the heartbeat while they load went from 18-21 ms to 12-15 ms.
- **The window's Qt-free modules load before PySide6** (`load_before_qt`, from `desktop.app`
  just before its Qt import). Once imported, PySide6 replaces `__import__` with a hook that,
  the first time any module is named in an import statement, reads that module's whole source
  (`inspect.getsource`, to look for its `__feature__` options): 10-12 ms over the ~80 modules
  the first paint imported, typing's and datetime's sources among them. Imported before it,
  these modules' own import statements never meet the hook; and the worker, whose first act
  is importing the session (with the store and the models), finds it loaded and reads the
  cached lists at once. In the frozen bundle there is no source to read, so there it is mostly
  the second part that counts.
- **PySide6's source scan answered without reading** (`skip_feature_scan`, from `desktop.app`
  just after its Qt import). Modules loaded before PySide6 still meet its hook when a later
  import statement names them (typing, dataclasses, datetime, the session: 10-12 ms of
  reading sources before the first paint, measured). Task Desk selects no `__feature__`, so
  the scan can only ever choose Qt's default naming for a module; the hook is told at once
  that no module asks for a feature, which is what it finds in the frozen bundle, where there
  is no source to read.
- **The first paint is the filled window** (`wait_for_first_data`, from `desktop.app` just
  before the window shows). The worker reads the cached lists while the window is built
  (`MainWindow(start=True)`); the window takes them before it shows, waiting for them at most
  `FIRST_DATA_WAIT_SECONDS`. Shown first, Qt would lay out and paint the empty form once, then
  again with the lists (~4 ms).
- **No dataclass made before the first paint** (`desktop.values.Value`, `desktop.config`'s
  plain options). A dataclass compiles its generated methods when its class is made (~0.45 ms
  each: 5.5 ms for the eleven the first paint imported); the value classes on the way are
  `Value`s or NamedTuples, and `dataclasses` itself is not loaded. Likewise the window's usual
  options are read without building argparse's parser (~2 ms).
- **Nothing before the first paint that the first paint does not need.** Imports inside
  functions, each with its reason where it is not obvious: httpx with the first request, the
  keyring after the paint, the sign-in dialog when it opens, log rotation at the first record,
  `QMessageBox`, `QEvent` and `QtNetwork` when first used; PySide6's `Qt` namespace (93 enums
  built on first access, ~40 ms) is never read before the paint, `desktop.ui.qt_values` holds
  the few values needed. tests/system/test_app_process.py checks in a fresh interpreter that
  importing the app and its window loads none of these, and that the first paint never reads
  `Qt`.

The bench seam: with `TASK_DESK_BENCH_EXIT_AFTER_PAINT=1` in the environment (`BENCH_PAINT_ENV`)
the window, once the cached lists are in place, paints at once, prints `painted <epoch
seconds>` on stdout and quits, instead of going on to the keyring and the network
(`MainWindow._report_painted` calls `report_painted`; bench/startup.py and
bench/start_timeline.py time it, docs/automation.md lists it). Nothing else reads it.

This module imports no Qt, so `desktop.app` can use it without loading Qt for the CLI.
"""

from __future__ import annotations

import gc
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

BENCH_PAINT_ENV = "TASK_DESK_BENCH_EXIT_AFTER_PAINT"
FIRST_DATA_WAIT_SECONDS = 0.1
"""How long the window waits, before it shows, for the cached lists (a slow disk: it shows
without them, and they follow)."""
GIL_SWITCH_SECONDS = 0.001
"""How long the worker may run Python before the UI thread gets the GIL (Python's default: 5 ms)."""


@contextmanager
def collection_paused() -> Iterator[None]:
    """No cyclic garbage collection inside the block; what it made is then frozen, and
    collection resumes (however the block ends)."""
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


def load_before_qt() -> None:
    """Import the Qt-free modules the window and its worker need, before PySide6 is imported."""
    import desktop.domain.display
    import desktop.domain.estimate
    import desktop.domain.summary
    import desktop.domain.task_name
    import desktop.messages
    import desktop.session  # the worker's first import: the store, the models
    import desktop.session_rows
    import desktop.ui.outbox_text  # the window's parts that import no Qt
    import desktop.ui.payloads
    import desktop.ui.qt_values
    import desktop.ui.submission
    import desktop.ui.task_rows
    import desktop.ui.unexpected
    import desktop.ui.window_geometry  # noqa: F401


def skip_feature_scan() -> None:
    """After PySide6's import: its `__feature__` hook treats every module from now on as one
    that selects no feature (the default naming), without reading the module's source."""
    feature = sys.modules.get("shibokensupport.feature")
    if feature is not None and callable(getattr(feature, "_mod_uses_pyside", None)):
        feature._mod_uses_pyside = _selects_no_feature  # type: ignore[attr-defined]


def _selects_no_feature(_module: object) -> bool:
    return False


def wait_for_first_data(
    deliver: Callable[[], None],
    arrived: Callable[[], bool],
    limit: float = FIRST_DATA_WAIT_SECONDS,
) -> None:
    """Deliver the worker's queued signals to the window until the first data has `arrived`,
    or `limit` seconds have passed; sleeping between tries lets the worker have the GIL."""
    deadline = time.monotonic() + limit
    deliver()
    while not arrived() and time.monotonic() < deadline:
        time.sleep(0.0005)
        deliver()


def freeze_long_lived() -> None:
    """Exempt what lives now (modules, widgets, loaded lists) from cyclic garbage collection."""
    gc.freeze()


def share_the_gil() -> None:
    """Let the UI thread have the GIL back after 1 ms of Python on another thread."""
    sys.setswitchinterval(GIL_SWITCH_SECONDS)


def bench_exits_after_paint() -> bool:
    """Whether the bench seam is on: paint, report and quit (see the module's docstring)."""
    return os.environ.get(BENCH_PAINT_ENV) == "1"


def report_painted(repaint: Callable[[], None], quit_app: Callable[[], None]) -> None:
    """The bench seam's end: paint now, print when, and quit."""
    repaint()
    print(f"painted {time.time():.6f}", flush=True)
    quit_app()
