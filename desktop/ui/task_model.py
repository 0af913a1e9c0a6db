"""The task list's model: the chosen project's lines (arranged off the UI thread,
desktop.ui.task_rows), filtered by name and by "Show done" in one pass over case-folded names.

New lines from the worker are compared with the rows shown: changed rows are updated in place,
and a task that comes or goes is inserted or removed, so one changed task never resets 5,000
rows (nor the selection). A filter keystroke resets the rows: one list comprehension.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex

from desktop.domain.display import isolate, literal_tooltip
from desktop.ui.colours import hint_colour, refused_row_colour
from desktop.ui.qt_values import DISPLAY_ROLE, FOREGROUND_ROLE, TOOL_TIP_ROLE, USER_ROLE
from desktop.ui.task_rows import (
    TaskRows,
    described,
    estimate_text,
    folded_name,
    identity,
    sort_key,
    status_text,
    tracked_fraction,
    tracked_text,
)

if TYPE_CHECKING:
    from desktop.task_lines import TaskLine

_Index = QModelIndex | QPersistentModelIndex

HEADERS = ("Name", "Estimate", "Tracked", "Assignee", "Status")
"""The columns' titles: the view's header holds them (desktop.ui.task_view)."""
NAME, ESTIMATE, TRACKED, ASSIGNEE, STATUS = range(len(HEADERS))
TASK_ID_ROLE = USER_ROLE
FRACTION_ROLE = USER_ROLE + 1
"""Tracked time over the estimate, for the bar (None without an estimate)."""
FONT_ROLE = 6  # Qt.ItemDataRole.FontRole
ACCESSIBLE_TEXT_ROLE = 11  # Qt.ItemDataRole.AccessibleTextRole
ACCESSIBLE_DESCRIPTION_ROLE = 12  # Qt.ItemDataRole.AccessibleDescriptionRole
SMALL_CHANGE = 200
"""Rows: a change in the middle of the list up to this size is removed and inserted in place;
a bigger one (a refresh that changed much) resets the rows."""


class TaskTableModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.rows: TaskRows | None = None
        self.shown: list[TaskLine] = []
        self._filter = ""
        self._show_done = False

    # --- what is shown -------------------------------------------------------------------------

    def set_rows(self, rows: TaskRows | None) -> None:
        """The project's lines as they now are (None: no project)."""
        same_project = (
            rows is not None
            and self.rows is not None
            and (rows.workspace_id, rows.project_id)
            == (self.rows.workspace_id, self.rows.project_id)
        )
        self.rows = rows
        if same_project:
            self._show(self._visible())
        else:
            self._reset(self._visible())

    def set_filter(self, text: str) -> None:
        folded = folded_name(text)
        if folded != self._filter:
            self._filter = folded
            self._reset(self._visible())

    def set_show_done(self, show: bool) -> None:
        if show != self._show_done:
            self._show_done = show
            self._reset(self._visible())

    def add_lines(self, lines: list[TaskLine]) -> None:
        """Tasks just queued in the window, each at its place, until the worker's lines come;
        the rows shown change once for them all (a list of a hundred from the bulk dialog)."""
        rows = self.rows
        if rows is None or not lines:
            return
        queued = {line.outbox_id for line in lines}
        for at in reversed(range(len(rows.lines))):  # rows edited and queued again: replaced
            old = rows.lines[at]
            if old.task_id is None and old.outbox_id in queued:
                del rows.lines[at], rows.keys[at], rows.folded[at]
        for line in lines:
            _insert(rows, line)
        self._show(self._visible())

    def replace_line(self, outbox_id: int, line: TaskLine) -> None:
        """A queued task was created: its line now carries its Toggl id, at its place in the
        list's order (Toggl may have changed its name); added when the list did not hold it
        (queued before the list was read), replacing a copy of it read meanwhile."""
        rows = self.rows
        if rows is None:
            return
        for at in reversed(range(len(rows.lines))):
            old = rows.lines[at]
            if old.task_id == line.task_id or (old.task_id is None and old.outbox_id == outbox_id):
                del rows.lines[at], rows.keys[at], rows.folded[at]
        _insert(rows, line)
        self._show(self._visible())

    def _visible(self) -> list[TaskLine]:
        rows = self.rows
        if rows is None or rows.unavailable:
            return []
        text, done = self._filter, self._show_done
        if not text:
            return list(rows.lines) if done else [line for line in rows.lines if line.active]
        return [
            line
            for line, name in zip(rows.lines, rows.folded, strict=True)
            if text in name and (done or line.active)
        ]

    def _reset(self, shown: list[TaskLine]) -> None:
        self.beginResetModel()
        self.shown = shown
        self.endResetModel()

    def _show(self, new: list[TaskLine]) -> None:
        """Move from the rows shown to `new` by the least change: rows updated in place, the
        differing middle removed and inserted (a task marked done, one added)."""
        old = self.shown
        if len(old) == len(new) and all(
            identity(a) == identity(b) for a, b in zip(old, new, strict=True)
        ):
            self.shown = new
            self._changed(old, new, 0)
            return
        start = 0
        limit = min(len(old), len(new))
        while start < limit and identity(old[start]) == identity(new[start]):
            start += 1
        end_old, end_new = len(old), len(new)
        while (
            end_old > start
            and end_new > start
            and identity(old[end_old - 1]) == identity(new[end_new - 1])
        ):
            end_old, end_new = end_old - 1, end_new - 1
        if (end_old - start) + (end_new - start) > SMALL_CHANGE:
            self._reset(new)
            return
        kept_head, kept_tail = old[:start], old[end_old:]
        if end_old > start:
            self.beginRemoveRows(QModelIndex(), start, end_old - 1)
            self.shown = kept_head + kept_tail
            self.endRemoveRows()
        if end_new > start:
            self.beginInsertRows(QModelIndex(), start, end_new - 1)
            self.shown = kept_head + new[start:end_new] + kept_tail
            self.endInsertRows()
        before = kept_head + new[start:end_new] + kept_tail
        self.shown = new
        self._changed(before, new, 0)

    def _changed(self, old: list[TaskLine], new: list[TaskLine], first: int) -> None:
        last_column = len(HEADERS) - 1
        for row, (a, b) in enumerate(zip(old, new, strict=True), first):
            if a is not b and a != b:
                self.dataChanged.emit(self.index(row, 0), self.index(row, last_column))

    # --- reading -------------------------------------------------------------------------------

    def line(self, row: int) -> TaskLine | None:
        return self.shown[row] if 0 <= row < len(self.shown) else None

    def has_duplicate(
        self, workspace_id: int, project_id: int, name: str, skip: int | None
    ) -> str | None:
        """The name of an open task of that project named like `name` (case and runs of spaces
        aside), cached or queued, if the list holds that project; the outbox row `skip` (the
        task being edited) does not count."""
        rows = self.rows
        if rows is None or (rows.workspace_id, rows.project_id) != (workspace_id, project_id):
            return None
        wanted = folded_name(name)
        for line in rows.lines:
            if (
                line.active
                and folded_name(line.name) == wanted
                and (skip is None or line.outbox_id != skip or line.task_id is not None)
            ):
                return line.name
        return None

    # --- Qt's side -----------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.shown)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: _Index, role: int = DISPLAY_ROLE) -> Any:
        line = self.line(index.row()) if index.isValid() else None
        if line is None:
            return None
        column = index.column()
        if role == DISPLAY_ROLE:
            return _text(line, column)
        if role == TASK_ID_ROLE and column == NAME:
            return line.task_id
        if role == FRACTION_ROLE and column == TRACKED:
            return tracked_fraction(line)
        if role == TOOL_TIP_ROLE:
            return literal_tooltip(line.note or line.name)
        if role == FOREGROUND_ROLE:
            return _colour(line)
        if role == FONT_ROLE and line.state == "pending":
            return _italic()
        if role == ACCESSIBLE_TEXT_ROLE:
            return described(line) if column == NAME else _text(line, column)
        if role == ACCESSIBLE_DESCRIPTION_ROLE:
            return line.note
        return None


def _text(line: TaskLine, column: int) -> str:
    if column == NAME:
        return isolate(line.name)
    if column == ESTIMATE:
        return estimate_text(line)
    if column == TRACKED:
        return tracked_text(line)
    if column == ASSIGNEE:
        return isolate(line.user_name) if line.user_name else ""
    return status_text(line)


def _colour(line: TaskLine) -> Any:
    """Refused and conflicting lines in the error colour, done ones faded; from the palette."""
    if line.state in ("parked", "conflict"):
        return refused_row_colour()
    if not line.active:
        from PySide6.QtGui import QGuiApplication, QPalette  # after the paint: rows come later

        palette = QGuiApplication.palette()
        role = QPalette.ColorRole
        return hint_colour(palette.color(role.Text), palette.color(role.Base))
    return None


def _italic() -> Any:
    """Lines waiting to sync are in italics."""
    from PySide6.QtGui import QFont, QGuiApplication

    font = QFont(QGuiApplication.font())
    font.setItalic(True)
    return font


def _insert(rows: TaskRows, line: TaskLine) -> None:
    """`line` at its place in the list's order, with its sort key and folded name."""
    key = sort_key(line)
    at = bisect_left(rows.keys, key)
    rows.lines.insert(at, line)
    rows.keys.insert(at, key)
    rows.folded.insert(at, folded_name(line.name))
