"""The task models of issue #13: the milliseconds of `tracked_seconds`, changes that carry only
the fields touched, a bulk change's result and Toggl's clock, each bounded against absurd data."""

from __future__ import annotations

import pytest

from desktop.api.answers import MAX_MESSAGE_CHARS
from desktop.api.errors import InvalidResponseError
from desktop.api.models import MAX_ID, MAX_TEXT_CHARS, MAX_TRACKED_MS, Task, TaskChanges
from desktop.api.task_calls import toggl_clock
from desktop.api.task_models import PatchResult

# --- tracked time: milliseconds on Toggl's side, converted in one place -----------------------


def test_tracked_seconds_holds_milliseconds_and_is_converted_once() -> None:
    task = Task.from_json({"id": 1, "name": "x", "tracked_seconds": 5_400_000})
    assert task.tracked_ms == 5_400_000  # kept as Toggl sent it (and cached so)
    assert task.tracked_seconds == 5400  # 1 h 30 min, not 62 days


@pytest.mark.parametrize(
    ("sent", "seconds"),
    [(999, 0), (1000, 1), (1999, 1), (0, 0), (MAX_TRACKED_MS, MAX_TRACKED_MS // 1000)],
)
def test_tracked_milliseconds_round_down_to_whole_seconds(sent: int, seconds: int) -> None:
    assert Task.from_json({"id": 1, "tracked_seconds": sent}).tracked_seconds == seconds


@pytest.mark.parametrize(
    "sent", [-1, MAX_TRACKED_MS + 1, 10**30, 1.5, "5400000", True, None, [1], {"ms": 1}]
)
def test_absurd_tracked_time_reads_as_unknown(sent: object) -> None:
    task = Task.from_json({"id": 1, "name": "x", "tracked_seconds": sent})
    assert (task.tracked_ms, task.tracked_seconds) == (None, None)


def test_absurd_task_fields_fall_back_and_the_id_is_required() -> None:
    task = Task.from_json(
        {
            "id": MAX_ID,
            "name": "n" * 10_000,
            "active": "no",
            "at": "1999-12-31T23:59:59Z",
            "estimated_seconds": -5,
            "user_id": MAX_ID + 1,
            "external_reference": 7,
        }
    )
    assert (task.id, len(task.name), task.active, task.at) == (MAX_ID, MAX_TEXT_CHARS, True, "")
    assert (task.estimated_seconds, task.user_id, task.external_reference) == (None, None, None)
    assert task.references_served
    for bad_id in (MAX_ID + 1, -1, "1", None, 1.0):
        with pytest.raises(InvalidResponseError, match="valid id"):
            Task.from_json({"id": bad_id, "name": "x"})


# --- changes: only the fields touched --------------------------------------------------------


def test_a_change_carries_only_the_fields_set() -> None:
    assert TaskChanges(active=False).to_json() == {"active": False}
    assert TaskChanges(name="New", estimated_seconds=0).to_json() == {
        "name": "New",
        "estimated_seconds": 0,  # 0 clears the estimate: the request field is not nullable
    }
    assert TaskChanges().to_json() == {}


def test_clearing_the_assignee_sends_null_and_cannot_go_with_an_assignee() -> None:
    assert TaskChanges(clear_assignee=True).to_json() == {"user_id": None}
    assert TaskChanges(user_id=5).to_json() == {"user_id": 5}
    with pytest.raises(ValueError, match="both set and clear"):
        TaskChanges(user_id=5, clear_assignee=True)


def test_the_bulk_form_is_one_replace_per_field() -> None:
    assert TaskChanges(active=True).to_patch() == [
        {"op": "replace", "path": "/active", "value": True}
    ]
    assert TaskChanges(name="A", clear_assignee=True).to_patch() == [
        {"op": "replace", "path": "/name", "value": "A"},
        {"op": "replace", "path": "/user_id", "value": None},
    ]


# --- a bulk change's result ------------------------------------------------------------------


def test_patch_result_says_per_id_what_happened_in_the_order_asked() -> None:
    result = PatchResult.from_json(
        {"success": [3, 1], "failure": [{"id": 2, "message": "Task not found"}]}, [1, 2, 3, 4]
    )
    assert result.succeeded == [1, 3]
    assert result.failed == {2: "Task not found"}
    assert result.unanswered == [4]


def test_patch_result_ignores_what_was_not_asked_and_bounds_the_rest() -> None:
    result = PatchResult.from_json(
        {
            "success": [1, 99, MAX_ID + 1, True, "2", None],
            "failure": [
                {"id": 1, "message": "contradicts a success"},
                {"id": 2, "message": "m" * 10_000},
                {"id": 3},
                {"id": 77, "message": "not asked"},
                "junk",
            ],
        },
        [1, 2, 3, 4],
    )
    assert result.succeeded == [1]
    assert len(result.failed[2]) == MAX_MESSAGE_CHARS  # clipped as Toggl's other messages
    assert result.failed[3] == "Toggl did not change this task."
    assert set(result.failed) == {2, 3}
    assert result.unanswered == [4]


@pytest.mark.parametrize("body", [{}, {"success": None, "failure": "x"}, {"success": {"1": 1}}])
def test_patch_result_without_lists_leaves_every_id_unanswered(body: object) -> None:
    assert PatchResult.from_json(body, [1, 2]).unanswered == [1, 2]


@pytest.mark.parametrize("body", [None, [], "ok", 1])
def test_patch_result_that_is_not_an_object_is_an_invalid_answer(body: object) -> None:
    with pytest.raises(InvalidResponseError, match="unexpected shape"):
        PatchResult.from_json(body, [1])


# --- Toggl's clock, for listing changes since ---------------------------------------------------


def test_toggls_clock_comes_from_its_date_header() -> None:
    assert toggl_clock("Wed, 18 Mar 2026 10:00:00 GMT") == 1_773_828_000


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "yesterday",
        "Wed, 18 Mar 2026 10:00:00",  # no zone: which clock?
        "Sat, 01 Jan 1970 00:00:00 GMT",
        "Fri, 01 Jan 2100 00:00:00 GMT",
        "Wed, 18 Mar 2026 10:00:00 GMT" + " " * 100,
        "Wed, 99 Foo 2026 99:99:99 GMT",
    ],
)
def test_an_absent_or_absurd_date_is_no_clock(header: str | None) -> None:
    assert toggl_clock(header) is None
