#!/usr/bin/env bash
# Installs the built bundle (dist/TaskDesk, from scripts/dist.sh) for the current user on Linux:
#   ~/.local/opt/task-desk/                      the bundle
#   ~/.local/bin/task-desk                       a symlink to ~/.local/opt/task-desk/TaskDesk
#   $XDG_DATA_HOME/applications/task-desk.desktop            the menu entry
#   $XDG_DATA_HOME/icons/hicolor/<N>x<N>/apps/task-desk.png  the icon, and scalable/…svg
#   $XDG_DATA_HOME/metainfo/task-desk.metainfo.xml           AppStream data (software centres)
# ($XDG_DATA_HOME defaults to ~/.local/share.) Running it again upgrades in place;
# scripts/uninstall.sh removes exactly these files.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bundle="$root/dist/TaskDesk"
resources="$root/resources"

if [ "$(uname -s)" != Linux ]; then
  echo "scripts/install.sh installs for Linux desktops only." >&2
  exit 1
fi
if [ ! -x "$bundle/TaskDesk" ]; then
  echo "No bundle at $bundle: build it first with make dist (bash scripts/dist.sh)." >&2
  exit 1
fi
: "${HOME:?HOME is not set}"
data="${XDG_DATA_HOME:-}"
case "$data" in /*) ;; *) data="$HOME/.local/share" ;; esac  # the spec ignores relative paths
opt="$HOME/.local/opt/task-desk"
bindir="$HOME/.local/bin"
exe="$opt/TaskDesk"

# 1. The bundle: copied next to the old one, then swapped in, so a failed copy leaves the
#    previous install working. A running Task Desk keeps its open files until it quits.
mkdir -p "$(dirname "$opt")"
staging="$opt.new.$$"
old="$opt.old.$$"
trap 'rm -rf "$staging" "$old"' EXIT
cp -a "$bundle" "$staging"
if [ -e "$opt" ]; then
  mv "$opt" "$old"
fi
mv "$staging" "$opt"
rm -rf "$old"

# 2. The command.
mkdir -p "$bindir"
if [ -e "$bindir/task-desk" ] && [ ! -L "$bindir/task-desk" ]; then
  echo "Note: $bindir/task-desk exists and is not a link to Task Desk (a pip install?);" \
    "left as is. The menu entry uses $exe directly." >&2
else
  ln -sfn "$exe" "$bindir/task-desk"
fi

# 3. Menu entry, with Exec/TryExec pointing at the installed binary, escaped as the Desktop
#    Entry spec asks (a path with spaces etc. is quoted; % doubled; backslashes doubled).
escape_sed() { printf '%s' "$1" | sed -e 's/[\\|&]/\\&/g'; }
desktop_exec_arg() {
  local s="$1"
  case "$s" in
    *[[:space:]\"\'\\\>\<~\|\&\;\$\*\?\#\(\)\`]*)
      s="${s//\\/\\\\}"; s="${s//\"/\\\"}"; s="${s//\`/\\\`}"; s="${s//\$/\\\$}"
      s="\"$s\""
      ;;
  esac
  s="${s//\\/\\\\}"
  printf '%s' "${s//%/%%}"
}
exec_path="$(desktop_exec_arg "$exe")"
tryexec_path="${exe//\\/\\\\}"
mkdir -p "$data/applications"
sed -E \
  -e "s|^Exec=[^ ]+|Exec=$(escape_sed "$exec_path")|" \
  -e "s|^TryExec=.*|TryExec=$(escape_sed "$tryexec_path")|" \
  "$resources/task-desk.desktop" > "$data/applications/task-desk.desktop.new.$$"
chmod 644 "$data/applications/task-desk.desktop.new.$$"
mv "$data/applications/task-desk.desktop.new.$$" "$data/applications/task-desk.desktop"

# 4. Icons and AppStream metadata.
icons="$data/icons/hicolor"
for png in "$resources"/icons/task-desk-*.png; do
  [ -e "$png" ] || continue
  size="$(basename "$png" .png)"
  size="${size#task-desk-}"
  install -D -m 644 "$png" "$icons/${size}x${size}/apps/task-desk.png"
done
install -D -m 644 "$resources/icon.svg" "$icons/scalable/apps/task-desk.svg"
install -D -m 644 "$resources/task-desk.metainfo.xml" "$data/metainfo/task-desk.metainfo.xml"

# 5. Caches, where the tools exist; failures do not matter (menus rescan on their own).
#    Only caches that already exist are refreshed: creating one in the user's folders would
#    leave a file behind that uninstall.sh cannot tell is ours, and a stale icon cache would
#    hide icons other programs add later without updating it. (The MIME cache is no concern
#    of ours anyway: task-desk.desktop declares no MimeType.)
if [ -f "$data/applications/mimeinfo.cache" ] \
  && command -v update-desktop-database >/dev/null 2>&1; then
  update-desktop-database -q "$data/applications" 2>/dev/null || true
fi
touch "$icons" 2>/dev/null || true  # a newer folder tells GTK its icon cache is stale
if [ -f "$icons/icon-theme.cache" ] && command -v gtk-update-icon-cache >/dev/null 2>&1; then
  gtk-update-icon-cache -q -t -f "$icons" 2>/dev/null || true
fi

echo "Installed Task Desk $("$exe" --version 2>/dev/null | sed 's/^Task Desk //') to $opt"
case ":${PATH:-}:" in
  *":$bindir:"*) echo "Start it from your applications menu or with: task-desk" ;;
  *) echo "Start it from your applications menu or with: $exe" \
       "($bindir is not on your PATH)" ;;
esac
