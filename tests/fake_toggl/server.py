"""The threaded HTTP/1.1 server: keep-alive, chunked bodies, cutting connections on demand.

It knows nothing of Toggl: each request goes to a ``Backend`` (the ``FakeToggl``), which
plans the faults, answers the API, and answers the control endpoint outside the fault rules.
"""

from __future__ import annotations

import contextlib
import socket
import socketserver
import sys
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol, cast
from urllib.parse import parse_qsl, urlsplit

from tests.fake_toggl.faults import Plan
from tests.fake_toggl.wire import (
    CONTROL_PREFIX,
    RecordedRequest,
    Response,
    json_response,
    parse_json,
)


class Backend(Protocol):
    """What the server asks of the fake for each request."""

    def _plan(self, request: RecordedRequest) -> Plan: ...

    def _respond(self, request: RecordedRequest) -> Response: ...

    def _finish(self, response: Response) -> Response: ...

    def _control(self, request: RecordedRequest) -> Response: ...


class Server(ThreadingHTTPServer):
    """Threading HTTP server that tracks its open connections so it can cut them."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], backend: Backend) -> None:
        self.backend = backend
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        self._closed = False
        super().__init__(address, _Handler)

    def server_bind(self) -> None:
        """Bind without HTTPServer's slow reverse DNS lookup."""
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = int(port)

    def process_request(
        self, request: socket.socket | tuple[bytes, socket.socket], client_address: Any
    ) -> None:
        """Remember the connection, then hand it to a handler thread."""
        if isinstance(request, socket.socket):
            with self._connections_lock:
                self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: socket.socket | tuple[bytes, socket.socket]) -> None:
        """Forget and close the connection."""
        if isinstance(request, socket.socket):
            with self._connections_lock:
                self._connections.discard(request)
        super().shutdown_request(request)

    def spare(self, connection: socket.socket) -> None:
        """Leave this connection out of ``close_all_connections`` until ``track``."""
        with self._connections_lock:
            self._connections.discard(connection)

    def track(self, connection: socket.socket) -> bool:
        """Cut this connection with the others again; False if they were cut meanwhile."""
        with self._connections_lock:
            if self._closed:
                return False
            self._connections.add(connection)
            return True

    def close_all_connections(self) -> None:
        """Shut down every open connection; handler threads then close them."""
        with self._connections_lock:
            self._closed = True
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Stay quiet about client disconnects; print anything else."""
        error = sys.exc_info()[1]
        if isinstance(error, OSError):
            return
        traceback.print_exc()


class _Handler(BaseHTTPRequestHandler):
    """Reads one request at a time (keep-alive) and lets the backend answer it."""

    protocol_version = "HTTP/1.1"
    server_version = "FakeToggl/1.0"
    wbufsize = 64 * 1024  # headers and body leave in one write (no Nagle stalls)

    def setup(self) -> None:
        """Disable Nagle's algorithm on the accepted connection."""
        with contextlib.suppress(OSError):
            self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().setup()

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the default stderr access log."""

    def handle(self) -> None:
        """Serve requests until the client or the fake closes the connection."""
        try:
            super().handle()
        except OSError:  # BrokenPipe, ConnectionReset, cut by go_down()
            self.close_connection = True

    def do_GET(self) -> None:
        """Serve any method the same way."""
        self._serve()

    do_POST = do_GET
    do_PUT = do_GET
    do_DELETE = do_GET
    do_PATCH = do_GET
    do_HEAD = do_GET

    def _serve(self) -> None:
        backend = cast(Server, self.server).backend
        raw = self._read_body()
        if raw is None:
            self.close_connection = True
            self._send(backend._finish(json_response(400, "Invalid request framing")))
            return
        split = urlsplit(self.path)
        request = RecordedRequest(
            method=self.command,
            path=split.path,
            query=dict(parse_qsl(split.query, keep_blank_values=True)),
            headers={k.lower(): v for k, v in self.headers.items()},
            body=parse_json(raw)[1],
            raw_body=raw,
        )
        if split.path == CONTROL_PREFIX or split.path.startswith(CONTROL_PREFIX + "/"):
            self._serve_control(backend, request)
            return
        plan = backend._plan(request)
        if plan.delay > 0:
            time.sleep(plan.delay)
        if plan.drop == "before_store":
            self._drop()
            return
        if plan.fail is not None:
            response = plan.fail
        else:
            try:
                response = backend._respond(request)
            except Exception as error:  # a bug in the fake: say so loudly
                traceback.print_exc()
                response = json_response(500, f"FakeToggl internal error: {error!r}")
        if plan.drop == "after_store":
            self._drop()
            return
        self._send(backend._finish(response))

    def _serve_control(self, backend: Backend, request: RecordedRequest) -> None:
        """Answer the control endpoint: never logged, delayed, failed, dropped or counted.

        A control request may take the server down: its own connection is spared so that the
        answer still leaves, then closed (a server that is down serves no keep-alive).
        """
        server = cast(Server, self.server)
        server.spare(self.connection)
        try:
            response = backend._control(request)
        except Exception as error:  # a bug in the fake: say so loudly
            traceback.print_exc()
            response = json_response(500, {"error": f"internal error: {error!r}"})
        if not server.track(self.connection):
            self.close_connection = True
        self._send(response)

    def _read_body(self) -> bytes | None:
        """Read the whole request body (Content-Length or chunked); None if malformed."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks: list[bytes] = []
            while True:
                size_line = self.rfile.readline(65537)
                try:
                    size = int(size_line.split(b";")[0].strip(), 16)
                except ValueError:
                    return None
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline(65537)
        length = self.headers.get("Content-Length")
        if length is None:
            return b""
        try:
            size = int(length)
        except ValueError:
            return None
        if size < 0:
            return None
        data = self.rfile.read(size)
        return data if len(data) == size else None

    def _send(self, response: Response) -> None:
        self.send_response(response.status)
        if not any(key.lower() == "content-type" for key in response.headers):
            self.send_header("Content-Type", response.content_type)
        for key, value in response.headers.items():
            if key.lower() not in ("content-length", "connection"):
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(response.body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD" and response.body:
            self.wfile.write(response.body)
        self.wfile.flush()

    def _drop(self) -> None:
        """Close the connection without sending a single byte."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)
        self.connection.close()
