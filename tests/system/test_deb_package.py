"""The Debian package (`make deb`, scripts/deb.sh): its control fields and file list.

Reads dist/task-desk_<version>_amd64.deb with dpkg-deb; skipped when it has not been built
(CI builds it before the suite, installs it and runs the frozen tests from /usr/bin/task-desk).
Also the Depends derivation (packaging/depends.py) on a small bundle made of system libraries.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
from pathlib import Path
from types import ModuleType

import pytest

from desktop import __version__

ROOT = Path(__file__).resolve().parents[2]
DEB_VERSION = re.sub(r"[.-]?(a|b|rc|dev)(\d*)", r"~\1\2", __version__).replace("+", "+local.")
DEB = ROOT / "dist" / f"task-desk_{DEB_VERSION}_amd64.deb"
ICON_SIZES = sorted(
    int(p.stem.removeprefix("task-desk-")) for p in (ROOT / "resources" / "icons").glob("*.png")
)

needs_deb = pytest.mark.skipif(
    not DEB.is_file() or not shutil.which("dpkg-deb"),
    reason=f"no {DEB.name}: build it with `make deb` (CI does)",
)


def dpkg_deb(*args: str) -> str:
    return subprocess.run(["dpkg-deb", *args], capture_output=True, text=True, check=True).stdout


def load_depends() -> ModuleType:
    """packaging/depends.py by path: `packaging` is also the name of a PyPI library."""
    spec = importlib.util.spec_from_file_location("deb_depends", ROOT / "packaging" / "depends.py")
    assert spec
    assert spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def contents() -> dict[str, str]:
    """Path in the package -> its `ls -l`-style line from `dpkg-deb -c`."""
    listing = {}
    for line in dpkg_deb("-c", str(DEB)).splitlines():
        path = line.split(None, 5)[5].split(" -> ")[0].removeprefix(".").rstrip("/")
        listing[path or "/"] = line
    return listing


@needs_deb
def test_control_fields_come_from_pyproject_and_the_bundle() -> None:
    field = {name: dpkg_deb("-f", str(DEB), name).strip() for name in (
        "Package", "Version", "Architecture", "Depends", "Installed-Size", "Maintainer",
    )}  # fmt: skip
    assert field["Package"] == "task-desk"
    assert field["Version"] == DEB_VERSION
    assert field["Architecture"] == "amd64"
    assert field["Maintainer"]
    depends = [d.split(" (")[0] for d in field["Depends"].split(", ")]
    assert depends == sorted(depends)
    assert len(set(depends)) == len(depends)
    # What the bundled Qt and Python take from the system, not what the bundle carries.
    for package in ("libc6", "libfontconfig1", "libfreetype6", "libglib2.0-0", "libxcb1"):
        assert package in depends, field["Depends"]
    assert re.search(r"\blibc6 \(>= 2\.\d+\)", field["Depends"]), field["Depends"]
    for bundled in ("libpython", "libqt6", "libpyside", "libssl", "libsqlite3", "libdbus"):
        assert not any(d.startswith(bundled) for d in depends), field["Depends"]
    assert int(field["Installed-Size"]) <= 130 * 1024  # KiB: the 130 MB budget
    assert DEB.stat().st_size <= 60 * 1024 * 1024


@needs_deb
def test_no_maintainer_scripts() -> None:
    members = subprocess.run(
        f"dpkg-deb --ctrl-tarfile '{DEB}' | tar -t", shell=True,
        capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    assert sorted(m.removeprefix("./") for m in members if m != "./") == ["control", "md5sums"]


@needs_deb
def test_files_are_where_a_desktop_looks(contents: dict[str, str]) -> None:
    assert contents["/opt/task-desk/TaskDesk"].startswith("-rwxr-xr-x root/root")
    assert "/usr/bin/task-desk -> /opt/task-desk/TaskDesk" in contents["/usr/bin/task-desk"]
    expected = [
        "/usr/share/applications/task-desk.desktop",
        "/usr/share/metainfo/task-desk.metainfo.xml",
        "/usr/share/icons/hicolor/scalable/apps/task-desk.svg",
        "/usr/share/doc/task-desk/copyright",
        "/usr/share/doc/task-desk/changelog.gz",
        "/usr/share/man/man1/task-desk.1.gz",
        "/usr/share/lintian/overrides/task-desk",
    ] + [f"/usr/share/icons/hicolor/{n}x{n}/apps/task-desk.png" for n in ICON_SIZES]
    assert len(ICON_SIZES) >= 6
    for path in expected:
        assert contents[path].startswith("-rw-r--r-- root/root"), path
    ours = ("/opt/task-desk", "/usr/share/", "/usr/bin")
    outside = {p for p in contents if not p.startswith(ours)}
    assert outside <= {"/", "/opt", "/usr", "/usr/share"}, outside
    # Everything is root's, and nothing but the bundle's executable and folders is executable.
    assert all(" root/root " in line for line in contents.values())
    executables = {p for p, line in contents.items() if line[0] == "-" and "x" in line[:10]}
    assert executables == {"/opt/task-desk/TaskDesk"}


@needs_deb
def test_menu_entry_starts_the_installed_command(tmp_path: Path) -> None:
    subprocess.run(["dpkg-deb", "-x", str(DEB), str(tmp_path)], check=True)
    entry = (tmp_path / "usr/share/applications/task-desk.desktop").read_text()
    exec_line = re.search(r"^Exec=(\S+)", entry, re.M)
    assert exec_line
    assert exec_line.group(1) in ("task-desk", "/usr/bin/task-desk")
    metainfo = (tmp_path / "usr/share/metainfo/task-desk.metainfo.xml").read_text()
    assert f'<release version="{__version__}"' in metainfo  # the newest comes first
    assert metainfo.index(f'<release version="{__version__}"') == metainfo.index("<release ")


@pytest.mark.skipif(not shutil.which("dpkg-query") or not shutil.which("objdump"),
                    reason="needs a Debian system with binutils")  # fmt: skip
def test_depends_leaves_out_what_the_bundle_carries(tmp_path: Path) -> None:
    depends = load_depends()
    system = depends.loader_paths()
    if "libpng16.so.16" not in system:
        pytest.skip("no libpng16 on this system to build a bundle from")
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    shutil.copy(system["libpng16.so.16"], bundle / "libpng16.so.16")
    # libpng needs zlib and libc from the system; libc6 gets the newest GLIBC version asked.
    found = depends.depends(bundle).split(", ")
    assert "zlib1g" in found
    assert any(re.fullmatch(r"libc6 \(>= 2\.\d+\)", d) for d in found), found
    assert "libpng16-16" not in found  # the bundle carries it
    # Carried by the bundle too, zlib is no dependency any more.
    shutil.copy(system["libz.so.1"], bundle / "libz.so.1")
    assert "zlib1g" not in depends.depends(bundle).split(", ")


@pytest.mark.skipif(not shutil.which("dpkg-query"), reason="needs a Debian system")
def test_owners_names_the_package_of_each_file_and_refuses_strays(tmp_path: Path) -> None:
    depends = load_depends()
    system = depends.loader_paths()
    assert depends.owners([system["libz.so.1"], system["libc.so.6"]]) == ["libc6", "zlib1g"]
    stray = tmp_path / "libstray.so.1"
    stray.write_bytes(b"")
    with pytest.raises(depends.DependsError, match="No package owns"):
        depends.owners([str(stray)])
