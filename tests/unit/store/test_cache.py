"""The cache on real SQLite files: every list round trips, sign-out clears it but never the
outbox, the task list (kept for issue #13's task list), and rows of the unchanged schema."""

from __future__ import annotations

from contextlib import closing
from pathlib import Path
from typing import Any

from desktop.api.models import Project, Task, TaskDraft, User, Workspace
from desktop.store.cache import Cache
from desktop.store.database import open_database
from desktop.store.outbox import Outbox


def task(task_id: int, project_id: int, name: str, **fields: Any) -> Task:
    return Task(task_id, name, project_id=project_id, workspace_id=1, **fields)


def test_a_projects_tasks_come_back_field_for_field_in_id_order(data_dir: Path) -> None:
    full = task(
        9,
        10,
        "Ünïcode 😀 review",
        active=False,
        at="2026-01-02T03:04:05+00:00",
        estimated_seconds=5400,
        tracked_ms=61_000,
        user_id=2**40,
        user_name="Sam",
        project_name="Website",
        client_name="Acme",
        external_reference="td-1",
        references_served=True,
    )
    bare = task(3, 10, "Plan")
    with closing(open_database(data_dir)) as db:
        Cache(db).save_tasks(10, [full, bare])
    with closing(open_database(data_dir)) as db:
        tasks = Cache(db).tasks(10)
    # The reference is kept (a queued task is known by it); whether Toggl serves references
    # is not part of the cached list.
    assert tasks == [bare, full.replace(references_served=False)]
    assert tasks[1].tracked_seconds == 61


def test_saving_a_projects_tasks_replaces_only_that_project(data_dir: Path) -> None:
    with closing(open_database(data_dir)) as db:
        cache = Cache(db)
        cache.save_tasks(10, [task(1, 10, "old")])
        cache.save_tasks(20, [task(2, 20, "other project")])
        cache.save_tasks(10, [task(3, 10, "new")])
        assert [t.name for t in cache.tasks(10)] == ["new"]
        assert [t.name for t in cache.tasks(20)] == ["other project"]
        assert cache.tasks(30) == []


def test_a_task_added_after_a_send_joins_its_projects_list(data_dir: Path) -> None:
    with closing(open_database(data_dir)) as db:
        cache = Cache(db)
        cache.save_tasks(10, [task(5, 10, "listed")])
        cache.add_task(task(4, 10, "just sent"))
        cache.add_task(task(5, 10, "listed, renamed"))  # the same id: replaced, not doubled
        listed = [(t.id, t.name) for t in cache.tasks(10)]
        assert listed == [(4, "just sent"), (5, "listed, renamed")]


def test_rows_written_with_the_columns_no_field_reads_any_more_still_load(
    data_dir: Path,
) -> None:
    """The schema keeps `role`, `organization_id` and `color` (no migration): a store that an
    earlier version filled reads as before, and new rows take the columns' defaults."""
    with closing(open_database(data_dir)) as db:
        with db:
            db.execute(
                "INSERT INTO workspaces (id, name, premium, role, organization_id) "
                "VALUES (1, 'Acme', 1, 'admin', 501)"
            )
            db.execute(
                "INSERT INTO projects (id, workspace_id, name, active, client_name, color) "
                "VALUES (10, 1, 'Web', 1, 'Acme', '#0b83d9')"
            )
        cache = Cache(db)
        assert cache.workspaces() == [Workspace(1, "Acme", premium=True)]
        assert cache.projects(1) == [Project(10, "Web", 1, True, "Acme")]
        cache.save_workspaces([Workspace(2, "Beta", premium=False)])
        cache.save_projects(2, [Project(20, "Blog", 2, True, None)])
        assert cache.workspaces() == [Workspace(2, "Beta", premium=False)]
        assert cache.projects(2) == [Project(20, "Blog", 2, True, None)]


def test_cache_round_trip_and_clear(data_dir: Path) -> None:
    with closing(open_database(data_dir)) as db:
        cache = Cache(db)
        cache.save_workspaces([Workspace(1, "A", premium=True), Workspace(2, "B", premium=None)])
        cache.save_projects(1, [Project(10, "Web", 1, True, "Acme")])
        cache.save_users(1, [User(2**40, "Sam", "sam@example.com")])
        task = Task(5, "T", at="2026-01-01T00:00:00Z", tracked_ms=1000, project_id=10)
        cache.save_tasks(10, [task])
        cache.remember(1, 10)
        assert cache.workspaces()[1].premium is None
        assert cache.projects(1)[0].client_name == "Acme"
        assert cache.users(1)[0].id == 2**40
        assert cache.tasks(10)[0].tracked_ms == 1000
        assert cache.last_project_id(1) == 10
        assert cache.fetched_at("projects:1") is not None
        outbox = Outbox(db)
        outbox.add(1, 10, TaskDraft("kept"), "")
        cache.clear()
        assert cache.workspaces() == []
        assert cache.fetched_at("projects:1") is None
        assert len(outbox.waiting()) == 1  # sign-out never drops queued tasks
