"""The project picker: the workspace and project selectors, filtering thousands of projects as
the user types, and matching a typed name to one project."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QObject, Signal
from PySide6.QtWidgets import QComboBox, QCompleter, QFormLayout, QLineEdit, QListView

from desktop.domain.display import isolate
from desktop.domain.project_choices import ProjectChoices
from desktop.ui.naming import named
from desktop.ui.project_model import ProjectListModel, ProjectMatches
from desktop.ui.widgets import note, show_note

if TYPE_CHECKING:
    from PySide6.QtCore import QEvent

    from desktop.api.models import Workspace
    from desktop.session import ListsProgress, WorkspaceLists

FILTER_TEXT = "Type to filter projects"


class ProjectPicker(QObject):
    workspaceChosen = Signal(object)  # workspace id (None: none left): its lists are wanted
    projectChosen = Signal(object, object)  # workspace id, project id
    changed = Signal()  # the choice changed in any way: the submit button re-checks

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._workspaces: dict[int, Workspace] = {}
        self.workspace_selector = named(QComboBox(), "workspaceSelector")
        self.workspace_note = note("workspaceNote")
        self.model = ProjectListModel()
        self.selector = named(QComboBox(), "projectSelector")
        self.selector.setModel(self.model)
        self.filter = named(QLineEdit(), "projectFilter")
        self.filter.setAccessibleName("Project filter")
        self.selector.setLineEdit(self.filter)  # editable now (setEditable would first make,
        # then drop, a line edit and a completer of its own: ~0.4 ms before the first paint)
        self.selector.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.filter.setPlaceholderText(FILTER_TEXT)
        # Thousands of projects: the combo never measures every row, its views lay out rows of
        # one height (finish_views), and the completer shows a list filtered in Python in one pass.
        self.selector.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.selector.setMinimumContentsLength(24)
        self.matches = ProjectMatches(self.model)
        self._completer = completer = QCompleter(self.matches.model, self.filter)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        completer.setMaxVisibleItems(12)
        completer.activated[QModelIndex].connect(self._completed)  # type: ignore[index]
        self.filter.setCompleter(completer)
        self.note = note("projectNote")
        self._saying_none = False
        """The note says no project matches the typed text (and nothing else)."""
        self.filter.textEdited.connect(self._filter_typed)
        self.workspace_selector.currentIndexChanged.connect(self._workspace_chosen)
        self.selector.currentIndexChanged.connect(self._project_chosen)
        self.filter.editingFinished.connect(self.match_typed)
        self.selector.editTextChanged.connect(self._text_edited)

    def add_rows(self, form: QFormLayout) -> None:
        form.addRow("&Workspace:", self.workspace_selector)
        form.addRow("", self.workspace_note)
        form.addRow("&Project:", self.selector)
        form.addRow("", self.note)

    def finish_views(self) -> None:
        """After the first paint: the popup lists (the combos' and the completer's), which Qt
        builds when first asked for (~1 ms the paint does not need), named for screen readers
        and told that their rows are all one height (thousands of projects: never measured)."""
        self.workspace_selector.view().setAccessibleName("Workspaces")
        combo_view = self.selector.view()
        combo_view.setAccessibleName("Projects")
        for view in (combo_view, self._completer.popup()):
            if isinstance(view, QListView):
                view.setUniformItemSizes(True)

    def watch_focus(self) -> None:
        """After the first paint: filtering events reads QEvent.Type, a Python enum PySide6
        builds on first use (~6 ms)."""
        self.filter.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        from PySide6.QtCore import QEvent  # its class, with its enums, loads after the paint

        if watched is self.filter and event.type() == QEvent.Type.FocusOut:
            self.match_typed()
        return super().eventFilter(watched, event)

    # --- what is chosen ----------------------------------------------------------------------

    def workspace_id(self) -> int | None:
        chosen: int | None = self.workspace_selector.currentData()
        return chosen

    def project_id(self) -> int | None:
        index = self.selector.currentIndex()
        if index < 0 or self.selector.currentText() != self.selector.itemText(index):
            return None  # the filter holds typed text that is not a project
        project_id: int | None = self.selector.itemData(index)
        return project_id

    def label(self) -> str:
        return self.selector.currentText()

    def problem(self) -> str | None:
        """Why no task can be created with this choice, or None."""
        problem = self.workspace_problem()
        if problem is None and self.project_id() is None:
            return "Pick a project from the list."
        return problem

    def workspace_problem(self) -> str | None:
        """Why the chosen workspace cannot take tasks, or None."""
        workspace = self._workspaces.get(self.workspace_id() or 0)
        if workspace is None:
            return "Pick a workspace."
        if workspace.premium is False:
            return "Tasks need a paid plan in this workspace."
        return None

    # --- filling -----------------------------------------------------------------------------

    def fill_workspaces(self, workspaces: list[Workspace], preferred: int | None = None) -> None:
        self._workspaces = {w.id: w for w in workspaces}
        selector = self.workspace_selector
        keep = self.workspace_id()
        if keep is None:
            keep = preferred
        selector.blockSignals(True)
        selector.clear()
        for workspace in sorted(workspaces, key=lambda w: (w.premium is False, w.name.casefold())):
            name = isolate(workspace.name)
            selector.addItem(
                f"{name} (Free plan)" if workspace.premium is False else name, workspace.id
            )
        index = selector.findData(keep) if keep is not None else -1
        selector.setCurrentIndex(max(index, 0) if workspaces else -1)
        selector.blockSignals(False)
        self._show_workspace_note()
        if self.workspace_id() != keep:
            self._workspace_chosen()

    def choose_workspace(self, workspace_id: int) -> bool:
        """Select it; True when that means its lists load (it was not selected already)."""
        index = self.workspace_selector.findData(workspace_id)
        if index < 0 or index == self.workspace_selector.currentIndex():
            return False
        self.workspace_selector.setCurrentIndex(index)
        return True

    def choose_project(self, project_id: int | None) -> bool:
        row = self.model.row_of(project_id) if project_id is not None else -1
        if row >= 0:
            self.selector.setCurrentIndex(row)
        return row >= 0

    def set_lists(self, lists: WorkspaceLists, wanted: int | None) -> bool:
        """The workspace's projects, keeping the choice (or selecting `wanted`); True when
        `wanted` was selected. Lists of a workspace the user left meanwhile are ignored."""
        if lists.workspace_id != self.workspace_id():
            return False
        keep = wanted or self.project_id() or lists.preferred_project_id
        self.selector.blockSignals(True)
        self.model.set_projects(lists.projects)
        row = self.model.row_of(keep) if keep is not None else -1
        self.selector.setCurrentIndex(row)
        if row < 0:
            self.selector.setEditText("")
        self.selector.blockSignals(False)
        self.filter.setPlaceholderText(
            FILTER_TEXT if lists.projects else "This workspace has no active projects"
        )
        return row >= 0 and wanted is not None

    def clear(self) -> None:
        self._workspaces = {}
        self.workspace_selector.clear()
        self.model.set_projects(ProjectChoices())

    def show_progress(self, progress: ListsProgress) -> None:
        """Pages of projects arriving from a slow server: how many so far, in the filter."""
        if progress.workspace_id == self.workspace_id():
            self.filter.setPlaceholderText(progress.text())

    def lists_failed(self) -> None:
        self.filter.setPlaceholderText(FILTER_TEXT)

    def has_projects(self) -> bool:
        return self.model.rowCount() > 0

    # --- reacting ----------------------------------------------------------------------------

    def _workspace_chosen(self) -> None:
        workspace_id = self.workspace_id()
        self.model.set_projects(ProjectChoices())
        if self._saying_none:
            self._saying_none = False
            show_note(self.note, None)
        self._show_workspace_note()
        if workspace_id is not None:
            self.filter.setPlaceholderText("Loading projects…")
        self.workspaceChosen.emit(workspace_id)
        self.changed.emit()

    def _show_workspace_note(self) -> None:
        workspace = self._workspaces.get(self.workspace_id() or 0)
        show_note(
            self.workspace_note,
            f"{isolate(workspace.name)} is on Toggl's Free plan: tasks need a paid plan "
            "(Starter or higher). Pick another workspace or upgrade it in Toggl."
            if workspace is not None and workspace.premium is False
            else None,
        )

    def _filter_typed(self, text: str) -> None:
        """Filter the completer's list; the note says so when nothing matches, and goes when
        something does (a note about anything else is left alone)."""
        self.matches.set_filter(text)
        if self.matches.found_none() and self.has_projects():
            self._saying_none = True
            show_note(self.note, f"No project matches “{isolate(text.strip())}”")
        elif self._saying_none:
            self._saying_none = False
            show_note(self.note, None)

    def _project_chosen(self) -> None:
        self._saying_none = False
        show_note(self.note, None)
        project_id, workspace_id = self.project_id(), self.workspace_id()
        if project_id is not None and workspace_id is not None:
            self.projectChosen.emit(workspace_id, project_id)
        self.changed.emit()

    def _select(self, row: int) -> None:
        """Select `row` for text that names it: the list's own text replaces what was typed,
        also when the row was selected already (typed in other case or punctuation)."""
        if row != self.selector.currentIndex():
            self.selector.setCurrentIndex(row)
        elif self.selector.currentText() != self.selector.itemText(row):
            self.selector.setEditText(self.selector.itemText(row))
            self._project_chosen()

    def _completed(self, index: QModelIndex) -> None:
        self.choose_project(self.matches.project_id(index.row()))

    def _text_edited(self, text: str) -> None:
        """Typing a project's whole label ("Name · Client", in any case, with any punctuation
        between the words) selects it at once, whatever happens to focus next."""
        if self.project_id() is None and text.strip():
            row = self.model.row_of_label(text)
            if row >= 0:
                self._select(row)
                return  # selecting said it changed
        self.changed.emit()

    def match_typed(self) -> None:
        """Typed text naming one project selects it (on Enter, Tab or leaving the field):
        an exact name or label first, else the only project containing the text."""
        text = self.selector.currentText().strip().casefold()
        if not text or self.project_id() is not None:
            return
        row = self.model.match_text(text)
        if row >= 0:
            self._select(row)
