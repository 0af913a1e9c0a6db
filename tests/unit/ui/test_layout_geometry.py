"""The remembered window geometry: the file's format, fitting to today's screens, and files
that are corrupt, hostile or not ordinary files (tests/integration/test_layout_window.py drives
the same through real windows)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from desktop.ui.window_geometry import (
    FRAME_ALLOWANCE,
    GEOMETRY_FILE,
    Box,
    Saved,
    fit,
    format_saved,
    parse,
    read_saved,
    write_saved,
)

LAPTOP = Box(0, 0, 1366, 740)
SECOND = Box(1366, 0, 1920, 1050)
FRAME_W, FRAME_H = FRAME_ALLOWANCE


def inside(box: Box, screen: Box) -> bool:
    return (
        screen.x <= box.x
        and screen.y <= box.y
        and box.x + box.width + FRAME_W <= screen.x + screen.width
        and box.y + box.height + FRAME_H <= screen.y + screen.height
    )


def test_a_saved_geometry_reads_back_as_written() -> None:
    saved = Saved(Box(-40, 12, 640, 580), maximized=True)
    assert parse(format_saved(saved)) == saved


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"garbage",
        b"1 2 3 4",
        b"1 2 3 4 5 6",
        b"1 2 640 0 0",
        b"1 2 -640 480 0",
        b"1 2 640 480 2",
        b"1 2 9999999999 480 0",
        b"1_0 2 640 480 0",
        b"\xff\xfe 2 640 480 0",
        b"1 2 640 480 0\n\n",
        "١ 2 640 480 0".encode(),  # Arabic-Indic digit one
    ],
)
def test_anything_else_is_not_a_geometry(data: bytes) -> None:
    assert parse(data) is None


def test_the_first_run_is_the_default_size_centred_and_cut_to_a_small_screen() -> None:
    assert fit(None, [LAPTOP], (600, 620)) == Box(379, 44, 600, 620)
    at_2x = Box(0, 0, 683, 384)  # a 1366 x 768 screen at QT_SCALE_FACTOR=2
    placed = fit(None, [at_2x], (600, 620))
    assert (placed.width, placed.height) == (600, 384 - FRAME_H)
    assert inside(placed, at_2x)


def test_a_geometry_on_a_screen_is_kept_there() -> None:
    on_second = Box(2000, 100, 700, 600)
    assert fit(on_second, [LAPTOP, SECOND], (600, 620)) == on_second


def test_a_geometry_partly_off_its_screen_is_moved_onto_it_and_cut_to_it() -> None:
    hanging = Box(1200, 500, 700, 2000)  # mostly on the laptop, taller than any screen
    placed = fit(hanging, [LAPTOP], (600, 620))
    assert inside(placed, LAPTOP)
    assert (placed.width, placed.height) == (700, LAPTOP.height - FRAME_H)


def test_a_geometry_off_every_screen_comes_back_on_the_primary_one() -> None:
    """The second monitor was removed since the window was closed on it."""
    gone = Box(2000, 100, 700, 600)
    placed = fit(gone, [LAPTOP], (600, 620))
    assert inside(placed, LAPTOP)
    assert (placed.width, placed.height) == (700, 600)
    far = fit(Box(-900_000, 900_000, 640, 480), [LAPTOP, SECOND], (600, 620))
    assert inside(far, LAPTOP)


def test_a_sliver_on_a_screen_is_not_enough_to_stay() -> None:
    """Only the last 10 px of the window would be on a screen: out of reach of the mouse."""
    sliver = Box(LAPTOP.width - 10, 100, 700, 600)
    placed = fit(sliver, [LAPTOP, Box(-3000, -3000, 100, 100)], (600, 620))
    assert inside(placed, LAPTOP)
    assert placed.x < LAPTOP.width // 2


def test_the_file_is_written_private_and_read_back(tmp_path: Path) -> None:
    saved = Saved(Box(10, 20, 640, 480), maximized=False)
    write_saved(tmp_path, saved)
    assert read_saved(tmp_path) == saved
    assert os.stat(tmp_path / GEOMETRY_FILE).st_mode & 0o777 == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == [GEOMETRY_FILE]


def test_missing_corrupt_huge_or_linked_files_are_ignored(tmp_path: Path) -> None:
    path = tmp_path / GEOMETRY_FILE
    assert read_saved(tmp_path) is None
    path.write_bytes(os.urandom(64))
    assert read_saved(tmp_path) is None
    path.write_bytes(b"1 2 640 480 0" + b" " * 10_000_000)
    assert read_saved(tmp_path) is None
    path.unlink()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.write_bytes(b"1 2 640 480 0")
    path.symlink_to(elsewhere)
    assert read_saved(tmp_path) is None  # never read through a link
    path.unlink()
    os.mkfifo(path)  # opening it must not wait for a writer
    assert read_saved(tmp_path) is None
    path.unlink()
    path.mkdir()
    assert read_saved(tmp_path) is None


def test_a_file_that_cannot_be_written_leaves_start_up_alone(tmp_path: Path) -> None:
    (tmp_path / GEOMETRY_FILE).mkdir()  # something the rename cannot replace
    write_saved(tmp_path, Saved(Box(1, 2, 640, 480), maximized=False))  # no exception
    assert read_saved(tmp_path) is None
    assert sorted(p.name for p in tmp_path.iterdir()) == [GEOMETRY_FILE]  # no spare left
