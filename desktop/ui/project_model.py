"""A list model over a workspace's projects, cheap to fill with thousands of rows."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QStringListModel,
    Qt,
)

if TYPE_CHECKING:
    from desktop.api.models import Project

_Index = QModelIndex | QPersistentModelIndex


def project_label(project: Project) -> str:
    return f"{project.name} · {project.client_name}" if project.client_name else project.name


class ProjectListModel(QAbstractListModel):
    """Display text "Project · Client"; `Qt.UserRole` holds the Toggl project id."""

    def __init__(self) -> None:
        super().__init__()
        self._ids: list[int] = []
        self._labels: list[str] = []
        self.folded: list[str] = []
        """Labels case-folded once, so filtering a keystroke is one pass over plain strings."""

    def set_projects(self, projects: list[Project]) -> None:
        """Projects in the order given (the session sorts them off the UI thread)."""
        self.beginResetModel()
        self._ids = [p.id for p in projects]
        self._labels = [project_label(p) for p in projects]
        self.folded = [label.casefold() for label in self._labels]
        self.endResetModel()

    def project_id(self, row: int) -> int:
        return self._ids[row]

    def label(self, row: int) -> str:
        return self._labels[row]

    def row_of(self, project_id: int) -> int:
        try:
            return self._ids.index(project_id)
        except ValueError:
            return -1

    def row_of_label(self, label: str) -> int:
        """The row whose label is exactly `label`, ignoring case; -1 if none."""
        try:
            return self.folded.index(label.casefold())
        except ValueError:
            return -1

    def match_text(self, text: str) -> int:
        """The row whose name or label is `text` (case-insensitive), else the only row whose
        label contains it; -1 when none or several do."""
        wanted = text.casefold()
        folded = [label.casefold() for label in self._labels]
        for row, label in enumerate(folded):
            if label == wanted or label.split(" · ")[0] == wanted:
                return row
        containing = [row for row, label in enumerate(folded) if wanted in label]
        return containing[0] if len(containing) == 1 else -1

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = index.row()
        if not index.isValid() or not 0 <= row < len(self._ids):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._labels[row]
        if role == Qt.ItemDataRole.UserRole:
            return self._ids[row]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._labels[row]
        return None


class ProjectMatches:
    """The projects whose label contains the typed text, as a C++ string model for the completer.

    Filtering is one pass over pre-folded strings, and the completer then reads a QStringListModel
    in C++ instead of calling Python `data()` for every row: a keystroke over 10,000 projects
    stays within a frame. `project_id(row)` maps a completion back, duplicates included.
    """

    def __init__(self, source: ProjectListModel) -> None:
        self.model = QStringListModel()
        self._source = source
        self._ids: list[int] = []
        source.modelReset.connect(self.clear)

    def set_filter(self, text: str) -> None:
        wanted = text.strip().casefold()
        rows = [row for row, label in enumerate(self._source.folded) if wanted in label]
        self._ids = [self._source.project_id(row) for row in rows]
        self.model.setStringList([self._source.label(row) for row in rows])

    def clear(self) -> None:
        self._ids = []
        self.model.setStringList([])

    def project_id(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None
