"""Shared fixtures: offscreen Qt, a fake Toggl per test, a private data dir, no stray token."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

if os.environ.get("TASK_DESK_TEST_KEYRING") != "secret-service":
    # Only `make test` runs the suite inside a private D-Bus session with its own keyring;
    # anywhere else the tests must not touch the user's real keychain.
    import keyring

    from tests.memory_keyring import MemoryKeyring

    keyring.set_keyring(MemoryKeyring())

from desktop import credentials
from tests.fake_toggl import FakeToggl


@pytest.fixture
def fake() -> Iterator[FakeToggl]:
    server = FakeToggl().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir(mode=0o700)
    return path


@pytest.fixture(autouse=True)
def no_stored_token(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test starts signed out: no token in the environment or the (test) keyring."""
    monkeypatch.delenv(credentials.ENV_TOKEN, raising=False)
    credentials.delete_token()
    yield
    credentials.delete_token()
