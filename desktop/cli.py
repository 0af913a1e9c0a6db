"""The command line inside the same program: `TaskDesk add|outbox|sync`, `--self-check`.

It uses the window's store, outbox and sync engine, so a task added here is queued, sent and
reconciled exactly like one typed in the window. Exit codes follow sysexits where one fits.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from desktop import APP_NAME, __version__
from desktop.config import ENV_API_URL, ENV_DATA_DIR, default_data_dir, ensure_data_dir
from desktop.logs import start_logging, stop_logging

EX_OK, EX_FAILED, EX_USAGE, EX_UNAVAILABLE, EX_SOFTWARE, EX_TEMPFAIL, EX_NOPERM = (
    0,
    1,
    64,
    69,
    70,
    75,
    77,
)
DRAIN_LIMIT_SECONDS = 120.0
"""`sync` and `add` stop waiting after this long; whatever is left stays queued."""


def main(argv: list[str]) -> int:
    if argv[:1] == ["--probe-qt"]:
        return _probe_qt()
    if argv[:1] == ["--self-check"]:  # an option by habit, so not a subcommand to argparse
        args = argparse.ArgumentParser(
            prog="TaskDesk --self-check", parents=[_common()]
        ).parse_args(argv[1:])
        args.command = "--self-check"
    else:
        args = _parser().parse_args(argv)
    out = Output(args.json)
    try:
        from desktop.api.endpoint import validate_base_url

        api_url = validate_base_url(args.api_url)
    except ValueError as exc:
        return out.fail(EX_USAGE, str(exc))
    data_dir = Path(args.data_dir).expanduser().absolute() if args.data_dir else default_data_dir()
    if args.command == "--self-check":
        return self_check(data_dir, out)
    try:
        ensure_data_dir(data_dir)
        log_handler = start_logging(data_dir)
    except OSError as exc:
        return out.fail(EX_NOPERM, f"Cannot use the data folder {data_dir}: {exc}")
    try:
        return _dispatch(args, api_url, data_dir, out)
    finally:
        stop_logging(log_handler)


def _dispatch(args: argparse.Namespace, api_url: str, data_dir: Path, out: Output) -> int:
    handlers: dict[str, Callable[[argparse.Namespace, str, Path, Output], int]] = {
        "add": _add,
        "outbox": _outbox,
        "sync": _sync,
    }
    return handlers[args.command](args, api_url, data_dir, out)


class Output:
    """Plain sentences for people, or one JSON document with `--json`."""

    def __init__(self, as_json: bool) -> None:
        self.as_json = as_json

    def emit(self, text: str, data: dict[str, Any]) -> None:
        print(json.dumps(data, ensure_ascii=False, indent=2) if self.as_json else text)

    def fail(self, code: int, message: str, **data: Any) -> int:
        if self.as_json:
            print(json.dumps({"ok": False, "error": message, **data}, ensure_ascii=False))
        else:
            print(f"{APP_NAME}: {message}", file=sys.stderr)
        return code


def _common() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--api-url", default=os.environ.get(ENV_API_URL, _default_api()))
    common.add_argument("--data-dir", default=os.environ.get(ENV_DATA_DIR) or None)
    common.add_argument("--json", action="store_true", help="print JSON")
    return common


def _parser() -> argparse.ArgumentParser:
    common = _common()
    parser = argparse.ArgumentParser(
        prog="TaskDesk", description=f"{APP_NAME} {__version__} on the command line."
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("add", parents=[common], help="create a task (queued if offline)")
    add.add_argument("--workspace", type=int, required=True, help="workspace id")
    add.add_argument("--project", type=int, required=True, help="project id")
    add.add_argument("--name", required=True, help="task name")
    add.add_argument("--estimate", default="", help="e.g. 1h30m, 90m, 1.5h, 1:30, 5400")
    add.add_argument("--assignee", type=int, default=None, help="user id of the assignee")
    add.add_argument("--inactive", action="store_true", help="create the task as done")
    commands.add_parser("outbox", parents=[common], help="list queued and failed tasks")
    commands.add_parser("sync", parents=[common], help="send queued tasks now")
    parser.epilog = "TaskDesk --self-check [--json] checks this installation."
    return parser


def _default_api() -> str:
    from desktop.api.endpoint import DEFAULT_BASE_URL

    return DEFAULT_BASE_URL


# --- add, outbox, sync ----------------------------------------------------------------------


def _add(args: argparse.Namespace, api_url: str, data_dir: Path, out: Output) -> int:
    from desktop.api.models import TaskDraft
    from desktop.domain.estimate import EstimateError, parse_estimate
    from desktop.domain.task_name import TaskNameError, clean_task_name

    try:
        name = clean_task_name(args.name)
        estimate = parse_estimate(args.estimate)
    except (TaskNameError, EstimateError) as exc:
        return out.fail(EX_USAGE, str(exc))
    draft = TaskDraft(name, not args.inactive, estimate, args.assignee)
    with _Owned(api_url, data_dir, out) as owned:
        if owned.code is not None:
            return owned.code
        session = owned.session
        label = next(
            (p.name for p in session.cache.projects(args.workspace) if p.id == args.project), ""
        )
        row = session.submit(args.workspace, args.project, draft, label)
        outcome = _drain(session, until_settled=row.id)
        if row.id in outcome.created:
            task = outcome.created[row.id]
            print(json.dumps(_task_json(task), ensure_ascii=False, indent=2))
            return EX_OK
        if row.id in outcome.failed:
            return out.fail(EX_FAILED, outcome.failed[row.id], queued_id=row.id, state="failed")
        why = outcome.waiting_reason or "It will be sent by `TaskDesk sync` or the app."
        out.emit(
            f"Queued “{name}” offline (outbox #{row.id}). {why}",
            {"ok": True, "state": "queued", "outbox_id": row.id, "reason": why},
        )
        return EX_OK


def _outbox(_args: argparse.Namespace, _api_url: str, data_dir: Path, out: Output) -> int:
    from contextlib import closing

    from desktop.store.database import open_database
    from desktop.store.outbox import Outbox

    with closing(open_database(data_dir)) as db:
        rows = Outbox(db).waiting()
    items = [
        {
            "id": r.id,
            "state": r.state.value,
            "workspace_id": r.workspace_id,
            "project_id": r.project_id,
            "project": r.project_label,
            "queued_at": r.queued_at,
            "reason": r.reason,
            **asdict(r.draft),
        }
        for r in rows
    ]
    lines = [
        f"#{r.id}  {r.state.value:<11}  {r.draft.name}"
        + (f"  ({r.project_label})" if r.project_label else "")
        + (f"  — {r.reason}" if r.reason else "")
        for r in rows
    ]
    out.emit("\n".join(lines) or "The outbox is empty.", {"ok": True, "outbox": items})
    return EX_OK


def _sync(_args: argparse.Namespace, api_url: str, data_dir: Path, out: Output) -> int:
    with _Owned(api_url, data_dir, out) as owned:
        if owned.code is not None:
            return owned.code
        outcome = _drain(owned.session, until_settled=None)
        left = owned.session.outbox.pending_count()
    summary = {
        "ok": left == 0 and not outcome.failed,
        "created": len(outcome.created),
        "failed": len(outcome.failed),
        "queued": left,
        "reason": outcome.waiting_reason,
    }
    text = f"Sent {len(outcome.created)}, refused {len(outcome.failed)}, still queued {left}."
    if left and outcome.waiting_reason:
        text += f" {outcome.waiting_reason}"
    out.emit(text, summary)
    if outcome.failed:
        return EX_FAILED
    return EX_UNAVAILABLE if left else EX_OK


class _Owned:
    """The data dir's lock, a session and its token, or the exit code saying why not."""

    def __init__(self, api_url: str, data_dir: Path, out: Output) -> None:
        from desktop.session import Session
        from desktop.store.database import DatabaseError
        from desktop.store.lock import InstanceLock

        self.code: int | None = None
        self._lock = InstanceLock(data_dir)
        self._session: Session | None = None
        if not self._lock.acquire():
            self.code = out.fail(
                EX_TEMPFAIL,
                f"{APP_NAME} is running with the data folder {data_dir}; "
                "add the task there, or close it first.",
            )
            return
        try:
            self._session = Session(api_url, data_dir)
        except (DatabaseError, OSError) as exc:
            self.code = out.fail(EX_SOFTWARE, str(exc))
            return
        restored = self._session.restore()
        if not restored.signed_in:
            self.code = out.fail(
                EX_NOPERM,
                "Not signed in: sign in once in the app, or set TOGGL_API_TOKEN."
                + (f" ({restored.warning})" if restored.warning else ""),
            )

    @property
    def session(self) -> Any:
        assert self._session is not None
        return self._session

    def __enter__(self) -> _Owned:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._session is not None:
            self._session.close()
        self._lock.release()


class _Outcome:
    def __init__(self) -> None:
        self.created: dict[int, Any] = {}
        self.failed: dict[int, str] = {}
        self.waiting_reason: str | None = None


def _drain(session: Any, until_settled: int | None) -> _Outcome:
    """Step the engine like the window does, until done, settled, or something to wait for."""
    from desktop.sync.status import waiting_reason

    outcome = _Outcome()
    deadline = time.monotonic() + DRAIN_LIMIT_SECONDS
    while time.monotonic() < deadline:
        result = session.engine.step()
        for row, task in result.created:
            outcome.created[row.id] = task
        for row, failure in result.parked:
            outcome.failed[row.id] = failure.text
        if until_settled is not None and (
            until_settled in outcome.created or until_settled in outcome.failed
        ):
            break
        if result.deferred or result.delay is None:
            if result.deferred or session.outbox.pending_count():
                outcome.waiting_reason = waiting_reason(session.engine.status())
            break
        if result.delay > DRAIN_LIMIT_SECONDS / 4:  # a long backoff or quota wait
            outcome.waiting_reason = waiting_reason(session.engine.status())
            break
        time.sleep(result.delay)
    return outcome


def _task_json(task: Any) -> dict[str, Any]:
    data = asdict(task)
    data["tracked_seconds"] = task.tracked_seconds
    return {"ok": True, "state": "created", "task": data}


# --- self-check -------------------------------------------------------------------------------


def self_check(data_dir: Path, out: Output) -> int:
    checks: list[dict[str, Any]] = []

    def check(name: str, run: Callable[[], str]) -> None:
        warning = None
        try:
            detail, ok = run(), True
        except _DegradedError as exc:  # works, with less comfort: said, but not a failure
            detail, ok, warning = str(exc), True, str(exc)
        except Exception as exc:  # each failure is reported, not raised
            detail, ok = f"{type(exc).__name__}: {exc}", False
        checks.append({"check": name, "ok": ok, "detail": detail, "warning": warning})

    check("data folder writable", lambda: _check_writable(data_dir))
    check("database opens", lambda: _check_database(data_dir))
    check("keyring backend", _check_keyring)
    check("Qt platform loads", _check_qt)
    sound = all(c["ok"] for c in checks)
    marks = {(True, False): "ok  ", (True, True): "warn", (False, False): "FAIL"}
    lines = [
        f"{marks[(c['ok'], c['warning'] is not None)]}  {c['check']}: {c['detail']}" for c in checks
    ]
    lines.append(f"{APP_NAME} {__version__}: " + ("all sound." if sound else "problems found."))
    out.emit("\n".join(lines), {"ok": sound, "version": __version__, "checks": checks})
    return EX_OK if sound else EX_FAILED


def _check_writable(data_dir: Path) -> str:
    ensure_data_dir(data_dir)
    with tempfile.NamedTemporaryFile(dir=data_dir, prefix=".self-check-"):
        pass
    return str(data_dir)


def _check_database(data_dir: Path) -> str:
    from contextlib import closing

    from desktop.store.database import open_database, schema_version

    with closing(open_database(data_dir)) as db:
        return f"SQLite {db.execute('select sqlite_version()').fetchone()[0]}, " + (
            f"schema {schema_version(db)}"
        )


def _check_keyring() -> str:
    from desktop.credentials import keyring_backend_name

    name = keyring_backend_name()
    if name.endswith(("fail.Keyring", "null.Keyring")) or name.startswith("unavailable"):
        raise _DegradedError(f"no usable keyring ({name}): a token typed in lasts one session")
    return name


class _DegradedError(Exception):
    """A check that passed with a caveat the user should hear about."""


def _check_qt() -> str:
    """In a child process, since a platform that fails to load aborts the process."""
    import subprocess

    frozen = getattr(sys, "frozen", False)
    command = (
        [sys.executable, "--probe-qt"]
        if frozen
        else [sys.executable, "-m", "desktop", "--probe-qt"]
    )
    env = dict(os.environ)
    headless = sys.platform.startswith("linux") and not (
        env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")
    )
    if headless and not env.get("QT_QPA_PLATFORM"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    done = subprocess.run(  # noqa: S603 - this very program, with a fixed flag
        command, env=env, capture_output=True, text=True, timeout=60, check=False
    )
    if done.returncode != 0:
        raise RuntimeError((done.stderr or done.stdout).strip()[-300:] or f"exit {done.returncode}")
    return done.stdout.strip() + (" (no display found)" if headless else "")


def _probe_qt() -> int:
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication([sys.argv[0]])
    print(f"{app.platformName()} (Qt {__import__('PySide6').__version__})")
    return EX_OK
