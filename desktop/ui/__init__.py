"""The Qt layer: the only part of Task Desk that imports PySide6."""
