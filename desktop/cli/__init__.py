"""The command line inside the same program: `TaskDesk add|outbox|sync|workspaces|projects`,
`tasks|done|reopen|edit|delete`, `--self-check`.

It uses the window's store, outbox and sync engine, so a task added here is queued, sent and
reconciled exactly like one typed in the window. Exit codes (`exit_codes`) follow sysexits where
one fits. Whatever goes wrong, a command ends with one sentence and an exit code from the
README: never a traceback, and never a `SystemExit` out of `main`.
"""

from __future__ import annotations

import argparse
import logging
import traceback
from collections.abc import Callable
from pathlib import Path

from desktop import APP_NAME
from desktop.cli import adding, commands, lists, task_commands
from desktop.cli.arguments import Finished, UsageError, api_address, parse
from desktop.cli.exit_codes import (
    EX_INTERRUPTED,
    EX_NOPERM,
    EX_SOFTWARE,
    EX_USAGE,
)
from desktop.cli.output import Output
from desktop.cli.running import folder_problem
from desktop.cli.self_check import probe_qt, self_check
from desktop.config import ensure_data_dir, resolve_data_dir
from desktop.logs import log_path, start_logging, stop_logging

__all__ = ["main"]

log = logging.getLogger(__name__)


def main(argv: list[str]) -> int:
    """Run one command and return its exit code."""
    out = Output("--json" in argv)  # until the arguments are understood
    try:
        return _main(argv, out)
    except KeyboardInterrupt:
        return out.fail(EX_INTERRUPTED, "Interrupted; tasks not yet sent stay in the outbox.")
    except (Exception, SystemExit) as exc:  # before the log was open: nowhere to keep details
        return out.fail(EX_SOFTWARE, f"{APP_NAME} hit an unexpected problem: {_kind(exc)}.")


def _main(argv: list[str], out: Output) -> int:
    if argv[:1] == ["--probe-qt"]:
        return probe_qt()
    try:
        args = parse(argv)
        out = Output(args.json)
        api_url = api_address(args.api_url)
    except Finished as done:
        return done.code
    except UsageError as exc:
        return out.fail(EX_USAGE, str(exc))
    data_dir = resolve_data_dir(args.data_dir)
    if args.command == "--self-check":
        return self_check(data_dir, out, api_url if args.online else None)
    try:
        made_private = ensure_data_dir(data_dir)
        log_handler = start_logging(data_dir)
    except ValueError:  # a NUL in the path: no file name can hold it
        return out.fail(EX_USAGE, "--data-dir: that path holds a character no file name can.")
    except OSError as exc:
        return out.fail(EX_NOPERM, folder_problem(data_dir, exc))
    if made_private:
        out.notice(made_private)
    try:
        return _command(args.command)(args, api_url, data_dir, out)
    except KeyboardInterrupt:
        raise
    except (Exception, SystemExit) as exc:
        # The traceback goes into the message, not `exc_info`, so the log's token filter
        # sees it too.
        log.error(
            "`%s` stopped on an unexpected problem:\n%s",
            args.command,
            "".join(traceback.format_exception(exc)),
        )
        return out.fail(
            EX_SOFTWARE,
            f"{APP_NAME} hit an unexpected problem: {_kind(exc)} during `{args.command}`; "
            f"details are in the log at {log_path(data_dir)}.",
        )
    finally:
        stop_logging(log_handler)


def _command(
    name: str,
) -> Callable[[argparse.Namespace, str, Path, Output], int]:
    handlers: dict[str, Callable[[argparse.Namespace, str, Path, Output], int]] = {
        "add": adding.add,
        "outbox": commands.outbox,
        "sync": commands.sync,
        "workspaces": lists.workspaces,
        "projects": lists.projects,
        "tasks": task_commands.tasks,
        "done": task_commands.done,
        "reopen": task_commands.reopen,
        "edit": task_commands.edit,
        "delete": task_commands.delete,
    }
    return handlers[name]


def _kind(exc: BaseException) -> str:
    """What went wrong, without the exception's own text (it may hold anything)."""
    return f"an internal error ({type(exc).__name__})"
