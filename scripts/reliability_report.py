"""docs/reliability.md from one run of the reliability suite (scripts/reliability.sh).

Every figure comes from that run: test outcomes from its JUnit XML, counts from the figures
the tests recorded (tests/reliability.py).
"""

from __future__ import annotations

import json
import platform
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

# What each fault test file covers, in the report's words.
AREAS = {
    "test_client": "Network faults at the client: every error class, refused, dropped, timeouts, "
    "5xx with HTML bodies, 429 with and without Retry-After, 402 quota and paid feature, 410, "
    "malformed, truncated, undecodable and non-JSON answers, captive-portal pages",
    "test_sync": "Sync engine under faults: offline and back, drops before/after the store, slow "
    "answers, crash while sending, 4xx parked without blocking, 5xx/429 backoff, quota wait, "
    "401 pause",
    "test_offline": "The window offline: cache-first start with zero requests, queue and deliver "
    "once, refused tasks edited or discarded, quota wait, quitting, second instance, damaged and "
    "unusable database",
    "test_requests": "Request budget: a cold sign-in and a task cost 5, a warm start and a task 1",
    "test_cli_process": "Command line as a script runs it (subprocesses): online, offline then "
    "sync, refused, bad input, locked data dir, invalid UTF-8 from a real shell",
    "test_cli": "Command line in-process: every argument error, hostile names and answers, "
    "damaged and newer databases, retry and discard, a revoked token",
    "test_outbox": "Outbox: durability across reopening, a delivery committed with its cached "
    "task, interrupted sends, what may be edited or discarded",
    "test_database": "Database file: migrations with a backup, newer schema refused, damaged file "
    "kept aside, database deleted while running",
    "test_lock": "One instance per data folder, the lock let go when its holder is killed",
    "test_storage_faults": "Disks that refuse: full (a real 2 MB tmpfs) and read-only",
    "test_crash": "Crash loop: SIGKILL while draining new tasks and changes to tasks in Toggl; "
    "kill during a schema migration",
    "test_task_changes": "Changes to tasks in Toggl: done, reopen, edit, delete online, offline "
    "then online and refused; the bulk PATCH and its fallback; a lost answer and a stop between "
    "the send and its record, never sent twice",
    "test_task_merge": "Field-level merge: Toggl's rename kept under a change made here offline; "
    "the same field changed on both sides held as a conflict, kept or taken from Toggl",
    "test_stateful_sync": "Exactly once against a model of Toggl (hypothesis stateful test): "
    "answers lost before and after the store, 5xx, 402 and 429 with odd headers, refusals, a "
    "revoked and restored token, outages, other people's tasks of the same name, a server that "
    "drops external references, restarts and kills mid-request",
    "test_exactly_once": "Exactly once, case by case: an older task edited meanwhile, a revoked "
    "token during the check, a 403 /me does or does not share, answers about another task, a 5xx "
    "after the store, servers that drop references, a user's retry of a row in doubt",
    "test_hostile_server": "Hostile servers: deep JSON, huge numbers, dripped headers and bodies "
    "(the total deadline), absurd quota and Retry-After headers, an untrusted certificate, a "
    "201 for another project, a server echoing the token",
    "test_data_folder": "The data folder: 0700 under umask 000, someone else's folder refused, an "
    "open folder made private, links planted as the lock, log, database or backup",
    "test_logs": "The log: registered secrets redacted, request ids kept",
    "test_cli_fuzz": "Command line driven with generated arguments: an exit code from the README, "
    "never a traceback, escaped output",
    "test_properties": "Bad input: estimate parser, task names, response parsing, any answer",
    "test_security": "Secrets: token absent from files, logs, diagnostics; log redaction",
    "test_credentials": "Keyring: environment token never stored; missing or locked keyring "
    "explained; real Secret Service round trip",
}


def main(out_dir: Path, target: Path) -> None:
    figures = json.loads((out_dir / "figures.json").read_text())
    suites = ET.parse(out_dir / "junit.xml").getroot()  # noqa: S314 - our own pytest output
    rows = []
    total = {"passed": 0, "failed": 0, "skipped": 0}
    for name, words in AREAS.items():
        cases = [c for c in suites.iter("testcase") if c.get("classname", "").endswith(name)]
        failed = sum(
            1 for c in cases if c.find("failure") is not None or c.find("error") is not None
        )
        skipped = sum(1 for c in cases if c.find("skipped") is not None)
        passed = len(cases) - failed - skipped
        total["passed"] += passed
        total["failed"] += failed
        total["skipped"] += skipped
        rows.append(f"| {words} | {passed} | {failed} | {skipped} |")
    security_failed = sum(
        1
        for c in suites.iter("testcase")
        if c.get("classname", "").endswith("test_security")
        and (c.find("failure") is not None or c.find("error") is not None)
    )
    lost = figures.get("crash_tasks_lost", "not measured")

    def stat(name: str) -> object:
        return figures.get(f"stateful_{name}", "not measured")

    duplicated = figures.get("crash_tasks_duplicated", "not measured")
    text = f"""# Reliability

What Task Desk does under faults, crashes and hostile input, and the figures of the last run of
the reliability suite (`make reliability`: the fault tests below, the long crash loop — 50 new
tasks and 50 changes to existing tasks through 50 SIGKILLs, each applied exactly once — and 2,000
examples of the stateful test). Every number on this page was written by that run on
{time.strftime("%Y-%m-%d %H:%M %Z")} (Python {platform.python_version()}, {platform.platform()}).

## Figures of the last run

| figure | value |
|---|---|
| fault and input tests passed / failed / skipped | {total["passed"]} / {total["failed"]} / {total["skipped"]} |
| SIGKILLs survived while draining | {figures.get("kills_survived", 0)} (of a queue of {figures.get("crash_tasks_queued", 0)} new tasks and {figures.get("crash_changes_queued", 0)} changes to tasks in Toggl; {figures.get("crash_kills_among_changes", 0)} kills while changes were going) |
| changes applied once / twice (crash loop) | {figures.get("crash_changes_applied", "not measured")} / {figures.get("crash_changes_applied_twice", "not measured")} |
| kills during a schema migration survived | {figures.get("migration_kills_survived", 0)} |
| unconfirmed sends reconciled by listing (crash loop) | {figures.get("crash_reconciles", 0)} |
| generated inputs (hypothesis examples) | {figures.get("inputs_generated", 0)} |
| tasks lost (crash loop) | {lost} |
| tasks duplicated (crash loop) | {duplicated} |
| stateful test: examples / rules run / engine steps | {stat("examples")} / {stat("steps")} / {stat("engine_steps")} in {stat("seconds")} s |
| stateful test: failed or lost answers / kills / token revocations / outages | {stat("faults")} / {stat("kills")} / {stat("revocations")} / {stat("outages")} |
| stateful test: tasks queued / delivered / parked with Toggl's refusal / discarded | {stat("queued")} / {stat("delivered")} / {stat("parked")} / {stat("discarded")} |
| stateful test: rows no listing could settle, settled by the user | {stat("settled_by_user")} |
| stateful test: changes to tasks in Toggl asked (each applied once, only its fields) | {stat("task_changes")} |
| stateful test: tasks lost / duplicated | {stat("lost")} / {stat("duplicated")} |
| token leaks found | {security_failed} |

## What each area covers

| area | passed | failed | skipped |
|---|---|---|---|
{chr(10).join(rows)}

## What the app does

| fault | what Task Desk does |
|---|---|
| connection refused, DNS failure, connect timeout | nothing was sent: the task stays queued, the indicator says Offline — N queued, a TCP probe (no quota) with backoff up to 15 s notices the return |
| connection dropped before or after Toggl stored the task; captive portal or unreadable 200 | the send is *unconfirmed*: before anything else is done with it, the project's tasks are listed and the task carrying the row's own `external_reference` is adopted; none there means it did not arrive (a server that drops the field: only a task unknown before the first attempt with every sent field equal; neither: parked, saying it may be in Toggl) |
| reply slower than the read timeout | as above, after giving Toggl the timeout again to finish |
| 500, 502, 503 (HTML bodies), 429 with or without Retry-After | the task stays queued; exponential backoff with jitter (Retry-After honoured); one request per step, never a storm |
| 402 with the quota spent | no request until the reset Toggl announced; the indicator says Waiting for quota until HH:MM |
| 402 paid feature, 400, 403, 410 | that task is parked as failed with Toggl's words, the rest go on; it can be edited and retried or discarded |
| 401, or a 403 that `GET /me` shares (a revoked token) | sync pauses, the sign-in dialog opens, nothing is parked or lost; signing in resumes |
| SIGKILL at any moment | the outbox is written before each send (SQLite, WAL, synchronous=FULL); a row left *sending* is reconciled at the next start |
| a change to a task in Toggl (done, reopen, edit, delete) cut short by a kill, a lost answer or a 5xx | the change was marked *sending* with its values before the request; the project is listed by changes first, and Toggl already holding those values settles it with no second request (a DELETE answered 404 is done); a field Toggl changed too meanwhile is held as a conflict for the user, never overwritten |
| kill during a migration | each migration is one transaction, and the file is copied aside first |
| damaged database file | kept aside byte for byte (`taskdesk.damaged-*.sqlite3`), reported, a new one started |
| database deleted while running | written back from the open connection before the next write |
| database that cannot be opened, disk full | said in plain words; the form keeps what was typed; no task is taken that cannot be kept |
| no keyring, or a locked one | the token is used for this session only, with a visible warning; never written to a file |
| secrets | the token lives in the keyring or TOGGL_API_TOKEN only; logs carry request ids, statuses and timings, and a filter redacts token-shaped strings and Authorization headers; files are 0600 in a 0700 folder |
"""
    target.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
