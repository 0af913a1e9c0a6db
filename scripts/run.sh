#!/usr/bin/env bash
# Installs everything Task Desk needs, then starts it. Extra arguments go to the app.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/bootstrap.sh" run
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ] \
  && [ "$(uname)" = Linux ]; then
  echo "No display found: starting offscreen (run it under xvfb-run or a desktop to see it)."
  export QT_QPA_PLATFORM=offscreen
fi
cd "$root"
exec "$root/.venv/bin/python" -m desktop "$@"
