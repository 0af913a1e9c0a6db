"""The quick-add line: `Write report 1h30 @web +sam !done` as the parts of a task, and those
parts written back as such a line. Syntax only: which project and person `@web` and `+sam`
name is for `desktop.domain.quick_match`, against the cached lists.

- The name is every word that is nothing else, in order, one space between words.
- The estimate is a word in the estimate grammar with a unit or a colon (`1h30`, `90m`, `1.5h`,
  `1:30`; words side by side add up: `1h 30m`). A bare number stays in the name ("Call 3
  clients"), as does any word that only looks like a number ("2nd", "3.5.1").
- `@word` names a project and `+word` a person; `@"Two words"` for spaces (`\\"` and `\\\\`
  inside the quotes for a quote and a backslash).
- `!done` creates the task done.
- A backslash before a word that would mean any of these keeps it as it is, in the name:
  `\\@home`, `\\+1`, `\\!done`, `\\2:30`. A lone `@`, `+` or `!` is text as it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from desktop.domain.estimate import EstimateError, parse_estimate
from desktop.domain.task_name import TaskNameError, clean_task_name

Part = Literal["name", "estimate", "project", "person", "done"]
"""What a problem is about: a form field, or `!` (done)."""

PROJECT, PERSON, DONE, ESCAPE, QUOTE = "@", "+", "!", "\\", '"'
_SIGNS = (PROJECT, PERSON, DONE)
_DONE_WORD = "!done"
_DURATION_SHAPE = re.compile(r"(?:\d|[.,]\d)[\d.,:a-z]*", re.ASCII)
_LETTERS = re.compile(r"[a-z]+", re.ASCII)


@dataclass(frozen=True, slots=True)
class QuickTask:
    """A line's parts as typed: the project and person as the text after `@` and `+` (None
    when not given, never empty), the estimate in seconds."""

    name: str
    estimate: int | None = None
    project: str | None = None
    person: str | None = None
    done: bool = False


@dataclass(frozen=True, slots=True)
class Problem:
    part: Part
    text: str
    """One sentence for the user."""


@dataclass(frozen=True, slots=True)
class ParsedLine:
    task: QuickTask
    problems: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True, slots=True)
class _Word:
    """A word of the line: plain text as typed, or the quoted value after `@` or `+`."""

    text: str
    sign: str = ""
    closed: bool = True


def parse_line(text: str) -> ParsedLine:
    """The parts of `text` and what is wrong with it; never raises."""
    return _Reader().read(text)


class _Reader:
    def __init__(self) -> None:
        self.name: list[str] = []
        self.estimates: list[list[str]] = []  # runs of estimate words side by side
        self.in_run = False
        self.queries: dict[str, list[str]] = {PROJECT: [], PERSON: []}
        self.done = False
        self.problems: list[Problem] = []

    def read(self, text: str) -> ParsedLine:
        for word in _words(text):
            self._take(word)
        estimate = self._estimate()
        project = self._query(PROJECT, "project")
        person = self._query(PERSON, "person")
        name = " ".join(self.name)
        try:
            clean_task_name(name)
        except TaskNameError as exc:
            self.problems.insert(0, Problem("name", str(exc)))
        task = QuickTask(name, estimate, project, person, self.done)
        return ParsedLine(task, tuple(self.problems))

    def _take(self, word: _Word) -> None:
        in_run, self.in_run = self.in_run, False
        text = word.text
        if word.sign:
            self._quoted(word)
        elif text.startswith(ESCAPE) and needs_escape(text[1:]):
            self.name.append(text[1:])
        elif len(text) > 1 and text[0] in (PROJECT, PERSON):
            self.queries[text[0]].append(text[1:])
        elif len(text) > 1 and text[0] == DONE:
            if text.casefold() == _DONE_WORD:
                self.done = True
            else:
                self.problems.append(
                    Problem(
                        "done",
                        f"Only {_DONE_WORD} is understood after “!”: write {ESCAPE}{text} "
                        f"to keep “{text}” in the name.",
                    )
                )
        elif duration_shaped(text):
            if in_run:
                self.estimates[-1].append(text)
            else:
                self.estimates.append([text])
            self.in_run = True
        else:
            self.name.append(text)

    def _quoted(self, word: _Word) -> None:
        what: Part = "project" if word.sign == PROJECT else "person"
        value = word.text.strip()
        if not word.closed:
            self.problems.append(
                Problem(
                    what,
                    f'Close the quotes after “{word.sign}”, as in {word.sign}"Two words".',
                )
            )
        elif not value:
            self.problems.append(
                Problem(what, f"Type a {what}'s name between the quotes after “{word.sign}”.")
            )
        if value:
            self.queries[word.sign].append(value)

    def _estimate(self) -> int | None:
        if not self.estimates:
            return None
        first = " ".join(self.estimates[0])
        if len(self.estimates) > 1:
            other = " ".join(self.estimates[1])
            self.problems.append(
                Problem("estimate", f"Give one estimate: “{first}” and “{other}” were both typed.")
            )
        try:
            return parse_estimate(first)
        except EstimateError as exc:
            self.problems.append(Problem("estimate", str(exc)))
            return None

    def _query(self, sign: str, what: Part) -> str | None:
        found = self.queries[sign]
        if len(found) > 1:
            self.problems.append(
                Problem(
                    what,
                    f"Give one {what}: {format_query(sign, found[0])} and "
                    f"{format_query(sign, found[1])} were both typed.",
                )
            )
        return found[0] if found else None


def _words(text: str) -> Iterator[_Word]:
    """The words of `text`, split at white space, except inside `@"…"` and `+"…"`."""
    i, end = 0, len(text)
    while i < end:
        if text[i].isspace():
            i += 1
        elif text[i] in (PROJECT, PERSON) and text[i + 1 : i + 2] == QUOTE:
            sign = text[i]
            value, i, closed = _quoted(text, i + 2)
            yield _Word(value, sign, closed)
        else:
            start = i
            while i < end and not text[i].isspace():
                i += 1
            yield _Word(text[start:i])


def _quoted(text: str, i: int) -> tuple[str, int, bool]:
    """The value of quotes opened before `i`, the index after them, and whether they closed."""
    value: list[str] = []
    end = len(text)
    while i < end:
        char = text[i]
        if char == ESCAPE and text[i + 1 : i + 2] in (QUOTE, ESCAPE):
            value.append(text[i + 1])
            i += 2
        elif char == QUOTE:
            return "".join(value), i + 1, True
        else:
            value.append(char)
            i += 1
    return "".join(value), end, False


@lru_cache(maxsize=64)
def _is_unit(letters: str) -> bool:
    try:
        parse_estimate(f"1{letters}")
    except EstimateError:
        return False
    return True


def duration_shaped(word: str) -> bool:
    """Is `word` meant as a duration: digits with units or a colon (`1h30`, `1:30`, `2h1h`,
    `99999h`), not a bare number? Such a word is the estimate, or an estimate to fix."""
    folded = word.lower()  # as `parse_estimate` reads it
    if not _DURATION_SHAPE.fullmatch(folded) or folded.isdigit():
        return False
    letters = _LETTERS.findall(folded)
    if not letters:
        return ":" in folded
    return all(_is_unit(run) for run in letters)


def needs_escape(word: str) -> bool:
    """Would `word` mean something other than text in a line (a sign, a duration, or an escape
    of one)? Written in a name, it takes a backslash before it."""
    rest = word.lstrip(ESCAPE)
    return bool(rest) and (rest[0] in _SIGNS or duration_shaped(rest))


def format_estimate(seconds: int) -> str:
    """One word of the grammar: 5400 -> `1h30m`, 45 -> `45s`, 0 -> `0m`."""
    hours, remainder = divmod(max(0, seconds), 3600)
    minutes, secs = divmod(remainder, 60)
    parts = [(hours, "h"), (minutes, "m"), (secs, "s")]
    return "".join(f"{amount}{unit}" for amount, unit in parts if amount) or "0m"


def format_query(sign: str, query: str) -> str:
    """`@web`, or `@"Two words"` when the text needs quotes."""
    if query and query[0] != QUOTE and not any(char.isspace() for char in query):
        return f"{sign}{query}"
    escaped = query.replace(ESCAPE, ESCAPE * 2).replace(QUOTE, ESCAPE + QUOTE)
    return f"{sign}{QUOTE}{escaped}{QUOTE}"


def format_line(task: QuickTask) -> str:
    """`task` as a line that parses back to it: name, estimate, `@project`, `+person`,
    `!done`; words of the name that would mean something else take a backslash."""
    words = [ESCAPE + word if needs_escape(word) else word for word in task.name.split()]
    if task.estimate is not None:
        words.append(format_estimate(task.estimate))
    if task.project is not None:
        words.append(format_query(PROJECT, task.project))
    if task.person is not None:
        words.append(format_query(PERSON, task.person))
    if task.done:
        words.append(_DONE_WORD)
    return " ".join(words)
