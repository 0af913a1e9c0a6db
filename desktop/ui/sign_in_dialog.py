"""Sign in once: an API token, or email and password exchanged for the token."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.api.auth import ApiToken, Credentials, EmailPassword
from desktop.ui.colours import error_style
from desktop.ui.naming import named

PROFILE_URL = "https://track.toggl.com/profile"


class SignInDialog(QDialog):
    """Emits `credentialsEntered`; the owner answers with `show_failure` or closes it."""

    credentialsEntered = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signInDialog")
        self.setWindowTitle("Sign in to Toggl Track")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumWidth(420)

        intro = QLabel(
            "Paste your Toggl API token (Toggl Track → Profile → API Token), "
            f'or sign in with your email and password. <a href="{PROFILE_URL}">Open my profile</a>'
        )
        intro.setTextFormat(Qt.TextFormat.RichText)  # its own words and link, nothing from outside
        intro.setWordWrap(True)
        intro.setOpenExternalLinks(True)

        self.token_edit = named(QLineEdit(), "tokenEdit")
        self.token_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.token_edit.setPlaceholderText("API token")
        self.email_edit = named(QLineEdit(), "emailEdit")
        self.email_edit.setPlaceholderText("you@example.com")
        self.password_edit = named(QLineEdit(), "passwordEdit")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)

        form = QFormLayout()
        form.addRow("API &token:", self.token_edit)
        or_label = QLabel("or")
        or_label.setTextFormat(Qt.TextFormat.PlainText)
        or_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        form.addRow(or_label)
        form.addRow("&Email:", self.email_edit)
        form.addRow("&Password:", self.password_edit)

        self.error_label = named(QLabel(), "signInError")
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)  # Toggl's words, shown literally
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(error_style())
        self.error_label.hide()

        self.sign_in_button = named(QPushButton("Sign in"), "signInButton")
        self.sign_in_button.setDefault(True)
        self.sign_in_button.setAccessibleName("Sign in")
        buttons = QDialogButtonBox()
        buttons.addButton(self.sign_in_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
        buttons.rejected.connect(self.reject)
        self.sign_in_button.clicked.connect(self._submit)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

        for edit in (self.token_edit, self.email_edit, self.password_edit):
            edit.textChanged.connect(self._update_button)
        self._busy = False
        self._update_button()

    def credentials(self) -> Credentials | None:
        """The token if one is typed, else email and password if both are."""
        token = self.token_edit.text().strip()
        if token:
            return ApiToken(token)
        email, password = self.email_edit.text().strip(), self.password_edit.text()
        if email and password:
            return EmailPassword(email, password)
        return None

    def show_failure(self, message: str) -> None:
        self._set_busy(False)
        self.error_label.setText(message)
        self.error_label.show()

    def finish(self) -> None:
        """Signed in: forget what was typed (the password is never kept) and close."""
        self._set_busy(False)
        self.token_edit.clear()
        self.password_edit.clear()
        self.error_label.hide()
        self.accept()

    def _submit(self) -> None:
        given = self.credentials()
        if given is None or self._busy:
            return
        self.error_label.hide()
        self._set_busy(True)
        self.credentialsEntered.emit(given)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for edit in (self.token_edit, self.email_edit, self.password_edit):
            edit.setReadOnly(busy)
        self.sign_in_button.setText("Signing in…" if busy else "Sign in")
        self._update_button()

    def _update_button(self) -> None:
        self.sign_in_button.setEnabled(not self._busy and self.credentials() is not None)
