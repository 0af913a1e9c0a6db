"""Shared fixtures: offscreen Qt, a fake Toggl per test, a private data dir, no stray token."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import settings

# No per-example deadline: a busy 2-core CI machine must not turn slowness into failures.
settings.register_profile("task-desk", deadline=None)
settings.load_profile("task-desk")

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

if os.environ.get("TASK_DESK_TEST_KEYRING") != "secret-service":
    # Only `make test` runs the suite inside a private D-Bus session with its own keyring;
    # anywhere else the tests must not touch the user's real keychain.
    import keyring

    from tests.memory_keyring import MemoryKeyring

    keyring.set_keyring(MemoryKeyring())

from pytestqt.qtbot import QtBot

from desktop import credentials
from desktop.ui.main_window import MainWindow
from tests.fake_toggl import FakeToggl
from tests.ui_helpers import sign_in_with_token, wait_for_projects

pytest_plugins = ("tests.sync_rig", "tests.cli_rig", "tests.task_rig")  # `rig`, `cli`, `tasks`


@pytest.fixture
def fake() -> Iterator[FakeToggl]:
    server = FakeToggl().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir(mode=0o700)
    return path


@pytest.fixture(autouse=True)
def no_stored_token(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test starts signed out: no token in the environment or the (test) keyring."""
    monkeypatch.delenv(credentials.ENV_TOKEN, raising=False)
    credentials.delete_token()
    yield
    credentials.delete_token()


@pytest.fixture
def make_window_at(qtbot: QtBot, fake: FakeToggl) -> Iterator[Callable[[Path], MainWindow]]:
    """Opens main windows on the fake server and a given data dir; stops them after."""
    windows: list[MainWindow] = []

    def make(data_dir: Path) -> MainWindow:
        window = MainWindow(fake.url, data_dir)
        qtbot.addWidget(window)
        window.show()
        window.start()
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.shutdown()


@pytest.fixture
def make_window(
    make_window_at: Callable[[Path], MainWindow], data_dir: Path
) -> Callable[[], MainWindow]:
    """Opens main windows on the fake server and the test's data dir."""
    return lambda: make_window_at(data_dir)


@pytest.fixture
def window(qtbot: QtBot, make_window: Callable[[], MainWindow], fake: FakeToggl) -> MainWindow:
    """A signed-in window with the premium workspace's projects loaded."""
    win = make_window()
    sign_in_with_token(qtbot, fake.token, win)
    wait_for_projects(qtbot, win)
    return win
