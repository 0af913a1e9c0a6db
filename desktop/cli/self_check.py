"""`TaskDesk --self-check`: what an installation needs, each checked and reported, never raised."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from contextlib import closing
from dataclasses import asdict, dataclass
from pathlib import Path

from desktop import APP_NAME, __version__, credentials
from desktop.cli.exit_codes import EX_FAILED, EX_OK
from desktop.cli.output import Output
from desktop.config import ensure_data_dir
from desktop.credentials import keyring_backend_name
from desktop.store.database import open_database, schema_version


@dataclass(frozen=True, slots=True)
class _Check:
    check: str
    ok: bool
    detail: str
    warning: str | None
    """Set when the check passed with a caveat the user should hear about."""


def self_check(data_dir: Path, out: Output, online_url: str | None = None) -> int:
    """Each check in turn; with `online_url` (`--online`) also one `/me` request there with
    the saved token. Without it, nothing is sent anywhere."""
    checks: list[_Check] = []

    def check(name: str, run: Callable[[], str]) -> None:
        warning = None
        try:
            detail, ok = run(), True
        except _DegradedError as exc:  # works, with less comfort: said, but not a failure
            detail, ok, warning = str(exc), True, str(exc)
        except _FailedError as exc:  # our own sentence, said as it is
            detail, ok = str(exc), False
        except Exception as exc:  # each failure is reported, not raised
            detail, ok = f"{type(exc).__name__}: {exc}", False
        checks.append(_Check(name, ok, detail, warning))

    check("data folder writable", lambda: _check_writable(data_dir))
    check("database opens", lambda: _check_database(data_dir))
    check("keyring backend", _check_keyring)
    check("Qt platform loads", _check_qt)
    if online_url is not None:
        check("Toggl API and token", lambda: _check_online(online_url))
    sound = all(c.ok for c in checks)
    marks = {(True, False): "ok  ", (True, True): "warn", (False, False): "FAIL"}
    lines = [f"{marks[(c.ok, c.warning is not None)]}  {c.check}: {c.detail}" for c in checks]
    lines.append(f"{APP_NAME} {__version__}: " + ("all sound." if sound else "problems found."))
    out.emit(lines, {"ok": sound, "version": __version__, "checks": [asdict(c) for c in checks]})
    return EX_OK if sound else EX_FAILED


def _check_writable(data_dir: Path) -> str:
    ensure_data_dir(data_dir)
    with tempfile.NamedTemporaryFile(dir=data_dir, prefix=".self-check-"):
        pass
    return str(data_dir)


def _check_database(data_dir: Path) -> str:
    with closing(open_database(data_dir)) as db:
        return f"SQLite {db.execute('select sqlite_version()').fetchone()[0]}, " + (
            f"schema {schema_version(db)}"
        )


def _check_keyring() -> str:
    name = keyring_backend_name()
    if name.endswith(("fail.Keyring", "null.Keyring")) or name.startswith("unavailable"):
        raise _DegradedError(f"no usable keyring ({name}): a token typed in lasts one session")
    return name


class _DegradedError(Exception):
    """A check that passed with a caveat the user should hear about."""


class _FailedError(Exception):
    """A check that failed, with one sentence that says why."""


def _check_online(api_url: str) -> str:
    """One `GET /me` with the saved token: reachable and accepted, refused, or unreachable."""
    from desktop.api.auth import ApiToken
    from desktop.api.client import TogglClient
    from desktop.api.errors import AuthenticationError, ForbiddenError, TogglError

    stored = credentials.load_token()
    if not stored.token:
        why = f" ({stored.warning})" if stored.warning else ""
        raise _FailedError(
            f"no saved token to try{why}: sign in once in the app, or set TOGGL_API_TOKEN"
        )
    client = TogglClient(api_url)
    client.credentials = ApiToken(stored.token)
    try:
        client.me()
    except (AuthenticationError, ForbiddenError):
        raise _FailedError(f"{api_url} is reachable, but Toggl refused the saved token") from None
    except TogglError as error:
        raise _FailedError(f"{api_url} is unreachable or failing: {error.message}") from None
    finally:
        client.close()
    return f"{api_url} is reachable and accepted the saved token"


def _check_qt() -> str:
    """In a child process, since a platform that fails to load aborts the process."""
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


def probe_qt() -> int:
    from PySide6.QtGui import QGuiApplication  # the commands load Qt only in this child

    app = QGuiApplication([sys.argv[0]])
    print(f"{app.platformName()} (Qt {__import__('PySide6').__version__})")
    return EX_OK
