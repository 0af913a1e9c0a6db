"""The PyInstaller bundle, end to end: self-check, then add/queue/sync against the fake server.

Runs when TASK_DESK_FROZEN names the bundle's executable; skipped with a reason otherwise. CI
requires it: it builds the bundle and the Debian package, installs the package and points
TASK_DESK_FROZEN at the installed /usr/bin/task-desk (scripts/test.sh).
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from desktop import __version__, credentials
from tests.fake_toggl import FakeToggl

FROZEN = os.environ.get("TASK_DESK_FROZEN", "")

pytestmark = pytest.mark.skipif(
    not FROZEN and os.environ.get("TASK_DESK_REQUIRE_FROZEN") != "1",
    reason="no bundle: run `make dist` and set TASK_DESK_FROZEN=dist/TaskDesk/TaskDesk",
)


def frozen(*args: str, token: str | None = None) -> subprocess.CompletedProcess[str]:
    assert FROZEN, "TASK_DESK_REQUIRE_FROZEN=1 but TASK_DESK_FROZEN is not set"
    env = {k: v for k, v in os.environ.items() if k != credentials.ENV_TOKEN}
    env["QT_QPA_PLATFORM"] = "offscreen"
    if token:
        env[credentials.ENV_TOKEN] = token
    return subprocess.run(
        [FROZEN, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_frozen_version_and_self_check(data_dir: Path) -> None:
    version = frozen("--version")
    assert version.stdout.strip() == f"Task Desk {__version__}", version.stderr
    check = frozen("--self-check", "--json", "--data-dir", str(data_dir))
    assert check.returncode == 0, check.stdout + check.stderr
    report = {c["check"]: c for c in json.loads(check.stdout)["checks"]}
    assert all(c["ok"] for c in report.values()), report
    if os.environ.get("TASK_DESK_TEST_KEYRING") == "secret-service":
        # keyring's backends survived freezing (entry points and metadata were copied)
        assert "SecretService" in report["keyring backend"]["detail"], report


def test_frozen_add_queue_and_sync(fake: FakeToggl, data_dir: Path) -> None:
    common = ("--api-url", fake.url, "--data-dir", str(data_dir))
    target = (
        "--workspace", str(fake.premium_workspace_id),
        "--project", str(fake.project_id("Website Redesign")),
    )  # fmt: skip
    created = frozen("add", *common, *target, "--name", "Frozen online", "--estimate", "45m",
                     token=fake.token)  # fmt: skip
    assert created.returncode == 0, created.stdout + created.stderr
    assert json.loads(created.stdout)["task"]["estimated_seconds"] == 2700
    assert len(fake.tasks_named("Frozen online")) == 1

    fake.go_down()
    queued = frozen("add", *common, *target, "--name", "Frozen offline", "--json",
                    token=fake.token)  # fmt: skip
    assert queued.returncode == 0, queued.stdout + queued.stderr
    assert json.loads(queued.stdout)["state"] == "queued"
    fake.come_back()
    synced = frozen("sync", *common, "--json", token=fake.token)
    assert synced.returncode == 0, synced.stdout + synced.stderr
    assert json.loads(synced.stdout)["created"] == 1
    assert frozen("sync", *common, token=fake.token).returncode == 0
    assert len(fake.tasks_named("Frozen offline")) == 1
