"""`TaskDesk tasks`, `done`, `reopen`, `edit` and `delete` (issue 13).

`tasks` shows a project's list as the window does: from the cache, fetched when never fetched,
older than 30 minutes or `--refresh` (by changes where Toggl allows). The others queue their
change in the outbox through the session, as the window does, then drain it as `add` does: sent
now, parked with Toggl's reason, or kept for later (offline) — with `add`'s exit codes. A task
id is looked up in the cached lists; one not there is looked for by listing the project given
with `--project`, else the project last used, once (by changes when it was listed before)."""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from pathlib import Path

from desktop.api.errors import AuthenticationError, PaidFeatureError, TogglError
from desktop.api.models import TaskChanges
from desktop.cli.exit_codes import EX_FAILED, EX_NOPERM, EX_OK, EX_UNAVAILABLE, EX_USAGE
from desktop.cli.lists import PASSING, Lists, ListUnavailable, workspace_of
from desktop.cli.names import Choice, Unresolved, pick
from desktop.cli.output import Output, iso_time, local_time
from desktop.cli.running import NOT_SIGNED_IN, SIGN_IN_AGAIN, Owned, drain
from desktop.domain.estimate import EstimateError, format_clock, parse_estimate
from desktop.domain.task_name import TaskNameError, clean_task_name
from desktop.session import Session
from desktop.store.task_changes import ChangeState
from desktop.sync.task_merge import conflict_note
from desktop.task_lines import TaskLine, TaskLines

PROJECTS = "TaskDesk projects"


class _Said(Exception):  # noqa: N818 - an answer for the user
    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code


# --- TaskDesk tasks -------------------------------------------------------------------------


def tasks(args: argparse.Namespace, api_url: str, data_dir: Path, out: Output) -> int:
    with Owned(api_url, data_dir, out, needs_token=False) as owned:
        if owned.code is not None:
            return owned.code
        session = owned.session
        session.restore()
        try:
            workspace_id, project_id = _project(session, Lists(session, out, refresh=False), args)
            shown = _fetched(session, out, workspace_id, project_id, forced=args.refresh)
        except (ListUnavailable, _Said) as exc:
            return out.fail(exc.code, str(exc))
        except Unresolved as exc:
            return out.fail(EX_USAGE, str(exc), candidates=exc.candidates)
    if shown.unavailable:
        return out.fail(EX_FAILED, shown.unavailable)
    lines = sorted(
        (line for line in shown.lines if args.all or line.active),
        key=lambda line: (not line.active, _natural(line.name)),
    )
    fetched = None if shown.fetched_at is None else iso_time(shown.fetched_at)
    empty = "No tasks." if args.all else "No open tasks (--all lists done ones too)."
    out.emit(
        [_text(line) for line in lines] or empty,
        {
            "ok": True,
            "workspace_id": workspace_id,
            "project_id": project_id,
            "fetched_at": fetched,
            "tasks": [_json(line) for line in lines],
        },
    )
    return EX_OK


def _project(session: Session, lists: Lists, args: argparse.Namespace) -> tuple[int, int]:
    workspace_id = workspace_of(session, lists, args.workspace)
    given = args.project
    choices = [] if isinstance(given, int) else lists.projects(workspace_id)
    project_id = pick(
        "project",
        given,
        [Choice(p.id, p.name) for p in choices],
        f"{PROJECTS} --workspace {workspace_id}",
    )
    return workspace_id, project_id


def _fetched(
    session: Session, out: Output, workspace_id: int, project_id: int, *, forced: bool
) -> TaskLines:
    """The project's lines, fetched first when due; from the cache, with a notice, when Toggl
    cannot be reached. Raises `_Said` when there is nothing to show."""
    cached = session.task_lines(workspace_id, project_id)
    if cached.unavailable:
        return cached
    if not session.signed_in:
        if cached.fetched_at is None:
            raise _Said(EX_NOPERM, NOT_SIGNED_IN)
        return cached
    try:
        fresh = session.refresh_tasks(workspace_id, project_id, forced=forced)
    except AuthenticationError:
        raise _Said(EX_NOPERM, SIGN_IN_AGAIN) from None
    except PASSING as error:
        if cached.fetched_at is None:
            raise _Said(
                EX_UNAVAILABLE,
                f"The tasks cannot be fetched and none are cached: {error.message}",
            ) from None
        out.notice(
            f"Showing tasks cached {local_time(cached.fetched_at)}, which may be out of date: "
            f"{error.message}"
        )
        return cached
    except TogglError as error:
        raise _Said(EX_FAILED, f"Toggl refused the list of tasks: {error.message}") from None
    return cached if fresh is None else fresh


def _natural(name: str) -> tuple[tuple[int, int, str], ...]:
    parts = re.split(r"(\d+)", name.casefold())
    return tuple((1, int(p), "") if p.isdecimal() else (0, 0, p) for p in parts if p)


def _text(line: TaskLine) -> str:
    parts = [str(line.task_id) if line.task_id is not None else "(new)", line.name]
    tracked = (line.tracked_ms or 0) // 1000
    if line.estimated_seconds:
        parts.append(f"{format_clock(tracked)} of {format_clock(line.estimated_seconds)}")
    elif tracked:
        parts.append(format_clock(tracked))
    if line.user_name:
        parts.append(line.user_name)
    if not line.active:
        parts.append("done")
    if line.state != "sent":
        parts.append(line.state)
    text = "  ".join(parts[:2]) + "".join(f" · {p}" for p in parts[2:])
    return text + (f" — {line.note}" if line.note else "")


def _json(line: TaskLine) -> dict[str, object]:
    return {
        "id": line.task_id,
        "name": line.name,
        "active": line.active,
        "estimated_seconds": line.estimated_seconds,
        "tracked_seconds": None if line.tracked_ms is None else line.tracked_ms // 1000,
        "assignee": line.user_name,
        "assignee_id": line.user_id,
        "state": line.state,
        "note": line.note,
        "outbox_id": line.outbox_id,
    }


# --- TaskDesk done, reopen, edit, delete ------------------------------------------------------


def done(args: argparse.Namespace, api_url: str, data_dir: Path, out: Output) -> int:
    return _act(args, api_url, data_dir, out, lambda _s, _w: TaskChanges(active=False))


def reopen(args: argparse.Namespace, api_url: str, data_dir: Path, out: Output) -> int:
    return _act(args, api_url, data_dir, out, lambda _s, _w: TaskChanges(active=True))


def delete(args: argparse.Namespace, api_url: str, data_dir: Path, out: Output) -> int:
    return _act(args, api_url, data_dir, out, None)


def edit(args: argparse.Namespace, api_url: str, data_dir: Path, out: Output) -> int:
    def changes(lists: Lists, workspace_id: int) -> TaskChanges:
        try:
            name = None if args.name is None else clean_task_name(args.name)
            estimate = None if args.estimate is None else parse_estimate(args.estimate) or 0
        except (TaskNameError, EstimateError) as exc:
            raise _Said(EX_USAGE, str(exc)) from None
        user_id = None
        if args.assignee is not None:
            people = [] if isinstance(args.assignee, int) else lists.users(workspace_id)
            choices = [Choice(u.id, u.label, u.email) for u in people]
            user_id = pick("person", args.assignee, choices, None)
        return TaskChanges(
            name=name, estimated_seconds=estimate, user_id=user_id, clear_assignee=args.unassign
        )

    return _act(args, api_url, data_dir, out, changes)


_DONE_WORDS = {"done": "Marked done", "reopen": "Reopened", "edit": "Changed", "delete": "Deleted"}


def _act(
    args: argparse.Namespace,
    api_url: str,
    data_dir: Path,
    out: Output,
    changes: Callable[[Lists, int], TaskChanges] | None,
) -> int:
    ids: list[int] = list(dict.fromkeys(args.ids))
    with Owned(api_url, data_dir, out) as owned:
        if owned.code is not None:
            return owned.code
        session = owned.session
        lists = Lists(session, out, refresh=False)
        try:
            places = _places(session, lists, out, args, ids)
            names = _queue(session, lists, places, changes)
        except (ListUnavailable, _Said) as exc:
            return out.fail(exc.code, str(exc))
        except Unresolved as exc:
            return out.fail(EX_USAGE, str(exc), candidates=exc.candidates)
        except PaidFeatureError as exc:
            return out.fail(EX_FAILED, exc.message)
        queue = session.task_changes
        outcome = drain(
            session,
            until_settled=None,
            until=lambda: not any(c.task_id in places for c in queue.pending()),
        )
        left = {task_id: queue.get(task_id) for task_id in ids}
    report: list[dict[str, object]] = []
    for task_id in ids:
        change = left[task_id]
        item: dict[str, object] = {"id": task_id, "name": names[task_id]}
        if change is None:
            item.update(state="sent", reason=None)
        elif change.state is ChangeState.FAILED:
            item.update(state="failed", reason=change.reason)
        elif change.held and not change.sendable and not change.delete:
            item.update(state="conflict", reason=conflict_note(change.held))
        else:
            why = outcome.waiting_reason or "It will be sent by `TaskDesk sync` or the app."
            item.update(state="queued", reason=why)
        report.append(item)
    stuck = [i for i in report if i["state"] in ("failed", "conflict")]
    queued = [i for i in report if i["state"] == "queued"]
    if outcome.sign_in_needed and queued:
        return out.fail(EX_NOPERM, SIGN_IN_AGAIN, tasks=report)
    word = _DONE_WORDS[args.command]
    lines = [_said(word, item) for item in report]
    if stuck and len(lines) == 1:
        return out.fail(EX_FAILED, lines[0], tasks=report)
    if stuck:
        return out.fail_listing(EX_FAILED, _summary(report), lines, tasks=report)
    out.emit(lines, {"ok": True, "tasks": report})
    return EX_OK


def _said(word: str, item: dict[str, object]) -> str:
    named = f"“{item['name']}” ({item['id']})"
    if item["state"] == "sent":
        return f"{word}: {named}."
    if item["state"] == "queued":
        return f"{word} offline: {named} waits in the outbox. {item['reason']}"
    return f"{named}: {item['reason']}"


def _summary(report: list[dict[str, object]]) -> str:
    stuck = sum(item["state"] in ("failed", "conflict") for item in report)
    return f"{stuck} of {len(report)} tasks were not changed:"


def _places(
    session: Session, lists: Lists, out: Output, args: argparse.Namespace, ids: list[int]
) -> dict[int, tuple[int, int]]:
    """Each task's workspace and project, from the cache; the ids it lacks are looked for in
    one listing of the project given (else the one last used), by changes when listed before."""
    places = session.cache.task_places(ids)
    missing = [i for i in ids if i not in places]
    if not missing:
        return places
    if args.project is not None:
        workspace_id, project_id = _project(session, lists, args)
    else:
        preferred = session.preferred_workspace_id()
        last = None if preferred is None else session.cache.last_project_id(preferred)
        if preferred is None or last is None:
            raise _Said(EX_USAGE, _unknown(missing[0]))
        workspace_id, project_id = preferred, last
    _fetched(session, out, workspace_id, project_id, forced=True)
    places = session.cache.task_places(ids)
    missing = [i for i in ids if i not in places]
    if missing:
        raise _Said(EX_USAGE, _unknown(missing[0]))
    return places


def _unknown(task_id: int) -> str:
    return (
        f"Task {task_id} is not in the task lists Task Desk knows: give its project with "
        "--project, or list it with `TaskDesk tasks --project P`."
    )


def _queue(
    session: Session,
    lists: Lists,
    places: dict[int, tuple[int, int]],
    changes: Callable[[Lists, int], TaskChanges] | None,
) -> dict[int, str]:
    """Queue the change (or deletion) of each task, by project; returns their names."""
    names: dict[int, str] = {}
    by_project: dict[tuple[int, int], list[int]] = {}
    for task_id, place in places.items():
        by_project.setdefault(place, []).append(task_id)
    for (workspace_id, project_id), ids in by_project.items():
        lines = session.task_lines(workspace_id, project_id).lines
        shown = {line.task_id: line.name for line in lines}
        names.update((i, shown.get(i, str(i))) for i in ids)
        if changes is None:
            session.delete_tasks(workspace_id, project_id, ids)
        else:
            session.change_tasks(workspace_id, project_id, ids, changes(lists, workspace_id))
    return names
