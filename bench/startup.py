"""Figures measured on whole processes: cold start (source and frozen), idle RSS, bundle size,
and where the start-up time goes (import times, a timeline of the main thread)."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import statistics
import subprocess
import time
from collections.abc import Callable, Sequence
from contextlib import closing
from pathlib import Path

from bench.common import (
    BENCH_PAINT_ENV,
    ROOT,
    TOKEN_ENV,
    VENV_PYTHON,
    RemoteFake,
    Stat,
    qt_env,
)
from desktop.store.database import DATABASE_FILE

PAINTED = re.compile(r"^painted (\d+\.\d+)$", re.MULTILINE)
START_TIMEOUT = 60.0


CACHED_PROJECT, CACHED_TASKS = "Website Redesign", 50
"""The project the cached window opens on, and how many tasks it has (every third one done)."""


def fill_cache(data_dir: Path, fake: RemoteFake) -> None:
    """What using the app against `fake` leaves behind: workspaces, projects, people, fresh,
    and the last chosen project (`CACHED_PROJECT`) with its `CACHED_TASKS` tasks listed, so the
    window starts on it and its task list fills from the cache.

    The same Session the app's worker uses, without a window: 4 requests, as the app makes."""
    from desktop.api.auth import ApiToken
    from desktop.config import ensure_data_dir
    from desktop.session import Session

    project_id = fake.project_id(CACHED_PROJECT)
    have = sum(1 for task in fake.call("tasks") if task["project_id"] == project_id)
    if have < CACHED_TASKS:  # the fake is shared by several data folders
        fake.call("add_tasks", project_id, CACHED_TASKS - have)
    ensure_data_dir(data_dir)
    session = Session(fake.url, data_dir)
    try:
        session.client.credentials = ApiToken(fake.token)
        session.workspaces(force=True)
        chosen = session.preferred_workspace_id(session.cache.workspaces())
        assert chosen == fake.premium_workspace_id
        session.workspace_lists(chosen, force=True)
        session.remember(chosen, project_id)
        lines = session.refresh_tasks(chosen, project_id, forced=True)
        assert lines is not None
        assert len(lines.lines) == CACHED_TASKS
    finally:
        session.close()


def _stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def time_to_paint(command: Sequence[str], env: dict[str, str], cwd: Path = ROOT) -> float:
    """Seconds from just before Popen to the `painted <time>` the process prints."""
    started = time.time()
    process = subprocess.Popen(  # noqa: S603 - our own interpreter, app or bundle
        list(command), cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        out, err = process.communicate(timeout=START_TIMEOUT)
    finally:
        _stop(process)
    found = PAINTED.search(out)
    if found is None:
        raise RuntimeError(f"{command[0]} never said it painted: {err[-1500:]}")
    return float(found.group(1)) - started


def interleaved(
    pairs: dict[str, Callable[[], float]], runs: int, warmup: int = 1
) -> dict[str, list[float]]:
    """Run each measurement in turn (floor, app, floor, app...) so both share the machine's
    state; the warm-up rounds (page cache, first-run costs) are left out."""
    results: dict[str, list[float]] = {name: [] for name in pairs}
    for round_ in range(warmup + runs):
        for name, measure in pairs.items():
            value = measure()
            if round_ >= warmup:
                results[name].append(value)
    return results


def compile_bytecode() -> None:
    """Write the .pyc files a first run or an install leaves behind (this environment may set
    PYTHONDONTWRITEBYTECODE, and then every start would compile the app from source)."""
    subprocess.run(  # noqa: S603 - our own interpreter
        [str(VENV_PYTHON), "-m", "compileall", "-q", "desktop", "bench"],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
        check=True,
    )


def source_start(fake: RemoteFake, data_dir: Path, runs: int) -> dict[str, list[float]]:
    compile_bytecode()
    env = qt_env(**{BENCH_PAINT_ENV: "1", TOKEN_ENV: fake.token})
    app = [str(VENV_PYTHON), "-m", "desktop", "--api-url", fake.url, "--data-dir", str(data_dir)]
    floor = [str(VENV_PYTHON), "-m", "bench.bare_window"]
    return interleaved(
        {"floor": lambda: time_to_paint(floor, env), "app": lambda: time_to_paint(app, env)},
        runs,
    )


def frozen_start(
    fake: RemoteFake, data_dir: Path, bare_exe: Path, app_exe: Path, runs: int
) -> dict[str, list[float]]:
    env = qt_env(**{BENCH_PAINT_ENV: "1", TOKEN_ENV: fake.token})
    app = [str(app_exe), "--api-url", fake.url, "--data-dir", str(data_dir)]
    return interleaved(
        {
            "floor": lambda: time_to_paint([str(bare_exe)], env),
            "app": lambda: time_to_paint(app, env),
        },
        runs,
    )


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for {pid}")


def idle_rss(command: Sequence[str], env: dict[str, str], settle: float = 4.0) -> float:
    """RSS (MB) of a process left alone: after `settle` s, once it moved < 0.2 MB in 1 s."""
    process = subprocess.Popen(  # noqa: S603 - our own interpreter
        list(command),
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(settle)
        previous = _rss_mb(process.pid)
        for _ in range(20):
            time.sleep(1.0)
            current = _rss_mb(process.pid)
            if abs(current - previous) < 0.2:
                return current
            previous = current
        return previous
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def memory(fake: RemoteFake, data_dir: Path, runs: int) -> dict[str, list[float]]:
    env = qt_env(**{TOKEN_ENV: fake.token})
    app = [str(VENV_PYTHON), "-m", "desktop", "--api-url", fake.url, "--data-dir", str(data_dir)]
    floor = [str(VENV_PYTHON), "-m", "bench.bare_window", "--idle"]
    return interleaved(
        {"floor": lambda: idle_rss(floor, env), "app": lambda: idle_rss(app, env)},
        runs,
        warmup=0,
    )


def memory_after_fetching(fake: RemoteFake, data_dir: Path, runs: int) -> list[float]:
    """The same, once the app used the network: its lists are made stale first, so it fetches
    all 10,000 projects again at start (httpx, ssl and their certificates load with that)."""
    env = qt_env(**{TOKEN_ENV: fake.token})
    app = [str(VENV_PYTHON), "-m", "desktop", "--api-url", fake.url, "--data-dir", str(data_dir)]
    values = []
    for _ in range(runs):
        with closing(sqlite3.connect(data_dir / DATABASE_FILE)) as db, db:
            db.execute("UPDATE fetched SET at = 0")  # the cache's own staleness record
        values.append(idle_rss(app, env))
    return values


def du_mb(path: Path) -> int:
    done = subprocess.run(  # noqa: S603
        ["du", "-sm", str(path)],  # noqa: S607 - coreutils
        capture_output=True,
        text=True,
        check=True,
    )
    return int(done.stdout.split()[0])


# --- where the start-up time goes --------------------------------------------------------


def import_times(fake: RemoteFake, data_dir: Path) -> list[tuple[str, float]]:
    """`python -X importtime -m desktop` with the paint hook: the top-level imports (either
    thread) by cumulative ms, biggest first."""
    env = qt_env(**{BENCH_PAINT_ENV: "1", TOKEN_ENV: fake.token})
    command = [str(VENV_PYTHON), "-X", "importtime", "-m", "desktop"]
    command += ["--api-url", fake.url, "--data-dir", str(data_dir)]
    done = subprocess.run(  # noqa: S603
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=START_TIMEOUT
    )
    found: list[tuple[str, float]] = []
    for line in done.stderr.splitlines():
        match = re.match(r"import time:\s+-?\d+ \|\s+(\d+) \| (\S.*)$", line)
        if match and not match.group(2).startswith(" "):
            found.append((match.group(2).strip(), int(match.group(1)) / 1000))
    return sorted(found, key=lambda item: -item[1])


def timeline(fake: RemoteFake, data_dir: Path, runs: int = 3) -> list[tuple[str, float]]:
    """Median ms after Popen at which the main thread reached each step (bench.start_timeline)."""
    samples: dict[str, list[float]] = {}
    order: list[str] = []
    for _ in range(runs):
        env = qt_env(**{BENCH_PAINT_ENV: "1", TOKEN_ENV: fake.token})
        env["BENCH_T0"] = repr(time.time())
        command = [str(VENV_PYTHON), "-m", "bench.start_timeline"]
        command += ["--api-url", fake.url, "--data-dir", str(data_dir)]
        done = subprocess.run(  # noqa: S603
            command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=START_TIMEOUT
        )
        for line in done.stdout.splitlines():
            if line.startswith("step "):
                _, ms, name = line.split(" ", 2)
                if name not in samples:
                    samples[name] = []
                    order.append(name)
                samples[name].append(float(ms))
    return [(name, statistics.median(samples[name])) for name in order]


def stat(values: list[float]) -> Stat:
    return Stat.of(values)


def environ_token_free() -> None:
    """The bench's own process never holds a token in its environment."""
    os.environ.pop(TOKEN_ENV, None)
