"""Reading Toggl's answers without a server: its words from any body, the typed error for each
status, the quota and Retry-After headers clamped, and what each transport failure means."""

from __future__ import annotations

import json
import socket
import ssl

import httpx
import pytest

from desktop.api.answers import (
    MAX_HEADER_COUNT,
    MAX_MESSAGE_CHARS,
    encode_body,
    error_for,
    int_header,
    parse_json,
    request_id_of,
    retry_after,
    same_place,
    toggl_message,
    transport_error,
)
from desktop.api.errors import (
    AmbiguousError,
    AuthenticationError,
    BadRequestError,
    CertificateError,
    ForbiddenError,
    GoneError,
    InvalidResponseError,
    NetworkError,
    NotFoundError,
    PaidFeatureError,
    QuotaExceededError,
    RateLimitedError,
    ServerError,
    TimedOutError,
    TogglError,
)
from desktop.api.models import Task

# --- Toggl's words ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "content_type", "said"),
    [
        (b'"Invalid project_id"', "application/json", "Invalid project_id"),
        (b'{"message": "Quota reached"}', "application/json", "Quota reached"),
        (b'{"error": "No access"}', "application/json", "No access"),
        (b'{"error_message": "Gone"}', "application/json", "Gone"),
        (b'{"message": "", "error": "Second try"}', "application/json", "Second try"),
        (b'{"code": 7}', "application/json", '{"code": 7}'),
        (b"Too many requests, slow down", "text/plain", "Too many requests, slow down"),
        (b"<html><body>502 Bad Gateway</body></html>", "text/html", "Bad Gateway"),
        (b"<!doctype html><p>Sign in to the Wi-Fi", "", "Bad Gateway"),
        (b"  ", "text/plain", "Bad Gateway"),
        (b'""', "application/json", "Bad Gateway"),
        (b"[" * 100_000 + b"]" * 100_000, "application/json", "Bad Gateway"),
    ],
)
def test_toggls_words_from_any_body(body: bytes, content_type: str, said: str) -> None:
    assert toggl_message(body, content_type, "Bad Gateway") == said


def test_toggls_words_are_one_clipped_line() -> None:
    said = toggl_message(b'"Line one\\nLine two\\u202e\\u0000end"', "application/json", "x")
    assert said == "Line one Line two  end"
    long = toggl_message(b"y" * 20_000, "text/plain", "x")
    assert len(long) == MAX_MESSAGE_CHARS
    assert long.endswith("…")


def test_secrets_echoed_back_are_cut_out_whatever_their_case() -> None:
    said = toggl_message(
        b'"Token AbCdEf123 is not valid for sam@example.com"',
        "application/json",
        "x",
        [("abcdef123", "[token]"), ("SAM@EXAMPLE.COM", "[email]")],
    )
    assert said == "Token [token] is not valid for [email]"


def test_undecodable_bytes_do_not_raise() -> None:
    assert toggl_message(b"caf\xe9 \xff", "text/plain", "x") == "caf\ufffd \ufffd"


# --- the typed error for each status ------------------------------------------------------------


def answer(status: int, body: bytes = b"", **headers: str) -> tuple[httpx.Response, bytes]:
    return httpx.Response(status, headers=headers, content=body), body


def error(
    status: int, body: bytes = b"", *, on_403_refused: bool = False, **headers: str
) -> TogglError:
    response, raw = answer(status, body, **headers)
    return error_for(response, raw, "req-1", [], credentials_refused_on_403=on_403_refused)


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, ForbiddenError),
        (404, NotFoundError),
        (410, GoneError),
        (418, BadRequestError),
        (500, ServerError),
        (503, ServerError),
    ],
)
def test_each_status_is_its_own_error_with_its_status_and_request_id(
    status: int, kind: type[TogglError]
) -> None:
    found = error(status, b'"Toggl says so"')
    assert type(found) is kind
    assert (found.message, found.status, found.request_id) == ("Toggl says so", status, "req-1")


def test_a_403_is_a_refused_sign_in_only_where_everyone_may_read() -> None:
    assert type(error(403, on_403_refused=True)) is AuthenticationError
    assert type(error(403, on_403_refused=False)) is ForbiddenError


def test_a_402_with_the_quota_spent_waits_for_the_reset_else_it_is_the_plan() -> None:
    spent = error(402, b'"Quota reached"', **{"X-Toggl-Quota-Remaining": "0",
                                               "X-Toggl-Quota-Resets-In": "120"})  # fmt: skip
    assert isinstance(spent, QuotaExceededError)
    assert spent.resets_in == 120
    in_words = error(402, b'"You have hit your quota, it will reset in 75 seconds"')
    assert isinstance(in_words, QuotaExceededError)
    assert in_words.resets_in == 75
    unsaid = error(402, b'"Quota"', **{"X-Toggl-Quota-Remaining": "-3"})
    assert isinstance(unsaid, QuotaExceededError)
    assert unsaid.resets_in == 3600  # no reset given: wait the whole hour
    plan = error(402, b'"Upgrade to use tasks"', **{"X-Toggl-Quota-Remaining": "12"})
    assert type(plan) is PaidFeatureError


def test_a_429_carries_retry_after() -> None:
    slowed = error(429, b"", **{"Retry-After": "7"})
    assert isinstance(slowed, RateLimitedError)
    assert slowed.retry_after == 7.0
    assert slowed.message == "Too Many Requests"  # the reason phrase when Toggl said nothing
    unsaid = error(429)
    assert isinstance(unsaid, RateLimitedError)
    assert unsaid.retry_after is None


@pytest.mark.parametrize("status", [200, 204, 302, 307])
def test_a_redirect_or_odd_status_points_at_a_captive_portal(status: int) -> None:
    odd = error(status, b"<html>Log in to the hotel Wi-Fi</html>")
    assert type(odd) is InvalidResponseError
    assert f"({status})" in odd.message
    assert "captive portal" in odd.message


# --- headers --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "count"),
    [("17", 17), (" 4 ", 4), ("2.9", 2), ("-5", 0), ("inf", MAX_HEADER_COUNT),
     ("1e400", MAX_HEADER_COUNT), ("nan", None), ("soon", None), ("9" * 5000, MAX_HEADER_COUNT)],
)  # fmt: skip
def test_counts_in_headers_are_clamped_or_ignored(value: str, count: int | None) -> None:
    assert int_header(httpx.Headers({"X-Count": value}), "X-Count") == count
    assert int_header(httpx.Headers(), "X-Count") is None


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("5", 5.0), ("0", 0.0), ("-1", 0.0), ("86400", 3600.0), ("inf", 3600.0), ("nan", None),
     ("Wed, 21 Oct 2015 07:28:00 GMT", None)],
)  # fmt: skip
def test_retry_after_is_clamped_to_an_hour(value: str, seconds: float | None) -> None:
    assert retry_after(httpx.Headers({"Retry-After": value})) == seconds


def test_a_request_id_is_kept_short_and_on_one_line() -> None:
    assert request_id_of(httpx.Headers({"X-Toggl-Request-Id": "abc-123"})) == "abc-123"
    long = request_id_of(httpx.Headers({"X-Toggl-Request-Id": "r" * 400}))
    assert long == "r" * 100
    assert request_id_of(httpx.Headers()) is None


# --- bodies ---------------------------------------------------------------------------------------


def test_a_body_that_cannot_be_encoded_is_refused_before_sending() -> None:
    with pytest.raises(BadRequestError, match="cannot be sent"):
        encode_body({"name": "half a pair \ud83d"})
    with pytest.raises(BadRequestError):
        encode_body({"estimated_seconds": float("nan")})
    assert encode_body(None) == (None, {})
    content, headers = encode_body({"name": "Ünïcode"})
    assert content == json.dumps({"name": "Ünïcode"}, ensure_ascii=False).encode()
    assert headers == {"Content-Type": "application/json"}


def test_an_unreadable_answer_is_invalid_and_hints_at_a_portal_when_it_is_html() -> None:
    response = httpx.Response(200)
    assert parse_json(b"  ", response, None) is None
    assert parse_json(b'{"id": 1}', response, None) == {"id": 1}
    with pytest.raises(InvalidResponseError, match="captive portal") as html:
        parse_json(b"<html>Sign in</html>", response, "req-9")
    assert (html.value.status, html.value.request_id) == (200, "req-9")
    with pytest.raises(InvalidResponseError) as garbage:
        parse_json(b"{not json", response, None)
    assert "portal" not in garbage.value.message


def test_a_task_created_somewhere_else_is_refused() -> None:
    here = Task(id=1, name="T", workspace_id=10, project_id=20)
    assert same_place(here, 10, 20) is here
    assert same_place(Task(id=2, name="T"), 10, 20).id == 2  # fields not given: nothing to check
    for elsewhere in (
        Task(id=3, name="T", workspace_id=10, project_id=21),
        Task(id=4, name="T", workspace_id=11, project_id=20),
    ):
        with pytest.raises(InvalidResponseError, match="another project"):
            same_place(elsewhere, 10, 20)


# --- transport failures ---------------------------------------------------------------------------


def connect_error(cause: BaseException) -> httpx.ConnectError:
    error = httpx.ConnectError("connect failed")
    error.__cause__ = cause
    return error


@pytest.mark.parametrize(
    ("raised", "kind", "words"),
    [
        (httpx.ConnectTimeout("t"), NetworkError, "did not accept a connection"),
        (httpx.PoolTimeout("t"), NetworkError, "No connection to Toggl was free"),
        (httpx.ReadTimeout("t"), TimedOutError, "did not answer in time"),
        (httpx.WriteTimeout("t"), TimedOutError, "did not answer in time"),
        (connect_error(ssl.SSLCertVerificationError("bad cert")), CertificateError, "verified"),
        (connect_error(ssl.SSLError("handshake")), CertificateError, "secure connection"),
        (connect_error(socket.gaierror(-2, "Name unknown")), NetworkError, "look up the address"),
        (connect_error(ConnectionRefusedError(111, "refused")), NetworkError, "Could not connect"),
        (httpx.ProxyError("proxy says no"), NetworkError, "through the proxy"),
        (httpx.RemoteProtocolError("closed"), AmbiguousError, "broke before its answer"),
        (httpx.ReadError("reset"), AmbiguousError, "broke before its answer"),
        (httpx.DecodingError("bad gzip"), InvalidResponseError, "could not be read"),
    ],
)
def test_each_transport_failure_is_one_plain_sentence(
    raised: httpx.HTTPError, kind: type[TogglError], words: str
) -> None:
    error = transport_error(raised)
    assert type(error) is kind
    assert words in error.message
    for detail in ("bad cert", "handshake", "Name unknown", "refused", "reset", "gzip", "111"):
        assert detail not in error.message  # never the exception's own text or an errno


def test_a_cause_chain_that_loops_ends() -> None:
    first, second = ssl.SSLError("one"), OSError("two")
    first.__context__, second.__context__ = second, first
    assert type(transport_error(connect_error(first))) is CertificateError
