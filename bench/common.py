"""What every figure shares: paths, summary statistics, a fake Toggl in its own process."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import statistics
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
DIST_EXE = ROOT / "dist" / "TaskDesk" / "TaskDesk"
CACHE_DIR = ROOT / ".cache" / "bench"
DOC = ROOT / "docs" / "benchmarks.md"
BENCH_PAINT_ENV = "TASK_DESK_BENCH_EXIT_AFTER_PAINT"
TOKEN_ENV = "TOGGL_API_TOKEN"  # noqa: S105 - the variable's name


def qt_env(**extra: str) -> dict[str, str]:
    """The environment for an app or floor process: offscreen Qt, no stray token or data dir."""
    env = {k: v for k, v in os.environ.items() if k not in (TOKEN_ENV, BENCH_PAINT_ENV)}
    env.pop("TASK_DESK_DATA_DIR", None)
    env.pop("TASK_DESK_API_URL", None)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.update(extra)
    return env


@dataclass(frozen=True)
class Stat:
    """Median of several runs, with min and max."""

    median: float
    low: float
    high: float
    runs: int

    @classmethod
    def of(cls, values: list[float]) -> Stat:
        if not values:
            raise ValueError("no runs")
        return cls(statistics.median(values), min(values), max(values), len(values))

    def as_dict(self) -> dict[str, float]:
        return {"median": self.median, "low": self.low, "high": self.high, "runs": self.runs}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Stat:
        return cls(data["median"], data["low"], data["high"], int(data["runs"]))


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (no interpolation: a p99 is a value that was observed)."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    rank = max(1, min(len(ordered), round(pct / 100 * len(ordered) + 0.4999)))
    return ordered[rank - 1]


@dataclass
class Row:
    """One line of the results table."""

    figure: str
    value: str
    floor: str
    ratio: str
    target: str
    passed: bool | None
    load: float
    note: str = ""
    details: dict[str, Any] = field(default_factory=dict)


def _serve_fake(conn: Connection, extra_projects: int) -> None:
    """Child process: a FakeToggl driven through a pipe of (name, args, kwargs) messages."""
    from tests.fake_toggl import FakeToggl

    fake = FakeToggl().start()
    if extra_projects:
        fake.add_projects(fake.premium_workspace_id, extra_projects)
    try:
        while True:
            message = conn.recv()
            if message is None:
                break
            name, args, kwargs = message
            try:
                attr = getattr(fake, name)
                result = attr(*args, **kwargs) if callable(attr) else attr
                conn.send((True, result))
            except Exception as exc:  # reported to the caller, who raises
                conn.send((False, repr(exc)))
    finally:
        fake.stop()
        conn.close()


class RemoteFake:
    """tests.fake_toggl.FakeToggl in a child process, so that neither its CPU time nor its
    hold on the GIL counts against the app measured here. Calls go through a pipe."""

    def __init__(self, extra_projects: int = 0) -> None:
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self._process = context.Process(
            target=_serve_fake, args=(child, extra_projects), daemon=True
        )
        self._process.start()
        child.close()
        self.url: str = self.call("url")
        self.token: str = self.call("token")
        self.premium_workspace_id: int = self.call("premium_workspace_id")

    def call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        self._conn.send((name, args, kwargs))
        ok, result = self._conn.recv()
        if not ok:
            raise RuntimeError(f"fake Toggl: {name} failed: {result}")
        return result

    def count(self, method: str | None = None, path_contains: str | None = None) -> int:
        return int(self.call("count", method, path_contains))

    def requests(self) -> list[tuple[str, str]]:
        return [(r.method, r.path) for r in self.call("requests")]

    def project_id(self, name: str) -> int:
        return int(self.call("project_id", name))

    def stop(self) -> None:
        if self._process.is_alive():
            with contextlib.suppress(OSError):
                self._conn.send(None)
            self._process.join(timeout=10)
        if self._process.is_alive():
            self._process.kill()
            self._process.join(timeout=5)
        self._conn.close()

    def __enter__(self) -> RemoteFake:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
