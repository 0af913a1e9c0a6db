"""Whether a task just queued leaves within the moment a person waits for it: only when it is
next, the engine is online and nothing but the one-a-second pace stands in its way."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest

from desktop.api.client import TogglClient
from desktop.api.errors import AuthenticationError, NetworkError, QuotaExceededError
from desktop.api.models import TaskDraft
from desktop.store.cache import Cache
from desktop.store.database import open_database
from desktop.store.outbox import Outbox
from desktop.sync.engine import QUOTA_MARGIN, SyncEngine
from desktop.sync.pacing import PACE_WAIT_SECONDS, leaves_soon


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class Parts:
    engine: SyncEngine
    outbox: Outbox
    clock: Clock

    def queue(self, name: str) -> int:
        return self.outbox.add(1, 2, TaskDraft(name), "Website").id


@pytest.fixture
def parts(data_dir: Path) -> Iterator[Parts]:
    """An engine that is never stepped here: no request leaves (the address refuses anyway)."""
    clock = Clock()
    with closing(open_database(data_dir)) as db, TogglClient("http://127.0.0.1:9/api/v9") as api:
        outbox = Outbox(db, clock)
        engine = SyncEngine(outbox, api, Cache(db, clock), clock=clock)
        yield Parts(engine, outbox, clock)


def test_the_next_task_leaves_soon_once_toggl_has_answered(parts: Parts) -> None:
    row_id = parts.queue("Now")
    assert not leaves_soon(parts.engine, parts.outbox, row_id)  # not yet heard from Toggl
    parts.engine.observe(None)
    assert leaves_soon(parts.engine, parts.outbox, row_id)


def test_a_task_behind_others_does_not(parts: Parts) -> None:
    parts.engine.observe(None)
    first, second = parts.queue("First"), parts.queue("Second")
    assert leaves_soon(parts.engine, parts.outbox, first)
    assert not leaves_soon(parts.engine, parts.outbox, second)


def test_not_offline_nor_signed_out(parts: Parts) -> None:
    row_id = parts.queue("Waits")
    parts.engine.observe(NetworkError("Could not connect to Toggl."))
    assert not leaves_soon(parts.engine, parts.outbox, row_id)
    parts.engine.observe(None)
    parts.engine.observe(AuthenticationError("Bad token"))
    assert not leaves_soon(parts.engine, parts.outbox, row_id)
    parts.engine.resume()
    assert leaves_soon(parts.engine, parts.outbox, row_id)


def test_not_while_the_quota_is_spent_and_again_once_it_refills(parts: Parts) -> None:
    row_id = parts.queue("After the quota")
    parts.engine.observe(None)
    parts.engine.observe(QuotaExceededError("Quota reached", resets_in=0))
    assert parts.engine.seconds_until_next_attempt() == QUOTA_MARGIN <= PACE_WAIT_SECONDS
    assert not leaves_soon(parts.engine, parts.outbox, row_id)  # the quota, not the pace
    parts.clock.now += QUOTA_MARGIN
    assert leaves_soon(parts.engine, parts.outbox, row_id)
