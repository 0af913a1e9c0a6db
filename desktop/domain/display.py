"""Server and user text made safe to show in the window: bidi isolation and literal tooltips.

Qt-free, so the rules are tested without widgets.
"""

from __future__ import annotations

import unicodedata

FSI = "\u2068"  # FIRST STRONG ISOLATE
PDI = "\u2069"  # POP DIRECTIONAL ISOLATE
_ISOLATE_OPENERS = frozenset("\u2066\u2067\u2068")  # LRI, RLI, FSI

_REORDERING_CLASSES = frozenset(
    {"R", "AL", "AN", "LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"}
)
"""Bidi classes that can change the order of text around them: right-to-left letters, Arabic
digits and the explicit controls. Text made only of others (Latin letters, European digits,
punctuation, spaces) cannot reorder its neighbours in the window's left-to-right paragraphs."""
_FIRST_RIGHT_TO_LEFT = "\u0590"
"""No character below this (Latin, Greek, Cyrillic, Armenian) is in those classes: a name made
of them is known to be safe without a look-up per character (10,000 project names)."""


def isolate(name: str) -> str:
    """`name` as a bidi isolate (U+2068 … U+2069) when it could reorder the text around it.

    A U+202E RIGHT-TO-LEFT OVERRIDE in a task name must not reverse the rest of an outbox row or
    a sentence: inside an isolate, every embedding and override ends at the closing U+2069. A
    stray U+2069 in the name, which would close the isolate early, is dropped, and isolates the
    name opens are closed before it ends. Names that cannot reorder anything (most of them) are
    returned as they are, so what the window shows stays the same text people and scripts type.
    """
    if not may_reorder(name) or not any(
        unicodedata.bidirectional(char) in _REORDERING_CLASSES for char in name
    ):
        return name
    balanced: list[str] = []
    depth = 0
    for char in name:
        if char in _ISOLATE_OPENERS:
            depth += 1
        elif char == PDI:
            if depth == 0:
                continue
            depth -= 1
        balanced.append(char)
    return FSI + "".join(balanced) + PDI * depth + PDI


def may_reorder(text: str) -> bool:
    """A quick first look (one C call): False means `isolate` leaves `text` as it is."""
    return not text.isascii() and max(text) >= _FIRST_RIGHT_TO_LEFT


def without_isolates(text: str) -> str:
    """`text` without the marks `isolate` adds: what a person reads on screen."""
    return text.replace(FSI, "").replace(PDI, "")


def literal_tooltip(text: str | None) -> str | None:
    """A tooltip that shows `text` literally (None for none).

    Qt guesses whether a tooltip is rich text (Qt::mightBeRichText), so "<b>x</b>" from a server
    would render bold and "<img src=…>" would load an image: the text is escaped and wrapped in
    a paragraph that keeps its spaces and line breaks, which Qt always reads as rich text, so
    every character shows as it is.
    """
    if not text:
        return None
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f'<p style="white-space:pre-wrap">{escaped}</p>'
