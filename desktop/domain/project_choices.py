"""A workspace's active projects as a picker shows them, built once off the UI thread."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from desktop.domain.display import isolate, may_reorder

if TYPE_CHECKING:  # the window imports this module before its first paint; models come later
    from desktop.api.models import Project

LABEL_SEPARATOR = " · "


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


@dataclass(slots=True)
class ProjectChoices:
    """Parallel lists in display order: Toggl ids, labels (what is typed and matched), labels
    as the list shows them (`shown_label`), and labels case-folded for filtering.

    The window only assigns these lists to its models: sorting, labelling and folding 10,000
    projects is done here, on the worker, so the UI thread never stalls on it.
    """

    ids: list[int] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    shown: list[str] = field(default_factory=list)
    folded: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, projects: Iterable[Project]) -> ProjectChoices:
        """The active ones, by name then client, case-insensitively.

        Sorted by one string key per project through an index list: a quarter of the time of
        sorting tuples, and the sort is one C call that holds the GIL (the UI thread waits).
        """
        active = [p for p in projects if p.active]
        keys = [f"{p.name.casefold()}\0{(p.client_name or '').casefold()}" for p in active]
        order = sorted(range(len(active)), key=keys.__getitem__)
        labels = [project_label(active[i]) for i in order]
        return cls(
            ids=[active[i].id for i in order],
            labels=labels,
            shown=[
                shown_label(active[i]) if may_reorder(label) else label
                for i, label in zip(order, labels, strict=True)
            ],
            folded=[label.casefold() for label in labels],
        )

    def __len__(self) -> int:
        return len(self.ids)
