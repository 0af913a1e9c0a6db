"""The sync engine's test rig: a real SQLite store, a real client, the fake Toggl server over
HTTP on 127.0.0.1, and a clock the test moves (no sleeping)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest

from desktop.api.auth import ApiToken
from desktop.api.client import TogglClient
from desktop.api.models import TaskDraft
from desktop.store.cache import Cache
from desktop.store.database import open_database
from desktop.store.outbox import Outbox
from desktop.sync.drain import Drain
from desktop.sync.engine import SyncEngine
from desktop.sync.outcomes import StepResult
from tests.fake_toggl import FakeToggl


class Clock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class Rig:
    engine: SyncEngine
    outbox: Outbox
    cache: Cache
    clock: Clock
    client: TogglClient
    fake: FakeToggl
    drain: Drain

    def queue(self, name: str, project: str = "Website Redesign", **fields: object) -> int:
        pid = self.fake.project_id(project)
        draft = TaskDraft(name, **fields)  # type: ignore[arg-type]
        return self.outbox.add(self.fake.premium_workspace_id, pid, draft, project).id

    def run(self, until: Callable[[], bool] = lambda: False, steps: int = 200) -> list[StepResult]:
        """Step with the drain loop, the clock moved by each returned delay instead of a sleep,
        through every backoff and quota wait, until `until()` or nothing is left to do."""
        results: list[StepResult] = []

        def seen_then_until() -> bool:
            assert self.drain.last is not None
            results.append(self.drain.last)
            return until()

        self.drain.run(until=seen_then_until, steps=steps)
        return results


@pytest.fixture
def rig(fake: FakeToggl, data_dir: Path) -> Iterator[Rig]:
    clock = Clock()
    with closing(open_database(data_dir)) as db:
        outbox, cache = Outbox(db, clock), Cache(db, clock)
        with TogglClient(fake.url, ApiToken(fake.token)) as client:
            engine = SyncEngine(outbox, client, cache, clock=clock, rng=lambda: 0.5)
            drain = Drain(engine, clock=clock, sleep=clock.advance)
            yield Rig(engine, outbox, cache, clock, client, fake, drain)


def names_on_server(fake: FakeToggl, *names: str) -> list[int]:
    return [len(fake.tasks_named(name)) for name in names]
