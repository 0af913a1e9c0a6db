"""`TaskDesk --quick-add` while Task Desk already runs on the same data folder: the new copy asks
the running one, over a local socket (`QLocalServer` from QtNetwork), to show its quick-add
window, and exits 0; only one copy ever drains an outbox (desktop.store.lock).

The running copy listens after its first paint (QtNetwork loads then, never before). The name
is the user's and the data folder's, so a second profile (`--data-dir`) has its own, and the
socket is open to this user alone. One request is understood, `quick-add`, answered `ok`;
anything else is answered `?` and changes nothing.
"""

from __future__ import annotations

import hashlib
import os
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from pathlib import Path

    from PySide6.QtNetwork import QLocalServer, QLocalSocket

REQUEST, ANSWER, UNKNOWN = b"quick-add\n", b"ok\n", b"?\n"
MAX_REQUEST = 64
ASK_SECONDS = 10.0
"""How long the new copy tries: the running one may still be starting (a slow machine)."""


def server_name(data_dir: Path) -> str:
    folder = str(data_dir.expanduser().absolute())
    digest = hashlib.sha256(folder.encode("utf-8", "surrogatepass")).hexdigest()[:20]
    user = os.getuid() if hasattr(os, "getuid") else os.environ.get("USERNAME", "")
    return f"task-desk-{user}-{digest}"


def ask_to_quick_add(data_dir: Path, seconds: float = ASK_SECONDS) -> bool:
    """Ask the copy running on `data_dir` to show its quick-add window; True once it said so."""
    from PySide6.QtNetwork import QLocalSocket

    deadline = time.monotonic() + seconds
    while True:
        socket = QLocalSocket()
        socket.connectToServer(server_name(data_dir))
        if socket.waitForConnected(500):
            socket.write(REQUEST)
            socket.waitForBytesWritten(500)
            answer = b""
            while ANSWER not in answer and socket.waitForReadyRead(500):
                answer += bytes(socket.readAll().data())
            socket.abort()
            return answer.startswith(ANSWER)
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.1)


class InstanceServer(QObject):
    """Listens for another copy's request; `quickAddAsked` when it comes."""

    quickAddAsked = Signal()

    def __init__(self, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._name = server_name(data_dir)
        self._server: QLocalServer | None = None

    def listen(self) -> bool:
        """Start listening (once); False when the socket cannot be made (the app goes on: only
        the hand-off is lost)."""
        from PySide6.QtNetwork import QLocalServer

        if self._server is not None:
            return True
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        QLocalServer.removeServer(self._name)  # left by a copy that was killed: the lock is ours
        if not server.listen(self._name):
            server.deleteLater()
            return False
        server.newConnection.connect(self._connected)
        self._server = server
        return True

    def close(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None

    def _connected(self) -> None:
        server = self._server
        while server is not None and server.hasPendingConnections():
            socket = server.nextPendingConnection()
            socket.readyRead.connect(lambda socket=socket: self._read(socket))
            socket.disconnected.connect(socket.deleteLater)

    def _read(self, socket: QLocalSocket) -> None:
        request = bytes(socket.peek(MAX_REQUEST).data())
        if b"\n" not in request and len(request) < MAX_REQUEST:
            return  # the rest is on its way
        socket.readAll()
        understood = request.startswith(REQUEST)
        socket.write(ANSWER if understood else UNKNOWN)
        socket.flush()
        socket.disconnectFromServer()
        if understood:
            self.quickAddAsked.emit()
