"""Running the command line in-process, as the entry point calls it, against the fake Toggl and
the test's data folder: the `cli` fixture and what a run gives back."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from desktop import credentials
from desktop.cli import main
from tests.fake_toggl import FakeToggl

TRACEBACK = "Traceback (most recent call last)"


@dataclass
class Ran:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


@pytest.fixture
def cli(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, fake: FakeToggl,
    data_dir: Path,
) -> Callable[..., Ran]:  # fmt: skip
    """Runs `desktop.cli.main` on the fake and the test's data dir, signed in unless
    `token=None`; `stdin` is what standard input holds. No run may print a traceback."""

    def run(*args: str, token: str | None = fake.token, stdin: bytes | None = None) -> Ran:
        if token is None:
            monkeypatch.delenv(credentials.ENV_TOKEN, raising=False)
        else:
            monkeypatch.setenv(credentials.ENV_TOKEN, token)
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
        command, rest = list(args[:1]), list(args[1:])
        placed = [] if command == ["--version"] else ["--api-url", fake.url,
                                                       "--data-dir", str(data_dir)]  # fmt: skip
        code = main([*command, *placed, *rest])
        captured = capsys.readouterr()
        assert "Traceback" not in captured.out + captured.err  # nor any part of one
        return Ran(code, captured.out, captured.err)

    return run
