"""Names made safe to show: isolated when they could reorder the text around them, balanced
whatever they hold, and left exactly as typed when they cannot reorder anything."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from desktop.domain.display import FSI, PDI, isolate, may_reorder, without_isolates

HOSTILE = "<h1>big</h1><a href=x>link</a><img src=file:///etc/passwd>"
RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE


def test_a_name_that_can_reorder_text_is_isolated_and_others_are_left_alone() -> None:
    assert isolate(f"{RLO}evil") == f"{FSI}{RLO}evil{PDI}"
    assert isolate("עברית") == f"{FSI}עברית{PDI}"
    for harmless in ("Write report", "Überprüfung · Ärzte", "Задача 1", "", HOSTILE):
        assert isolate(harmless) == harmless


def test_a_stray_pop_cannot_close_the_isolate_early_and_open_isolates_are_closed() -> None:
    assert isolate(f"{PDI}{RLO}x") == f"{FSI}{RLO}x{PDI}"
    assert isolate(f"a\u2067b{RLO}") == f"{FSI}a\u2067b{RLO}{PDI}{PDI}"


@given(st.text(alphabet=st.sampled_from(["a", "ب", RLO, "\u202d", "\u2066", "\u2067", FSI, PDI])))
def test_every_isolate_is_balanced(name: str) -> None:
    shown = isolate(name)
    depth = 0
    for position, char in enumerate(shown):
        if char in "\u2066\u2067\u2068":
            depth += 1
        elif char == PDI:
            depth -= 1
            assert depth > 0 or position == len(shown) - 1, "the isolate closed early"
    assert depth == 0
    assert without_isolates(shown) == without_isolates(name)


@given(st.text())
def test_the_quick_look_never_misses_a_name_that_needs_isolating(name: str) -> None:
    if not may_reorder(name):
        assert isolate(name) == name


def test_the_quick_look_passes_latin_greek_and_cyrillic_without_a_look_up() -> None:
    assert not may_reorder("Überprüfung Ελληνικά Задача")
    assert may_reorder("שלום")
    assert may_reorder(f"x{RLO}")
    assert not may_reorder("")
