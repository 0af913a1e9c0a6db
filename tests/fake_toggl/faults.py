"""Fault rules: fail, delay or drop the next matching requests, plus a delay for every answer.

A rule matches by method and a path substring and is used up by its ``remaining`` matches.
Per request the first matching delay rule and the first matching fail-or-drop rule apply, in
the order they were registered. Going down and coming back is the server's job (``FakeToggl``).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Literal

from tests.fake_toggl.wire import Response

DropWhen = Literal["before_store", "after_store"]
DROP_MOMENTS: tuple[DropWhen, ...] = ("before_store", "after_store")


@dataclass
class Rule:
    """A registered fault: consumed by the next ``remaining`` matching requests."""

    kind: Literal["fail", "delay", "drop"]
    remaining: int
    method: str | None
    path_contains: str | None
    response: Response | None = None
    seconds: float = 0.0
    when: DropWhen = "before_store"

    def matches(self, method: str, path: str) -> bool:
        """Whether this rule applies to a request."""
        if self.method is not None and self.method.upper() != method.upper():
            return False
        return self.path_contains is None or self.path_contains in path


@dataclass
class Plan:
    """What to do with one request after the fault rules were consulted."""

    delay: float = 0.0
    fail: Response | None = None
    drop: DropWhen | None = None


class Faults:
    """The pending rules and the delay before every answer, guarded by the fake's lock."""

    def __init__(self, lock: threading.RLock) -> None:
        self._lock = lock
        self.delay = 0.0
        self.rules: list[Rule] = []
        """Pending rules, oldest first (always the same list object: safe to hold)."""

    def fail_next(
        self,
        response: Response,
        count: int,
        method: str | None,
        path_contains: str | None,
    ) -> None:
        """Answer the next ``count`` matching requests with ``response``."""
        self._add(Rule("fail", count, method, path_contains, response=response))

    def delay_next(
        self, seconds: float, count: int, method: str | None, path_contains: str | None
    ) -> None:
        """Wait ``seconds`` more before answering the next ``count`` matching requests."""
        self._add(Rule("delay", count, method, path_contains, seconds=seconds))

    def drop_next(
        self, when: DropWhen, count: int, method: str | None, path_contains: str | None
    ) -> None:
        """Close the next ``count`` matching connections unanswered, before or after storing."""
        if when not in DROP_MOMENTS:
            raise ValueError(f"bad drop moment: {when!r}")
        self._add(Rule("drop", count, method, path_contains, when=when))

    def clear(self) -> None:
        """Forget every pending rule and the delay before every answer."""
        with self._lock:
            self.rules.clear()
            self.delay = 0.0

    def plan(self, method: str, path: str) -> Plan:
        """Consume the first matching delay rule and the first matching fail/drop rule."""
        with self._lock:
            plan = Plan(delay=self.delay)
            delay_taken = action_taken = False
            for rule in self.rules:
                if rule.remaining <= 0 or not rule.matches(method, path):
                    continue
                if rule.kind == "delay" and not delay_taken:
                    plan.delay += rule.seconds
                    delay_taken = True
                elif rule.kind in ("fail", "drop") and not action_taken:
                    if rule.kind == "fail":
                        plan.fail = rule.response
                    else:
                        plan.drop = rule.when
                    action_taken = True
                else:
                    continue
                rule.remaining -= 1
            self.rules[:] = [r for r in self.rules if r.remaining > 0]
            return plan

    def describe(self) -> list[dict[str, object]]:
        """The pending rules as JSON-ready dicts (for the control endpoint)."""
        with self._lock:
            return [
                {
                    "kind": rule.kind,
                    "remaining": rule.remaining,
                    "method": rule.method,
                    "path_contains": rule.path_contains,
                    **({"status": rule.response.status} if rule.response else {}),
                    **({"seconds": rule.seconds} if rule.kind == "delay" else {}),
                    **({"when": rule.when} if rule.kind == "drop" else {}),
                }
                for rule in self.rules
            ]

    def _add(self, rule: Rule) -> None:
        with self._lock:
            self.rules.append(rule)
