"""One version, pyproject.toml's: what desktop.__version__ (--version, Help ▸ About, the
Debian package, the metainfo check in scripts/deb.sh) is read from, in a checkout and frozen.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from desktop import __version__

ROOT = Path(__file__).resolve().parents[2]


def version_in(tree: Path) -> str:
    """desktop.__version__ as a fresh interpreter sees it with only `tree` on its path."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(tree)
    return subprocess.run(
        [sys.executable, "-c", "import desktop; print(desktop.__version__)"],
        cwd=tree, env=env, capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip


def copy_package(tree: Path) -> None:
    (tree / "desktop").mkdir(parents=True)
    shutil.copy(ROOT / "desktop" / "__init__.py", tree / "desktop" / "__init__.py")


def test_the_version_is_pyprojects() -> None:
    with (ROOT / "pyproject.toml").open("rb") as f:
        assert __version__ == tomllib.load(f)["project"]["version"]


def test_a_checkout_reads_its_own_pyproject(tmp_path: Path) -> None:
    copy_package(tmp_path)
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "task-desk"\nversion = "9.8.7"\n')
    assert version_in(tmp_path) == "9.8.7"


def test_without_a_checkout_the_installed_metadata_speaks(tmp_path: Path) -> None:
    # As in the frozen bundle: no pyproject.toml beside the package (or another project's).
    copy_package(tmp_path)
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "other"\nversion = "1.2.3"\n')
    assert version_in(tmp_path) == metadata.version("task-desk")


def test_a_frozen_bundle_reads_the_metadata_pyinstaller_copied(tmp_path: Path) -> None:
    import desktop

    info = tmp_path / "task_desk-4.5.6.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: task-desk\nVersion: 4.5.6\n")
    (tmp_path / "task_desk_other.txt").write_text("not a dist-info")
    assert desktop._from_bundle(str(tmp_path)) == "4.5.6"
    assert desktop._from_bundle(str(tmp_path / "missing")) is None


def test_a_bundle_built_from_an_editable_install_has_an_egg_info(tmp_path: Path) -> None:
    import desktop

    info = tmp_path / "task_desk.egg-info"
    info.mkdir()
    (info / "PKG-INFO").write_text("Metadata-Version: 2.1\nName: task-desk\nVersion: 7.0.1\n")
    (tmp_path / "other_app.egg-info").mkdir()
    assert desktop._from_bundle(str(tmp_path)) == "7.0.1"


def test_the_version_is_read_without_the_costly_modules() -> None:
    # tomllib and importlib.metadata cost ~30 ms of every start before the first paint.
    costly = "{'tomllib', 'importlib.metadata'}"
    code = f"import sys, desktop; print(sorted({costly} & set(sys.modules)))"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                         text=True, check=True).stdout.strip()  # fmt: skip
    assert out == "[]"
