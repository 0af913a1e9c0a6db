#!/usr/bin/env bash
# Screenshot of Task Desk started from its menu entry after installing the Debian package:
# docs/deb-screenshot.png (or the path given). As root: installs dist/task-desk_*_amd64.deb
# with apt (build it with make deb), launches /usr/share/applications/task-desk.desktop with
# `gio launch` (what GNOME does on a click: its Exec line, from the session's environment)
# under Xvfb against the fake Toggl server, then purges the package again if it installed it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
[ "$(id -u)" = 0 ] || { echo "Installs a system package: run it as root." >&2; exit 1; }
for tool in import gio xvfb-run; do
  command -v "$tool" >/dev/null || {
    echo "needs $tool (apt-get install imagemagick libglib2.0-bin xvfb xauth)" >&2; exit 1; }
done
debs=(dist/task-desk_*_amd64.deb)
[ -f "${debs[0]}" ] || { echo "No package in dist/: build it with make deb." >&2; exit 1; }
out="$(realpath -m "${1:-docs/deb-screenshot.png}")"
installed_here=
if ! dpkg-query -W -f='${Status}' task-desk 2>/dev/null | grep -q 'ok installed'; then
  installed_here=1
fi
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$root/${debs[0]}" >/dev/null
work="$(mktemp -d)"
.venv/bin/python -m tests.fake_toggl --port 0 >"$work/fake.txt" 2>&1 &
fake=$!
cleanup() {
  kill "$fake" 2>/dev/null || true
  rm -rf "$work"
  if [ -n "$installed_here" ]; then
    DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq task-desk >/dev/null
  fi
}
trap cleanup EXIT
for _ in $(seq 50); do [ -s "$work/fake.txt" ] && break; sleep 0.1; done
url="$(head -n 1 "$work/fake.txt")"
unset QT_QPA_PLATFORM TOGGL_API_TOKEN
# The session's environment carries the fake server's URL, a token and a fresh data folder;
# the menu entry itself is used as installed. Task Desk ends with the X server.
xvfb-run -a -s "-screen 0 1024x768x24" sh -c '
  env -i HOME="$2" PATH=/usr/bin:/bin LANG=C.UTF-8 DISPLAY="$DISPLAY" XAUTHORITY="$XAUTHORITY" \
    TOGGL_API_TOKEN=test-token TASK_DESK_API_URL="$3" TASK_DESK_DATA_DIR="$2/data" \
    gio launch /usr/share/applications/task-desk.desktop
  sleep 6   # start, load the lists from the fake server, paint
  import -window root -trim +repage "$1"  # the window, wherever it opened (no window manager)
' sh "$out" "$work" "$url"
echo "wrote $out"
