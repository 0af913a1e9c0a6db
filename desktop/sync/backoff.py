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
        # The exponent stops growing long before a float would overflow (a night offline is
        # thousands of failed probes); the cap is reached well before it.
        delay = min(self._cap, self._base * 2 ** min(self.failures, 64))
        self.failures += 1
        return float(delay * (0.5 + self._rng() / 2))

    def reset(self) -> None:
        self.failures = 0
