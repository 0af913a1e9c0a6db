#!/usr/bin/env bash
# Regenerates the README's screenshots under Xvfb, against the fake Toggl server:
# docs/screenshot.png (light), docs/screenshot-dark.png, docs/screenshot-outbox.png (a refused
# and a waiting task), docs/screenshot-bulk.png (the bulk dialog), docs/screenshot-tasks.png (a
# project's tasks: open, done and pending) and docs/screenshot-2x.png (the whole 1366x768 screen
# at 2x scale). The scene tasks-dark is there to check the dark palette.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/bootstrap.sh" test
cd "$root"
unset QT_QPA_PLATFORM TOGGL_API_TOKEN QT_SCALE_FACTOR
shoot() { xvfb-run -a -s "-screen 0 $1x24" .venv/bin/python scripts/screenshot.py "${@:2}"; }
shoot 1280x900 light
shoot 1280x900 dark
shoot 1280x900 outbox
shoot 1280x900 bulk
shoot 1280x900 tasks
QT_SCALE_FACTOR=2 shoot 1366x768 screen
