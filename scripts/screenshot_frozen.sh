#!/usr/bin/env bash
# Screenshot of the frozen bundle's window under Xvfb, against the fake Toggl server:
# docs/frozen-screenshot.png (or the path given). Builds the bundle first if it is missing.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/bootstrap.sh test
[ -x dist/TaskDesk/TaskDesk ] || bash scripts/dist.sh
command -v import >/dev/null || { echo "needs ImageMagick's import (apt-get install imagemagick)" >&2; exit 1; }
out="$(realpath -m "${1:-docs/frozen-screenshot.png}")"
work="$(mktemp -d)"
.venv/bin/python -m tests.fake_toggl --port 0 >"$work/fake.txt" 2>&1 &
fake=$!
trap 'kill "$fake" 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do [ -s "$work/fake.txt" ] && break; sleep 0.1; done
url="$(head -n 1 "$work/fake.txt")"
unset QT_QPA_PLATFORM TOGGL_API_TOKEN
xvfb-run -a -s "-screen 0 1024x768x24" sh -c '
  TOGGL_API_TOKEN=test-token "$1" --api-url "$2" --data-dir "$3" &
  app=$!
  sleep 6   # start, load the lists from the fake server, paint
  import -window root -crop 600x620+0+0 +repage "$4"
  kill "$app"
' sh "$root/dist/TaskDesk/TaskDesk" "$url" "$work/data" "$out"
echo "wrote $out"
