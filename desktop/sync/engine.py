"""The sync engine: one step at a time, at most one request per step, oldest task first.

The driver (a worker on a QThread) calls `step()` and calls again after `StepResult.delay`
seconds, or when woken (a new task, sign-in, the network back). Rules, from what broke the
former official Toggl desktop app:
- a network error stops the flush and keeps everything queued; a cheap probe (TCP, no quota)
  with backoff notices the network coming back;
- a 4xx other than 429 parks only that task as failed, with Toggl's message, and goes on;
- 429 and 5xx back off exponentially with jitter; a spent quota waits for its reset;
- 401/403 pauses until the user signs in again; nothing is lost;
- an ambiguous send (the request left, no answer came) is never blindly repeated: the project's
  tasks are listed first and a matching one is adopted.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

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
from desktop.store.outbox import Outbox, OutboxRow, OutboxState
from desktop.sync.backoff import Backoff
from desktop.sync.probe import can_connect
from desktop.sync.reconcile import find_delivered

SEND_INTERVAL = 1.0  # Toggl's leaky bucket: about one request a second is safe
VISIBILITY_DELAY = 5.0  # new tasks can take 2-5 s to show in Toggl's lists
QUOTA_MARGIN = 1.0
SLOW_ANSWER_GRACE = 15.0  # after a read timeout, as long as the timeout itself


class Connection(Enum):
    UNKNOWN = "unknown"
    ONLINE = "online"
    OFFLINE = "offline"


@dataclass(slots=True)
class SyncStatus:
    connection: Connection
    pending: int
    sign_in_needed: bool = False
    quota_until: float | None = None


@dataclass(slots=True)
class StepResult:
    delay: float | None = None
    """Seconds until the next step is due; None when there is nothing to do until woken."""
    created: list[tuple[OutboxRow, Task]] = field(default_factory=list)
    parked: list[tuple[OutboxRow, Failure]] = field(default_factory=list)
    deferred: list[tuple[OutboxRow, Failure]] = field(default_factory=list)
    changed_row_id: int | None = None
    """The outbox row whose state this step changed, for the view to update just that row."""


class SyncEngine:
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
        self._quota_until: float | None = None

    # --- what the driver and the UI learn --------------------------------------------------

    def status(self) -> SyncStatus:
        quota = (
            self._quota_until if self._quota_until and self._quota_until > self._clock() else None
        )
        return SyncStatus(
            connection=self.connection,
            pending=self._outbox.pending_count(),
            sign_in_needed=self.sign_in_needed,
            quota_until=quota,
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
        if row is None:
            return StepResult()
        if self.connection is Connection.OFFLINE and not self._probe(self._client.base_url):
            return StepResult(delay=self._offline_probe.next_delay())
        if row.state is OutboxState.UNCONFIRMED:
            return self._reconcile(row, now)
        return self._send(row)

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
        row = self._outbox.add(workspace_id, project_id, draft, project_label, sending=True)
        self._not_before = self._clock() + self._send_interval
        return row

    def send_claimed(self, row: OutboxRow) -> StepResult:
        """Send the row `claim_new` returned; the result reads like a step's."""
        return self._post(row)

    def _send(self, row: OutboxRow) -> StepResult:
        self._outbox.mark_sending(row.id)
        self._not_before = self._clock() + self._send_interval
        return self._post(row)

    def _post(self, row: OutboxRow) -> StepResult:
        """The request for a row marked as sending, and what its outcome does to the row."""
        try:
            task = self._client.create_task(row.workspace_id, row.project_id, row.draft)
        except AmbiguousError as error:
            self._outbox.mark_unconfirmed(row.id, error.message)
            return self._failed_attempt(row, error, delivered_maybe=True)
        except TogglError as error:
            return self._failed_attempt(row, error, delivered_maybe=False)
        return self._delivered(row, task)

    def _reconcile(self, row: OutboxRow, now: float) -> StepResult:
        """Look for the task on Toggl before sending it again."""
        wait = (row.last_attempt_at or 0.0) + self._visibility_delay - now
        if wait > 0:
            return StepResult(delay=wait)
        self._not_before = now + self._send_interval
        try:
            tasks = self._client.tasks(row.workspace_id, row.project_id)
        except AmbiguousError as error:
            return self._failed_attempt(row, error, delivered_maybe=True)
        except TogglError as error:
            return self._failed_attempt(row, error, delivered_maybe=True)
        self._went_online()
        self._cache.save_tasks(row.project_id, tasks)
        claimed = self._outbox.claimed_task_ids(row.project_id)
        found = find_delivered(row, tasks, claimed)
        if found is not None:
            return self._delivered(row, found)
        self._outbox.mark_queued(row.id)
        return StepResult(delay=self._remaining_pause(), changed_row_id=row.id)

    def _delivered(self, row: OutboxRow, task: Task) -> StepResult:
        with self._outbox.transaction():
            self._outbox.mark_done(row.id, task.id)
            self._cache.add_task(task)
        self._went_online()
        self._retry.reset()
        return StepResult(
            delay=self._remaining_pause(), created=[(row, task)], changed_row_id=row.id
        )

    def _failed_attempt(
        self, row: OutboxRow, error: TogglError, *, delivered_maybe: bool
    ) -> StepResult:
        """Keep the row (queued, or unconfirmed if it may have arrived) unless Toggl refused it."""
        failure = describe(error, "create the task")
        result = StepResult(changed_row_id=row.id)
        keep = OutboxState.UNCONFIRMED if delivered_maybe else OutboxState.QUEUED
        if keep is OutboxState.QUEUED:
            self._outbox.mark_queued(row.id, failure.text)
        if isinstance(error, NetworkError):
            self.connection = Connection.OFFLINE
            self._offline_probe.reset()
            self._not_before = self._clock()
            result.delay = self._offline_probe.next_delay()
        elif isinstance(error, TimedOutError):
            # Toggl is slow, not gone: give it as long again to finish before looking.
            self._not_before = self._clock() + SLOW_ANSWER_GRACE
            result.delay = SLOW_ANSWER_GRACE
        elif isinstance(error, AmbiguousError):
            # The line broke mid-request; treat as offline and check before sending again.
            self.connection = Connection.OFFLINE
            result.delay = self._visibility_delay
        elif isinstance(error, AuthenticationError):
            self.sign_in_needed = True
        elif isinstance(error, QuotaExceededError):
            self._went_online()
            self._wait_for_quota(error)
            result.delay = self._remaining_pause()
        elif isinstance(error, RateLimitedError | ServerError):
            self._went_online()
            pause = self._retry.next_delay()
            if isinstance(error, RateLimitedError) and error.retry_after is not None:
                pause = max(pause, error.retry_after)
            self._not_before = self._clock() + pause
            result.delay = pause
        else:  # Toggl refused this task (400, 403, 402 paid feature, 410): park it, go on.
            self._went_online()
            self._outbox.mark_failed(row.id, failure.text)
            result.parked.append((self._outbox.get(row.id), failure))
            result.delay = self._remaining_pause()
            return result
        result.deferred.append((self._outbox.get(row.id), failure))
        return result

    def _wait_for_quota(self, error: QuotaExceededError) -> None:
        self._quota_until = self._clock() + error.resets_in + QUOTA_MARGIN
        self._not_before = max(self._not_before, self._quota_until)

    def _went_online(self) -> None:
        self.connection = Connection.ONLINE
        self._offline_probe.reset()

    def _remaining_pause(self) -> float:
        return max(0.0, self._not_before - self._clock())
