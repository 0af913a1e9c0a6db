"""The account part: the sign-in dialog, the File menu's sign-in actions and the banner that
says the outbox waits for a new sign-in. Both dialog and banner are built on first need."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QVBoxLayout, QWidget

    from desktop.api.auth import Credentials
    from desktop.ui.sign_in_banner import SignInBanner
    from desktop.ui.sign_in_dialog import SignInDialog


class Account(QObject):
    credentialsEntered = Signal(object)  # desktop.api.auth.Credentials
    opening = Signal()  # the sign-in dialog opens (or is open): signed out as far as shown

    def __init__(self, window: QWidget, banner_layout: QVBoxLayout, actions: list[QAction]) -> None:
        super().__init__(window)
        self._window = window
        self._banner_layout = banner_layout
        self._sign_in, self._sign_out, self._refresh = actions
        self._dialog: SignInDialog | None = None
        self._banner: SignInBanner | None = None
        self.expected = False
        """Signed in as far as the user knows: Toggl refusing the token then is news to them."""
        self.set_signed_in(False)

    def set_signed_in(self, signed_in: bool) -> None:
        self._sign_out.setEnabled(signed_in)
        self._sign_in.setEnabled(not signed_in)
        self._refresh.setEnabled(signed_in)

    def restored(self, signed_in: bool) -> None:
        """The keyring (or the environment) held a token, or not."""
        self.expected = signed_in
        self.set_signed_in(signed_in)
        if not signed_in:
            self.open_sign_in()

    def token_refused(self) -> None:
        self.set_signed_in(False)
        self.open_sign_in()

    def open_sign_in(self) -> None:
        self.opening.emit()
        if self._dialog is None:
            from desktop.ui.sign_in_dialog import SignInDialog  # not needed for the first paint

            self._dialog = SignInDialog(self._window)
            self._dialog.credentialsEntered.connect(self._entered)
        if not self._dialog.isVisible():
            self._dialog.open()

    def _entered(self, given: Credentials) -> None:
        self.credentialsEntered.emit(given)

    def signed_in(self) -> None:
        if self._dialog is not None:
            self._dialog.finish()
        self.expected = True
        self.set_signed_in(True)

    def sign_in_failed(self, message: str) -> None:
        if self._dialog is not None:
            self._dialog.show_failure(message)

    def signed_out(self) -> None:
        self.expected = False
        self.set_signed_in(False)
        self.open_sign_in()

    def sign_in_needed(self, needed: bool, queued: int) -> None:
        """Toggl stopped accepting the token (revoked, reset): the outbox is paused, not parked,
        until the user signs in again; the banner says so for as long as it lasts."""
        if needed:
            self.set_signed_in(False)
        if needed and self.expected:
            if self._banner is None:
                from desktop.ui.sign_in_banner import SignInBanner  # rarely needed

                self._banner = SignInBanner()
                self._banner.signInRequested.connect(self.open_sign_in)
                self._banner_layout.insertWidget(0, self._banner)
            self._banner.show_queued(queued)
        elif self._banner is not None:
            self._banner.hide()

    def close(self) -> None:
        if self._dialog is not None:
            self._dialog.close()
