"""The quota in sight: the status bar's `quotaLabel` ("212 requests left · resets 14:05", the
local clock time) from the last answer's `X-Toggl-Quota-Remaining` and `-Resets-In` headers, as
the worker passes them on (desktop.ui.adding_actions); hidden while unknown, and again once the
reset time has passed (the count it showed no longer holds). `cost_sentence` says what a list
of tasks will cost against it, for the bulk dialog.

The label is made with the window (`quota_label`, hidden: scripts find it from the start); this
module loads with the first quota, after the first paint."""

from __future__ import annotations

import time
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer

if TYPE_CHECKING:
    from PySide6.QtWidgets import QLabel

    from desktop.session_quota import QuotaSeen


def clock(moment: float) -> str:
    return datetime.fromtimestamp(moment).strftime("%H:%M")


def requests(count: int) -> str:
    return f"{count} request" if count == 1 else f"{count} requests"


def known(seen: QuotaSeen | None, now: float) -> int | None:
    """Requests left, when known and not refilled since."""
    if seen is None or seen.remaining is None:
        return None
    if seen.resets_at is not None and seen.resets_at <= now:
        return None
    return seen.remaining


def quota_text(seen: QuotaSeen) -> str:
    left = f"{requests(seen.remaining or 0)} left"
    return left if seen.resets_at is None else f"{left} · resets {clock(seen.resets_at)}"


def cost_sentence(count: int, seen: QuotaSeen | None, now: float | None = None) -> str:
    """What queueing `count` tasks costs (one request each): "12 requests; 212 left this
    hour", and when the quota will not cover them, when the rest go."""
    now = time.time() if now is None else now
    cost = requests(count)
    left = known(seen, now)
    if left is None:
        return f"{cost}, one for each task."
    said = f"{cost}; {left} left this hour"
    if count <= left:
        return said + "."
    rest = count - left
    assert seen is not None
    refill = seen.resets_at
    when = "once Toggl's quota refills" if refill is None else f"after {clock(refill)}"
    return f"{said}: {left} go now, the other {rest} {when}."


class QuotaLabel:
    """The label (`quota_label` made it) and the last quota seen (None while unknown)."""

    def __init__(self, label: QLabel) -> None:
        self.label = label
        self.seen: QuotaSeen | None = None
        self._expiry = QTimer(self.label)
        self._expiry.setSingleShot(True)
        self._expiry.timeout.connect(self._refilled)

    def show_quota(self, seen: QuotaSeen) -> None:
        self.seen = seen
        now = time.time()
        if known(seen, now) is None:
            self.label.hide()
            return
        self.label.setText(quota_text(seen))
        self.label.show()
        if seen.resets_at is not None:
            self._expiry.start(max(0, int((seen.resets_at - now) * 1000) + 1000))

    def _refilled(self) -> None:
        if known(self.seen, time.time()) is None:
            self.label.hide()
