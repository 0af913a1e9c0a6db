"""Workspaces, projects and people given by id or by name: a name is a unique prefix of one,
case-insensitive (an exact name wins over the longer names it begins)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

_LISTED = 8
"""Candidates named in an ambiguous answer; more are counted."""


@dataclass(frozen=True, slots=True)
class Choice:
    id: int
    name: str
    also: str = ""
    """Another text the prefix may match (a person's email)."""


class Unresolved(Exception):  # noqa: N818 - an answer for the user, not a bug
    """A name matching none or several; the message is one sentence, `candidates` the several."""

    def __init__(self, message: str, candidates: Sequence[Choice] = ()) -> None:
        super().__init__(message)
        self.candidates = [{"id": c.id, "name": c.name} for c in candidates]


def pick(what: str, given: int | str, choices: Sequence[Choice], lister: str | None) -> int:
    """The id `given` names among `choices`; raises `Unresolved`. An id is taken as it is
    (Toggl says whether it exists). `lister` is the command that lists them."""
    if isinstance(given, int):
        return given
    key = given.casefold()
    exact = [c for c in choices if key in (c.name.casefold(), c.also.casefold())]
    hits = exact or [
        c for c in choices if c.name.casefold().startswith(key) or c.also.casefold().startswith(key)
    ]
    if len(hits) == 1:
        return hits[0].id
    if not hits:
        where = f": `{lister}` lists them" if lister else " in this workspace"
        raise Unresolved(f"No {what} is named “{given}”{where}.")
    named = "; ".join(f"{c.name} ({c.id})" for c in hits[:_LISTED])
    more = f" and {len(hits) - _LISTED} more" if len(hits) > _LISTED else ""
    raise Unresolved(
        f"“{given}” could be {len(hits)} {what}s: {named}{more}; give more of the name, or the id.",
        hits,
    )
