#!/usr/bin/env bash
# Builds the stand-alone Task Desk bundle dist/TaskDesk (one folder, run dist/TaskDesk/TaskDesk)
# with PyInstaller and build.spec, in the project's .venv.
#   TASK_DESK_MAX_MB   size limit in MB (default 130): a bigger bundle fails the build, since
#                      it means build.spec let unused Qt plugins or libraries through.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
limit="${TASK_DESK_MAX_MB:-130}"

bash scripts/bootstrap.sh run
venv="$root/.venv"

if [ "$(uname -s)" = Linux ] && ! command -v objdump >/dev/null 2>&1; then
  echo "PyInstaller and build.spec need objdump and strip (binutils);" \
    "on Debian/Ubuntu: apt-get install binutils" >&2
  exit 1
fi

pyinstaller_ok='import sys, PyInstaller
v = tuple(int(p) for p in PyInstaller.__version__.split(".")[:2])
sys.exit(not (6, 10) <= v < (7, 0))'
if ! "$venv/bin/python" -c "$pyinstaller_ok" >/dev/null 2>&1; then
  echo "Installing PyInstaller into .venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check 'pyinstaller>=6.10,<7'
fi

"$venv/bin/pyinstaller" --noconfirm --clean build.spec

bundle="$root/dist/TaskDesk"
exe="$bundle/TaskDesk"
if [ ! -x "$exe" ]; then
  echo "PyInstaller finished but $exe is missing." >&2
  exit 1
fi
# The bundle must at least start (offscreen: no display needed for --version).
QT_QPA_PLATFORM=offscreen "$exe" --version

du -sh "$bundle"
size_mb="$(du -sm "$bundle" | cut -f1)"
if [ "$size_mb" -gt "$limit" ]; then
  echo "The bundle is $size_mb MB, over the $limit MB limit: see what build.spec lets through" >&2
  echo "(TASK_DESK_SPEC_VERBOSE=1 lists what it drops;" \
    "du -a $bundle | sort -n | tail shows what is left)." >&2
  exit 1
fi
echo "Built $exe ($size_mb MB). Install it for this user with: make install"
