"""The backend of one app instance: credentials, the Toggl client, the local store, the sync engine.

Plain blocking Python, owned by one worker thread; the UI talks to it through signals.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from desktop.api.errors import AuthenticationError, TogglError
from desktop.api.models import Me, TaskDraft, User, Workspace
from desktop.domain.project_choices import ProjectChoices
from desktop.store.cache import Cache
from desktop.store.database import open_or_set_aside, restore_if_deleted
from desktop.store.outbox import Outbox, OutboxRow

if TYPE_CHECKING:  # the keyring and credentials load after the cached lists are shown; httpx
    # with the client's first request, if one is needed
    from desktop.api.auth import Credentials
    from desktop.api.client import TogglClient
    from desktop.credentials import TokenSource
    from desktop.sync.engine import SyncEngine

T = TypeVar("T")

STALE_AFTER = 6 * 3600.0
"""Lists refresh on their own at most this often (the Free plan allows 30 requests an hour)."""


class NoTokenForAccountError(AuthenticationError):
    """Email and password were accepted, but Toggl sent no API token to keep."""


@dataclass(slots=True)
class Restored:
    signed_in: bool
    source: TokenSource | None
    warning: str | None


@dataclass(slots=True)
class SignedIn:
    me: Me
    warning: str | None
    """Why the token is kept for this session only, if it is."""


@dataclass(slots=True)
class WorkspaceLists:
    """What the window shows for one workspace."""

    workspace_id: int
    projects: ProjectChoices
    users: list[User]
    preferred_project_id: int | None


@dataclass(slots=True)
class Snapshot:
    """Everything the window needs at start, read from the local store alone."""

    workspaces: list[Workspace]
    preferred_workspace_id: int | None
    lists: WorkspaceLists | None
    outbox: list[OutboxRow] = field(default_factory=list)
    storage_notice: str | None = None


class Session:
    def __init__(self, api_url: str, data_dir: Path) -> None:
        self._data_dir = data_dir
        self._db, self.storage_notice = open_or_set_aside(data_dir)
        self.cache = Cache(self._db)
        self.outbox = Outbox(self._db)
        self._api_url = api_url
        self.source: TokenSource | None = None
        self.outbox.recover_interrupted()

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
        workspaces = self.cache.workspaces()
        preferred = self.preferred_workspace_id(workspaces)
        lists = self.cached_lists(preferred) if preferred is not None else None
        return Snapshot(workspaces, preferred, lists, self.outbox.waiting(), self.storage_notice)

    def preferred_workspace_id(self, workspaces: list[Workspace]) -> int | None:
        ids = [w.id for w in workspaces]
        for candidate in (self.cache.last_workspace_id(), self.cache.default_workspace_id()):
            if candidate in ids:
                return candidate
        usable = [w.id for w in workspaces if w.premium is not False]
        first = usable or ids
        return first[0] if first else None

    def cached_lists(self, workspace_id: int) -> WorkspaceLists:
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
        return Restored(bool(stored.token), stored.source, stored.warning)

    # --- signing in and out --------------------------------------------------------------------

    def sign_in(self, given: Credentials) -> SignedIn:
        """Check the credentials with `GET /me` and keep the token (never the password)."""
        from desktop import credentials
        from desktop.api.auth import ApiToken, EmailPassword
        from desktop.credentials import TokenSource
        from desktop.logs import register_secret

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
        self.source = TokenSource.SESSION if warning else TokenSource.KEYRING
        self.engine.resume()
        return SignedIn(me, warning)

    def sign_out(self) -> str | None:
        """Forget the token and the account's cached lists; queued tasks stay in the outbox."""
        from desktop import credentials
        from desktop.credentials import TokenSource

        self.client.credentials = None
        self.engine.sign_in_needed = True
        was_stored = self.source is TokenSource.KEYRING
        self.source = None
        self.cache.clear()
        problem = credentials.delete_token()  # also clears a token an earlier run stored
        return problem if was_stored else None

    # --- lists ---------------------------------------------------------------------------------

    def workspaces(self, *, force: bool) -> list[Workspace] | None:
        """Fresh workspaces from Toggl when asked or stale; None when the cache is fresh enough."""
        if not force and self._fresh("workspaces"):
            return None
        workspaces = self._observed(self.client.workspaces)
        self.cache.save_workspaces(workspaces)
        return workspaces

    def workspace_lists(self, workspace_id: int, *, force: bool) -> WorkspaceLists | None:
        """A workspace's projects and people with whatever was stale fetched from Toggl (all
        of it when forced); None when the cache was fresh and nothing was fetched."""
        fetch_projects = force or not self._fresh(f"projects:{workspace_id}")
        fetch_users = force or not self._fresh(f"users:{workspace_id}")
        if not (fetch_projects or fetch_users):
            return None
        if fetch_projects:
            fresh = self._observed(lambda: self.client.projects(workspace_id))
            self.cache.save_projects(workspace_id, fresh)
            projects = ProjectChoices.of(fresh)
        else:
            projects = ProjectChoices.of(self.cache.projects(workspace_id))
        if fetch_users:
            people = self._observed(lambda: self.client.users(workspace_id))
            users = [user for user in people if not user.inactive]
            self.cache.save_users(workspace_id, users)
        else:
            users = self.cache.users(workspace_id)
        return WorkspaceLists(
            workspace_id, projects, users, self.cache.last_project_id(workspace_id)
        )

    def remember(self, workspace_id: int, project_id: int | None) -> None:
        self.cache.remember(workspace_id, project_id)

    # --- the outbox ----------------------------------------------------------------------------

    def claim(
        self, workspace_id: int, project_id: int, draft: TaskDraft, project_label: str
    ) -> OutboxRow | None:
        """Save the task already marked as sending when it can leave at once (then send it with
        `engine.send_claimed`); None when it has to wait, to `submit` instead."""
        self.ensure_store()
        return self.engine.claim_new(workspace_id, project_id, draft, project_label)

    def submit(
        self, workspace_id: int, project_id: int, draft: TaskDraft, project_label: str
    ) -> OutboxRow:
        """Queue the task; the engine sends it in turn."""
        self.ensure_store()
        return self.outbox.add(workspace_id, project_id, draft, project_label)

    def retry(self, row_id: int) -> OutboxRow:
        """The user's retry: a refused row is queued again as it is; an unconfirmed one is
        checked against Toggl now (never sent blindly); a waiting one skips its backoff.
        KeyError when no such row waits in the outbox."""
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
        """Edit and retry a refused row; KeyError when it is gone (discarded meanwhile),
        `desktop.store.outbox.RowBusyError` when it is being sent or checked."""
        self.ensure_store()
        return self.outbox.requeue_edited(row_id, workspace_id, project_id, draft, project_label)

    def discard(self, row_id: int) -> bool:
        """Remove a waiting, unconfirmed or refused row (the user confirmed); False if none."""
        self.ensure_store()
        return self.outbox.discard(row_id)

    def _fresh(self, what: str) -> bool:
        fetched = self.cache.fetched_at(what)
        return fetched is not None and time.time() - fetched < STALE_AFTER

    def _observed(self, call: Callable[[], T]) -> T:
        try:
            result = call()
        except TogglError as error:
            self.engine.observe(error)
            raise
        self.engine.observe(None)
        return result
