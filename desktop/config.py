"""The options the window and the command line share, declared once here, and the data
directory every file of the app goes under.

The window parses with `parse_args`; the command line (`desktop.cli.arguments`) adds
`add_shared_options` to each command's parser and checks the values as the window does."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import NamedTuple

from desktop import APP_NAME, __version__
from desktop.api.endpoint import DEFAULT_BASE_URL, InsecureUrlError, validate_base_url
from desktop.data_folder import prepare_folder

ENV_API_URL = "TASK_DESK_API_URL"
ENV_DATA_DIR = "TASK_DESK_DATA_DIR"
PROG = "TaskDesk"
"""The program's name in every usage line: the bundle's, and the README's."""
COMMANDS = (
    f"Commands: {PROG} add|outbox|sync|--self-check [--online], and {PROG} workspaces|projects "
    f"to list ids and names; see {PROG} COMMAND --help."
)
"""The window's `--help` ends with this, so the commands can be found from it."""


class Config(NamedTuple):
    """A NamedTuple: a dataclass costs ~0.45 ms to create, on the way to the first paint."""

    api_url: str
    data_dir: Path
    quick_add: bool = False
    """`--quick-add`: the quick-add window alone, or the running copy's (ui.instance_link)."""


def default_data_dir() -> Path:
    from platformdirs import user_data_path  # not loaded when a folder is given

    return user_data_path("TaskDesk", appauthor=False, roaming=True)


def add_shared_options(parser: argparse.ArgumentParser) -> None:
    """`--api-url` and `--data-dir`, as the window and every command take them: an option wins
    over its environment variable, which wins over the default. Both stay text here; the
    caller checks them (`validate_base_url`, `resolve_data_dir`)."""
    parser.add_argument(
        "--api-url",
        metavar="URL",
        default=os.environ.get(ENV_API_URL, DEFAULT_BASE_URL),
        help="Toggl API base URL: https, or plain http to this computer only (default: "
        f"${ENV_API_URL}, else {DEFAULT_BASE_URL})",
    )
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        default=os.environ.get(ENV_DATA_DIR) or None,
        help="folder for the outbox, cached lists, settings and log (default: "
        f"${ENV_DATA_DIR}, else your user data folder)",
    )


def add_version_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")


def resolve_data_dir(text: str | None) -> Path:
    """The `--data-dir` given, `~` expanded and made absolute, or the default one."""
    return Path(text).expanduser().absolute() if text else default_data_dir().absolute()


def window_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description=f"{APP_NAME}: create tasks in your Toggl Track projects. Without a "
        "command, it opens its window.",
        epilog=COMMANDS,
    )
    add_shared_options(parser)
    parser.add_argument(
        "--quick-add",
        action="store_true",
        help="open only the small quick-add window (if Task Desk already runs on the same "
        "data folder, it shows its own and this exits 0); for a keyboard shortcut",
    )
    add_version_option(parser)
    return parser


def parse_args(argv: list[str]) -> Config:
    """The window's options. A bad one, `--help` and `--version` end in argparse's
    `SystemExit` (2 for a mistake, explained on stderr; 0 otherwise)."""
    given = _plain_options(argv)
    if given is not None:
        api_url = given.get("--api-url", os.environ.get(ENV_API_URL, DEFAULT_BASE_URL))
        data_dir = given.get("--data-dir", os.environ.get(ENV_DATA_DIR) or None)
        try:
            checked = validate_base_url(api_url)
        except InsecureUrlError:
            pass  # argparse says it, as for any mistake
        else:
            return Config(checked, resolve_data_dir(data_dir), "--quick-add" in given)
    parser = window_parser()
    args = parser.parse_args(argv)
    try:
        checked = validate_base_url(args.api_url)
    except InsecureUrlError as exc:
        parser.error(str(exc))
    return Config(checked, resolve_data_dir(args.data_dir), args.quick_add)


def _plain_options(argv: list[str]) -> dict[str, str] | None:
    """The options in their plain forms (`--api-url URL`, `--data-dir=DIR`, `--quick-add`),
    as argparse would read them; None for anything else (a mistake, an abbreviation, `--help`,
    a value starting with "-"), which argparse then reads. Building the parser costs ~2 ms
    before the first paint (its gettext look-ups load `locale`; its regexes compile)."""
    given: dict[str, str] = {}
    rest = iter(argv)
    for arg in rest:
        name, equals, value = arg.partition("=")
        if name == "--quick-add" and not equals:
            given[name] = ""
        elif name in ("--api-url", "--data-dir"):
            value = value if equals else next(rest, "-")
            if value.startswith("-"):
                return None
            given[name] = value
        else:
            return None
    return given


def ensure_data_dir(path: Path) -> str | None:
    """Create the data directory (and missing parents) 0700, or check the one already there.

    Returns None, or a sentence to show the user: the folder was open to others and is now
    private. Raises `desktop.data_folder.DataFolderError` (an OSError) for someone else's folder
    or one that is not a folder, with one sentence; other OSErrors (read-only disk) as they are."""
    return prepare_folder(path)
