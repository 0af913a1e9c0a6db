"""The quota in words (desktop.ui.quota_label): the status bar's label and what a list of tasks
costs against it."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import QStatusBar
from pytestqt.qtbot import QtBot

from desktop.session_quota import QuotaSeen
from desktop.ui.adding import quota_label
from desktop.ui.quota_label import QuotaLabel, cost_sentence

NOW = datetime(2026, 12, 3, 13, 20).timestamp()
AT_14_05 = datetime(2026, 12, 3, 14, 5).timestamp()


def test_the_cost_of_a_list_against_the_quota() -> None:
    seen = QuotaSeen(212, AT_14_05)
    assert cost_sentence(12, seen, NOW) == "12 requests; 212 left this hour."
    assert cost_sentence(1, seen, NOW) == "1 request; 212 left this hour."
    assert cost_sentence(500, seen, NOW) == (
        "500 requests; 212 left this hour: 212 go now, the other 288 after 14:05."
    )
    assert cost_sentence(300, QuotaSeen(212, None), NOW).endswith(
        "the other 88 once Toggl's quota refills."
    )


def test_an_unknown_or_refilled_quota_gives_the_cost_alone() -> None:
    assert cost_sentence(12, None, NOW) == "12 requests, one for each task."
    assert cost_sentence(12, QuotaSeen(None, AT_14_05), NOW) == "12 requests, one for each task."
    assert cost_sentence(12, QuotaSeen(3, NOW - 1), NOW) == "12 requests, one for each task."


def test_the_label_is_hidden_while_unknown_and_says_the_count_and_the_reset(
    qtbot: QtBot,
) -> None:
    bar = QStatusBar()
    qtbot.addWidget(bar)
    bar.show()
    quota = QuotaLabel(quota_label())
    bar.addPermanentWidget(quota.label)
    assert not quota.label.isVisible()
    quota.show_quota(QuotaSeen(212, None))
    assert quota.label.isVisible()
    assert quota.label.text() == "212 requests left"
    later = datetime.now().timestamp() + 600
    quota.show_quota(QuotaSeen(1, later))
    assert quota.label.text() == f"1 request left · resets {datetime.fromtimestamp(later):%H:%M}"
    quota.show_quota(QuotaSeen(None, later))
    assert not quota.label.isVisible()
