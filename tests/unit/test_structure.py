"""The shape issue #11 gave the code, kept: small modules, a window that only composes its
parts, a spec that reads as declarations, no `Any` below the UI, no storage or engine in the UI."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DESKTOP = ROOT / "desktop"


def lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def test_no_module_under_desktop_is_over_350_lines() -> None:
    long = {str(p.relative_to(ROOT)): lines(p) for p in DESKTOP.rglob("*.py") if lines(p) > 350}
    assert long == {}


def test_the_main_window_only_composes_and_the_spec_only_declares() -> None:
    assert lines(DESKTOP / "ui" / "main_window.py") <= 250
    assert lines(ROOT / "build.spec") <= 200


def test_nothing_below_the_ui_is_typed_any() -> None:
    typed_any = re.compile(r"\bAny\b")
    found = [
        f"{p.relative_to(ROOT)}:{number}"
        for p in DESKTOP.rglob("*.py")
        if "ui" not in p.relative_to(DESKTOP).parts
        for number, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if typed_any.search(line.split("#")[0])
    ]
    assert found == []


def test_the_window_reaches_storage_and_sync_only_through_the_session() -> None:
    reaching = re.compile(r"sqlite3|\.outbox\b|\.engine\b")
    found = [
        f"{p.relative_to(ROOT)}:{number}"
        for p in (DESKTOP / "ui").rglob("*.py")
        for number, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if reaching.search(line)
    ]
    assert found == []
