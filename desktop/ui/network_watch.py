"""The network watch: where the platform reports reachability, a returning network wakes the
sync at once; elsewhere the engine's probe notices it."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class NetworkWatch(QObject):
    returned = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._watching = False
        self._online: object = None  # QtNetwork's value, once it is loaded

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
        self._online = QNetworkInformation.Reachability.Online
        if info is not None:
            info.reachabilityChanged.connect(self._on_reachability)

    def _on_reachability(self, reachability: object) -> None:
        if reachability == self._online:
            self.returned.emit()
