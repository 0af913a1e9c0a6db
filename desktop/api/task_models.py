"""The answers of the task-list calls beyond a single task: a whole listing, a bulk change.
Bounded as `desktop.api.models` bounds everything a server sends."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from desktop.api.answers import _clip
from desktop.api.json_values import _bounded_int, _object, _str
from desktop.api.models import Task


@dataclass(slots=True)
class TaskListing:
    """A project's tasks as one listing found them (every page of it)."""

    tasks: list[Task]
    as_of: int | None = None
    """The `since` for the next listing of changes (unix seconds): Toggl's own clock when the
    first page was answered, less an overlap for its slow-to-appear writes; None when its
    answer carried no readable date (then list everything next time)."""


@dataclass(slots=True)
class PatchResult:
    """What a bulk PATCH did, per task id asked about."""

    succeeded: list[int]
    failed: dict[int, str]
    """Task id to Toggl's reason, one line as every message of Toggl's (`answers._clip`)."""
    unanswered: list[int]
    """Ids Toggl named in neither list: whether they changed is unknown until a listing."""

    @classmethod
    def from_json(cls, data: object, asked: list[int]) -> PatchResult:
        obj = _object(data, "bulk change result")
        wanted = set(asked)
        raw_success = obj.get("success")
        success = raw_success if isinstance(raw_success, list) else []
        succeeded = {i for i in (_bounded_int(v, "id") for v in success) if i in wanted}
        failed: dict[int, str] = {}
        raw_failure = obj.get("failure")
        for item in raw_failure if isinstance(raw_failure, list) else []:
            if isinstance(item, Mapping):
                task_id = _bounded_int(item.get("id"), "id")
                if task_id in wanted and task_id not in succeeded:
                    said = _clip(_str(item, "message").strip())
                    failed[task_id] = said or "Toggl did not change this task."
        return cls(
            succeeded=[i for i in asked if i in succeeded],
            failed=failed,
            unanswered=[i for i in asked if i not in succeeded and i not in failed],
        )
