"""The one loop that drives the sync engine: the command line's `sync`, `add` and `outbox
retry`, and the tests' rig (the window's timer can drive `step()` the same way).

`step()` runs one engine step, records what became of each row it touched, and returns when
the next step is due; `run()` repeats it, sleeping in between, until there is a reason to
stop. The clock and the sleep are injected, so a test moves time instead of waiting.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

from desktop.api.models import Task
from desktop.messages import Failure
from desktop.sync.engine import SyncEngine
from desktop.sync.outcomes import StepResult


class Stop(Enum):
    """Why `Drain.run` returned."""

    DONE = "done"
    """Nothing left to send until woken (a new task, a sign-in)."""
    SETTLED = "settled"
    """The watched row was created or refused, or `until` came true."""
    WAITING = "waiting"
    """Tasks wait: a step deferred one (with `stop_when_deferred`), nothing can leave until
    woken, or the next step is further away than `longest_wait`."""
    SIGN_IN = "sign_in"
    """Toggl no longer accepts the token: nothing leaves until the user signs in again."""
    DEADLINE = "deadline"
    """`limit` seconds ran out, or `steps` steps were taken."""


@dataclass(slots=True)
class Outcomes:
    """What became of each row the steps touched, by outbox id; a row is in one dict only,
    the one its latest outcome says."""

    created: dict[int, Task] = field(default_factory=dict)
    parked: dict[int, Failure] = field(default_factory=dict)
    """Refused by Toggl (or not to be settled by a listing): waiting for the user."""
    deferred: dict[int, Failure] = field(default_factory=dict)
    """Kept in the outbox, to be tried again: offline, a server error, the quota..."""
    changes_parked: dict[int, Failure] = field(default_factory=dict)
    """Changes to tasks in Toggl that Toggl refused, by task id (not outbox id)."""

    def settled(self, row_id: int) -> bool:
        return row_id in self.created or row_id in self.parked


class Drain:
    def __init__(
        self,
        engine: SyncEngine,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._engine = engine
        self._clock = clock
        self._sleep = sleep
        self.outcomes = Outcomes()
        self.last: StepResult | None = None
        """The latest step's result, for a driver that reports each step (the window)."""

    def step(self) -> float | None:
        """One engine step; returns the seconds until the next is due, or None when nothing
        is to be done until woken. An unexpected exception from the engine goes to the
        caller (the engine has already kept the outbox safe)."""
        return self.record(self._engine.step())

    def record(self, result: StepResult) -> float | None:
        """Take in a result the engine gave elsewhere (such as `send_claimed`), as `step()`
        does its own."""
        self.last = result
        outcomes = self.outcomes
        for row, task in result.created:
            outcomes.parked.pop(row.id, None)
            outcomes.deferred.pop(row.id, None)
            outcomes.created[row.id] = task
        for row, failure in result.parked:
            outcomes.deferred.pop(row.id, None)
            outcomes.parked[row.id] = failure
        for row, failure in result.deferred:
            outcomes.parked.pop(row.id, None)
            outcomes.deferred[row.id] = failure
        outcomes.changes_parked.update(result.changes_parked)
        return result.delay

    def forget(self) -> Outcomes:
        """The outcomes so far, and a fresh record: a driver that lives as long as the app
        (the window) takes them once reported, so they do not pile up."""
        taken, self.outcomes = self.outcomes, Outcomes()
        return taken

    def run(
        self,
        *,
        until_settled: int | None = None,
        until: Callable[[], bool] | None = None,
        limit: float | None = None,
        steps: int | None = None,
        longest_wait: float | None = None,
        stop_when_deferred: bool = False,
    ) -> Stop:
        """Step and sleep until one of: the row `until_settled` was created or refused, or
        `until()` holds (SETTLED); Toggl wants a new sign-in (SIGN_IN); nothing is left to do
        (DONE) or tasks wait for something a wait cannot bring (WAITING); a step deferred a
        row and `stop_when_deferred` (WAITING); the next step is more than `longest_wait`
        seconds away (WAITING); the next step would come after `limit` seconds from now, or
        `steps` steps were taken (DEADLINE). Never sleeps past `limit`; without `limit` or
        `steps` it waits out an offline spell for as long as it lasts."""
        deadline = None if limit is None else self._clock() + limit
        taken = 0
        while steps is None or taken < steps:
            result = self._engine.step()
            delay = self.record(result)
            taken += 1
            if (until_settled is not None and self.outcomes.settled(until_settled)) or (
                until is not None and until()
            ):
                return Stop.SETTLED
            if self._engine.sign_in_needed:
                return Stop.SIGN_IN
            if delay is None:
                return Stop.WAITING if self._engine.status().pending else Stop.DONE
            if stop_when_deferred and (result.deferred or result.changes_deferred):
                return Stop.WAITING
            if longest_wait is not None and delay > longest_wait:
                return Stop.WAITING
            if deadline is not None and self._clock() + delay >= deadline:
                return Stop.DEADLINE
            self._sleep(delay)
        return Stop.DEADLINE
