"""`TaskDesk add|outbox|sync|workspaces|projects|tasks|done|--self-check|--version` as a
script would run them: `python -m desktop` in a subprocess against the fake Toggl."""


from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop import __version__, credentials
from desktop.store.lock import InstanceLock
from tests.fake_toggl import FakeToggl

ROOT = Path(__file__).resolve().parents[2]


def task_desk(*args: str, token: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != credentials.ENV_TOKEN}
    env["QT_QPA_PLATFORM"] = "offscreen"
    if token:
        env[credentials.ENV_TOKEN] = token
    return subprocess.run(
        [sys.executable, "-m", "desktop", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def add(
    fake: FakeToggl, data_dir: Path, name: str, *extra: str
) -> subprocess.CompletedProcess[str]:
    return task_desk(
        "add", "--api-url", fake.url, "--data-dir", str(data_dir),
        "--workspace", str(fake.premium_workspace_id),
        "--project", str(fake.project_id("Website Redesign")),
        "--name", name, *extra, token=fake.token,
    )  # fmt: skip


def test_add_prints_the_created_task(fake: FakeToggl, data_dir: Path) -> None:
    done = add(fake, data_dir, "From a script", "--estimate", "1h30m", "--assignee",
               "9000000002", "--inactive")  # fmt: skip
    assert done.returncode == 0, done.stderr
    task = json.loads(done.stdout)["task"]
    (stored,) = fake.tasks_named("From a script")
    assert task["id"] == stored["id"]
    assert (stored["estimated_seconds"], stored["user_id"], stored["active"]) == (
        5400, 9_000_000_002, False,
    )  # fmt: skip


def test_offline_add_queues_then_sync_delivers_once(fake: FakeToggl, data_dir: Path) -> None:
    fake.go_down()
    queued = add(fake, data_dir, "Queued by script", "--json")
    assert queued.returncode == 0, queued.stderr
    assert json.loads(queued.stdout)["state"] == "queued"
    listed = task_desk("outbox", "--data-dir", str(data_dir), "--json")
    (row,) = json.loads(listed.stdout)["outbox"]
    assert (row["name"], row["state"]) == ("Queued by script", "queued")
    still_down = task_desk("sync", "--api-url", fake.url, "--data-dir", str(data_dir),
                           token=fake.token)  # fmt: skip
    assert still_down.returncode == 69
    assert "still queued 1" in still_down.stdout
    fake.come_back()
    synced = task_desk("sync", "--api-url", fake.url, "--data-dir", str(data_dir), "--json",
                       token=fake.token)  # fmt: skip
    assert synced.returncode == 0, synced.stdout + synced.stderr
    assert json.loads(synced.stdout)["created"] == 1
    again = task_desk("sync", "--api-url", fake.url, "--data-dir", str(data_dir),
                      token=fake.token)  # fmt: skip
    assert again.returncode == 0
    assert len(fake.tasks_named("Queued by script")) == 1
    assert "empty" in task_desk("outbox", "--data-dir", str(data_dir)).stdout


def test_refused_task_exits_nonzero_with_togglss_words(fake: FakeToggl, data_dir: Path) -> None:
    fake.fail_next(400, '"Invalid project_id"', method="POST")
    done = add(fake, data_dir, "Refused")
    assert done.returncode == 1
    assert "Invalid project_id" in done.stderr


@pytest.mark.parametrize(
    ("extra", "words"), [(("--estimate", "soon"), "duration"), (("--name", " "), "name")]
)
def test_bad_input_is_a_usage_error(
    fake: FakeToggl, data_dir: Path, extra: tuple[str, str], words: str
) -> None:
    done = add(fake, data_dir, "x", *extra)
    assert done.returncode == 64
    assert words in done.stderr
    assert fake.requests == []


def test_not_signed_in(fake: FakeToggl, data_dir: Path) -> None:
    done = task_desk("sync", "--api-url", fake.url, "--data-dir", str(data_dir))
    assert done.returncode == 77
    assert "TOGGL_API_TOKEN" in done.stderr


def test_a_running_app_keeps_the_outbox_to_itself(fake: FakeToggl, data_dir: Path) -> None:
    lock = InstanceLock(data_dir)
    assert lock.acquire()
    try:
        done = add(fake, data_dir, "Blocked")
    finally:
        lock.release()
    assert done.returncode == 75
    assert "running" in done.stderr
    assert fake.requests == []


def test_version_and_self_check(data_dir: Path) -> None:
    version = task_desk("--version")
    assert version.returncode == 0
    assert version.stdout.strip() == f"Task Desk {__version__}"
    check = task_desk("--self-check", "--json", "--data-dir", str(data_dir))
    assert check.returncode == 0, check.stdout + check.stderr
    report = json.loads(check.stdout)
    assert report["ok"] is True
    names = {c["check"]: c for c in report["checks"]}
    assert set(names) == {
        "data folder writable", "database opens", "keyring backend", "Qt platform loads",
    }  # fmt: skip
    assert "offscreen" in names["Qt platform loads"]["detail"]


def test_self_check_fails_on_an_unwritable_data_dir(tmp_path: Path) -> None:
    blocked = tmp_path / "file-not-dir"
    blocked.write_text("")
    check = task_desk("--self-check", "--data-dir", str(blocked / "data"))
    assert check.returncode == 1
    assert "FAIL  data folder writable" in check.stdout


def test_a_name_of_invalid_utf8_from_a_real_shell(fake: FakeToggl, data_dir: Path) -> None:
    args = ("add", "--api-url", fake.url, "--data-dir", str(data_dir),
            "--workspace", str(fake.premium_workspace_id),
            "--project", str(fake.project_id("Website Redesign")))  # fmt: skip
    done = subprocess.run(
        [os.fsencode(sys.executable), b"-m", b"desktop", *map(os.fsencode, args),
         b"--name", b"R\xff"],
        cwd=ROOT, env={**os.environ, credentials.ENV_TOKEN: fake.token}, capture_output=True,
        timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 64, done.stderr
    assert b"UTF-8" in done.stderr
    assert b"Traceback" not in done.stderr
    assert fake.requests == []


def test_a_script_finds_ids_by_listing_then_adds_by_name(fake: FakeToggl, data_dir: Path) -> None:
    where = ("--api-url", fake.url, "--data-dir", str(data_dir))
    listed = task_desk("projects", *where, "--workspace", "acme", "--json", token=fake.token)
    assert listed.returncode == 0, listed.stderr
    names = [p["name"] for p in json.loads(listed.stdout)["projects"]]
    assert names == ["Internal", "Mobile App", "Website Redesign"]
    done = task_desk("add", *where, "--workspace", "Acme", "--project", "int",
                     "--name", "By name from a script", token=fake.token)  # fmt: skip
    assert done.returncode == 0, done.stderr
    (stored,) = fake.tasks_named("By name from a script")
    assert stored["project_id"] == fake.project_id("Internal")


def test_tasks_then_done_as_a_script_runs_them(fake: FakeToggl, data_dir: Path) -> None:
    where = ("--api-url", fake.url, "--data-dir", str(data_dir))
    listed = task_desk("tasks", *where, "--project", "Website", "--json", token=fake.token)
    assert listed.returncode == 0, listed.stderr
    (task,) = json.loads(listed.stdout)["tasks"]
    assert (task["name"], task["tracked_seconds"]) == ("Existing task", 5400)
    done = task_desk("done", *where, str(task["id"]), token=fake.token)
    assert done.returncode == 0, done.stderr
    assert fake.tasks_named("Existing task")[0]["active"] is False
