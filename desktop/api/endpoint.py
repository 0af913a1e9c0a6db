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


def validate_base_url(url: str) -> str:
    """Return `url` without a trailing slash, or raise `InsecureUrlError` with a plain reason."""
    parts = urlsplit(url.strip())
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or not host:
        raise InsecureUrlError(f"{url!r} is not an http(s) address.")
    if parts.scheme == "http" and not is_loopback_host(host):
        raise InsecureUrlError(
            f"Refusing plain http to {host}: the Toggl token would travel unencrypted. "
            "Use https (plain http is allowed only for this computer, such as 127.0.0.1)."
        )
    if parts.username or parts.password:
        raise InsecureUrlError("The API address must not contain a user name or password.")
    return url.strip().rstrip("/")
