"""The task calls of issue #13 over real HTTP against the fake Toggl: a project's tasks by pages
and by changes since, one task, changing only the fields given, deleting, the bulk PATCH, and
Toggl's refusals, limits and lost answers, each said in one sentence."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from desktop.api.auth import ApiToken
from desktop.api.client import TogglClient
from desktop.api.errors import (
    AmbiguousError,
    BadRequestError,
    ForbiddenError,
    NotFoundError,
    PaidFeatureError,
    QuotaExceededError,
    RateLimitedError,
    ServerError,
)
from desktop.api.models import TaskChanges
from desktop.api.task_calls import MAX_PATCH_IDS, SINCE_OVERLAP_SECONDS, TASKS_PER_PAGE
from desktop.messages import describe
from tests.fake_toggl import FakeToggl

LONG_AGO = "2026-01-01T00:00:00Z"
SAM = 9_000_000_002


@pytest.fixture
def client(fake: FakeToggl) -> Iterator[TogglClient]:
    with TogglClient(fake.url, ApiToken(fake.token)) as api:
        yield api


@pytest.fixture
def pid(fake: FakeToggl) -> int:
    return fake.project_id("Website Redesign")


def stored(fake: FakeToggl, task_id: int) -> dict[str, object]:
    with fake.lock:
        return dict(next(t for t in fake.tasks if t["id"] == task_id))


def age_every_task(fake: FakeToggl) -> None:
    with fake.lock:
        for task in fake.tasks:
            task["at"] = LONG_AGO


def listings(fake: FakeToggl) -> list[dict[str, str]]:
    return [r.query for r in fake.requests if r.path.endswith(f"/{1001}/tasks")]


# --- listing -----------------------------------------------------------------------------------


def test_a_listing_follows_every_page_with_open_and_done_tasks(
    client: TogglClient, fake: FakeToggl, pid: int
) -> None:
    fake.add_tasks(pid, 450)
    fake.add_tasks(fake.project_id("Mobile App"), 30)  # another project's tasks stay out
    fake.reset_log()
    told: list[int] = []
    listing = client.task_listing(fake.premium_workspace_id, pid, progress=told.append)
    assert len(listing.tasks) == len({t.id for t in listing.tasks}) == 451
    assert {t.project_id for t in listing.tasks} == {pid}
    assert sum(not t.active for t in listing.tasks) == 150  # done ones too
    assert told == [200, 400]
    queries = listings(fake)
    assert [q["page"] for q in queries] == ["1", "2", "3"]
    assert all(
        q["pid"] == str(pid)
        and q["active"] == "both"
        and q["per_page"] == str(TASKS_PER_PAGE)
        and q["sort_field"] == "created_at"
        and "since" not in q
        for q in queries
    )
    seed = next(t for t in listing.tasks if t.name == "Existing task")
    assert (seed.tracked_seconds, seed.estimated_seconds) == (5400, 7200)


def test_a_listing_of_a_full_last_page_stops_at_the_total(
    client: TogglClient, fake: FakeToggl, pid: int
) -> None:
    fake.add_tasks(pid, 2 * TASKS_PER_PAGE - 1)
    fake.reset_log()
    assert len(client.task_listing(fake.premium_workspace_id, pid).tasks) == 2 * TASKS_PER_PAGE
    assert len(listings(fake)) == 2  # no third request for an empty page


def test_open_or_done_only(client: TogglClient, fake: FakeToggl, pid: int) -> None:
    fake.add_tasks(pid, 6)
    open_ones = client.task_listing(fake.premium_workspace_id, pid, active=True).tasks
    done = client.task_listing(fake.premium_workspace_id, pid, active=False).tasks
    assert all(t.active for t in open_ones)
    assert not any(t.active for t in done)
    assert (len(open_ones), len(done)) == (5, 2)
    assert [q["active"] for q in listings(fake)] == ["true", "false"]


def test_changes_since_a_listing_cost_one_request_and_include_tasks_made_done(
    client: TogglClient, fake: FakeToggl, pid: int
) -> None:
    fake.add_tasks(pid, 450)
    age_every_task(fake)
    before = int(time.time())
    listing = client.task_listing(fake.premium_workspace_id, pid)
    assert listing.as_of is not None
    assert before - SINCE_OVERLAP_SECONDS - 2 <= listing.as_of <= time.time()
    fake.reset_log()
    unchanged = client.task_listing(fake.premium_workspace_id, pid, since=listing.as_of)
    assert unchanged.tasks == []
    assert [q["since"] for q in listings(fake)] == [str(listing.as_of)]
    opened, other = [t for t in listing.tasks if t.active and t.name != "Existing task"][:2]
    client.update_task(fake.premium_workspace_id, pid, opened.id, TaskChanges(active=False))
    fake.add_task(pid, "Made on Toggl's website")
    changed = client.task_listing(fake.premium_workspace_id, pid, since=listing.as_of).tasks
    assert {t.name for t in changed} == {opened.name, "Made on Toggl's website"}
    assert next(t for t in changed if t.id == opened.id).active is False
    assert other.id not in {t.id for t in changed}


def test_an_unknown_project_lists_nothing_and_an_unknown_workspace_is_refused(
    client: TogglClient, fake: FakeToggl
) -> None:
    assert client.task_listing(fake.premium_workspace_id, 999).tasks == []
    with pytest.raises(ForbiddenError) as error:
        client.task_listing(4242, 999)
    assert describe(error.value, "load the tasks").text == (
        "Toggl refused to load the tasks: User does not have access to this resource."
    )


# --- one task: get, change only what is given, delete --------------------------------------------


def test_a_change_keeps_what_toggl_changed_meanwhile(
    client: TogglClient, fake: FakeToggl, pid: int
) -> None:
    """Renamed on Toggl's website while offline, marked done here: done, with Toggl's name."""
    (seed,) = fake.tasks_named("Existing task")
    with fake.lock:
        next(t for t in fake.tasks if t["id"] == seed["id"])["name"] = "Renamed on Toggl"
    done = client.update_task(fake.premium_workspace_id, pid, seed["id"], TaskChanges(active=False))
    assert fake.requests[-1].method == "PUT"
    assert fake.requests[-1].body == {"active": False}
    assert (done.name, done.active, done.estimated_seconds, done.user_id) == (
        "Renamed on Toggl",
        False,
        7200,
        9_000_000_001,
    )
    assert done.tracked_seconds == 5400
    assert stored(fake, seed["id"])["name"] == "Renamed on Toggl"
    assert client.task(fake.premium_workspace_id, pid, seed["id"]) == done


def test_edit_name_estimate_and_assignee_and_clear_them(
    client: TogglClient, fake: FakeToggl, pid: int
) -> None:
    (seed,) = fake.tasks_named("Existing task")
    wid, tid = fake.premium_workspace_id, seed["id"]
    edited = client.update_task(
        wid, pid, tid, TaskChanges(name="Write copy", estimated_seconds=600, user_id=SAM)
    )
    assert (edited.name, edited.estimated_seconds, edited.user_id, edited.user_name) == (
        "Write copy",
        600,
        SAM,
        "Sam Designer",
    )
    cleared = client.update_task(
        wid, pid, tid, TaskChanges(estimated_seconds=0, clear_assignee=True)
    )
    assert fake.requests[-1].body == {"estimated_seconds": 0, "user_id": None}
    assert (cleared.name, cleared.estimated_seconds, cleared.user_id) == ("Write copy", 0, None)


def test_every_change_moves_at(client: TogglClient, fake: FakeToggl, pid: int) -> None:
    (seed,) = fake.tasks_named("Existing task")
    age_every_task(fake)
    changed = client.update_task(fake.premium_workspace_id, pid, seed["id"], TaskChanges(name="N"))
    assert changed.at != LONG_AGO
    assert changed.at == stored(fake, seed["id"])["at"]


def test_delete_then_the_task_is_not_found(client: TogglClient, fake: FakeToggl, pid: int) -> None:
    (seed,) = fake.tasks_named("Existing task")
    wid, tid = fake.premium_workspace_id, seed["id"]
    assert client.delete_task(wid, pid, tid) is None
    assert fake.tasks_named("Existing task") == []
    with pytest.raises(NotFoundError) as missing:
        client.task(wid, pid, tid)
    assert describe(missing.value, "load the task").text == "Toggl rejected this: Task not found."
    with pytest.raises(NotFoundError):  # a delete retried after a lost answer: already done
        client.delete_task(wid, pid, tid)
    with pytest.raises(NotFoundError):
        client.update_task(wid, pid, tid, TaskChanges(active=False))


def test_a_task_of_another_project_is_not_found_there(client: TogglClient, fake: FakeToggl) -> None:
    (seed,) = fake.tasks_named("Existing task")
    with pytest.raises(NotFoundError):
        client.task(fake.premium_workspace_id, fake.project_id("Mobile App"), seed["id"])


@pytest.mark.parametrize(
    ("changes", "said"),
    [
        (TaskChanges(name="   "), "Toggl rejected this: Name can't be blank."),
        (TaskChanges(user_id=12345), "Toggl rejected this: Invalid user_id."),
    ],
)
def test_a_refused_change_is_said_in_toggls_words(
    client: TogglClient, fake: FakeToggl, pid: int, changes: TaskChanges, said: str
) -> None:
    (seed,) = fake.tasks_named("Existing task")
    with pytest.raises(BadRequestError) as error:
        client.update_task(fake.premium_workspace_id, pid, seed["id"], changes)
    assert describe(error.value, "change the task").text == said
    assert stored(fake, seed["id"])["name"] == "Existing task"


# --- several at once -------------------------------------------------------------------------


def test_bulk_patch_changes_several_tasks_in_one_request(
    client: TogglClient, fake: FakeToggl, pid: int
) -> None:
    ids = fake.add_tasks(pid, 4)
    age_every_task(fake)
    fake.reset_log()
    result = client.patch_tasks(
        fake.premium_workspace_id, pid, [*ids, ids[0], 8_999_999_999], TaskChanges(active=False)
    )
    assert result.succeeded == ids
    assert result.failed == {8_999_999_999: "Task not found"}
    assert result.unanswered == []
    (request,) = fake.requests
    assert request.method == "PATCH"
    assert request.path.endswith("/tasks/" + ",".join(map(str, [*ids, 8_999_999_999])))
    assert request.body == [{"op": "replace", "path": "/active", "value": False}]
    for task_id in ids:
        task = stored(fake, task_id)
        assert (task["active"], task["name"] != "", task["at"] != LONG_AGO) == (False, True, True)


def test_bulk_patch_of_nothing_sends_nothing_and_of_too_many_is_refused_here(
    client: TogglClient, fake: FakeToggl, pid: int
) -> None:
    fake.reset_log()
    empty = client.patch_tasks(fake.premium_workspace_id, pid, [], TaskChanges(active=False))
    assert (empty.succeeded, empty.failed, empty.unanswered) == ([], {}, [])
    too_many = list(range(1, MAX_PATCH_IDS + 2))
    with pytest.raises(BadRequestError, match=f"at most {MAX_PATCH_IDS}"):
        client.patch_tasks(fake.premium_workspace_id, pid, too_many, TaskChanges(active=False))
    with pytest.raises(BadRequestError, match="not a Toggl task id"):
        client.patch_tasks(fake.premium_workspace_id, pid, [0], TaskChanges(active=False))
    assert fake.requests == []


def test_bulk_patch_on_a_free_workspace_says_tasks_need_a_paid_plan(
    client: TogglClient, fake: FakeToggl
) -> None:
    with pytest.raises(PaidFeatureError) as error:
        client.patch_tasks(
            fake.free_workspace_id, fake.project_id("Blog"), [1], TaskChanges(active=False)
        )
    assert describe(error.value, "change the tasks").text.startswith(
        "This workspace's Toggl plan does not include tasks"
    )


def test_bulk_patch_whose_answer_is_lost_is_ambiguous_though_toggl_applied_it(
    client: TogglClient, fake: FakeToggl, pid: int
) -> None:
    ids = fake.add_tasks(pid, 2)
    fake.drop_next("after_store", method="PATCH")
    with pytest.raises(AmbiguousError):
        client.patch_tasks(fake.premium_workspace_id, pid, ids, TaskChanges(active=False))
    assert all(stored(fake, i)["active"] is False for i in ids)


# --- limits and failures apply to the task routes too -----------------------------------------


def test_429_on_a_listing_asks_to_slow_down(client: TogglClient, fake: FakeToggl, pid: int) -> None:
    fake.fail_next(429, '"Too many requests"', headers={"Retry-After": "3"}, path_contains="/tasks")
    with pytest.raises(RateLimitedError) as error:
        client.task_listing(fake.premium_workspace_id, pid)
    assert error.value.retry_after == 3
    assert describe(error.value, "load the tasks").text == (
        "Toggl asks to slow down (Too many requests)."
    )


def test_a_spent_quota_stops_the_task_calls(client: TogglClient, fake: FakeToggl, pid: int) -> None:
    (seed,) = fake.tasks_named("Existing task")
    fake.set_quota(30, resets_in=120, remaining=0)
    with pytest.raises(QuotaExceededError) as error:
        client.task_listing(fake.premium_workspace_id, pid)
    assert 0 < error.value.resets_in <= 120
    assert describe(error.value, "load the tasks").text.startswith(
        "Toggl's hourly limit is reached"
    )
    sent = fake.count()
    for call in (
        lambda: client.task(fake.premium_workspace_id, pid, seed["id"]),
        lambda: client.delete_task(fake.premium_workspace_id, pid, seed["id"]),
        lambda: client.patch_tasks(fake.premium_workspace_id, pid, [1], TaskChanges(active=False)),
    ):
        with pytest.raises(QuotaExceededError):
            call()
    assert fake.count() == sent  # known to be spent: nothing more was sent
    assert fake.tasks_named("Existing task")


def test_a_quota_spent_in_the_middle_of_the_pages_stops_the_listing(
    client: TogglClient, fake: FakeToggl, pid: int
) -> None:
    fake.add_tasks(pid, 450)
    fake.set_quota(2, resets_in=600)
    with pytest.raises(QuotaExceededError):
        client.task_listing(fake.premium_workspace_id, pid)
    assert len(listings(fake)) == 3


def test_a_server_error_on_a_change_is_said_with_its_status(
    client: TogglClient, fake: FakeToggl, pid: int
) -> None:
    (seed,) = fake.tasks_named("Existing task")
    fake.fail_next(503, '"Service unavailable"', method="PUT")
    with pytest.raises(ServerError) as error:
        client.update_task(fake.premium_workspace_id, pid, seed["id"], TaskChanges(name="X"))
    assert describe(error.value, "change the task").text == (
        "Toggl had a problem on its side (503: Service unavailable)."
    )
    assert stored(fake, seed["id"])["name"] == "Existing task"
