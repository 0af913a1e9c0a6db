"""Exactly once, against a server that loses answers, revokes tokens and drops fields.

Each test here is one way issue #10 found to lose a task or send it twice; the engine runs
against the fake Toggl over HTTP on a clock the test moves.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from desktop.api.auth import ApiToken
from desktop.api.errors import AuthenticationError, CertificateError, ForbiddenError
from desktop.api.models import TaskDraft
from desktop.store.outbox import RowBusyError
from desktop.store.outbox_row import REFERENCE_PREFIX, OutboxState
from desktop.sync.outcomes import Connection
from tests.fake_toggl import FakeToggl
from tests.sync_rig import Rig, names_on_server


def revoke(fake: FakeToggl) -> None:
    """The user reset their token on Toggl's website: the old one gets 403 everywhere."""
    fake.token = "token-after-reset"


def sign_in_again(rig: Rig) -> None:
    rig.client.credentials = ApiToken(rig.fake.token)
    rig.engine.resume()


def drained(rig: Rig) -> None:
    rig.run(until=lambda: rig.outbox.pending_count() == 0)


def test_every_row_has_its_own_reference_and_sends_it(rig: Rig) -> None:
    first, second = rig.queue("Same name"), rig.queue("Same name")
    references = {rig.outbox.get(row).external_reference for row in (first, second)}
    assert len(references) == 2
    assert all(r and r.startswith(REFERENCE_PREFIX) and len(r) == 41 for r in references)
    drained(rig)
    posted = [r.body for r in rig.fake.requests if r.method == "POST"]
    assert {p["external_reference"] for p in posted} == references
    assert {t["external_reference"] for t in rig.fake.tasks_named("Same name")} == references


def test_an_older_task_edited_meanwhile_is_not_adopted(rig: Rig) -> None:
    """Failure 1: `at` is Toggl's last-updated time, not a creation time."""
    pid = rig.fake.project_id("Website Redesign")
    old = rig.fake.add_task(pid, "Code review", at="2024-01-01T00:00:00Z")
    rig.fake.drop_next("before_store")  # the POST is lost: nothing was created
    row_id = rig.queue("Code review")
    rig.engine.step()
    assert rig.outbox.get(row_id).state is OutboxState.UNCONFIRMED
    for task in rig.fake.tasks:  # someone edits the old task on Toggl's website meanwhile
        if task["id"] == old["id"]:
            task["at"] = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    drained(rig)
    assert names_on_server(rig.fake, "Code review") == [2]
    row = rig.outbox.get(row_id)
    assert row.state is OutboxState.DONE
    assert row.remote_task_id != old["id"]


def test_a_lost_answer_then_a_revoked_token_is_checked_not_sent_again(rig: Rig) -> None:
    """Failure 2: the listing that should settle a lost answer gets a 403 for a reset token."""
    rig.fake.drop_next("after_store")  # Toggl stored it; the answer never came
    row_id = rig.queue("Invoice Acme")
    rig.engine.step()
    revoke(rig.fake)
    drained(rig)
    row = rig.outbox.get(row_id)
    assert row.state is OutboxState.UNCONFIRMED  # paused, not parked as refused
    assert row.maybe_sent
    assert rig.engine.sign_in_needed
    assert rig.engine.step().delay is None  # nothing more is sent until the user signs in
    sign_in_again(rig)
    drained(rig)
    assert names_on_server(rig.fake, "Invoice Acme") == [1]
    assert rig.outbox.get(row_id).state is OutboxState.DONE
    assert rig.fake.count("POST") == 1


def test_a_revoked_token_pauses_the_whole_queue_and_parks_nothing(rig: Rig) -> None:
    """Failure 3: a 403 for bad credentials used to park every queued task as refused."""
    rows = [rig.queue(f"queued {i}") for i in range(5)]
    revoke(rig.fake)
    drained(rig)
    assert rig.engine.sign_in_needed
    assert [rig.outbox.get(r).state for r in rows] == [OutboxState.QUEUED] * 5
    assert rig.fake.count("POST") == 1  # one refused request, then the pause
    assert rig.fake.count("GET", "/me") == 1  # one /me to tell a revoked token from a refusal
    sign_in_again(rig)
    drained(rig)
    assert names_on_server(rig.fake, *(f"queued {i}" for i in range(5))) == [1] * 5


def test_a_403_that_me_does_not_share_parks_only_that_task(rig: Rig) -> None:
    rig.fake.fail_next(403, '"User does not have access to this resource."', method="POST")
    refused, fine = rig.queue("not allowed"), rig.queue("allowed")
    drained(rig)
    row = rig.outbox.get(refused)
    assert row.state is OutboxState.FAILED
    assert not row.maybe_sent
    assert "does not have access" in (row.reason or "")
    assert rig.outbox.get(fine).state is OutboxState.DONE
    assert not rig.engine.sign_in_needed


def test_a_refused_check_keeps_the_row_unconfirmed_and_the_rest_go_on(rig: Rig) -> None:
    rig.fake.drop_next("after_store")
    unsure = rig.queue("maybe there")
    rig.engine.step()
    rig.fake.fail_next(
        403, '"User does not have access to this resource."', method="GET", path_contains="/tasks"
    )
    behind = rig.queue("behind it")
    rig.run(until=lambda: rig.outbox.get(behind).state is OutboxState.DONE)
    row = rig.outbox.get(unsure)
    assert row.state is OutboxState.UNCONFIRMED
    assert "does not have access" in (row.reason or "")
    assert row.next_attempt_at is not None
    drained(rig)  # checked again later: found by its reference, never posted twice
    assert rig.outbox.get(unsure).state is OutboxState.DONE
    assert names_on_server(rig.fake, "maybe there") == [1]


def test_the_users_retry_of_an_unconfirmed_row_checks_before_sending(rig: Rig) -> None:
    rig.fake.drop_next("after_store")
    row_id = rig.queue("retried")
    rig.engine.step()
    rig.fake.fail_next(500, '"down"', method="GET", path_contains="/tasks")
    rig.clock.advance(10)
    rig.engine.step()
    posts = rig.fake.count("POST")
    assert rig.outbox.retry(row_id).state is OutboxState.UNCONFIRMED
    rig.engine.send_now()
    drained(rig)
    assert rig.fake.count("POST") == posts
    assert names_on_server(rig.fake, "retried") == [1]


def test_an_answer_about_another_project_settles_nothing(rig: Rig) -> None:
    other = rig.fake.project_id("Mobile App")
    stray = {"id": 1234, "name": "stray", "project_id": other, "workspace_id": 1001, "at": ""}
    rig.fake.fail_next(200, json.dumps(stray), method="POST")
    row_id = rig.queue("for Website Redesign")
    rig.engine.step()
    assert rig.outbox.get(row_id).state is OutboxState.UNCONFIRMED
    drained(rig)
    assert rig.outbox.get(row_id).remote_task_id != 1234
    assert names_on_server(rig.fake, "for Website Redesign") == [1]


def test_without_references_a_task_known_before_the_send_is_never_adopted(rig: Rig) -> None:
    rig.fake.serves_references = False
    pid = rig.fake.project_id("Website Redesign")
    drained_first = rig.queue("teaches the engine")  # its answer shows no reference field
    drained(rig)
    assert rig.outbox.get(drained_first).state is OutboxState.DONE
    twin = rig.fake.add_task(pid, "Weekly report", at="2024-01-01T00:00:00Z")
    rig.clock.advance(1)
    row_id = rig.queue("Weekly report")
    rig.fake.drop_next("before_store")
    listed = rig.fake.count("GET", "/tasks")
    rig.engine.step()  # lists the project, then sends at once, in the same step
    assert rig.fake.count("GET", "/tasks") == listed + 1
    assert twin["id"] in (rig.outbox.get(row_id).known_task_ids or ())
    assert rig.outbox.get(row_id).state is OutboxState.UNCONFIRMED
    for task in rig.fake.tasks:
        if task["id"] == twin["id"]:
            task["at"] = datetime.now(UTC).isoformat()
    drained(rig)
    assert names_on_server(rig.fake, "Weekly report") == [2]
    assert rig.outbox.get(row_id).remote_task_id != twin["id"]


def test_without_references_a_lost_answer_is_adopted_by_every_field(rig: Rig) -> None:
    rig.fake.serves_references = False
    rig.cache.note_references(rig.client.base_url, False)
    row_id = rig.queue("Design review", estimated_seconds=3600)
    rig.fake.drop_next("after_store")
    rig.engine.step()  # the tasks known before, then the send
    drained(rig)
    assert names_on_server(rig.fake, "Design review") == [1]
    (task,) = rig.fake.tasks_named("Design review")
    assert rig.outbox.get(row_id).remote_task_id == task["id"]


def test_without_references_or_known_tasks_nothing_is_guessed(rig: Rig) -> None:
    """The first send to a server never seen before loses its answer, and the server drops
    references: the row is parked, saying it may be in Toggl, and is not sent again."""
    rig.fake.serves_references = False
    pid = rig.fake.project_id("Website Redesign")
    rig.fake.add_task(pid, "Plan sprint")
    rig.fake.drop_next("after_store")
    row_id = rig.queue("Plan sprint")
    drained(rig)
    row = rig.outbox.get(row_id)
    assert row.state is OutboxState.FAILED
    assert row.maybe_sent
    assert "could not tell whether this task reached Toggl" in (row.reason or "")
    assert rig.fake.count("POST") == 1


def test_a_token_reset_right_after_a_refusal_still_pauses(rig: Rig) -> None:
    rig.fake.fail_next(403, '"User does not have access to this resource."', method="POST")
    refused, paused = rig.queue("refused"), rig.queue("paused")
    rig.engine.step()
    assert rig.outbox.get(refused).state is OutboxState.FAILED
    revoke(rig.fake)
    drained(rig)
    assert rig.outbox.get(paused).state is OutboxState.QUEUED
    assert rig.engine.sign_in_needed
    assert rig.fake.count("GET", "/me") == 2  # one per 403: a verdict is never reused


def test_the_client_tells_a_revoked_token_from_a_refusal(rig: Rig) -> None:
    rig.fake.fail_next(403, '"User does not have access to this resource."', method="GET")
    try:
        rig.client.users(rig.fake.premium_workspace_id)
    except ForbiddenError as error:
        assert not isinstance(error, AuthenticationError)
    else:
        raise AssertionError("a 403 was not raised")
    revoke(rig.fake)
    try:
        rig.client.users(rig.fake.premium_workspace_id)
    except AuthenticationError as error:
        assert error.status == 403
    else:
        raise AssertionError("a revoked token was not an AuthenticationError")


def test_an_unforeseen_failure_mid_send_leaves_the_row_to_be_checked(
    rig: Rig, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever escapes after the request left, the row is not stuck `sending` for the rest
    of the session: it is unconfirmed, then settled by a listing and delivered once."""
    row_id = rig.queue("answer breaks the store")

    def broken(_task: object) -> None:
        raise OverflowError("Python int too large to convert to SQLite INTEGER")

    monkeypatch.setattr(rig.cache, "add_task", broken)
    with pytest.raises(OverflowError):
        rig.engine.step()
    assert rig.outbox.get(row_id).state is OutboxState.UNCONFIRMED
    monkeypatch.undo()
    drained(rig)
    assert rig.outbox.get(row_id).state is OutboxState.DONE
    assert names_on_server(rig.fake, "answer breaks the store") == [1]


def test_an_answer_carrying_another_reference_settles_nothing(rig: Rig) -> None:
    pid = rig.fake.project_id("Website Redesign")
    stray = {
        "id": 4321,
        "name": "mixed up",
        "project_id": pid,
        "workspace_id": 1001,
        "external_reference": "taskdesk:" + "0" * 32,
    }
    rig.fake.fail_next(200, json.dumps(stray), method="POST")
    row_id = rig.queue("mixed up")
    rig.engine.step()
    assert rig.outbox.get(row_id).state is OutboxState.UNCONFIRMED
    drained(rig)
    assert rig.outbox.get(row_id).remote_task_id != 4321
    assert names_on_server(rig.fake, "mixed up") == [1]


def test_an_unverified_certificate_keeps_the_task_queued(rig: Rig) -> None:
    """Nothing was sent: not refused, not unconfirmed, not offline; tried again later."""
    row_id = rig.queue("behind a proxy")

    def untrusted(*_args: object) -> None:
        raise CertificateError("Toggl's server certificate could not be verified.")

    rig.client.create_task = untrusted  # type: ignore[method-assign]
    result = rig.engine.step()
    row = rig.outbox.get(row_id)
    assert row.state is OutboxState.QUEUED
    assert not row.maybe_sent
    assert result.delay is not None
    assert result.delay > 0
    assert rig.engine.connection is not Connection.OFFLINE


def test_retrying_a_row_that_may_be_in_toggl_lists_before_sending(rig: Rig) -> None:
    """Parked as 'could not tell', then retried by the user: a listing comes first (here it
    finds the task by its reference: a server that serves them again), never a blind send."""
    rig.fake.serves_references = False
    rig.fake.drop_next("after_store")
    rig.fake.add_task(rig.fake.project_id("Website Redesign"), "Unsure")
    row_id = rig.queue("Unsure")
    drained(rig)
    assert rig.outbox.get(row_id).state is OutboxState.FAILED
    rig.fake.serves_references = True
    assert rig.outbox.retry(row_id).state is OutboxState.UNCONFIRMED
    drained(rig)
    assert rig.fake.count("POST") == 1
    assert rig.outbox.get(row_id).state is OutboxState.DONE
    assert names_on_server(rig.fake, "Unsure") == [2]  # the older one, and ours once


def test_a_retried_row_no_listing_can_settle_takes_the_users_word(rig: Rig) -> None:
    rig.fake.serves_references = False
    rig.fake.drop_next("before_store")  # in truth it never arrived
    rig.fake.add_task(rig.fake.project_id("Website Redesign"), "Unsure")
    row_id = rig.queue("Unsure")
    drained(rig)
    assert rig.outbox.get(row_id).state is OutboxState.FAILED
    listings = rig.fake.count("GET", "/tasks")
    edited = rig.outbox.requeue_edited(
        row_id,
        rig.fake.premium_workspace_id,
        rig.fake.project_id("Website Redesign"),
        TaskDraft("Unsure"),
        "Website Redesign",
    )
    assert edited.state is OutboxState.UNCONFIRMED
    drained(rig)
    # the check first, then (nothing settled, the user's word) the list right before the send
    assert rig.fake.count("GET", "/tasks") == listings + 2
    assert rig.outbox.get(row_id).state is OutboxState.DONE
    assert names_on_server(rig.fake, "Unsure") == [2]


def test_a_row_being_checked_is_never_edited_into_a_copy(rig: Rig) -> None:
    rig.fake.drop_next("after_store")
    row_id = rig.queue("in doubt")
    rig.engine.step()
    with pytest.raises(RowBusyError):
        rig.outbox.requeue_edited(row_id, 1001, 1, TaskDraft("in doubt, edited"), "P")
    drained(rig)
    assert names_on_server(rig.fake, "in doubt", "in doubt, edited") == [1, 0]


def test_without_references_a_task_made_since_a_cached_list_is_not_adopted(rig: Rig) -> None:
    """The tasks known before the first attempt are listed right before it, never taken from
    a cached list: someone's identical task made since that list was fetched is not ours."""
    rig.fake.serves_references = False
    rig.cache.note_references(rig.client.base_url, False)
    pid = rig.fake.project_id("Website Redesign")
    rig.cache.save_tasks(pid, rig.client.tasks(rig.fake.premium_workspace_id, pid))
    someone_elses = rig.fake.add_task(pid, "Standup notes")  # made after the list was cached
    rig.fake.drop_next("before_store")
    row_id = rig.queue("Standup notes")
    drained(rig)
    assert rig.outbox.get(row_id).remote_task_id != someone_elses["id"]
    assert names_on_server(rig.fake, "Standup notes") == [2]


def test_without_references_a_draft_with_no_estimate_never_adopts_one_with(rig: Rig) -> None:
    rig.fake.serves_references = False
    rig.cache.note_references(rig.client.base_url, False)
    rig.fake.drop_next("before_store")
    row_id = rig.queue("Review copy")
    rig.engine.step()
    assert rig.outbox.get(row_id).state is OutboxState.UNCONFIRMED
    lookalike = rig.fake.add_task(
        rig.fake.project_id("Website Redesign"), "Review copy", estimated_seconds=1800
    )
    drained(rig)
    assert rig.outbox.get(row_id).remote_task_id != lookalike["id"]
    assert names_on_server(rig.fake, "Review copy") == [2]
