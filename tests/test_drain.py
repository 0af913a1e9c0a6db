"""The drain loop against the fake Toggl server, on a clock the test moves: its sleep only
records the wait and moves the clock (no real sleeping)."""

from __future__ import annotations

import pytest

from desktop.api.models import TaskDraft
from desktop.store.outbox_row import OutboxState
from desktop.sync.drain import Drain, Stop
from tests.sync_rig import Rig, names_on_server


class Sleeps:
    """The injected sleep: every wait asked for, the rig's clock moved by it."""

    def __init__(self, rig: Rig) -> None:
        self._rig = rig
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        self._rig.clock.advance(seconds)


@pytest.fixture
def sleeps(rig: Rig) -> Sleeps:
    return Sleeps(rig)


@pytest.fixture
def drain(rig: Rig, sleeps: Sleeps) -> Drain:
    return Drain(rig.engine, clock=rig.clock, sleep=sleeps)


def test_drains_everything_at_the_pace_and_says_done(
    rig: Rig, drain: Drain, sleeps: Sleeps
) -> None:
    ids = [rig.queue(f"task {i}") for i in range(3)]
    assert drain.run(limit=60) is Stop.DONE
    assert sorted(drain.outcomes.created) == ids
    assert [drain.outcomes.created[i].name for i in ids] == ["task 0", "task 1", "task 2"]
    assert names_on_server(rig.fake, "task 0", "task 1", "task 2") == [1, 1, 1]
    assert len(sleeps.waits) >= 2  # one send a second: it slept between them
    assert all(0 < wait <= 1.0 for wait in sleeps.waits)
    assert not drain.outcomes.parked
    assert not drain.outcomes.deferred


def test_stops_once_the_watched_row_is_settled(rig: Rig, drain: Drain) -> None:
    first, watched, after = (rig.queue(name) for name in ("first", "watched", "after"))
    assert drain.run(until_settled=watched, limit=60) is Stop.SETTLED
    assert set(drain.outcomes.created) == {first, watched}
    assert rig.outbox.get(after).state is OutboxState.QUEUED


def test_a_refused_row_is_parked_and_settles_the_watch(rig: Rig, drain: Drain) -> None:
    refused = rig.queue("archived", "Old Campaign")  # Toggl answers 400
    assert drain.run(until_settled=refused, limit=60) is Stop.SETTLED
    assert "archived" in drain.outcomes.parked[refused].text
    assert drain.outcomes.settled(refused)
    assert refused not in drain.outcomes.created


def test_offline_stops_at_the_first_deferral_when_asked(
    rig: Rig, drain: Drain, sleeps: Sleeps
) -> None:
    rig.fake.go_down()
    row = rig.queue("offline")
    assert drain.run(limit=60, stop_when_deferred=True) is Stop.WAITING
    assert row in drain.outcomes.deferred
    assert sleeps.waits == []
    assert rig.outbox.get(row).state is OutboxState.QUEUED


def test_never_sleeps_past_the_limit(rig: Rig, drain: Drain, sleeps: Sleeps) -> None:
    rig.fake.go_down()
    rig.queue("offline")
    started = rig.clock.now
    assert drain.run(limit=30) is Stop.DEADLINE
    assert sleeps.waits  # it kept probing, backing off, meanwhile
    assert rig.clock.now - started < 30


def test_a_step_budget_ends_the_run(rig: Rig, drain: Drain) -> None:
    rig.fake.go_down()
    rig.queue("offline")
    asked: list[int] = []

    def never() -> bool:
        asked.append(rig.outbox.pending_count())
        return False

    assert drain.run(until=never, steps=3) is Stop.DEADLINE
    assert asked == [1, 1, 1]


def test_a_wait_longer_than_the_bound_is_not_slept(
    rig: Rig, drain: Drain, sleeps: Sleeps
) -> None:
    rig.fake.fail_next(
        402,
        '"You have hit your hourly limit for API calls. The quota will reset in 600 seconds."',
        headers={"X-Toggl-Quota-Remaining": "0", "X-Toggl-Quota-Resets-In": "600"},
    )
    row = rig.queue("after the quota")
    assert drain.run(limit=3600, longest_wait=30) is Stop.WAITING
    assert sleeps.waits == []
    assert row in drain.outcomes.deferred
    assert rig.engine.status().quota_until is not None


def test_sign_in_needed_stops_and_keeps_the_row(
    rig: Rig, drain: Drain, sleeps: Sleeps
) -> None:
    rig.fake.fail_next(401, "", method="POST")
    row = rig.queue("needs sign-in")
    assert drain.run(limit=60) is Stop.SIGN_IN
    assert rig.outbox.get(row).state is OutboxState.QUEUED
    assert sleeps.waits == []
    rig.engine.resume()
    assert drain.run(until_settled=row, limit=60) is Stop.SETTLED


def test_a_deferred_row_delivered_later_is_only_created(rig: Rig, drain: Drain) -> None:
    rig.fake.fail_next(503, '"busy"', method="POST")
    row = rig.queue("eventually")
    assert drain.run(limit=120) is Stop.DONE
    assert row in drain.outcomes.created
    assert row not in drain.outcomes.deferred
    assert rig.fake.count("POST") == 2


def test_until_is_asked_after_every_step(rig: Rig, drain: Drain) -> None:
    for i in range(3):
        rig.queue(f"task {i}")
    assert drain.run(until=lambda: rig.outbox.pending_count() == 2, limit=60) is Stop.SETTLED
    assert len(drain.outcomes.created) == 1


def test_step_returns_the_delay_and_keeps_the_result(rig: Rig, drain: Drain) -> None:
    assert drain.step() is None  # nothing queued: nothing to do until woken
    row = rig.queue("one step")
    delay = drain.step()
    assert delay is not None
    assert 0 < delay <= 1.0  # the pace before the next request
    assert drain.last is not None
    assert [created.id for created, _task in drain.last.created] == [row]
    assert row in drain.outcomes.created


def test_record_takes_a_claimed_send(rig: Rig, drain: Drain) -> None:
    project = rig.fake.project_id("Website Redesign")
    claimed = rig.engine.claim_new(
        rig.fake.premium_workspace_id, project, TaskDraft("claimed"), "Website Redesign"
    )
    assert claimed is not None
    delay = drain.record(rig.engine.send_claimed(claimed))
    assert delay is not None
    assert drain.outcomes.created[claimed.id].name == "claimed"


def test_forget_hands_over_the_outcomes_and_starts_afresh(rig: Rig, drain: Drain) -> None:
    first = rig.queue("first")
    drain.run(limit=60)
    taken = drain.forget()
    assert list(taken.created) == [first]
    assert drain.outcomes.created == {}
    second = rig.queue("second")
    drain.run(limit=60)
    assert list(drain.outcomes.created) == [second]
