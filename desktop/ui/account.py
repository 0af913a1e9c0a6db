"""The account part: the sign-in dialog, the File menu's sign-in actions, the banner that says
the outbox waits for a new sign-in and the one that says the token is not kept in the system
keychain. The dialog and the banners are built on first need."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QVBoxLayout, QWidget

    from desktop.api.auth import Credentials
    from desktop.ui.sign_in_banner import KeychainBanner, SignInBanner
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
        self._keychain_banner: KeychainBanner | None = None
        self.expected = False
        """Signed in as far as the user knows: Toggl refusing the token then is news to them."""
        self.set_signed_in(False)

    def set_signed_in(self, signed_in: bool) -> None:
        self._sign_out.setEnabled(signed_in)
        self._sign_in.setEnabled(not signed_in)
        self._refresh.setEnabled(signed_in)

    def restored(self, signed_in: bool, warning: str = "") -> None:
        """The keyring (or the environment) held a token, or not (`warning`: why not known)."""
        self.keychain_problem(warning)
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

    def signed_in(self, warning: str | None = None) -> None:
        """`warning`: why the token is kept for this session only, if it is."""
        self.keychain_problem(warning)
        if self._dialog is not None:
            self._dialog.finish()
        self.expected = True
        self.set_signed_in(True)

    def sign_in_failed(self, message: str) -> None:
        if self._dialog is not None:
            self._dialog.show_failure(message)

    def signed_out(self, warning: str = "") -> None:
        """`warning`: why the stored token may not have been removed, if it may not."""
        self.keychain_problem(warning)
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

    def keychain_problem(self, warning: str | None) -> None:
        """Say what went wrong with the system keychain in a banner the user can dismiss (the
        status bar cut the sentence off); nothing when nothing did."""
        if not warning:
            return
        if self._keychain_banner is None:
            from desktop.ui.sign_in_banner import KeychainBanner  # rarely needed

            self._keychain_banner = KeychainBanner()
            self._banner_layout.insertWidget(0, self._keychain_banner)
        self._keychain_banner.say(warning)

    def close(self) -> None:
        if self._dialog is not None:
            self._dialog.close()
