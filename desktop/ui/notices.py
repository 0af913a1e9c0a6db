"""The window's occasional messages: the storage notice, About, and the quit notice."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from desktop import APP_NAME, __version__
from desktop.ui.qt_values import PLAIN_TEXT
from desktop.ui.widgets import plain_label

QUIT_NOTICE_MS = 2500


def show_storage_notice(parent: QWidget, notice: str) -> None:
    """What preparing the data folder found and fixed, in a box the user closes."""
    box = QMessageBox(
        QMessageBox.Icon.Warning, APP_NAME, notice, QMessageBox.StandardButton.Ok, parent
    )
    box.setObjectName("storageNotice")
    box.setProperty("textFormat", PLAIN_TEXT)  # it names folders: shown literally
    box.finished.connect(box.deleteLater)
    box.open()


def show_about(parent: QWidget) -> None:
    QMessageBox.about(
        parent,
        f"About {APP_NAME}",
        f"{APP_NAME} {__version__}\nCreate tasks in your Toggl Track projects.",
    )


def show_quit_notice(pending: int) -> None:
    """Say, as the window closes, that queued tasks are kept; it closes itself shortly."""
    from PySide6.QtCore import Qt  # not before the first paint: see desktop.ui.qt_values

    tasks = f"{pending} task{'s' if pending != 1 else ''}"
    notice = plain_label(
        "quitNotice",
        f"{tasks} not yet sent to Toggl {'are' if pending != 1 else 'is'} kept safely and "
        "will be sent the next time you open Task Desk.",
    )
    notice.setWindowTitle(APP_NAME)
    notice.setWordWrap(True)
    notice.setMargin(16)
    notice.setMinimumWidth(360)
    notice.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    _open_notices.add(notice)  # a parentless widget lives only while Python holds it
    notice.destroyed.connect(_open_notices.clear)
    notice.show()
    QTimer.singleShot(QUIT_NOTICE_MS, notice.close)


_open_notices: set[QLabel] = set()
