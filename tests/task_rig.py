"""A signed-in `Session` on the fake Toggl and a real SQLite file, whose engine runs on a clock
the test moves (no sleeping through the one-a-second pace or a backoff): for the task list's
tests (issue 13)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest

from desktop import credentials
from desktop.api.models import TaskChanges
from desktop.session import Session
from desktop.store.database import DATABASE_FILE
from desktop.sync.drain import Drain
from desktop.sync.engine import SyncEngine
from desktop.task_lines import TaskLine, TaskLines
from tests.fake_toggl import FakeToggl
from tests.fake_toggl.wire import now_iso
from tests.sync_rig import Clock


@dataclass
class TaskRig:
    session: Session
    fake: FakeToggl
    clock: Clock
    drain: Drain
    data_dir: Path

    @property
    def wid(self) -> int:
        return self.fake.premium_workspace_id

    @property
    def pid(self) -> int:
        return self.fake.project_id("Website Redesign")

    def lines(self) -> TaskLines:
        return self.session.task_lines(self.wid, self.pid)

    def line(self, name: str) -> TaskLine:
        (found,) = [line for line in self.lines().lines if line.name == name]
        return found

    def refresh(self, *, forced: bool = True) -> TaskLines | None:
        return self.session.refresh_tasks(self.wid, self.pid, forced=forced)

    def change(self, task_ids: list[int], **fields: object) -> TaskLines:
        changes = TaskChanges(**fields)  # type: ignore[arg-type]
        return self.session.change_tasks(self.wid, self.pid, task_ids, changes)

    def run(self, until: Callable[[], bool] = lambda: False, steps: int = 100) -> None:
        """Step the session's engine through the drain loop, the clock moved by each delay."""
        self.drain.run(until=until, steps=steps)

    def toggl_task(self, task_id: int) -> dict[str, object]:
        (task,) = [dict(t) for t in self.fake.tasks if t["id"] == task_id]
        return task

    def toggl_edit(self, task_id: int, **fields: object) -> None:
        """Someone changes the task on Toggl's side (its `at` stamped as Toggl does)."""
        with self.fake.lock:
            (task,) = [t for t in self.fake.tasks if t["id"] == task_id]
            task.update(fields, at=now_iso())

    def existing_id(self) -> int:
        return int(self.fake.tasks_named("Existing task")[0]["id"])

    def count(self, method: str, path_contains: str = "/tasks") -> int:
        return self.fake.count(method, path_contains)

    def offline(self) -> None:
        """Toggl out of reach, and the engine has found out (a step failed)."""
        self.fake.go_down()

    def online(self) -> None:
        self.fake.come_back()
        self.session.resume_sync()

    def age_copy(self, seconds: float) -> None:
        """Make the project's cached copy older, as if fetched `seconds` earlier."""
        with closing(sqlite3.connect(self.data_dir / DATABASE_FILE)) as db, db:
            db.execute(
                "UPDATE fetched SET at = at - ? WHERE what = ?", (seconds, f"tasks:{self.pid}")
            )
            db.execute("UPDATE task_lists SET full_at = full_at - ?", (seconds,))


def open_rig(fake: FakeToggl, data_dir: Path) -> TaskRig:
    session = Session(fake.url, data_dir)
    assert session.restore().signed_in
    clock = Clock()
    engine = SyncEngine(session.outbox, session.client, session.cache, clock=clock, rng=lambda: 0.5)
    session.__dict__["engine"] = engine  # the cached property, on the test's clock
    drain = Drain(engine, clock=clock, sleep=clock.advance)
    session.__dict__["_drain"] = drain
    return TaskRig(session, fake, clock, drain, data_dir)


@pytest.fixture
def tasks(fake: FakeToggl, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TaskRig]:
    monkeypatch.setenv(credentials.ENV_TOKEN, fake.token)
    rig = open_rig(fake, data_dir)
    try:
        yield rig
    finally:
        rig.session.close()
