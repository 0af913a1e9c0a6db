"""Property-based tests: whatever is typed or sent back, a result or a clear error."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.api.auth import ApiToken
from desktop.api.client import TogglClient
from desktop.api.errors import QuotaExceededError, RateLimitedError, TogglError
from desktop.api.models import Me, Project, Task, TaskChanges, TaskDraft, User, Workspace
from desktop.domain.estimate import (
    MAX_ESTIMATE_SECONDS,
    EstimateError,
    format_clock,
    format_human,
    parse_estimate,
)
from desktop.domain.summary import task_line
from desktop.domain.task_name import MAX_NAME_BYTES, TaskNameError, clean_task_name
from desktop.messages import describe
from tests.reliability import record

TRICKY_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=300
) | st.sampled_from(["\u202eevil", "1h\u200b30m", "٣h", "½h", "1e309h", "9" * 400, "\x00", "💥"])


@settings(max_examples=400)
@given(TRICKY_TEXT)
def test_estimate_parser_answers_or_explains(text: str) -> None:
    record(inputs_generated=1)
    try:
        seconds = parse_estimate(text)
    except EstimateError as error:
        assert str(error)
        return
    assert seconds is None or 0 <= seconds <= MAX_ESTIMATE_SECONDS


@given(st.integers(min_value=0, max_value=MAX_ESTIMATE_SECONDS))
def test_formatted_estimates_parse_back(seconds: int) -> None:
    record(inputs_generated=1)
    assert parse_estimate(format_clock(seconds)) == seconds - seconds % 60
    assert parse_estimate(format_human(seconds).replace(" ", "")) == seconds


@settings(max_examples=400)
@given(TRICKY_TEXT)
def test_task_names_are_clean_or_refused(text: str) -> None:
    record(inputs_generated=1)
    try:
        name = clean_task_name(text)
    except TaskNameError as error:
        assert str(error)
        return
    assert name == name.strip()
    assert 0 < len(name.encode()) <= MAX_NAME_BYTES


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False)
    | TRICKY_TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner),
    max_leaves=20,
)
FIELDS = st.fixed_dictionaries(
    {},
    optional={
        key: JSON
        for key in (
            "id", "name", "active", "at", "estimated_seconds", "tracked_seconds", "user_id",
            "user_name", "project_id", "project_name", "client_name", "premium", "fullname",
            "email", "api_token", "default_workspace_id",
        )
    },
)  # fmt: skip


@settings(max_examples=300)
@given(FIELDS | JSON)
def test_models_parse_any_shape_or_raise_a_toggl_error(data: Any) -> None:
    record(inputs_generated=1)
    for model in (Me, Workspace, Project, User, Task):
        try:
            parsed = model.from_json(data)
        except TogglError as error:
            assert error.message
            continue
        assert isinstance(parsed.id, int)
        if isinstance(parsed, Task):
            assert task_line(parsed, datetime.now())


ABSURD_NUMBERS = st.sampled_from(
    ["inf", "-inf", "nan", "1e20", "1e12", "-5", "0", "7", "garbage", "9" * 5000, "", "0x1f"]
)
HEADERS = st.fixed_dictionaries(
    {},
    optional={
        name: ABSURD_NUMBERS
        for name in ("X-Toggl-Quota-Remaining", "X-Toggl-Quota-Resets-In", "Retry-After")
    }
    | {
        "Content-Type": st.sampled_from(["application/json", "text/html", "text/plain", ""]),
        "X-Toggl-Request-Id": TRICKY_TEXT.map(lambda text: text.encode("utf-8").hex()[:300]),
        "Content-Encoding": st.just("gzip"),
    },
)
DEEP = st.integers(min_value=1, max_value=200_000).map(lambda n: b"[" * n + b"]" * n)
BODIES = (
    JSON.map(lambda body: json.dumps(body).encode())
    | DEEP
    | st.binary(max_size=200)
    | st.sampled_from([b'[{"id": 1' + b"0" * 5000 + b"}]", b'"' + b"\\ud800" + b'"', b"<html>"])
)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(
    body=BODIES,
    status=st.sampled_from([200, 201, 204, 299, 302, 400, 401, 402, 403, 404, 410, 429, 500])
    | st.integers(min_value=100, max_value=999),
    headers=HEADERS,
)
def test_client_survives_any_answer(body: bytes, status: int, headers: dict[str, str]) -> None:
    """Whatever the status, headers and body, every public call returns or raises a
    `TogglError` with a message, and every wait it asks for is within an hour."""
    record(inputs_generated=1)

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=body, headers=headers)

    with TogglClient(
        "https://api.track.toggl.com/api/v9", ApiToken("t"), transport=httpx.MockTransport(answer)
    ) as api:
        calls: list[Callable[[], object]] = [
            api.me,
            api.workspaces,
            lambda: api.projects(1),
            lambda: api.users(1),
            lambda: api.tasks(1, 2),
            lambda: api.create_task(1, 2, TaskDraft("x", estimated_seconds=60, user_id=3)),
            lambda: api.update_task(1, 2, 3, TaskChanges(active=False)),
        ]
        for call in calls:
            api._quota_blocked_until = 0.0  # each call reaches the transport
            try:
                call()
            except TogglError as error:
                assert error.message
                assert describe(error, "create the task").text
                if isinstance(error, QuotaExceededError):
                    assert 0 <= error.resets_in <= 3600
                if isinstance(error, RateLimitedError) and error.retry_after is not None:
                    assert 0 <= error.retry_after <= 3600
            if api.quota is not None and api.quota.resets_in is not None:
                assert 0 <= api.quota.resets_in <= 3600
