#!/usr/bin/env bash
# The reliability suite with the long crash loop (100 tasks, 50 SIGKILLs) and 2,000 examples of
# the stateful exactly-once test, then docs/reliability.md from the figures that run recorded.
# About 10-15 minutes.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out="$root/.cache/reliability"
rm -rf "$out" && mkdir -p "$out"
export TASK_DESK_RELIABILITY_OUT="$out" TASK_DESK_CRASH_TASKS=100 TASK_DESK_CRASH_KILLS=50 \
  TASK_DESK_HYPOTHESIS_EXAMPLES=2000
bash scripts/test.sh tests/test_client.py tests/test_sync.py tests/test_offline.py \
  tests/test_requests.py tests/test_cli.py tests/test_store.py tests/test_storage_faults.py tests/test_crash.py \
  tests/test_properties.py tests/test_security.py tests/test_credentials.py tests/test_stateful_sync.py \
  --junitxml="$out/junit.xml" --timeout 1200
.venv/bin/python scripts/reliability_report.py "$out" docs/reliability.md
echo "wrote docs/reliability.md"
