#!/usr/bin/env bash
# The static checks, the same for `make lint` and `make test` (scripts/test.sh): ruff, then
# mypy as configured in pyproject.toml (strict below the UI). Expects .venv (bootstrap.sh).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
echo "== ruff"; .venv/bin/ruff check .
echo "== mypy"; .venv/bin/mypy
