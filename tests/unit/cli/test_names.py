"""Names for ids (`add --project web`), help on every option, and local times in `outbox`."""

from __future__ import annotations

import argparse
import time
from datetime import datetime

import pytest

from desktop.cli.arguments import UsageError, _parser, parse
from desktop.cli.names import Choice, Unresolved, pick
from desktop.cli.output import local_time
from desktop.config import window_parser

PROJECTS = [Choice(1, "Blog"), Choice(2, "Blog Redesign"), Choice(3, "Website"), Choice(4, "blob")]


def test_an_id_is_taken_as_it_is() -> None:
    assert pick("project", 99, PROJECTS, "x") == 99


@pytest.mark.parametrize(("given", "expected"), [("web", 3), ("BLOG", 1), ("blog r", 2)])
def test_a_unique_prefix_in_any_case_or_an_exact_name(given: str, expected: int) -> None:
    assert pick("project", given, PROJECTS, "x") == expected


def test_an_ambiguous_prefix_names_its_candidates() -> None:
    with pytest.raises(Unresolved) as raised:
        pick("project", "bl", PROJECTS, "TaskDesk projects")
    assert "could be 3 projects: Blog (1); Blog Redesign (2); blob (4)" in str(raised.value)
    assert [c["id"] for c in raised.value.candidates] == [1, 2, 4]


def test_many_candidates_are_counted_not_all_listed() -> None:
    many = [Choice(i, f"Project {i}") for i in range(1, 21)]
    with pytest.raises(Unresolved) as raised:
        pick("project", "proj", many, "x")
    assert "and 12 more" in str(raised.value)


def test_a_person_is_found_by_email_too() -> None:
    people = [Choice(7, "Sam Designer", "sam@example.com")]
    assert pick("person", "SAM@", people, None) == 7
    with pytest.raises(Unresolved, match="No person is named “kim” in this workspace"):
        pick("person", "kim", people, None)


@pytest.mark.parametrize("value", ["0", "+5", "٥", "-3", str(2**63)])
def test_a_number_is_checked_as_an_id_never_looked_up(value: str) -> None:
    with pytest.raises(UsageError, match="whole number"):
        parse(["add", "--workspace", value, "--project", "1", "--name", "n"])


def test_a_name_is_kept_as_text_and_a_blank_one_refused() -> None:
    args = parse(["add", "--workspace", " Acme ", "--project", "2024 plan", "--name", "n"])
    assert (args.workspace, args.project) == ("Acme", "2024 plan")
    with pytest.raises(UsageError, match="an id or a name"):
        parse(["add", "--workspace", "  ", "--project", "1", "--name", "n"])


def test_every_option_of_every_command_has_help() -> None:
    parsers = [window_parser(), _parser()]
    for action in _parser()._actions:
        if isinstance(action, argparse._SubParsersAction):
            parsers.extend(action.choices.values())
    for parser in parsers:
        for action in parser._actions:
            if not isinstance(action, argparse._SubParsersAction):
                assert action.help, f"{parser.prog} {action.dest} has no help"


def test_the_window_help_points_to_every_command() -> None:
    shown = " ".join(window_parser().format_help().split())
    for command in ("add", "outbox", "sync", "workspaces", "projects", "--self-check"):
        assert command in shown


def at(text: str) -> float:
    return time.mktime(datetime.strptime(text, "%Y-%m-%d %H:%M").timetuple())


@pytest.mark.parametrize(
    ("moment", "said"),
    [
        ("2026-12-02 15:25", "today 15:25"),
        ("2026-12-01 09:05", "yesterday 09:05"),
        ("2026-11-02 15:25", "2 Nov 15:25"),
        ("2025-12-02 15:25", "2 Dec 2025 15:25"),
    ],
)
def test_local_times_as_people_say_them(moment: str, said: str) -> None:
    assert local_time(at(moment), now=at("2026-12-02 18:00")) == said


def test_an_impossible_time_is_said_so() -> None:
    assert local_time(1e300) == "at an unknown time"
