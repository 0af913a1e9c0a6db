#!/usr/bin/env bash
# Regenerates docs/screenshot.png: the app under Xvfb, a task created on the fake Toggl server.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/bootstrap.sh" test
cd "$root"
unset QT_QPA_PLATFORM TOGGL_API_TOKEN
xvfb-run -a -s "-screen 0 1280x900x24" .venv/bin/python scripts/screenshot.py "$@"
