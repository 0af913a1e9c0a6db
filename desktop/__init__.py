"""Task Desk: create tasks in Toggl Track projects, online or offline."""

import os
import sys

APP_NAME = "Task Desk"
APP_ID = "task-desk"
DIST_NAME = "task-desk"


def _version() -> str:
    """The one version, pyproject.toml's: read from the checkout when running from one (an
    installed copy's metadata can lag behind an edit), else from the installed metadata
    (a frozen bundle or a wheel: PyInstaller copies it, as it sees the literal name below).

    Read by hand, not with `tomllib` and `importlib.metadata`: every start (the window's
    too) reads it, and those two imports cost ~30 ms before the first paint."""
    package = os.path.dirname(os.path.abspath(__file__))
    return (
        _from_pyproject(os.path.join(os.path.dirname(package), "pyproject.toml"))
        or _from_bundle(getattr(sys, "_MEIPASS", None))
        or _from_metadata()
    )


def _from_pyproject(path: str) -> str | None:
    """`[project]`'s version when its name is ours; a version is a plain quoted string."""
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except (OSError, UnicodeDecodeError):
        return None
    section, fields = "", {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("["):
            section = line
        elif section == "[project]" and "=" in line:
            key, _, value = (part.strip() for part in line.partition("="))
            if len(value) > 1 and value[0] == value[-1] and value[0] in "\"'":
                fields[key] = value[1:-1]
    return fields.get("version") if fields.get("name") == DIST_NAME else None


METADATA_FILES = {".dist-info": "METADATA", ".egg-info": "PKG-INFO"}
"""Where PyInstaller's copy of the metadata keeps the version, by the folder's ending (an
editable install, as the bundle is built, leaves an egg-info)."""


def _from_bundle(folder: str | None) -> str | None:
    """The `Version:` of the metadata PyInstaller copied into the frozen bundle."""
    if folder is None:
        return None
    try:
        for name in os.listdir(folder):
            ending = os.path.splitext(name)[1]
            if name.startswith(("task_desk-", "task_desk.")) and ending in METADATA_FILES:
                path = os.path.join(folder, name, METADATA_FILES[ending])
                with open(path, encoding="utf-8") as f:
                    for line in f:
                        if line.startswith("Version:"):
                            return line.partition(":")[2].strip() or None
    except (OSError, UnicodeDecodeError):
        return None
    return None


def _from_metadata() -> str:
    from importlib import metadata

    try:
        return metadata.version("task-desk")
    except metadata.PackageNotFoundError:
        return "0+unknown"  # neither a checkout nor installed: --version says so plainly


__version__ = _version()
