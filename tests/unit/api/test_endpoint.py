"""The API address: HTTPS anywhere, plain HTTP only to this computer, and nothing in it that
would carry the token somewhere else or be refused by httpx halfway through a send."""

from __future__ import annotations

import re

import pytest

from desktop.api.endpoint import (
    DEFAULT_BASE_URL,
    InsecureUrlError,
    is_loopback_host,
    validate_base_url,
)


@pytest.mark.parametrize(
    "url",
    [
        "https://api.track.toggl.com/api\n/v9",
        "https://api.track.toggl.com/api/v9\r\nX-Injected: 1",
        "https://api.track.toggl.com/api\t/v9",
        "https://api.track .toggl.com/api/v9",
        "https://api.track.toggl.com/api/v9\x00",
        "https://api.track.toggl.com/\u202eapi/v9",
        "http://127.0.0.1:8080/api\u2028/v9",
    ],
)
def test_whitespace_and_control_characters_in_the_url_are_refused(url: str) -> None:
    """`urlsplit` drops a newline or tab silently: the address passed, then httpx refused it."""
    with pytest.raises(InsecureUrlError, match="spaces, line breaks") as error:
        validate_base_url(url)
    assert "\n" not in str(error.value)


def test_surrounding_whitespace_is_trimmed() -> None:
    assert validate_base_url("  https://api.track.toggl.com/api/v9/\n") == DEFAULT_BASE_URL


@pytest.mark.parametrize(
    "url",
    [
        "https://api.track.toggl.com/api/v9/",
        "http://127.0.0.1:8080/api/v9",
        "http://localhost/api/v9",
        "http://[::1]:9/api/v9",
    ],
)
def test_https_and_loopback_http_are_allowed(url: str) -> None:
    assert validate_base_url(url) == url.rstrip("/")


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("localhost", True),
        ("LocalHost", True),
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("::1", True),
        ("localhost.example.com", False),
        ("10.0.0.1", False),
        ("::ffff:8.8.8.8", False),
        ("", False),
    ],
)
def test_only_this_computer_counts_as_loopback(host: str, loopback: bool) -> None:
    assert is_loopback_host(host) is loopback


def test_plain_http_elsewhere_is_refused_naming_the_host_and_why() -> None:
    with pytest.raises(InsecureUrlError) as error:
        validate_base_url("http://toggl.example.com/api/v9")
    said = str(error.value)
    assert "toggl.example.com" in said
    assert "unencrypted" in said
    assert "https" in said


@pytest.mark.parametrize(
    "url",
    ["https://me:secret@api.track.toggl.com/api/v9", "http://me@127.0.0.1:8080/api/v9"],
)
def test_a_user_name_or_password_in_the_address_is_refused_without_repeating_it(
    url: str,
) -> None:
    with pytest.raises(InsecureUrlError, match="user name or password") as error:
        validate_base_url(url)
    assert "secret" not in str(error.value)


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("ftp://127.0.0.1/x", "not an http(s) address"),
        ("https:///api/v9", "not an http(s) address"),
        ("https://api.track.toggl.com:99999/api/v9", "not a valid http(s) address"),
        ("http://[::1/api/v9", "not a valid http(s) address"),
    ],
)
def test_what_is_not_an_address_says_so(url: str, words: str) -> None:
    with pytest.raises(InsecureUrlError, match=re.escape(words)):
        validate_base_url(url)


def test_the_default_address_is_toggls_own_over_https() -> None:
    assert validate_base_url(DEFAULT_BASE_URL) == "https://api.track.toggl.com/api/v9"
