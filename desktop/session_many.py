"""Many tasks queued at once (`TaskDesk add --file`, the bulk dialog), on the session's side of
the door: all of them in one transaction, so either every task is in the outbox, each its own
row sent exactly once the usual way, or (the disk refused) none is. Kept beside
`desktop.session`, which stays within its size."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from desktop.api.models import TaskDraft
from desktop.store.outbox_row import OutboxRow
from desktop.store.trouble import storage_errors

if TYPE_CHECKING:
    from desktop.session import Session


@dataclass(frozen=True, slots=True)
class NewTask:
    """One task to queue, as `Session.submit` takes it."""

    workspace_id: int
    project_id: int
    draft: TaskDraft
    project_label: str


def submit_many(session: Session, tasks: Sequence[NewTask]) -> list[OutboxRow]:
    """Queue `tasks` in one transaction, in order (the engine sends them in turn); the rows
    as saved. Raises `StorageError` with nothing queued when the store refuses any of them."""
    with storage_errors():
        session.ensure_store()
        outbox = session.outbox
        with outbox.transaction():
            return [
                outbox.add(task.workspace_id, task.project_id, task.draft, task.project_label)
                for task in tasks
            ]
