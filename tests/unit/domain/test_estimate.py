import pytest

from desktop.domain.estimate import (
    EstimateError,
    format_clock,
    format_human,
    parse_estimate,
    unusual,
)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("1h 30m", 5400),
        ("1h30m", 5400),
        ("90m", 5400),
        ("1.5h", 5400),
        ("1,5h", 5400),
        ("1:30", 5400),
        ("1:30:15", 5415),
        ("45", 45 * 60),
        ("90", 5400),
        (" 007 ", 420),
        ("  2 hours 15 minutes ", 8100),
        ("2h15", 8100),
        ("45s", 45),
        ("45 sec", 45),
        ("0", 0),
        (".5h", 1800),
        ("1H 5M", 3900),
    ],
)
def test_parses_common_durations(text: str, seconds: int) -> None:
    assert parse_estimate(text) == seconds


@pytest.mark.parametrize("text", ["", "   "])
def test_blank_means_no_estimate(text: str) -> None:
    assert parse_estimate(text) is None


@pytest.mark.parametrize(
    "text",
    ["abc", "1x", "-5", "1h -5m", "1:75", "h", "1.2.3h", "²", "٥", "1h30x", "30 1h", "1.5",
     "45 90"],
)  # fmt: skip
def test_rejects_what_is_not_a_duration(text: str) -> None:
    with pytest.raises(EstimateError, match="duration"):
        parse_estimate(text)


def test_the_error_says_a_bare_number_is_minutes() -> None:
    with pytest.raises(EstimateError, match="45 for minutes"):
        parse_estimate("soon")


def test_rejects_absurd_lengths() -> None:
    with pytest.raises(EstimateError, match="too long"):
        parse_estimate("99999999999")
    with pytest.raises(EstimateError, match="too long"):
        parse_estimate("600001")  # minutes: just over 10,000 hours
    assert parse_estimate("600000") == 10_000 * 3600


@pytest.mark.parametrize(
    ("seconds", "asks"),
    [(None, False), (0, True), (59, True), (60, False), (200 * 3600, False),
     (200 * 3600 + 1, True), (250 * 3600, True)],
)  # fmt: skip
def test_under_a_minute_or_over_200_hours_is_unusual(seconds: int | None, asks: bool) -> None:
    assert unusual(seconds) is asks


def test_formats() -> None:
    assert format_clock(5400) == "1:30"
    assert format_clock(59) == "0:00"
    assert format_clock(36000 + 60) == "10:01"
    assert format_human(5400) == "1 h 30 min"
    assert format_human(45) == "45 s"
    assert format_human(0) == "0 min"


@pytest.mark.parametrize(
    ("text", "unit"),
    [("1h 1h", "hours"), ("30m 15m", "minutes"), ("1 hour 2 hrs", "hours"), ("5s 5s", "seconds"),
     ("30m 2h15", "minutes")],
)  # fmt: skip
def test_a_unit_given_twice_is_refused(text: str, unit: str) -> None:
    with pytest.raises(EstimateError, match=f"{unit} came twice"):
        parse_estimate(text)


def test_units_in_any_order_each_once() -> None:
    assert parse_estimate("15m 1h") == 4500
    assert parse_estimate("30s 2h15") == 8130


@pytest.mark.parametrize(
    "text",
    ["9" * 5000, "9" * 5000 + "h", "1" + "0" * 5000 + ":00", "1" * 4301 + ".5m", "9" * 13],
)
def test_huge_numbers_are_too_long_not_a_crash(text: str) -> None:
    with pytest.raises(EstimateError, match="too long"):
        parse_estimate(text)


def test_leading_zeros_do_not_count_as_digits() -> None:
    assert parse_estimate("0" * 5000 + "90m") == 5400
    assert parse_estimate("1." + "5" * 5000 + "h") == 5600
