"""What a quick-add line's `@project` and `+person` name among the cached lists.

`@word` matches the projects with a word of "Name · Client" starting with it, ignoring case and
punctuation (`@"redesign ac"` finds "Website Redesign · Acme Corp": words in a row); `+word`
matches people by a word of their name or email the same way. The one match is the project or
person; none, or several, is a problem naming the candidates found. A whole label (a person's
whole name or email), in any case, wins over the longer ones it begins.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain, islice
from typing import TYPE_CHECKING, Literal

from desktop.domain.project_choices import ProjectChoices, words_of
from desktop.domain.quick_line import ParsedLine, Problem, QuickTask, parse_line

if TYPE_CHECKING:  # the window imports this before the models load
    from desktop.api.models import User

CANDIDATES_NAMED = 5
"""Candidates named in a problem; more are counted."""


@dataclass(frozen=True, slots=True)
class Found:
    id: int
    name: str
    """As the user knows it: "Name · Client", a person's name (or email)."""


@dataclass(frozen=True, slots=True)
class Match:
    """What `@query` or `+query` found: `count` matches, the first `CANDIDATES_NAMED` of
    them in `candidates`, best first (only those are built: "@p" may match 10,000 projects)."""

    what: Literal["project", "person"]
    query: str
    candidates: tuple[Found, ...]
    count: int

    @property
    def chosen(self) -> Found | None:
        return self.candidates[0] if self.count == 1 else None

    def problem(self) -> Problem | None:
        """None for one match; else one sentence naming the candidates found."""
        if self.count == 1:
            return None
        if not self.count:
            return Problem(self.what, f"No {self.what} matches “{self.query}”.")
        named = ", ".join(found.name for found in self.candidates)
        more = self.count - len(self.candidates)
        if more > 0:
            named += f" and {more} more"
        plural = "people" if self.what == "person" else "projects"
        return Problem(
            self.what,
            f"“{self.query}” could be {self.count} {plural}: {named}; type more of the name.",
        )


@dataclass(frozen=True, slots=True)
class Understood:
    """A line as the lists understand it: the task, what `@` and `+` found (None when not
    typed), and every problem; `ok` when there is none, and only then may it be sent."""

    task: QuickTask
    project: Match | None
    person: Match | None
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def project_id(self) -> int | None:
        chosen = self.project.chosen if self.project else None
        return chosen.id if chosen else None

    @property
    def person_id(self) -> int | None:
        chosen = self.person.chosen if self.person else None
        return chosen.id if chosen else None


def match_project(query: str, projects: ProjectChoices) -> Match:
    """The active projects `query` names (see the module's docstring)."""
    wanted = words_of(query)
    words = projects.words
    if not wanted:
        rows: list[int] = []
    elif words.count(wanted) == 1:
        rows = [words.index(wanted)]
    else:
        rows = [row for row, label in enumerate(words) if wanted in label]
    start, folded = query.strip().casefold(), projects.folded
    best = chain(  # labels starting with the query first, as the project picker ranks them
        (row for row in rows if folded[row].startswith(start)),
        (row for row in rows if not folded[row].startswith(start)),
    )
    found = (Found(projects.ids[row], projects.labels[row]) for row in best)
    return Match("project", query, tuple(islice(found, CANDIDATES_NAMED)), len(rows))


def match_person(query: str, people: Sequence[User]) -> Match:
    """The people `query` names by a word of their name or email; a whole name or email wins."""
    wanted = words_of(query)
    key = query.strip().casefold()
    exact = [u for u in people if key in (u.fullname.casefold(), u.email.casefold())]
    if not wanted:
        hits: list[User] = []
    elif len(exact) == 1:
        hits = exact
    else:
        hits = [u for u in people if wanted in words_of(u.fullname) or wanted in words_of(u.email)]
    found = tuple(Found(u.id, u.label) for u in hits[:CANDIDATES_NAMED])
    return Match("person", query, found, len(hits))


def match_line(parsed: ParsedLine, projects: ProjectChoices, people: Sequence[User]) -> Understood:
    """`parsed` with its `@` and `+` looked up in the lists."""
    task = parsed.task
    project = None if task.project is None else match_project(task.project, projects)
    person = None if task.person is None else match_person(task.person, people)
    found = [m.problem() for m in (project, person) if m is not None]
    problems = parsed.problems + tuple(p for p in found if p is not None)
    return Understood(task, project, person, problems)


def understand(text: str, projects: ProjectChoices, people: Sequence[User]) -> Understood:
    """The line `text` parsed and looked up: what a preview shows and Enter sends."""
    return match_line(parse_line(text), projects, people)
