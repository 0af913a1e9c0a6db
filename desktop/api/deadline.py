"""A total deadline per request (connect, send and read together) under httpx.

httpx's timeouts bound each connect, read and write on its own: a server that sends one byte
every few seconds, in its headers or its body, never trips them and can hold a request for
hours. `DeadlineBackend` wraps the network backend of httpx's connection pools so that every
socket operation waits at most until the current request's deadline and then fails the way
httpcore's own timeouts do (`ConnectTimeout` before anything was sent, `ReadTimeout` or
`WriteTimeout` after), which httpx turns into its exceptions and the client into its errors.

Imported at the first request only (it pulls in httpcore and ssl), like httpx itself.
"""

from __future__ import annotations

import ssl
import time
from collections.abc import Iterable

import httpcore
import httpx


class Deadline:
    """When the request under way must be over (`time.monotonic()`), or None between requests."""

    __slots__ = ("at",)

    def __init__(self) -> None:
        self.at: float | None = None

    def start(self, seconds: float) -> None:
        self.at = time.monotonic() + seconds

    def clear(self) -> None:
        self.at = None

    def passed(self) -> bool:
        return self.at is not None and time.monotonic() >= self.at

    def cap(self, timeout: float | None, expired: type[Exception]) -> float | None:
        """`timeout` shortened to the time left; `expired` raised when none is left."""
        if self.at is None:
            return timeout
        left = self.at - time.monotonic()
        if left <= 0:
            raise expired("The request's total deadline passed.")
        return left if timeout is None else min(timeout, left)


class DeadlineStream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream, deadline: Deadline) -> None:
        self._stream = stream
        self._deadline = deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, self._deadline.cap(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, self._deadline.cap(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        capped = self._deadline.cap(timeout, httpcore.ConnectTimeout)
        return DeadlineStream(
            self._stream.start_tls(ssl_context, server_hostname, capped), self._deadline
        )

    def get_extra_info(self, info: str) -> object:
        return self._stream.get_extra_info(info)


class DeadlineBackend(httpcore.NetworkBackend):
    def __init__(self, backend: httpcore.NetworkBackend, deadline: Deadline) -> None:
        self._backend = backend
        self._deadline = deadline

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        capped = self._deadline.cap(timeout, httpcore.ConnectTimeout)
        stream = self._backend.connect_tcp(host, port, capped, local_address, socket_options)
        return DeadlineStream(stream, self._deadline)

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        capped = self._deadline.cap(timeout, httpcore.ConnectTimeout)
        stream = self._backend.connect_unix_socket(path, capped, socket_options)
        return DeadlineStream(stream, self._deadline)

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


def install(client: httpx.Client, deadline: Deadline) -> int:
    """Put `deadline` under every pool of `client` (its own and any proxy's); returns how many.

    httpx has no public way to choose the network backend, so this sets the pool's private
    `_network_backend`; httpx is pinned below 1.0 and a test checks the backend is in place.
    A transport that is not httpx's (a test's MockTransport) is left as it is.
    """
    installed = 0
    for transport in (client._transport, *client._mounts.values()):
        if isinstance(transport, httpx.HTTPTransport):
            pool = transport._pool
            if not isinstance(pool._network_backend, DeadlineBackend):
                pool._network_backend = DeadlineBackend(pool._network_backend, deadline)
            installed += 1
    return installed
