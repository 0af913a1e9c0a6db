"""Task Desk: create tasks in Toggl Track projects, online or offline."""

import tomllib
from importlib import metadata
from pathlib import Path

APP_NAME = "Task Desk"
APP_ID = "task-desk"
DIST_NAME = "task-desk"


def _version() -> str:
    """The one version, pyproject.toml's: read from the checkout when running from one (an
    installed copy's metadata can lag behind an edit), else from the installed metadata
    (a frozen bundle or a wheel: PyInstaller copies it, as it sees the literal name below).
    """
    pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
    try:
        with pyproject.open("rb") as f:
            project = tomllib.load(f).get("project", {})
        if project.get("name") == DIST_NAME and isinstance(project.get("version"), str):
            return str(project["version"])
    except (OSError, tomllib.TOMLDecodeError):
        pass
    try:
        return metadata.version("task-desk")
    except metadata.PackageNotFoundError:
        return "0+unknown"  # neither a checkout nor installed: --version says so plainly


__version__ = _version()
