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


def test_every_module_below_the_ui_is_type_checked_strictly() -> None:
    """pyproject.toml lists the strict modules one by one (mypy takes `strict` only globally):
    a new module below the UI must not slip through with the looser settings."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    strict = next(
        set(o["module"])
        for o in config["tool"]["mypy"]["overrides"]
        if o.get("disallow_untyped_defs")
    )

    def covered(name: str) -> bool:
        parts = name.split(".")
        # "a.b.*" covers the package a.b itself and every module below it, as mypy reads it
        wildcards = (".".join(parts[:n]) + ".*" for n in range(1, len(parts) + 1))
        return name in strict or any(w in strict for w in wildcards)

    below_ui = [
        ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for path in (ROOT / "desktop").rglob("*.py")
        if "ui" not in path.relative_to(ROOT / "desktop").parts[:1]
        and path.name not in ("__main__.py", "app.py")
    ]
    assert [name for name in sorted(below_ui) if not covered(name)] == []
