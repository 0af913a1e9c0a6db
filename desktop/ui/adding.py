"""The quick ways to add tasks beside the form, composed for the main window: the quick-add
line (desktop.ui.quick_add, placed at the top of the form by the layout), File ▸ Add many…
with its bulk dialog (desktop.ui.bulk_add, built when first opened), the quota in the status
bar (desktop.ui.quota_label), fed by the worker's side (desktop.ui.adding_actions), and from
outside the window: the quick-add window, `--quick-add` and the tray (desktop.ui.quick_access)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from desktop.ui.quick_add import window_lists
from desktop.ui.widgets import plain_label

if TYPE_CHECKING:
    from pathlib import Path

    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QLabel

    from desktop.session_quota import QuotaSeen
    from desktop.session_rows import OutboxRow
    from desktop.ui.bridge import SessionBridge
    from desktop.ui.bulk_add import BulkAddDialog
    from desktop.ui.main_window import MainWindow
    from desktop.ui.menus import Menus
    from desktop.ui.quick_access import QuickAccess
    from desktop.ui.quota_label import QuotaLabel


def quota_label() -> QLabel:
    """The status bar's `quotaLabel`, hidden until a quota is known (desktop.ui.quota_label)."""
    label = plain_label("quotaLabel")
    label.setAccessibleName("Toggl requests left this hour")
    label.setToolTip("Toggl's hourly request quota, as its last answer gave it")
    label.hide()
    return label


class Adding(QObject):
    def __init__(
        self, window: MainWindow, bridge: SessionBridge, menus: Menus, data_dir: Path
    ) -> None:
        super().__init__(window)
        self._window, self._bridge, self._menus, self._data_dir = window, bridge, menus, data_dir
        actions = bridge.adding
        self.quota_label = quota_label()
        window.statusBar().insertPermanentWidget(0, self.quota_label)
        self.quota: QuotaLabel | None = None
        """Made with the first quota seen."""
        self.bulk_dialog: BulkAddDialog | None = None
        actions.quotaSeen.connect(self._quota_seen)
        actions.bulkQueued.connect(self._bulk_queued)
        actions.bulkFailed.connect(self._bulk_failed)
        menus.addManyChosen.connect(self.open_bulk)
        # The lists arrive after the window's own slot has shown them: read the line again.
        bridge.worker.workspaceListsLoaded.connect(window.quick.show_preview)
        bridge.worker.workspaceListsLoaded.connect(self._lists_changed)
        window.picker.changed.connect(self._lists_changed)
        window.settled.connect(window.quick.load_reader)
        self._access: QuickAccess | None = None
        window.settled.connect(lambda: self.access().start())  # the socket, the tray
        # The window's close asks about the dialog's lines; watched after the first paint, as
        # reading QEvent.Type builds its enum (~6 ms, see desktop.ui.project_picker).
        window.settled.connect(lambda: window.installEventFilter(self))

    def access(self) -> QuickAccess:
        """The quick-add window, the socket and the tray: made after the first paint, or for
        `--quick-add` just before it."""
        if self._access is None:
            from desktop.ui.quick_access import QuickAccess

            self._access = QuickAccess(self._window, self._bridge, self._menus, self._data_dir)
        return self._access

    def open_bulk(self) -> BulkAddDialog:
        """Show the bulk dialog, built the first time."""
        if self.bulk_dialog is None:
            from desktop.ui.bulk_add import BulkAddDialog  # when first asked for, never at start

            window = self._window
            self.bulk_dialog = BulkAddDialog(
                window, lambda: window_lists(window.picker, window.form), self.quota_seen
            )
            self.bulk_dialog.submitted.connect(self._bridge.manyTasksSubmitted)
        dialog = self.bulk_dialog
        dialog.reread()  # the lists or the form's project may have changed since
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        dialog.edit.setFocus()
        return dialog

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Closing the window while the bulk dialog holds lines shows the dialog asking about
        them instead (the dialog would go with the window): the window stays."""
        from PySide6.QtCore import QEvent

        if event.type() != QEvent.Type.Close or watched is not getattr(self, "_window", None):
            return super().eventFilter(watched, event)
        dialog = self.bulk_dialog
        if dialog is None or not dialog.holds_lines():
            return False
        event.ignore()
        dialog.show()
        dialog.raise_()
        dialog.reject()  # asks, or (saving) waits for the worker
        return True

    def _lists_changed(self) -> None:
        """Another workspace, project or list: the open dialog reads its lines again."""
        dialog = self.bulk_dialog
        if dialog is not None and dialog.isVisible():
            dialog.reread()

    def quota_seen(self) -> QuotaSeen | None:
        return None if self.quota is None else self.quota.seen

    def _quota_seen(self, seen: QuotaSeen) -> None:
        if self.quota is None:
            from desktop.ui.quota_label import QuotaLabel  # after the first paint: see there

            self.quota = QuotaLabel(self.quota_label)
        self.quota.show_quota(seen)
        if self.bulk_dialog is not None:
            self.bulk_dialog.show_cost()

    def _bulk_queued(self, rows: list[OutboxRow]) -> None:
        count = len(rows)
        if self.bulk_dialog is not None:
            self.bulk_dialog.queued()
        tasks = "1 task" if count == 1 else f"{count} tasks"
        self._window.status_panel.setText(
            f"Queued {tasks} in the outbox: they are sent in turn, each once."
        )

    def _bulk_failed(self, message: str) -> None:
        if self.bulk_dialog is not None:
            self.bulk_dialog.failed(message)
