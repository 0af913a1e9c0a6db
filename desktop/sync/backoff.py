"""Exponential backoff with jitter, so many clients never retry in lockstep."""

from __future__ import annotations

import random
from collections.abc import Callable


class Backoff:
    def __init__(self, base: float, cap: float, rng: Callable[[], float] = random.random) -> None:
        self._base = base
        self._cap = cap
        self._rng = rng
        self.failures = 0

    def next_delay(self) -> float:
        """The wait after one more failure: base·2ⁿ capped, then scaled into [½, 1] at random."""
        delay = min(self._cap, self._base * 2**self.failures)
        self.failures += 1
        return float(delay * (0.5 + self._rng() / 2))

    def reset(self) -> None:
        self.failures = 0
