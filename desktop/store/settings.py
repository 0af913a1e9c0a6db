"""Small user preferences (last workspace and project) in `settings.json` in the data dir."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SETTINGS_FILE = "settings.json"


@dataclass(slots=True)
class Settings:
    workspace_id: int | None = None
    project_by_workspace: dict[int, int] = field(default_factory=dict)

    def last_project(self, workspace_id: int) -> int | None:
        return self.project_by_workspace.get(workspace_id)


def load_settings(data_dir: Path) -> Settings:
    """The saved settings; a missing or damaged file gives the defaults (they are only hints)."""
    try:
        raw: Any = json.loads((data_dir / SETTINGS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Settings()
    if not isinstance(raw, dict):
        return Settings()
    workspace_id = raw.get("workspace_id")
    projects = raw.get("project_by_workspace")
    return Settings(
        workspace_id=workspace_id if _is_id(workspace_id) else None,
        project_by_workspace={
            int(k): v
            for k, v in (projects.items() if isinstance(projects, dict) else [])
            if str(k).isdigit() and _is_id(v)
        },
    )


def save_settings(data_dir: Path, settings: Settings) -> None:
    """Write atomically (temp file + rename), user-only permissions."""
    data = {
        "workspace_id": settings.workspace_id,
        "project_by_workspace": {str(k): v for k, v in settings.project_by_workspace.items()},
    }
    fd, tmp = tempfile.mkstemp(prefix=".settings-", suffix=".tmp", dir=data_dir)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=2)
        os.replace(tmp, data_dir / SETTINGS_FILE)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _is_id(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0
