"""The text "Copy diagnostics" puts on the clipboard: what support needs, and no secrets."""

from __future__ import annotations

import platform
import sys
from collections import Counter
from pathlib import Path

from desktop import APP_NAME, __version__
from desktop.credentials import keyring_backend_name
from desktop.logs import recent_lines
from desktop.store.outbox_row import OutboxRow


def diagnostics(
    *, api_url: str, data_dir: Path, qt_version: str, outbox: list[OutboxRow], status: str
) -> str:
    states = Counter(row.state.value for row in outbox)
    lines = [
        f"{APP_NAME} {__version__}",
        f"Python {platform.python_version()} on {platform.platform()} ({sys.platform})",
        f"Qt {qt_version}",
        f"API: {api_url}",
        f"Data folder: {data_dir}",
        f"Keyring: {keyring_backend_name()}",
        f"Connection: {status}",
        "Outbox: " + (", ".join(f"{n} {s}" for s, n in sorted(states.items())) or "empty"),
        "",
        "Recent log:",
        *recent_lines(data_dir),
    ]
    return "\n".join(lines)
