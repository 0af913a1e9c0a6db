"""Projects as the picker shows them: prepared on the worker, in the order a person expects."""

from __future__ import annotations

from desktop.api.models import Project
from desktop.domain.project_choices import ProjectChoices


def test_active_projects_sorted_by_name_then_client_ignoring_case() -> None:
    choices = ProjectChoices.of(
        [
            Project(id=1, name="website", client_name="Zeta"),
            Project(id=2, name="Archive", active=False),
            Project(id=3, name="Website", client_name="acme"),
            Project(id=4, name="Écoles"),
            Project(id=5, name="admin"),
        ]
    )
    assert choices.ids == [5, 3, 1, 4]
    assert choices.labels == ["admin", "Website · acme", "website · Zeta", "Écoles"]
    assert choices.folded == [label.casefold() for label in choices.labels]
    assert len(choices) == 4


def test_equal_names_keep_toggls_order() -> None:
    same = [Project(id=i, name="Design") for i in (30, 10, 20)]
    assert ProjectChoices.of(same).ids == [30, 10, 20]


def test_no_projects() -> None:
    assert len(ProjectChoices.of([])) == 0
    assert not ProjectChoices()
