#!/usr/bin/env bash
# Installs everything the tests need, then runs lint, types and the whole test suite.
# The suite runs inside a private D-Bus session with its own unlocked gnome-keyring, so the
# keyring tests use a real Secret Service and never touch your own keychain.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/bootstrap.sh test
bash scripts/install-prism.sh

bash scripts/lint.sh  # ruff and mypy, exactly as `make lint` runs them
echo "== pytest"
export QT_QPA_PLATFORM=offscreen
if [ "${CI:-}" = true ]; then
  export TASK_DESK_REQUIRE_PRISM=1 TASK_DESK_REQUIRE_SECRET_SERVICE=1
  # CI also proves the installed app: build the bundle (size budget checked by dist.sh) and
  # run the frozen self-check and end-to-end tests against it.
  echo "== bundle"
  bash scripts/dist.sh
  # ...and as the Debian package: built and checked (lintian, desktop-file-validate,
  # appstreamcli), installed with apt, so that the frozen tests run the installed command;
  # purged after the suite (below).
  echo "== package"
  bash scripts/deb.sh
  bash scripts/deb.sh install
  export TASK_DESK_FROZEN=/usr/bin/task-desk TASK_DESK_REQUIRE_FROZEN=1
fi
if command -v dbus-run-session >/dev/null 2>&1 && command -v gnome-keyring-daemon >/dev/null 2>&1
then
  keyring_home="$(mktemp -d)"
  trap 'rm -rf "$keyring_home"' EXIT
  XDG_DATA_HOME="$keyring_home" TASK_DESK_TEST_KEYRING=secret-service dbus-run-session -- sh -c \
    'echo -n test-keyring-pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null \
      && exec "$@"' sh .venv/bin/python -m pytest "$@"
else
  echo "Note: no dbus-run-session/gnome-keyring: the Secret Service test will be skipped."
  .venv/bin/python -m pytest "$@"
fi
if [ "${CI:-}" = true ]; then
  echo "== package removal"
  bash scripts/deb.sh purge  # nothing of it left on disk; the user's data folder untouched
fi
