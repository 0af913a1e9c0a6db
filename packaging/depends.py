"""The Debian `Depends:` of the Task Desk package, derived from the bundle's own needs.

    python packaging/depends.py dist/TaskDesk      prints e.g. "libc6 (>= 2.34), libegl1, ..."
    python packaging/depends.py --owners FILE      the packages owning the paths listed in FILE

Every ELF file in the bundle names the shared libraries it needs (NEEDED, from `objdump -p`).
Those the bundle carries itself are left out; each other one is looked up where the build
machine's dynamic loader finds it (`ldconfig -p`) and mapped to the package that ships that
file (`dpkg -S`). libc6 gets the newest GLIBC_x.y symbol version the bundle asks for as its
minimum. A library the system does not have, or no package owns, fails the build: a guess
would make a package that installs and then does not start.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ELF_MAGIC = b"\x7fELF"
NEEDED = re.compile(r"^\s*NEEDED\s+(\S+)", re.M)
GLIBC_VERSION = re.compile(r"\bGLIBC_(\d+(?:\.\d+)+)\b")
LDCONFIG_LINE = re.compile(r"^\s*(\S+)\s+\(([^)]*)\)\s+=>\s+(\S+)")


class DependsError(Exception):
    """A library the bundle needs that cannot be traced to a Debian package."""


def elf_files(bundle: Path) -> list[Path]:
    """Regular files in the bundle that start with the ELF magic (libraries, the executable)."""
    found = []
    for path in sorted(bundle.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as f:
                if f.read(4) == ELF_MAGIC:
                    found.append(path)
    return found


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """One of the build tools (objdump, ldconfig, dpkg-query) from PATH, as the shell would."""
    return subprocess.run(args, capture_output=True, text=True, check=False)  # noqa: S603


def needs(elf: Path) -> tuple[set[str], set[str]]:
    """The sonames an ELF file needs, and the GLIBC symbol versions it asks for."""
    done = run("objdump", "-p", str(elf))
    if done.returncode != 0:
        raise DependsError(f"objdump cannot read {elf}: {done.stderr.strip()}")
    out = done.stdout
    return set(NEEDED.findall(out)), set(GLIBC_VERSION.findall(out))


def loader_paths() -> dict[str, str]:
    """soname -> path of the 64-bit x86 copy the system's loader would use."""
    out = run("ldconfig", "-p").stdout
    paths: dict[str, str] = {}
    for line in out.splitlines():
        m = LDCONFIG_LINE.match(line)
        if m and "x86-64" in m.group(2):
            paths.setdefault(m.group(1), m.group(3))
    return paths


def owning_package(path: str) -> str | None:
    """The package that ships `path`, trying its /usr-merged twin and the resolved file too."""
    candidates = [path, str(Path(path).resolve())]
    for p in list(candidates):
        if p.startswith("/usr/lib/"):
            candidates.append(p.removeprefix("/usr"))
        elif p.startswith("/lib/"):
            candidates.append("/usr" + p)
    for p in dict.fromkeys(candidates):
        r = run("dpkg-query", "-S", p)
        if r.returncode == 0:
            # "libfoo1:amd64: /usr/lib/x86_64-linux-gnu/libfoo.so.1" (diversions aside)
            for line in r.stdout.splitlines():
                if not line.startswith("diversion "):
                    return line.split(":", 1)[0].split(",")[0].strip()
    return None


def version_key(v: str) -> tuple[int, ...]:
    return tuple(int(p) for p in v.split("."))


def depends(bundle: Path) -> str:
    """The Depends: field's value for the bundle, sorted, one entry per package."""
    files = elf_files(bundle)
    provided = {p.name for p in bundle.rglob("*")}
    needed: set[str] = set()
    glibc: set[str] = set()
    for elf in files:
        sonames, versions = needs(elf)
        needed |= sonames
        glibc |= versions
    missing = sorted(needed - provided)
    paths = loader_paths()
    packages: set[str] = set()
    problems = []
    for soname in missing:
        path = paths.get(soname)
        package = owning_package(path) if path else None
        if package is None:
            problems.append(f"{soname} ({'not installed' if not path else path + ': no package'})")
        else:
            packages.add(package)
    if problems:
        raise DependsError(
            "The bundle needs libraries this machine cannot trace to a Debian package: "
            + ", ".join(problems)
        )
    entries = []
    for package in sorted(packages):
        if package == "libc6" and glibc:
            entries.append(f"libc6 (>= {max(glibc, key=version_key)})")
        else:
            entries.append(package)
    return ", ".join(entries)


def owners(paths: list[str]) -> list[str]:
    """The packages owning these files (e.g. what a running Task Desk mapped from the system:
    scripts/deb.sh checks they all are in the Depends closure, dlopen()ed ones included)."""
    found = set()
    for path in paths:
        package = owning_package(path)
        if package is None:
            raise DependsError(f"No package owns {path}.")
        found.add(package)
    return sorted(found)


def main(argv: list[str]) -> int:
    if len(argv) == 3 and argv[1] == "--owners":
        try:
            print("\n".join(owners(Path(argv[2]).read_text().split())))
        except DependsError as e:
            print(e, file=sys.stderr)
            return 1
        return 0
    if len(argv) != 2:
        print("usage: depends.py BUNDLE_DIR | --owners FILE", file=sys.stderr)
        return 2
    try:
        print(depends(Path(argv[1])))
    except DependsError as e:
        print(e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
