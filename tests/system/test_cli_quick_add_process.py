"""`TaskDesk add` in the quick-add syntax as a script runs it: `python -m desktop` in a
subprocess against the fake Toggl, a line as an argument and tasks piped to `--file -`."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from desktop import credentials
from tests.fake_toggl import FakeToggl
from tests.system.test_cli_process import ROOT, task_desk


def piped(fake: FakeToggl, data_dir: Path, lines: str) -> subprocess.CompletedProcess[str]:
    """`TaskDesk add --file -` with `lines` on its standard input."""
    env = {**os.environ, credentials.ENV_TOKEN: fake.token, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-m", "desktop", "add", "--file", "-", *where(fake, data_dir)],
        cwd=ROOT, env=env, input=lines, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def where(fake: FakeToggl, data_dir: Path) -> tuple[str, ...]:
    return ("--api-url", fake.url, "--data-dir", str(data_dir))


def test_a_line_as_an_argument(fake: FakeToggl, data_dir: Path) -> None:
    done = task_desk("add", "Write report 1h30 @web +sam !done", *where(fake, data_dir), "--json",
                     token=fake.token)  # fmt: skip
    assert done.returncode == 0, done.stderr
    (task,) = fake.tasks_named("Write report")
    assert json.loads(done.stdout)["task"]["id"] == task["id"]
    assert (task["estimated_seconds"], task["user_id"], task["active"]) == (5400, 9_000_000_002,
                                                                           False)  # fmt: skip


def test_tasks_piped_to_file_dash(fake: FakeToggl, data_dir: Path) -> None:
    lines = "Plan sprint @web 2h\nCall 3 clients @mobile +sam\n\nReview \\@home @internal\n"
    done = piped(fake, data_dir, lines)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Queued 3 tasks (outbox #1 to #3): sent 3, refused 0")
    assert fake.tasks_named("Plan sprint")[0]["estimated_seconds"] == 7200
    assert fake.tasks_named("Call 3 clients")[0]["user_id"] == 9_000_000_002
    assert len(fake.tasks_named("Review @home")) == 1


def test_a_bad_line_piped_exits_64_and_queues_nothing(fake: FakeToggl, data_dir: Path) -> None:
    lines = "Fine @web\nNo project\n"
    done = piped(fake, data_dir, lines)
    assert done.returncode == 64
    assert done.stderr.splitlines() == [
        "Task Desk: 1 of 2 lines is not understood, so no task was queued.",
        "  line 2, “No project”: A project is required: @project in the line, or --project.",
    ]
    assert fake.count("POST") == 0
    listed = task_desk("outbox", "--data-dir", str(data_dir))
    assert "empty" in listed.stdout


def test_sigkill_while_add_file_sends_then_sync_delivers_each_once(
    fake: FakeToggl, data_dir: Path, tmp_path: Path
) -> None:
    """Killed mid-drain, between or during sends: the lines were queued in one transaction
    before any left, and `sync` sends the rest, settling the one in flight, never twice."""
    names = [f"killed {n}" for n in range(8)]
    tasks = tmp_path / "tasks.txt"
    tasks.write_text("".join(f"{name} @web\n" for name in names))
    fake.delay = 0.4  # a request in flight is where a kill is likeliest to land
    env = {**os.environ, credentials.ENV_TOKEN: fake.token, "QT_QPA_PLATFORM": "offscreen"}
    adding = subprocess.Popen(
        [sys.executable, "-m", "desktop", "add", "--file", str(tasks), *where(fake, data_dir)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while fake.count("POST") < 3 and time.monotonic() < deadline:
            assert adding.poll() is None
            time.sleep(0.05)
        time.sleep(0.2)
    finally:
        adding.send_signal(signal.SIGKILL)
        adding.wait(10)
    assert 0 < sum(len(fake.tasks_named(name)) for name in names) < len(names)
    fake.delay = 0.0
    synced = task_desk("sync", *where(fake, data_dir), token=fake.token)
    assert synced.returncode == 0, synced.stdout + synced.stderr
    assert [len(fake.tasks_named(name)) for name in names] == [1] * len(names)
