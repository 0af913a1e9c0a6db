"""A list model over a workspace's projects, cheap to fill with thousands of rows."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QStringListModel

from desktop.domain.display import literal_tooltip
from desktop.domain.project_choices import LABEL_SEPARATOR, ProjectChoices
from desktop.ui.qt_values import DISPLAY_ROLE, EDIT_ROLE, TOOL_TIP_ROLE, USER_ROLE

_Index = QModelIndex | QPersistentModelIndex

MATCH_LIMIT = 300
"""The completer lists at most this many matches (it shows 12 at a time): typing more narrows."""


class ProjectListModel(QAbstractListModel):
    """Display text "Project · Client"; the user role holds the Toggl project id."""

    def __init__(self) -> None:
        super().__init__()
        self.choices = ProjectChoices()

    def set_projects(self, choices: ProjectChoices) -> None:
        """Projects as the worker prepared them: assigning lists, nothing computed here."""
        self.beginResetModel()
        self.choices = choices
        self.endResetModel()

    def row_of(self, project_id: int) -> int:
        try:
            return self.choices.ids.index(project_id)
        except ValueError:
            return -1

    def row_of_label(self, label: str) -> int:
        """The row whose label is exactly `label`, ignoring case; -1 if none."""
        return self.choices.row_of_label(label)

    def match_text(self, text: str) -> int:
        """The row whose label is `text` (ignoring case, then punctuation and spacing too), else
        whose name is, else the only row whose label contains it; -1 when none or several do."""
        for row in (self.choices.row_of_label(text), self.choices.row_of_words(text)):
            if row >= 0:
                return row
        wanted = text.strip().casefold()
        for row, label in enumerate(self.choices.folded):
            if label.split(LABEL_SEPARATOR)[0] == wanted:
                return row
        containing = self.choices.matching(wanted)
        return containing[0] if len(containing) == 1 else -1

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.choices)

    def data(self, index: _Index, role: int = DISPLAY_ROLE) -> Any:
        row = index.row()
        if not index.isValid() or not 0 <= row < len(self.choices):
            return None
        if role == DISPLAY_ROLE:  # the list; the editable combo's own text is the edit role
            return self.choices.shown[row]
        if role == EDIT_ROLE:
            return self.choices.labels[row]
        if role == TOOL_TIP_ROLE:  # Qt guesses whether a tooltip is rich text: escape it
            return literal_tooltip(self.choices.labels[row])
        if role == USER_ROLE:
            return self.choices.ids[row]
        return None


class ProjectMatches:
    """The projects whose label contains the typed text, best first, as a C++ string model for
    the completer.

    The completer reads a QStringListModel in C++ instead of calling Python `data()` per row.
    Each keystroke scans the pre-folded labels once, or only the previous matches when the text
    grew (a longer text can only match fewer), ranks them (`ProjectChoices.ranked`: name
    prefix, word prefix, anywhere) and hands over at most `MATCH_LIMIT` labels, so a keystroke
    over 10,000 projects stays within a frame. `project_id(row)` maps a completion back,
    duplicates included.
    """

    def __init__(self, source: ProjectListModel) -> None:
        self.model = QStringListModel()
        self._source = source
        self._wanted = ""
        self._rows: list[int] = []
        """Every row matching `_wanted`, in display order, not only the listed ones."""
        self._ids: list[int] = []
        source.modelReset.connect(self.clear)

    def set_filter(self, text: str) -> None:
        wanted = text.strip().casefold()
        choices = self._source.choices
        narrowing = bool(self._rows and self._wanted and self._wanted in wanted)
        rows = choices.matching(wanted, self._rows if narrowing else None)
        self._wanted, self._rows = wanted, rows
        listed = choices.ranked(wanted, rows)[:MATCH_LIMIT]
        ids, labels = choices.ids, choices.labels
        self._ids = [ids[row] for row in listed]
        self.model.setStringList([labels[row] for row in listed])

    def found_none(self) -> bool:
        """Text is typed and no project's label contains it."""
        return bool(self._wanted) and not self._rows

    def clear(self) -> None:
        self._wanted, self._rows, self._ids = "", [], []
        self.model.setStringList([])

    def project_id(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None
