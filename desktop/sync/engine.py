"""The sync engine: one step at a time, one request per step (a listing and the send for a
server that drops references), oldest task first. The driver calls `step()` again after
`StepResult.delay` seconds, or when woken (a new task, sign-in, the network back). Rules, from
what broke the former official Toggl desktop app:
- a network error stops the flush and keeps everything queued; a cheap probe (TCP, no quota)
  with backoff notices the network coming back;
- a refusal (400, a 403 that is not about the sign-in, 402 paid feature, 410) parks only that
  task, with Toggl's message, and goes on;
- 429, 5xx and anything unforeseen back off exponentially with jitter; a spent quota waits
  for its reset;
- a sign-in problem (401, or a 403 that `GET /me` shares: the client tells them apart) pauses
  everything until the user signs in again; nothing is parked for it;
- a send whose answer was lost is unconfirmed, and stays so through every failure until a
  listing of its project settles it (see `desktop.sync.reconcile`): never sent again blindly."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from desktop.api.client import TogglClient
from desktop.api.errors import (
    AmbiguousError,
    AuthenticationError,
    NetworkError,
    QuotaExceededError,
    RateLimitedError,
    ServerError,
    TimedOutError,
    TogglError,
)
from desktop.api.models import Task, TaskDraft
from desktop.messages import Failure, describe
from desktop.store.cache import Cache
from desktop.store.outbox import Outbox
from desktop.store.outbox_row import OutboxRow, OutboxState
from desktop.sync.backoff import Backoff
from desktop.sync.change_steps import REFUSALS, ChangeSteps
from desktop.sync.outcomes import Answered, Connection, StepResult, SyncStatus
from desktop.sync.probe import can_connect
from desktop.sync.reconcile import Verdict, settle

SEND_INTERVAL = 1.0  # Toggl's leaky bucket: about one request a second is safe
VISIBILITY_DELAY = 5.0  # new tasks can take 2-5 s to show in Toggl's lists
QUOTA_MARGIN = 1.0
SLOW_ANSWER_GRACE = 15.0  # after a read timeout, as long as the timeout itself
CHECK_REFUSED_WAIT = 15 * 60.0  # an unconfirmed row whose check Toggl refused waits this long


class SyncEngine(ChangeSteps):
    def __init__(
        self,
        outbox: Outbox,
        client: TogglClient,
        cache: Cache,
        *,
        clock: Callable[[], float] = time.time,
        rng: Callable[[], float] = random.random,
        probe: Callable[[str], bool] = can_connect,
        send_interval: float = SEND_INTERVAL,
        visibility_delay: float = VISIBILITY_DELAY,
    ) -> None:
        self._outbox = outbox
        self._client = client
        self._cache = cache
        self._clock = clock
        self._probe = probe
        self._send_interval = send_interval
        self._visibility_delay = visibility_delay
        self._retry = Backoff(base=1.0, cap=60.0, rng=rng)
        self._offline_probe = Backoff(base=1.0, cap=15.0, rng=rng)
        self.connection = Connection.UNKNOWN
        self.sign_in_needed = False
        self._not_before = 0.0  # pacing, backoff and quota waits, in clock time
        self._paced_until = 0.0  # pacing alone
        self._quota_until: float | None = None

    # --- what the driver and the UI learn --------------------------------------------------

    def status(self) -> SyncStatus:
        until, changes = self._quota_until, self.changes.pending_count()
        return SyncStatus(
            connection=self.connection,
            pending=self._outbox.pending_count() + changes,
            sign_in_needed=self.sign_in_needed,
            quota_until=until if until and until > self._clock() else None,
            changes_pending=changes,
        )

    def seconds_until_next_attempt(self) -> float:
        """Pacing, backoff or quota wait still to run before the next request may leave."""
        return self._remaining_pause()

    # --- events from outside ----------------------------------------------------------------

    def resume(self) -> None:
        """Signed in again, or the platform says the network is back: try now."""
        self.sign_in_needed = False
        if self.connection is Connection.OFFLINE:
            self._offline_probe.reset()
            self._not_before = min(self._not_before, self._clock())

    def observe(self, error: TogglError | None) -> None:
        """Learn from a request made elsewhere (list loading) on the same client."""
        if error is None:
            self._went_online()
        elif isinstance(error, NetworkError):
            self.connection = Connection.OFFLINE
        elif isinstance(error, AuthenticationError):
            self.sign_in_needed = True
        elif isinstance(error, QuotaExceededError):
            self._wait_for_quota(error)

    # --- the step ----------------------------------------------------------------------------

    def step(self) -> StepResult:
        now = self._clock()
        if self.sign_in_needed:
            return StepResult()
        if now < self._not_before:
            return StepResult(delay=self._not_before - now)
        row = self._outbox.next_pending()
        if row is None:  # new tasks first, then changes to tasks in Toggl
            return self._change_step()
        if self.connection is Connection.OFFLINE and not self._probe(self._client.base_url):
            return StepResult(delay=self._offline_probe.next_delay())
        with self._unforeseen_kept_safe():
            if row.state is OutboxState.UNCONFIRMED:
                return self._reconcile(row, now)
            if self._needs_known_tasks(row):
                return self._take_known_tasks(row)
            return self._send(row)

    def send_now(self) -> None:
        """The user asked: skip a backoff wait (never a quota wait, nor the one-a-second pace)."""
        self._retry.reset()
        if self._quota_until is None or self._quota_until <= self._clock():
            self._not_before = min(self._not_before, self._paced_until)

    def claim_new(
        self, workspace_id: int, project_id: int, draft: TaskDraft, project_label: str
    ) -> OutboxRow | None:
        """A task just submitted that can leave at once (signed in, not known to be offline, no
        wait due, nothing queued before it): saved already marked as sending, one durable write
        before the request instead of two; `send_claimed` sends it next. None when it would
        have to wait: queue it with `Outbox.add` and `step()` sends it in turn."""
        if (
            self.sign_in_needed
            or self.connection is Connection.OFFLINE
            or self._remaining_pause() > 0
            or self._outbox.next_pending() is not None
        ):
            return None
        if self._references_dropped():
            return None  # the step lists the project's tasks right before sending it
        row = self._outbox.add(workspace_id, project_id, draft, project_label, sending=True)
        self._pace()
        return row

    def send_claimed(self, row: OutboxRow, answered: Answered | None = None) -> StepResult:
        """Send the row `claim_new` returned (`answered`: see outcomes); reads like a step."""
        with self._unforeseen_kept_safe():
            return self._post(row, answered)

    @contextmanager
    def _unforeseen_kept_safe(self) -> Iterator[None]:
        """A bug or an answer nothing foresaw must not leave a row `sending` for the rest of
        the session (only a restart would look at it again): whatever was being sent becomes
        unconfirmed, to be settled by a listing, the next step waits like after a server
        error, and the exception goes on to the driver, which logs it and says so."""
        try:
            yield
        except Exception:
            self._outbox.recover_interrupted()
            self._not_before = self._clock() + self._retry.next_delay()
            raise

    # --- the tasks known before a first attempt (for a server that drops references) ------

    def _references_dropped(self) -> bool:
        return self._cache.serves_references(self._client.base_url) is False

    def _needs_known_tasks(self, row: OutboxRow) -> bool:
        return row.known_task_ids is None and self._references_dropped()

    def _take_known_tasks(self, row: OutboxRow) -> StepResult:
        """List the project's tasks and send the row at once, in the same step: what existed
        right before its first attempt is recorded, and a task made by someone else after a
        cached list was taken can never pass for it. Two requests back to back: Toggl's
        leaky bucket takes a pair; only a server that drops references costs the second."""
        self._pace()
        try:
            tasks = self._client.tasks(row.workspace_id, row.project_id)
        except TogglError as error:
            return self._failed_attempt(row, error, sent=False)
        self._went_online()
        self._saw_tasks(row.project_id, tasks)
        self._outbox.set_known_task_ids(row.id, frozenset(task.id for task in tasks))
        if not self._references_dropped():  # the listing showed references after all
            return StepResult(delay=self._remaining_pause())
        return self._send(self._outbox.get(row.id))

    # --- sending -------------------------------------------------------------------------

    def _send(self, row: OutboxRow) -> StepResult:
        row = self._outbox.sending(row)
        self._pace()
        return self._post(row)

    def _post(self, row: OutboxRow, answered: Answered | None = None) -> StepResult:
        """The request for a row marked as sending, and what its outcome does to the row."""
        try:
            task = self._client.create_task(row.workspace_id, row.project_id, row.draft)
        except (AmbiguousError, ServerError) as error:  # a proxy's 5xx may follow the store
            self._outbox.mark_unconfirmed(row.id, error.message)
            return self._failed_attempt(row, error, sent=True)
        except TogglError as error:
            return self._failed_attempt(row, error, sent=False)
        self._cache.note_references(self._client.base_url, task.references_served)
        if task.references_served and task.external_reference != row.external_reference:
            # An answer about another task (the client refuses one for another project
            # itself): it settles nothing, a listing will.
            stray = AmbiguousError("Toggl's answer was about a different task.")
            self._outbox.mark_unconfirmed(row.id, stray.message)
            return self._failed_attempt(row, stray, sent=True)
        if answered is not None:
            answered(row, task)
        return self._delivered(row, task)

    def _reconcile(self, row: OutboxRow, now: float) -> StepResult:
        """Settle an unconfirmed send from a listing of its project's tasks before anything
        else is done with it; whatever fails, it stays unconfirmed."""
        wait = (row.last_attempt_at or 0.0) + self._visibility_delay - now
        if wait > 0:
            return StepResult(delay=wait)
        self._pace()
        try:
            tasks = self._client.tasks(row.workspace_id, row.project_id)
        except REFUSALS as error:
            # Toggl will not list this project (access removed, plan changed...): this row
            # waits, says why, and is checked again later; the rest go on.
            failure = describe(error, "check whether the task reached Toggl")
            self._outbox.postpone_check(row.id, failure.text, CHECK_REFUSED_WAIT)
            self._went_online()
            result = StepResult(delay=self._remaining_pause(), changed_row_id=row.id)
            result.deferred.append((self._outbox.get(row.id), failure))
            return result
        except TogglError as error:
            return self._failed_attempt(row, error, sent=True)
        self._went_online()
        self._saw_tasks(row.project_id, tasks)
        settled = settle(row, tasks, self._outbox.claimed_task_ids(row.project_id))
        if settled.verdict is Verdict.FOUND:
            assert settled.task is not None
            return self._delivered(row, settled.task)
        if settled.verdict is Verdict.ABSENT:
            self._outbox.mark_queued(row.id)
            return StepResult(delay=self._remaining_pause(), changed_row_id=row.id)
        failure = Failure(
            "Task Desk could not tell whether this task reached Toggl: its answer was lost "
            "and Toggl's list of tasks does not say. Check the project in Toggl, then "
            "discard the task here if it is there, or retry it."
        )
        self._outbox.mark_failed(row.id, failure.text, maybe_sent=True)
        result = StepResult(delay=self._remaining_pause(), changed_row_id=row.id)
        result.parked.append((self._outbox.get(row.id), failure))
        return result

    def _saw_tasks(self, project_id: int, tasks: list[Task]) -> None:
        self._cache.save_tasks(project_id, tasks)
        if tasks:
            served = any(task.references_served for task in tasks)
            self._cache.note_references(self._client.base_url, served)

    def _delivered(self, row: OutboxRow, task: Task) -> StepResult:
        with self._outbox.transaction():
            done = self._outbox.done(row, task.id)
            self._cache.add_task(task)
        self._went_online()
        self._retry.reset()
        return StepResult(self._remaining_pause(), [(row, task)], changed_row=done)

    def _failed_attempt(self, row: OutboxRow, error: TogglError, *, sent: bool) -> StepResult:
        """Keep the row — queued, or unconfirmed if a request for it may have arrived
        (`sent`) — unless Toggl refused to create it."""
        failure = describe(error, "create the task")
        result = StepResult(changed_row_id=row.id)
        if not sent and not isinstance(error, REFUSALS):
            self._outbox.mark_queued(row.id, failure.text)
        if isinstance(error, REFUSALS) and not sent:  # park it for the user, go on
            self._went_online()
            self._outbox.mark_failed(row.id, failure.text)
            result.parked.append((self._outbox.get(row.id), failure))
            result.delay = self._remaining_pause()
            return result
        result.delay = self._kept_for_later(error)
        result.deferred.append((self._outbox.get(row.id), failure))
        return result

    def _kept_for_later(self, error: TogglError) -> float | None:
        """What a failure that keeps its request queued does to the engine (offline, a
        backoff, a quota wait, a sign-in...); returns the next step's delay."""
        if isinstance(error, NetworkError):
            self.connection = Connection.OFFLINE
            self._offline_probe.reset()
            self._not_before = self._clock()
            return self._offline_probe.next_delay()
        if isinstance(error, TimedOutError):
            # Toggl is slow, not gone: give it as long again to finish before looking.
            self._not_before = self._clock() + SLOW_ANSWER_GRACE
            return SLOW_ANSWER_GRACE
        if isinstance(error, AmbiguousError):
            # The line broke mid-request; treat as offline and check before sending again.
            self.connection = Connection.OFFLINE
            return self._visibility_delay
        if isinstance(error, AuthenticationError):
            self.sign_in_needed = True
            return None
        if isinstance(error, QuotaExceededError):
            self._went_online()
            self._wait_for_quota(error)
            return self._remaining_pause()
        # 429, 5xx, and anything unforeseen: keep it, back off, try again
        if isinstance(error, RateLimitedError | ServerError):
            self._went_online()
        pause = self._retry.next_delay()
        if isinstance(error, RateLimitedError) and error.retry_after is not None:
            pause = max(pause, error.retry_after)
        self._not_before = self._clock() + pause
        return pause

    def _wait_for_quota(self, error: QuotaExceededError) -> None:
        self._quota_until = self._clock() + error.resets_in + QUOTA_MARGIN
        self._not_before = max(self._not_before, self._quota_until)

    def _pace(self) -> None:
        """A request leaves now: the next waits for the one-a-second pace."""
        self._paced_until = self._clock() + self._send_interval
        self._not_before = max(self._not_before, self._paced_until)

    def _went_online(self) -> None:
        if self.connection is Connection.OFFLINE:
            self.changes.recheck_all()  # they waited through an offline spell: list first
        self.connection = Connection.ONLINE
        self._offline_probe.reset()

    def _remaining_pause(self) -> float:
        return max(0.0, self._not_before - self._clock())
