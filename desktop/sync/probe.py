"""A connectivity probe that costs no request against the Toggl quota: a bare TCP connect."""

from __future__ import annotations

import socket
from urllib.parse import urlsplit


def can_connect(base_url: str, timeout: float = 3.0) -> bool:
    parts = urlsplit(base_url)
    host = parts.hostname
    if not host:
        return False
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False
