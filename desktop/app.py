"""Application entry: `main(argv)` runs Task Desk in-process and returns its exit code."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from desktop import APP_ID, APP_NAME, __version__
from desktop.config import ensure_data_dir, parse_args

RESOURCES = Path(__file__).resolve().parent.parent / "resources"


def main(argv: list[str] | None = None) -> int:
    """Run the app until it quits; reuses a running QApplication (tests, embedding)."""
    args = sys.argv[1:] if argv is None else list(argv)
    try:
        config = parse_args(args)
    except SystemExit as exit_:  # --help, --version, or a bad option (already explained)
        return exit_.code if isinstance(exit_.code, int) else 2
    try:
        ensure_data_dir(config.data_dir)
    except OSError as exc:
        print(f"{APP_NAME}: cannot use the data folder {config.data_dir}: {exc}", file=sys.stderr)
        return 1
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(message)s")

    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from desktop.ui.main_window import MainWindow

    app = QApplication.instance()
    borrowed = isinstance(app, QApplication)
    if not isinstance(app, QApplication):
        app = QApplication([sys.argv[0] if sys.argv else APP_ID])
        app.setApplicationName(APP_NAME)
        app.setApplicationVersion(__version__)
        app.setDesktopFileName(APP_ID)
        icon = RESOURCES / "icon.svg"
        if icon.exists():
            app.setWindowIcon(QIcon(str(icon)))

    window = MainWindow(config.api_url, config.data_dir)
    quit_on_last_window = app.quitOnLastWindowClosed()
    if borrowed:
        # The host may keep other windows open: our window closing ends main(). Qt's own
        # last-window quit is posted as an event and would, arriving after exec() returned,
        # make the host's next event loop return at once, so it is off meanwhile.
        app.setQuitOnLastWindowClosed(False)
        window.closed.connect(app.quit)
    window.show()
    QTimer.singleShot(0, window.start)
    try:
        return app.exec()
    finally:
        if borrowed:
            window.closed.disconnect(app.quit)
            app.setQuitOnLastWindowClosed(quit_on_last_window)
        window.shutdown()
        window.close()
        window.deleteLater()


def run() -> None:
    """Console entry point."""
    sys.exit(main())
