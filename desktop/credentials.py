"""Where the Toggl API token lives: the OS keyring, or `TOGGL_API_TOKEN` for this run only.

Keyring calls can block (D-Bus, an unlock prompt), so callers run these functions off the UI
thread. Failures never fall back to a file: the token is then kept in memory for the session.
The keyring is imported in the functions that use it, so that a token from the environment
(the benchmark's, a script's) never loads it.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from enum import Enum

from desktop.logs import register_secret

log = logging.getLogger(__name__)

KEYRING_SERVICE = "toggl-task-desk"
KEYRING_USERNAME = "api_token"
ENV_TOKEN = "TOGGL_API_TOKEN"  # noqa: S105 - the variable's name, not a secret


class TokenSource(Enum):
    ENVIRONMENT = "environment"
    KEYRING = "keyring"
    SESSION = "session"  # typed in this run, not stored


@dataclass(slots=True)
class StoredToken:
    token: str | None = field(repr=False)
    source: TokenSource | None
    warning: str | None = None
    """Set when the keyring could not be read: the user should know why they must sign in."""


def load_token() -> StoredToken:
    """The environment's token if set, else the keyring's, else none (with why, if it failed)."""
    env_token = os.environ.get(ENV_TOKEN, "").strip()
    if env_token:
        register_secret(env_token)
        return StoredToken(env_token, TokenSource.ENVIRONMENT)
    try:
        import keyring

        token = keyring.get_password(KEYRING_SERVICE, KEYRING_USERNAME)
    except Exception as exc:
        return StoredToken(None, None, keyring_problem(exc))
    if token:
        register_secret(token)
        return StoredToken(token, TokenSource.KEYRING)
    return StoredToken(None, None)


def save_token(token: str) -> str | None:
    """Store the token in the keyring; returns None, or a sentence saying why it could not."""
    register_secret(token)
    try:
        import keyring

        keyring.set_password(KEYRING_SERVICE, KEYRING_USERNAME, token)
    except Exception as exc:
        return keyring_problem(exc) + " You are signed in for this session only."
    return None


def delete_token() -> str | None:
    """Remove the stored token; returns None, or a sentence saying why it could not."""
    try:
        import keyring
        from keyring.errors import PasswordDeleteError

        try:
            keyring.delete_password(KEYRING_SERVICE, KEYRING_USERNAME)
        except PasswordDeleteError:
            return None  # nothing was stored
    except Exception as exc:
        return keyring_problem(exc)
    return None


def keyring_backend_name() -> str:
    try:
        import keyring

        backend = keyring.get_keyring()
    except Exception as exc:
        return f"unavailable ({type(exc).__name__})"
    return f"{type(backend).__module__}.{type(backend).__name__}"


def keyring_problem(exc: Exception) -> str:
    """A plain sentence for a keyring failure, without the exception's text (it may echo data)."""
    from keyring.errors import KeyringLocked, NoKeyringError

    if isinstance(exc, NoKeyringError):
        return "No system keychain is available to keep your Toggl token."
    if isinstance(exc, KeyringLocked):
        return "The system keychain is locked, so your Toggl token cannot be kept."
    log.warning("the system keychain failed: %s", type(exc).__name__)  # for support
    return "The system keychain could not be used, so your Toggl token cannot be kept there."
