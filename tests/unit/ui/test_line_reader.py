"""The quick-add line read against the window's lists (desktop.ui.line_reader), Qt-free: what
the preview says, the task Enter sends, and the time a keystroke costs with 10,000 projects."""

from __future__ import annotations

import time

from desktop.api.models import Project, User
from desktop.domain.project_choices import ProjectChoices
from desktop.ui.line_reader import NO_PROJECT, LineReader, Lists

PROJECTS = ProjectChoices.of(
    [
        Project(id=1, name="Website Redesign", client_name="Acme Corp"),
        Project(id=2, name="Mobile App", client_name="Acme Corp"),
        Project(id=3, name="Internal"),
    ]
)
PEOPLE = [
    User(id=7, fullname="Sam Designer", email="sam@example.com"),
    User(id=8, fullname="Samantha Jones", email="sj@example.com"),
]


def lists(project_id: int | None = None, problem: str | None = None) -> Lists:
    label = "Internal" if project_id == 3 else ""
    return Lists(1001, problem, PROJECTS, PEOPLE, project_id, label)


def test_a_whole_line_is_understood_in_one_short_line() -> None:
    reading = LineReader(lists()).read('Write report 1h30 @web +"sam d" !done')
    assert reading.text == (
        "Write report · 1 h 30 min · Website Redesign · Acme Corp · Sam Designer · done"
    )
    assert reading.submission is not None
    workspace_id, project_id, draft, label = reading.submission[:4]
    assert (workspace_id, project_id, label) == (1001, 1, "Website Redesign · Acme Corp")
    assert (draft.name, draft.estimated_seconds, draft.user_id, draft.active) == (
        "Write report",
        5400,
        7,
        False,
    )


def test_without_at_the_forms_project_is_used_and_without_one_it_says_so() -> None:
    reading = LineReader(lists(3)).read("Call 3 clients")
    assert reading.text == "Call 3 clients · Internal"
    assert reading.submission is not None
    assert reading.submission.project_id == 3
    missing = LineReader(lists()).read("Call 3 clients")
    assert (missing.ok, missing.text) == (False, NO_PROJECT)


def test_ambiguous_and_unknown_names_list_the_candidates() -> None:
    reader = LineReader(lists(3))
    acme = reader.read("Plan @acme")
    assert not acme.ok
    assert acme.text == (
        "“acme” could be 2 projects: Mobile App · Acme Corp, Website Redesign · Acme Corp; "
        "type more of the name."
    )
    sam = reader.read("Plan +sam")
    assert "Sam Designer" in sam.text
    assert "Samantha Jones" in sam.text
    assert reader.read("Plan +zed").text == "No person matches “zed”."


def test_a_workspace_that_cannot_take_tasks_is_the_problem() -> None:
    reading = LineReader(lists(3, "Tasks need a paid plan in this workspace.")).read("Plan @web")
    assert reading.text == "Tasks need a paid plan in this workspace."


def test_the_same_lists_keep_the_reader_and_new_ones_do_not() -> None:
    reader = LineReader(lists(3))
    assert reader.same_lists(lists(3))
    assert not reader.same_lists(lists(None))
    other = ProjectChoices.of([Project(id=9, name="Other")])
    assert not reader.same_lists(Lists(1001, None, other, PEOPLE, 3, "Internal"))
    assert reader.read("A") is reader.read("A")  # read once


def test_a_keystroke_with_ten_thousand_projects_is_read_in_under_2_ms() -> None:
    words = ["Website", "Mobile", "Brand", "Audit", "Launch", "Support", "Data", "Ops"]
    many = ProjectChoices.of(
        Project(id=n, name=f"{words[n % 8]} {words[n // 8 % 8]} {n}", client_name=f"Client {n}")
        for n in range(10_000)
    )
    reader = LineReader(Lists(1, None, many, PEOPLE, many.ids[0], many.labels[0]))
    line = "Write report 1h30 @website brand 4 +sam !done"
    took = []
    for end in range(1, len(line) + 1):
        start = time.perf_counter()
        reader.read(line[:end])
        took.append(time.perf_counter() - start)
    took.sort()
    assert took[len(took) // 2] < 0.002  # the median: a busy test machine has its moments
