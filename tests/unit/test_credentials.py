"""Where the token lives: the environment (never stored) or the OS keyring."""

from __future__ import annotations

import os

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import KeyringLocked, NoKeyringError

from desktop import credentials
from desktop.credentials import KEYRING_SERVICE, KEYRING_USERNAME, TokenSource


def test_environment_token_wins_and_is_not_stored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(credentials.ENV_TOKEN, " env-token ")
    stored = credentials.load_token()
    assert (stored.token, stored.source) == ("env-token", TokenSource.ENVIRONMENT)
    assert "env-token" not in repr(stored)


class _BrokenKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error

    def get_password(self, service: str, username: str) -> str | None:
        raise self.error

    def set_password(self, service: str, username: str, password: str) -> None:
        raise self.error

    def delete_password(self, service: str, username: str) -> None:
        raise self.error


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (NoKeyringError("x"), "No system keychain"),
        (KeyringLocked("x"), "locked"),
        (ConnectionRefusedError(111, "Connection refused"), "could not be used"),
    ],
)
def test_unusable_keyring_is_explained(error: Exception, words: str) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(_BrokenKeyring(error))
    try:
        stored = credentials.load_token()
        assert stored.token is None
        assert words in (stored.warning or "")
        warning = credentials.save_token("secret-token-123")
        assert warning is not None
        assert words in warning
        assert "session only" in warning
        assert "secret-token-123" not in warning
        assert "Error" not in warning  # no exception text, not even its class (issue #12)
    finally:
        keyring.set_keyring(previous)


@pytest.mark.secret_service
def test_real_secret_service_round_trip() -> None:
    """Runs against gnome-keyring under dbus-run-session (the test command starts both)."""
    backend = credentials.keyring_backend_name()
    if "SecretService" not in backend:
        if os.environ.get("TASK_DESK_REQUIRE_SECRET_SERVICE") == "1":
            pytest.fail(f"a Secret Service keyring was required, got {backend}")
        pytest.skip(f"no Secret Service on this machine (keyring backend: {backend})")
    assert credentials.save_token("round-trip-token") is None
    assert keyring.get_password(KEYRING_SERVICE, KEYRING_USERNAME) == "round-trip-token"
    stored = credentials.load_token()
    assert (stored.token, stored.source) == ("round-trip-token", TokenSource.KEYRING)
    assert credentials.delete_token() is None
    assert credentials.load_token().token is None
    assert credentials.delete_token() is None  # deleting nothing is fine
