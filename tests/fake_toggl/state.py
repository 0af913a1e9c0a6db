"""The fake's data: one user, two workspaces, their users, projects and tasks, in plain dicts.

Everything is guarded by ``lock`` (an RLock shared with the quota and the fault rules), so a
test may read or edit the dicts directly while holding it.
"""

from __future__ import annotations

import itertools
import threading
from typing import Any, cast

from tests.fake_toggl.wire import ApiError, now_iso

PREMIUM_WORKSPACE_ID = 1001
FREE_WORKSPACE_ID = 1002
ME_ID = 9_000_000_001


class TogglState:
    """Seeded Toggl data and the credentials that unlock it."""

    def __init__(self, token: str, email: str, password: str) -> None:
        self.lock = threading.RLock()
        self.token = token
        self.email = email
        self.password = password
        self.initial_token = token
        self.token_revoked = False
        """True: the token gets 403, as after a reset on Toggl's website (password still works)."""
        self.serves_references = True
        """False: answers drop `external_reference`, as an old or odd server might."""
        self.premium_workspace_id = PREMIUM_WORKSPACE_ID
        self.free_workspace_id = FREE_WORKSPACE_ID
        self._project_ids = itertools.count(2001)
        self._task_ids = itertools.count(8_000_000_001)
        self.me: dict[str, Any] = {
            "id": ME_ID,
            "email": email,
            "fullname": "Fran Freelancer",
            "api_token": token,
            "default_workspace_id": PREMIUM_WORKSPACE_ID,
            "timezone": "Europe/Berlin",
        }
        self.workspaces: list[dict[str, Any]] = [
            {
                "id": PREMIUM_WORKSPACE_ID,
                "name": "Acme Studio",
                "premium": True,
                "role": "admin",
                "organization_id": 501,
            },
            {
                "id": FREE_WORKSPACE_ID,
                "name": "Side Projects",
                "premium": False,
                "role": "admin",
                "organization_id": 502,
            },
        ]
        me_user = {"id": ME_ID, "fullname": "Fran Freelancer", "email": email, "inactive": False}
        sam = {
            "id": 9_000_000_002,
            "fullname": "Sam Designer",
            "email": "sam@example.com",
            "inactive": False,
        }
        self.users: dict[int, list[dict[str, Any]]] = {
            PREMIUM_WORKSPACE_ID: [dict(me_user), sam],
            FREE_WORKSPACE_ID: [dict(me_user)],
        }
        self.projects: dict[int, list[dict[str, Any]]] = {
            PREMIUM_WORKSPACE_ID: [],
            FREE_WORKSPACE_ID: [],
        }
        premium, free = PREMIUM_WORKSPACE_ID, FREE_WORKSPACE_ID
        self.new_project(premium, "Website Redesign", "Acme Corp", color="#0b83d9")
        self.new_project(premium, "Mobile App", "Acme Corp", color="#9e5bd9")
        self.new_project(premium, "Internal", None, color="#2da608")
        self.new_project(premium, "Old Campaign", "Acme Corp", color="#d94182", active=False)
        self.new_project(free, "Blog", None, color="#e36a00")
        self.new_project(free, "Garden Planner", None, color="#06a893")
        self.tasks: list[dict[str, Any]] = []
        seed = self.new_task(
            self.find_project(premium, self.project_id("Website Redesign")),
            name="Existing task",
            estimated_seconds=7200,
            user_id=ME_ID,
        )
        seed["tracked_seconds"] = 5_400_000

    # ------------------------------------------------------------- for tests

    def project_id(self, name: str) -> int:
        """Id of the first project with this name (any workspace); KeyError if none."""
        with self.lock:
            for projects in self.projects.values():
                for project in projects:
                    if project["name"] == name:
                        return int(project["id"])
        raise KeyError(name)

    def add_projects(
        self,
        workspace_id: int,
        count: int,
        *,
        prefix: str = "Project",
        client_name: str | None = None,
    ) -> list[int]:
        """Append ``count`` active projects named ``"{prefix} {n}"``; return their ids."""
        with self.lock:
            existing = self.projects.setdefault(workspace_id, [])
            start = sum(1 for p in existing if str(p["name"]).startswith(prefix + " ")) + 1
            return [
                int(self.new_project(workspace_id, f"{prefix} {start + i}", client_name)["id"])
                for i in range(count)
            ]

    def add_task(self, project_id: int, name: str, **fields: Any) -> dict[str, Any]:
        """Store a task directly (no HTTP); ``fields`` override task dict entries."""
        with self.lock:
            project = self.project_anywhere(project_id)
            if project is None:
                raise KeyError(project_id)
            task = self.new_task(
                project,
                name=name,
                active=bool(fields.pop("active", True)),
                estimated_seconds=fields.pop("estimated_seconds", None),
                user_id=fields.pop("user_id", None),
            )
            task.update(fields)
            return dict(task)

    def add_tasks(self, project_id: int, count: int, *, prefix: str = "Task") -> list[int]:
        """Store ``count`` tasks named ``"{prefix} {n}"`` in this project (no HTTP), varied as a
        real list is: every third one done, estimates from 30 min up, some time tracked
        (in milliseconds, as Toggl keeps it), every other one assigned to the user."""
        with self.lock:
            project = self.project_anywhere(project_id)
            if project is None:
                raise KeyError(project_id)
            start = sum(1 for t in self.tasks if t["project_id"] == project_id) + 1
            ids: list[int] = []
            for n in range(start, start + count):
                task = self.new_task(
                    project,
                    name=f"{prefix} {n}",
                    active=n % 3 != 0,
                    estimated_seconds=1800 * (n % 8) or None,
                    user_id=ME_ID if n % 2 else None,
                )
                task["tracked_seconds"] = 600_000 * (n % 5)
                ids.append(int(task["id"]))
            return ids

    def tasks_named(self, name: str) -> list[dict[str, Any]]:
        """Copies of all stored tasks with exactly this name."""
        with self.lock:
            return [dict(t) for t in self.tasks if t["name"] == name]

    # ------------------------------------------------------------ for routes

    def new_project(
        self,
        workspace_id: int,
        name: str,
        client_name: str | None,
        *,
        color: str = "#0b83d9",
        active: bool = True,
    ) -> dict[str, Any]:
        """Store a project and return it (the stored dict)."""
        project: dict[str, Any] = {
            "id": next(self._project_ids),
            "name": name,
            "active": active,
            "client_name": client_name,
            "color": color,
            "workspace_id": workspace_id,
            "wid": workspace_id,
            "status": "active" if active else "archived",
            "billable": False,
            "is_private": False,
        }
        self.projects.setdefault(workspace_id, []).append(project)
        return project

    def new_task(
        self,
        project: dict[str, Any],
        *,
        name: str,
        active: bool = True,
        estimated_seconds: int | None = None,
        user_id: int | None = None,
        external_reference: str | None = None,
    ) -> dict[str, Any]:
        """Store a task in this project and return it (the stored dict)."""
        wid = int(project["workspace_id"])
        task: dict[str, Any] = {
            "id": next(self._task_ids),
            "name": name,
            "active": active,
            "at": now_iso(),
            "estimated_seconds": estimated_seconds,
            "tracked_seconds": 0,
            "user_id": user_id,
            "user_name": self.user_name(wid, user_id),
            "project_id": project["id"],
            "project_name": project["name"],
            "project_color": project["color"],
            "project_billable": False,
            "client_name": project["client_name"],
            "workspace_id": wid,
            "rate": None,
            "recurring": False,
            "permissions": None,
            "integration_ext_id": None,
            "integration_ext_type": None,
            "integration_provider": None,
            "toggl_accounts_id": None,
            "external_reference": external_reference,
        }
        self.tasks.append(task)
        return task

    def served(self, task: dict[str, Any]) -> dict[str, Any]:
        """A task as the server answers it: a copy, without its reference when not served."""
        answer = dict(task)
        if not self.serves_references:
            answer.pop("external_reference", None)
        return answer

    def user_name(self, workspace_id: int, user_id: int | None) -> str | None:
        """Full name of a workspace user, None if not one."""
        for user in self.users.get(workspace_id, []):
            if user["id"] == user_id:
                return cast(str, user["fullname"])
        return None

    def workspace(self, workspace_id: int) -> dict[str, Any]:
        """The workspace, or Toggl's 403 if the user has no such workspace."""
        for workspace in self.workspaces:
            if workspace["id"] == workspace_id:
                return workspace
        raise ApiError(403, "User does not have access to this resource.")

    def find_project(self, workspace_id: int, project_id: int) -> dict[str, Any]:
        """The project in this workspace, or Toggl's 400."""
        for project in self.projects.get(workspace_id, []):
            if project["id"] == project_id:
                return project
        raise ApiError(400, "Project not found/accessible")

    def project_anywhere(self, project_id: int) -> dict[str, Any] | None:
        """The project with this id in any workspace."""
        for projects in self.projects.values():
            for project in projects:
                if project["id"] == project_id:
                    return project
        return None
