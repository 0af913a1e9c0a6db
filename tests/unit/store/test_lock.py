"""One running Task Desk per data folder: the lock is exclusive, says who holds it, and is let go
when its holder releases it or dies without a word."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from desktop.store.lock import LOCK_FILE, InstanceLock
from tests.python_process import ROOT


def test_one_instance_per_data_dir(data_dir: Path) -> None:
    first, second = InstanceLock(data_dir), InstanceLock(data_dir)
    assert first.acquire()
    assert not second.acquire()
    first.release()
    assert second.acquire()
    second.release()


def test_the_lock_file_names_the_holder_and_is_the_users_alone(data_dir: Path) -> None:
    lock = InstanceLock(data_dir)
    assert lock.acquire()
    try:
        path = data_dir / LOCK_FILE
        assert path.read_text() == f"{os.getpid()}\n"
        assert path.stat().st_mode & 0o077 == 0
    finally:
        lock.release()


def test_a_longer_stale_pid_is_overwritten_not_appended_to(data_dir: Path) -> None:
    (data_dir / LOCK_FILE).write_text("123456789012\n")
    (data_dir / LOCK_FILE).chmod(0o600)
    lock = InstanceLock(data_dir)
    assert lock.acquire()
    lock.release()
    assert (data_dir / LOCK_FILE).read_text() == f"{os.getpid()}\n"


def test_release_twice_or_without_the_lock_is_harmless(data_dir: Path) -> None:
    lock = InstanceLock(data_dir)
    lock.release()
    assert lock.acquire()
    lock.release()
    lock.release()
    assert InstanceLock(data_dir).acquire()


def test_a_holder_killed_without_a_word_leaves_the_folder_free(data_dir: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time\n"
         "from pathlib import Path\n"
         "from desktop.store.lock import InstanceLock\n"
         "print(InstanceLock(Path(sys.argv[1])).acquire(), flush=True)\n"
         "time.sleep(120)\n",
         str(data_dir)],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "True"
        assert not InstanceLock(data_dir).acquire()
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=30)
        if holder.stdout is not None:
            holder.stdout.close()
    assert InstanceLock(data_dir).acquire()
