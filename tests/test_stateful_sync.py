"""Exactly once, against a model of Toggl: a hypothesis stateful test of the session and engine.

A `RuleBasedStateMachine` drives the real backend — `Session` on a real SQLite data folder, its
`submit` and `claim`, `engine.step()` — against `tests.toggl_model.TogglModel` served over real
HTTP on 127.0.0.1, while the rules lose answers before and after Toggl stored the task, answer
5xx, 402 and 429 with odd headers, refuse tasks, revoke and restore the token, take the network
away, let someone else create and edit tasks with the same names, advance the clock, and restart
or crash the app. After each example the world heals (faults off, token valid, network back,
the clock moved by whatever the engine asks) and the engine drains; then every queued task must
be in Toggl exactly once, or parked with the reason Toggl gave for refusing it.

Real HTTP rather than `httpx.MockTransport`: a request costs about 1.3 ms here against 0.5 ms,
and a step's SQLite writes cost more than either, so the real socket (a dropped connection is
what the client really sees) is cheap enough for 200 examples in `make test`. A thin transport
wraps the real one only for what a server cannot do to a client: the network gone (connect
refused: nothing was sent) and the app killed in the middle of a request (`AppKilled`, a
BaseException no layer catches, leaves the row 'sending' exactly as a SIGKILL would).

Nothing sleeps: the engine runs with no pacing and no visibility delay on a clock the test
moves, and the client's quota block reads the same clock. `TASK_DESK_HYPOTHESIS_EXAMPLES` sets
the number of examples (200 by default, 2,000 in `make reliability`); in CI the examples are
derandomized.
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
    precondition,
    rule,
    run_state_machine_as_test,
)

import desktop.api.client as client_module
from desktop.api.auth import ApiToken
from desktop.api.client import TogglClient
from desktop.api.errors import TogglError
from desktop.api.models import TaskDraft
from desktop.session import Session
from desktop.store.outbox import PENDING, OutboxRow, OutboxState
from desktop.sync.engine import StepResult, SyncEngine
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
ESTIMATES = (None, 1800)
SOMEONE_ELSES_ESTIMATE = 777
"""An estimate the app never sends: see `someone_else_creates`."""
HEAL_STEPS = 300
LONGEST_WAIT = 2 * 3600.0
"""Any wait the engine asks for once the world is healed must be shorter (a quota resets
within the hour; Retry-After and quota headers beyond that are absurd)."""

FAULTS = (
    drop(FaultKind.DROP_BEFORE_STORE),
    drop(FaultKind.DROP_AFTER_STORE),
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
        self.kill: str | None = None
        """'before' the next request leaves, or 'after' its answer arrived."""

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
        kill, self._network.kill = self._network.kill, None
        if kill == "before":
            raise AppKilled
        response = self._inner.handle_request(request)
        if kill == "after":
            response.read()
            response.close()
            raise AppKilled
        return response

    def close(self) -> None:
        self._inner.close()


@dataclass
class Tally:
    """What the examples did, for docs/reliability.md."""

    examples: int = 0
    steps: int = 0
    engine_steps: int = 0
    faults: int = 0
    revocations: int = 0
    outages: int = 0
    kills: int = 0
    restarts: int = 0
    edits_by_others: int = 0
    queued: int = 0
    delivered: int = 0
    parked: int = 0
    lost: int = 0
    duplicated: int = 0


class ExactlyOnce(RuleBasedStateMachine):
    server: ClassVar[ModelServer]
    clock: ClassVar[Clock]
    tally: ClassVar[Tally]

    def __init__(self) -> None:
        super().__init__()
        self.clock.now = time.time()
        self.model = self.server.model = TogglModel(token=TOKEN)
        self.network = Network()
        self.data_dir = Path(tempfile.mkdtemp(prefix="taskdesk-stateful-")) / "data"
        self.data_dir.mkdir(mode=0o700)
        self.sessions: list[Session] = []
        self.session = self._start()
        self.rows: dict[int, str] = {}
        """Every row the user queued: id -> name."""
        self.tally.examples += 1

    def _start(self) -> Session:
        session = Session(self.server.url, self.data_dir)
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
            send_interval=0,
            visibility_delay=0,
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
            self.model.someone_creates(project, name, at=time.time() - 86400)

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
        self.tally.queued += 1
        if at_once:
            claimed = self.session.claim(WORKSPACE, project, draft, label)
            if claimed is not None:
                self.rows[claimed.id] = name
                self._app(lambda: self.session.engine.send_claimed(claimed))
                return
        self.rows[self.session.submit(WORKSPACE, project, draft, label).id] = name

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

    @rule(seconds=st.sampled_from([0.5, 1.0, 5.0, 30.0, 120.0, 3700.0]))
    def advance(self, seconds: float) -> None:
        self.tally.steps += 1
        self.clock.now += seconds

    @rule(project=st.sampled_from(PROJECTS))
    def refresh_lists(self, project: int) -> None:
        """F5: lists from Toggl on the same client (its errors reach the engine too)."""
        self.tally.steps += 1
        with contextlib.suppress(TogglError):
            self._app(lambda: self.session.workspace_lists(WORKSPACE, force=True))

    @rule()
    def restart(self) -> None:
        self.tally.steps += 1
        self.tally.restarts += 1
        self.session.close()
        self.sessions.remove(self.session)
        self.session = self._start()

    @rule()
    def kill(self) -> None:
        """The app dies between steps; its store is opened again by the next start."""
        self.tally.steps += 1
        self.tally.kills += 1
        self.session = self._start()

    # --- Toggl and the network ------------------------------------------------------------------

    @rule(fault=st.sampled_from(FAULTS))
    def fault(self, fault: Fault) -> None:
        self.tally.steps += 1
        self.tally.faults += 1
        self.model.inject(fault)

    @rule(when=st.sampled_from(["before", "after"]))
    def kill_in_next_request(self, when: str) -> None:
        self.tally.steps += 1
        self.network.kill = when

    @rule()
    def revoke(self) -> None:
        """The token is reset on Toggl's website."""
        self.tally.steps += 1
        self.tally.revocations += 1
        self.model.revoke()

    @precondition(lambda self: self.model.revoked)
    @rule()
    def sign_in_again(self) -> None:
        """The user signs in again; the sign-in path tells the engine."""
        self.tally.steps += 1
        self.model.restore()
        self.session.engine.resume()

    @rule()
    def network_down(self) -> None:
        self.tally.steps += 1
        self.tally.outages += 1
        self.network.down = True

    @precondition(lambda self: self.network.down)
    @rule()
    def network_back(self) -> None:
        """The platform says the network is back."""
        self.tally.steps += 1
        self.network.down = False
        self.session.engine.resume()

    # --- someone else in Toggl's web app --------------------------------------------------------

    @rule(
        project=st.sampled_from(PROJECTS),
        name=st.sampled_from(NAMES),
        estimate=st.sampled_from(ESTIMATES),
    )
    def someone_else_creates(self, project: int, name: str, estimate: int | None) -> None:
        """A task with a queued task's name. Where the server drops references, a task just
        like one the app may already have sent cannot be told apart from it by anyone: then
        it gets an estimate the app never sends."""
        self.tally.steps += 1
        self.tally.edits_by_others += 1
        if not self.model.echo_references and self._in_flight(project, name, estimate):
            estimate = SOMEONE_ELSES_ESTIMATE
        self.model.someone_creates(project, name, estimated_seconds=estimate)

    @rule(data=st.data(), name=st.sampled_from(NAMES), rename=st.booleans())
    def someone_else_edits(self, data: st.DataObject, name: str, rename: bool) -> None:
        """An edit (its `at` moves to now), or a rename to `name`. Where the server drops
        references, the app's own tasks are not renamed: nobody could recognise them."""
        candidates = sorted(
            task.id
            for task in self.model.tasks.values()
            if self.model.echo_references or not rename or not task.created_by_app
        )
        if candidates:
            self.edit(
                data.draw(st.sampled_from(candidates), label="task"), name if rename else None
            )

    def edit(self, task_id: int, name: str | None) -> None:
        self.tally.steps += 1
        self.tally.edits_by_others += 1
        self.model.someone_edits(task_id, name=name)

    def _in_flight(self, project: int, name: str, estimate: int | None) -> bool:
        return any(
            row.project_id == project
            and row.draft.name == name
            and row.draft.estimated_seconds == estimate
            and row.attempts > 0
            for row in self.session.outbox.waiting()
            if row.state in PENDING
        )

    # --- what must hold ---------------------------------------------------------------------------

    @invariant()
    def nothing_lost_nothing_parked_for_sign_in(self) -> None:
        rows = self._rows()
        for row in rows.values():
            assert row.state is not OutboxState.FAILED or AUTH_REFUSED not in (row.reason or ""), (
                f"row {row.id} ({row.draft.name!r}) parked for a sign-in problem: {row.reason}"
            )
        self._check_deliveries(rows)

    def _rows(self) -> dict[int, OutboxRow]:
        rows = {}
        for row_id, name in self.rows.items():
            try:
                rows[row_id] = self.session.outbox.get(row_id)
            except KeyError:
                self.tally.lost += 1
                raise AssertionError(f"row {row_id} ({name!r}) is gone from the outbox") from None
        return rows

    def _check_deliveries(self, rows: dict[int, OutboxRow]) -> None:
        """Every row marked delivered names a task its own POST created, and no other row does."""
        app_tasks = self.model.app_tasks()
        claimed = Counter(r.remote_task_id for r in rows.values() if r.state is OutboxState.DONE)
        for row in rows.values():
            if row.state is not OutboxState.DONE:
                continue
            assert row.remote_task_id in app_tasks, (
                f"row {row.id} ({row.draft.name!r}) was marked delivered as task "
                f"{row.remote_task_id}, which someone else made in Toggl: "
                "the row's own task was never created"
            )
            assert claimed[row.remote_task_id] == 1, (
                f"task {row.remote_task_id} is claimed by {claimed[row.remote_task_id]} rows"
            )

    def teardown(self) -> None:
        """Heal, drain and check, unless a rule or an invariant failed already (hypothesis
        calls this while that failure propagates: let it be the one reported)."""
        failed_already = sys.exc_info()[1] is not None
        try:
            if not failed_already:
                self._heal_and_drain()
                self._check_exactly_once()
        finally:
            for session in self.sessions:
                session.close()
            shutil.rmtree(self.data_dir.parent, ignore_errors=True)

    def _heal_and_drain(self) -> None:
        self.model.faults.clear()
        self.model.restore()
        self.network.down = False
        self.network.kill = None
        engine = self.session.engine
        engine.resume()
        for _ in range(HEAL_STEPS):
            pending = self.session.outbox.pending_count()
            if pending == 0:
                return
            result: StepResult = engine.step()
            self.tally.engine_steps += 1
            assert result.delay is not None, (
                f"{pending} task(s) still waiting in a healed world, and the engine has nothing "
                f"to do (sign-in needed: {engine.sign_in_needed})"
            )
            assert result.delay <= LONGEST_WAIT, (
                f"in a healed world the engine would wait {result.delay} s before sending"
            )
            self.clock.now += result.delay
        raise AssertionError(f"tasks still waiting after {HEAL_STEPS} steps of a healed world")

    def _check_exactly_once(self) -> None:
        rows = self._rows()
        self._check_deliveries(rows)
        delivered = {r.remote_task_id for r in rows.values() if r.state is OutboxState.DONE}
        extra = sorted(set(self.model.app_tasks()) - delivered)
        self.tally.duplicated += len(extra)
        assert not extra, (
            f"Toggl holds tasks {extra} that the app created but no row says delivered: "
            "sent twice, or parked although it arrived"
        )
        for row in rows.values():
            assert row.state in (OutboxState.DONE, OutboxState.FAILED), row
            if row.state is OutboxState.FAILED:
                reason = row.reason or ""
                assert any(refusal in reason for refusal in REFUSALS), (
                    f"row {row.id} ({row.draft.name!r}) parked without a refusal from Toggl: "
                    f"{reason}"
                )
        self.tally.delivered += len(delivered)
        self.tally.parked += sum(r.state is OutboxState.FAILED for r in rows.values())


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
            machine.nothing_lost_nothing_parked_for_sign_in()
    finally:
        machine.teardown()


P = PROJECTS[0]


def test_failure_1_an_older_task_edited_meanwhile_is_not_adopted(machine_world: Tally) -> None:
    """The answer is lost before Toggl stores the task; someone edits an older task of the same
    name meanwhile (its `at` moves past the queueing): it must not be taken for the new one."""
    replay(
        lambda m: m.submit("Code review", P, None, at_once=False),
        lambda m: m.fault(drop(FaultKind.DROP_BEFORE_STORE)),
        lambda m: m.step(1, follow=False),
        lambda m: m.edit(min(m.model.tasks), None),
        lambda m: m.step(2, follow=True),
        older=((P, "Code review"),),
    )


def test_failure_2_a_revoked_token_during_the_listing_parks_nothing(machine_world: Tally) -> None:
    """The answer is lost after Toggl stored the task; the token is reset before the listing
    that would settle it: the row waits for sign-in (unconfirmed), and is never sent twice."""
    replay(
        lambda m: m.fault(drop(FaultKind.DROP_AFTER_STORE)),
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
