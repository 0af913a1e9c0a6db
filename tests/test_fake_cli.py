"""``python -m tests.fake_toggl`` and ``make fake-server`` (cli.py), as a person starts them."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from tests.fake_toggl.testing import NO_TLS

REPO_ROOT = Path(__file__).resolve().parent.parent
PREMIUM = 1001


def timed(call: Callable[[], httpx.Response]) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


# -------------------------------------------------------------------------- CLI


def test_command_line() -> None:
    with subprocess.Popen(
        [sys.executable, "-m", "tests.fake_toggl", "--port", "0", "--projects", "5"],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as proc:
        try:
            assert proc.stdout is not None
            url = proc.stdout.readline().strip()
            token_line = proc.stdout.readline()
            login_line = proc.stdout.readline()
            assert url.startswith("http://127.0.0.1:")
            assert url.endswith("/api/v9")
            assert "test-token" in token_line
            assert "free@example.com" in login_line
            assert "s3cret-pass" in login_line
            auth = ("test-token", "api_token")
            with httpx.Client(auth=auth, trust_env=False, verify=NO_TLS) as c:
                projects = c.get(f"{url}/workspaces/{PREMIUM}/projects").json()
            assert len(projects) == 4 + 5
        finally:
            proc.terminate()
            code = proc.wait(timeout=5)
        assert proc.stderr is not None
        assert proc.stderr.read() == ""
    assert code == 0


def test_command_line_prints_the_control_url_and_takes_a_delay() -> None:
    command = [sys.executable, "-m", "tests.fake_toggl", "--port", "8765", "--port", "0"]
    with subprocess.Popen(
        [*command, "--projects", "2", "--delay", "0.25"],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as proc:
        try:
            assert proc.stdout is not None
            url = proc.stdout.readline().strip()
            proc.stdout.readline()
            proc.stdout.readline()
            control_line = proc.stdout.readline().strip()
            port = url.split(":")[2].split("/")[0]
            assert port != "8765"  # the last --port wins, as `make fake-server ARGS=` relies on
            assert control_line == f"control: http://127.0.0.1:{port}/_control"
            with httpx.Client(trust_env=False, timeout=5.0) as c:
                assert c.get(control_line.removeprefix("control: ")).json()["delay"] == 0.25
                auth = ("test-token", "api_token")
                r, took = timed(lambda: c.get(f"{url}/workspaces/{PREMIUM}/projects", auth=auth))
                assert len(r.json()) == 4 + 2
                assert took >= 0.2
        finally:
            proc.terminate()
            code = proc.wait(timeout=5)
    assert code == 0


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_fake_server_passes_args() -> None:
    args = "ARGS=--projects 5000 --delay 1"
    out = subprocess.run(
        ["make", "-n", "fake-server", args], cwd=REPO_ROOT, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert "-m tests.fake_toggl --port 8765 --projects 5000 --delay 1" in out.stdout
