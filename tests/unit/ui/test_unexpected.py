"""The worker's slot guard: nothing escapes a slot; the window is put back and the log says why."""

from __future__ import annotations

import logging

import pytest

from desktop.ui.unexpected import guarded, log_only


class Worker:
    def __init__(self) -> None:
        self.recovered = 0
        self.ran: list[object] = []

    def recover(self) -> None:
        self.recovered += 1


def recover(worker: object) -> None:
    assert isinstance(worker, Worker)
    worker.recover()


@guarded(recover)
def failing_slot(worker: Worker, value: object) -> None:
    worker.ran.append(value)
    raise RuntimeError("boom with a secret-looking detail")


@guarded(recover)
def working_slot(worker: Worker, value: object) -> None:
    worker.ran.append(value)


def test_an_exception_in_a_slot_is_logged_and_recovered_from(
    caplog: pytest.LogCaptureFixture,
) -> None:
    worker = Worker()
    with caplog.at_level(logging.ERROR, logger="desktop.ui.worker"):
        failing_slot(worker, 7)  # does not raise
    assert worker.ran == [7]
    assert worker.recovered == 1
    assert "unexpected error in failing_slot" in caplog.text


def test_a_slot_that_works_is_not_recovered(caplog: pytest.LogCaptureFixture) -> None:
    worker = Worker()
    working_slot(worker, "x")
    assert (worker.ran, worker.recovered, caplog.text) == (["x"], 0, "")


def test_a_failing_recovery_is_logged_too(caplog: pytest.LogCaptureFixture) -> None:
    def broken_recover(_worker: object) -> None:
        raise ValueError("recovery failed")

    @guarded(broken_recover)
    def slot(_worker: object) -> None:
        raise RuntimeError("first")

    with caplog.at_level(logging.ERROR, logger="desktop.ui.worker"):
        slot(Worker())
    assert "while recovering from it" in caplog.text


def test_log_only_needs_nothing_put_back() -> None:
    log_only(Worker())  # returns, whatever the worker
