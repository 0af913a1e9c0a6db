"""The two ways of signing in to Toggl: an API token, or email and password."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class ApiToken:
    token: str = field(repr=False)

    def basic_auth(self) -> tuple[str, str]:
        # Toggl's convention: the token is the user name, the literal word "api_token" the password.
        return (self.token, "api_token")


@dataclass(slots=True)
class EmailPassword:
    email: str
    password: str = field(repr=False)

    def basic_auth(self) -> tuple[str, str]:
        return (self.email, self.password)


Credentials = ApiToken | EmailPassword
