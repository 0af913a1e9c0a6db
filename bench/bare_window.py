"""The floor of the start-up and memory figures: a bare PySide6 window, nothing else.

`python -m bench.bare_window` (or the frozen BareWindow bundle) shows a QMainWindow of the app's
size, paints it from the event loop as the app's bench hook does, prints `painted <unix time>`
and quits; with `--idle` it stays open (for its RSS) until terminated.
"""

import sys
import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow


def main() -> int:
    app = QApplication(sys.argv)
    window = QMainWindow()
    window.setWindowTitle("Bare window")
    window.resize(560, 520)
    window.show()
    idle = "--idle" in sys.argv

    def report() -> None:
        window.repaint()
        print(f"painted {time.time():.6f}", flush=True)
        if not idle:
            QApplication.quit()

    QTimer.singleShot(0, report)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
