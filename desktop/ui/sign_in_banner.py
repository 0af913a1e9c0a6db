"""Banners above the form: the sign-in banner (Toggl stopped accepting a sign-in the user had:
the outbox is paused) and the keychain banner (the token could not be kept in the system
keychain: signed in for this session only), which the user can dismiss. Built on first need:
most sessions show neither, and the first paint does not pay for them."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

from desktop.ui.naming import named

# Colours of the palette only, so light and dark themes both read: the base of item views with
# its text, framed in the highlight colour.
BANNER_STYLE = (
    "#{name} {{ background: palette(alternate-base); border: 2px solid palette(highlight);"
    " border-radius: 3px; }} #{name} QLabel {{ color: palette(text); }}"
)


def banner_text(queued: int) -> str:
    if queued == 0:
        then = "Sign in again to go on."
    elif queued == 1:
        then = "Sign in again to send the queued task."
    else:
        then = f"Sign in again to send the {queued} queued tasks."
    return f"Toggl no longer accepts your sign-in. {then}"


class Banner(QFrame):
    """A framed line of plain text that wraps (never cut off, unlike the status bar), with the
    buttons a subclass adds. Each name is spelt out whole: the automation contract's."""

    def __init__(self, name: str, text_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setStyleSheet(BANNER_STYLE.format(name=name))
        self.text = named(QLabel(), text_name)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setWordWrap(True)
        self.row = QHBoxLayout(self)
        self.row.addWidget(self.text, 1)

    def say(self, text: str) -> None:
        self.text.setText(text)
        self.setAccessibleDescription(text)
        self.show()


class SignInBanner(Banner):
    """Emits `signInRequested` when its button is pressed."""

    signInRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("signInBanner", "signInBannerText", parent)
        self.setAccessibleName("Sign-in needed")
        self.button = named(QPushButton("Sign in"), "signInBannerButton")
        self.button.setAccessibleName("Sign in")
        self.button.clicked.connect(self.signInRequested)
        self.row.addWidget(self.button)

    def show_queued(self, queued: int) -> None:
        self.say(banner_text(queued))


class KeychainBanner(Banner):
    """Why the token is not kept in the system keychain (or could not be read or removed from
    it), until the user closes it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("keychainBanner", "keychainBannerText", parent)
        self.setAccessibleName("Keychain notice")
        self.close_button = named(QToolButton(), "keychainBannerClose")
        self.close_button.setText("✕")
        self.close_button.setAccessibleName("Dismiss the keychain notice")
        self.close_button.setToolTip("Dismiss")
        self.close_button.setAutoRaise(True)
        self.close_button.clicked.connect(self.hide)
        self.row.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
