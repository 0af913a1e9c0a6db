"""The user's hands on the outbox through the session, against the fake Toggl over HTTP on real
SQLite files: "Send now" skips a backoff and never a quota wait; an edit or a discard that the
drain overtakes is refused with a sentence, and the task is never sent twice nor lost."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from desktop import credentials
from desktop.api.models import TaskDraft
from desktop.session import RowBusyError, Session
from desktop.session_controls import OutboxControls
from desktop.store.database import open_database
from desktop.store.outbox import Outbox, RowDeliveredError
from desktop.store.outbox_row import OutboxState
from desktop.sync.engine import SyncEngine
from tests.fake_toggl import FakeToggl
from tests.sync_rig import Clock

QUOTA_SPENT = '"You have hit your hourly limit for API calls. The quota will reset in 600 seconds."'


@pytest.fixture
def signed_in(fake: FakeToggl, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(credentials.ENV_TOKEN, fake.token)


def open_session(fake: FakeToggl, data_dir: Path) -> Session:
    session = Session(fake.url, data_dir)
    assert session.restore().signed_in
    return session


@pytest.fixture
def session(signed_in: None, fake: FakeToggl, data_dir: Path) -> Iterator[Session]:
    opened = open_session(fake, data_dir)
    try:
        yield opened
    finally:
        opened.close()


def queue(session: Session, fake: FakeToggl, name: str, estimate: int | None = None) -> int:
    project = fake.project_id("Website Redesign")
    draft = TaskDraft(name, estimated_seconds=estimate)
    return session.submit(fake.premium_workspace_id, project, draft, "Website").id


def posts(fake: FakeToggl) -> int:
    return fake.count("POST", "/tasks")


def test_send_now_skips_a_backoff_and_sends_at_once(session: Session, fake: FakeToggl) -> None:
    clock = Clock()  # the engine's: the one-a-second pace passes without a sleep
    session.__dict__["engine"] = SyncEngine(
        session.outbox, session.client, session.cache, clock=clock, rng=lambda: 0.5
    )
    row_id = queue(session, fake, "Backed off")
    fake.fail_next(429, '"Too many requests"', method="POST", headers={"Retry-After": "600"})
    first = session.step()
    assert (first.delay or 0) >= 599  # Toggl asked for ten minutes
    assert session.outbox_row(row_id).state is OutboxState.QUEUED
    before = posts(fake)
    session.step()  # still waiting: nothing leaves
    assert posts(fake) == before
    assert session.sync_view().send_now_blocked is None  # a backoff: Send now can skip it

    clock.advance(1.0)  # the pace after the refused request, which Send now keeps
    assert OutboxControls(session).send_now() is None
    result = session.step()
    assert [row.id for row, _ in result.created] == [row_id]
    assert len(fake.tasks_named("Backed off")) == 1


def test_send_now_makes_a_postponed_check_due(session: Session, fake: FakeToggl) -> None:
    row_id = queue(session, fake, "Check refused")
    session.outbox.mark_sending(row_id)
    session.outbox.postpone_check(row_id, "Toggl would not list the project.", 900)
    assert session.outbox.next_pending() is None
    assert OutboxControls(session).send_now() is None
    assert session.outbox.next_pending() is not None  # checked now, still never sent blindly
    assert session.outbox_row(row_id).state is OutboxState.UNCONFIRMED


def test_send_now_during_a_quota_wait_does_nothing_and_says_why(
    session: Session, fake: FakeToggl
) -> None:
    row_id = queue(session, fake, "After the quota")
    fake.fail_next(
        402,
        QUOTA_SPENT,
        method="POST",
        headers={"X-Toggl-Quota-Remaining": "0", "X-Toggl-Quota-Resets-In": "600"},
    )
    session.step()
    view = session.sync_view()
    assert view.send_now_blocked is not None
    assert view.send_now_blocked.startswith("Toggl's hourly limit is reached; tasks wait until ")
    assert view.send_now_blocked.endswith(", and Send now cannot skip that wait.")

    before = len(fake.requests)
    said = OutboxControls(session).send_now()
    assert said == view.send_now_blocked
    result = session.step()
    assert (result.delay or 0) > 590  # the quota's reset, not now
    assert len(fake.requests) == before  # not one request spent
    assert session.outbox_row(row_id).state is OutboxState.QUEUED


def test_send_now_with_nothing_waiting_says_so(session: Session) -> None:
    assert OutboxControls(session).send_now() == "No task is waiting to be sent."


def test_a_waiting_row_is_edited_in_place_and_sent_as_edited_once(
    session: Session, fake: FakeToggl
) -> None:
    fake.go_down()
    row_id = queue(session, fake, "Typo", estimate=60)
    session.step()  # offline: it waits
    waiting = session.outbox_row(row_id)
    assert waiting.state is OutboxState.QUEUED
    project = fake.project_id("Website Redesign")
    edited = session.requeue_edited(
        row_id, fake.premium_workspace_id, project, TaskDraft("Fixed", estimated_seconds=5400), "W"
    )
    assert (edited.id, edited.external_reference) == (row_id, waiting.external_reference)
    fake.come_back()
    session.resume_sync()
    for _ in range(20):
        if session.step().created:
            break
    assert fake.tasks_named("Typo") == []
    (task,) = fake.tasks_named("Fixed")
    assert task["estimated_seconds"] == 5400
    assert session.outbox_row(row_id).state is OutboxState.DONE


def send_in_background(
    fake: FakeToggl, data_dir: Path, name: str, ready: threading.Event
) -> tuple[threading.Thread, dict[str, int]]:
    """Queue `name` and send it from another thread with its own session (SQLite connections
    belong to their thread) once `ready` is cleared by the test, the POST held for 1.5 s."""
    found: dict[str, int] = {}

    def run() -> None:
        with closing(open_session(fake, data_dir)) as session:
            found["row"] = queue(session, fake, name)
            ready.set()
            deadline = time.monotonic() + 10
            while ready.is_set() and time.monotonic() < deadline:  # the test looks first
                time.sleep(0.01)
            fake.delay_next(1.5, method="POST", path_contains="/tasks")
            session.step()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, found


def wait_for_state(outbox: Outbox, row_id: int, state: OutboxState) -> None:
    deadline = time.monotonic() + 10
    while outbox.get(row_id).state is not state:
        assert time.monotonic() < deadline, f"row {row_id} never became {state}"
        time.sleep(0.01)


@pytest.mark.usefixtures("signed_in")
def test_an_edit_while_the_drain_sends_the_row_is_refused_and_it_is_sent_once(
    fake: FakeToggl, data_dir: Path
) -> None:
    ready = threading.Event()
    thread, found = send_in_background(fake, data_dir, "As queued", ready)
    assert ready.wait(10)
    ready.clear()  # go
    project = fake.project_id("Website Redesign")
    with closing(open_database(data_dir)) as db:
        outbox = Outbox(db)
        row_id = found["row"]
        wait_for_state(outbox, row_id, OutboxState.SENDING)  # its request is under way
        with pytest.raises(RowBusyError) as busy:
            outbox.requeue_edited(row_id, 1, project, TaskDraft("Changed too late"), "W")
        assert busy.value.row.state is OutboxState.SENDING
        assert not outbox.discard(row_id, never_sent_only=True)  # nor discarded meanwhile
        thread.join(20)
        assert not thread.is_alive()
        with pytest.raises(RowDeliveredError):  # sent as it was: an edit now would be a copy
            outbox.requeue_edited(row_id, 1, project, TaskDraft("Changed too late"), "W")
        assert not outbox.discard(row_id)
        assert outbox.get(row_id).state is OutboxState.DONE
    assert len(fake.tasks_named("As queued")) == 1
    assert fake.tasks_named("Changed too late") == []


@pytest.mark.usefixtures("signed_in")
def test_a_discard_confirmed_while_the_row_was_being_sent_keeps_it_and_says_why(
    fake: FakeToggl, data_dir: Path
) -> None:
    ready = threading.Event()
    thread, found = send_in_background(fake, data_dir, "Sent anyway", ready)
    assert ready.wait(10)
    with closing(open_database(data_dir)) as db:
        seen = Outbox(db).get(found["row"])  # as the user was asked about it: never sent
        ready.clear()  # go
        wait_for_state(Outbox(db), seen.id, OutboxState.SENDING)
    assert seen.state is OutboxState.QUEUED
    thread.join(20)
    with closing(open_session(fake, data_dir)) as session:
        kept = OutboxControls(session).discard(seen)
        assert not kept.gone
        assert kept.why_kept == (
            "“Sent anyway” reached Toggl before it could be discarded: it is there now."
        )
        assert session.outbox_row(seen.id).state is OutboxState.DONE
    assert len(fake.tasks_named("Sent anyway")) == 1


def test_a_row_sent_meanwhile_and_lost_is_not_discarded_as_never_sent(
    session: Session, fake: FakeToggl
) -> None:
    row_id = queue(session, fake, "Maybe there")
    seen = session.outbox_row(row_id)  # the user is told it has not been sent yet
    fake.drop_next("after_store")  # the drain sends it; Toggl stores it; the answer is lost
    session.step()
    assert session.outbox_row(row_id).state is OutboxState.UNCONFIRMED
    kept = OutboxControls(session).discard(seen)
    assert not kept.gone
    assert kept.why_kept is not None
    assert "may already be in Toggl" in kept.why_kept
    assert session.outbox_row(row_id).state is OutboxState.UNCONFIRMED
    # Asked again, now warned that it may be in Toggl, the user's discard goes through.
    assert OutboxControls(session).discard(session.outbox_row(row_id)).gone
    assert len(fake.tasks_named("Maybe there")) == 1  # never sent twice


def test_a_discard_of_a_row_still_waiting_removes_it(session: Session, fake: FakeToggl) -> None:
    fake.go_down()
    row_id = queue(session, fake, "Not wanted")
    session.step()
    assert OutboxControls(session).discard(session.outbox_row(row_id)).gone
    assert OutboxControls(session).discard(session.outbox_row(queue(session, fake, "x"))).gone
    with pytest.raises(KeyError):
        session.outbox_row(row_id)
    fake.come_back()
    session.resume_sync()
    session.step()
    assert fake.tasks_named("Not wanted") == []


def test_a_discard_by_row_id_takes_the_row_as_it_now_is(session: Session, fake: FakeToggl) -> None:
    fake.go_down()
    row_id = queue(session, fake, "By id")
    assert OutboxControls(session).discard(row_id).gone
    assert OutboxControls(session).discard(row_id).gone  # already gone: nothing to keep
    sent = queue(session, fake, "Sent by id")
    session.outbox.mark_sending(sent)
    session.outbox.mark_done(sent, 99)
    kept = OutboxControls(session).discard(sent)
    assert not kept.gone
    assert kept.why_kept is not None
    assert "reached Toggl" in kept.why_kept
