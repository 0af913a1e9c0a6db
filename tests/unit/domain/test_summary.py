"""The lines a person reads about created tasks: the name, where, the estimate, open or done,
who, and when in local time; never the id or an ISO timestamp. And the drained outbox's line."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from desktop.api.models import Task
from desktop.domain.display import FSI, PDI
from desktop.domain.moments import spoken
from desktop.domain.summary import sent_line, task_line

NOW = datetime(2026, 12, 2, 18, 0)  # local time


def at(local: str) -> str:
    """Toggl's `at` for a local moment: ISO 8601 with the computer's offset."""
    return datetime.fromisoformat(local).astimezone().isoformat()


def test_the_issues_example_reads_as_written() -> None:
    task = Task(
        id=8000000002, name="Write homepage copy", estimated_seconds=5400,
        project_id=9, project_name="Website Redesign", client_name="Acme Corp",
        at=at("2026-12-02 15:25"),
    )  # fmt: skip
    line = task_line(task, NOW)
    assert line == (
        "Created “Write homepage copy” in Website Redesign · Acme Corp — "
        "1 h 30 min, open, unassigned · today 15:25"
    )
    assert "8000000002" not in line
    assert "2026" not in line  # no ISO timestamp


@pytest.mark.parametrize(
    ("moment", "said"),
    [
        ("2026-12-02 00:05", "today 00:05"),
        ("2026-12-01 23:59", "yesterday 23:59"),
        ("2026-11-30 09:05", "30 Nov 09:05"),
        ("2025-12-02 15:25", "2 Dec 2025 15:25"),
    ],
)
def test_when_is_today_yesterday_or_a_date(moment: str, said: str) -> None:
    assert task_line(Task(id=1, name="T", at=at(moment)), NOW).endswith(f"· {said}")
    assert spoken(datetime.fromisoformat(moment), NOW.date()) == said


def test_toggls_utc_time_is_said_in_local_time() -> None:
    utc = datetime(2026, 12, 2, 15, 25, tzinfo=UTC)
    local = utc.astimezone().replace(tzinfo=None)
    line = task_line(Task(id=1, name="T", at="2026-12-02T15:25:00Z"), NOW)
    assert line.endswith(spoken(local, NOW.date()))


@pytest.mark.parametrize("stamp", ["", "yesterday-ish", "0001-01-01T00:00:00+14:00"])
def test_a_time_that_does_not_parse_is_the_time_it_arrived(stamp: str) -> None:
    assert task_line(Task(id=1, name="T", at=stamp), NOW).endswith("· today 18:00")


@pytest.mark.parametrize(
    ("seconds", "part"),
    [(5400, " — 1 h 30 min, open"), (2700, " — 45 min, open"), (7200, " — 2 h, open"),
     (45, " — 45 s, open"), (None, " — open")],
)  # fmt: skip
def test_the_estimate_reads_as_the_form_says_it_or_is_left_out(
    seconds: int | None, part: str
) -> None:
    assert part in task_line(Task(id=1, name="T", estimated_seconds=seconds), NOW)


def test_done_and_the_assignee() -> None:
    done = task_line(Task(id=1, name="T", active=False, user_id=7, user_name="Sam"), NOW)
    assert " — done, Sam · " in done
    known = task_line(Task(id=1, name="T", user_id=7), NOW, assignee="Sam Designer")
    assert " — open, Sam Designer · " in known
    unnamed = task_line(Task(id=1, name="T", user_id=7), NOW)
    assert " — open, assigned · " in unnamed
    assert "7" not in unnamed.split("·")[0]  # the user id is not said either


def test_the_project_falls_back_to_the_windows_label_then_to_nothing() -> None:
    assert task_line(Task(id=1, name="T"), NOW, project="Web · Acme").startswith(
        "Created “T” in Web · Acme — "
    )
    assert task_line(Task(id=1, name="T", project_id=9), NOW).startswith("Created “T” — ")


def test_names_that_could_reorder_the_line_are_isolated() -> None:
    task = Task(
        id=1, name="abc\u202edef", project_name="\u05e4\u05e8\u05d5\u05d9\u05e7\u05d8",
        client_name="Plain", user_name="\u202eSam",
    )  # fmt: skip
    line = task_line(task, NOW)
    assert line.startswith(f"Created “{FSI}abc\u202edef{PDI}” in {FSI}\u05e4")
    assert f"{PDI} · Plain — open, {FSI}\u202eSam{PDI} · " in line


def test_a_drained_outbox_is_one_line_naming_the_first_few() -> None:
    assert sent_line(["A"]) == "1 task sent: “A”"
    assert sent_line(["A", "B", "C"]) == "3 tasks sent: “A”, “B”, “C”"
    names = [f"T{n}" for n in range(12)]
    assert sent_line(names) == "12 tasks sent: “T0”, “T1”, “T2” and 9 more"
    assert sent_line(["\u202eevil"]) == f"1 task sent: “{FSI}\u202eevil{PDI}”"
