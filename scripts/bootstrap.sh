#!/usr/bin/env bash
# Installs what Task Desk needs, then leaves a ready virtual environment in .venv.
#   scripts/bootstrap.sh run    system libraries Qt needs, Python packages
#   scripts/bootstrap.sh test   the above plus what the tests use (D-Bus, gnome-keyring, Xvfb, Node)
# System packages are installed only when run as root on Debian/Ubuntu and only if missing;
# otherwise the missing ones are listed so you can install them yourself.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
purpose="${1:-run}"

qt_packages=(libgl1 libegl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libfreetype6
  libdbus-1-3 libglib2.0-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0
  libxcb-render-util0 libxcb-image0 libxcb-randr0 libxcb-xinerama0 libxcb-xkb1 fonts-dejavu-core)
# lintian, desktop-file-utils and appstream check the Debian package CI builds (scripts/deb.sh).
test_packages=(dbus dbus-x11 gnome-keyring xvfb xauth binutils lintian desktop-file-utils appstream)
packages=("${qt_packages[@]}")
if [ "$purpose" = test ]; then
  packages+=("${test_packages[@]}")
  command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
fi

if command -v dpkg >/dev/null 2>&1; then
  missing=()
  for package in "${packages[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "Installing system packages: ${missing[*]}"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
    else
      echo "Note: these system packages are missing; install them if Qt or the tests fail:"
      echo "  sudo apt-get install ${missing[*]}"
    fi
  fi
fi

python="${PYTHON:-python3}"
"$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
  echo "Task Desk needs Python 3.11 or newer ($python is $("$python" --version 2>&1))." >&2
  exit 1
}
venv="$root/.venv"
if ! "$venv/bin/python" -m pip --version >/dev/null 2>&1; then
  rm -rf "$venv"  # missing, or half-made by an earlier failed attempt
  "$python" -m venv "$venv" || {
    rm -rf "$venv"
    echo "Could not create a virtual environment; on Debian/Ubuntu: apt-get install python3-venv" >&2
    exit 1
  }
fi
# Reinstall only when the dependency list changed.
stamp="$venv/.installed-$(sha256sum "$root/pyproject.toml" | cut -c1-16)"
if [ ! -e "$stamp" ]; then
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -e "$root[dev]"
  rm -f "$venv"/.installed-*
  touch "$stamp"
fi
