#!/usr/bin/env bash
# Builds dist/task-desk_<version>_amd64.deb from the PyInstaller bundle dist/TaskDesk (built by
# scripts/dist.sh; `make deb` builds it first when missing), with dpkg-deb alone:
#   /opt/task-desk/                       the bundle
#   /usr/bin/task-desk                    a link to /opt/task-desk/TaskDesk
#   /usr/share/applications/task-desk.desktop, /usr/share/icons/hicolor/*/apps/task-desk.*,
#   /usr/share/metainfo/task-desk.metainfo.xml     from resources/, as `make install` uses them
#   /usr/share/doc/task-desk/{copyright,changelog.gz}, the man page and the lintian overrides
#   (packaging/)
# Depends: comes from the bundle's own shared-library needs (packaging/depends.py). No
# maintainer scripts: dpkg's file triggers (desktop-file-utils, hicolor-icon-theme, man-db)
# refresh the menu, icon and manual caches.
# Then it checks the package with lintian, desktop-file-validate and appstreamcli where they
# are installed (with CI=true they must be), and prints its sizes.
#
#   scripts/deb.sh           build and check the package (`make deb`)
#   scripts/deb.sh install   CI, as root: apt-get install it, check the installed command runs
#                            and give it a user data folder to keep (state in build/deb-ci/)
#   scripts/deb.sh purge     CI, as root: apt-get purge it, then check that no file of it is
#                            left (dpkg's list from install) and the data folder is untouched
#   scripts/deb.sh bare      by hand, as root: install it on a fresh minimal Debian (network)
#   TASK_DESK_PYTHON   a Python 3.11+ to read pyproject.toml with (default: .venv, python3)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bundle="$root/dist/TaskDesk"
resources="$root/resources"

for tool in dpkg-deb dpkg-query objdump ldconfig; do
  command -v "$tool" >/dev/null 2>&1 || PATH="$PATH:/usr/sbin:/sbin"
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "Building the package needs $tool (a Debian or Ubuntu machine with binutils)." >&2
    exit 1
  fi
done
python="${TASK_DESK_PYTHON:-}"
if [ -z "$python" ]; then
  if [ -x "$root/.venv/bin/python" ]; then python="$root/.venv/bin/python"; else python=python3; fi
fi

# 1. The one version, pyproject.toml's, in Debian's spelling (0.2.0rc1 -> 0.2.0~rc1, which
#    sorts before 0.2.0 as PEP 440 has it).
version="$("$python" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')"
deb_version="$(printf '%s' "$version" | sed -E 's/[.-]?(a|b|rc|dev)([0-9]*)/~\1\2/g; s/\+/+local./')"
deb="$root/dist/task-desk_${deb_version}_amd64.deb"
state="$root/build/deb-ci"

# What the data folder holds, to compare before and after the purge: paths, sizes, contents.
snapshot() { (cd "$1" && find . -printf '%y %p %s\n' | sort && find . -type f -exec sha256sum {} + | sort); }

# The window, started from the installed package under Xvfb, maps the system libraries it
# uses (dlopen()ed ones too, which NEEDED does not show): each must come from a package in the
# Depends closure, or a bare system would lack it.
loaded_libraries_are_depended_on() {
  if ! command -v xvfb-run >/dev/null 2>&1; then
    [ "${CI:-}" = true ] && { echo "CI needs xvfb-run for this check." >&2; exit 1; }
    echo "Note: no xvfb-run: the libraries the window loads are not checked."
    return
  fi
  xvfb-run -a sh -c '
    env -i HOME="$1" PATH=/usr/bin:/bin LANG=C.UTF-8 DISPLAY="$DISPLAY" XAUTHORITY="$XAUTHORITY" \
      /usr/bin/task-desk --api-url http://127.0.0.1:9/api/v9 --data-dir "$1/window" &
    app=$!
    for _ in $(seq 100); do  # until Qt has its window system and fonts, then a paint
      grep -q libqxcb "/proc/$app/maps" 2>/dev/null \
        && grep -q libfontconfig "/proc/$app/maps" && break
      sleep 0.2
    done
    sleep 2
    cat "/proc/$app/maps" > "$1/maps"
    kill "$app"
  ' sh "$state/home" 2>/dev/null
  grep -o '/[^ ]*\.so[^ ]*' "$state/home/maps" | grep -v '^/opt/task-desk/' | sort -u \
    > "$state/system-libraries"
  grep -q libqxcb "$state/home/maps" || { echo "The window did not start under Xvfb." >&2; exit 1; }
  "$python" packaging/depends.py --owners "$state/system-libraries" | LC_ALL=C sort -u \
    > "$state/owners"
  apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
    --no-replaces --no-enhances task-desk | grep '^[^ <]' | LC_ALL=C sort -u > "$state/closure"
  local unlisted
  unlisted="$(LC_ALL=C comm -23 "$state/owners" "$state/closure" | paste -sd ' ')"
  if [ -n "$unlisted" ]; then
    echo "The window loads libraries from packages Depends does not bring: $unlisted" >&2
    exit 1
  fi
  echo "The window loads $(wc -l < "$state/system-libraries") system libraries, all from" \
    "packages Depends brings ($(paste -sd ' ' "$state/owners"))."
}

install_package() {
  if [ ! -f "$deb" ]; then
    echo "No package at $deb: build it first with make deb (bash scripts/deb.sh)." >&2
    exit 1
  fi
  rm -rf "$state"
  mkdir -p "$state/home"
  # Folders the package shares with the system (/opt, /usr/share/...) that were there first
  # may stay after the purge.
  dpkg-deb -c "$deb" | awk '{print $6}' | sed -e 's|^\.||' -e 's|/$||' | while IFS= read -r path; do
    if [ -n "$path" ] && [ -d "$path" ]; then echo "$path"; fi
  done > "$state/there-before"
  # Refresh apt's lists only if a dependency is missing (CI's bootstrap already has Qt's).
  if ! apt-get install -y -qq --no-download "$deb" >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$deb" >/dev/null
  fi
  dpkg-query -L task-desk > "$state/files"
  [ "$(readlink -f /usr/bin/task-desk)" = /opt/task-desk/TaskDesk ]
  [ "$(dpkg-query -W -f='${Version}' task-desk)" = "$deb_version" ]
  [ "$(/usr/bin/task-desk --version)" = "Task Desk $version" ]
  # The installed command, run as a user would (its own HOME: default data folder, no flags).
  HOME="$state/home" XDG_DATA_HOME="$state/home/data" QT_QPA_PLATFORM=offscreen \
    /usr/bin/task-desk --self-check
  loaded_libraries_are_depended_on
  data="$state/home/data/TaskDesk"
  [ -d "$data" ] || { echo "--self-check made no data folder at $data" >&2; exit 1; }
  echo "notes the user keeps beside the outbox" > "$data/my-notes.txt"
  snapshot "$data" > "$state/data.before"
  echo "Installed $(basename "$deb"): $(wc -l < "$state/files") paths; /usr/bin/task-desk runs."
}

purge_package() {
  [ -f "$state/files" ] || { echo "Run scripts/deb.sh install first." >&2; exit 1; }
  DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq task-desk >/dev/null
  if dpkg-query -W task-desk >/dev/null 2>&1; then
    echo "task-desk is still known to dpkg after the purge." >&2
    exit 1
  fi
  # Every path the package had is gone, except folders that were there before it or that
  # other packages own.
  left=()
  while IFS= read -r path; do
    [ "$path" = /. ] && continue
    if [ -e "$path" ] || [ -L "$path" ]; then
      if [ -d "$path" ] && [ ! -L "$path" ] && { grep -qxF "$path" "$state/there-before" \
        || dpkg-query -S "$path" >/dev/null 2>&1; }; then
        continue
      fi
      left+=("$path")
    fi
  done < "$state/files"
  [ -e /opt/task-desk ] && left+=("/opt/task-desk (with $(find /opt/task-desk | wc -l) entries)")
  if [ "${#left[@]}" -gt 0 ]; then
    printf 'Left on disk after apt-get purge task-desk: %s\n' "${left[@]}" >&2
    exit 1
  fi
  if ! snapshot "$state/home/data/TaskDesk" | cmp -s - "$state/data.before"; then
    echo "The purge changed the user's data folder:" >&2
    snapshot "$state/home/data/TaskDesk" | diff "$state/data.before" - >&2 || true
    exit 1
  fi
  echo "Purged task-desk: none of its $(wc -l < "$state/files") paths left, /opt/task-desk" \
    "gone, the user's data folder untouched."
  rm -rf "$state"
}

if [ "${1:-build}" != build ] && [ "$(id -u)" != 0 ]; then
  echo "scripts/deb.sh ${1} installs or removes a system package: run it as root (CI does)." >&2
  exit 1
fi
# On a bare system: a minimal Debian (debootstrap minbase, from the network) gets the package
# with apt, i.e. with only what Depends pulls in; then the installed command's self-check and
# ldd over every ELF file of the bundle must find everything. By hand, not in CI (it downloads
# a base system): sudo bash scripts/deb.sh bare [SUITE] (default bookworm).
bare_install() {
  [ -f "$deb" ] || { echo "No package at $deb: build it first with make deb." >&2; exit 1; }
  command -v debootstrap >/dev/null 2>&1 || PATH="$PATH:/usr/sbin:/sbin"
  command -v debootstrap >/dev/null 2>&1 \
    || { echo "needs debootstrap (apt-get install debootstrap)" >&2; exit 1; }
  local bare
  bare="$(mktemp -d /tmp/task-desk-bare.XXXXXX)"
  chmod 755 "$bare"  # apt in the chroot downloads as its _apt user
  # shellcheck disable=SC2064 # expand now: the folder is known
  trap "umount '$bare/proc' 2>/dev/null; rm -rf --one-file-system '$bare'" EXIT
  debootstrap --variant=minbase "${2:-bookworm}" "$bare" http://deb.debian.org/debian >/dev/null
  mount -t proc proc "$bare/proc"
  cp "$deb" "$bare/tmp/"
  chroot "$bare" sh -ec '
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "/tmp/$1" >/dev/null
    env -i HOME=/tmp/home PATH=/usr/bin:/bin LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen \
      /usr/bin/task-desk --self-check
    dirs="$(find /opt/task-desk -name "*.so*" -printf "%h\n" | sort -u | paste -sd:)"
    missing="$(find /opt/task-desk -type f \( -name "*.so*" -o -name TaskDesk \) \
      -exec env LD_LIBRARY_PATH="$dirs" ldd {} + 2>/dev/null | grep "not found" | sort -u)"
    [ -z "$missing" ] || { echo "Libraries missing on a bare system: $missing" >&2; exit 1; }
    echo "On a bare $(. /etc/os-release; echo "$PRETTY_NAME"): installed with" \
      "$(dpkg -l | grep -c "^ii") packages; every library of the bundle found."
  ' sh "$(basename "$deb")"
}

case "${1:-build}" in
  build) ;;
  install) install_package; exit 0 ;;
  purge) purge_package; exit 0 ;;
  bare) bare_install "$@"; exit 0 ;;
  *) echo "usage: scripts/deb.sh [build|install|purge|bare [SUITE]]" >&2; exit 2 ;;
esac

if [ ! -x "$bundle/TaskDesk" ]; then
  echo "No bundle at $bundle: build it first with make dist (bash scripts/dist.sh)." >&2
  exit 1
fi

# The metainfo's release list is the changelog software centres show: its newest release must
# be this version, so a version bump without a release note fails here rather than shipping.
newest="$("$python" - "$resources/task-desk.metainfo.xml" <<'EOF'
import sys
import xml.etree.ElementTree as ET
releases = ET.parse(sys.argv[1]).getroot().findall("releases/release")
print(releases[0].get("version") if releases else "")
EOF
)"
if [ "$newest" != "$version" ]; then
  echo "resources/task-desk.metainfo.xml's newest <release> is '$newest', not $version" \
    "(pyproject.toml): add a <release version=\"$version\" date=\"YYYY-MM-DD\"/> first." >&2
  exit 1
fi

# 2. The tree, staged under build/deb (modes set here: dpkg-deb keeps them; owner root).
stage="$root/build/deb/task-desk"
rm -rf "$root/build/deb"
mkdir -p "$stage/DEBIAN" "$stage/opt" "$stage/usr/bin"
cp -a "$bundle" "$stage/opt/task-desk"
ln -s /opt/task-desk/TaskDesk "$stage/usr/bin/task-desk"
install -D -m 644 "$resources/task-desk.desktop" \
  "$stage/usr/share/applications/task-desk.desktop"
for png in "$resources"/icons/task-desk-*.png; do
  size="$(basename "$png" .png)"
  size="${size#task-desk-}"
  install -D -m 644 "$png" "$stage/usr/share/icons/hicolor/${size}x${size}/apps/task-desk.png"
done
install -D -m 644 "$resources/icon.svg" "$stage/usr/share/icons/hicolor/scalable/apps/task-desk.svg"
install -D -m 644 "$resources/task-desk.metainfo.xml" \
  "$stage/usr/share/metainfo/task-desk.metainfo.xml"
doc="$stage/usr/share/doc/task-desk"
install -D -m 644 packaging/copyright "$doc/copyright"
install -d -m 755 "$stage/usr/share/man/man1"
gzip -9n < packaging/task-desk.1 > "$stage/usr/share/man/man1/task-desk.1.gz"
install -D -m 644 packaging/lintian-overrides "$stage/usr/share/lintian/overrides/task-desk"
maintainer="$(sed -n 's/^Maintainer: //p' packaging/control)"
when="$(git log -1 --format=%ct 2>/dev/null || date +%s)"
printf 'task-desk (%s) unstable; urgency=medium\n\n  * Task Desk %s: see the project history for the changes.\n\n -- %s  %s\n' \
  "$deb_version" "$version" "$maintainer" "$(date -u -R -d "@$when")" \
  | gzip -9n > "$doc/changelog.gz"
chmod 644 "$doc/changelog.gz"
# Only the executable keeps x; libraries and data are 644 (lintian checks both).
find "$stage" -type d -exec chmod 755 {} +
find "$stage/opt" -type f -exec chmod 644 {} +
chmod 755 "$stage/opt/task-desk/TaskDesk"

# 3. Control file: Depends from the bundle's shared-library needs, Installed-Size in KiB.
depends="$("$python" packaging/depends.py "$stage/opt/task-desk")"
installed_kib="$(du -sk --exclude=DEBIAN "$stage" | cut -f1)"
sed -e "s|@VERSION@|$deb_version|" -e "s|@DEPENDS@|$depends|" \
  -e "s|@INSTALLED_SIZE@|$installed_kib|" packaging/control > "$stage/DEBIAN/control"
# md5sums: what `dpkg --verify task-desk` compares the installed files with.
(cd "$stage" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z \
  | xargs -0 md5sum) > "$stage/DEBIAN/md5sums"
chmod 644 "$stage/DEBIAN/control" "$stage/DEBIAN/md5sums"

rm -f "$root"/dist/task-desk_*_amd64.deb
SOURCE_DATE_EPOCH="$when" dpkg-deb --root-owner-group -Zxz --build "$stage" "$deb" >/dev/null
rm -rf "$root/build/deb"

# 4. Checks: each tool that is missing is skipped, except in CI.
missing=()
checked() { command -v "$1" >/dev/null 2>&1 || { missing+=("$1"); return 1; }; }
if checked desktop-file-validate; then
  desktop-file-validate "$resources/task-desk.desktop"
fi
if checked appstreamcli; then
  # The id task-desk is not reverse-DNS, on purpose (resources/task-desk.metainfo.xml says
  # why): that one warning is shown as information; any other fails.
  appstreamcli validate --no-net --override=cid-desktopapp-is-not-rdns=info \
    "$resources/task-desk.metainfo.xml"
fi
if checked lintian; then
  echo "== lintian $(basename "$deb")"
  lintian --fail-on error,warning "$deb"
fi
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "${CI:-}" = true ]; then
    echo "CI checks the package with ${missing[*]}: install them (scripts/bootstrap.sh test)." >&2
    exit 1
  fi
  echo "Note: not checked with ${missing[*]} (apt-get install lintian desktop-file-utils appstream)."
fi

# The budgets of issue #15 (docs/packaging.md), in MiB rounded up.
deb_mb="$(( ($(stat -c %s "$deb") + 1048575) / 1048576 ))"
installed_mb="$(( (installed_kib + 1023) / 1024 ))"
echo "Built $deb: $deb_mb MB, $installed_mb MB installed."
if [ "$deb_mb" -gt 60 ] || [ "$installed_mb" -gt 130 ]; then
  echo "Over budget: the package may be 60 MB and 130 MB installed (see docs/packaging.md)." >&2
  exit 1
fi
echo "Depends: $depends"
echo "Install it with: sudo apt install $deb"
