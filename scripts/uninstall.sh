#!/usr/bin/env bash
# Removes what scripts/install.sh installed for the current user, and nothing else: your
# tasks, settings and cache (the data folder) and the token in the system keychain stay.
set -euo pipefail
: "${HOME:?HOME is not set}"
data="${XDG_DATA_HOME:-}"
case "$data" in /*) ;; *) data="$HOME/.local/share" ;; esac
opt="$HOME/.local/opt/task-desk"
link="$HOME/.local/bin/task-desk"
icons="$data/icons/hicolor"

removed=0
remove() {
  if [ -e "$1" ] || [ -L "$1" ]; then
    rm -rf -- "$1"
    echo "removed $1"
    removed=$((removed + 1))
  fi
}

# The command only if it is our link (a pip-installed task-desk script is not ours).
if [ -L "$link" ] && [ "$(readlink "$link")" = "$opt/TaskDesk" ]; then
  remove "$link"
fi
remove "$opt"
remove "$data/applications/task-desk.desktop"
remove "$data/metainfo/task-desk.metainfo.xml"
for icon in "$icons"/*/apps/task-desk.png "$icons"/*/apps/task-desk.svg; do
  remove "$icon"
done

if [ -f "$data/applications/mimeinfo.cache" ] \
  && command -v update-desktop-database >/dev/null 2>&1; then
  update-desktop-database -q "$data/applications" 2>/dev/null || true
fi
if [ -d "$icons" ]; then
  touch "$icons" 2>/dev/null || true
  if [ -f "$icons/icon-theme.cache" ] && command -v gtk-update-icon-cache >/dev/null 2>&1; then
    gtk-update-icon-cache -q -t -f "$icons" 2>/dev/null || true
  fi
fi

if [ "$removed" = 0 ]; then
  echo "Task Desk was not installed for $(id -un 2>/dev/null || echo this user)."
else
  echo "Task Desk is uninstalled. Your data folder (${data}/TaskDesk unless you chose another)" \
    "and the token in your keychain were kept."
fi
