"""Quick-add lines read against what the window holds: the cached projects and people of the
chosen workspace, and the form's project for a line without `@`. Qt-free, so the quick-add
line's preview and the bulk dialog's rows share it and it is tested without a window.

Matching runs on the UI thread, per keystroke, against lists already in memory: no request,
no worker round trip. `@web` over 10,000 projects is one pass of substring tests (well under
2 ms); a reader remembers what each query and each line was understood as, so 500 pasted lines
naming a few projects cost a few passes, and a re-read after an edit only reads the lines
that changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from desktop.api.models import TaskDraft
from desktop.domain.display import isolate
from desktop.domain.estimate import format_human
from desktop.domain.quick_line import Problem, parse_line
from desktop.domain.quick_match import Match, match_person, match_project
from desktop.ui.payloads import Submission

if TYPE_CHECKING:
    from desktop.api.models import User
    from desktop.domain.project_choices import ProjectChoices

NO_PROJECT = "Pick a project in the form, or name one with @project."
SEPARATOR = " · "


class Lists(NamedTuple):
    """What lines are read against, as the window shows it now."""

    workspace_id: int | None
    workspace_problem: str | None
    """Why the chosen workspace cannot take tasks (none chosen, Free plan), or None."""
    projects: ProjectChoices
    people: Sequence[User]
    project_id: int | None
    """The form's project, for a line without `@`."""
    project_label: str


class Reading(NamedTuple):
    """One line understood: the task to send (None when anything is wrong), and one line of
    text saying what was understood or, when something is wrong, every problem."""

    submission: Submission | None
    text: str

    @property
    def ok(self) -> bool:
        return self.submission is not None


class LineReader:
    """Reads lines against one `Lists`; remembers its answers (build a new reader when the
    lists change: `same_lists` tells)."""

    def __init__(self, lists: Lists) -> None:
        self.lists = lists
        self._projects: dict[str, Match] = {}
        self._people: dict[str, Match] = {}
        self._lines: dict[str, Reading] = {}

    def same_lists(self, lists: Lists) -> bool:
        """Would `lists` read every line as this reader does? (The lists are replaced, never
        changed in place, when they change.)"""
        mine = self.lists
        return (
            mine.projects is lists.projects
            and mine.people is lists.people
            and mine[:2] == lists[:2]
            and mine[4:] == lists[4:]
        )

    def read(self, text: str) -> Reading:
        known = self._lines.get(text)
        if known is None:
            known = self._lines[text] = self._read(text)
        return known

    def _read(self, text: str) -> Reading:
        lists = self.lists
        parsed = parse_line(text)
        task = parsed.task
        problems: list[Problem] = list(parsed.problems)
        project_id, label = lists.project_id, lists.project_label
        if lists.workspace_problem:
            problems.append(Problem("project", lists.workspace_problem))
        elif task.project is not None:
            project_id, label = self._project(task.project, problems)
        elif project_id is None and not any(p.part == "project" for p in problems):
            problems.append(Problem("project", NO_PROJECT))
        person_id, person = None, ""
        if task.person is not None:
            person_id, person = self._person(task.person, problems)
        if problems or project_id is None or lists.workspace_id is None:
            return Reading(None, " ".join(dict.fromkeys(p.text for p in problems)))
        draft = TaskDraft(task.name, not task.done, task.estimate, person_id)
        shown = [isolate(task.name)]
        if task.estimate is not None:
            shown.append(format_human(task.estimate))
        shown += [isolate(label)] + ([isolate(person)] if person else [])
        if task.done:
            shown.append("done")
        submission = Submission(lists.workspace_id, project_id, draft, label)
        return Reading(submission, SEPARATOR.join(shown))

    def _project(self, query: str, problems: list[Problem]) -> tuple[int | None, str]:
        match = self._projects.get(query)
        if match is None:
            match = self._projects[query] = match_project(query, self.lists.projects)
        return _chosen(match, problems)

    def _person(self, query: str, problems: list[Problem]) -> tuple[int | None, str]:
        match = self._people.get(query)
        if match is None:
            match = self._people[query] = match_person(query, self.lists.people)
        return _chosen(match, problems)


def _chosen(match: Match, problems: list[Problem]) -> tuple[int | None, str]:
    problem = match.problem()
    if problem is not None:
        problems.append(problem)
        return None, ""
    assert match.chosen is not None
    return match.chosen.id, match.chosen.name
