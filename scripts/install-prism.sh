#!/usr/bin/env bash
# Install Stoplight Prism (the mock server used by tests/integration/test_contract_prism.py) into
# <repo>/.cache/prism with npm. Idempotent: does nothing when prism is already installed there.
# Without npm it prints a note and exits 0; the contract tests then skip with a reason
# (or fail, when TASK_DESK_REQUIRE_PRISM=1 as in CI).
set -euo pipefail

PRISM_PACKAGE="@stoplight/prism-cli@5"

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$script_dir/.." && pwd)"
dir="$repo_root/.cache/prism"
bin="$dir/node_modules/.bin/prism"

if [[ -x "$bin" ]]; then
    echo "prism already installed: $bin"
    exit 0
fi

if ! command -v npm >/dev/null 2>&1; then
    echo "note: npm not found; prism not installed (the Prism contract tests will skip)." >&2
    echo "      Install Node.js 18+ with npm, then run scripts/install-prism.sh again." >&2
    exit 0
fi

mkdir -p "$dir"
echo "installing $PRISM_PACKAGE into $dir ..."
npm install --prefix "$dir" --no-audit --no-fund --loglevel=error "$PRISM_PACKAGE"

if [[ ! -x "$bin" ]]; then
    echo "error: npm finished but $bin is missing" >&2
    exit 1
fi
echo "prism installed: $bin ($("$bin" --version 2>/dev/null || echo 'version unknown'))"
