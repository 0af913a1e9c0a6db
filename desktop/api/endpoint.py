"""The API base URL: HTTPS always, plain HTTP only to this machine (tests, a local fake)."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

DEFAULT_BASE_URL = "https://api.track.toggl.com/api/v9"


class InsecureUrlError(ValueError):
    """The base URL would send credentials unencrypted, or is not a URL at all."""


def is_loopback_host(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _has_space_or_control(text: str) -> bool:
    """Whitespace, or a control or format character (newline, NUL, bidi override, zero-width)."""
    return any(ch.isspace() or not ch.isprintable() for ch in text)


def validate_base_url(url: str) -> str:
    """Return `url` without surrounding whitespace or a trailing slash, or raise
    `InsecureUrlError` with a plain reason.

    Whitespace and control characters inside the address are refused here: `urlsplit` quietly
    drops tabs and newlines, so they used to pass this check and be refused by httpx mid-send.
    """
    stripped = url.strip()
    if _has_space_or_control(stripped):
        raise InsecureUrlError(
            "The API address must not contain spaces, line breaks or other control characters."
        )
    try:
        parts = urlsplit(stripped)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number in range
    except ValueError:
        raise InsecureUrlError(f"{stripped!r} is not a valid http(s) address.") from None
    if parts.scheme not in ("http", "https") or not host:
        raise InsecureUrlError(f"{stripped!r} is not an http(s) address.")
    if parts.scheme == "http" and not is_loopback_host(host):
        raise InsecureUrlError(
            f"Refusing plain http to {host}, as the Toggl token would travel unencrypted; use "
            "https (plain http is allowed only for this computer, such as 127.0.0.1)."
        )
    if parts.username or parts.password:
        raise InsecureUrlError("The API address must not contain a user name or password.")
    return stripped.rstrip("/")
