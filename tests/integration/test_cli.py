"""`desktop.cli.main` in-process, as the entry point calls it, against the fake Toggl and real
SQLite files: the many ways input and answers can go wrong, each one sentence and an exit code."""


from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from desktop.api.models import TaskDraft
from desktop.store.database import SCHEMA_VERSION, open_database
from desktop.store.lock import InstanceLock
from desktop.store.outbox import Outbox
from desktop.store.outbox_row import OutboxState
from tests.cli_rig import TRACEBACK, Ran
from tests.fake_toggl import FakeToggl

HIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""What must never reach a terminal raw (a newline between lines is ours)."""




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


# Issue #12 item 10: `workspaces`, `projects`, names in `add`, readable `outbox`, `--online`.


def test_workspaces_lists_ids_and_names_then_reads_the_cache(
    cli: Callable[..., Ran], fake: FakeToggl
) -> None:
    ran = cli("workspaces")
    assert ran.code == 0
    assert f"{fake.premium_workspace_id}  Acme Studio" in ran.out
    assert f"{fake.free_workspace_id}  Side Projects  (free plan: no tasks)" in ran.out
    assert fake.count("GET", "/me/workspaces") == 1
    again = cli("workspaces", "--json")
    assert again.code == 0
    assert {w["name"] for w in again.json()["workspaces"]} == {"Acme Studio", "Side Projects"}
    assert fake.count("GET", "/me/workspaces") == 1  # fresh in the cache: no request
    assert cli("workspaces", "--refresh").code == 0
    assert fake.count("GET", "/me/workspaces") == 2


def test_workspaces_needs_a_sign_in_to_fetch(cli: Callable[..., Ran], fake: FakeToggl) -> None:
    ran = cli("workspaces", token=None)
    assert ran.code == 77
    assert "Not signed in" in ran.err
    assert fake.count("GET", "/me/workspaces") == 0


def test_lists_offline_show_the_cache_and_say_it_may_be_out_of_date(
    cli: Callable[..., Ran], fake: FakeToggl
) -> None:
    assert cli("projects").code == 0
    fake.go_down()
    ran = cli("projects", "--refresh")
    assert ran.code == 0
    assert "Website Redesign · Acme Corp" in ran.out
    assert "may be out of date" in ran.err
    assert ran.err.count("\n") == 1
    in_json = cli("workspaces", "--refresh", "--json")
    assert in_json.code == 0
    assert "may be out of date" in in_json.json()["notice"]


def test_lists_offline_without_a_cache_exit_69(cli: Callable[..., Ran], fake: FakeToggl) -> None:
    fake.go_down()
    ran = cli("workspaces")
    assert ran.code == 69
    assert ran.err.startswith("Task Desk: The workspaces cannot be fetched and none are cached")
    assert ran.err.count("\n") == 1


def test_listed_names_are_escaped(cli: Callable[..., Ran], fake: FakeToggl) -> None:
    fake.workspaces[0]["name"] = "Acme \x1b]0;pwned\x07 \u202eStudio"
    ran = cli("workspaces")
    assert ran.code == 0
    assert not HIDDEN.search(ran.out)
    assert "\\x1b]0;pwned\\x07" in ran.out
    assert cli("workspaces", "--json").json()["workspaces"][0]["name"].startswith("Acme \x1b")


def test_projects_of_a_workspace_named_by_prefix(cli: Callable[..., Ran], fake: FakeToggl) -> None:
    default = cli("projects")
    assert default.code == 0
    assert f"{fake.project_id('Website Redesign')}  Website Redesign · Acme Corp" in default.out
    assert "Blog" not in default.out
    side = cli("projects", "--workspace", "side", "--json")
    assert side.code == 0
    assert side.json()["workspace_id"] == fake.free_workspace_id
    assert {p["name"] for p in side.json()["projects"]} == {"Blog", "Garden Planner"}


def test_add_by_names_prefixes_in_any_case(cli: Callable[..., Ran], fake: FakeToggl) -> None:
    ran = cli("add", "--workspace", "acme", "--project", "WEBSITE", "--assignee", "sam",
              "--name", "By names", "--json")  # fmt: skip
    assert ran.code == 0, ran.err
    task = ran.json()["task"]
    assert task["project_id"] == fake.project_id("Website Redesign")
    assert task["user_id"] == 9_000_000_002
    by_email = cli("add", "--workspace", str(fake.premium_workspace_id), "--project", "mobile",
                   "--assignee", "SAM@EXAMPLE", "--name", "By email", "--json")  # fmt: skip
    assert by_email.code == 0, by_email.err
    assert by_email.json()["task"]["project_id"] == fake.project_id("Mobile App")


def test_an_ambiguous_name_exits_64_listing_the_candidates(
    cli: Callable[..., Ran], fake: FakeToggl
) -> None:
    first, second = fake.add_projects(fake.premium_workspace_id, 2, prefix="Sprint \x1b[2J")
    ran = cli("add", "--workspace", "acme", "--project", "sprint", "--name", "n")
    assert ran.code == 64
    assert f"({first})" in ran.err
    assert f"({second})" in ran.err
    assert "could be 2 projects" in ran.err
    assert not HIDDEN.search(ran.err)
    assert ran.err.count("\n") == 1
    in_json = cli("add", "--workspace", "acme", "--project", "sprint", "--name", "n", "--json")
    assert {c["id"] for c in in_json.json()["candidates"]} == {first, second}
    assert fake.count("POST") == 0


def test_an_unknown_name_exits_64_with_a_sentence(cli: Callable[..., Ran], fake: FakeToggl) -> None:
    ran = cli("add", "--workspace", "acme", "--project", "nothing like it", "--name", "n")
    assert ran.code == 64
    assert "No project is named “nothing like it”" in ran.err
    assert "TaskDesk projects" in ran.err
    nobody = cli("add", "--workspace", "acme", "--project", "web", "--assignee", "zed",
                 "--name", "n")  # fmt: skip
    assert nobody.code == 64
    assert "No person is named “zed”" in nobody.err
    assert fake.count("POST") == 0


def test_add_by_id_makes_no_list_request(cli: Callable[..., Ran], fake: FakeToggl) -> None:
    assert cli(*add_args(fake, "By id")).code == 0
    assert fake.count("GET", "/projects") == 0
    assert fake.count("GET", "/me/workspaces") == 0


def test_outbox_shows_local_times_and_a_project_for_a_task_queued_offline(
    cli: Callable[..., Ran], fake: FakeToggl, data_dir: Path
) -> None:
    row = plant_row(data_dir, fake, "Queued blind", label="")
    ran = cli("outbox")
    assert ran.code == 0
    assert re.search(rf"#{row}  queued\s+today \d\d:\d\d\s+Queued blind", ran.out), ran.out
    assert f"(project {fake.project_id('Website Redesign')})" in ran.out
    assert cli("projects").code == 0  # now the project list is cached
    named = cli("outbox")
    assert "(Website Redesign)" in named.out
    listed = cli("outbox", "--json").json()["outbox"][0]
    assert isinstance(listed["queued_at"], float)
    assert listed["queued_at_iso"].startswith(str(time.localtime().tm_year))


def test_self_check_without_online_sends_nothing(cli: Callable[..., Ran], fake: FakeToggl) -> None:
    ran = cli("--self-check", "--json")
    assert "Toggl API and token" not in ran.out
    assert fake.requests == []


def test_self_check_online_tries_the_token_with_one_request(
    cli: Callable[..., Ran], fake: FakeToggl
) -> None:
    ran = cli("--self-check", "--online", "--json")
    online = [c for c in ran.json()["checks"] if c["check"] == "Toggl API and token"]
    assert len(online) == 1
    assert online[0]["ok"], ran.out
    assert "reachable and accepted" in online[0]["detail"]
    assert [(r.method, r.path) for r in fake.requests] == [("GET", "/api/v9/me")]
    refused = cli("--self-check", "--online", token="wrong-token")
    assert refused.code == 1
    assert "refused the saved token" in refused.out
    fake.go_down()
    gone = cli("--self-check", "--online")
    assert gone.code == 1
    assert "unreachable" in gone.out
    assert TRACEBACK not in gone.out


def test_self_check_online_without_a_token_fails_without_a_request(
    cli: Callable[..., Ran], fake: FakeToggl
) -> None:
    ran = cli("--self-check", "--online", token=None)
    assert ran.code == 1
    assert "no saved token" in ran.out
    assert fake.requests == []
