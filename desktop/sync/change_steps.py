"""The sync engine's steps for changes to tasks already in Toggl (`desktop.store.task_changes`):
taken when no new task is due, one request per step, under the same pace, backoff, quota and
sign-in rules as new tasks (`SyncEngine._kept_for_later`).

- Changes that set the very same values in one project go as one bulk PATCH (up to
  `MAX_PATCH_IDS` tasks); one alone, or all of them once a server refused the PATCH itself
  (404, 405), as a PUT of the changed fields only. A deletion is a DELETE; a 404 for it is done.
- A row is marked *sending* durably before its request, its values noted as possibly in Toggl:
  after a crash or a lost answer it is checked against a listing (by changes) before it goes
  again, and Toggl already holding its values makes it done without a second request.
- Before sending changes that waited through an offline spell, or into a copy of the project
  older than 30 minutes, the project is listed by changes once, which detects conflicts
  (`desktop.sync.task_merge`); with a fresh copy no request is spent to look.
- Toggl's refusal (400, 403, 402, 404 for a change, 410) parks that change with Toggl's words;
  the list shows the task as Toggl has it. A network error stops the flush.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import cached_property
from typing import TYPE_CHECKING

from desktop.api.errors import (
    AmbiguousError,
    BadRequestError,
    ForbiddenError,
    GoneError,
    NotFoundError,
    PaidFeatureError,
    ServerError,
    TogglError,
)
from desktop.api.task_calls import MAX_PATCH_IDS
from desktop.messages import Failure, describe
from desktop.store.task_changes import ChangeState, TaskChange, TaskChangeQueue
from desktop.sync.outcomes import Connection, StepResult
from desktop.sync.task_refresh import is_stale, refresh_project

if TYPE_CHECKING:
    from desktop.api.client import TogglClient
    from desktop.store.cache import Cache
    from desktop.store.outbox import Outbox
    from desktop.sync.backoff import Backoff

REFUSALS = (BadRequestError, ForbiddenError, PaidFeatureError, GoneError)
"""Toggl refused the request itself: nothing was changed, and sending it unchanged is pointless."""
BULK_REFUSED = (404, 405)
"""A bulk PATCH answered so is not served at all: the changes go one by one."""


class ChangeSteps:
    """For `SyncEngine`, which provides what is declared below."""

    if TYPE_CHECKING:
        _outbox: Outbox
        _client: TogglClient
        _cache: Cache
        _clock: Callable[[], float]
        _probe: Callable[[str], bool]
        _offline_probe: Backoff
        _retry: Backoff
        _not_before: float
        connection: Connection

        def _pace(self) -> None: ...
        def _went_online(self) -> None: ...
        def _remaining_pause(self) -> float: ...
        def _kept_for_later(self, error: TogglError) -> float | None: ...

    bulk_refused = False
    """The server refused a bulk PATCH itself: changes go one by one for this session."""

    @cached_property
    def changes(self) -> TaskChangeQueue:
        """The queue, once a change a killed app left *sending* is taken back (to be checked
        by a listing before it goes again): one engine sends, and it starts after the
        window's first paint, which the session reaches without reading this table."""
        queue = TaskChangeQueue(lambda: self._outbox.connection, self._clock)
        queue.recover_interrupted()
        return queue

    def _change_step(self) -> StepResult:
        change = self.changes.next_due()
        if change is None:
            return StepResult(delay=self._outbox.next_wait())
        if self.connection is Connection.OFFLINE:
            if not self._probe(self._client.base_url):
                return StepResult(delay=self._offline_probe.next_delay())
            # Reachable again: every change that waited is checked by a listing first.
            self._went_online()
            change = replace(change, recheck=True)
        try:
            if change.recheck or is_stale(
                self._cache.task_list_state(change.project_id), self._clock()
            ):
                return self._list_first(change)
            if change.delete:
                return self._send_delete(change)
            alike = [change] if self.bulk_refused else self.changes.alike(change, MAX_PATCH_IDS)
            if len(alike) > 1:
                return self._send_patch(alike)
            return self._send_put(change)
        except Exception:
            # As `SyncEngine._unforeseen_kept_safe`: whatever was being sent is checked first.
            self.changes.recover_interrupted()
            self._not_before = self._clock() + self._retry.next_delay()
            raise

    def _change_result(self, change: TaskChange) -> StepResult:
        result = StepResult(delay=self._remaining_pause())
        result.changed_projects.add((change.workspace_id, change.project_id))
        return result

    def _list_first(self, change: TaskChange) -> StepResult:
        """List the project by changes and check its waiting changes against it; they go in
        the next steps (held fields stay for the user)."""
        self._pace()
        try:
            refresh_project(
                self._client,
                self._cache,
                self.changes,
                change.workspace_id,
                change.project_id,
                "since",
            )
        except REFUSALS as error:
            # Toggl will not list the project (access removed, plan changed...): its changes
            # cannot go either; each is parked with Toggl's words.
            waiting = [
                c
                for c in self.changes.for_project(change.project_id)
                if c.state is ChangeState.QUEUED
            ]
            return self._changes_refused(waiting, error)
        except TogglError as error:
            return self._changes_failed(change, [change], [change], error)
        self._went_online()
        return self._change_result(change)

    def _changes_sending(self, changes: list[TaskChange]) -> list[TaskChange]:
        """Durably marked as being sent, their values as possibly in Toggl, before the request."""
        sending = [
            replace(
                c,
                state=ChangeState.SENDING,
                attempts=c.attempts + 1,
                sent={**c.sent, **c.sendable},
            )
            for c in changes
        ]
        with self.changes.transaction():
            for change in sending:
                self.changes.save(change)
        self._pace()
        return sending

    def _send_put(self, change: TaskChange) -> StepResult:
        (sending,) = self._changes_sending([change])
        try:
            task = self._client.update_task(
                change.workspace_id, change.project_id, change.task_id, change.changes()
            )
        except TogglError as error:
            return self._changes_failed(change, [change], [sending], error)
        with self.changes.transaction():
            self._cache.add_task(task)
            self._change_delivered(sending)
        return self._change_sent(change)

    def _send_delete(self, change: TaskChange) -> StepResult:
        (sending,) = self._changes_sending([change])
        try:
            self._client.delete_task(change.workspace_id, change.project_id, change.task_id)
        except NotFoundError:
            pass  # already gone: what the deletion wanted
        except TogglError as error:
            return self._changes_failed(change, [change], [sending], error)
        with self.changes.transaction():
            self._cache.remove_tasks([change.task_id])
            self.changes.remove([change.id])
        return self._change_sent(change)

    def _send_patch(self, alike: list[TaskChange]) -> StepResult:
        first = alike[0]
        sending = self._changes_sending(alike)
        ids = [c.task_id for c in alike]
        try:
            answer = self._client.patch_tasks(
                first.workspace_id, first.project_id, ids, first.changes()
            )
        except BadRequestError as error:
            if error.status not in BULK_REFUSED:
                return self._changes_failed(first, alike, sending, error)
            self.bulk_refused = True  # the same changes go one by one from the next step
            with self.changes.transaction():
                for change in alike:
                    self.changes.save(change)
            self._went_online()
            return self._change_result(first)
        except TogglError as error:
            return self._changes_failed(first, alike, sending, error)
        by_task = {c.task_id: (c, s) for c, s in zip(alike, sending, strict=True)}
        with self.changes.transaction():
            for task_id in answer.succeeded:
                self._cache.change_task(task_id, dict(by_task[task_id][1].sendable))
                self._change_delivered(by_task[task_id][1])
            for task_id, said in answer.failed.items():
                original = by_task[task_id][0]
                self.changes.save(replace(original, state=ChangeState.FAILED, reason=_said(said)))
            for task_id in answer.unanswered:  # unknown until a listing shows it
                self.changes.save(
                    replace(by_task[task_id][1], state=ChangeState.QUEUED, recheck=True)
                )
        result = self._change_sent(first)
        result.changes_parked.extend(
            (task_id, Failure(_said(said))) for task_id, said in answer.failed.items()
        )
        return result

    def _change_delivered(self, sending: TaskChange) -> None:
        """Its sendable fields reached Toggl; the held ones, if any, wait for the user."""
        held = {k: v for k, v in sending.fields.items() if k in sending.held}
        if not held:
            self.changes.remove([sending.id])
            return
        self.changes.save(
            replace(
                sending,
                fields=held,
                base={k: v for k, v in sending.base.items() if k in held},
                sent={k: v for k, v in sending.sent.items() if k in held},
                state=ChangeState.QUEUED,
            )
        )

    def _change_sent(self, change: TaskChange) -> StepResult:
        self._went_online()
        self._retry.reset()
        return self._change_result(change)

    def _changes_refused(self, changes: list[TaskChange], error: TogglError) -> StepResult:
        """Toggl refused: each change parked with its words, as it was before the attempt."""
        failure = describe(error, "change the task")
        if isinstance(error, PaidFeatureError) and changes:
            self._cache.note_tasks_paid_only(changes[0].workspace_id)
        with self.changes.transaction():
            for change in changes:
                self.changes.save(replace(change, state=ChangeState.FAILED, reason=failure.text))
        self._went_online()
        result = StepResult(delay=self._remaining_pause())
        for change in changes:
            result.changed_projects.add((change.workspace_id, change.project_id))
            result.changes_parked.append((change.task_id, failure))
        return result

    def _changes_failed(
        self,
        first: TaskChange,
        originals: list[TaskChange],
        sending: list[TaskChange],
        error: TogglError,
    ) -> StepResult:
        """Keep the changes for later, or park them when Toggl refused them. One that may have
        arrived (a lost answer, a 5xx) keeps its values as possibly sent, checked first."""
        if isinstance(error, REFUSALS):
            return self._changes_refused(originals, error)
        maybe = isinstance(error, AmbiguousError | ServerError)
        with self.changes.transaction():
            for before, during in zip(originals, sending, strict=True):
                kept = during if maybe else before
                self.changes.save(
                    replace(kept, state=ChangeState.QUEUED, recheck=before.recheck or maybe)
                )
        result = self._change_result(first)
        result.delay = self._kept_for_later(error)
        failure = describe(error, "change the task")
        result.changes_deferred.extend((c.task_id, failure) for c in originals)
        return result


def _said(reason: str) -> str:
    text = reason.strip().rstrip(".")
    return f"Toggl refused this change: {text}."
