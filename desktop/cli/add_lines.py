"""What `TaskDesk add` was given, as tasks: its flags, a line in the quick-add syntax
(`desktop.domain.quick_line`), or a file of such lines; each with what is wrong with it.

The flags win over the line: `--name`, `--estimate`, `--project` and `--assignee` replace
what the line says of the same part (and any problem there), `--inactive` makes it done."""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field, replace

from desktop.domain.estimate import EstimateError, parse_estimate
from desktop.domain.quick_line import Part, Problem, QuickTask, parse_line
from desktop.domain.quick_match import Found
from desktop.domain.task_name import TaskNameError, clean_task_name

STDIN = "-"
PROJECT_REQUIRED = "A project is required: @project in the line, or --project."
_BOM = b"\xef\xbb\xbf"
MAX_FILE_BYTES = 1 << 20
"""Ten thousand lines of a hundred characters: more is no list of tasks (`/dev/zero` is not)."""


class Unreadable(Exception):  # noqa: N818 - an answer for the user
    """The file cannot be read; the message says why in one sentence."""


@dataclass(slots=True)
class Entry:
    """One task as given: `number` its line in the file (None on the command line), `task`
    with the flags applied, and what is wrong with it (lookups add theirs later)."""

    number: int | None
    text: str
    task: QuickTask
    problems: list[Problem] = field(default_factory=list)
    candidates: list[Found] = field(default_factory=list)
    """What an unknown or ambiguous `@` or `+` could be."""

    def where(self) -> str:
        return "the line" if self.number is None else f"line {self.number}"


def entries(args: argparse.Namespace) -> list[Entry]:
    """The tasks the arguments give, in order; raises `Unreadable`. Blank lines of a file are
    no tasks."""
    if args.file is None:
        return [entry(None, args.line or "", args)]
    found = []
    for number, raw in enumerate(_read(args.file).split(b"\n"), 1):
        line = raw.removeprefix(_BOM) if number == 1 else raw
        try:
            text = line.removesuffix(b"\r").decode("utf-8")
        except UnicodeDecodeError:
            bad = Entry(number, line.decode("utf-8", "replace"), QuickTask(""))
            bad.problems.append(Problem("name", "This line is not UTF-8 text."))
            found.append(bad)
            continue
        if text.strip():
            found.append(entry(number, text, args))
    return found


def _read(source: str) -> bytes:
    try:
        if source == STDIN:
            if sys.stdin is None:
                raise Unreadable("There is no standard input to read the tasks from.")
            data = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
        else:
            with open(source, "rb") as file:
                data = file.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise Unreadable(f"Cannot read the tasks from {source} ({reason}).") from None
    if len(data) > MAX_FILE_BYTES:
        where = "Standard input" if source == STDIN else source
        raise Unreadable(f"{where} holds more than 1 MB: split the tasks into smaller files.")
    return data


def entry(number: int | None, text: str, args: argparse.Namespace) -> Entry:
    """The line `text` with the flags applied over it."""
    parsed = parse_line(text)
    task = parsed.task
    replaced: set[Part] = set()
    added: list[Problem] = []
    if args.name is not None:
        replaced.add("name")
        try:
            task = replace(task, name=clean_task_name(args.name))
        except TaskNameError as exc:
            added.append(Problem("name", str(exc)))
    if args.estimate is not None:
        replaced.add("estimate")
        try:
            task = replace(task, estimate=parse_estimate(args.estimate))
        except EstimateError as exc:
            added.append(Problem("estimate", str(exc)))
    if args.project is not None:
        replaced.add("project")
        task = replace(task, project=None)
    elif task.project is None and not any(p.part == "project" for p in parsed.problems):
        added.append(Problem("project", PROJECT_REQUIRED))
    if args.assignee is not None:
        replaced.add("person")
        task = replace(task, person=None)
    if args.inactive:
        task = replace(task, done=True)
    kept = [problem for problem in parsed.problems if problem.part not in replaced]
    return Entry(number, text, task, kept + added)
