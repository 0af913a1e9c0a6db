"""The banner shown when Toggl stops accepting a sign-in the user had: the outbox is paused."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from desktop.ui.naming import named

BANNER_STYLE = (
    # Colours of the palette only, so light and dark themes both read: the base of item
    # views with its text, framed in the highlight colour.
    "#signInBanner { background: palette(alternate-base); border: 2px solid palette(highlight);"
    " border-radius: 3px; } #signInBanner QLabel { color: palette(text); }"
)


def banner_text(queued: int) -> str:
    if queued == 0:
        then = "Sign in again to go on."
    elif queued == 1:
        then = "Sign in again to send the queued task."
    else:
        then = f"Sign in again to send the {queued} queued tasks."
    return f"Toggl no longer accepts your sign-in. {then}"


class SignInBanner(QFrame):
    """Emits `signInRequested` when its button is pressed. Built on first need: most sessions
    never show it, and the first paint does not pay for it."""

    signInRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signInBanner")
        self.setStyleSheet(BANNER_STYLE)
        self.text = named(QLabel(), "signInBannerText")
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setWordWrap(True)
        self.button = named(QPushButton("Sign in"), "signInBannerButton")
        self.button.clicked.connect(self.signInRequested)
        layout = QHBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.button)

    def show_queued(self, queued: int) -> None:
        self.text.setText(banner_text(queued))
        self.show()
