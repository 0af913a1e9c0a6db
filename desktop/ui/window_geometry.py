"""The window's size and place, remembered between runs in the data folder.

One line in `window-geometry` ("x y width height maximized", logical pixels; x and y are the
frame's corner, as `QWidget.pos()` gives and `move()` takes), written when the window closes
and read before it is first shown. Only the data folder holds it (never a registry or another
settings store), so `--data-dir` keeps a test's or a second profile's window apart; it is one
of the app's private files (desktop.data_folder: 0600, never through a link).

Whatever the file says, the window opens whole on a screen that exists now: a place off every
screen (a monitor removed since) is replaced by the middle of the primary screen, and a size
larger than the screen is cut to it. An unreadable, corrupt or hostile file is ignored.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple

from desktop.data_folder import read_small_file, replace_small_file

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from PySide6.QtCore import QRect
    from PySide6.QtWidgets import QWidget

GEOMETRY_FILE = "window-geometry"
WHAT = "window geometry file"
MAX_BYTES = 200
SAVED_LINE = re.compile(rb"(-?[0-9]{1,6}) (-?[0-9]{1,6}) ([0-9]{1,6}) ([0-9]{1,6}) ([01])\n?")
"""x y width height maximized: nothing else, and no number beyond six digits."""
FRAME_ALLOWANCE = (8, 32)
"""Room left for the window manager's frame and title bar, unknown before the window shows."""
MIN_VISIBLE = 64
"""A saved place is kept if at least this much of the window (each way) is on a screen."""



class Box(NamedTuple):
    """NamedTuples, not dataclasses, here: each dataclass costs ~0.5-1 ms to create at import,
    and this module loads before the first paint."""

    x: int
    y: int
    width: int
    height: int

    def overlap(self, other: Box) -> tuple[int, int]:
        """Width and height of the part of this box inside `other` (0 when apart)."""
        wide = min(self.x + self.width, other.x + other.width) - max(self.x, other.x)
        high = min(self.y + self.height, other.y + other.height) - max(self.y, other.y)
        return max(0, wide), max(0, high)


class Saved(NamedTuple):
    box: Box
    maximized: bool


def parse(data: bytes) -> Saved | None:
    """The saved geometry, or None unless the bytes are one line as `format_saved` writes it."""
    found = SAVED_LINE.fullmatch(data)
    if found is None:
        return None
    x, y, width, height, maximized = (int(number) for number in found.groups())
    if width < 1 or height < 1:
        return None
    return Saved(Box(x, y, width, height), bool(maximized))


def format_saved(saved: Saved) -> bytes:
    box = saved.box
    return f"{box.x} {box.y} {box.width} {box.height} {int(saved.maximized)}\n".encode("ascii")


def fit(saved: Box | None, screens: Sequence[Box], size: tuple[int, int]) -> Box:
    """Where the window goes: `saved` (or the default `size`, centred) whole on a screen.

    `screens` are the available geometries (without panels and docks), the primary first. A
    saved box mostly on some screen stays on that one, moved and cut just enough to fit; one
    off every screen is centred on the primary screen."""
    frame_w, frame_h = FRAME_ALLOWANCE
    screen, place = screens[0], None
    width, height = size
    if saved is not None:
        width, height = saved.width, saved.height
        outer = Box(saved.x, saved.y, width + frame_w, height + frame_h)
        seen = [(*outer.overlap(s), s) for s in screens]
        wide, high, best = max(seen, key=lambda each: each[0] * each[1])
        if wide >= min(MIN_VISIBLE, outer.width) and high >= min(MIN_VISIBLE, outer.height):
            screen, place = best, (saved.x, saved.y)
    width = max(1, min(width, screen.width - frame_w))
    height = max(1, min(height, screen.height - frame_h))
    right = screen.x + screen.width - frame_w - width
    bottom = screen.y + screen.height - frame_h - height
    if place is None:
        return Box((screen.x + right) // 2, (screen.y + bottom) // 2, width, height)
    x, y = place
    return Box(min(max(x, screen.x), right), min(max(y, screen.y), bottom), width, height)


def read_saved(folder: Path) -> Saved | None:
    data = read_small_file(folder / GEOMETRY_FILE, MAX_BYTES, WHAT)
    return parse(data) if data is not None and len(data) <= MAX_BYTES else None


def write_saved(folder: Path, saved: Saved) -> None:
    """Replace the file whole, or leave it as it was (the next start uses the default size)."""
    replace_small_file(folder / GEOMETRY_FILE, format_saved(saved), WHAT)


def place(window: QWidget, folder: Path, size: tuple[int, int]) -> None:
    """Before the first show: the saved size and place fitted to today's screens, or `size`."""
    from PySide6.QtGui import QGuiApplication

    primary = QGuiApplication.primaryScreen()
    others = [s for s in QGuiApplication.screens() if s is not primary]
    screens = [_box(s.availableGeometry()) for s in [primary, *others] if s is not None]
    saved = read_saved(folder)
    if not screens:
        window.resize(*size)
        return
    box = fit(saved.box if saved else None, screens, size)
    window.resize(box.width, box.height)
    window.move(box.x, box.y)
    if saved is not None and saved.maximized:
        from PySide6.QtCore import Qt  # the namespace's ~40 ms, for maximized windows only

        window.setWindowState(Qt.WindowState.WindowMaximized)


def remember(window: QWidget, folder: Path) -> None:
    """At close: the window's normal size and place (its size before it was maximized)."""
    maximized = window.isMaximized()
    if maximized or window.isMinimized():
        normal = window.normalGeometry()
        box = Box(normal.x(), normal.y(), normal.width(), normal.height())
    else:
        pos, size = window.pos(), window.size()
        box = Box(pos.x(), pos.y(), size.width(), size.height())
    if box.width > 0 and box.height > 0:
        write_saved(folder, Saved(box, maximized))


def _box(rect: QRect) -> Box:
    return Box(rect.x(), rect.y(), rect.width(), rect.height())
