"""Clients for tests of the fake itself: the API as the app calls it, and the control endpoint."""

from __future__ import annotations

import ssl
from typing import Any

import httpx

from tests.fake_toggl.fake import FakeToggl
from tests.fake_toggl.wire import CONTROL_PREFIX

# One cheap TLS context for every client: httpx would load the CA bundle per client otherwise.
NO_TLS = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


def api_client(fake: FakeToggl, auth: tuple[str, str] | None = None) -> httpx.Client:
    """An httpx client on the fake's API, with its token unless ``auth`` says otherwise."""
    return httpx.Client(
        base_url=fake.url,
        auth=auth if auth is not None else (fake.token, "api_token"),
        timeout=5.0,
        trust_env=False,
        verify=NO_TLS,
    )


class ControlClient:
    """``control("POST", "/fail", {...})``: one request to the control endpoint, no auth."""

    def __init__(self, fake: FakeToggl) -> None:
        self._client = httpx.Client(
            base_url=f"http://127.0.0.1:{fake.port}{CONTROL_PREFIX}", timeout=5.0, trust_env=False
        )

    def __call__(
        self, verb: str, route: str = "", body: Any = None, params: dict[str, str] | None = None
    ) -> httpx.Response:
        return self._client.request(verb, route, json=body, params=params)

    def close(self) -> None:
        """Close the connection."""
        self._client.close()
