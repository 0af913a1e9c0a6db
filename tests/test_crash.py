"""A real app process killed with SIGKILL while draining its outbox: every task lands once."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from contextlib import closing
from pathlib import Path

from desktop import credentials
from desktop.api.models import TaskDraft
from desktop.store.database import SCHEMA_VERSION, open_database, schema_version
from desktop.store.outbox import Outbox
from desktop.store.outbox_row import OutboxState
from tests.fake_toggl import FakeToggl
from tests.reliability import record

ROOT = Path(__file__).resolve().parents[1]
# `make reliability` runs the long loop: 100 tasks, 50 kills.
TASKS = int(os.environ.get("TASK_DESK_CRASH_TASKS", "20"))
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


def test_sigkill_while_draining_never_loses_or_duplicates(
    fake: FakeToggl, data_dir: Path, tmp_path: Path
) -> None:
    pid = fake.project_id("Website Redesign")
    with closing(open_database(data_dir)) as db:
        outbox = Outbox(db)
        for i in range(TASKS):
            outbox.add(fake.premium_workspace_id, pid, TaskDraft(f"crash {i:02d}"), "Website")
    fake.delay = 0.4  # a request in flight is a likelier place for a kill to land
    rng = random.Random(20261129)
    log = tmp_path / "app.log"
    kills = 0
    deadline = time.monotonic() + 240 + 8 * KILLS + 2 * TASKS
    while kills < KILLS and time.monotonic() < deadline:
        before = fake.count("POST")
        app = start_app(fake, data_dir, log)
        moment = time.monotonic() + 15
        while fake.count("POST") == before and time.monotonic() < moment and app.poll() is None:
            time.sleep(0.05)
        time.sleep(rng.uniform(0.0, 1.4))  # anywhere: mid-request, between sends, idle
        app.send_signal(signal.SIGKILL)
        app.wait(10)
        kills += 1
    app = start_app(fake, data_dir, log)
    try:
        while sum(delivered(fake).values()) < TASKS and time.monotonic() < deadline:
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
    assert rows == []
    assert states == [(OutboxState.DONE.value, TASKS)]
    record(
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
