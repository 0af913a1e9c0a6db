"""A moment as people say it: today, yesterday, a date this year, a date another year."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from desktop.domain.moments import spoken

TODAY = date(2026, 12, 2)


@pytest.mark.parametrize(
    ("moment", "said"),
    [
        (datetime(2026, 12, 2, 15, 25), "today 15:25"),
        (datetime(2026, 12, 2, 0, 0), "today 00:00"),
        (datetime(2026, 12, 1, 23, 59), "yesterday 23:59"),
        (datetime(2026, 11, 30, 9, 5), "30 Nov 09:05"),
        (datetime(2025, 12, 2, 15, 25), "2 Dec 2025 15:25"),
        (datetime(2027, 1, 1, 8, 0), "1 Jan 2027 08:00"),  # a clock set wrong, said as it is
    ],
)
def test_a_moment_is_said_as_a_person_would(moment: datetime, said: str) -> None:
    assert spoken(moment, TODAY) == said


def test_yesterday_crosses_a_year_boundary() -> None:
    assert spoken(datetime(2026, 12, 31, 18, 0), date(2027, 1, 1)) == "yesterday 18:00"
