"""The panel's lines for a task Toggl returned: every field, a fallback for each one missing, and
names that cannot reorder the lines around them."""

from __future__ import annotations

from datetime import datetime

from desktop.api.models import Task
from desktop.domain.display import FSI, PDI
from desktop.domain.summary import local_time, task_summary


def lines(task: Task) -> dict[str, str]:
    first, *rest = task_summary(task).split("\n")
    return {"title": first} | dict(line.split(": ", 1) for line in rest)


def test_every_field_has_its_line() -> None:
    task = Task(
        id=42, name="Write the report", active=False, at="2026-03-04T10:20:30",
        estimated_seconds=5400, tracked_ms=1_830_999, user_id=7, user_name="Sam",
        project_id=9, project_name="Website", client_name="Acme",
    )  # fmt: skip
    assert lines(task) == {
        "title": "Created task “Write the report” (id 42)",
        "Project": "Website · Acme",
        "Estimate": "1:30",
        "Active": "no (done)",
        "Assignee": "Sam",
        "Tracked": "0:30",  # Toggl's tracked_seconds are milliseconds, rounded down to minutes
        "Updated at": "2026-03-04T10:20:30 (2026-03-04 10:20:30)",
    }


def test_missing_fields_fall_back_to_ids_then_words() -> None:
    with_ids = lines(Task(id=1, name="T", project_id=9, user_id=7))
    assert (with_ids["Project"], with_ids["Assignee"]) == ("project 9", "user 7")
    bare = lines(Task(id=1, name="T"))
    assert bare == {
        "title": "Created task “T” (id 1)",
        "Project": "—",
        "Estimate": "none",
        "Active": "yes",
        "Assignee": "No assignee",
        "Tracked": "0:00",
        "Updated at": "—",
    }


def test_an_estimate_of_zero_is_shown_not_called_none() -> None:
    assert lines(Task(id=1, name="T", estimated_seconds=0))["Estimate"] == "0:00"


def test_names_that_could_reorder_the_line_are_isolated() -> None:
    task = Task(
        id=1, name="abc\u202edef", project_name="\u05e4\u05e8\u05d5\u05d9\u05e7\u05d8",
        client_name="Plain", user_name="\u202eSam",
    )  # fmt: skip
    shown = lines(task)
    assert shown["title"] == f"Created task “{FSI}abc\u202edef{PDI}” (id 1)"
    assert shown["Project"] == f"{FSI}\u05e4\u05e8\u05d5\u05d9\u05e7\u05d8{PDI} · Plain"
    assert shown["Assignee"] == f"{FSI}\u202eSam{PDI}"


def test_toggls_time_is_shown_in_the_computers_time_zone() -> None:
    stamp = "2026-03-04T10:20:30+00:00"
    expected = datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M:%S %Z")
    assert local_time(stamp) == expected.strip()
    assert local_time("2026-03-04T10:20:30Z") == expected.strip()


def test_a_time_that_does_not_parse_is_shown_as_sent() -> None:
    assert local_time("yesterday-ish") == "yesterday-ish"
    assert local_time("") == "—"
    summary = lines(Task(id=1, name="T", at="yesterday-ish"))
    assert summary["Updated at"] == "yesterday-ish (yesterday-ish)"
