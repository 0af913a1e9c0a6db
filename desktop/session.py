"""One signed-in session: credentials, the Toggl client and the user's remembered choices.

Plain blocking Python, meant to run on a worker thread; the UI talks to it through signals.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from desktop import credentials
from desktop.api.auth import ApiToken, Credentials
from desktop.api.client import TogglClient
from desktop.api.errors import AuthenticationError
from desktop.api.models import Me, Project, Task, TaskDraft, User, Workspace
from desktop.credentials import TokenSource
from desktop.store.settings import Settings, load_settings, save_settings


class NoTokenForAccountError(AuthenticationError):
    """Email and password were accepted, but Toggl sent no API token to keep."""


@dataclass(frozen=True, slots=True)
class Restored:
    signed_in: bool
    source: TokenSource | None
    warning: str | None


@dataclass(frozen=True, slots=True)
class SignedIn:
    me: Me
    warning: str | None
    """Why the token is kept for this session only, if it is."""


class Session:
    def __init__(self, api_url: str, data_dir: Path) -> None:
        self._client = TogglClient(api_url)
        self._data_dir = data_dir
        self._settings = load_settings(data_dir)
        self.source: TokenSource | None = None

    @property
    def settings(self) -> Settings:
        return self._settings

    def close(self) -> None:
        self._client.close()

    def restore(self) -> Restored:
        """Pick up the token from the environment or the keyring, without a request."""
        stored = credentials.load_token()
        if stored.token:
            self._client.credentials = ApiToken(stored.token)
            self.source = stored.source
        return Restored(bool(stored.token), stored.source, stored.warning)

    def sign_in(self, given: Credentials) -> SignedIn:
        """Check the credentials with `GET /me` and keep the token (never the password)."""
        self._client.credentials = given
        try:
            me = self._client.me()
        except Exception:
            self._client.credentials = None
            raise
        token = given.token if isinstance(given, ApiToken) else me.api_token
        if not token:
            self._client.credentials = None
            raise NoTokenForAccountError(
                "Toggl did not send an API token for this account. Copy the token from your "
                "Toggl profile page and paste it instead."
            )
        self._client.credentials = ApiToken(token)
        warning = credentials.save_token(token)
        self.source = TokenSource.SESSION if warning else TokenSource.KEYRING
        return SignedIn(me, warning)

    def sign_out(self) -> str | None:
        self._client.credentials = None
        was_stored = self.source is TokenSource.KEYRING
        self.source = None
        problem = credentials.delete_token()  # also clears a token an earlier run stored
        return problem if was_stored else None

    def workspaces(self) -> list[Workspace]:
        return self._client.workspaces()

    def projects(self, workspace_id: int) -> list[Project]:
        return self._client.projects(workspace_id)

    def users(self, workspace_id: int) -> list[User]:
        return [user for user in self._client.users(workspace_id) if not user.inactive]

    def create_task(self, workspace_id: int, project_id: int, draft: TaskDraft) -> Task:
        return self._client.create_task(workspace_id, project_id, draft)

    def remember(self, workspace_id: int, project_id: int | None) -> None:
        self._settings.workspace_id = workspace_id
        if project_id is not None:
            self._settings.project_by_workspace[workspace_id] = project_id
        save_settings(self._data_dir, self._settings)
