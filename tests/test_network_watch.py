"""The network watch: only a report that the network is back (online) wakes the sync."""

from __future__ import annotations

from PySide6.QtNetwork import QNetworkInformation

from desktop.ui.network_watch import NetworkWatch


def test_only_reachability_online_says_the_network_returned() -> None:
    watch = NetworkWatch()
    heard: list[bool] = []
    watch.returned.connect(lambda: heard.append(True))
    reach = QNetworkInformation.Reachability
    for state in (reach.Disconnected, reach.Local, reach.Site, reach.Unknown):
        watch._on_reachability(state)
    assert heard == []
    watch._on_reachability(reach.Online)
    assert heard == [True]
