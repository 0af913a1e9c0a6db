"""Command-line options and the data directory every file of the app goes under."""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass
from pathlib import Path

from desktop import APP_NAME, __version__
from desktop.api.endpoint import DEFAULT_BASE_URL, InsecureUrlError, validate_base_url
from desktop.data_folder import prepare_folder

ENV_API_URL = "TASK_DESK_API_URL"
ENV_DATA_DIR = "TASK_DESK_DATA_DIR"


@dataclass(slots=True)
class Config:
    api_url: str
    data_dir: Path


def default_data_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path("TaskDesk", appauthor=False, roaming=True)


def parse_args(argv: list[str]) -> Config:
    """Options win over environment variables, which win over the defaults."""
    parser = argparse.ArgumentParser(
        prog="task-desk", description=f"{APP_NAME}: create tasks in your Toggl Track projects."
    )
    parser.add_argument(
        "--api-url",
        default=os.environ.get(ENV_API_URL, DEFAULT_BASE_URL),
        help=f"Toggl API base URL (default {DEFAULT_BASE_URL}; http only for this computer)",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=os.environ.get(ENV_DATA_DIR) or None,
        help="folder for settings and cached data (default: your user data folder)",
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    args = parser.parse_args(argv)
    try:
        api_url = validate_base_url(args.api_url)
    except InsecureUrlError as exc:
        parser.error(str(exc))
    data_dir = Path(args.data_dir).expanduser() if args.data_dir else default_data_dir()
    return Config(api_url=api_url, data_dir=data_dir.absolute())


def ensure_data_dir(path: Path) -> str | None:
    """Create the data directory (and missing parents) 0700, or check the one already there.

    Returns None, or a sentence to show the user: the folder was open to others and is now
    private. Raises `desktop.data_folder.DataFolderError` (an OSError) for someone else's folder
    or one that is not a folder, with one sentence; other OSErrors (read-only disk) as they are."""
    return prepare_folder(path)
