"""``python -m tests.fake_toggl``: serve the fake until Ctrl-C or SIGTERM."""

from __future__ import annotations

import argparse
import signal
import threading
from types import FrameType

from tests.fake_toggl.fake import FakeToggl
from tests.fake_toggl.wire import CONTROL_PREFIX


def seed(fake: FakeToggl, *, projects: int, tasks: int) -> None:
    """Add ``projects`` to the paid workspace, then ``tasks`` to each of its active projects."""
    if projects > 0:
        fake.add_projects(fake.premium_workspace_id, projects)
    if tasks > 0:
        for project in fake.projects[fake.premium_workspace_id]:
            if project["active"]:
                fake.add_tasks(int(project["id"]), tasks)


def main(argv: list[str] | None = None) -> int:
    """Command line entry point; prints the API URL first, then the credentials."""
    parser = argparse.ArgumentParser(
        prog="python -m tests.fake_toggl",
        description="A fake Toggl Track API v9 on 127.0.0.1, steerable over HTTP at "
        f"{CONTROL_PREFIX} (GET it for the routes).",
    )
    parser.add_argument("--port", type=int, default=8080, help="TCP port (0 = any free port)")
    parser.add_argument("--token", default="test-token", help="API token to accept")
    parser.add_argument("--projects", type=int, default=0, help="extra premium projects")
    parser.add_argument(
        "--tasks",
        type=int,
        default=0,
        help="tasks to add to each active project of the paid workspace (every third done)",
    )
    parser.add_argument("--delay", type=float, default=0.0, help="seconds before every answer")
    args = parser.parse_args(argv)

    fake = FakeToggl(token=args.token, port=args.port)
    seed(fake, projects=args.projects, tasks=args.tasks)
    fake.delay = args.delay
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)  # also when started with SIGINT ignored (&)
    fake.start()
    try:
        print(fake.url, flush=True)
        print(f"token: {fake.token}", flush=True)
        print(f"email: {fake.email} password: {fake.password}", flush=True)
        print(f"control: http://127.0.0.1:{fake.port}{CONTROL_PREFIX}", flush=True)
        while not stop.wait(0.2):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        fake.stop()
    return 0
