"""`@project` and `+person` of a quick-add line looked up in the cached lists: by the start of
a word, in any case; one match is the answer, none or several a problem naming what was found."""

from __future__ import annotations

import time

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.api.models import Project, User
from desktop.domain.project_choices import ProjectChoices
from desktop.domain.quick_line import Problem, QuickTask
from desktop.domain.quick_match import Found, match_person, match_project, understand

PROJECTS = ProjectChoices.of(
    [
        Project(1, "Website Redesign", client_name="Acme Corp"),
        Project(2, "Mobile App", client_name="Acme Corp"),
        Project(3, "Internal"),
        Project(4, "Web", client_name="Zeta"),
        Project(5, "Webinar Series"),
        Project(6, "Archived web", active=False),
    ]
)
PEOPLE = [
    User(11, "Sam Designer", "sam@example.com"),
    User(12, "Fran Freelancer", "fran@example.com"),
    User(13, "Samantha Jones", "sj@studio.test"),
    User(14, "", "nameless@example.com"),
]


def test_the_issues_example() -> None:
    line = understand("Write report 1h30 @redesign +designer !done", PROJECTS, PEOPLE)
    assert line.ok
    assert line.task == QuickTask("Write report", 5400, "redesign", "designer", done=True)
    assert (line.project_id, line.person_id) == (1, 11)


def test_a_project_matches_by_the_start_of_any_word_of_name_and_client() -> None:
    assert match_project("redes", PROJECTS).chosen == Found(1, "Website Redesign · Acme Corp")
    assert match_project("INT", PROJECTS).chosen == Found(3, "Internal")
    assert match_project("zeta", PROJECTS).chosen == Found(4, "Web · Zeta")
    assert match_project("site", PROJECTS).candidates == ()  # inside a word: no
    assert match_project("acme", PROJECTS).chosen is None  # two of Acme Corp's


def test_words_in_a_row_and_punctuation_aside() -> None:
    assert match_project("redesign ac", PROJECTS).chosen is not None
    assert match_project("Website Redesign - Acme", PROJECTS).chosen == Found(
        1, "Website Redesign · Acme Corp"
    )
    assert match_project("acme redesign", PROJECTS).candidates == ()


def test_an_ambiguous_project_names_its_candidates_best_first() -> None:
    match = match_project("web", PROJECTS)
    assert [found.id for found in match.candidates] == [4, 5, 1]  # archived ones never
    assert match.problem() == Problem(
        "project",
        "“web” could be 3 projects: Web · Zeta, Webinar Series, Website Redesign · Acme Corp; "
        "type more of the name.",
    )


def test_a_whole_label_wins_over_the_longer_ones() -> None:
    assert match_project("web zeta", PROJECTS).chosen == Found(4, "Web · Zeta")
    alone = ProjectChoices.of([Project(1, "Web"), Project(2, "Website")])
    assert match_project("WEB", alone).chosen == Found(1, "Web")


def test_an_unknown_project_is_a_problem() -> None:
    assert match_project("nothing", PROJECTS).problem() == Problem(
        "project", "No project matches “nothing”."
    )
    assert match_project("·", PROJECTS).candidates == ()  # no word at all


def test_many_candidates_are_counted() -> None:
    many = ProjectChoices.of([Project(i, f"Sprint {i}") for i in range(1, 13)])
    problem = match_project("sprint", many).problem()
    assert problem is not None
    assert "could be 12 projects: Sprint 1, Sprint 2, Sprint 3, Sprint 4, Sprint 5 and 7 more" in (
        problem.text
    )


def test_a_person_matches_by_name_or_email_word() -> None:
    assert match_person("fran", PEOPLE).chosen == Found(12, "Fran Freelancer")
    assert match_person("jones", PEOPLE).chosen == Found(13, "Samantha Jones")
    assert match_person("studio", PEOPLE).chosen == Found(13, "Samantha Jones")
    assert match_person("NAMELESS", PEOPLE).chosen == Found(14, "nameless@example.com")
    assert match_person("ample", PEOPLE).candidates == ()


def test_a_whole_name_or_email_wins() -> None:
    assert [f.id for f in match_person("sam", PEOPLE).candidates] == [11, 13]
    assert match_person("SAM@EXAMPLE.COM", PEOPLE).chosen == Found(11, "Sam Designer")
    assert match_person("sam designer", PEOPLE).chosen == Found(11, "Sam Designer")


def test_an_ambiguous_or_unknown_person_is_a_problem() -> None:
    line = understand("Call +sam @nothing", PROJECTS, PEOPLE)
    assert not line.ok
    assert line.project_id is None
    assert line.person_id is None
    assert {p.part: p.text for p in line.problems} == {
        "person": "“sam” could be 2 people: Sam Designer, Samantha Jones; type more of the name.",
        "project": "No project matches “nothing”.",
    }


def test_without_at_or_plus_nothing_is_looked_up() -> None:
    line = understand("Call 3 clients", PROJECTS, PEOPLE)
    assert line.ok
    assert (line.project, line.person) == (None, None)


def test_syntax_problems_come_first() -> None:
    line = understand("@web", PROJECTS, PEOPLE)
    assert [p.part for p in line.problems] == ["name", "project"]


def test_ten_thousand_projects_are_looked_up_quickly() -> None:
    """The window previews every keystroke (issue #14's bench: 2 ms); far looser here."""
    big = ProjectChoices.of(
        [Project(i, f"Project {i}", client_name=f"Client {i % 97}") for i in range(10_000)]
    )
    start = time.perf_counter()
    for _ in range(10):
        understand("Write report 1h30 @client 42 project 1 +sam", big, PEOPLE)
    assert (time.perf_counter() - start) / 10 < 0.05


@settings(max_examples=300)
@given(st.text(max_size=80))
def test_any_line_is_understood_or_explained(text: str) -> None:
    line = understand(text, PROJECTS, PEOPLE)
    assert line.ok == (not line.problems)
    if line.ok:
        assert (line.project_id is None) == (line.task.project is None)
        assert (line.person_id is None) == (line.task.person is None)
