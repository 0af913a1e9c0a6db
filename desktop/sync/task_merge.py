"""Changes to existing tasks, field by field: queueing one (merged into the change that still
waits for the task), checking the waiting ones against Toggl's copy after a listing (the
field-level merge and its conflicts), and the user settling a conflict.

The rule: a change carries only the fields the user touched, each with its *base*, the value
the app last saw in Toggl. After a listing, for each field of a waiting change:
- Toggl already holds the user's value: nothing left to send for it;
- Toggl's value is still the base (or a value of ours whose send may have arrived): it goes;
- else the field changed on both sides: held as a conflict until the user keeps theirs (sent,
  over Toggl's) or takes Toggl's (dropped). The other fields of the change still go.
So a task renamed in Toggl while the app was offline and marked done here ends done, with
Toggl's name: the "done" carries no name.
"""

from __future__ import annotations

from dataclasses import replace

from desktop.api.models import Task
from desktop.store.cache import Cache
from desktop.store.task_changes import (
    ChangeState,
    Fields,
    TaskChange,
    TaskChangeQueue,
    task_value,
)

FIELD_WORDS = {
    "name": "name",
    "active": "done state",
    "estimated_seconds": "estimate",
    "user_id": "assignee",
}


def queue_change(
    queue: TaskChangeQueue,
    workspace_id: int,
    project_id: int,
    task: Task,
    fields: Fields,
) -> None:
    """Queue `fields` for `task` (as cached): merged into the change that waits for it, if
    any; a field set back to Toggl's value is dropped (nothing to send), unless a send of it
    may have arrived. A waiting deletion wins; a refused change is replaced."""
    current = {key: task_value(task, key) for key in fields}
    existing = queue.get(task.id)
    if existing is not None and existing.delete and existing.state is not ChangeState.FAILED:
        return
    if existing is None or existing.state is ChangeState.FAILED or existing.delete:
        if existing is not None:
            queue.remove([existing.id])
        wanted = {k: v for k, v in fields.items() if v != current[k]}
        if wanted:
            queue.add(workspace_id, project_id, task.id, fields=wanted, base=current)
        return
    mine, base = dict(existing.fields), dict(existing.base)
    sent, held = dict(existing.sent), set(existing.held)
    for key, value in fields.items():
        base.setdefault(key, current[key])
        mine[key] = value
        if value == current[key] and key not in sent:
            for kept in (mine, base):
                kept.pop(key, None)
            held.discard(key)
    if not mine:
        queue.remove([existing.id])
        return
    queue.save(replace(existing, fields=mine, base=base, sent=sent, held=frozenset(held)))


def queue_delete(queue: TaskChangeQueue, workspace_id: int, project_id: int, task_id: int) -> None:
    """Queue the deletion of a task in Toggl; it replaces a change that waits for it."""
    existing = queue.get(task_id)
    if existing is None:
        queue.add(workspace_id, project_id, task_id, delete=True)
    elif not existing.delete or existing.state is ChangeState.FAILED:
        queue.save(
            replace(
                existing,
                delete=True,
                fields={},
                base={},
                held=frozenset(),
                state=ChangeState.QUEUED,
                reason=None,
            )
        )


def checked(change: TaskChange, task: Task) -> TaskChange | None:
    """The change after a listing showed `task` as Toggl has it (see the module's rule); None
    when nothing is left to send."""
    if change.delete:
        return replace(change, recheck=False)
    mine, base, sent = dict(change.fields), dict(change.base), dict(change.sent)
    held = set(change.held)
    for key, value in change.fields.items():
        theirs = task_value(task, key)
        if theirs == value:
            for kept in (mine, base, sent):
                kept.pop(key, None)
            held.discard(key)
        elif theirs != base.get(key) and not (key in sent and theirs == sent[key]):
            held.add(key)
    if not mine:
        return None
    return replace(change, fields=mine, base=base, sent=sent, held=frozenset(held), recheck=False)


def recheck_project(cache: Cache, queue: TaskChangeQueue, project_id: int) -> None:
    """Check the project's waiting changes against its cached tasks, just listed. A task the
    listing lacks is not taken for deleted (a new one takes seconds to show in listings): its
    change goes as it is, and Toggl's 404 says (a deletion's 404 is done)."""
    tasks = {task.id: task for task in cache.tasks(project_id)}
    for change in queue.for_project(project_id):
        if change.state is not ChangeState.QUEUED:
            continue
        task = tasks.get(change.task_id)
        now = replace(change, recheck=False) if task is None else checked(change, task)
        if now is None:
            queue.remove([change.id])
        elif now != change:
            queue.save(now)


def settle(queue: TaskChangeQueue, change: TaskChange, task: Task, *, keep_mine: bool) -> None:
    """The user settles the conflict on `change` (or a refused change): keep theirs (sent over
    Toggl's value, which becomes the base) or take Toggl's (their held fields dropped; a
    refused change discarded)."""
    if change.state is ChangeState.FAILED:
        if keep_mine:
            queue.save(replace(change, state=ChangeState.QUEUED, reason=None, recheck=True))
        else:
            queue.remove([change.id])
        return
    if keep_mine:
        base = dict(change.base)
        base.update({key: task_value(task, key) for key in change.held})
        queue.save(replace(change, base=base, held=frozenset()))
        return
    mine = {k: v for k, v in change.fields.items() if k not in change.held}
    if not mine and not change.delete:
        queue.remove([change.id])
        return
    base = {k: v for k, v in change.base.items() if k in mine}
    sent = {k: v for k, v in change.sent.items() if k in mine}
    queue.save(replace(change, fields=mine, base=base, sent=sent, held=frozenset()))


def conflict_note(held: frozenset[str]) -> str:
    """One sentence naming the fields changed on both sides."""
    words = [FIELD_WORDS[key] for key in sorted(held, key=list(FIELD_WORDS).index)]
    said = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
    verb = "was" if len(words) == 1 else "were"
    return (
        f"The {said} {verb} also changed in Toggl since you changed it here: keep yours or "
        "take Toggl's."
    )
