"""What travels between the HTTP server and the fake: requests, responses, API errors."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

API_PREFIX = "/api/v9"
CONTROL_PREFIX = "/_control"


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the fake received it (path without query, including ``/api/v9``)."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: Any
    raw_body: bytes


@dataclass
class Response:
    """A response to send: status, raw body and extra headers."""

    status: int
    body: bytes = b""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)


class ApiError(Exception):
    """Raised by route handlers: answered as a JSON string literal body, as Toggl does."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def json_response(status: int, payload: Any) -> Response:
    """A JSON response with this status."""
    return Response(status, json.dumps(payload).encode())


def parse_json(raw: bytes) -> tuple[bool, Any]:
    """Return (ok, value); an empty body is (False, None)."""
    if not raw.strip():
        return False, None
    try:
        return True, json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return False, None


def now_iso() -> str:
    """The current UTC time as Toggl writes it, e.g. ``2026-01-31T12:00:00Z``."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def merge_headers(base: dict[str, str], extra: dict[str, str]) -> dict[str, str]:
    """``base`` with ``extra`` laid over it, header names compared case-insensitively."""
    merged = dict(base)
    for key, value in extra.items():
        for existing in [k for k in merged if k.lower() == key.lower()]:
            del merged[existing]
        merged[key] = value
    return merged
