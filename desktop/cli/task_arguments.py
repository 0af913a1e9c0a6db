"""The grammar of the task commands (issue 13): `tasks`, `done`, `reopen`, `edit`, `delete`.
Added to the one parser by `desktop.cli.arguments`, whose types and errors they share."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TypeVar

Parser = TypeVar("Parser", bound=argparse.ArgumentParser)
_NAMED = "(a name: any unique start of it, in any case)"


def add_task_commands(
    commands: argparse._SubParsersAction[Parser],
    common: Parser,
    id_or_name: Callable[[str], int | str],
    positive_id: Callable[[str], int],
) -> None:
    """`commands`: the parser's subparsers; `id_or_name` and `positive_id`: the argument
    types of `desktop.cli.arguments`."""
    where = type(common)(add_help=False)  # the command line's parser, with its errors
    where.add_argument(
        "--workspace",
        type=id_or_name,
        default=None,
        help=f"workspace id or name {_NAMED} (default: the one the window would pick)",
    )
    listed = commands.add_parser(
        "tasks",
        parents=[common, where],
        help="list a project's tasks (open ones, or --all)",
        description="List a project's tasks from the cache, fetched from Toggl when never "
        "fetched, older than 30 minutes, or with --refresh (only what changed since the last "
        "fetch, where Toggl allows). Open tasks first; changes still waiting in the outbox "
        "are shown as pending.",
    )
    listed.add_argument(
        "--project", type=id_or_name, required=True, help=f"project id or name {_NAMED}"
    )
    listed.add_argument("--all", action="store_true", help="also list done tasks")
    listed.add_argument(
        "--refresh", action="store_true", help="fetch from Toggl even if the cache is fresh"
    )
    ids = type(common)(add_help=False)
    ids.add_argument(
        "--project",
        type=id_or_name,
        default=None,
        help=f"the tasks' project, id or name {_NAMED}, fetched when the ids are not cached",
    )
    for name, text in (
        ("done", "mark tasks done"),
        ("reopen", "open done tasks again"),
        ("delete", "delete tasks from Toggl (no confirmation asked)"),
    ):
        command = commands.add_parser(
            name,
            parents=[common, where, ids],
            help=f"{text} (queued if offline)",
            description=f"{text[0].upper()}{text[1:]}, by their Toggl ids (`TaskDesk tasks` "
            "lists them), through the outbox: sent at once, or kept until Toggl can be reached.",
        )
        command.add_argument("ids", nargs="+", type=positive_id, metavar="ID", help="task id")
    edit = commands.add_parser(
        "edit",
        parents=[common, where, ids],
        help="change a task's name, estimate or assignee (queued if offline)",
        description="Change only the fields given; what was changed in Toggl meanwhile is "
        "kept. A field changed in Toggl too since Task Desk last saw it is a conflict: it is "
        "not sent, and the window asks which to keep.",
    )
    edit.add_argument("ids", nargs=1, type=positive_id, metavar="ID", help="task id")
    edit.add_argument("--name", help="the new name")
    edit.add_argument("--estimate", help="the new estimate, e.g. 1h30m, 90m; 0 clears it")
    assignee = edit.add_mutually_exclusive_group()
    assignee.add_argument("--assignee", type=id_or_name, help=f"user id, name or email {_NAMED}")
    assignee.add_argument("--unassign", action="store_true", help="leave the task to nobody")


def check_edit(args: argparse.Namespace) -> str | None:
    """Why an `edit` changes nothing (one sentence), or None."""
    if args.name is None and args.estimate is None and args.assignee is None and not args.unassign:
        return "Say what to change: --name, --estimate, --assignee or --unassign."
    return None
