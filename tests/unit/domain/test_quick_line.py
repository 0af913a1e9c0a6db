"""The quick-add line's syntax: every rule of issue #14 by example, and as properties (no input
raises; a parsed task written back parses to the same task)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.domain.estimate import MAX_ESTIMATE_SECONDS
from desktop.domain.quick_line import (
    ParsedLine,
    QuickTask,
    duration_shaped,
    format_estimate,
    format_line,
    needs_escape,
    parse_line,
)


def task(text: str) -> QuickTask:
    parsed = parse_line(text)
    assert parsed.ok, parsed.problems
    return parsed.task


def problems(text: str) -> dict[str, str]:
    return {p.part: p.text for p in parse_line(text).problems}


def test_the_issues_example() -> None:
    assert task("Write report 1h30 @web +sam !done") == QuickTask(
        "Write report", 5400, "web", "sam", done=True
    )


@pytest.mark.parametrize("estimate", ["1h30", "90m", "1.5h", "1:30", "1h30m", "1,5h", "1H30M"])
def test_the_estimate_is_a_word_in_the_estimate_grammar(estimate: str) -> None:
    assert task(f"Write report {estimate}") == QuickTask("Write report", 5400)


def test_a_bare_number_stays_in_the_name() -> None:
    assert task("Call 3 clients") == QuickTask("Call 3 clients")
    assert task("Read 1.5 chapters, 2nd time, v1.2, 3,000 words") == QuickTask(
        "Read 1.5 chapters, 2nd time, v1.2, 3,000 words"
    )
    assert task("Call 3 clients 45m").estimate == 2700


def test_the_estimate_may_be_anywhere_and_words_side_by_side_add_up() -> None:
    assert task("1h Write report") == QuickTask("Write report", 3600)
    assert task("Write 1h 30m report") == QuickTask("Write report", 5400)
    assert task("Review 45s") == QuickTask("Review", 45)


def test_two_estimates_apart_are_a_problem() -> None:
    parsed = parse_line("Write 1h report 2h")
    assert parsed.task.estimate == 3600
    assert problems("Write 1h report 2h") == {
        "estimate": "Give one estimate: “1h” and “2h” were both typed."
    }


@pytest.mark.parametrize(("text", "words"), [("x 1h1h", "hours came twice"),
                                             ("x 1h 1h", "hours came twice"),
                                             ("x 99999h", "too long"),
                                             ("x 1:30h", "Type a duration")])  # fmt: skip
def test_a_duration_that_does_not_parse_says_why(text: str, words: str) -> None:
    parsed = parse_line(text)
    assert parsed.task == QuickTask("x")
    assert words in problems(text)["estimate"]


def test_at_names_a_project_and_quotes_take_spaces() -> None:
    assert task("Write @web") == QuickTask("Write", project="web")
    assert task('Write @"Website Redesign" now') == QuickTask(
        "Write now", project="Website Redesign"
    )
    assert task('Write @"  spaced  "') == QuickTask("Write", project="spaced")
    assert task(r'Write @"say \"hi\" \\ there"') == QuickTask("Write", project='say "hi" \\ there')


def test_plus_names_a_person_the_same_way() -> None:
    assert task("Write +sam") == QuickTask("Write", person="sam")
    assert task('Write +"Sam Designer"') == QuickTask("Write", person="Sam Designer")
    assert task("Write +sam@example.com") == QuickTask("Write", person="sam@example.com")


def test_bang_done_creates_it_done_in_any_case() -> None:
    assert task("Write !done") == QuickTask("Write", done=True)
    assert task("Write !DONE !done") == QuickTask("Write", done=True)
    assert not task("Write it!").done


def test_another_bang_word_is_a_problem_that_says_how_to_keep_it() -> None:
    assert problems("Write !urgent") == {
        "done": "Only !done is understood after “!”: write \\!urgent to keep “!urgent” in the name."
    }


def test_a_backslash_keeps_the_word_in_the_name() -> None:
    assert task(r"Email \@home \+1 \!done \2:30 \1h") == QuickTask("Email @home +1 !done 2:30 1h")
    assert task(r"Path C:\temp \x") == QuickTask(r"Path C:\temp \x")  # nothing to keep: as typed
    assert task(r"Odd \\@home") == QuickTask(r"Odd \@home")


def test_a_lone_sign_is_text() -> None:
    assert task("Research A + B @ home !") == QuickTask("Research A + B @ home !")


def test_signs_inside_a_word_are_text() -> None:
    assert task("Fix C++ and mail@me.com now!") == QuickTask("Fix C++ and mail@me.com now!")


def test_two_projects_or_two_people_are_a_problem() -> None:
    assert problems("Write @a @b") == {"project": "Give one project: @a and @b were both typed."}
    assert problems('Write +a +"b c"') == {
        "person": 'Give one person: +a and +"b c" were both typed.'
    }
    assert parse_line("Write @a @b").task.project == "a"


def test_quotes_left_open_or_empty_are_problems() -> None:
    parsed = parse_line('Write @"Website Re')
    assert parsed.task == QuickTask("Write", project="Website Re")  # still looked up, for a preview
    assert problems('Write @"Website Re') == {
        "project": 'Close the quotes after “@”, as in @"Two words".'
    }
    assert problems('Write +""') == {"person": "Type a person's name between the quotes after “+”."}
    assert parse_line('Write +""').task.person is None


def test_a_line_without_a_name_or_with_a_bad_one_is_a_problem() -> None:
    assert problems("1h @web") == {"name": "Give the task a name."}
    assert problems("") == {"name": "Give the task a name."}
    assert "control characters" in problems("Bell\x07 1h")["name"]
    assert "too long" in problems("x" * 300)["name"]


def test_white_space_is_one_space_in_the_name() -> None:
    assert task("  Write \t report\u00a0 now  ") == QuickTask("Write report now")


def test_format_line_writes_the_syntax() -> None:
    written = format_line(QuickTask("Write report", 5400, "web", "Sam Designer", done=True))
    assert written == 'Write report 1h30m @web +"Sam Designer" !done'
    assert format_line(QuickTask("Email @home 2:30 3 clients")) == r"Email \@home \2:30 3 clients"
    assert format_line(QuickTask("", 45)) == "45s"


@pytest.mark.parametrize(("seconds", "word"), [(0, "0m"), (45, "45s"), (5400, "1h30m"),
                                               (3725, "1h2m5s"), (7200, "2h")])  # fmt: skip
def test_estimates_are_written_as_one_word(seconds: int, word: str) -> None:
    assert format_estimate(seconds) == word


def test_what_needs_a_backslash() -> None:
    assert [w for w in ["@a", "+", "!x", "1h", "1:30", r"\@a", "3", "2nd", "a@b", "\\"]
            if needs_escape(w)] == ["@a", "+", "!x", "1h", "1:30", r"\@a"]  # fmt: skip
    assert duration_shaped("1h1h")
    assert not duration_shaped("10:45am")


# --- properties ----------------------------------------------------------------------------

LINE_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=200
) | st.lists(
    st.sampled_from(["@", "+", "!", "\\", '"', " ", "1h", "30m", "1:30", "3", "!done", "web",
                     "@web", '@"', '+"a b"', "\\@", "\\\\", "\t", "ſ", "١h", "x"]),
    max_size=20,
).map("".join)  # fmt: skip
"""Any text, and text made of the syntax's own pieces (where the edge cases are)."""

WORD = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zs", "Zl", "Zp")),
    min_size=1,
    max_size=12,
).filter(lambda w: not any(c.isspace() for c in w)) | st.sampled_from(
    ["1h", "1:30", "45s", "3", "@x", '@"x', "+", "!", "!done", "\\", "\\@x", "\\\\1h", '"']
)  # fmt: skip
"""Any word, and words that mean something else unless escaped."""
QUERY = (
    st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=30
    )
    .map(str.strip)
    .filter(bool)
)
TASK = st.builds(
    QuickTask,
    name=st.lists(WORD, min_size=1, max_size=6).map(" ".join).filter(lambda n: len(n) <= 60),
    estimate=st.none() | st.integers(min_value=0, max_value=MAX_ESTIMATE_SECONDS),
    project=st.none() | QUERY,
    person=st.none() | QUERY,
    done=st.booleans(),
)  # fmt: skip


@settings(max_examples=600)
@given(LINE_TEXT)
def test_no_input_raises_and_a_parsed_task_written_back_parses_the_same(text: str) -> None:
    parsed = parse_line(text)
    assert isinstance(parsed, ParsedLine)
    assert all(problem.text for problem in parsed.problems)
    again = parse_line(format_line(parsed.task))
    assert again.task == parsed.task
    if parsed.ok:
        assert again.ok


@settings(max_examples=400)
@given(TASK)
def test_any_task_written_as_a_line_parses_back_to_itself(quick: QuickTask) -> None:
    parsed = parse_line(format_line(quick))
    assert parsed.task == quick
    assert parsed.ok, parsed.problems
