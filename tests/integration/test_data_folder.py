"""The folder rules on real files and real permissions: what the app creates is private whatever
the umask, someone else's folder or file is refused, an open folder is closed and the user told,
and no link planted in the folder makes the app write to what it leads to."""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
import sys
from contextlib import closing
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from desktop import credentials
from desktop.app import main as app_main
from desktop.cli import EX_NOPERM
from desktop.cli import main as cli_main
from desktop.config import ensure_data_dir
from desktop.data_folder import DataFolderError
from desktop.logs import LOG_DIR, LOG_FILE, log_path, recent_lines, start_logging, stop_logging
from desktop.store.database import (
    DATABASE_FILE,
    SCHEMA_VERSION,
    open_database,
    restore_if_deleted,
)
from desktop.store.lock import LOCK_FILE, InstanceLock
from tests.fake_toggl import FakeToggl
from tests.python_process import run_python
from tests.ui_helpers import wait_for_top_level

pytestmark = pytest.mark.skipif(
    sys.platform != "linux", reason="the folder rules are tested on Linux permissions"
)
NOBODY = 65534
as_root = pytest.mark.skipif(
    os.geteuid() != 0, reason="only root can give a folder to another user (chown)"
)
VICTIM_TEXT = b"the user's own file, which Task Desk must never touch\n"


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    path = tmp_path / "victim.txt"
    path.write_bytes(VICTIM_TEXT)
    return path


def test_every_folder_created_is_private_even_under_umask_000(tmp_path: Path) -> None:
    data_dir = tmp_path / "home" / "share" / "data"
    run_python(
        "import os, sys\n"
        "from pathlib import Path\n"
        "os.umask(0)\n"
        "from desktop.config import ensure_data_dir\n"
        "from desktop.logs import start_logging, stop_logging\n"
        "from desktop.store.database import open_database\n"
        "from desktop.store.lock import InstanceLock\n"
        "data_dir = Path(sys.argv[1])\n"
        "assert ensure_data_dir(data_dir) is None\n"
        "handler = start_logging(data_dir)\n"
        "import logging; logging.getLogger('t').warning('a line in the log')\n"
        "stop_logging(handler)\n"
        "open_database(data_dir).close()\n"
        "lock = InstanceLock(data_dir)\n"
        "assert lock.acquire()\n"
        "lock.release()\n",
        str(data_dir),
    )
    folders = [tmp_path / "home", tmp_path / "home" / "share", data_dir, data_dir / LOG_DIR]
    assert {str(f): oct(mode(f)) for f in folders} == {str(f): "0o700" for f in folders}
    files = [p for p in data_dir.rglob("*") if p.is_file()]
    assert {p.name for p in files} >= {DATABASE_FILE, LOCK_FILE, LOG_FILE}
    assert {p.name: oct(mode(p)) for p in files} == {p.name: "0o600" for p in files}


@pytest.mark.parametrize("open_mode", [0o777, 0o770, 0o1777])
def test_an_open_folder_of_the_users_is_made_private_and_the_user_told(
    tmp_path: Path, open_mode: int
) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    data_dir.chmod(open_mode)
    notice = ensure_data_dir(data_dir)
    assert mode(data_dir) == 0o700
    assert notice == (
        f"The data folder {data_dir} was open to other users; Task Desk made it private."
    )
    assert ensure_data_dir(data_dir) is None  # said once: it is private now


def test_a_readable_private_folder_is_left_as_the_user_set_it(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir(mode=0o750)
    assert ensure_data_dir(data_dir) is None
    assert mode(data_dir) == 0o750  # nobody else can write to it: the user's choice stands


@as_root
def test_someone_elses_data_folder_is_refused_with_a_sentence(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    data_dir.chmod(0o777)
    os.chown(data_dir, NOBODY, NOBODY)
    with pytest.raises(DataFolderError) as refused:
        ensure_data_dir(data_dir)
    assert str(refused.value) == (
        f"The data folder {data_dir} belongs to another user, so Task Desk will not use it: "
        "start Task Desk with --data-dir set to a folder of your own."
    )
    assert mode(data_dir) == 0o777  # not ours to change
    assert list(data_dir.iterdir()) == []


@as_root
def test_the_command_line_refuses_someone_elses_folder_with_exit_77(
    tmp_path: Path,
    fake: FakeToggl,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(credentials.ENV_TOKEN, fake.token)
    data_dir = tmp_path / "data"
    data_dir.mkdir(mode=0o700)
    os.chown(data_dir, NOBODY, NOBODY)
    assert cli_main(["sync", "--api-url", fake.url, "--data-dir", str(data_dir)]) == EX_NOPERM
    err = capsys.readouterr().err
    assert "belongs to another user, so Task Desk will not use it" in err
    assert "Traceback" not in err
    assert list(data_dir.iterdir()) == []
    assert fake.requests == []


@as_root
def test_the_window_says_why_it_will_not_use_someone_elses_folder(
    qtbot: QtBot, tmp_path: Path, fake: FakeToggl
) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir(mode=0o700)
    os.chown(data_dir, NOBODY, NOBODY)
    said: list[str] = []

    def answer() -> None:
        try:
            box = wait_for_top_level(qtbot, "dataFolderMessage", timeout=5_000)
            assert isinstance(box, QMessageBox)
            said.append(box.text())
        finally:  # the box, or a window that should not have opened: main() must return
            for widget in QApplication.topLevelWidgets():
                widget.close()

    QTimer.singleShot(0, answer)
    assert app_main(["--api-url", fake.url, "--data-dir", str(data_dir)]) == 1
    assert "belongs to another user, so Task Desk will not use it" in said[0]
    assert list(data_dir.iterdir()) == []
    assert fake.requests == []


@as_root
def test_a_linked_data_folder_is_followed_and_its_target_checked(tmp_path: Path) -> None:
    link = tmp_path / "data"
    theirs, mine = tmp_path / "theirs", tmp_path / "mine"
    theirs.mkdir(mode=0o700)
    os.chown(theirs, NOBODY, NOBODY)
    mine.mkdir()
    mine.chmod(0o777)
    link.symlink_to(theirs)
    with pytest.raises(DataFolderError, match="belongs to another user"):
        ensure_data_dir(link)
    link.unlink()
    link.symlink_to(mine)
    assert ensure_data_dir(link) == (
        f"The data folder {link} was open to other users; Task Desk made it private."
    )
    assert mode(mine) == 0o700
    assert ensure_data_dir(link) is None


def test_a_data_folder_that_is_a_file_or_a_broken_link_is_refused(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.write_text("not a folder")
    with pytest.raises(DataFolderError, match="is not a folder, so Task Desk will not use it"):
        ensure_data_dir(data_dir)
    data_dir.unlink()
    data_dir.symlink_to(tmp_path / "gone")
    with pytest.raises(DataFolderError, match="is a link to nothing, so Task Desk will not use it"):
        ensure_data_dir(data_dir)


def test_a_lock_file_planted_as_a_link_leaves_its_target_untouched(
    data_dir: Path, victim: Path
) -> None:
    (data_dir / LOCK_FILE).symlink_to(victim)
    lock = InstanceLock(data_dir)
    with pytest.raises(DataFolderError) as refused:
        lock.acquire()
    assert victim.read_bytes() == VICTIM_TEXT
    assert str(refused.value) == (
        f"The lock file {data_dir / LOCK_FILE} is a symbolic link, so Task Desk will not use "
        "it: remove it, or start Task Desk with --data-dir set to a folder of your own."
    )


def test_a_lock_file_planted_as_a_hard_link_leaves_its_target_untouched(
    data_dir: Path, victim: Path
) -> None:
    os.link(victim, data_dir / LOCK_FILE)
    with pytest.raises(DataFolderError, match="has a second name"):
        InstanceLock(data_dir).acquire()
    assert victim.read_bytes() == VICTIM_TEXT


def test_a_log_file_planted_as_a_link_leaves_its_target_untouched(
    data_dir: Path, victim: Path
) -> None:
    log_path(data_dir).parent.mkdir(mode=0o700)
    log_path(data_dir).symlink_to(victim)
    try:
        handler = start_logging(data_dir)
    except DataFolderError as exc:
        refused = str(exc)
    else:  # the code as it was: what it would then write
        logging.getLogger("planted").warning("this line must not reach the victim")
        stop_logging(handler)
        refused = ""
    assert victim.read_bytes() == VICTIM_TEXT
    assert refused.startswith(f"The log file {log_path(data_dir)} is a symbolic link")


def test_diagnostics_never_read_what_a_log_link_leads_to(data_dir: Path, victim: Path) -> None:
    log_path(data_dir).parent.mkdir(mode=0o700)
    log_path(data_dir).symlink_to(victim)
    assert recent_lines(data_dir) == []


def test_a_log_link_planted_while_running_is_not_followed_and_said_once(
    data_dir: Path, victim: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    handler = start_logging(data_dir)
    try:
        log_path(data_dir).unlink()
        log_path(data_dir).symlink_to(victim)
        logging.getLogger("planted").warning("this line must not reach the victim")
        logging.getLogger("planted").warning("nor this one")
    finally:
        stop_logging(handler)
    assert victim.read_bytes() == VICTIM_TEXT
    err = capsys.readouterr().err
    assert err.count("is a symbolic link") == 1
    assert "Nothing more is logged to it." in err
    assert "Traceback" not in err


def test_rotation_never_writes_through_planted_links(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import desktop.logs

    monkeypatch.setattr(desktop.logs, "MAX_BYTES", 2_000)
    log_path(data_dir).parent.mkdir(mode=0o700)
    victims = []
    for number in (1, 2, 3):
        victim = tmp_path / f"victim{number}.txt"
        victim.write_bytes(VICTIM_TEXT)
        Path(f"{log_path(data_dir)}.{number}").symlink_to(victim)
        victims.append(victim)
    handler = start_logging(data_dir)
    try:
        for line in range(200):  # several rotations
            logging.getLogger("rotating").warning("line %d %s", line, "x" * 60)
    finally:
        stop_logging(handler)
    assert [v.read_bytes() for v in victims] == [VICTIM_TEXT] * 3
    logs = sorted(log_path(data_dir).parent.iterdir())
    assert len(logs) == 4
    for path in logs:
        assert not path.is_symlink()
        assert mode(path) == 0o600


def test_a_log_folder_planted_as_a_link_is_refused(data_dir: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    (data_dir / LOG_DIR).symlink_to(elsewhere)
    with pytest.raises(DataFolderError, match=r"The log folder .* is a symbolic link"):
        start_logging(data_dir)
    assert list(elsewhere.iterdir()) == []


def test_a_database_planted_as_a_link_leaves_its_target_untouched(
    data_dir: Path, tmp_path: Path
) -> None:
    victim = (
        tmp_path / "another-apps.sqlite3"
    )  # what a link would lead to: a database of the user's
    with closing(sqlite3.connect(victim)) as other:
        other.execute("CREATE TABLE notes (text TEXT)")
    before = victim.read_bytes()
    (data_dir / DATABASE_FILE).symlink_to(victim)
    with pytest.raises(DataFolderError, match=r"The database .* is a symbolic link"):
        open_database(data_dir).close()
    assert victim.read_bytes() == before


@as_root
@pytest.mark.parametrize("suffix", ["", "-wal", "-journal"])
def test_a_database_planted_by_another_user_is_refused(data_dir: Path, suffix: str) -> None:
    with closing(open_database(data_dir)) as db:
        db.execute("INSERT INTO meta VALUES ('planted', 'by someone else')")
    planted = Path(f"{data_dir / DATABASE_FILE}{suffix}")
    planted.touch()
    os.chown(planted, NOBODY, NOBODY)
    with pytest.raises(DataFolderError) as refused:
        open_database(data_dir).close()
    assert "belongs to another user, so Task Desk will not use it" in str(refused.value)
    assert str(planted) in str(refused.value)


def test_a_link_planted_as_the_migration_backup_is_not_written_through(
    data_dir: Path, victim: Path
) -> None:
    previous = SCHEMA_VERSION - 1
    open_database(data_dir, target_version=previous).close()
    (data_dir / f"taskdesk.v{previous}.bak.partial").symlink_to(victim)
    open_database(data_dir).close()
    assert victim.read_bytes() == VICTIM_TEXT
    backup = data_dir / f"taskdesk.v{previous}.bak.sqlite3"
    assert not backup.is_symlink()
    assert mode(backup) == 0o600


def test_a_link_planted_as_the_restoring_copy_is_not_written_through(
    data_dir: Path, victim: Path
) -> None:
    db = open_database(data_dir)
    (data_dir / DATABASE_FILE).unlink()
    (data_dir / "taskdesk.restoring").symlink_to(victim)
    restore_if_deleted(db, data_dir).close()
    assert victim.read_bytes() == VICTIM_TEXT
    assert not (data_dir / DATABASE_FILE).is_symlink()
    assert mode(data_dir / DATABASE_FILE) == 0o600


def test_a_file_of_the_users_with_a_wider_mode_is_narrowed(data_dir: Path) -> None:
    open_database(data_dir).close()
    (data_dir / DATABASE_FILE).chmod(0o644)
    open_database(data_dir).close()
    assert mode(data_dir / DATABASE_FILE) == 0o600


def test_the_window_says_it_made_an_open_folder_private(
    qtbot: QtBot, tmp_path: Path, fake: FakeToggl, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Signed in from the environment: no sign-in dialog may open after the notice is closed
    # and outlive this test (a slow keyring made it open late, and the next test typed into it).
    monkeypatch.setenv(credentials.ENV_TOKEN, fake.token)
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    data_dir.chmod(0o777)
    said: list[str] = []

    def answer() -> None:
        try:
            box = wait_for_top_level(qtbot, "storageNotice", timeout=10_000)
            assert isinstance(box, QMessageBox)
            said.append(box.text())
            assert box.textFormat() is Qt.TextFormat.PlainText
        finally:
            for widget in QApplication.topLevelWidgets():
                widget.close()

    QTimer.singleShot(0, answer)
    assert app_main(["--api-url", fake.url, "--data-dir", str(data_dir)]) == 0
    assert said
    assert "was open to other users; Task Desk made it private" in said[0]
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700


def test_a_small_file_is_replaced_whole_or_left_as_it_was(tmp_path: Path) -> None:
    from desktop.data_folder import read_small_file, replace_small_file

    setting = tmp_path / "setting"
    replace_small_file(setting, b"first", "setting file")
    assert read_small_file(setting, 16, "setting file") == b"first"
    replace_small_file(setting, b"second", "setting file")
    assert read_small_file(setting, 16, "setting file") == b"second"
    assert not (tmp_path / "setting.new").exists()
    (tmp_path / "setting.new").mkdir()  # the spare cannot be made: the file stays, no raise
    replace_small_file(setting, b"third", "setting file")
    assert read_small_file(setting, 16, "setting file") == b"second"
    (tmp_path / "elsewhere").write_bytes(b"secret")
    link = tmp_path / "linked"
    link.symlink_to(tmp_path / "elsewhere")
    assert read_small_file(link, 16, "setting file") is None  # never through a link
