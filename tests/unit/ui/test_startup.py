"""The start-up helpers that need no window: waiting for the first data before the window shows."""

from __future__ import annotations

import time

from desktop.ui.startup import wait_for_first_data


def test_the_wait_ends_as_soon_as_the_data_has_arrived() -> None:
    deliveries: list[float] = []

    def deliver() -> None:
        deliveries.append(time.monotonic())

    wait_for_first_data(deliver, lambda: len(deliveries) >= 3, limit=5.0)
    assert len(deliveries) == 3
    assert deliveries[-1] - deliveries[0] < 1.0


def test_the_wait_gives_up_at_its_limit_when_nothing_comes() -> None:
    started = time.monotonic()
    delivered = 0

    def deliver() -> None:
        nonlocal delivered
        delivered += 1

    wait_for_first_data(deliver, lambda: False, limit=0.05)
    assert 0.05 <= time.monotonic() - started < 1.0
    assert delivered >= 2
