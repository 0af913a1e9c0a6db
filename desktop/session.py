"""The backend of one app instance: credentials, the Toggl client, the local store, the sync
engine. Plain blocking Python, owned by one worker thread; the UI talks to it through signals."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from desktop.api.errors import TogglError
from desktop.api.models import TaskDraft, Workspace
from desktop.domain.project_choices import ProjectChoices
from desktop.logs import register_secret
from desktop.session_tasks import SessionTasks
from desktop.session_types import (
    ListsProgress,
    NoTokenForAccountError,
    Restored,
    SignedIn,
    Snapshot,
    SyncView,
    WorkspaceLists,
)
from desktop.store.cache import Cache
from desktop.store.database import DatabaseError, open_or_set_aside, restore_if_deleted
from desktop.store.outbox import Outbox, RowBusyError
from desktop.store.outbox_row import OutboxRow
from desktop.store.trouble import StorageError
from desktop.store.trouble import storage_errors as _storage

# This module loads on the worker thread before the cached lists reach the window: what the
# snapshot does not need (the client with httpx, the engine, the keyring, the sign-in types) is
# imported in the method that first uses it, after the first paint.
if TYPE_CHECKING:
    from desktop.api.auth import Credentials
    from desktop.api.client import TogglClient
    from desktop.credentials import TokenSource
    from desktop.messages import Failure
    from desktop.sync.drain import Drain
    from desktop.sync.engine import SyncEngine
    from desktop.sync.outcomes import Answered, StepResult

__all__ = ["NoTokenForAccountError", "Restored", "RowBusyError", "Session", "SignedIn"]
__all__ += ["Snapshot", "StepResult", "StorageError", "SyncView", "WorkspaceLists"]  # worker's
__all__ += ["ListsProgress"]

T = TypeVar("T")

STALE_AFTER = 6 * 3600.0  # lists refresh on their own at most this often (Free: 30 requests/h)


class Session(SessionTasks):
    """The one door from the window (and the CLI) to the client, the store and the engine;
    storage failures leave every method the window calls as `StorageError`. A project's
    tasks: `desktop.session_tasks`."""

    def __init__(self, api_url: str, data_dir: Path) -> None:
        """Raises `DatabaseError` or `OSError` as the store does (see `open` for the window)."""
        self._data_dir = data_dir
        self._db, self.storage_notice = open_or_set_aside(data_dir)
        self.cache = Cache(self._db)
        self.outbox = Outbox(self._db)
        self.outbox.recover_interrupted()  # a change left *sending*: the engine (change_steps)
        self._api_url = api_url
        self.source: TokenSource | None = None

    @classmethod
    def open(cls, api_url: str, data_dir: Path) -> Session:
        """The session, or one `StorageError` whose sentence says why the store cannot open."""
        try:
            return cls(api_url, data_dir)
        except DatabaseError as exc:
            raise StorageError("the database cannot be used", str(exc)) from exc
        except (sqlite3.Error, OSError) as exc:
            said = StorageError.of(exc).trouble
            raise StorageError(said, f"Task Desk cannot use its data folder: {said}.") from exc

    @cached_property
    def client(self) -> TogglClient:
        from desktop.api.client import TogglClient

        return TogglClient(self._api_url)

    @cached_property
    def engine(self) -> SyncEngine:
        from desktop.sync.engine import SyncEngine

        return SyncEngine(self.outbox, self.client, self.cache)

    def ensure_store(self) -> None:
        """Before writing: a database file deleted while the app runs is written back first."""
        connection = restore_if_deleted(self._db, self._data_dir)
        if connection is not self._db:
            self._db = connection
            self.cache.use(connection)
            self.outbox.use(connection)

    def close(self) -> None:
        if "client" in self.__dict__:
            self.client.close()
        self._db.close()

    # --- start -------------------------------------------------------------------------------

    def snapshot(self) -> Snapshot:
        with _storage():
            workspaces = self.cache.workspaces()
            preferred = self.preferred_workspace_id(workspaces)
            lists = self.cached_lists(preferred) if preferred is not None else None
            waiting = self.outbox.waiting()
        return Snapshot(workspaces, preferred, lists, waiting, self.storage_notice)

    def preferred_workspace_id(self, workspaces: list[Workspace] | None = None) -> int | None:
        """The last used, else Toggl's default, else the first usable (None: the cached ones)."""
        with _storage():
            workspaces = self.cache.workspaces() if workspaces is None else workspaces
            ids = [w.id for w in workspaces]
            for candidate in (self.cache.last_workspace_id(), self.cache.default_workspace_id()):
                if candidate in ids:
                    return candidate
        usable = [w.id for w in workspaces if w.premium is not False]
        first = usable or ids
        return first[0] if first else None

    def cached_lists(self, workspace_id: int) -> WorkspaceLists:
        with _storage():
            return WorkspaceLists(
                workspace_id,
                ProjectChoices.of(self.cache.projects(workspace_id)),
                self.cache.users(workspace_id),
                self.cache.last_project_id(workspace_id),
            )

    def restore(self) -> Restored:
        """Pick up the token from the environment or the keyring, without a request."""
        from desktop import credentials
        from desktop.api.auth import ApiToken

        stored = credentials.load_token()
        if stored.token:
            self.client.credentials = ApiToken(stored.token)
            self.source = stored.source
        self.engine.sign_in_needed = not stored.token
        return Restored(bool(stored.token), stored.warning)

    # --- signing in and out --------------------------------------------------------------------

    def sign_in(self, given: Credentials) -> SignedIn:
        """Check the credentials with `GET /me` and keep the token (never the password)."""
        from desktop import credentials
        from desktop.api.auth import ApiToken, EmailPassword

        register_secret(given.password if isinstance(given, EmailPassword) else given.token)
        previous = self.client.credentials
        self.client.credentials = given
        try:
            me = self.client.me()
        except TogglError:
            self.client.credentials = previous
            raise
        token = given.token if isinstance(given, ApiToken) else me.api_token
        if token:
            register_secret(token)
        if not token:
            self.client.credentials = previous
            raise NoTokenForAccountError(
                "Toggl did not send an API token for this account. Copy the token from your "
                "Toggl profile page and paste it instead."
            )
        self.client.credentials = ApiToken(token)
        self.cache.save_me(me)
        warning = credentials.save_token(token)
        self.source = (
            credentials.TokenSource.SESSION if warning else credentials.TokenSource.KEYRING
        )
        self.engine.resume()
        return SignedIn(me, warning)

    def sign_out(self) -> str | None:
        """Forget the token and the account's cached lists; queued tasks stay in the outbox."""
        from desktop import credentials

        self.client.credentials = None
        self.engine.sign_in_needed = True
        was_stored = self.source is credentials.TokenSource.KEYRING
        self.source = None
        self.cache.clear()
        problem = credentials.delete_token()  # also clears a token an earlier run stored
        return problem if was_stored else None

    # --- lists ---------------------------------------------------------------------------------

    def workspaces(self, *, force: bool) -> list[Workspace] | None:
        """Fresh workspaces from Toggl when asked or stale; None when the cache is fresh enough."""
        if not force and self.fresh("workspaces"):
            return None
        workspaces = self.observed(self.client.workspaces)
        with _storage():
            self.cache.save_workspaces(workspaces)
        return workspaces

    def workspace_lists(
        self,
        workspace_id: int,
        *,
        force: bool,
        progress: Callable[[ListsProgress], None] | None = None,
    ) -> WorkspaceLists | None:
        """A workspace's projects and people, what was stale fetched from Toggl (all of it when
        forced), `progress` told as pages of projects arrive; None when nothing was fetched."""
        from desktop.session_lists import load_workspace_lists

        return load_workspace_lists(self, workspace_id, force=force, progress=progress)

    def remember(self, workspace_id: int, project_id: int | None) -> None:
        with _storage():
            self.cache.remember(workspace_id, project_id)

    # --- the outbox ----------------------------------------------------------------------------

    def claim(
        self, workspace_id: int, project_id: int, draft: TaskDraft, project_label: str
    ) -> OutboxRow | None:
        """Save the task already marked as sending when it can leave at once (then send it with
        `send_claimed`); None when it has to wait, to `submit` instead."""
        with _storage():
            self.ensure_store()
            return self.engine.claim_new(workspace_id, project_id, draft, project_label)

    def submit(
        self, workspace_id: int, project_id: int, draft: TaskDraft, project_label: str
    ) -> OutboxRow:
        """Queue the task; the engine sends it in turn."""
        with _storage():
            self.ensure_store()
            return self.outbox.add(workspace_id, project_id, draft, project_label)

    def retry(self, row_id: int) -> OutboxRow:
        """The user's retry: a refused row is queued again as it is; an unconfirmed one is
        checked against Toggl now (never sent blindly); a waiting one skips its backoff.
        KeyError when no such row waits in the outbox."""
        with _storage():
            self.ensure_store()
            row = self.outbox.retry(row_id)
        self.engine.send_now()
        return row

    def requeue_edited(
        self,
        row_id: int,
        workspace_id: int,
        project_id: int,
        draft: TaskDraft,
        project_label: str,
    ) -> OutboxRow:
        """Save the user's edit of a refused or still-waiting row, as the same row; KeyError
        when it is gone (discarded meanwhile), `RowBusyError` when it is being sent or checked,
        `RowDeliveredError` when it reached Toggl first."""
        with _storage():
            self.ensure_store()
            return self.outbox.requeue_edited(
                row_id, workspace_id, project_id, draft, project_label
            )

    def discard(self, row_id: int) -> bool:
        """Remove a waiting, unconfirmed or refused row (the user confirmed); False if none."""
        with _storage():
            self.ensure_store()
            return self.outbox.discard(row_id)

    def outbox_row(self, row_id: int) -> OutboxRow:
        """The row as it now is (KeyError when it left the outbox for good)."""
        with _storage():
            return self.outbox.get(row_id)

    def waiting_rows(self) -> list[OutboxRow]:
        with _storage():
            return self.outbox.waiting()

    @cached_property
    def _drain(self) -> Drain:
        from desktop.sync.drain import Drain

        return Drain(self.engine)

    def step(self) -> StepResult:
        """One step through the one drain loop (desktop.sync.drain); the window's driver
        reports its outcomes and schedules the next step after its `delay`."""
        with _storage():
            self.ensure_store()
        self._drain.step()
        self._drain.forget()  # reported as they come: none pile up in an app that runs for days
        assert self._drain.last is not None
        return self._drain.last

    def send_claimed(self, row: OutboxRow, answered: Answered | None = None) -> StepResult:
        """Send the row `claim` saved; the result reads like a step's (`answered`: see
        `SyncEngine.send_claimed`)."""
        with _storage():
            self.ensure_store()
        return self.engine.send_claimed(row, answered)

    def sync_view(self) -> SyncView:
        """The sync state as the window shows it."""
        with _storage():
            return SyncView.of(self.engine.status())

    def resume_sync(self) -> None:
        """The platform says the network is back: try now."""
        self.engine.resume()

    def waiting_reason(self, failure: Failure | None = None) -> str:
        """Why a queued task is not leaving now (after `failure`, when one kept it), said once."""
        from desktop.sync.status import deferred_reason, waiting_reason

        with _storage():
            status = self.engine.status()
        return waiting_reason(status) if failure is None else deferred_reason(failure, status)

    def leaves_soon(self, row_id: int) -> bool:
        """Will this row leave within the pace's wait (see desktop.sync.pacing)?"""
        from desktop.sync.pacing import leaves_soon

        with _storage():
            return leaves_soon(self.engine, self.outbox, row_id)

    @property
    def signed_in(self) -> bool:
        return self.source is not None

    def fresh(self, what: str) -> bool:
        """Was the cached list `what` ("projects:42") fetched within `STALE_AFTER`?"""
        fetched = self.cache.fetched_at(what)
        return fetched is not None and time.time() - fetched < STALE_AFTER

    def observed(self, call: Callable[[], T]) -> T:
        """`call` a list request; the engine learns from its outcome (offline, quota...)."""
        try:
            result = call()
        except TogglError as error:
            self.engine.observe(error)
            raise
        self.engine.observe(None)
        return result
