"""What the command line prints: one line per sentence with every control character escaped for
people, exact and valid JSON for scripts, notices and failures where each mode expects them."""

from __future__ import annotations

import io
import json
import sys

import pytest

from desktop.cli.output import Output, for_people, to_json

HOSTILE = "Review\x1b]0;owned\x07 \u202eton\u202c\nnext\u2028line\x9b \udcff"


def test_for_people_every_control_is_escaped_on_one_line() -> None:
    shown = for_people(HOSTILE)
    assert shown == ("Review\\x1b]0;owned\\x07 \\u202eton\\u202c\\x0anext\\u2028line\\x9b \\udcff")
    assert shown.isprintable()


def test_for_people_leaves_readable_text_alone() -> None:
    text = "Ünïcode 😀 · «Website» — 1:30 h"
    assert for_people(text) == text


def test_json_decodes_to_the_same_text_with_no_raw_control_in_it() -> None:
    data = {"name": HOSTILE.replace("\udcff", ""), "label": "Ünïcode 😀", "n": 5}
    assert json.loads(to_json(data)) == data
    compact = to_json(data, indent=None)
    assert json.loads(compact) == data
    assert "Ünïcode 😀" in compact  # readable non-ASCII stays readable
    for raw in ("\x1b", "\x07", "\u202e", "\u202c", "\n", "\u2028", "\x9b"):
        assert raw not in compact


def test_sentences_go_to_stdout_and_notices_to_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    out = Output(as_json=False)
    out.notice("The database was damaged\nand set aside.")
    out.emit(["Created task", "Project: \u202eevil"], {"ignored": True})
    captured = capsys.readouterr()
    assert captured.out == "Created task\nProject: \\u202eevil\n"
    assert captured.err == "Task Desk: The database was damaged\\x0aand set aside.\n"


def test_with_json_notices_join_the_one_document(capsys: pytest.CaptureFixture[str]) -> None:
    out = Output(as_json=True)
    out.notice("Set aside.")
    out.notice("Made private.")
    out.emit("Created task", {"ok": True})
    captured = capsys.readouterr()
    assert json.loads(captured.out) == {"ok": True, "notice": "Set aside. Made private."}
    assert captured.err == ""


def test_a_failure_is_one_sentence_named_once_with_its_exit_code(
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = Output(as_json=False)
    assert out.fail(69, "Toggl could not be reached.") == 69
    assert out.fail(77, "Task Desk is not signed in.") == 77
    assert capsys.readouterr().err == (
        "Task Desk: Toggl could not be reached.\nTask Desk is not signed in.\n"
    )
    assert Output(as_json=True).fail(64, "Bad \x1b input", field="name") == 64
    assert json.loads(capsys.readouterr().out) == {
        "ok": False, "error": "Bad \x1b input", "field": "name",
    }  # fmt: skip


def test_a_terminal_that_cannot_show_a_character_gets_an_escape_not_a_crash(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    raw = io.BytesIO()
    terminal = io.TextIOWrapper(raw, encoding="ascii")
    monkeypatch.setattr(sys, "stdout", terminal)
    Output(as_json=False).emit("Café 😀", {})
    terminal.flush()
    assert raw.getvalue() == b"Caf\\xe9 \\U0001f600\n"
