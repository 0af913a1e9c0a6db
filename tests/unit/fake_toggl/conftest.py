"""The fake Toggl's own tests talk to it over real HTTP: an API client and a control client
(the `fake` server itself is the suite's, from tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.fake_toggl import FakeToggl
from tests.fake_toggl.testing import ControlClient, api_client


@pytest.fixture
def client(fake: FakeToggl) -> Iterator[httpx.Client]:
    with api_client(fake) as c:
        yield c


@pytest.fixture
def control(fake: FakeToggl) -> Iterator[ControlClient]:
    steer = ControlClient(fake)
    yield steer
    steer.close()
