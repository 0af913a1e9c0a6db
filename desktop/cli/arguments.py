"""The command line's grammar. Every mistake in it is a `UsageError` with one sentence (exit 64,
as the README promises), never argparse's own exit 2 with a usage dump; `--help` and
`--version` end with `Finished` (exit 0)."""

from __future__ import annotations

import argparse
import re
from typing import NoReturn

import httpx

from desktop import APP_NAME, __version__
from desktop.api.endpoint import InsecureUrlError, validate_base_url
from desktop.cli.task_arguments import add_task_commands, check_edit
from desktop.config import PROG, add_shared_options, add_version_option

MAX_ID = 2**63 - 1
"""Toggl's ids, and SQLite's integers, are signed 64-bit."""
OUTBOX_ACTIONS = ("retry", "discard")
_NAMED = "(a name: any unique start of it, in any case)"


class UsageError(Exception):
    """The arguments make no command; the message says why in one sentence."""


class Finished(Exception):  # noqa: N818 - not a failure: --help or --version was answered
    """argparse answered by itself (`--help`, `--version`); `code` is the exit code."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(_sentence(message, self.prog))

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        if message:
            self._print_message(message)
        raise Finished(status)


def _sentence(message: str, prog: str) -> str:
    """argparse's `argument --workspace: invalid ...` as `--workspace: invalid ....` and where
    to read more."""
    about = re.match(r"argument ([^:]+): (.*)", message, re.DOTALL)
    if about:
        message = f"{about[1].split('/')[-1]}: {about[2]}"
    message = message[:1].upper() + message[1:]
    return f"{message.rstrip('.')}. See `{prog} --help`."


def shown(text: str, limit: int = 40) -> str:
    """A value the user gave, quoted and cut short, for an error message."""
    return repr(text if len(text) <= limit else text[:limit] + "…")


def positive_id(text: str) -> int:
    """An id: 1 up to 2**63 - 1, in ASCII digits only (`int` also takes `+5`, `5_0`, and
    digits of other scripts)."""
    digits = text.strip()
    significant = digits.lstrip("0")
    if (
        not (digits.isascii() and digits.isdigit())
        or len(significant) > len(str(MAX_ID))
        or not 0 < int(significant or "0") <= MAX_ID
    ):
        raise argparse.ArgumentTypeError(
            f"expected a whole number from 1 to {MAX_ID}, not {shown(text)}"
        )
    return int(significant)


def id_or_name(text: str) -> int | str:
    """argparse's type for a workspace, project or person: an id when it is a number (checked
    as one: `+5` or `0` is refused, not looked up), else a name looked up later."""
    if re.fullmatch(r"\s*[+-]?\d+\s*", text):
        return positive_id(text)
    name = text.strip()
    if not name:
        raise argparse.ArgumentTypeError(f"expected an id or a name, not {shown(text)}")
    return name


def _common() -> _Parser:
    """The window's options (declared once, in `desktop.config`) and `--json`."""
    common = _Parser(add_help=False)
    add_shared_options(common)
    common.add_argument("--json", action="store_true", help="print JSON")
    return common


def parse(argv: list[str]) -> argparse.Namespace:
    """The command and its options; raises `UsageError` or `Finished`."""
    if argv[:1] == ["--self-check"]:  # an option by habit, so not a subcommand to argparse
        check = _Parser(prog=f"{PROG} --self-check", parents=[_common()])
        check.add_argument(
            "--online",
            action="store_true",
            help="also try the API address and the saved token (one request to Toggl)",
        )
        args = check.parse_args(argv[1:])
        args.command = "--self-check"
        return args
    args = _parser().parse_args(argv)
    if args.command == "outbox":
        _check_outbox_action(args.action, args.id)
    if args.command == "add":
        _check_add(args.line, args.file, args.name)
    if args.command == "edit" and (problem := check_edit(args)):
        raise UsageError(problem)
    return args


def _check_add(line: str | None, file: str | None, name: str | None) -> None:
    if file is not None and line is not None:
        raise UsageError("Give the task as a line or the tasks with --file, not both.")
    if file is not None and name is not None:
        raise UsageError("--name names one task: with --file, each line names its own.")
    if file is None and line is None and name is None:
        raise UsageError(
            'A task is required: a line such as "Write report 1h30 @web", --name, or --file.'
        )


def _check_outbox_action(action: str | None, row_id: int | None) -> None:
    if action is None or (action in OUTBOX_ACTIONS and row_id is not None):
        return
    if action in OUTBOX_ACTIONS:
        raise UsageError(
            f"Say which task: `TaskDesk outbox {action} ID`, with an id `TaskDesk outbox` lists."
        )
    if row_id is None and action.isascii() and action.isdigit():
        raise UsageError(
            f"Say what to do with #{action}: `TaskDesk outbox retry {action}` or "
            f"`TaskDesk outbox discard {action}`."
        )
    raise UsageError(
        f"`TaskDesk outbox` lists the outbox; it takes `retry ID` or `discard ID`, "
        f"not {shown(action)}."
    )


def _parser() -> argparse.ArgumentParser:
    common = _common()
    parser = _Parser(prog=PROG, description=f"{APP_NAME} {__version__} on the command line.")
    add_version_option(parser)
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser(
        "add",
        parents=[common],
        help="create a task, or many with --file (queued if offline)",
        description="Create a task from a line such as \"Write report 1h30 @web +sam !done\" "
        "(name, estimate, @project, +person, !done; a backslash keeps a literal @, + or !), "
        "from the options, or both: the options win over the line. With --file, one task on "
        "each line; if any line is not understood, none is queued.",
    )
    add.add_argument("line", nargs="?", help="the task in one line (see above)")
    add.add_argument(
        "--file", metavar="FILE", help="one task on each line, as the line above; - reads stdin"
    )
    add.add_argument(
        "--workspace",
        type=id_or_name,
        default=None,
        help="workspace id or name " + _NAMED + " (default: the one the window would pick)",
    )
    add.add_argument(
        "--project", type=id_or_name, help=f"project id or name {_NAMED}; wins over @project"
    )
    add.add_argument("--name", help="task name; wins over the line's")
    add.add_argument(
        "--estimate", help="time estimate, e.g. 1h30m, 90m, 1.5h, 1:30; wins over the line's"
    )
    add.add_argument(
        "--assignee",
        type=id_or_name,
        default=None,
        help=f"user id, name or email of the assignee {_NAMED}; wins over +person",
    )
    add.add_argument("--inactive", action="store_true", help="create the task as done (!done)")
    outbox = commands.add_parser(
        "outbox",
        parents=[common],
        help="list tasks waiting or refused; `outbox retry ID`, `outbox discard ID`",
        description="Without an action, list the tasks that wait or were refused. "
        "retry ID: send that task again now (one whose last send was never confirmed is "
        "looked for in Toggl first). discard ID: remove it from the outbox.",
    )
    outbox.add_argument(
        "action", nargs="?", metavar="{retry,discard}", help="what to do with the task ID"
    )
    outbox.add_argument("id", nargs="?", type=positive_id, metavar="ID", help="its outbox id")
    commands.add_parser("sync", parents=[common], help="send queued tasks now")
    refresh = _Parser(add_help=False)
    refresh.add_argument(
        "--refresh",
        action="store_true",
        help="fetch the list from Toggl even if the cache is fresh",
    )
    commands.add_parser(
        "workspaces", parents=[common, refresh], help="list your workspaces' ids and names"
    )
    projects = commands.add_parser(
        "projects", parents=[common, refresh], help="list a workspace's projects' ids and names"
    )
    projects.add_argument(
        "--workspace",
        type=id_or_name,
        default=None,
        help="workspace id or name " + _NAMED + " (default: the one the window would pick)",
    )
    add_task_commands(commands, common, id_or_name, positive_id)
    parser.epilog = (
        "TaskDesk --self-check [--online] [--json] checks this installation "
        "(--online: also the API address and the saved token)."
    )
    return parser


def api_address(url: str) -> str:
    """The checked `--api-url`; raises `UsageError` for one that is insecure or not a URL.

    Beyond `validate_base_url`, the address must be one httpx accepts (a host name that is not
    valid IDNA, such as `ä☃.com`, passes the first and not the second): refused only once a
    request was due, it would leave a task already marked as being sent."""
    try:
        checked = validate_base_url(url)
        httpx.URL(checked)
    except InsecureUrlError as exc:
        raise UsageError(str(exc)) from None
    except (httpx.InvalidURL, ValueError):  # httpx's own, or an encoding error it lets through
        raise UsageError(
            f"--api-url {shown(url)} is not a usable address: give the https URL of the "
            "Toggl API, with a valid host name."
        ) from None
    return checked
