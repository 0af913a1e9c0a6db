"""A moment in local time as people say it, for the window and the command line alike."""

from __future__ import annotations

from datetime import date, datetime, timedelta


def spoken(moment: datetime, today: date) -> str:
    """ "today 15:25", "yesterday 09:10", "2 Dec 15:25", "2 Dec 2025 15:25": `moment` is
    already in local time, `today` the local date it is said on."""
    clock = moment.strftime("%H:%M")
    if moment.date() == today:
        return f"today {clock}"
    if moment.date() == today - timedelta(days=1):
        return f"yesterday {clock}"
    year = f" {moment.year}" if moment.year != today.year else ""
    return f"{moment.day} {moment.strftime('%b')}{year} {clock}"
