"""The floors of the submit and drain figures: what a bare POST and the fsync'd commits that
exactly-once delivery needs cost on this machine, measured in the same run as the app.

The database is a real file opened as desktop/store/database.py opens the app's (WAL,
`synchronous=FULL`: every commit fsyncs the write-ahead log; autocommit connection, explicit
IMMEDIATE transactions), on the same file system as the app's data folder. The POST is the
app's body sent to the same fake endpoint by a warmed keep-alive `httpx.Client`.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

import httpx

from bench.common import RemoteFake

CPU_RUNS = 50


class Floor:
    """A bare POST and a bare SQLite file, used as the app would use them."""

    def __init__(self, fake: RemoteFake, folder: Path) -> None:
        from desktop.api.models import TaskDraft

        self._draft = TaskDraft
        wid, pid = fake.premium_workspace_id, fake.project_id("Website Redesign")
        self._url = f"{fake.url}/workspaces/{wid}/projects/{pid}/tasks"
        self._client = httpx.Client(auth=(fake.token, "api_token"), timeout=10)
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        self._db = sqlite3.connect(folder / "floor.sqlite3", timeout=10.0, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, "
            "name TEXT NOT NULL, state TEXT NOT NULL, queued_at REAL NOT NULL)"
        )
        self._sent = 0
        for _ in range(3):  # warm: the kept-alive connection, SQLite's file and cache
            self.task(commits=2)

    def post(self) -> None:
        self._sent += 1
        body = self._draft(name=f"Floor task {self._sent}").to_json()
        self._client.post(self._url, json=body).raise_for_status()

    def save(self) -> int:
        """One fsync'd commit: a row saved as *sending*, as the app saves a task."""
        self._db.execute("BEGIN IMMEDIATE")
        cursor = self._db.execute(
            "INSERT INTO outbox (name, state, queued_at) VALUES (?, 'sending', ?)",
            (f"Floor task {self._sent + 1}", time.time()),
        )
        self._db.execute("COMMIT")
        return int(cursor.lastrowid or 0)

    def mark_sent(self, row_id: int) -> None:
        """The second fsync'd commit: the delivery recorded."""
        self._db.execute("BEGIN IMMEDIATE")
        self._db.execute("UPDATE outbox SET state = 'sent' WHERE id = ?", (row_id,))
        self._db.execute("COMMIT")

    def task(self, commits: int) -> None:
        """What delivering one task costs at the least: save, POST and, with 2, record it."""
        row_id = self.save()
        self.post()
        if commits == 2:
            self.mark_sent(row_id)

    def submit_sample(self) -> dict[str, float]:
        """The submit floor once, in ms: one commit, then the POST (the app's order). Then the
        second commit, for `paced_cpu`: the drain floor's CPU taken at the pace the app drains
        at (these samples come ~1.2 s apart), with caches as cold as the app's, where `cpu()`
        takes it 50 times in a row."""
        cpu = time.thread_time()
        started = time.perf_counter()
        row_id = self.save()
        saved = time.perf_counter()
        self.post()
        done = time.perf_counter()
        self.mark_sent(row_id)
        return {
            "commit": (saved - started) * 1000,
            "post": (done - saved) * 1000,
            "floor": (done - started) * 1000,
            "paced_cpu": (time.thread_time() - cpu) * 1000,
        }

    def cpu(self) -> dict[str, Any]:
        """CPU ms per bare POST and per POST with two commits, each over CPU_RUNS in a row.

        `thread_time`: the CPU of this thread alone (user and system, the fsyncs' included),
        so the idle window beside it is not counted; `process_time` is kept for comparison."""
        result: dict[str, Any] = {"runs": CPU_RUNS}
        for key, work in (("post", self.post), ("task", lambda: self.task(commits=2))):
            thread, process, wall = time.thread_time(), time.process_time(), time.perf_counter()
            for _ in range(CPU_RUNS):
                work()
            result[f"{key}_cpu_ms"] = (time.thread_time() - thread) / CPU_RUNS * 1000
            result[f"{key}_process_cpu_ms"] = (time.process_time() - process) / CPU_RUNS * 1000
            result[f"{key}_wall_ms"] = (time.perf_counter() - wall) / CPU_RUNS * 1000
        return result

    def close(self) -> None:
        self._client.close()
        self._db.close()
