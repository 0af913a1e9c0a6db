"""A workspace's active projects as a picker shows them, built once off the UI thread."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from desktop.domain.display import isolate, may_reorder
from desktop.values import Value

if TYPE_CHECKING:  # the window imports this module before its first paint; models come later
    from desktop.api.models import Project

LABEL_SEPARATOR = " · "

_DIGITS = re.compile(r"\d+")
_NOT_WORD = re.compile(r"[\W_]+")


def _padded(digits: re.Match[str]) -> str:
    number = digits.group().lstrip("0") or "0"
    return f"{len(number):03d}{number}"


def natural_key(text: str) -> str:
    """`text` case-folded with each run of digits prefixed by its length, so that comparing
    keys as strings compares the numbers as numbers: "project 2" before "project 10"."""
    return _DIGITS.sub(_padded, text.casefold())


def words_of(text: str) -> str:
    """Folded text as its words, each after one space: " website redesign acme corp".

    Punctuation and separators (" · ", "-", "_") count as spaces, so a typed " redesign" is a
    word prefix wherever a word starts, and "Website Redesign - Acme Corp" names the same label.
    """
    spaced = _NOT_WORD.sub(" ", text.casefold()).strip()
    return f" {spaced}" if spaced else ""


def project_label(project: Project) -> str:
    """ "Project · Client", or the name alone for a project without a client."""
    if project.client_name:
        return f"{project.name}{LABEL_SEPARATOR}{project.client_name}"
    return project.name


def shown_label(project: Project) -> str:
    """The label as the list shows it: name and client each a bidi isolate where needed, so a
    right-to-left override in the name cannot reverse the client's name after it."""
    if project.client_name:
        return f"{isolate(project.name)}{LABEL_SEPARATOR}{isolate(project.client_name)}"
    return isolate(project.name)


class ProjectChoices(Value):
    """Parallel lists in display order: Toggl ids, labels (what is typed and matched), labels
    as the list shows them (`shown_label`), labels case-folded for filtering, and labels as
    words (`words_of`) for ranking matches and matching a typed label.

    The window only assigns these lists to its models: sorting, labelling and folding 10,000
    projects is done here, on the worker, so the UI thread never stalls on it.
    """

    _fields = ("ids", "labels", "shown", "folded", "words")
    __slots__ = _fields
    ids: list[int]
    labels: list[str]
    shown: list[str]
    folded: list[str]
    words: list[str]

    def __init__(
        self,
        ids: list[int] | None = None,
        labels: list[str] | None = None,
        shown: list[str] | None = None,
        folded: list[str] | None = None,
        words: list[str] | None = None,
    ) -> None:
        self.ids, self.labels = [] if ids is None else ids, [] if labels is None else labels
        self.shown, self.folded = [] if shown is None else shown, [] if folded is None else folded
        self.words = [] if words is None else words

    @classmethod
    def of(cls, projects: Iterable[Project]) -> ProjectChoices:
        """The active ones, by name then client, case-insensitively, numbers as numbers.

        Sorted by one string key per project through an index list: a quarter of the time of
        sorting tuples, and the sort is one C call that holds the GIL (the UI thread waits).
        """
        active = [p for p in projects if p.active]
        keys = [f"{natural_key(p.name)}\0{natural_key(p.client_name or '')}" for p in active]
        order = sorted(range(len(active)), key=keys.__getitem__)
        labels = [project_label(active[i]) for i in order]
        folded = [label.casefold() for label in labels]
        return cls(
            ids=[active[i].id for i in order],
            labels=labels,
            shown=[
                shown_label(active[i]) if may_reorder(label) else label
                for i, label in zip(order, labels, strict=True)
            ],
            folded=folded,
            words=[words_of(label) for label in folded],
        )

    def __len__(self) -> int:
        return len(self.ids)

    def matching(self, wanted: str, within: list[int] | None = None) -> list[int]:
        """The rows whose folded label contains `wanted` (folded), or its words in a row
        ("redesign acme" or "redesign - acme" finds "Redesign · Acme"), in display order; only
        among `within` when given (the previous matches: the text grew around them)."""
        folded, words = self.folded, self.words
        rows = range(len(folded)) if within is None else within
        loose = words_of(wanted).strip()
        if loose == wanted and " " not in wanted:  # one word: found as typed or not at all
            return [row for row in rows if wanted in folded[row]]
        return [row for row in rows if wanted in folded[row] or loose in words[row]]

    def ranked(self, wanted: str, rows: list[int]) -> list[int]:
        """`rows` (matches of `wanted`, folded) best first: labels starting with it, then those
        with a word starting with it, then the rest; display order within each group.

        Three passes over the matches, each one C-level test per row: linear in the rows."""
        if not wanted:
            return rows
        folded, words = self.folded, self.words
        word = words_of(wanted) or "\0"  # only punctuation typed: no word starts with it
        first = [row for row in rows if folded[row].startswith(wanted)]
        later = [row for row in rows if not folded[row].startswith(wanted)]
        second = [row for row in later if word in words[row]]
        return first + second + [row for row in later if word not in words[row]]

    def row_of_label(self, text: str) -> int:
        """The row whose label is `text`, ignoring case; -1 if none."""
        try:
            return self.folded.index(text.strip().casefold())
        except ValueError:
            return -1

    def row_of_words(self, text: str) -> int:
        """The row whose label has the words of `text`, ignoring case, punctuation and spacing
        ("Website Redesign - Acme Corp" for "Website Redesign · Acme Corp"); -1 if none."""
        words = words_of(text)
        try:
            return self.words.index(words) if words else -1
        except ValueError:
            return -1
