"""docs/automation.md against the running app: every option it lists is one `main` knows,
every name it lists is found in the real window (or, for those shown on occasion, set in the
code and driven by the test module it names). The tables are parsed, so they cannot drift."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QTimer
from pytestqt.qtbot import QtBot

from desktop.app import main
from tests.fake_toggl import FakeToggl
from tests.ui_helpers import wait_for_top_level

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "automation.md").read_text(encoding="utf-8")
ROW = re.compile(r"^\| `([^`]+)` \|(.*)$", re.MULTILINE)


def section(title: str) -> list[tuple[str, list[str]]]:
    """The rows of the table under `## title`: the first cell's name, then the other cells."""
    body = DOC.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]
    return [(name, [c.strip() for c in rest.split("|")]) for name, rest in ROW.findall(body)]


def test_the_doc_lists_names_in_every_table() -> None:
    for title in ("Starting it", "Always in the main window", "The sign-in dialog", "On occasion"):
        assert section(title), title


def test_every_option_listed_is_one_main_knows(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    said = capsys.readouterr().out
    for option, _ in section("Starting it"):
        assert option in said, option


def test_every_name_listed_is_found_in_the_running_window(
    qtbot: QtBot, fake: FakeToggl, data_dir: Path
) -> None:
    missing: dict[str, list[str]] = {}

    def look() -> None:
        window = wait_for_top_level(qtbot, "mainWindow")
        try:
            dialog = wait_for_top_level(qtbot, "signInDialog")  # no token: it opens
            for title, root in (
                ("Always in the main window", window),
                ("The sign-in dialog", dialog),
            ):
                found = {root.objectName()} | {o.objectName() for o in root.findChildren(QObject)}
                missing[title] = [name for name, _ in section(title) if name not in found]
        finally:
            window.close()

    QTimer.singleShot(0, look)
    assert main(["--api-url", fake.url, "--data-dir", str(data_dir)]) == 0
    assert missing == {"Always in the main window": [], "The sign-in dialog": []}


def test_each_name_shown_on_occasion_is_set_in_the_code_and_driven_by_its_test() -> None:
    code = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "desktop").rglob("*.py"))
    for name, cells in section("On occasion"):
        assert f'"{name}"' in code, name
        test_module = cells[-2].strip("` ")
        assert f'"{name}"' in (ROOT / test_module).read_text(encoding="utf-8"), (name, test_module)
