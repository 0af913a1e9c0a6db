"""What the commands that send share: the data dir's lock, a session, and the drain."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from desktop import APP_NAME
from desktop.cli.exit_codes import EX_NOPERM, EX_SOFTWARE, EX_TEMPFAIL
from desktop.cli.output import Output
from desktop.data_folder import DataFolderError
from desktop.session import Session
from desktop.store.database import DATABASE_FILE, CorruptDatabaseError, DatabaseError
from desktop.store.lock import InstanceLock
from desktop.sync.drain import Drain, Stop
from desktop.sync.status import waiting_reason

if TYPE_CHECKING:
    from desktop.api.models import Task

DRAIN_LIMIT_SECONDS = 120.0
"""`sync`, `add` and `outbox retry` stop waiting after this long; what is left stays queued."""

SIGN_IN_AGAIN = (
    "Toggl no longer accepts the saved token: sign in again in the app, or set "
    "TOGGL_API_TOKEN; queued tasks are kept."
)
NOT_SIGNED_IN = "Not signed in: sign in once in the app, or set TOGGL_API_TOKEN."


def database_problem(exc: DatabaseError, data_dir: Path) -> str:
    """One sentence for a database that cannot be used, without SQLite's raw words."""
    path = data_dir / DATABASE_FILE
    if isinstance(exc, CorruptDatabaseError):
        return (
            f"The local database {path} is damaged, so its outbox cannot be read; "
            f"`TaskDesk sync`, `TaskDesk add` or the app will keep it aside, for support, "
            "and start a new one."
        )
    if exc.__cause__ is None:  # our own sentence, such as a database from a newer version
        return str(exc)
    reason = getattr(exc.__cause__, "strerror", None)
    return (
        f"The local database {path} cannot be opened"
        + (f" ({reason})" if reason else "")
        + ": check that the data folder is on a mounted, writable disk."
    )


class Owned:
    """Used as a context: the data dir's lock and a session (signed in when `needs_token`),
    or `code`: the exit code, already explained, saying why not. Released on the way out,
    whatever happened."""

    def __init__(
        self, api_url: str, data_dir: Path, out: Output, *, needs_token: bool = True
    ) -> None:
        self._api_url = api_url
        self._data_dir = data_dir
        self._out = out
        self._needs_token = needs_token
        self.code: int | None = None
        self._lock = InstanceLock(data_dir)
        self._session: Session | None = None

    @property
    def session(self) -> Session:
        assert self._session is not None
        return self._session

    def __enter__(self) -> Owned:
        try:
            self.code = self._open()
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc_info: object) -> None:
        try:
            if self._session is not None:
                self._session.close()
        finally:
            self._lock.release()

    def _open(self) -> int | None:
        out, data_dir = self._out, self._data_dir
        try:
            acquired = self._lock.acquire()
        except OSError as exc:
            return out.fail(EX_NOPERM, folder_problem(data_dir, exc))
        if not acquired:
            return out.fail(
                EX_TEMPFAIL,
                f"{APP_NAME} is running with the data folder {data_dir} and sends the "
                "outbox itself: use its window, or close it first.",
            )
        try:
            self._session = Session(self._api_url, data_dir)
        except DatabaseError as exc:
            return out.fail(EX_SOFTWARE, database_problem(exc, data_dir))
        except OSError as exc:  # a planted file, or setting a damaged one aside failed
            return out.fail(folder_exit_code(exc), folder_problem(data_dir, exc))
        if self._session.storage_notice:
            out.notice(self._session.storage_notice)
        if not self._needs_token:
            return None
        restored = self._session.restore()
        if restored.signed_in:
            return None
        return out.fail(
            EX_NOPERM,
            NOT_SIGNED_IN + (f" ({restored.warning})" if restored.warning else ""),
        )


def folder_problem(data_dir: Path, exc: OSError) -> str:
    """One sentence: the data folder rules' own (someone else's folder, a planted link), or
    the system's reason without its errno."""
    if isinstance(exc, DataFolderError):
        return str(exc)
    reason = exc.strerror or type(exc).__name__
    return f"Cannot use the data folder {data_dir} ({reason})."


def folder_exit_code(exc: OSError) -> int:
    """77 for a folder or file the rules refuse, as for any folder that cannot be used; 70 for
    another failure on the way (such as setting a damaged database aside)."""
    return EX_NOPERM if isinstance(exc, DataFolderError) else EX_SOFTWARE


@dataclass(slots=True)
class Outcome:
    created: dict[int, Task] = field(default_factory=dict)
    failed: dict[int, str] = field(default_factory=dict)
    """Rows Toggl refused, with its reason."""
    changes_failed: dict[int, str] = field(default_factory=dict)
    """Changes to tasks Toggl refused, by task id, with its reason."""
    waiting_reason: str | None = None
    sign_in_needed: bool = False
    """The drain stopped because Toggl no longer takes the token."""


def drain(
    session: Session, until_settled: int | None, until: Callable[[], bool] | None = None
) -> Outcome:
    """Step the engine until done, settled (the row `until_settled`, or `until()` holds), or
    something to wait for: the first deferral (offline, a server error) or a long backoff or
    quota wait ends it, what is left stays queued."""
    loop = Drain(session.engine)
    stop = loop.run(
        until=until,
        until_settled=until_settled,
        limit=DRAIN_LIMIT_SECONDS,
        longest_wait=DRAIN_LIMIT_SECONDS / 4,
        stop_when_deferred=True,
    )
    status = session.engine.status()
    waiting = stop is Stop.WAITING or (stop is Stop.SIGN_IN and status.pending > 0)
    return Outcome(
        created=loop.outcomes.created,
        failed={row_id: failure.text for row_id, failure in loop.outcomes.parked.items()},
        changes_failed={i: failure.text for i, failure in loop.outcomes.changes_parked.items()},
        waiting_reason=waiting_reason(status) if waiting else None,
        sign_in_needed=status.sign_in_needed,
    )
