"""`TaskDesk workspaces` and `TaskDesk projects`, and the lookups `add` makes by name.

A list comes from the cache while it is fresh (as the window's), from Toggl when it is stale or
`--refresh` asks; when Toggl cannot be reached, the cached list is shown with a notice that it
may be out of date. Fetching needs a token; reading the cache does not."""

from __future__ import annotations

import argparse
import re
import time
from collections.abc import Callable
from pathlib import Path

from desktop.api.errors import (
    AmbiguousError,
    AuthenticationError,
    CertificateError,
    NetworkError,
    QuotaExceededError,
    RateLimitedError,
    ServerError,
    TogglError,
)
from desktop.api.models import Project, User, Workspace
from desktop.cli.exit_codes import EX_FAILED, EX_NOPERM, EX_OK, EX_UNAVAILABLE, EX_USAGE
from desktop.cli.names import Choice, Unresolved, pick
from desktop.cli.output import Output, local_time
from desktop.cli.running import NOT_SIGNED_IN, SIGN_IN_AGAIN, Owned
from desktop.session import STALE_AFTER, Session

PASSING = (
    NetworkError,
    ServerError,
    CertificateError,
    AmbiguousError,
    QuotaExceededError,
    RateLimitedError,
)
"""Failures that say nothing about the list: the cached one is shown instead."""
WORKSPACES = "TaskDesk workspaces"


class ListUnavailable(Exception):  # noqa: N818 - an answer for the user
    """A list that can neither be fetched nor read from the cache; `code` to exit with."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code


class Lists:
    """A session's workspaces, projects and people: cached while fresh, else fetched."""

    def __init__(self, session: Session, out: Output, *, refresh: bool) -> None:
        self._session = session
        self._out = out
        self._refresh = refresh
        self._unreachable: str | None = None
        """Why Toggl could not be reached, once it could not."""

    def workspaces(self) -> list[Workspace]:
        self._update("workspaces", "workspaces", lambda: self._session.workspaces(force=True))
        return self._session.cache.workspaces()

    def projects(self, workspace_id: int) -> list[Project]:
        self._update(f"projects:{workspace_id}", "projects", lambda: self._lists(workspace_id))
        return self._session.cache.projects(workspace_id)

    def users(self, workspace_id: int) -> list[User]:
        self._update(f"users:{workspace_id}", "people", lambda: self._lists(workspace_id))
        return self._session.cache.users(workspace_id)

    def _lists(self, workspace_id: int) -> None:
        self._session.workspace_lists(workspace_id, force=self._refresh)

    def _update(self, key: str, what: str, fetch: Callable[[], object]) -> None:
        fetched = self._session.cache.fetched_at(key)
        if not self._refresh and fetched is not None and time.time() - fetched < STALE_AFTER:
            return
        if not self._session.signed_in:
            raise ListUnavailable(EX_NOPERM, NOT_SIGNED_IN)
        if self._unreachable is not None:  # said once; no second request to a server away
            _cached(what, fetched, self._unreachable)
            return
        try:
            fetch()
        except AuthenticationError:
            raise ListUnavailable(EX_NOPERM, SIGN_IN_AGAIN) from None
        except TogglError as error:
            if not isinstance(error, PASSING):
                raise ListUnavailable(
                    EX_FAILED, f"Toggl refused the list of {what}: {error.message}"
                ) from None
            self._unreachable = error.message
            _cached(what, fetched, error.message)
            self._out.notice(
                f"Showing lists cached {local_time(fetched or 0.0)}, which may be out of "
                f"date: {error.message}"
            )


def _cached(what: str, fetched: float | None, why: str) -> None:
    """Raises `ListUnavailable` (69) when the list was never cached."""
    if fetched is None:
        raise ListUnavailable(
            EX_UNAVAILABLE, f"The {what} cannot be fetched and none are cached: {why}"
        )


def workspaces(args: argparse.Namespace, api_url: str, data_dir: Path, out: Output) -> int:
    with Owned(api_url, data_dir, out, needs_token=False) as owned:
        if owned.code is not None:
            return owned.code
        owned.session.restore()
        try:
            found = Lists(owned.session, out, refresh=args.refresh).workspaces()
        except ListUnavailable as exc:
            return out.fail(exc.code, str(exc))
    lines = [
        f"{w.id}  {w.name}" + ("  (free plan: no tasks)" if w.premium is False else "")
        for w in found
    ]
    data = [{"id": w.id, "name": w.name, "premium": w.premium} for w in found]
    out.emit(lines or "No workspaces.", {"ok": True, "workspaces": data})
    return EX_OK


def projects(args: argparse.Namespace, api_url: str, data_dir: Path, out: Output) -> int:
    with Owned(api_url, data_dir, out, needs_token=False) as owned:
        if owned.code is not None:
            return owned.code
        session = owned.session
        session.restore()
        lists = Lists(session, out, refresh=args.refresh)
        try:
            workspace_id = workspace_of(session, lists, args.workspace)
            found = lists.projects(workspace_id)
        except ListUnavailable as exc:
            return out.fail(exc.code, str(exc))
        except Unresolved as exc:
            return out.fail(EX_USAGE, str(exc), candidates=exc.candidates)
    found.sort(key=_natural)
    lines = [f"{p.id}  {p.name}" + (f" · {p.client_name}" if p.client_name else "") for p in found]
    data = [{"id": p.id, "name": p.name, "client": p.client_name} for p in found]
    out.emit(
        lines or f"Workspace {workspace_id} has no active projects.",
        {"ok": True, "workspace_id": workspace_id, "projects": data},
    )
    return EX_OK


def _natural(project: Project) -> tuple[tuple[int, int, str], ...]:
    """Natural order: "Project 2" before "Project 10", case aside."""
    parts = re.split(r"(\d+)", project.name.casefold())
    return tuple((1, int(p), "") if p.isdecimal() else (0, 0, p) for p in parts if p)


def workspace_of(session: Session, lists: Lists, given: int | str | None) -> int:
    """The workspace `--workspace` names, else the one the window would pick; raises
    `Unresolved` or `ListUnavailable`."""
    if isinstance(given, int):
        return given
    found = lists.workspaces()
    if given is None:
        preferred = session.preferred_workspace_id(found)
        if preferred is None:
            raise ListUnavailable(EX_FAILED, "This Toggl account has no workspaces.")
        return preferred
    return pick("workspace", given, [Choice(w.id, w.name) for w in found], WORKSPACES)
