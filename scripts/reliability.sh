#!/usr/bin/env bash
# The reliability suite with the long crash loop (50 new tasks, 50 changes, 50 SIGKILLs) and 2,000 examples of
# the stateful exactly-once test, then docs/reliability.md from the figures that run recorded.
# About 10-15 minutes.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out="$root/.cache/reliability"
rm -rf "$out" && mkdir -p "$out"
export TASK_DESK_RELIABILITY_OUT="$out" TASK_DESK_CRASH_TASKS=50 TASK_DESK_CRASH_CHANGES=50 \
  TASK_DESK_CRASH_KILLS=50 \
  TASK_DESK_HYPOTHESIS_EXAMPLES=2000
bash scripts/test.sh tests/unit/api/test_client.py tests/integration/test_sync.py \
  tests/integration/test_offline.py tests/integration/test_requests.py \
  tests/system/test_cli_process.py tests/integration/test_cli.py tests/unit/store/test_outbox.py \
  tests/unit/store/test_database.py tests/unit/store/test_lock.py \
  tests/integration/test_storage_faults.py tests/system/test_crash.py \
  tests/unit/test_properties.py tests/integration/test_security.py tests/unit/test_credentials.py \
  tests/integration/test_stateful_sync.py tests/integration/test_exactly_once.py \
  tests/integration/test_hostile_server.py tests/integration/test_data_folder.py \
  tests/unit/test_logs.py tests/integration/test_cli_fuzz.py \
  tests/integration/test_task_changes.py tests/integration/test_task_merge.py \
  tests/system/test_bulk_crash.py tests/integration/test_cli_tasks.py \
  --junitxml="$out/junit.xml" --timeout 1200
.venv/bin/python scripts/reliability_report.py "$out" docs/reliability.md
echo "wrote docs/reliability.md"
