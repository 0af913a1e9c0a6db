"""The log blanks secrets, and only secrets: Toggl's request ids must reach support readable."""

from __future__ import annotations

import logging
import secrets
from pathlib import Path

import pytest

from desktop.api.auth import ApiToken, EmailPassword
from desktop.credentials import ENV_TOKEN, load_token
from desktop.logs import REDACTED, log_path, register_secret, start_logging, stop_logging
from desktop.session import Session
from tests.fake_toggl import FakeToggl

log = logging.getLogger("tests.logs")


def logged(data_dir: Path, *lines: tuple[str, tuple[object, ...]]) -> str:
    handler = start_logging(data_dir)
    try:
        for message, args in lines:
            log.info(message, *args)
    finally:
        stop_logging(handler)
    return log_path(data_dir).read_text(encoding="utf-8")


def test_request_ids_survive_in_the_log(data_dir: Path) -> None:
    request_id = secrets.token_hex(16)  # 32 hex digits, the shape of a Toggl API token too
    text = logged(data_dir, ("POST /x -> %s in %.0f ms (request id %s)", (201, 12.0, request_id)))
    assert f"(request id {request_id})" in text
    assert REDACTED not in text


def test_a_registered_token_never_reaches_the_log(data_dir: Path) -> None:
    token = secrets.token_hex(16)
    register_secret(token)
    handler = start_logging(data_dir)
    try:
        log.info("signed in with %s", token)
        log.info("credentials %r", (token, "api_token"))
        try:
            try:
                raise ValueError(f"the server echoed {token}")
            except ValueError as cause:
                raise RuntimeError(f"Authorization: Basic {token}") from cause
        except RuntimeError:
            log.exception("sync step failed with %s", token)
    finally:
        stop_logging(handler)
    text = log_path(data_dir).read_text(encoding="utf-8")
    assert token not in text
    assert "ValueError: the server echoed [redacted]" in text
    assert "RuntimeError: Authorization: Basic [redacted]" in text
    assert "sync step failed with [redacted]" in text


def test_a_registered_password_is_blanked_however_it_is_quoted(data_dir: Path) -> None:
    password = "correct 'horse' \\ battery"
    register_secret(password)
    text = logged(
        data_dir,
        ("typed %s", (password,)),
        ("as a repr %r", ((password,),)),
        ('as JSON {"password": "%s"}', (password.replace("\\", "\\\\"),)),
    )
    assert "horse" not in text
    assert text.count(REDACTED) == 3


def test_credential_shapes_are_blanked_without_registering(data_dir: Path) -> None:
    text = logged(
        data_dir,
        ("Authorization: Basic %s", ("dXNlcjpwYXNz",)),
        ("headers %r", ({"authorization": "Bearer abc.def"},)),
        ("url https://%s:api_token@example.invalid", ("unregistered0token",)),
        ("authorization failed for %s", ("a project",)),  # prose, not a header: kept
    )
    assert "dXNlcjpwYXNz" not in text
    assert "abc.def" not in text
    assert "unregistered0token" not in text
    assert "Authorization: Basic [redacted]" in text
    assert "authorization failed for a project" in text


def test_every_way_in_registers_the_token_and_password(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Signing in with a token, with email and password, and starting with TOGGL_API_TOKEN:
    each secret is blanked in the log from then on."""
    token, password, env_token = (secrets.token_hex(16) for _ in range(3))
    with FakeToggl(token=token, password=password) as fake:
        session = Session(fake.url, data_dir)
        try:
            session.sign_in(EmailPassword(fake.email, password))
            session.sign_in(ApiToken(token))
        finally:
            session.close()
    monkeypatch.setenv(ENV_TOKEN, env_token)
    assert load_token().token == env_token
    text = logged(data_dir, ("echoed %s %s %s", (token, password, env_token)))
    assert token not in text
    assert password not in text
    assert env_token not in text
    assert text.count(REDACTED) == 3
