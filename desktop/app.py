"""Application entry: `main(argv)` runs Task Desk in-process and returns its exit code."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from desktop import APP_ID, APP_NAME, __version__
from desktop.config import Config, ensure_data_dir, parse_args
from desktop.data_folder import DataFolderError
from desktop.logs import start_logging, stop_logging
from desktop.store.lock import InstanceLock
from desktop.ui.startup import (
    collection_paused,
    load_before_qt,
    skip_feature_scan,
    wait_for_first_data,
)

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
NOTICE_MS = 10_000


def main(argv: list[str] | None = None) -> int:
    """Run the app until it quits; reuses a running QApplication (tests, embedding)."""
    args = sys.argv[1:] if argv is None else list(argv)
    try:
        config = parse_args(args)
    except SystemExit as exit_:  # --help, --version, or a bad option (already explained)
        return exit_.code if isinstance(exit_.code, int) else 2
    with collection_paused():  # this and the next: see desktop.ui.startup
        load_before_qt()
        # Qt here, not above: `python -m desktop` imports this module for the commands too.
        from PySide6.QtWidgets import QApplication

        skip_feature_scan()
        app = QApplication.instance()
        borrowed = isinstance(app, QApplication)
        if not isinstance(app, QApplication):
            app = QApplication([sys.argv[0] if sys.argv else APP_ID])
            app.setApplicationName(APP_NAME)
            app.setApplicationVersion(__version__)
            app.setDesktopFileName(APP_ID)
    try:
        folder_notice = ensure_data_dir(config.data_dir)
    except DataFolderError as exc:  # someone else's folder, a link to nowhere: one sentence
        return _tell_and_leave(str(exc), "dataFolderMessage")
    except OSError as exc:
        return _tell_and_leave(
            f"Task Desk cannot use its data folder {config.data_dir} ({exc.strerror or exc}). "
            "Check that the disk is mounted and writable, or start it with --data-dir.",
            "dataFolderMessage",
        )
    if folder_notice:
        print(f"{APP_NAME}: {folder_notice}", file=sys.stderr)
    try:
        log_handler = start_logging(config.data_dir)
    except OSError as exc:  # the app works without its log file; say so once
        print(f"{APP_NAME}: no log file in {config.data_dir}: {exc}", file=sys.stderr)
        return _run_app(app, borrowed, config, folder_notice)
    try:
        return _run_app(app, borrowed, config, folder_notice)
    finally:
        stop_logging(log_handler)


def _run_app(app: QApplication, borrowed: bool, config: Config, folder_notice: str | None) -> int:
    lock = InstanceLock(config.data_dir)
    try:
        acquired = lock.acquire()
    except DataFolderError as exc:
        return _tell_and_leave(str(exc), "dataFolderMessage")
    except OSError as exc:
        return _tell_and_leave(
            f"Task Desk cannot use its data folder {config.data_dir} ({exc.strerror or exc}).",
            "dataFolderMessage",
        )
    if not acquired:
        if config.quick_add:
            from desktop.ui.instance_link import ask_to_quick_add  # loads QtNetwork

            if ask_to_quick_add(config.data_dir):
                return 0
        return _tell_and_leave(
            f"{APP_NAME} is already running with the data folder {config.data_dir}. "
            "Switch to its window: only one copy at a time may send your tasks.",
            "alreadyRunningMessage",
        )
    try:
        return _run_window(app, borrowed, config, folder_notice)
    finally:
        lock.release()


def _run_window(
    app: QApplication, borrowed: bool, config: Config, folder_notice: str | None
) -> int:
    with collection_paused():  # see desktop.ui.startup
        # Here, not above: the pause covers its import, and `--version` or a bad option never
        # loads the window's Qt modules.
        from desktop.ui.main_window import MainWindow

        window = MainWindow(config.api_url, config.data_dir, folder_notice, start=True)
    quit_on_last_window = app.quitOnLastWindowClosed()
    if borrowed:
        # The host may keep other windows open: our window closing ends main(). Qt's own
        # last-window quit is posted as an event and would, arriving after exec() returned,
        # make the host's next event loop return at once, so it is off meanwhile.
        app.setQuitOnLastWindowClosed(False)
        window.closed.connect(app.quit)
    if not borrowed:  # the icon is the window manager's to draw: after the first paint
        window.settled.connect(lambda: _set_icon(app))
    # 0: the window's posted events of every type (QEvent's enum is not read before the paint).
    wait_for_first_data(lambda: app.sendPostedEvents(window, 0), lambda: window.first_data_in)
    if config.quick_add:  # the quick-add window alone; the app ends with it
        window.adding.access().open_quick_window(standalone=True)
    else:
        window.show()
    try:
        return app.exec()
    finally:
        if borrowed:
            window.closed.disconnect(app.quit)
            app.setQuitOnLastWindowClosed(quit_on_last_window)
        window.shutdown()
        window.close()
        window.deleteLater()


def _set_icon(app: QApplication) -> None:
    """The PNGs rendered from icon.svg (scripts/make_icons.py): an SVG icon would load QtSvg
    and its icon engine, about 1 MB resident, for the same pixels. Set once the window has
    painted: QIcon's class and the files cost ~3 ms the first paint does not need."""
    from PySide6.QtGui import QIcon

    icon = QIcon()
    for png in sorted(RESOURCES.glob("icons/task-desk-*.png")):
        icon.addFile(str(png))
    if not icon.isNull():
        app.setWindowIcon(icon)


def _tell_and_leave(message: str, name: str) -> int:
    """Say why the app cannot start, on stderr and in a box that closes itself; exit code 1."""
    from PySide6.QtCore import Qt, QTimer  # see main: no Qt at this module's import
    from PySide6.QtWidgets import QApplication, QMessageBox

    print(f"{APP_NAME}: {message}", file=sys.stderr)
    app = QApplication.instance()
    if isinstance(app, QApplication) and app.windowIcon().isNull():
        _set_icon(app)  # no window painted before this box
    box = QMessageBox(QMessageBox.Icon.Information, APP_NAME, message)
    box.setTextFormat(Qt.TextFormat.PlainText)  # it names folders: shown literally
    box.setObjectName(name)
    QTimer.singleShot(NOTICE_MS, box.accept)
    box.exec()
    return 1


def run() -> None:
    """Entry point of `python -m desktop` and the bundle: the window, or a command."""
    argv = sys.argv[1:]
    if argv and (not argv[0].startswith("-") or argv[0] in ("--self-check", "--probe-qt")):
        from desktop.cli import main as cli_main  # commands only: the window never needs it

        sys.exit(cli_main(argv))
    sys.exit(main(argv))
