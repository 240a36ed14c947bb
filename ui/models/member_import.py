"""Item models of the import preview: every row of the file with its problems marked in its cells."""
from __future__ import annotations

from services.i18n import N_, _
from services.member_import import ERROR, NOTE, WARNING, ImportPreview, ImportRow, RowProblem

from ..qt import Qt, QtCore, QtGui

STATE_ROLE = Qt.ItemDataRole.UserRole + 10  # "error", "warning" or "" for the whole row

COLOURS = {  # cell backgrounds: light enough to read black text on, distinct without colour vision
    ERROR: "#f6c9cc",
    WARNING: "#fde9b6",
    NOTE: "#d6e6f7",
}
TEXT_COLOURS = {ERROR: "#9b1c1c", WARNING: "#7a4b00", NOTE: "#1f4e79"}
LEVEL_MARKS = {ERROR: "✖", WARNING: "⚠", NOTE: "ℹ"}


def _worst(problems: list[RowProblem]) -> str:
    for level in (ERROR, WARNING, NOTE):
        if any(p.level == level for p in problems):
            return level
    return ""


class ImportPreviewModel(QtCore.QAbstractTableModel):
    """Columns: the sheet's row number, the imported columns as headed in the sheet, the problems."""

    ROW_HEADER = N_("Row")
    PROBLEMS_HEADER = N_("Errors and warnings")

    def __init__(self, parent=None):
        super().__init__(parent)
        self._preview: ImportPreview | None = None
        self._rows: list[ImportRow] = []
        self._headers: list[str] = []
        self._fields: list[str] = []

    def set_preview(self, preview: ImportPreview | None) -> None:
        self.beginResetModel()
        self._preview = preview
        self._rows = list(preview.rows) if preview else []
        cols = preview.columns if preview else []
        self._fields = [c.field for c in cols]
        self._headers = [c.header for c in cols]
        self.endResetModel()

    def row_at(self, row: int) -> ImportRow:
        return self._rows[row]

    def rowCount(self, parent=QtCore.QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QtCore.QModelIndex()) -> int:
        return 0 if parent.isValid() or self._preview is None else len(self._fields) + 2

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or not (0 <= section < self.columnCount()):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if section == 0:
                return _(self.ROW_HEADER)
            if section == len(self._fields) + 1:
                return _(self.PROBLEMS_HEADER)
            return self._headers[section - 1]
        return None

    def _cell_problems(self, r: ImportRow, column: int) -> list[RowProblem]:
        if column == 0 or column == len(self._fields) + 1:
            return r.problems
        header = self._headers[column - 1]
        return [p for p in r.problems if p.column == header]

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        r = self._rows[index.row()]
        col = index.column()
        last = len(self._fields) + 1
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                mark = LEVEL_MARKS.get(_worst([p for p in r.problems if p.level != NOTE]), "")
                return f"{r.row} {mark}".strip()
            if col == last:
                return "; ".join(p.message for p in r.problems if p.level != NOTE)
            return r.cells.get(self._fields[col - 1], "")
        if role == STATE_ROLE:
            return _worst([p for p in r.problems if p.level != NOTE])
        if role == Qt.ItemDataRole.BackgroundRole:
            problems = self._cell_problems(r, col)
            if col in (0, last):
                problems = [p for p in problems if p.level != NOTE]
            level = _worst(problems)
            return QtGui.QBrush(QtGui.QColor(COLOURS[level])) if level else None
        if role == Qt.ItemDataRole.ForegroundRole and col == last:
            level = _worst([p for p in r.problems if p.level != NOTE])
            return QtGui.QBrush(QtGui.QColor(TEXT_COLOURS[level])) if level else None
        if role == Qt.ItemDataRole.ToolTipRole:
            problems = self._cell_problems(r, col)
            return "\n".join(f"{LEVEL_MARKS[p.level]} {p.message}" for p in problems) or None
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class ProblemRowsProxy(QtCore.QSortFilterProxyModel):
    """Shows every row, or only the rows with errors or warnings."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._only_problems = False

    @property
    def only_problems(self) -> bool:
        return self._only_problems

    def set_only_problems(self, on: bool) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.9+
            self.beginFilterChange()
            self._only_problems = on
            self.endFilterChange(QtCore.QSortFilterProxyModel.Direction.Rows)
        else:
            self._only_problems = on
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent) -> bool:
        if not self._only_problems:
            return True
        index = self.sourceModel().index(source_row, 0, source_parent)
        return bool(index.data(STATE_ROLE))
