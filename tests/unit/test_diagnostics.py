"""What "Copy diagnostics" puts on the clipboard: the versions, the places, the outbox counted by
state and the log's last lines, for support to read."""

from __future__ import annotations

import logging
from pathlib import Path

from desktop import APP_NAME, __version__
from desktop.api.models import TaskDraft
from desktop.diagnostics import diagnostics
from desktop.logs import start_logging, stop_logging
from desktop.store.outbox_row import OutboxRow, OutboxState


def row(row_id: int, state: OutboxState) -> OutboxRow:
    return OutboxRow(
        id=row_id, workspace_id=1, project_id=2, draft=TaskDraft(f"Task {row_id}"),
        project_label="Website", state=state, reason=None, queued_at=0.0, attempts=0,
        last_attempt_at=None, remote_task_id=None,
    )  # fmt: skip


def report(data_dir: Path, outbox: list[OutboxRow]) -> list[str]:
    return diagnostics(
        api_url="https://api.track.toggl.com/api/v9",
        data_dir=data_dir,
        qt_version="6.9.9",
        outbox=outbox,
        status="Offline — 3 queued",
    ).split("\n")


def test_the_header_names_versions_places_and_the_connection(data_dir: Path) -> None:
    lines = report(data_dir, [])
    assert lines[0] == f"{APP_NAME} {__version__}"
    assert lines[1].startswith("Python 3.")
    assert lines[2:5] == [
        "Qt 6.9.9",
        "API: https://api.track.toggl.com/api/v9",
        f"Data folder: {data_dir}",
    ]
    assert lines[5].startswith("Keyring: ")
    assert lines[6] == "Connection: Offline — 3 queued"
    assert lines[7] == "Outbox: empty"
    assert lines[8:] == ["", "Recent log:"]  # no log written yet


def test_the_outbox_is_counted_by_state_in_a_stable_order(data_dir: Path) -> None:
    states = [OutboxState.QUEUED, OutboxState.FAILED, OutboxState.QUEUED, OutboxState.UNCONFIRMED]
    lines = report(data_dir, [row(i, state) for i, state in enumerate(states)])
    assert lines[7] == "Outbox: 1 failed, 2 queued, 1 unconfirmed"
    assert not any("Task 0" in line for line in lines)  # counts only: no task names


def test_the_logs_last_lines_follow(data_dir: Path) -> None:
    handler = start_logging(data_dir)
    try:
        for n in range(100):
            logging.getLogger("tests.diagnostics").info("line %d", n)
    finally:
        stop_logging(handler)
    lines = report(data_dir, [])
    recent = lines[lines.index("Recent log:") + 1 :]
    assert len(recent) == 60
    assert recent[-1].endswith("line 99")
    assert recent[0].endswith("line 40")
