"""Exactly once, against a model of Toggl: a hypothesis stateful test of the session and engine.

A `RuleBasedStateMachine` drives the real backend — `Session` on a real SQLite data folder, its
`submit`, `claim`, `retry`, `requeue_edited`, `discard`, the outbox controls' "Send now" and
their discard of a row as the user saw it, a project's task list refreshed (F5) and changes to
its tasks (done, reopen, rename, estimate, delete; one task or all of a project's at once, a
bulk PATCH), `engine.step()` — against
`tests.toggl_model.TogglModel` served over real HTTP on 127.0.0.1, while the rules lose answers
before and after Toggl stored the task, answer 5xx, 402 and 429 with odd headers, refuse tasks,
revoke and restore the token, take the network away, let someone else create, edit and rename
tasks with the same names, advance the clock, and restart or kill the app, also in the middle of
a request. After each example the world heals: the network comes back, the engine drains into
the faults, kills and revoked token still planned (the user signs in again when asked), then
drains again with faults off, the clock moved by whatever the engine asks. Then every queued
task must be in Toggl exactly once (its own POST, known by the `external_reference` in the
body, made it, and no other did), or parked with the reason Toggl gave for refusing it; every
change the user asked of a task in Toggl is there (or overtaken by someone else's later edit of
that field), conflicts and refused changes settled by a user who keeps theirs, and the app's
PUTs, PATCHes and DELETEs carried only fields the user touched, each applied once per thing the
user asked, never again after a lost answer or a kill. A row
parked because nothing could tell whether it arrived (a server that drops `external_reference`)
is settled by a user who does what its message says: looks in Toggl, then discards or retries
it. After every rule: no row lost, none left 'sending', none parked for a sign-in problem, no
row in Toggl twice, no row marked delivered as a task its own POST did not make.

Real HTTP rather than `httpx.MockTransport`: a request costs about 1.3 ms here against 0.5 ms,
and a step's SQLite writes cost more than either, so the real socket (a dropped connection is
what the client really sees) is cheap enough for 200 examples in `make test`. A thin transport
wraps the real one only for what a server cannot do to a client: the network gone (connect
refused: nothing was sent) and the app killed in the middle of a request (`AppKilled`, a
BaseException no layer catches, leaves the row 'sending' exactly as a SIGKILL would).

Nothing sleeps: one clock the test moves serves the engine (with its real pacing and its wait
before checking a lost answer, which leave room for other rules in between), the outbox and the
cache (their waits and freshness), the client's quota block and the model's `at`.
`TASK_DESK_HYPOTHESIS_EXAMPLES` sets the number of examples (200 by default, 2,000 in
`make reliability`); in CI (`CI=true`) the examples are derandomized, so a run there is
repeatable; elsewhere each run draws new ones.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import ssl
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import httpx
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

import desktop.api.client as client_module
from desktop.api.auth import ApiToken
from desktop.api.client import TogglClient
from desktop.api.errors import PaidFeatureError, TogglError
from desktop.api.models import TaskChanges, TaskDraft
from desktop.session import Session
from desktop.session_controls import OutboxControls
from desktop.store.outbox_row import PENDING, OutboxRow, OutboxState
from desktop.store.task_changes import ChangeState
from desktop.sync.engine import SyncEngine
from tests.reliability import record
from tests.toggl_model import (
    AUTH_REFUSED,
    NO_ACCESS,
    PAID_ONLY,
    QUOTA_SPENT,
    REFUSALS,
    Fault,
    FaultKind,
    ModelServer,
    ModelTask,
    Target,
    TogglModel,
    answer,
    drop,
)

T = TypeVar("T")

EXAMPLES = int(os.environ.get("TASK_DESK_HYPOTHESIS_EXAMPLES", "200"))
SETTINGS = settings(
    max_examples=EXAMPLES,
    stateful_step_count=30,
    deadline=None,
    database=None,
    derandomize=os.environ.get("CI") == "true",
    suppress_health_check=[HealthCheck.too_slow],
    report_multiple_bugs=False,
)

TOKEN = "model-token"
WORKSPACE = TogglModel.WORKSPACE_ID
PROJECTS = sorted(TogglModel.PROJECTS)
NAMES = ("Code review", "Write report", "Deploy", "bad idea")
"""Few names, so that the app's tasks, older tasks and other people's tasks share them."""
GOOD_NAMES = NAMES[:-1]
ESTIMATES = (None, 1800)
SOMEONE_ELSES_ESTIMATE = 777
"""An estimate the app never sends: see `someone_else`."""
HEAL_STEPS = 300
LONGEST_WAIT = 2 * 3600.0
"""Any wait the engine asks for once the world is healed must be shorter (a quota resets
within the hour; Retry-After and quota headers beyond that are absurd)."""

FAULTS = (
    answer(500, "Internal Server Error"),
    answer(502, None),
    answer(503, "Service Unavailable", Retry_After="3"),
    answer(403, NO_ACCESS),
    answer(402, PAID_ONLY, X_Toggl_Quota_Remaining="120", X_Toggl_Quota_Resets_In="3000"),
    answer(402, QUOTA_SPENT.format(30), X_Toggl_Quota_Remaining="0", X_Toggl_Quota_Resets_In="30"),
    answer(402, QUOTA_SPENT.format(5), X_Toggl_Quota_Remaining="-1"),
    answer(402, "Quota spent", X_Toggl_Quota_Remaining="0.0", X_Toggl_Quota_Resets_In="soon"),
    answer(402, QUOTA_SPENT.format(0), X_Toggl_Quota_Resets_In="-5"),
    answer(
        402, QUOTA_SPENT.format(12), X_Toggl_Quota_Remaining="0", X_Toggl_Quota_Resets_In="1e20"
    ),
    answer(402, QUOTA_SPENT.format(12), X_Toggl_Quota_Remaining="inf"),
    answer(429, "Too Many Requests"),
    answer(429, None, Retry_After="0"),
    answer(429, None, Retry_After="-3"),
    answer(429, None, Retry_After="1.5"),
    answer(429, None, Retry_After="soon"),
    answer(429, None, Retry_After="Wed, 21 Oct 2015 07:28:00 GMT"),
    answer(429, None, Retry_After="1e12"),
    answer(429, None, Retry_After="inf"),
    answer(429, None, Retry_After="nan"),
)


class AppKilled(BaseException):
    """The app died mid-request: no layer of the app may catch this."""


class Clock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


class ClockedTime:
    """The client module's `time`, whose `time()` reads the test's clock (its quota block)."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock

    def time(self) -> float:
        return self._clock()

    def __getattr__(self, name: str) -> Any:
        return getattr(time, name)


class Network:
    """What lies between the app and the model: up or down, and a kill planned mid-request."""

    def __init__(self) -> None:
        self.down = False
        self.kill: tuple[str, Target] | None = None
        """The app dies 'before' the targeted request leaves, or 'after' its answer arrived."""

    def probe(self, url: str) -> bool:
        return not self.down


_TLS = ssl.create_default_context()


class NetworkTransport(httpx.BaseTransport):
    def __init__(self, network: Network) -> None:
        self._network = network
        self._inner = httpx.HTTPTransport(verify=_TLS)  # plain HTTP: built once, never used

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if self._network.down:
            raise httpx.ConnectError("the network is down (test)", request=request)
        kill = self._network.kill
        if kill is not None and kill[1].matches(request.method, request.url.path):
            self._network.kill = None
        else:
            kill = None
        if kill and kill[0] == "before":
            raise AppKilled
        response = self._inner.handle_request(request)
        if kill and kill[0] == "after":
            response.read()
            response.close()
            raise AppKilled
        return response

    def close(self) -> None:
        self._inner.close()


@dataclass
class Tally:
    """What the examples did, for docs/reliability.md (the outcomes of the examples that ran to
    their final check; hypothesis also starts some that it abandons)."""

    examples: int = 0
    steps: int = 0
    engine_steps: int = 0
    faults: int = 0
    revocations: int = 0
    outages: int = 0
    kills: int = 0
    restarts: int = 0
    edits_by_others: int = 0
    task_changes: int = 0
    queued: int = 0
    delivered: int = 0
    parked: int = 0
    settled_by_user: int = 0
    discarded: int = 0
    lost: int = 0
    duplicated: int = 0


class ExactlyOnce(RuleBasedStateMachine):
    server: ClassVar[ModelServer]
    clock: ClassVar[Clock]
    tally: ClassVar[Tally]

    def __init__(self) -> None:
        super().__init__()
        self.clock.now = time.time()
        self.model = self.server.model = TogglModel(token=TOKEN, now=self.clock)
        self.network = Network()
        self.data_dir = Path(tempfile.mkdtemp(prefix="taskdesk-stateful-")) / "data"
        self.data_dir.mkdir(mode=0o700)
        self.sessions: list[Session] = []
        self.session = self._start()
        self.rows: dict[int, str] = {}
        """Every row the user queued and kept: id -> reference."""
        self.discarded: dict[int, OutboxRow] = {}
        """Rows the user discarded, as they were then."""
        self.asked: dict[int, dict[str, object]] = {}
        """Changes the user queued to tasks in Toggl: task id -> field -> their latest value
        (a value the app last saw in Toggl anyway is no change)."""
        self.touched: dict[int, set[str]] = {}
        """Every field the user ever set on each task."""
        self.overtaken: dict[int, dict[str, set[object]]] = {}
        """Values someone else gave a field after the user's latest change to it: the user's
        change may have reached Toggl before theirs (then theirs stays)."""
        self.deleted: set[int] = set()
        """Tasks the user deleted."""
        self.asks: Counter[int] = Counter()
        """How often the user asked something of each task (a change, keeping theirs)."""

    def _start(self) -> Session:
        session = Session(self.server.url, self.data_dir)
        # Session takes no clock: its store's waits and freshness must read the test's clock.
        session.outbox._clock = self.clock
        session.cache._clock = self.clock
        client = TogglClient(
            self.server.url, ApiToken(TOKEN), transport=NetworkTransport(self.network)
        )
        session.__dict__["client"] = client
        session.__dict__["engine"] = SyncEngine(
            session.outbox,
            client,
            session.cache,
            clock=self.clock,
            rng=lambda: 0.5,
            probe=self.network.probe,
        )
        self.sessions.append(session)
        return session

    def _app(self, call: Callable[[], T]) -> T | None:
        """Run app code; when the app is killed mid-request, start it again (rows left
        'sending' are for its start to recover)."""
        try:
            return call()
        except AppKilled:
            self.tally.kills += 1
            self.session = self._start()  # the killed one is closed only at the end
            return None

    # --- the world ------------------------------------------------------------------------------

    @initialize(
        echo=st.booleans(),
        older=st.lists(st.tuples(st.sampled_from(PROJECTS), st.sampled_from(NAMES)), max_size=4),
    )
    def toggl(self, echo: bool, older: list[tuple[int, str]]) -> None:
        """A server that echoes external references or drops them; tasks made long ago."""
        self.model.echo_references = echo
        for project, name in older:
            self.model.someone_creates(project, name, at=self.clock() - 86400)

    # --- the user -----------------------------------------------------------------------------

    @rule(
        name=st.sampled_from(NAMES),
        project=st.sampled_from(PROJECTS),
        estimate=st.sampled_from(ESTIMATES),
        at_once=st.booleans(),
    )
    def submit(self, name: str, project: int, estimate: int | None, at_once: bool) -> None:
        """Queue a task, or (`at_once`) send it at once when it can leave, as the window does."""
        draft = TaskDraft(name, estimated_seconds=estimate)
        label = TogglModel.PROJECTS[project]
        self.tally.steps += 1
        if at_once:
            claimed = self.session.claim(WORKSPACE, project, draft, label)
            if claimed is not None:
                self._keep(claimed)
                self._app(lambda: self.session.engine.send_claimed(claimed))
                return
        self._keep(self.session.submit(WORKSPACE, project, draft, label))

    def _keep(self, row: OutboxRow) -> None:
        assert row.external_reference, row
        self.rows[row.id] = row.external_reference

    @rule(data=st.data(), action=st.sampled_from(["retry", "edit", "discard"]))
    def user_handles_a_row(self, data: st.DataObject, action: str) -> None:
        """A parked row retried as it is, or discarded; a parked or waiting row edited (a name
        Toggl takes); a row that may already be in Toggl as its message says (`settle_by_hand`)."""
        states = (
            (OutboxState.FAILED, OutboxState.QUEUED) if action == "edit" else (OutboxState.FAILED,)
        )
        rows = [r for r in self.session.outbox.waiting() if r.state in states]
        if not rows:
            return
        self.tally.steps += 1
        row = data.draw(st.sampled_from(rows), label="row")
        if row.maybe_sent:
            self.settle_by_hand(row)
        elif action == "retry":
            self.session.retry(row.id)
        elif action == "edit":
            name = data.draw(st.sampled_from(GOOD_NAMES), label="name")
            draft = TaskDraft(name, estimated_seconds=row.draft.estimated_seconds)
            self.session.requeue_edited(row.id, WORKSPACE, row.project_id, draft, row.project_label)
        else:
            self.discard(row)

    def settle_by_hand(self, row: OutboxRow) -> None:
        """'Check the project in Toggl, then discard the task here if it is there, or retry
        it': the user looks (the model knows which POST made which task)."""
        self.tally.settled_by_user += 1
        if self._tasks_of(row.id):
            self.discard(row)
        else:
            self.session.retry(row.id)

    def discard(self, row: OutboxRow) -> None:
        assert self.session.discard(row.id), row
        del self.rows[row.id]
        self.discarded[row.id] = row

    @rule(data=st.data(), steps_between=st.integers(0, 2), lost=st.booleans())
    def user_discards_a_waiting_row_as_seen(
        self, data: st.DataObject, steps_between: int, lost: bool
    ) -> None:
        """The window asks about a waiting row ("not sent to Toggl yet") and the user confirms
        after the drain took `steps_between` steps (`lost`: the next POST's answer is lost after
        Toggl stored it): the row goes only if it is still never sent (then it must never reach
        Toggl), else it stays, with a sentence."""
        rows = [r for r in self.session.outbox.waiting() if r.state is OutboxState.QUEUED]
        if not rows:
            return
        self.tally.steps += 1
        seen = data.draw(st.sampled_from(rows), label="seen")
        if lost and steps_between:
            self.tally.faults += 1
            self.model.inject(drop(FaultKind.DROP_AFTER_STORE), Target.POST)
        for _ in range(steps_between):
            self._app(self.session.engine.step)
        done = OutboxControls(self.session).discard(seen)
        if done.gone:
            del self.rows[seen.id]
            self.discarded[seen.id] = seen  # never sent, as the user was told
        else:
            assert done.why_kept, seen

    @rule(project=st.sampled_from(PROJECTS))
    def user_opens_a_project(self, project: int) -> None:
        """The window shows a project's tasks and the user presses F5."""
        self.tally.steps += 1
        with contextlib.suppress(TogglError):
            self._app(lambda: self.session.refresh_tasks(WORKSPACE, project, forced=True))

    @rule(
        data=st.data(),
        field=st.sampled_from(["name", "active", "estimated_seconds", "delete"]),
        many=st.booleans(),
    )
    def user_changes_tasks(self, data: st.DataObject, field: str, many: bool) -> None:
        """Mark done or reopen, rename, estimate or delete a cached task, or (`many`) every
        cached task of its project at once (alike changes: a bulk PATCH)."""
        cached = [
            task
            for project in PROJECTS
            for task in self.session.cache.tasks(project)
            if task.id not in self.deleted
        ]
        if not cached:
            return
        self.tally.steps += 1
        task = data.draw(st.sampled_from(cached), label="task")
        chosen = [t.id for t in cached if t.project_id == task.project_id] if many else [task.id]
        values: dict[str, list[object]] = {
            "name": list(GOOD_NAMES),
            "active": [True, False],
            "estimated_seconds": [0, 1800, 3600],
        }
        try:
            if field == "delete":
                self.session.delete_tasks(WORKSPACE, task.project_id, chosen)
                self.deleted.update(chosen)
            else:
                value = data.draw(st.sampled_from(values[field]), label="value")
                changes = TaskChanges(**{field: value})  # type: ignore[arg-type]
                self.session.change_tasks(WORKSPACE, task.project_id, chosen, changes)
                for task_id in chosen:
                    self.touched.setdefault(task_id, set()).add(field)
                    self.overtaken.setdefault(task_id, {}).pop(field, None)
                    waiting = self.session.task_changes.get(task_id)
                    if waiting is not None and field in waiting.fields:
                        self.asked.setdefault(task_id, {})[field] = value
                    else:  # what the app last saw in Toggl: nothing to change
                        self.asked.get(task_id, {}).pop(field, None)
        except PaidFeatureError:
            return  # a 402 for tasks came: the window says tasks need a paid plan
        self.tally.task_changes += len(chosen)
        self.asks.update(chosen)

    @rule()
    def user_sends_now(self) -> None:
        """ "Send now": a backoff is skipped, never a quota wait, never a listing's check."""
        self.tally.steps += 1
        OutboxControls(self.session).send_now()

    @rule(times=st.integers(1, 4), follow=st.booleans())
    def step(self, times: int, follow: bool) -> None:
        """Step the engine, moving the clock by each delay it asks for when `follow`."""
        self.tally.steps += 1
        for _ in range(times):
            result = self._app(self.session.engine.step)
            self.tally.engine_steps += 1
            if result is None or result.delay is None:
                return
            if follow and result.delay <= LONGEST_WAIT:
                self.clock.now += result.delay

    @rule(seconds=st.sampled_from([0.5, 1.0, 5.0, 30.0, 120.0, 1000.0, 3700.0]))
    def advance(self, seconds: float) -> None:
        self.tally.steps += 1
        self.clock.now += seconds

    @rule(event=st.sampled_from(["restart", "kill", "refresh lists"]))
    def app_event(self, event: str) -> None:
        """The app quits and starts again, is killed between steps (its store is opened
        again by the next start), or loads lists on the same client (F5)."""
        self.tally.steps += 1
        if event == "restart":
            self.restart()
        elif event == "kill":
            self.tally.kills += 1
            self.session = self._start()
        else:
            with contextlib.suppress(TogglError):
                self._app(lambda: self.session.workspace_lists(WORKSPACE, force=True))

    def restart(self) -> None:
        self.tally.restarts += 1
        self.session.close()
        self.sessions.remove(self.session)
        self.session = self._start()

    # --- Toggl and the network ------------------------------------------------------------------

    @rule(fault=st.sampled_from(FAULTS), waits_for=st.sampled_from(Target))
    def fault(self, fault: Fault, waits_for: Target) -> None:
        """An answer instead of Toggl's, for a request to come (see `Target`)."""
        self.tally.steps += 1
        self.tally.faults += 1
        self.model.inject(fault, waits_for)

    @rule(
        when=st.sampled_from(["before", "after"]),
        kill=st.booleans(),
        waits_for=st.sampled_from(Target),
    )
    def lose_answer(self, when: str, kill: bool, waits_for: Target) -> None:
        """The answer to a request to come is lost: the connection drops before Toggl stores
        anything or after it did; or (`kill`) the app dies while that request leaves or just
        as its answer arrives."""
        self.tally.steps += 1
        if kill:  # counted as a kill when it happens
            self.network.kill = (when, waits_for)
        else:
            self.tally.faults += 1
            kind = FaultKind.DROP_BEFORE_STORE if when == "before" else FaultKind.DROP_AFTER_STORE
            self.model.inject(drop(kind), waits_for)

    @rule(event=st.sampled_from(["revoke", "sign in again", "network down", "network back"]))
    def world_event(self, event: str) -> None:
        """The token reset on Toggl's website, the user signing in again (the sign-in path
        tells the engine), the network gone or back (the platform tells the engine)."""
        self.tally.steps += 1
        if event == "revoke":
            self.revoke()
        elif event == "sign in again":
            self.sign_in_again()
        elif event == "network down":
            self.tally.outages += 1
            self.network.down = True
        else:
            self.network.down = False
            self.session.engine.resume()

    def sign_in_again(self) -> None:
        self.model.restore()
        self.session.engine.resume()

    def revoke(self) -> None:
        self.tally.revocations += 1
        self.model.revoke()

    # --- someone else in Toggl's web app --------------------------------------------------------

    @rule(
        data=st.data(),
        what=st.sampled_from(["create", "edit", "rename"]),
        like_a_waiting_row=st.booleans(),
        project=st.sampled_from(PROJECTS),
        name=st.sampled_from(NAMES),
        estimate=st.sampled_from(ESTIMATES),
    )
    def someone_else(
        self,
        data: st.DataObject,
        what: str,
        like_a_waiting_row: bool,
        project: int,
        name: str,
        estimate: int | None,
    ) -> None:
        """Someone creates a task, edits one (its `at` moves to now) or renames one, most
        often (`like_a_waiting_row`) in the project and to the name of a task the app has yet
        to deliver. Where the server drops references, a task identical to a row that waits
        cannot be told from that row's own by anyone: it is not made (the creation gets an
        estimate the app never sends; the rename is skipped), and the app's own tasks are not
        renamed."""
        self.tally.steps += 1
        waiting = [r for r in self.session.outbox.waiting() if r.state is not OutboxState.DONE]
        if like_a_waiting_row and waiting:
            row = data.draw(st.sampled_from(waiting), label="like")
            project, name = row.project_id, row.draft.name
        if what == "create":
            self.create(project, name, estimate)
            return
        candidates = sorted(
            task.id
            for task in self.model.tasks.values()
            if what == "edit"
            or (
                task.project_id == project
                and (self.model.echo_references or not task.created_by_app)
                and not self._indistinguishable(project, name, task.estimated_seconds)
            )
        )
        if candidates:
            task_id = data.draw(st.sampled_from(candidates), label="task")
            self.edit(task_id, name if what == "rename" else None)

    def create(self, project: int, name: str, estimate: int | None) -> None:
        if self._indistinguishable(project, name, estimate):
            estimate = SOMEONE_ELSES_ESTIMATE
        self.tally.edits_by_others += 1
        self.model.someone_creates(project, name, estimated_seconds=estimate)

    def edit(self, task_id: int, name: str | None) -> None:
        self.tally.edits_by_others += 1
        self.model.someone_edits(task_id, name=name)
        if name is not None and "name" in self.asked.get(task_id, {}):
            self.overtaken.setdefault(task_id, {}).setdefault("name", set()).add(name)

    def _indistinguishable(self, project: int, name: str, estimate: int | None) -> bool:
        if self.model.echo_references:
            return False
        return any(
            row.project_id == project
            and row.draft.name == name
            and row.draft.estimated_seconds == estimate
            for row in self.session.outbox.waiting()
            if row.state in PENDING or row.maybe_sent
        )

    # --- what must hold ---------------------------------------------------------------------------

    @invariant()
    def nothing_lost_or_sent_twice_or_parked_for_sign_in(self) -> None:
        rows = self._rows()
        for_sign_in = [
            r
            for r in rows.values()
            if r.state is OutboxState.FAILED and AUTH_REFUSED in (r.reason or "")
        ]
        assert not for_sign_in, f"parked for a sign-in problem: {for_sign_in}"
        sending = [r for r in rows.values() if r.state is OutboxState.SENDING]
        assert not sending, f"left 'sending' by a step that returned: {sending}"
        for row in rows.values():
            mine = self._tasks_of(row.id)
            assert len(mine) <= 1, (
                f"row {row.id} ({row.draft.name!r}) is in Toggl {len(mine)} times"
            )
            if row.state is OutboxState.DONE:
                assert [t.id for t in mine] == [row.remote_task_id], (
                    f"row {row.id} ({row.draft.name!r}) was marked delivered as task "
                    f"{row.remote_task_id}, but its own POST made {[t.id for t in mine]}"
                )
        for row in self.discarded.values():
            assert len(self._tasks_of(row.id)) <= 1, f"discarded row {row.id} is in Toggl twice"
        self.changes_only_what_was_asked_once()

    def changes_only_what_was_asked_once(self) -> None:
        """A change carries only the fields the user touched, and reaches Toggl once per thing
        the user asked (a conflict kept is asked again); none is left 'sending' by a step that
        returned (the engine takes back those of a killed app as it starts)."""
        changes = self.session.engine.changes
        sending = [c for c in changes.all() if c.state is ChangeState.SENDING]
        assert not sending, f"changes left 'sending' by a step that returned: {sending}"
        applied: Counter[int] = Counter()
        for task_id, body in self.model.applied:
            applied[task_id] += 1
            if "deleted" in body:
                assert task_id in self.deleted, f"task {task_id} deleted, never by the user"
                continue
            touched = self.touched.get(task_id, set())
            assert set(body) <= touched, f"task {task_id}: sent {body}, the user set {touched}"
        for task_id, times in applied.items():
            assert times <= self.asks[task_id], (
                f"task {task_id} changed {times} times in Toggl; asked {self.asks[task_id]}"
            )

    def _rows(self) -> dict[int, OutboxRow]:
        rows = {}
        for row_id in self.rows:
            try:
                rows[row_id] = self.session.outbox.get(row_id)
            except KeyError:
                self.tally.lost += 1
                raise AssertionError(f"row {row_id} is gone from the outbox") from None
        return rows

    def _tasks_of(self, row_id: int) -> list[ModelTask]:
        """The tasks in Toggl made by a POST that carried this row's reference."""
        reference = self.rows.get(row_id) or self.discarded[row_id].external_reference
        return [t for t in self.model.app_tasks().values() if t.external_reference == reference]

    def teardown(self) -> None:
        """Heal, drain and check, unless a rule or an invariant failed already (hypothesis
        calls this while that failure propagates: let it be the one reported)."""
        failed_already = sys.exc_info()[1] is not None
        try:
            if not failed_already:
                self.heal_and_drain()
                self.check_exactly_once()
        finally:
            for session in self.sessions:
                session.close()
            shutil.rmtree(self.data_dir.parent, ignore_errors=True)

    def heal_and_drain(self) -> None:
        """The network back (the app told); the drain's requests meet the faults and kills
        still planned, and a revoked token until the engine asks for sign-in (the user signs
        in again); then faults off, and the engine drains, moving the clock by whatever it
        asks, until nothing waits; rows parked as possibly sent are settled by the user, and
        drained again."""
        self.network.down = False
        self.session.engine.resume()
        self._drain(armed=True)
        self.model.restore()
        self.model.faults.clear()
        self.network.kill = None
        for _ in range(3):
            self._drain(armed=False)
            unsure = [r for r in self.session.outbox.waiting() if r.maybe_sent]
            held = [
                c for c in self.session.engine.changes.all() if c.held or c.state.value == "failed"
            ]
            if not unsure and not held:
                return
            for row in unsure:
                self.settle_by_hand(row)
            for change in held:  # a conflict, or a change refused by a fault: keep mine
                self.asks[change.task_id] += 1
                self.session.settle_conflict(
                    WORKSPACE, change.project_id, change.task_id, keep_mine=True
                )
        raise AssertionError(f"still parked after the user settled them: {unsure}, {held}")

    def _drain(self, *, armed: bool) -> None:
        """Step until nothing waits. `armed`: faults and a revoked token may still meet the
        requests (a kill starts the app again; when the engine asks for sign-in, the user signs
        in again)."""
        for _ in range(HEAL_STEPS):
            engine = self.session.engine
            pending = engine.status().pending
            if pending == 0:
                return
            result = self._app(engine.step) if armed else engine.step()
            self.tally.engine_steps += 1
            self.nothing_lost_or_sent_twice_or_parked_for_sign_in()
            if result is None:
                continue
            if result.delay is None and armed and engine.sign_in_needed:
                self.sign_in_again()
                continue
            assert result.delay is not None, (
                f"{pending} task(s) still waiting in a healed world, and the engine has nothing "
                f"to do (sign-in needed: {engine.sign_in_needed})"
            )
            assert result.delay <= LONGEST_WAIT, (
                f"in a healed world the engine would wait {result.delay} s before sending"
            )
            self.clock.now += result.delay
        if not armed:
            raise AssertionError(f"tasks still waiting after {HEAL_STEPS} steps of a healed world")

    def check_exactly_once(self) -> None:
        rows = self._rows()
        self.nothing_lost_or_sent_twice_or_parked_for_sign_in()
        refused = [r for r in rows.values() if r.state is OutboxState.FAILED]
        for row in refused:
            assert any(refusal in (row.reason or "") for refusal in REFUSALS), (
                f"row {row.id} ({row.draft.name!r}) parked without a refusal from Toggl: "
                f"{row.reason}"
            )
            assert not self._tasks_of(row.id), f"row {row.id} is parked, yet it is in Toggl"
        for row in self.discarded.values():
            if not row.maybe_sent:
                assert not self._tasks_of(row.id), f"row {row.id} was discarded, yet it is in Toggl"
        known = set(self.rows.values()) | {r.external_reference for r in self.discarded.values()}
        strays = [t for t in self.model.app_tasks().values() if t.external_reference not in known]
        assert not strays, f"tasks in Toggl that no row sent: {strays}"
        self.changes_only_what_was_asked_once()
        for task_id in self.deleted:
            assert task_id not in self.model.tasks, f"task {task_id} was deleted, yet it is there"
        for task_id, wanted in self.asked.items():
            task = self.model.tasks.get(task_id)
            if task is None or task_id in self.deleted:
                continue
            for field, value in wanted.items():
                now = getattr(task, field)
                now = now or 0 if field == "estimated_seconds" else now
                later = self.overtaken.get(task_id, {}).get(field, set())
                assert now == value or now in later, (
                    f"task {task_id}: {field} is {now!r} in Toggl, the user set {value!r}"
                )
        self.tally.examples += 1
        self.tally.queued += len(rows) + len(self.discarded)
        self.tally.delivered += sum(r.state is OutboxState.DONE for r in rows.values())
        self.tally.parked += len(refused)
        self.tally.discarded += len(self.discarded)


@pytest.fixture
def machine_world(monkeypatch: pytest.MonkeyPatch) -> Iterator[Tally]:
    """One model server for the run, a clock the client reads, a fresh tally."""
    server = ModelServer(TogglModel(token=TOKEN)).start()
    clock = Clock()
    monkeypatch.setattr(client_module, "time", ClockedTime(clock))
    monkeypatch.setattr(ExactlyOnce, "server", server, raising=False)
    monkeypatch.setattr(ExactlyOnce, "clock", clock, raising=False)
    monkeypatch.setattr(ExactlyOnce, "tally", Tally(), raising=False)
    try:
        yield ExactlyOnce.tally
    finally:
        server.stop()


@pytest.mark.timeout(1800)  # a failure's example is shrunk (minutes), not cut off by a timeout
def test_every_queued_task_reaches_toggl_exactly_once(machine_world: Tally) -> None:
    started = time.monotonic()
    run_state_machine_as_test(ExactlyOnce, settings=SETTINGS)
    tally = machine_world
    record(**{f"stateful_{f.name}": getattr(tally, f.name) for f in fields(tally)})
    record(stateful_seconds=round(time.monotonic() - started))
    assert tally.examples >= EXAMPLES


# --- issue #10's numbered failures, each as one fixed run of the same machine -------------------


def replay(
    *moves: Callable[[ExactlyOnce], object],
    echo: bool = True,
    older: tuple[tuple[int, str], ...] = (),
) -> None:
    machine = ExactlyOnce()
    try:
        machine.toggl(echo=echo, older=list(older))
        for move in moves:
            move(machine)
            machine.nothing_lost_or_sent_twice_or_parked_for_sign_in()
    finally:
        machine.teardown()


P = PROJECTS[0]


def test_failure_1_an_older_task_edited_meanwhile_is_not_adopted(machine_world: Tally) -> None:
    """The answer is lost before Toggl stores the task; someone edits an older task of the same
    name meanwhile (its `at` moves past the queueing): it must not be taken for the new one."""
    replay(
        lambda m: m.submit("Code review", P, None, at_once=False),
        lambda m: m.lose_answer("before", kill=False, waits_for=Target.POST),
        lambda m: m.step(1, follow=False),
        lambda m: m.edit(min(m.model.tasks), None),
        lambda m: m.step(2, follow=True),
        older=((P, "Code review"),),
    )


def test_failure_2_a_revoked_token_during_the_listing_parks_nothing(machine_world: Tally) -> None:
    """The answer is lost after Toggl stored the task; the token is reset before the listing
    that would settle it: the row waits for sign-in (unconfirmed), and is never sent twice."""
    replay(
        lambda m: m.lose_answer("after", kill=False, waits_for=Target.POST),
        lambda m: m.submit("Write report", P, 1800, at_once=True),
        lambda m: m.revoke(),
        lambda m: m.step(3, follow=True),
    )


def test_failure_3_a_revoked_token_parks_nothing(machine_world: Tally) -> None:
    """Every request gets 403 'Incorrect username and/or password': the outbox pauses for
    sign-in instead of parking each task as refused."""
    replay(
        lambda m: m.revoke(),
        lambda m: m.submit("Deploy", P, None, at_once=False),
        lambda m: m.submit("Code review", P, None, at_once=False),
        lambda m: m.step(3, follow=True),
    )


def test_without_references_a_task_with_another_estimate_is_not_adopted(
    machine_world: Tally,
) -> None:
    """Found by the machine (fixed in 43bb74b): a server that drops references; the answer to a
    task sent without an estimate is lost before Toggl stores it; someone creates a task of the
    same name with an estimate of 30 minutes. That task cannot be the app's (it sent no
    estimate): the check after the loss must not adopt it, or the app's task is never made."""
    replay(
        lambda m: m.submit("Deploy", P, 1800, at_once=True),  # learns the server drops them
        lambda m: m.advance(1.0),
        lambda m: m.submit("Code review", P, None, at_once=False),
        lambda m: m.step(1, follow=True),  # lists the project: the tasks known before the send
        lambda m: m.lose_answer("before", kill=False, waits_for=Target.POST),
        lambda m: m.step(1, follow=True),
        lambda m: m.create(P, "Code review", 1800),
        lambda m: m.step(3, follow=True),
        echo=False,
    )


def test_without_references_a_task_made_before_the_send_is_not_adopted(
    machine_world: Tally,
) -> None:
    """Found by the machine (fixed in 43bb74b): a server that drops references; the app lists
    the project; a minute later someone creates "Code review", then the user queues a "Code
    review" just like it, and its answer is lost before Toggl stores it. The other task existed
    before the send, so it can never be this row's (issue #10): it must not be adopted, or the
    app's task is never made (the tasks known before the send came from a cached listing)."""
    replay(
        lambda m: m.submit("Deploy", P, 1800, at_once=True),  # learns the server drops them
        lambda m: m.advance(1.0),
        lambda m: m.submit("Write report", P, None, at_once=False),
        lambda m: m.step(2, follow=True),  # lists the project before sending it
        lambda m: m.create(P, "Code review", None),
        lambda m: m.advance(60.0),
        lambda m: m.submit("Code review", P, None, at_once=False),
        lambda m: m.lose_answer("before", kill=False, waits_for=Target.POST),
        lambda m: m.step(4, follow=True),
        echo=False,
    )
