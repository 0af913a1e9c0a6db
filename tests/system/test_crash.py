"""A real app process killed with SIGKILL while draining its outbox: every new task lands once,
and every change to a task in Toggl is applied once (issue 13)."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from contextlib import closing
from pathlib import Path

from desktop import credentials
from desktop.api.models import Task, TaskDraft
from desktop.store.database import SCHEMA_VERSION, open_database, schema_version
from desktop.store.outbox import Outbox
from desktop.store.outbox_row import OutboxState
from desktop.store.task_changes import Fields, TaskChangeQueue
from desktop.sync.task_merge import queue_change
from tests.fake_toggl import FakeToggl
from tests.reliability import record

ROOT = Path(__file__).resolve().parents[2]
# `make reliability` runs the long loop: 50 new tasks and 50 changes through 50 kills.
TASKS = int(os.environ.get("TASK_DESK_CRASH_TASKS", "10"))
CHANGES = int(os.environ.get("TASK_DESK_CRASH_CHANGES", "10"))
KILLS = int(os.environ.get("TASK_DESK_CRASH_KILLS", "6"))


def start_app(fake: FakeToggl, data_dir: Path, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", credentials.ENV_TOKEN: fake.token}
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "desktop", "--api-url", fake.url, "--data-dir", str(data_dir)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def delivered(fake: FakeToggl) -> Counter[str]:
    with fake.lock:
        return Counter(t["name"] for t in fake.tasks if t["name"].startswith("crash "))


def sends(fake: FakeToggl) -> int:
    return sum(fake.count(method, "/tasks") for method in ("POST", "PUT", "PATCH"))


def queue_changes(fake: FakeToggl, db: sqlite3.Connection) -> list[int]:
    """Existing tasks in Toggl, each with a change queued as the window queues one: every
    other one renamed (a PUT each), the rest marked done (alike: bulk PATCHes)."""
    pid = fake.project_id("Website Redesign")
    ids = [int(fake.add_task(pid, f"change {i:02d}")["id"]) for i in range(CHANGES)]
    queue = TaskChangeQueue(lambda: db)
    with fake.lock:
        served = {int(t["id"]): Task.from_json(fake.served(t)) for t in fake.tasks}
    for i, task_id in enumerate(ids):
        fields: Fields = {"name": f"changed {i:02d}"} if i % 2 else {"active": False}
        queue_change(queue, fake.premium_workspace_id, pid, served[task_id], fields)
    return ids


def applied(fake: FakeToggl, task_id: int) -> int:
    """The PUTs and bulk PATCHes that reached Toggl for this task (each one applied)."""
    return sum(
        1
        for r in fake.requests
        if r.method in ("PUT", "PATCH") and str(task_id) in r.path.rsplit("/", 1)[-1].split(",")
    )


def changed(fake: FakeToggl, ids: list[int]) -> bool:
    with fake.lock:
        now = {int(t["id"]): t for t in fake.tasks}
    return all(
        now[task_id]["name"] == f"changed {i:02d}" if i % 2 else now[task_id]["active"] is False
        for i, task_id in enumerate(ids)
    )


def test_sigkill_while_draining_never_loses_or_duplicates(
    fake: FakeToggl, data_dir: Path, tmp_path: Path
) -> None:
    pid = fake.project_id("Website Redesign")
    with closing(open_database(data_dir)) as db:
        outbox = Outbox(db)
        for i in range(TASKS):
            outbox.add(fake.premium_workspace_id, pid, TaskDraft(f"crash {i:02d}"), "Website")
        change_ids = queue_changes(fake, db)
    fake.delay = 0.4  # a request in flight is a likelier place for a kill to land
    rng = random.Random(20261129)
    log = tmp_path / "app.log"
    kills = among_changes = 0
    deadline = time.monotonic() + 240 + 8 * KILLS + 2 * (TASKS + CHANGES)
    while kills < KILLS and time.monotonic() < deadline:
        before = sends(fake)
        app = start_app(fake, data_dir, log)
        moment = time.monotonic() + 15
        while sends(fake) == before and time.monotonic() < moment and app.poll() is None:
            time.sleep(0.05)
        time.sleep(rng.uniform(0.0, 1.4))  # anywhere: mid-request, between sends, idle
        app.send_signal(signal.SIGKILL)
        app.wait(10)
        kills += 1
        among_changes += sum(delivered(fake).values()) >= TASKS  # new tasks go first
    app = start_app(fake, data_dir, log)
    try:
        while (
            sum(delivered(fake).values()) < TASKS or not changed(fake, change_ids)
        ) and time.monotonic() < deadline:
            assert app.poll() is None, log.read_text()[-3000:]
            time.sleep(0.2)
        time.sleep(1.5)  # room for a duplicate to show up, were one coming
    finally:
        app.terminate()
        app.wait(20)
    counts = delivered(fake)
    assert kills == KILLS
    assert sorted(counts) == [f"crash {i:02d}" for i in range(TASKS)], log.read_text()[-3000:]
    assert set(counts.values()) == {1}, counts
    with closing(open_database(data_dir)) as db:
        rows = Outbox(db).waiting()
        states = db.execute("SELECT state, count(*) FROM outbox GROUP BY state").fetchall()
        changes_left = db.execute("SELECT count(*) FROM task_changes").fetchone()[0]
    assert rows == []
    assert states == [(OutboxState.DONE.value, TASKS)]
    assert changed(fake, change_ids), log.read_text()[-3000:]
    applications = Counter(applied(fake, task_id) for task_id in change_ids)
    assert applications == {1: CHANGES}, applications
    assert changes_left == 0
    record(
        crash_changes_queued=CHANGES,
        crash_changes_applied=applications[1],
        crash_changes_applied_twice=CHANGES - applications[1],
        crash_kills_among_changes=among_changes,
        kills_survived=kills,
        crash_tasks_queued=TASKS,
        crash_tasks_delivered=len(counts),
        crash_tasks_lost=TASKS - len(counts),
        crash_tasks_duplicated=sum(counts.values()) - len(counts),
        crash_reconciles=fake.count("GET", "/tasks"),
    )


def test_a_kill_during_a_schema_migration_keeps_the_old_schema_and_its_outbox(
    data_dir: Path,
) -> None:
    previous = SCHEMA_VERSION - 1
    with closing(open_database(data_dir, target_version=previous)) as db:
        db.execute(
            "INSERT INTO outbox (workspace_id, project_id, name, active, project_label, state, "
            "queued_at) VALUES (1, 2, 'queued before the update', 1, 'P', 'queued', 1.0)"
        )
    script = (
        "import os, signal, sqlite3, sys\n"
        "from desktop.store.database import MIGRATIONS, DATABASE_FILE\n"
        "db = sqlite3.connect(os.path.join(sys.argv[1], DATABASE_FILE), isolation_level=None)\n"
        "db.execute('BEGIN IMMEDIATE')\n"
        f"for statement in MIGRATIONS[{SCHEMA_VERSION}]:\n"
        "    db.execute(statement)\n"
        "os.kill(os.getpid(), signal.SIGKILL)  # mid-migration, before COMMIT\n"
    )
    killed = subprocess.run(
        [sys.executable, "-c", script, str(data_dir)], cwd=ROOT, check=False, timeout=60
    )
    assert killed.returncode == -signal.SIGKILL
    with closing(open_database(data_dir)) as db:
        assert schema_version(db) == SCHEMA_VERSION
        (row,) = Outbox(db).waiting()
    assert row.draft.name == "queued before the update"
    record(migration_kills_survived=1)
