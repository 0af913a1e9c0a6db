#!/usr/bin/env bash
# Builds the stand-alone Task Desk bundle dist/TaskDesk (one folder, run dist/TaskDesk/TaskDesk)
# with PyInstaller and build.spec, in the project's .venv; on Linux it then runs the bundle's
# --self-check and holds it to the size budget (SIZE_BUDGET_MB in scripts/bundle_contents.py).
# Used by `make dist`, scripts/test.sh in CI and .github/workflows/build.yml.
#   TASK_DESK_PYTHON   build with this interpreter (Task Desk and its dependencies installed
#                      in it) instead of setting up .venv: the GitHub workflow's way, on
#                      every OS.
#   TASK_DESK_MAX_MB   another size limit in MB: a bigger bundle fails the build, since it
#                      means build.spec let unused Qt plugins or libraries through.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

python="${TASK_DESK_PYTHON:-}"
if [ -z "$python" ]; then
  bash scripts/bootstrap.sh run
  python="$root/.venv/bin/python"
fi
limit="${TASK_DESK_MAX_MB:-$("$python" scripts/bundle_contents.py budget)}"

if [ "$(uname -s)" = Linux ] && ! command -v objdump >/dev/null 2>&1; then
  echo "PyInstaller and build.spec need objdump and strip (binutils);" \
    "on Debian/Ubuntu: apt-get install binutils" >&2
  exit 1
fi

pyinstaller_ok='import sys, PyInstaller
v = tuple(int(p) for p in PyInstaller.__version__.split(".")[:2])
sys.exit(not (6, 10) <= v < (7, 0))'
if ! "$python" -c "$pyinstaller_ok" >/dev/null 2>&1; then
  echo "Installing PyInstaller"
  "$python" -m pip install --quiet --disable-pip-version-check 'pyinstaller>=6.10,<7'
fi

"$python" -m PyInstaller --noconfirm --clean build.spec

bundle="$root/dist/TaskDesk"
if [ "$(uname -s)" != Linux ]; then
  # The Windows and macOS bundles are checked by hand (docs/packaging.md); the budget and the
  # self-check are Linux figures.
  du -sh "$bundle"
  exit 0
fi
exe="$bundle/TaskDesk"
if [ ! -x "$exe" ]; then
  echo "PyInstaller finished but $exe is missing." >&2
  exit 1
fi
# The bundle must start and find what it needs (offscreen: no display needed), in a data
# folder of its own so that the build leaves nothing in the user's.
check_dir="$(mktemp -d)"
trap 'rm -rf "$check_dir"' EXIT
QT_QPA_PLATFORM=offscreen "$exe" --self-check --data-dir "$check_dir/data"

du -sh "$bundle"
size_mb="$(du -sm "$bundle" | cut -f1)"
if [ "$size_mb" -gt "$limit" ]; then
  echo "The bundle is $size_mb MB, over the $limit MB limit: see what build.spec lets through" >&2
  echo "(TASK_DESK_SPEC_VERBOSE=1 lists what it drops;" \
    "du -a $bundle | sort -n | tail shows what is left)." >&2
  exit 1
fi
echo "Built $exe ($size_mb MB, budget $limit MB). Install it for this user with: make install"
