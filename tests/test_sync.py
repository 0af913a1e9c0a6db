"""The sync engine against the fake Toggl server, on a clock the test moves (no sleeping)."""

from __future__ import annotations

import time
from itertools import pairwise

import httpx
import pytest

from desktop.api.auth import ApiToken
from desktop.api.client import TogglClient
from desktop.api.errors import ServerError
from desktop.api.models import TaskDraft
from desktop.store.outbox_row import OutboxState
from desktop.sync.engine import SLOW_ANSWER_GRACE, SyncEngine
from desktop.sync.outcomes import Connection
from desktop.sync.status import indicator_text
from tests.fake_toggl import FakeToggl
from tests.sync_rig import Rig, names_on_server


def test_sends_oldest_first_at_most_once_a_second(rig: Rig) -> None:
    for i in range(3):
        rig.queue(f"task {i}")
    times: list[float] = []
    rig.engine.step()
    times.append(rig.clock.now)
    results = rig.run()
    posts = [r for r in rig.fake.requests if r.method == "POST"]
    assert [p.body["name"] for p in posts] == ["task 0", "task 1", "task 2"]
    created_at = [rig.clock.now for r in results if r.created]
    assert sum(len(r.created) for r in results) == 2
    assert all(r.delay is None or r.delay <= 1.0 for r in results)
    assert rig.outbox.pending_count() == 0
    assert created_at  # moved the clock by about a second between sends
    assert results[-1].delay is None


def test_offline_then_back_delivers_exactly_once(rig: Rig) -> None:
    rig.fake.go_down()
    rig.queue("while offline")
    result = rig.engine.step()
    assert rig.engine.connection is Connection.OFFLINE
    assert result.deferred
    assert result.delay is not None
    assert rig.outbox.get(1).state is OutboxState.QUEUED
    assert indicator_text(rig.engine.status()) == "Offline — 1 queued"
    for _ in range(5):  # probes fail quietly, backing off, without touching the outbox
        result = rig.engine.step()
        assert result.delay is not None
        assert result.changed_row_id is None
        rig.clock.advance(result.delay)
    assert result.delay <= 15
    rig.fake.come_back()
    rig.run(until=lambda: rig.outbox.pending_count() == 0)
    assert names_on_server(rig.fake, "while offline") == [1]
    assert indicator_text(rig.engine.status()) == "Online"


@pytest.mark.parametrize("when", ["before_store", "after_store"])
def test_dropped_connection_is_reconciled_not_duplicated(rig: Rig, when: str) -> None:
    rig.fake.drop_next(when)  # type: ignore[arg-type]
    row_id = rig.queue("dropped")
    rig.engine.step()
    assert rig.outbox.get(row_id).state is OutboxState.UNCONFIRMED
    rig.run(until=lambda: rig.outbox.pending_count() == 0)
    assert names_on_server(rig.fake, "dropped") == [1]
    row = rig.outbox.get(row_id)
    assert row.state is OutboxState.DONE
    assert row.remote_task_id == rig.fake.tasks_named("dropped")[0]["id"]
    listed = rig.fake.count("GET", "/tasks")
    assert listed == 1  # one look before deciding
    assert rig.fake.count("POST") == (2 if when == "before_store" else 1)


def claim(rig: Rig, name: str) -> int | None:
    pid = rig.fake.project_id("Website Redesign")
    claimed = rig.engine.claim_new(rig.fake.premium_workspace_id, pid, TaskDraft(name), "Website")
    return None if claimed is None else claimed.id


def test_a_task_that_can_leave_at_once_is_saved_as_sending_and_sent(rig: Rig) -> None:
    row_id = claim(rig, "at once")
    assert row_id is not None
    row = rig.outbox.get(row_id)
    assert (row.state, row.attempts) == (OutboxState.SENDING, 1)  # durable before the request
    assert rig.fake.count("POST") == 0
    result = rig.engine.send_claimed(row)
    assert [r.id for r, _ in result.created] == [row_id]
    assert rig.outbox.get(row_id).state is OutboxState.DONE
    assert names_on_server(rig.fake, "at once") == [1]
    assert claim(rig, "within the second") is None  # the one-a-second pace holds
    rig.clock.advance(1.0)
    assert claim(rig, "after it") is not None


def test_a_task_with_something_to_wait_for_is_not_claimed(rig: Rig) -> None:
    queued = rig.queue("queued first")
    assert claim(rig, "behind it") is None  # oldest first
    rig.run(until=lambda: rig.outbox.pending_count() == 0)
    assert rig.outbox.get(queued).state is OutboxState.DONE
    rig.clock.advance(1.0)
    rig.engine.sign_in_needed = True
    assert claim(rig, "signed out") is None
    rig.engine.sign_in_needed = False
    rig.engine.connection = Connection.OFFLINE
    assert claim(rig, "offline") is None
    assert rig.outbox.pending_count() == 0  # nothing was saved by a refused claim


@pytest.mark.parametrize("when", ["before_store", "after_store"])
def test_a_claimed_task_whose_answer_is_lost_is_sent_exactly_once(rig: Rig, when: str) -> None:
    rig.fake.drop_next(when)  # type: ignore[arg-type]
    row_id = claim(rig, "claimed and dropped")
    assert row_id is not None
    result = rig.engine.send_claimed(rig.outbox.get(row_id))
    assert [r.id for r, _ in result.deferred] == [row_id]
    assert rig.outbox.get(row_id).state is OutboxState.UNCONFIRMED
    rig.run(until=lambda: rig.outbox.pending_count() == 0)
    assert names_on_server(rig.fake, "claimed and dropped") == [1]
    assert rig.outbox.get(row_id).state is OutboxState.DONE


def test_reconciling_never_adopts_a_task_twice(rig: Rig) -> None:
    """Two queued tasks with the same name are two tasks: one adoption, one real send."""
    first = rig.queue("Call the client")
    rig.fake.drop_next("after_store")
    rig.engine.step()
    second = rig.queue("Call the client")
    rig.run(until=lambda: rig.outbox.pending_count() == 0)
    assert names_on_server(rig.fake, "Call the client") == [2]
    ids = {rig.outbox.get(first).remote_task_id, rig.outbox.get(second).remote_task_id}
    assert ids == {t["id"] for t in rig.fake.tasks_named("Call the client")}


def test_an_old_task_of_the_same_name_is_not_adopted(rig: Rig) -> None:
    pid = rig.fake.project_id("Website Redesign")
    rig.fake.add_task(pid, "Weekly report", at="2020-01-01T00:00:00Z")
    rig.fake.drop_next("before_store")
    rig.queue("Weekly report")
    rig.run(until=lambda: rig.outbox.pending_count() == 0)
    assert names_on_server(rig.fake, "Weekly report") == [2]


def test_a_crash_while_sending_is_reconciled_at_the_next_start(rig: Rig) -> None:
    row_id = rig.queue("sent before the crash")
    rig.outbox.mark_sending(row_id)
    rig.client.create_task(  # it reached Toggl, then the app died before noting it
        rig.fake.premium_workspace_id,
        rig.fake.project_id("Website Redesign"),
        rig.outbox.get(row_id).draft,
    )
    assert rig.outbox.recover_interrupted() == 1
    rig.run(until=lambda: rig.outbox.pending_count() == 0)
    assert names_on_server(rig.fake, "sent before the crash") == [1]
    assert rig.outbox.get(row_id).state is OutboxState.DONE


def test_a_rejected_task_is_parked_and_the_rest_go_on(rig: Rig) -> None:
    for i in range(10):
        project = "Old Campaign" if i == 4 else "Website Redesign"  # archived: 400
        rig.queue(f"batch {i}", project)
    results = rig.run(until=lambda: rig.outbox.pending_count() == 0)
    assert sum(len(r.created) for r in results) == 9
    (parked,) = [p for r in results for p in r.parked]
    row, failure = parked
    assert row.draft.name == "batch 4"
    assert "Can not change tasks of archived project" in failure.text
    (failed,) = rig.outbox.waiting()
    assert failed.state is OutboxState.FAILED
    assert "archived" in (failed.reason or "")
    assert all(names_on_server(rig.fake, f"batch {i}") == [i != 4] for i in range(10))
    assert rig.fake.count("POST") == 10  # the rejected one was not sent again


@pytest.mark.parametrize("headers", [{}, {"Retry-After": "7"}])
def test_429_backs_off(rig: Rig, headers: dict[str, str]) -> None:
    rig.fake.fail_next(429, '"busy"', count=3, method="POST", headers=headers)
    rig.queue("eventually")
    delays = []
    for _ in range(3):
        result = rig.engine.step()
        assert result.delay is not None
        delays.append(result.delay)
        rig.clock.advance(result.delay)
    if headers:
        assert min(delays) >= 7  # Toggl's Retry-After wins over a shorter backoff
    else:
        assert delays == sorted(delays)
        assert delays[2] >= 3 * delays[0]
    rig.run(until=lambda: rig.outbox.pending_count() == 0)
    assert names_on_server(rig.fake, "eventually") == [1]
    assert rig.fake.count("POST") == 4  # no retry storm


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_a_5xx_to_a_send_is_settled_by_listing_then_backs_off(rig: Rig, status: int) -> None:
    """A gateway's 5xx may come after Toggl stored the task: each one is checked by a
    listing before the task is sent again, and the sends back off."""
    rig.fake.fail_next(status, '"busy"', count=3, method="POST")
    row_id = rig.queue("eventually")
    rig.engine.step()
    assert rig.outbox.get(row_id).state is OutboxState.UNCONFIRMED
    posted_at: list[float] = []
    for _ in range(40):
        posts = rig.fake.count("POST")
        result = rig.engine.step()
        if rig.fake.count("POST") > posts:
            posted_at.append(rig.clock.now)
        if rig.outbox.pending_count() == 0 or result.delay is None:
            break
        rig.clock.advance(result.delay)
    assert names_on_server(rig.fake, "eventually") == [1]
    assert rig.fake.count("POST") == 4  # no retry storm
    assert rig.fake.count("GET", "/tasks") == 3  # one look after each 5xx
    gaps = [later - earlier for earlier, later in pairwise(posted_at)]
    assert gaps == sorted(gaps)


def test_a_5xx_after_toggl_stored_the_task_is_not_sent_twice(rig: Rig) -> None:
    real_create = rig.client.create_task

    def stored_then_gateway_error(*args: object) -> object:
        real_create(*args)  # type: ignore[arg-type]  # Toggl stores it...
        raise ServerError("Bad Gateway", status=502)  # ...and the proxy answers 502

    rig.client.create_task = stored_then_gateway_error  # type: ignore[method-assign]
    row_id = rig.queue("behind a proxy")
    rig.engine.step()
    rig.client.create_task = real_create  # type: ignore[method-assign]
    assert rig.outbox.get(row_id).state is OutboxState.UNCONFIRMED
    rig.run(until=lambda: rig.outbox.pending_count() == 0)
    assert names_on_server(rig.fake, "behind a proxy") == [1]
    assert rig.outbox.get(row_id).state is OutboxState.DONE


def test_spent_quota_waits_for_the_reset(rig: Rig) -> None:
    rig.fake.fail_next(
        402,
        '"You have hit your hourly limit for API calls. The quota will reset in 5 seconds."',
        headers={"X-Toggl-Quota-Remaining": "0", "X-Toggl-Quota-Resets-In": "5"},
    )
    rig.queue("after the quota")
    result = rig.engine.step()
    assert result.delay is not None
    assert result.delay >= 5
    assert indicator_text(rig.engine.status()).startswith("Waiting for quota until ")
    requests = len(rig.fake.requests)
    rig.clock.advance(4)
    assert rig.engine.step().created == []
    assert len(rig.fake.requests) == requests  # nothing sent while the quota is spent


def test_sign_in_needed_pauses_and_keeps_everything(rig: Rig) -> None:
    rig.fake.fail_next(401, "", method="POST")
    row_id = rig.queue("needs sign-in")
    rig.engine.step()
    assert rig.engine.sign_in_needed
    assert indicator_text(rig.engine.status()) == "Sign-in needed"
    assert rig.engine.step().delay is None  # paused, no requests
    assert rig.outbox.get(row_id).state is OutboxState.QUEUED
    rig.engine.resume()
    rig.run(until=lambda: rig.outbox.pending_count() == 0)
    assert names_on_server(rig.fake, "needs sign-in") == [1]


def test_a_slow_answer_is_given_time_before_looking(rig: Rig, fake: FakeToggl) -> None:
    """Toggl stores the task after our read timeout: wait, then adopt it instead of resending."""
    slow = TogglClient(fake.url, ApiToken(fake.token), timeout=httpx.Timeout(2.0, read=0.3))
    engine = SyncEngine(rig.outbox, slow, rig.cache, clock=rig.clock)
    fake.delay_next(1.0, method="POST")
    row_id = rig.queue("slow to answer")
    result = engine.step()
    assert rig.outbox.get(row_id).state is OutboxState.UNCONFIRMED
    assert result.delay is not None
    assert result.delay >= SLOW_ANSWER_GRACE
    deadline = time.monotonic() + 10
    while not fake.tasks_named("slow to answer") and time.monotonic() < deadline:
        time.sleep(0.05)  # the server finishes its slow work in real time
    rig.clock.advance(result.delay)
    for _ in range(5):
        step = engine.step()
        if step.created or step.delay is None:
            break
        rig.clock.advance(step.delay)
    slow.close()
    assert names_on_server(fake, "slow to answer") == [1]
    assert rig.outbox.get(row_id).state is OutboxState.DONE
