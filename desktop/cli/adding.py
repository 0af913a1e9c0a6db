"""`TaskDesk add`: one task, from flags or a line in the quick-add syntax (the flags win over
the line), or many with `--file` (one a line, `-` for standard input).

All or nothing: a task not understood (its line, a name, an `@` or `+` that finds no one or
several) exits 64 saying why, each line of a file with its number, and nothing is queued; else
every task is queued in one transaction, each its own outbox row, sent exactly once the usual
way (the drain, then the app or `TaskDesk sync` for what waits)."""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop.api.models import TaskDraft, User
from desktop.cli.add_lines import STDIN, Entry, Unreadable, entries
from desktop.cli.commands import task_json
from desktop.cli.exit_codes import EX_FAILED, EX_NOPERM, EX_OK, EX_USAGE
from desktop.cli.lists import Lists, ListUnavailable, workspace_of
from desktop.cli.names import Choice, Unresolved, pick
from desktop.cli.output import Output
from desktop.cli.running import SIGN_IN_AGAIN, Owned, drain
from desktop.domain.project_choices import ProjectChoices
from desktop.domain.quick_match import Found, Match, match_person, match_project
from desktop.session import Session
from desktop.session_many import NewTask, submit_many

_SHOWN_TEXT = 60
"""Characters of a refused line quoted in the answer."""


def add(args: argparse.Namespace, api_url: str, data_dir: Path, out: Output) -> int:
    try:
        given = entries(args)
    except Unreadable as exc:
        return out.fail(EX_USAGE, str(exc))
    if not given:
        source = "standard input" if args.file == STDIN else args.file
        return out.fail(EX_USAGE, f"There are no tasks in {source}: write one on each line.")
    unread = sum(bool(entry.problems) for entry in given)
    if unread == len(given):  # nothing left to look up: said without a request
        return _refuse(given, args, out)
    with Owned(api_url, data_dir, out) as owned:
        if owned.code is not None:
            return owned.code
        session = owned.session
        try:
            tasks = _Resolver(session, Lists(session, out, refresh=False), args).tasks(given)
        except ListUnavailable as exc:
            if unread:  # the lines already known to be wrong are said, as far as known
                return _refuse(given, args, out)
            return out.fail(exc.code, str(exc))
        except Unresolved as exc:
            return out.fail(EX_USAGE, str(exc), candidates=exc.candidates)
        if tasks is None:
            return _refuse(given, args, out)
        if args.file is None:
            return _one(session, tasks[0], out)
        return _many(session, given, tasks, out)


class _Resolver:
    """The workspace, and the flags' project and person, looked up once; each line's `@` and
    `+` among the workspace's lists, read (or fetched) only when a line needs them."""

    def __init__(self, session: Session, lists: Lists, args: argparse.Namespace) -> None:
        self._session = session
        self._lists = lists
        self.workspace_id = workspace = workspace_of(session, lists, args.workspace)
        project, assignee = args.project, args.assignee
        self._project_id = None if project is None else pick(
            "project",
            project,
            [] if isinstance(project, int)
            else [Choice(p.id, p.name) for p in lists.projects(workspace)],
            f"TaskDesk projects --workspace {workspace}",
        )  # fmt: skip
        self._assignee = None if assignee is None else pick(
            "person",
            assignee,
            [] if isinstance(assignee, int)
            else [Choice(u.id, u.label, u.email) for u in lists.users(workspace)],
            None,
        )  # fmt: skip
        self._projects: ProjectChoices | None = None
        self._people: list[User] | None = None
        self._names: dict[int, str] | None = None

    def tasks(self, given: list[Entry]) -> list[NewTask] | None:
        """A task for each entry; None when any is not understood (each entry says why)."""
        made = [self._task(entry) for entry in given]
        tasks = [task for task in made if task is not None]
        return tasks if len(tasks) == len(given) else None

    def _task(self, entry: Entry) -> NewTask | None:
        """None when the entry is not understood (said already, or now)."""
        if entry.problems:
            return None
        quick = entry.task
        project_id = self._project_id
        if project_id is None:
            assert quick.project is not None  # else the entry had a problem already
            project_id = _chosen(entry, match_project(quick.project, self._choices()))
        user_id = self._assignee
        if user_id is None and quick.person is not None:
            user_id = _chosen(entry, match_person(quick.person, self._users()))
        if project_id is None or entry.problems:
            return None
        draft = TaskDraft(quick.name, not quick.done, quick.estimate, user_id)
        return NewTask(self.workspace_id, project_id, draft, self._label(project_id))

    def _choices(self) -> ProjectChoices:
        if self._projects is None:
            self._projects = ProjectChoices.of(self._lists.projects(self.workspace_id))
        return self._projects

    def _users(self) -> list[User]:
        if self._people is None:
            self._people = self._lists.users(self.workspace_id)
        return self._people

    def _label(self, project_id: int) -> str:
        """The project's name as cached ("" when it is not: the outbox shows its id)."""
        if self._names is None:
            cached = self._session.cache.projects(self.workspace_id)
            self._names = {project.id: project.name for project in cached}
        return self._names.get(project_id, "")


def _chosen(entry: Entry, match: Match) -> int | None:
    """The one match's id; else None, and the entry says why."""
    problem = match.problem()
    if problem is None:
        assert match.chosen is not None
        return match.chosen.id
    entry.problems.append(problem)
    entry.candidates.extend(match.candidates)
    return None


def _refuse(given: list[Entry], args: argparse.Namespace, out: Output) -> int:
    bad = [entry for entry in given if entry.problems]
    if args.file is None:
        (entry,) = bad
        extra = {"candidates": _found_json(entry.candidates)} if entry.candidates else {}
        return out.fail(EX_USAGE, _said(entry), **extra)
    lines = "line" if len(given) == 1 else "lines"
    verb = "is" if len(bad) == 1 else "are"
    return out.fail_listing(
        EX_USAGE,
        f"{len(bad)} of {len(given)} {lines} {verb} not understood, so no task was queued.",
        [f"{entry.where()}, “{_cut(entry.text)}”: {_said(entry)}" for entry in bad],
        lines=[
            {
                "line": entry.number,
                "text": entry.text,
                "problems": [problem.text for problem in entry.problems],
                "candidates": _found_json(entry.candidates),
            }
            for entry in bad
        ],
    )


def _said(entry: Entry) -> str:
    return " ".join(problem.text for problem in entry.problems)


def _cut(text: str) -> str:
    text = text.strip()
    return text if len(text) <= _SHOWN_TEXT else text[:_SHOWN_TEXT] + "…"


def _found_json(found: list[Found]) -> list[dict[str, object]]:
    return [{"id": candidate.id, "name": candidate.name} for candidate in found]


def _one(session: Session, task: NewTask, out: Output) -> int:
    row = session.submit(task.workspace_id, task.project_id, task.draft, task.project_label)
    outcome = drain(session, until_settled=row.id)
    if row.id in outcome.created:
        out.document(task_json(outcome.created[row.id]))
        return EX_OK
    if row.id in outcome.failed:
        return out.fail(EX_FAILED, outcome.failed[row.id], outbox_id=row.id, state="failed")
    if outcome.sign_in_needed:
        return out.fail(EX_NOPERM, SIGN_IN_AGAIN, outbox_id=row.id, state="queued")
    why = outcome.waiting_reason or "It will be sent by `TaskDesk sync` or the app."
    out.emit(
        f"Queued “{task.draft.name}” offline (outbox #{row.id}). {why}",
        {"ok": True, "state": "queued", "outbox_id": row.id, "reason": why},
    )
    return EX_OK


def _many(session: Session, given: list[Entry], tasks: list[NewTask], out: Output) -> int:
    rows = submit_many(session, tasks)
    outcome = drain(session, until_settled=None)
    report: list[dict[str, object]] = []
    refused: list[str] = []
    for entry, row in zip(given, rows, strict=True):
        item: dict[str, object] = {"line": entry.number, "outbox_id": row.id}
        item["name"] = row.draft.name
        if row.id in outcome.created:
            item.update(state="created", task_id=outcome.created[row.id].id)
        elif row.id in outcome.failed:
            item.update(state="failed", reason=outcome.failed[row.id])
            refused.append(f"{entry.where()} (outbox #{row.id}): {outcome.failed[row.id]}")
        else:
            item.update(state="queued")
        report.append(item)
    created = sum(item["state"] == "created" for item in report)
    waiting = len(rows) - created - len(refused)
    why = outcome.waiting_reason or "They will be sent by `TaskDesk sync` or the app."
    summary: dict[str, object] = {
        "queued": len(rows),
        "created": created,
        "failed": len(refused),
        "waiting": waiting,
        "reason": why if waiting else None,
        "tasks": report,
    }
    if outcome.sign_in_needed and waiting:
        return out.fail(EX_NOPERM, SIGN_IN_AGAIN, **summary)
    where = f"#{rows[0].id}" if len(rows) == 1 else f"#{rows[0].id} to #{rows[-1].id}"
    text = (
        f"Queued {len(rows)} task{'s' * (len(rows) != 1)} (outbox {where}): sent {created}, "
        f"refused {len(refused)}, still queued {waiting}."
    )
    if waiting:
        text += f" {why}"
    out.emit([text, *refused], {"ok": not refused, **summary})
    return EX_FAILED if refused else EX_OK
