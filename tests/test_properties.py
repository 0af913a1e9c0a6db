"""Property-based tests: whatever is typed or sent back, a result or a clear error."""

from __future__ import annotations

import json
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.api.auth import ApiToken
from desktop.api.client import TogglClient
from desktop.api.errors import TogglError
from desktop.api.models import Me, Project, Task, User, Workspace
from desktop.domain.estimate import (
    MAX_ESTIMATE_SECONDS,
    EstimateError,
    format_clock,
    format_human,
    parse_estimate,
)
from desktop.domain.summary import task_summary
from desktop.domain.task_name import MAX_NAME_BYTES, TaskNameError, clean_task_name
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
            assert task_summary(parsed)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(body=JSON, status=st.sampled_from([200, 400, 402, 403, 404, 429, 500, 503]))
def test_client_survives_any_answer(body: Any, status: int) -> None:
    record(inputs_generated=1)
    raw = json.dumps(body).encode()

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=raw, headers={"Content-Type": "application/json"})

    with TogglClient(
        "https://api.track.toggl.com/api/v9", ApiToken("t"), transport=httpx.MockTransport(answer)
    ) as api:
        for call in (api.workspaces, lambda: api.projects(1), lambda: api.users(1)):
            try:
                call()
            except TogglError as error:
                assert error.message
