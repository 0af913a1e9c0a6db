"""`TaskDesk sync`, `outbox`, `outbox retry ID` and `outbox discard ID` (`add` is in `adding`)."""

from __future__ import annotations

import argparse
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.cli.exit_codes import (
    EX_FAILED,
    EX_NOPERM,
    EX_OK,
    EX_SOFTWARE,
    EX_UNAVAILABLE,
    EX_USAGE,
)
from desktop.cli.output import Output, iso_time, local_time
from desktop.cli.running import (
    SIGN_IN_AGAIN,
    Outcome,
    Owned,
    database_problem,
    drain,
    folder_exit_code,
    folder_problem,
)
from desktop.store.cache import Cache
from desktop.store.database import DatabaseError, open_database
from desktop.store.outbox import Outbox
from desktop.store.outbox_row import WAITING, OutboxRow, OutboxState
from desktop.store.task_changes import TaskChange, TaskChangeQueue

if TYPE_CHECKING:
    from desktop.api.models import Task
    from desktop.store.outbox_row import OutboxRow


def sync(_args: argparse.Namespace, api_url: str, data_dir: Path, out: Output) -> int:
    with Owned(api_url, data_dir, out) as owned:
        if owned.code is not None:
            return owned.code
        outcome = drain(owned.session, until_settled=None)
        left = owned.session.outbox.pending_count() + owned.session.task_changes.pending_count()
    refused = len(outcome.failed) + len(outcome.changes_failed)
    summary = {
        "created": len(outcome.created),
        "failed": refused,
        "queued": left,
        "reason": outcome.waiting_reason,
    }
    if outcome.sign_in_needed and left:
        return out.fail(EX_NOPERM, SIGN_IN_AGAIN, **summary)
    text = f"Sent {len(outcome.created)}, refused {refused}, still queued {left}."
    if left and outcome.waiting_reason:
        text += f" {outcome.waiting_reason}"
    out.emit(text, {"ok": left == 0 and not refused, **summary})
    if refused:
        return EX_FAILED
    return EX_UNAVAILABLE if left else EX_OK


def outbox(args: argparse.Namespace, api_url: str, data_dir: Path, out: Output) -> int:
    if args.action == "retry":
        return _retry(args.id, api_url, data_dir, out)
    if args.action == "discard":
        return _discard(args.id, api_url, data_dir, out)
    return _list(data_dir, out)


def _list(data_dir: Path, out: Output) -> int:
    """Read-only: a damaged database is described, not moved (`sync`, `add` or the app set it
    aside, each saying so)."""
    try:
        with closing(open_database(data_dir)) as db:
            rows = [_labelled(Cache(db), row) for row in Outbox(db).waiting()]
            changes = [(c, _task_name(Cache(db), c)) for c in TaskChangeQueue(lambda: db).all()]
    except DatabaseError as exc:
        return out.fail(EX_SOFTWARE, database_problem(exc, data_dir))
    except OSError as exc:  # the database or its journal planted as a link, or not ours
        return out.fail(folder_exit_code(exc), folder_problem(data_dir, exc))
    lines = [
        f"#{r.id}  {r.state.value:<11}  {local_time(r.queued_at):<16}  {r.draft.name}"
        f"  ({r.project_label or f'project {r.project_id}'})"
        + (f"  — {r.reason}" if r.reason else "")
        for r in rows
    ]
    lines += [
        f"task {c.task_id}  {c.state.value:<11}  {local_time(c.queued_at):<16}  {name}"
        f"  ({_what(c)})" + (f"  — {c.reason}" if c.reason else "")
        for c, name in changes
    ]
    out.emit(
        lines or "The outbox is empty.",
        {
            "ok": True,
            "outbox": [_row_json(r) for r in rows],
            "changes": [_change_json(c, name) for c, name in changes],
        },
    )
    return EX_OK


def _retry(row_id: int, api_url: str, data_dir: Path, out: Output) -> int:
    with Owned(api_url, data_dir, out) as owned:
        if owned.code is not None:
            return owned.code
        try:
            row = owned.session.retry(row_id)
        except KeyError:
            return out.fail(EX_USAGE, _no_such_row(row_id))
        outcome = drain(owned.session, until_settled=row.id)
        now = owned.session.outbox.get(row.id)
    return _settled(now, outcome, out)


def _settled(row: OutboxRow, outcome: Outcome, out: Output) -> int:
    """What became of a retried row, and the exit code that says it."""
    if row.id in outcome.created:
        task = outcome.created[row.id]
        out.emit(
            f"Sent “{row.draft.name}” (outbox #{row.id}): it is task {task.id} in Toggl.",
            {**task_json(task), "outbox_id": row.id},
        )
        return EX_OK
    if row.id in outcome.failed:
        return out.fail(EX_FAILED, outcome.failed[row.id], outbox_id=row.id, state="failed")
    if outcome.sign_in_needed:
        return out.fail(EX_NOPERM, SIGN_IN_AGAIN, outbox_id=row.id, state=row.state.value)
    why = outcome.waiting_reason or "It will be sent by `TaskDesk sync` or the app."
    return out.fail(
        EX_UNAVAILABLE,
        f"“{row.draft.name}” (outbox #{row.id}) is still {row.state.value}. {why}",
        outbox_id=row.id,
        state=row.state.value,
        reason=why,
    )


def _discard(row_id: int, api_url: str, data_dir: Path, out: Output) -> int:
    """No confirmation asked (scripts run this), so what was removed is said in full."""
    with Owned(api_url, data_dir, out, needs_token=False) as owned:
        if owned.code is not None:
            return owned.code
        try:
            row = owned.session.outbox.get(row_id)
        except KeyError:
            row = None
        if row is None or row.state not in WAITING or not owned.session.discard(row_id):
            return out.fail(EX_USAGE, _no_such_row(row_id))
    where = f" in {row.project_label}" if row.project_label else ""
    maybe_in_toggl = row.maybe_sent or row.state is OutboxState.UNCONFIRMED
    if maybe_in_toggl:
        after = (
            f"Its last send was never confirmed, so it may already be in Toggl{where}: "
            "look there before adding it again."
        )
    elif row.state is OutboxState.FAILED:
        after = row.reason or "Toggl had refused it."
    else:
        after = "It had not reached Toggl."
    out.emit(
        [f"Removed “{row.draft.name}” (outbox #{row.id}, {row.state.value}).", after],
        {"ok": True, "discarded": _row_json(row), "may_be_in_toggl": maybe_in_toggl},
    )
    return EX_OK


def _project_name(cache: Cache, workspace_id: int, project_id: int) -> str | None:
    return next((p.name for p in cache.projects(workspace_id) if p.id == project_id), None)


def _labelled(cache: Cache, row: OutboxRow) -> OutboxRow:
    """The row with the project's name: the one saved, else the cached project's (a task queued
    offline before the projects were listed has none saved; shown as "project ID" then)."""
    if row.project_label:
        return row
    return row.replace(project_label=_project_name(cache, row.workspace_id, row.project_id) or "")


def _task_name(cache: Cache, change: TaskChange) -> str:
    """The changed task's name as the cache has it (a change waits for a task in Toggl)."""
    names = [t.name for t in cache.tasks(change.project_id) if t.id == change.task_id]
    return names[0] if names else f"task {change.task_id}"


def _what(change: TaskChange) -> str:
    return "delete" if change.delete else ", ".join(sorted(change.fields))


def _change_json(change: TaskChange, name: str) -> dict[str, object]:
    return {
        "task_id": change.task_id,
        "name": name,
        "state": change.state.value,
        "change": _what(change),
        "workspace_id": change.workspace_id,
        "project_id": change.project_id,
        "queued_at": change.queued_at,
        "reason": change.reason,
    }


def _no_such_row(row_id: int) -> str:
    return f"The outbox has no task #{row_id}: `TaskDesk outbox` lists the ones it holds."


def _row_json(row: OutboxRow) -> dict[str, object]:
    return {
        "id": row.id,
        "state": row.state.value,
        "workspace_id": row.workspace_id,
        "project_id": row.project_id,
        "project": row.project_label,
        "queued_at": row.queued_at,
        "queued_at_iso": iso_time(row.queued_at),
        "reason": row.reason,
        **row.draft.as_dict(),
    }


def task_json(task: Task) -> dict[str, object]:
    data = task.as_dict()
    data["tracked_seconds"] = task.tracked_seconds
    return {"ok": True, "state": "created", "task": data}
