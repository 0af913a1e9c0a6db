"""The offline probe: a bare TCP connect to Toggl's host and port, which costs no request
against the quota; any failure to connect means still offline."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from desktop.sync.probe import can_connect


@pytest.fixture
def listening() -> Iterator[int]:
    """A port on 127.0.0.1 that accepts connections (the backlog does; nothing is read)."""
    with socket.create_server(("127.0.0.1", 0)) as server:
        yield server.getsockname()[1]


@pytest.fixture
def closed() -> int:
    """A port on 127.0.0.1 that nothing listens on."""
    with socket.create_server(("127.0.0.1", 0)) as server:
        return int(server.getsockname()[1])


def test_a_host_that_accepts_the_connection_is_reachable(listening: int) -> None:
    assert can_connect(f"http://127.0.0.1:{listening}/api/v9")


def test_a_refused_connection_is_not(closed: int) -> None:
    assert not can_connect(f"http://127.0.0.1:{closed}/api/v9", timeout=2)


def test_an_address_without_a_host_is_not() -> None:
    assert not can_connect("/api/v9")
    assert not can_connect("")


def test_the_schemes_default_port_is_tried(monkeypatch: pytest.MonkeyPatch) -> None:
    tried: list[tuple[str, int]] = []

    def refuse(address: tuple[str, int], timeout: float) -> socket.socket:
        tried.append(address)
        raise ConnectionRefusedError(111, "refused")

    monkeypatch.setattr(socket, "create_connection", refuse)
    assert not can_connect("https://api.track.toggl.com/api/v9")
    assert not can_connect("http://localhost/api/v9")
    assert not can_connect("https://example.com:8443/x")
    assert tried == [("api.track.toggl.com", 443), ("localhost", 80), ("example.com", 8443)]
