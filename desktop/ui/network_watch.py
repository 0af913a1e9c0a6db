"""The network watch: where the platform reports reachability, a returning network wakes the
sync at once; elsewhere the engine's probe notices it."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class NetworkWatch(QObject):
    returned = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._watching = False

    def watch(self) -> None:
        """Once offline, not before: the watch loads QtNetwork and its backend (two threads,
        D-Bus; some 6 MB) that an online app never needs."""
        if self._watching:
            return
        self._watching = True
        from PySide6.QtNetwork import QNetworkInformation

        if not QNetworkInformation.loadBackendByFeatures(QNetworkInformation.Feature.Reachability):
            return
        info = QNetworkInformation.instance()
        if info is not None:
            info.reachabilityChanged.connect(self._on_reachability)

    def _on_reachability(self, reachability: object) -> None:
        from PySide6.QtNetwork import QNetworkInformation

        if reachability == QNetworkInformation.Reachability.Online:
            self.returned.emit()
