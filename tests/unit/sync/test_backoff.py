"""Exponential backoff with jitter: doubling from the base up to the cap, each wait somewhere in
its upper half, and back to the base after a success."""

from __future__ import annotations

from desktop.sync.backoff import Backoff


def test_waits_double_up_to_the_cap() -> None:
    backoff = Backoff(base=1.0, cap=15.0, rng=lambda: 1.0)  # the longest wait of each range
    assert [backoff.next_delay() for _ in range(6)] == [1.0, 2.0, 4.0, 8.0, 15.0, 15.0]
    assert backoff.failures == 6


def test_jitter_keeps_each_wait_in_the_upper_half_of_its_range() -> None:
    shortest = Backoff(base=2.0, cap=60.0, rng=lambda: 0.0)
    middle = Backoff(base=2.0, cap=60.0, rng=lambda: 0.5)
    assert [shortest.next_delay() for _ in range(3)] == [1.0, 2.0, 4.0]
    assert [middle.next_delay() for _ in range(3)] == [1.5, 3.0, 6.0]


def test_reset_starts_again_from_the_base() -> None:
    backoff = Backoff(base=1.0, cap=60.0, rng=lambda: 1.0)
    for _ in range(4):
        backoff.next_delay()
    backoff.reset()
    assert backoff.failures == 0
    assert backoff.next_delay() == 1.0


def test_a_long_outage_never_overflows_past_the_cap() -> None:
    """The offline probe fails every 15 s through a night offline: 1,100 failures and more."""
    backoff = Backoff(base=1.0, cap=15.0, rng=lambda: 1.0)
    backoff.failures = 1100
    assert backoff.next_delay() == 15.0
