"""Projects as the picker shows them: prepared on the worker, in the order a person expects."""

from __future__ import annotations

from desktop.api.models import Project
from desktop.domain.project_choices import ProjectChoices


def test_active_projects_sorted_by_name_then_client_ignoring_case() -> None:
    choices = ProjectChoices.of(
        [
            Project(id=1, name="website", client_name="Zeta"),
            Project(id=2, name="Archive", active=False),
            Project(id=3, name="Website", client_name="acme"),
            Project(id=4, name="Écoles"),
            Project(id=5, name="admin"),
        ]
    )
    assert choices.ids == [5, 3, 1, 4]
    assert choices.labels == ["admin", "Website · acme", "website · Zeta", "Écoles"]
    assert choices.folded == [label.casefold() for label in choices.labels]
    assert len(choices) == 4


def test_equal_names_keep_toggls_order() -> None:
    same = [Project(id=i, name="Design") for i in (30, 10, 20)]
    assert ProjectChoices.of(same).ids == [30, 10, 20]


def test_no_projects() -> None:
    assert len(ProjectChoices.of([])) == 0
    assert not ProjectChoices()


def choices_of(*names: str) -> ProjectChoices:
    return ProjectChoices.of(Project(id=i, name=name) for i, name in enumerate(names))


def test_numbers_sort_as_numbers_ignoring_case() -> None:
    choices = choices_of("Project 10", "project 2", "Project 1000", "Project 100", "Project 1")
    assert choices.labels == ["Project 1", "project 2", "Project 10", "Project 100", "Project 1000"]
    assert choices_of("v10 b", "V9 z", "v9 a", "Release 007", "Release 7b", "Release 6").labels == [
        "Release 6",
        "Release 007",
        "Release 7b",
        "v9 a",
        "V9 z",
        "v10 b",
    ]


def test_clients_sort_naturally_under_one_name() -> None:
    choices = ProjectChoices.of(
        [Project(1, "Ops", client_name="Client 10"), Project(2, "Ops", client_name="client 9")]
    )
    assert choices.labels == ["Ops · client 9", "Ops · Client 10"]


def test_matches_ranked_name_prefix_then_word_prefix_then_anywhere() -> None:
    choices = choices_of("Project 1042", "Project 42", "42nd Street", "Side-42", "X1042", "Other")
    rows = choices.matching("42")
    assert [choices.labels[row] for row in choices.ranked("42", rows)] == [
        "42nd Street",
        "Project 42",
        "Side-42",
        "Project 1042",
        "X1042",
    ]
    assert choices.ranked("", choices.matching("")) == list(range(len(choices)))
    assert choices.matching("nothing") == []


def test_matching_narrows_within_the_previous_matches() -> None:
    choices = choices_of("Alpha", "Alpine", "Beta")
    assert choices.matching("alph", choices.matching("al")) == [0]


def test_the_words_of_a_label_match_whatever_the_punctuation_typed() -> None:
    choices = ProjectChoices.of(
        [Project(1, "Website Redesign", client_name="Acme Corp"), Project(2, "Redesign-2")]
    )
    for typed in ("redesign acme", "redesign - acme", "redesign · acme", "site  redesign"):
        assert [choices.ids[row] for row in choices.matching(typed)] == [1], typed
    assert [choices.ids[row] for row in choices.matching("redesign 2")] == [2]
    assert choices.matching("acme redesign") == []


def test_a_typed_label_names_its_project_whatever_its_punctuation() -> None:
    choices = ProjectChoices.of(
        [Project(1, "Website Redesign", client_name="Acme Corp"), Project(2, "Website Redesign")]
    )
    assert choices.labels[choices.row_of_label("website redesign · ACME corp ")] == (
        "Website Redesign · Acme Corp"
    )
    for typed in ("Website Redesign - Acme Corp", "Website Redesign Acme Corp", "website—acme"):
        found = choices.row_of_words(typed)
        assert (choices.ids[found] if found >= 0 else None, choices.row_of_label(typed)) == (
            (1, -1) if "corp" in typed.casefold() else (None, -1)
        ), typed
    assert choices.labels[choices.row_of_label("website redesign")] == "Website Redesign"
    assert choices.row_of_label("Website Redesign · Other") == -1
    assert (choices.row_of_words(" · "), choices.row_of_label("")) == (-1, -1)


class Counted(str):
    """A label that counts the tests made on it, to check filtering's work grows linearly."""

    tests = 0

    def __contains__(self, part: object) -> bool:
        Counted.tests += 1
        return super().__contains__(part)  # type: ignore[operator]

    def startswith(self, *args: object) -> bool:  # type: ignore[override]
        Counted.tests += 1
        return super().startswith(*args)  # type: ignore[arg-type]


def work_per_keystroke(size: int) -> int:
    plain = choices_of(*(f"Project {i % 1000}" for i in range(size)))  # same mix at any size
    choices = ProjectChoices(
        ids=plain.ids,
        labels=plain.labels,
        shown=plain.shown,
        folded=[Counted(label) for label in plain.folded],
        words=[Counted(words) for words in plain.words],
    )
    Counted.tests = 0
    for typed in ("p", "pr", "4", "42", "t 4", "t-4"):
        choices.ranked(typed, choices.matching(typed))
    return Counted.tests


def test_filtering_work_grows_linearly_with_the_projects() -> None:
    small, large = work_per_keystroke(1_000), work_per_keystroke(10_000)
    assert small > 0
    assert large == 10 * small  # ten times the projects: ten times the work, no more
    assert large <= 6 * 6 * 10_000  # six keystrokes, at most six tests per project each
