"""`TaskDesk add` in the quick-add syntax (issue #14), in-process against the fake Toggl and real
SQLite files: one line (the flags win over it), and `--file` (`-` for standard input), all or
nothing, each task queued once in one transaction and sent exactly once."""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from desktop.cli import main
from desktop.store.database import open_database
from desktop.store.outbox import Outbox
from desktop.sync.engine import SyncEngine
from tests.cli_rig import Ran
from tests.fake_toggl import FakeToggl

SAM = 9_000_000_002
HIDDEN = "\x1b"


@pytest.fixture
def unpaced(monkeypatch: pytest.MonkeyPatch) -> None:
    """No one-a-second pace between requests: 100 tasks in a moment, not 100 s."""
    monkeypatch.setitem(SyncEngine.__init__.__kwdefaults__, "send_interval", 0.0)


def outbox_names(data_dir: Path) -> list[str]:
    with closing(open_database(data_dir)) as db:
        return [row.draft.name for row in Outbox(db).waiting()]


def the_task(fake: FakeToggl, name: str) -> dict[str, Any]:
    (task,) = fake.tasks_named(name)
    return task


# --- one line ------------------------------------------------------------------------------


def test_the_issues_line_creates_the_task(cli: Callable[..., Ran], fake: FakeToggl) -> None:
    ran = cli("add", "Write report 1h30 @web +sam !done", "--json")
    assert ran.code == 0, ran.err
    task = the_task(fake, "Write report")
    assert ran.json()["task"]["id"] == task["id"]
    assert (task["project_id"], task["estimated_seconds"], task["user_id"], task["active"]) == (
        fake.project_id("Website Redesign"), 5400, SAM, False,
    )  # fmt: skip


def test_a_bare_number_and_an_escaped_sign_stay_in_the_name(
    cli: Callable[..., Ran], fake: FakeToggl
) -> None:
    assert cli("add", r"Call 3 clients \@home @mobile 45m").code == 0
    task = the_task(fake, "Call 3 clients @home")
    assert (task["project_id"], task["estimated_seconds"]) == (fake.project_id("Mobile App"), 2700)
    assert task["active"] is True


def test_the_flags_win_over_the_line(cli: Callable[..., Ran], fake: FakeToggl) -> None:
    ran = cli("add", "Write report 1h30 @web +nobody", "--project", "Mobile", "--name", "Plan",
              "--estimate", "2h", "--assignee", "sam", "--inactive")  # fmt: skip
    assert ran.code == 0, ran.err  # `+nobody` found no one, but --assignee replaced it
    task = the_task(fake, "Plan")
    assert (task["project_id"], task["estimated_seconds"], task["user_id"], task["active"]) == (
        fake.project_id("Mobile App"), 7200, SAM, False,
    )  # fmt: skip


def test_a_workspace_by_name_with_a_line(cli: Callable[..., Ran], fake: FakeToggl) -> None:
    ran = cli("add", "Draft @internal", "--workspace", "acme")
    assert ran.code == 0, ran.err
    assert the_task(fake, "Draft")["project_id"] == fake.project_id("Internal")


def test_an_ambiguous_at_exits_64_naming_the_candidates(
    cli: Callable[..., Ran], fake: FakeToggl, data_dir: Path
) -> None:
    ran = cli("add", "Write @acme")
    assert ran.code == 64
    assert ran.err == (
        "Task Desk: “acme” could be 2 projects: Mobile App · Acme Corp, Website Redesign · Acme "
        "Corp; type more of the name.\n"
    )
    in_json = cli("add", "Write @acme", "--json").json()
    assert {c["id"] for c in in_json["candidates"]} == {
        fake.project_id("Mobile App"), fake.project_id("Website Redesign"),
    }  # fmt: skip
    assert fake.count("POST") == 0
    assert outbox_names(data_dir) == []


def test_an_unknown_person_and_project_are_both_said(
    cli: Callable[..., Ran], fake: FakeToggl
) -> None:
    ran = cli("add", "Write @nothing +zed")
    assert ran.code == 64
    assert "No project matches “nothing”. No person matches “zed”." in ran.err
    assert fake.count("POST") == 0


@pytest.mark.parametrize(
    ("line", "words"),
    [("Write report 1h30", "A project is required: @project in the line, or --project."),
     ("@web 1h", "Give the task a name."),
     ("Write 1h @web 2h", "Give one estimate"),
     ("Write @web 1h 2h", "hours came twice"),
     ('Write @"web', "Close the quotes"),
     ("Write @web !soon", "Only !done is understood")],
)  # fmt: skip
def test_a_line_not_understood_exits_64_before_any_request(
    cli: Callable[..., Ran], fake: FakeToggl, line: str, words: str
) -> None:
    ran = cli("add", line)
    assert ran.code == 64
    assert words in ran.err
    assert ran.err.count("\n") == 1
    assert fake.requests == []


@pytest.mark.parametrize(
    ("args", "words"),
    [(("Line", "--file", "x.txt"), "not both"),
     (("--file", "x.txt", "--name", "n"), "each line names its own"),
     (("--project", "web"), "A task is required")],
)  # fmt: skip
def test_a_line_and_a_file_or_neither(
    cli: Callable[..., Ran], fake: FakeToggl, args: tuple[str, ...], words: str
) -> None:
    ran = cli("add", *args)
    assert ran.code == 64
    assert words in ran.err
    assert fake.requests == []


# --- many, from a file or standard input ---------------------------------------------------


def test_a_file_queues_every_line_and_sends_each_once(
    cli: Callable[..., Ran], fake: FakeToggl, data_dir: Path, tmp_path: Path
) -> None:
    tasks = tmp_path / "tasks.txt"
    tasks.write_bytes(
        b"\xef\xbb\xbfWrite report 1h30 @web +sam\r\n\n   \nCall 3 clients @mobile !done\n"
        b"Plan sprint @internal 1:30\n"
    )
    ran = cli("add", "--file", str(tasks), "--json")
    assert ran.code == 0, ran.err
    report = ran.json()
    assert (report["queued"], report["created"], report["waiting"]) == (3, 3, 0)
    assert [(t["line"], t["state"]) for t in report["tasks"]] == [
        (1, "created"), (4, "created"), (5, "created"),
    ]  # fmt: skip
    assert the_task(fake, "Write report")["user_id"] == SAM
    assert the_task(fake, "Call 3 clients")["active"] is False
    assert the_task(fake, "Plan sprint")["estimated_seconds"] == 5400
    assert fake.count("POST", "/tasks") == 3
    assert outbox_names(data_dir) == []


def test_the_flags_apply_to_every_line(
    cli: Callable[..., Ran], fake: FakeToggl, tmp_path: Path
) -> None:
    tasks = tmp_path / "tasks.txt"
    tasks.write_text("One\nTwo @internal\n")
    ran = cli("add", "--file", str(tasks), "--project", "web", "--estimate", "15m")
    assert ran.code == 0, ran.err
    assert ran.out.startswith("Queued 2 tasks (outbox #1 to #2): sent 2, refused 0")
    for name in ("One", "Two"):
        task = the_task(fake, name)
        assert (task["project_id"], task["estimated_seconds"]) == (
            fake.project_id("Website Redesign"), 900,
        )  # fmt: skip


def test_standard_input_with_a_dash(cli: Callable[..., Ran], fake: FakeToggl) -> None:
    ran = cli("add", "--file", "-", stdin="Ünïcode task @web\nSecond @web 1h\n".encode())
    assert ran.code == 0, ran.err
    assert the_task(fake, "Ünïcode task")["project_id"] == fake.project_id("Website Redesign")
    assert the_task(fake, "Second")["estimated_seconds"] == 3600


def test_any_line_not_understood_queues_nothing_and_lists_every_one(
    cli: Callable[..., Ran], fake: FakeToggl, data_dir: Path, tmp_path: Path
) -> None:
    tasks = tmp_path / "tasks.txt"
    tasks.write_bytes(
        b"Fine @web\nNo project here\nAlso fine @mobile\nWrite @acme\n"
        b"Bad \xff bytes @web\n@web 1h\nEscape @no\x1b]0;pwned\x07where\n"
    )
    ran = cli("add", "--file", str(tasks))
    assert ran.code == 64
    assert ran.out == ""
    lines = ran.err.splitlines()
    assert lines[0] == "Task Desk: 5 of 7 lines are not understood, so no task was queued."
    assert lines[1] == (
        "  line 2, “No project here”: A project is required: @project in the line, or --project."
    )
    assert lines[2].startswith("  line 4, “Write @acme”: “acme” could be 2 projects:")
    assert lines[3] == "  line 5, “Bad \ufffd bytes @web”: This line is not UTF-8 text."
    assert lines[4] == "  line 6, “@web 1h”: Give the task a name."
    assert lines[5] == (
        "  line 7, “Escape @no\\x1b]0;pwned\\x07where”: "
        "No project matches “no\\x1b]0;pwned\\x07where”."
    )
    assert len(lines) == 6
    assert HIDDEN not in ran.err
    assert fake.count("POST") == 0
    assert outbox_names(data_dir) == []
    listed = cli("add", "--file", str(tasks), "--json").json()
    assert [line["line"] for line in listed["lines"]] == [2, 4, 5, 6, 7]
    assert len(listed["lines"][1]["candidates"]) == 2


def test_an_unreadable_or_empty_file_is_bad_input(
    cli: Callable[..., Ran], fake: FakeToggl, tmp_path: Path
) -> None:
    missing = cli("add", "--file", str(tmp_path / "missing.txt"))
    assert missing.code == 64
    assert missing.err == (
        f"Task Desk: Cannot read the tasks from {tmp_path / 'missing.txt'} "
        "(No such file or directory).\n"
    )
    blank = tmp_path / "blank.txt"
    blank.write_text("\n  \n")
    assert "There are no tasks in" in cli("add", "--file", str(blank)).err
    assert cli("add", "--file", "-", stdin=b"").code == 64
    assert fake.requests == []


def test_an_endless_or_huge_file_is_refused_without_reading_it_all(
    cli: Callable[..., Ran], fake: FakeToggl
) -> None:
    endless = cli("add", "--file", "/dev/zero")  # read whole, it would never end
    assert endless.code == 64
    assert endless.err == (
        "Task Desk: /dev/zero holds more than 1 MB: split the tasks into smaller files.\n"
    )
    huge = cli("add", "--file", "-", stdin=b"Task @web\n" * 200_000)
    assert huge.code == 64
    assert "Standard input holds more than 1 MB" in huge.err
    assert fake.requests == []


def test_a_task_toggl_refuses_is_said_with_its_line(
    cli: Callable[..., Ran], fake: FakeToggl, data_dir: Path, tmp_path: Path
) -> None:
    tasks = tmp_path / "tasks.txt"
    tasks.write_text("First @web\nSecond @web\nThird @web\n")
    fake.fail_next(400, '"Name is too rude"', method="POST")
    ran = cli("add", "--file", str(tasks))
    assert ran.code == 1
    assert ran.out.splitlines() == [
        "Queued 3 tasks (outbox #1 to #3): sent 2, refused 1, still queued 0.",
        "line 1 (outbox #1): Toggl rejected this: Name is too rude.",
    ]
    assert outbox_names(data_dir) == ["First"]
    assert len(fake.tasks_named("Second")) == len(fake.tasks_named("Third")) == 1


def test_a_hundred_lines_offline_then_online_arrive_exactly_once(
    cli: Callable[..., Ran], fake: FakeToggl, data_dir: Path, tmp_path: Path, unpaced: None
) -> None:
    names = [f"Task {n:03d}" for n in range(100)]
    tasks = tmp_path / "tasks.txt"
    tasks.write_text("".join(f"{name} @web {n % 5 + 1}h\n" for n, name in enumerate(names)))
    assert cli("projects").code == 0  # the lists are cached, then the network goes
    fake.go_down()
    queued = cli("add", "--file", str(tasks), "--json")
    assert queued.code == 0, queued.err
    assert (queued.json()["queued"], queued.json()["waiting"]) == (100, 100)
    assert "offline" in queued.json()["reason"]
    assert outbox_names(data_dir) == names
    fake.come_back()
    synced = cli("sync", "--json")
    assert synced.code == 0, synced.out + synced.err
    assert synced.json()["created"] == 100
    assert cli("sync").code == 0
    for n, name in enumerate(names):
        assert the_task(fake, name)["estimated_seconds"] == (n % 5 + 1) * 3600
    assert fake.count("POST", "/tasks") == 100
    assert outbox_names(data_dir) == []


def test_docs_automation_lists_the_options_add_takes(capsys: pytest.CaptureFixture[str]) -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "automation.md").read_text()
    body = doc.split("## The command line\n", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| `(--[a-z-]+)` \|", body, re.MULTILINE))
    assert main(["add", "--help"]) == 0
    said = set(re.findall(r"^  (--[a-z-]+)", capsys.readouterr().out, re.MULTILINE))
    assert documented == said - {"--api-url", "--data-dir"}  # README's, for every command
