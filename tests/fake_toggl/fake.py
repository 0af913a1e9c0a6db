"""``FakeToggl``: the seeded state, the API routes, the fault rules and the server in one object."""

from __future__ import annotations

import threading
import uuid
from types import TracebackType

from tests.fake_toggl import control, routes
from tests.fake_toggl.faults import DropWhen, Faults, Plan, Rule
from tests.fake_toggl.quota import DEFAULT_RESETS_IN, Quota
from tests.fake_toggl.server import Server
from tests.fake_toggl.state import TogglState
from tests.fake_toggl.wire import API_PREFIX, RecordedRequest, Response, merge_headers


class FakeToggl(TogglState):
    """Fake Toggl Track API v9 server with seeded state and fault controls."""

    def __init__(
        self,
        token: str = "test-token",
        email: str = "free@example.com",
        password: str = "s3cret-pass",
        *,
        port: int = 0,
    ) -> None:
        super().__init__(token, email, password)
        self.faults = Faults(self.lock)
        self.quota = Quota(self.lock)
        self._port = port
        self._server: Server | None = None
        self._thread: threading.Thread | None = None
        self._lifecycle = threading.Lock()
        self._stopped = False
        self._outage: threading.Timer | None = None
        self._log: list[RecordedRequest] = []

    # ----------------------------------------------------------------- lifecycle

    @property
    def port(self) -> int:
        """The TCP port (0 until started when constructed with port 0)."""
        return self._port

    @property
    def url(self) -> str:
        """Base URL for the client, e.g. ``http://127.0.0.1:PORT/api/v9``."""
        return f"http://127.0.0.1:{self._port}{API_PREFIX}"

    @property
    def is_down(self) -> bool:
        """Whether connects are refused right now (stopped, or gone down)."""
        return self._server is None

    def start(self) -> FakeToggl:
        """Listen on 127.0.0.1 (port given at construction, 0 = any) and serve in a thread."""
        with self._lifecycle:
            self._stopped = False
            if self._server is None:
                self._listen(self._port)
        return self

    def stop(self) -> None:
        """Stop serving, close the listener and every open connection (idempotent)."""
        with self._lifecycle:
            self._stopped = True
            self._cancel_outage()
            self._close()

    def go_down(self, seconds: float | None = None) -> None:
        """Simulate the server vanishing: connects are refused until ``come_back``.

        With ``seconds`` it comes back by itself after that long (the control endpoint's way,
        since no request reaches a server that is down). Connections are cut, except the one
        of a control request asking for this, which gets its answer and is then closed.
        """
        with self._lifecycle:
            self._cancel_outage()
            self._close()
            if seconds is not None and not self._stopped:
                timer = threading.Timer(seconds, self._end_outage)
                timer.daemon = True
                self._outage = timer
                timer.start()

    def come_back(self) -> None:
        """Listen again on the same port after ``go_down``."""
        with self._lifecycle:
            self._cancel_outage()
            if self._server is None:
                self._listen(self._port)

    def __enter__(self) -> FakeToggl:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _end_outage(self) -> None:
        with self._lifecycle:
            if self._outage is not threading.current_thread() or self._stopped:
                return  # cancelled, replaced or stopped meanwhile
            self._outage = None
            if self._server is None:
                self._listen(self._port)

    def _cancel_outage(self) -> None:
        if self._outage is not None:
            self._outage.cancel()
            self._outage = None

    def _listen(self, port: int) -> None:
        server = Server(("127.0.0.1", port), self)
        self._port = int(server.server_address[1])
        thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.02},
            name=f"FakeToggl:{self._port}",
            daemon=True,
        )
        self._server, self._thread = server, thread
        thread.start()

    def _close(self) -> None:
        server, thread = self._server, self._thread
        if server is None:
            return
        server.shutdown()
        server.server_close()
        server.close_all_connections()
        if thread is not None:
            thread.join(timeout=5)
        self._server = self._thread = None  # only now: is_down means connects are refused

    # ------------------------------------------------------------------ faults

    @property
    def delay(self) -> float:
        """Seconds to wait before every API answer (0: none)."""
        return self.faults.delay

    @delay.setter
    def delay(self, seconds: float) -> None:
        self.faults.delay = seconds

    @property
    def _rules(self) -> list[Rule]:
        """The pending fault rules (kept for tests that clear them: prefer ``clear_faults``)."""
        return self.faults.rules

    def fail_next(
        self,
        status: int,
        body: str | bytes = "",
        *,
        count: int = 1,
        headers: dict[str, str] | None = None,
        content_type: str = "application/json",
        method: str | None = None,
        path_contains: str | None = None,
    ) -> None:
        """Answer the next ``count`` matching requests with this status and raw body."""
        raw = body.encode() if isinstance(body, str) else body
        response = Response(status, raw, content_type, dict(headers or {}))
        self.faults.fail_next(response, count, method, path_contains)

    def delay_next(
        self,
        seconds: float,
        count: int = 1,
        *,
        method: str | None = None,
        path_contains: str | None = None,
    ) -> None:
        """Wait ``seconds`` (on top of ``delay``) before answering the next matching requests."""
        self.faults.delay_next(seconds, count, method, path_contains)

    def drop_next(
        self,
        when: DropWhen,
        count: int = 1,
        *,
        method: str | None = "POST",
        path_contains: str | None = None,
    ) -> None:
        """Close the connection without answering; ``after_store`` applies the request first."""
        self.faults.drop_next(when, count, method, path_contains)

    def clear_faults(self) -> None:
        """Forget every pending fail, delay and drop rule, and the delay before every answer."""
        self.faults.clear()

    def set_quota(
        self, limit: int | None, resets_in: int = DEFAULT_RESETS_IN, remaining: int | None = None
    ) -> None:
        """Allow ``limit`` /workspaces/... requests (None: unlimited), refilled every
        ``resets_in`` s; ``remaining`` (default ``limit``) is what is left until then."""
        self.quota.set(limit, resets_in, remaining)

    def revoke_token(self) -> None:
        """Answer 403 to the token from now on, as after a reset on Toggl's website."""
        with self.lock:
            self.token_revoked = True

    def restore_token(self) -> None:
        """Accept the token given at construction again."""
        with self.lock:
            self.token = self.initial_token
            self.token_revoked = False

    def rotate_token(self, token: str | None = None) -> str:
        """Accept only this new token (a random one by default); return it."""
        with self.lock:
            self.token = token or uuid.uuid4().hex
            self.token_revoked = False
            return self.token

    # ------------------------------------------------------------- request log

    @property
    def requests(self) -> list[RecordedRequest]:
        """Copy of the request log, oldest first (control requests are not in it)."""
        with self.lock:
            return list(self._log)

    def count(self, method: str | None = None, path_contains: str | None = None) -> int:
        """Number of logged requests matching method and path substring."""
        probe = Rule("fail", 1, method, path_contains)
        with self.lock:
            return sum(1 for r in self._log if probe.matches(r.method, r.path))

    def reset_log(self) -> None:
        """Forget all logged requests."""
        with self.lock:
            self._log.clear()

    # ------------------------------------------------- called by the server

    def _plan(self, request: RecordedRequest) -> Plan:
        """Log the request and consume the fault rules it matches."""
        with self.lock:
            self._log.append(request)
            return self.faults.plan(request.method, request.path)

    def _respond(self, request: RecordedRequest) -> Response:
        """Answer an API request normally (auth, quota, routes)."""
        return routes.respond(self, self.quota, request)

    def _finish(self, response: Response) -> Response:
        """Add the standard headers to a response (fault headers win)."""
        standard = {
            "Content-Type": response.content_type,
            "X-Toggl-Request-Id": uuid.uuid4().hex,
            **self.quota.headers(),
        }
        return Response(
            response.status,
            response.body,
            response.content_type,
            merge_headers(standard, response.headers),
        )

    def _control(self, request: RecordedRequest) -> Response:
        """Answer the control endpoint (see the package docstring)."""
        return control.handle(self, request)
