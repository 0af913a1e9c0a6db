"""`TaskDesk add|outbox|sync|--self-check|--version` as a script would run them (subprocesses),
and `desktop.cli.main` in-process for the many ways input and answers can go wrong."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from desktop import __version__, credentials
from desktop.api.models import TaskDraft
from desktop.cli import main
from desktop.store.database import SCHEMA_VERSION, open_database
from desktop.store.lock import InstanceLock
from desktop.store.outbox import Outbox
from desktop.store.outbox_row import OutboxState
from tests.fake_toggl import FakeToggl

ROOT = Path(__file__).resolve().parents[1]


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


# --- in-process: `main()` as the entry point calls it ----------------------------------------

HIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""What must never reach a terminal raw (a newline between lines is ours)."""


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
    `token=None`."""

    def run(*args: str, token: str | None = fake.token) -> Ran:
        if token is None:
            monkeypatch.delenv(credentials.ENV_TOKEN, raising=False)
        else:
            monkeypatch.setenv(credentials.ENV_TOKEN, token)
        command, rest = list(args[:1]), list(args[1:])
        placed = [] if command == ["--version"] else ["--api-url", fake.url,
                                                       "--data-dir", str(data_dir)]  # fmt: skip
        code = main([*command, *placed, *rest])
        captured = capsys.readouterr()
        assert TRACEBACK not in captured.out + captured.err
        return Ran(code, captured.out, captured.err)

    return run


TRACEBACK = "Traceback (most recent call last)"


def add_args(fake: FakeToggl, name: str, *extra: str) -> tuple[str, ...]:
    project = str(fake.project_id("Website Redesign"))
    return ("add", "--workspace", str(fake.premium_workspace_id), "--project", project,
            "--name", name, *extra)  # fmt: skip


def plant_row(data_dir: Path, fake: FakeToggl, name: str, label: str = "Website Redesign",
              *, sending: bool = False) -> int:  # fmt: skip
    """A row as the window or an earlier run left it (`sending`: it crashed mid-send)."""
    with closing(open_database(data_dir)) as db:
        row = Outbox(db).add(fake.premium_workspace_id, fake.project_id("Website Redesign"),
                             TaskDraft(name, True, None, None), label, sending=sending)  # fmt: skip
        if sending:  # long enough ago that Toggl's lists would show it by now
            db.execute("UPDATE outbox SET last_attempt_at = last_attempt_at - 60")
    return row.id


def outbox_rows(data_dir: Path) -> dict[int, OutboxState]:
    with closing(open_database(data_dir)) as db:
        return {r.id: r.state for r in Outbox(db).waiting()}


# Failure 9: local input that crashed the command line, and argparse's exit 2.


@pytest.mark.parametrize(
    "args",
    [
        ("add",),  # nothing required given
        ("add", "--workspace", "x", "--project", "1", "--name", "n"),
        ("add", "--workspace", "1", "--project", "1", "--name", "n", "--bogus"),
        ("frobnicate",),
        ("outbox", "retry"),
        ("outbox", "5"),
        ("outbox", "retry", "-3"),
        ("outbox", "dance", "3"),
        (),
    ],
)
def test_every_argument_error_exits_64_with_one_sentence(
    cli: Callable[..., Ran], args: tuple[str, ...]
) -> None:
    ran = cli(*args)
    assert ran.code == 64
    assert ran.out == ""
    assert ran.err.count("\n") == 1
    assert ran.err.startswith("Task Desk: ")
    assert "usage:" not in ran.err


def test_argument_errors_answer_in_json_when_asked(cli: Callable[..., Ran]) -> None:
    ran = cli("add", "--json", "--workspace", "1")
    assert ran.code == 64
    assert ran.json()["ok"] is False
    assert "required" in ran.json()["error"]


def test_help_still_exits_0(cli: Callable[..., Ran]) -> None:
    ran = cli("outbox", "--help")
    assert ran.code == 0
    assert "retry" in ran.out


@pytest.mark.parametrize("option", ["--workspace", "--project", "--assignee"])
@pytest.mark.parametrize("value", [str(2**63), "0", "-1", "+5", "٥", "1" * 5000])
def test_ids_must_fit_in_int64(
    cli: Callable[..., Ran], fake: FakeToggl, option: str, value: str
) -> None:
    args = dict.fromkeys(["--workspace", "--project", "--assignee"], "1")
    args[option] = value
    ran = cli("add", "--name", "n", *[x for kv in args.items() for x in kv])
    assert ran.code == 64
    assert option in ran.err
    assert "9223372036854775807" in ran.err
    assert fake.requests == []


def test_the_largest_id_is_still_taken(cli: Callable[..., Ran], data_dir: Path) -> None:
    ran = cli("outbox", "discard", str(2**63 - 1))
    assert ran.code == 64
    assert "no task #9223372036854775807" in ran.err


def test_a_5000_digit_estimate_is_too_long(cli: Callable[..., Ran], fake: FakeToggl) -> None:
    ran = cli(*add_args(fake, "Huge", "--estimate", "9" * 5000))
    assert ran.code == 64
    assert "too long" in ran.err
    assert fake.requests == []


def test_a_name_of_invalid_utf8_is_refused(cli: Callable[..., Ran], fake: FakeToggl,
                                           data_dir: Path) -> None:  # fmt: skip
    ran = cli(*add_args(fake, "Report \udcff\udcfe"))  # how Linux hands over bytes b"\xff\xfe"
    assert ran.code == 64
    assert "UTF-8" in ran.err
    assert fake.requests == []
    assert outbox_rows(data_dir) == {}


def test_a_name_of_invalid_utf8_from_a_real_shell(fake: FakeToggl, data_dir: Path) -> None:
    done = subprocess.run(
        [os.fsencode(sys.executable), b"-m", b"desktop", *(os.fsencode(a) for a in add_args(
            fake, "x", "--api-url", fake.url, "--data-dir", str(data_dir))), b"--name", b"R\xff"],
        cwd=ROOT, env={**os.environ, credentials.ENV_TOKEN: fake.token}, capture_output=True,
        timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 64, done.stderr
    assert b"UTF-8" in done.stderr
    assert TRACEBACK.encode() not in done.stderr


@pytest.mark.parametrize(
    "url_of", [lambda u: u + "/a\nb", lambda u: u.replace("/api", "/a pi\t"),
               lambda u: u + "\x7f", lambda u: u + "\udcff", lambda _: "http://[::1",
               lambda _: "https://ä☃.example/api/v9"],
)  # fmt: skip
def test_an_api_url_httpx_would_refuse_is_bad_input(
    cli: Callable[..., Ran], fake: FakeToggl, data_dir: Path, url_of: Callable[[str], str]
) -> None:
    ran = cli(*add_args(fake, "Nowhere", "--api-url", url_of(fake.url)))
    assert ran.code == 64
    assert ran.err.startswith("Task Desk: ")
    assert ran.err.count("\n") == 1
    assert fake.requests == []
    assert outbox_rows(data_dir) == {}  # nothing left "sending"


def test_an_unexpected_problem_is_one_sentence_and_logged(
    cli: Callable[..., Ran], fake: FakeToggl, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever a command did not foresee (here a stand-in for the SQLite overflow that
    ids of 2**63 caused): exit 70, the log's path, the traceback only in the log."""

    def overflow(*_args: object) -> None:
        raise OverflowError(f"Python int too large to convert to SQLite INTEGER {fake.token}")

    monkeypatch.setattr("desktop.session.Session.submit", overflow)
    ran = cli(*add_args(fake, "Boom"))
    assert ran.code == 70
    log = data_dir / "logs" / "taskdesk.log"
    assert ran.err.strip() == (
        "Task Desk hit an unexpected problem: an internal error (OverflowError) during `add`; "
        f"details are in the log at {log}."
    )
    assert fake.token not in ran.err
    logged = log.read_text()
    assert TRACEBACK in logged
    assert "OverflowError" in logged


def test_ctrl_c_is_one_sentence_and_lets_go_of_the_data_folder(
    cli: Callable[..., Ran], fake: FakeToggl, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(*_args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("desktop.session.Session.restore", interrupted)
    ran = cli(*add_args(fake, "Stopped"))
    assert ran.code == 130
    assert ran.err == "Task Desk: Interrupted; tasks not yet sent stay in the outbox.\n"
    lock = InstanceLock(data_dir)
    assert lock.acquire()  # the command let go of it
    lock.release()


# Failure 7: damage is told.


@pytest.mark.parametrize("command", ["add", "sync"])
def test_a_damaged_database_set_aside_is_told(
    cli: Callable[..., Ran], fake: FakeToggl, data_dir: Path, command: str
) -> None:
    (data_dir / "taskdesk.sqlite3").write_bytes(b"not a database at all" * 200)
    ran = cli(*(add_args(fake, "After damage") if command == "add" else ("sync",)))
    assert ran.code == 0, ran.err
    (aside,) = data_dir.glob("taskdesk.damaged-*.sqlite3")
    assert "damaged" in ran.err
    assert str(aside) in ran.err
    if command == "add":
        assert len(fake.tasks_named("After damage")) == 1


def test_a_damaged_database_set_aside_is_told_in_json(
    cli: Callable[..., Ran], data_dir: Path
) -> None:
    (data_dir / "taskdesk.sqlite3").write_bytes(b"not a database at all" * 200)
    ran = cli("sync", "--json")
    assert ran.code == 0
    assert "damaged" in ran.json()["notice"]
    assert ran.err == ""


def test_outbox_on_a_damaged_database_says_so_and_moves_nothing(
    cli: Callable[..., Ran], data_dir: Path
) -> None:
    damaged = b"not a database at all" * 200
    (data_dir / "taskdesk.sqlite3").write_bytes(damaged)
    ran = cli("outbox")
    assert ran.code == 70
    assert "damaged" in ran.err
    assert "sync" in ran.err
    assert ran.err.count("\n") == 1
    assert (data_dir / "taskdesk.sqlite3").read_bytes() == damaged
    assert cli("outbox", "--json").json()["ok"] is False


def test_outbox_on_a_database_from_a_newer_version(cli: Callable[..., Ran], data_dir: Path) -> None:
    with closing(open_database(data_dir)) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    ran = cli("outbox")
    assert ran.code == 70
    assert "newer" in ran.err
    assert ran.err.count("\n") == 1


def test_a_data_folder_made_private_is_told_and_the_command_goes_on(
    cli: Callable[..., Ran], fake: FakeToggl, data_dir: Path
) -> None:
    data_dir.chmod(0o777)
    ran = cli(*add_args(fake, "In an open folder"))
    assert ran.code == 0
    assert "was open to other users; Task Desk made it private" in ran.err
    assert len(fake.tasks_named("In an open folder")) == 1


@pytest.mark.parametrize("command", [("outbox",), ("sync",), ("outbox", "discard", "1")])
def test_a_database_planted_as_a_link_is_refused_with_77(
    cli: Callable[..., Ran], data_dir: Path, tmp_path: Path, command: tuple[str, ...]
) -> None:
    victim = tmp_path / "elsewhere.sqlite3"
    victim.write_bytes(b"")
    (data_dir / "taskdesk.sqlite3").symlink_to(victim)
    ran = cli(*command)
    assert ran.code == 77
    assert "is a symbolic link" in ran.err
    assert ran.err.count("\n") == 1
    assert victim.read_bytes() == b""


# Failure 8, the command line's part: what others wrote is shown, never obeyed.

HOSTILE_LABEL = "Acme\x1b]0;pwned\x07 \u202eredro\u202c\x9b2J"
HOSTILE_REASON = "Invalid\x1b[2J name \u2067x\u2069 \x85"


def test_outbox_escapes_control_and_bidi_characters(
    cli: Callable[..., Ran], fake: FakeToggl, data_dir: Path
) -> None:
    refused = plant_row(data_dir, fake, "Refused one")
    with closing(open_database(data_dir)) as db:  # as an older version may have stored it
        Outbox(db).mark_failed(refused, HOSTILE_REASON)
    plant_row(data_dir, fake, "Review \u202eton\u202c please", HOSTILE_LABEL)
    ran = cli("outbox")
    assert ran.code == 0
    assert not HIDDEN.search(ran.out + ran.err)
    assert "\\x1b]0;pwned\\x07 \\u202eredro\\u202c\\x9b2J" in ran.out
    assert "Invalid\\x1b[2J name \\u2067x\\u2069 \\x85" in ran.out
    assert len(ran.out.splitlines()) == 2


def test_outbox_json_is_exact_and_escapes_them_too(
    cli: Callable[..., Ran], fake: FakeToggl, data_dir: Path
) -> None:
    plant_row(data_dir, fake, "Review \u202eton\u202c please", HOSTILE_LABEL)
    ran = cli("outbox", "--json")
    assert not HIDDEN.search(ran.out.replace("\n", ""))
    (row,) = ran.json()["outbox"]
    assert (row["project"], row["name"]) == (HOSTILE_LABEL, "Review \u202eton\u202c please")


def test_toggls_reason_is_escaped_in_a_failure(cli: Callable[..., Ran], fake: FakeToggl) -> None:
    fake.fail_next(400, json.dumps(HOSTILE_REASON), method="POST")
    ran = cli(*add_args(fake, "Refused"))
    assert ran.code == 1
    assert "Invalid" in ran.err
    assert not HIDDEN.search(ran.err.rstrip("\n"))


# Sign-in problems pause: exit 77, tasks kept.


def test_add_says_sign_in_again_when_toggl_refuses_the_token(
    cli: Callable[..., Ran], fake: FakeToggl, data_dir: Path
) -> None:
    fake.fail_next(401, method="POST")
    ran = cli(*add_args(fake, "Paused"))
    assert ran.code == 77
    assert "sign in again" in ran.err
    assert "queued tasks are kept" in ran.err
    assert list(outbox_rows(data_dir).values()) == [OutboxState.QUEUED]


def test_sync_says_sign_in_again_when_toggl_refuses_the_token(
    cli: Callable[..., Ran], fake: FakeToggl, data_dir: Path
) -> None:
    plant_row(data_dir, fake, "Waiting")
    fake.fail_next(401, method="POST")
    ran = cli("sync")
    assert ran.code == 77
    assert "TOGGL_API_TOKEN" in ran.err
    assert list(outbox_rows(data_dir).values()) == [OutboxState.QUEUED]


def test_sync_while_the_app_runs_says_the_app_sends(
    cli: Callable[..., Ran], data_dir: Path
) -> None:
    lock = InstanceLock(data_dir)
    assert lock.acquire()
    try:
        ran = cli("sync")
    finally:
        lock.release()
    assert ran.code == 75
    assert "add the task" not in ran.err
    assert "close it" in ran.err


# `outbox retry ID` and `outbox discard ID`.


def refused_row(cli: Callable[..., Ran], fake: FakeToggl, name: str) -> int:
    fake.fail_next(400, '"Invalid project_id"', method="POST")
    ran = cli(*add_args(fake, name, "--json"))
    assert ran.code == 1
    return int(ran.json()["outbox_id"])


def test_retry_sends_a_refused_task_again(
    cli: Callable[..., Ran], fake: FakeToggl, data_dir: Path
) -> None:
    row_id = refused_row(cli, fake, "Second chance")
    ran = cli("outbox", "retry", str(row_id))
    assert ran.code == 0, ran.err
    (task,) = fake.tasks_named("Second chance")
    assert f"task {task['id']}" in ran.out
    assert outbox_rows(data_dir) == {}


def test_retry_refused_again_exits_1_with_togglss_words(
    cli: Callable[..., Ran], fake: FakeToggl, data_dir: Path
) -> None:
    row_id = refused_row(cli, fake, "Still wrong")
    fake.fail_next(400, '"Name is too rude"', method="POST")
    ran = cli("outbox", "retry", str(row_id), "--json")
    assert ran.code == 1
    assert "Name is too rude" in ran.json()["error"]
    assert outbox_rows(data_dir) == {row_id: OutboxState.FAILED}


def test_retry_looks_in_toggl_before_sending_an_unconfirmed_task(
    cli: Callable[..., Ran], fake: FakeToggl, data_dir: Path
) -> None:
    row_id = plant_row(data_dir, fake, "Maybe sent", sending=True)
    ran = cli("outbox", "retry", str(row_id))
    assert ran.code == 0, ran.err
    methods = [r.method for r in fake.requests if "/tasks" in r.path]
    assert methods[0] == "GET"
    assert methods.count("POST") <= 1
    assert len(fake.tasks_named("Maybe sent")) == 1


def test_retry_while_offline_exits_69_and_keeps_the_task(
    cli: Callable[..., Ran], fake: FakeToggl, data_dir: Path
) -> None:
    row_id = refused_row(cli, fake, "Later")
    fake.go_down()
    ran = cli("outbox", "retry", str(row_id))
    assert ran.code == 69
    assert "offline" in ran.err
    assert outbox_rows(data_dir) == {row_id: OutboxState.QUEUED}


@pytest.mark.parametrize("action", ["retry", "discard"])
def test_an_unknown_outbox_id_is_bad_input(
    cli: Callable[..., Ran], fake: FakeToggl, action: str
) -> None:
    ran = cli("outbox", action, "12345")
    assert ran.code == 64
    assert "no task #12345" in ran.err
    assert fake.requests == []


def test_retry_needs_a_token(cli: Callable[..., Ran], fake: FakeToggl, data_dir: Path) -> None:
    row_id = plant_row(data_dir, fake, "Unsigned")
    assert cli("outbox", "retry", str(row_id), token=None).code == 77


def test_discard_says_what_it_removed(
    cli: Callable[..., Ran], fake: FakeToggl, data_dir: Path
) -> None:
    row_id = refused_row(cli, fake, "Not wanted")
    ran = cli("outbox", "discard", str(row_id), token=None)  # local: no token needed
    assert ran.code == 0
    assert "Not wanted" in ran.out
    assert "Invalid project_id" in ran.out
    assert outbox_rows(data_dir) == {}
    assert cli("outbox", "discard", str(row_id)).code == 64


def test_discard_of_an_unconfirmed_task_warns_it_may_be_in_toggl(
    cli: Callable[..., Ran], fake: FakeToggl, data_dir: Path
) -> None:
    row_id = plant_row(data_dir, fake, "Maybe there", sending=True)  # then the app crashed
    ran = cli("outbox", "discard", str(row_id), "--json")
    assert ran.code == 0
    assert ran.json()["may_be_in_toggl"] is True
    assert ran.json()["discarded"]["state"] == "unconfirmed"
    human = plant_row(data_dir, fake, "Maybe there too", sending=True)
    assert "may already be in Toggl" in cli("outbox", "discard", str(human)).out


def test_discard_of_a_queued_task(cli: Callable[..., Ran], fake: FakeToggl,
                                  data_dir: Path) -> None:  # fmt: skip
    row_id = plant_row(data_dir, fake, "Never mind")
    ran = cli("outbox", "discard", str(row_id))
    assert ran.code == 0
    assert "had not reached Toggl" in ran.out
    assert outbox_rows(data_dir) == {}
    assert fake.requests == []


def test_discard_while_the_app_runs_is_refused(
    cli: Callable[..., Ran], fake: FakeToggl, data_dir: Path
) -> None:
    row_id = plant_row(data_dir, fake, "Kept")
    lock = InstanceLock(data_dir)
    assert lock.acquire()
    try:
        assert cli("outbox", "discard", str(row_id)).code == 75
    finally:
        lock.release()
    assert row_id in outbox_rows(data_dir)


def test_a_revoked_token_exits_77_and_keeps_the_task(
    cli: Callable[..., Ran], fake: FakeToggl, data_dir: Path
) -> None:
    """Toggl answers a revoked token with 403 everywhere: the task waits, nothing is parked."""
    ran = cli(*add_args(fake, "Token reset"), token="revoked-token")
    assert ran.code == 77
    assert "sign in again" in ran.err
    assert list(outbox_rows(data_dir).values()) == [OutboxState.QUEUED]
    assert cli("sync", token="revoked-token").code == 77
    assert cli("sync").code == 0
    assert len(fake.tasks_named("Token reset")) == 1
