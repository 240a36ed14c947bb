"""The monthly ratings grid: members × 12 months, then the count of each level in the year."""
from __future__ import annotations

from collections.abc import Callable

from services.i18n import _
from services.ratings import STATUS_LABELS, Cell, GridRow, MonthStatus, RatingsGrid

from ..qt import Qt, QtCore, QtGui, Signal

ID_ROLE = Qt.ItemDataRole.UserRole + 2
MONTH_ROLE = Qt.ItemDataRole.UserRole + 3
COMMENT_ROLE = Qt.ItemDataRole.UserRole + 4
ATTENDANCE_ROLE = Qt.ItemDataRole.UserRole + 5      # "1/1" or ""
ATTENDANCE_ALERT_ROLE = Qt.ItemDataRole.UserRole + 6  # 0 none, 1 absent with reason, 2 absent without

LEVEL_COLORS = {1: "#dcefd9", 3: "#fbf0cf", 4: "#f6d6d3"}  # by level order; the usual level stays white
GREY_BG = "#ececec"
FUTURE_BG = "#f7f7f7"
GREY_FG = "#8a8a8a"

# (member_id, month, new cell, on_saved(saved cell), on_refused(reason)): stores the cell, then calls one of the two
Writer = Callable[[int, int, Cell, Callable[[Cell], None], Callable[[str], None]], None]


def month_of(column: int) -> int | None:
    """The month shown in a column (columns 0–11), or None for the count columns."""
    return column + 1 if 0 <= column < 12 else None


def column_of(month: int) -> int:
    return month - 1


class RatingsModel(QtCore.QAbstractTableModel):
    """Rows: the members (their names are the vertical header, so they never scroll away); columns 0–11:
    the months; then one column per level of the scale with the count of months rated at that level."""

    problem = Signal(str)   # a change was refused: the Vietnamese reason

    def __init__(self, parent=None):
        super().__init__(parent)
        self.grid: RatingsGrid | None = None
        self.writer: Writer | None = None
        self.undo_stack: list[list[tuple[int, int, Cell]]] = []

    # --- loading ---------------------------------------------------------------------------
    def set_grid(self, grid: RatingsGrid) -> None:
        self.beginResetModel()
        if self.grid is not None and self.grid.year != grid.year:
            self.undo_stack.clear()
        self.grid = grid
        self.endResetModel()

    @property
    def rows(self) -> list[GridRow]:
        return self.grid.rows if self.grid else []

    @property
    def levels(self):
        return self.grid.scale.levels if self.grid else ()

    def first_count_column(self) -> int:
        return 12

    def row_at(self, row: int) -> GridRow:
        return self.rows[row]

    def row_of_id(self, member_id: int) -> int:
        return self.grid.row_of(member_id) if self.grid else -1

    # --- shape -----------------------------------------------------------------------------
    def rowCount(self, parent=QtCore.QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QtCore.QModelIndex()) -> int:
        return 0 if parent.isValid() else 12 + len(self.levels)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Vertical:
            if not 0 <= section < len(self.rows):
                return None
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                return self.rows[section].full_name
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            return None
        if not 0 <= section < self.columnCount():
            return None
        month = month_of(section)
        if month is not None:
            if role == Qt.ItemDataRole.DisplayRole:
                return _("M{month}").format(month=month)
            if role == Qt.ItemDataRole.ToolTipRole:
                return _("Month {month}").format(month=month)
            return None
        level = self.levels[section - 12]
        if role == Qt.ItemDataRole.DisplayRole:
            return level.short
        if role == Qt.ItemDataRole.ToolTipRole:
            return _("Months rated “{label}” in the year").format(label=level.label)
        return None

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        month = month_of(index.column())
        if month is not None and self.rows[index.row()].editable(month):
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    # --- data ------------------------------------------------------------------------------
    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self.rows)):
            return None
        r = self.rows[index.row()]
        month = month_of(index.column())
        if role == ID_ROLE:
            return r.member_id
        if role == MONTH_ROLE:
            return month
        if month is None:
            level = self.levels[index.column() - 12]
            if role == Qt.ItemDataRole.DisplayRole:
                n = r.counts.get(level.code, 0)
                return str(n) if n else ""
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignCenter)
            if role == Qt.ItemDataRole.BackgroundRole:
                return QtGui.QBrush(QtGui.QColor("#f3f6fa"))
            return None
        return self._month_data(r, month, role)

    def _month_data(self, r: GridRow, month: int, role):
        cell = r.cell(month)
        status = r.status(month)
        scale = self.grid.scale
        if role == Qt.ItemDataRole.DisplayRole:
            return scale.short_of(cell.level) if cell.level else ""
        if role == Qt.ItemDataRole.EditRole:
            return cell.level
        if role == COMMENT_ROLE:
            return cell.comment
        att = r.attendance.get(month)
        if role == ATTENDANCE_ROLE:
            return att.short() if att else ""
        if role == ATTENDANCE_ALERT_ROLE:
            if not att:
                return 0
            return 2 if att.unexcused else (1 if att.excused else 0)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.cell_description(r, month)
        if role == Qt.ItemDataRole.BackgroundRole:
            if status == MonthStatus.FUTURE:
                return QtGui.QBrush(QtGui.QColor(FUTURE_BG))
            if status != MonthStatus.OPEN:
                return QtGui.QBrush(QtGui.QColor(GREY_BG))
            level = scale.level(cell.level) if cell.level else None
            if level and level.order in LEVEL_COLORS and len(scale.levels) == 4:
                return QtGui.QBrush(QtGui.QColor(LEVEL_COLORS[level.order]))
            return None
        if role == Qt.ItemDataRole.ForegroundRole and status != MonthStatus.OPEN:
            return QtGui.QBrush(QtGui.QColor(GREY_FG))
        return None

    def cell_description(self, r: GridRow, month: int, comment: bool = True) -> str:
        """What the tooltip and the side panel say about one cell."""
        cell, status = r.cell(month), r.status(month)
        lines = [_("{name}, month {month}/{year}").format(name=r.full_name, month=month, year=self.grid.year)]
        if cell.level:
            lines.append(_("Rating: {label}").format(label=self.grid.scale.label_of(cell.level)))
        elif status == MonthStatus.OPEN:
            lines.append(_("Not rated yet."))
        if status != MonthStatus.OPEN:
            lines.append(_(STATUS_LABELS[status]))
        att = r.attendance.get(month)
        if att:
            lines.append(att.text())
        if cell.comment and comment:
            lines.append(_("Comment: {text}").format(text=cell.comment))
        return "\n".join(lines)

    # --- editing ---------------------------------------------------------------------------
    def setData(self, index, value, role=Qt.ItemDataRole.EditRole) -> bool:
        month = month_of(index.column()) if index.isValid() else None
        if role != Qt.ItemDataRole.EditRole or month is None:
            return False
        r = self.rows[index.row()]
        old = r.cell(month)
        new = Cell(str(value or ""), old.comment)
        if new.level == old.level:
            return True
        return self.write(index.row(), month, new, record=True)

    def set_comment(self, row: int, month: int, comment: str) -> bool:
        old = self.rows[row].cell(month)
        if comment.strip() == old.comment:
            return True
        return self.write(row, month, Cell(old.level, comment.strip()), record=True)

    def write(self, row: int, month: int, cell: Cell, record: bool) -> bool:
        """Show the new cell at once and store it through the writer (off the GUI thread). When the
        store is refused, the old cell comes back (and its undo entry goes) and `problem` is emitted."""
        r = self.rows[row]
        old = r.cell(month)
        if self.writer is None:
            return False
        grid, member_id = self.grid, r.member_id
        entry = [(member_id, month, old)]
        self._put(member_id, month, cell)
        if record:
            self.undo_stack.append(entry)

        def saved(stored: Cell) -> None:
            if self.grid is grid:
                self._put(member_id, month, stored)

        def refused(reason: str) -> None:
            if self.grid is grid:
                self._put(member_id, month, old)
                if record and entry in self.undo_stack:
                    self.undo_stack.remove(entry)
            self.problem.emit(reason)

        self.writer(member_id, month, cell, saved, refused)
        return True

    def _put(self, member_id: int, month: int, cell: Cell) -> None:
        row = self.row_of_id(member_id)
        if row < 0:
            return
        r = self.rows[row]
        if cell.level or cell.comment:
            r.cells[month] = cell
        else:
            r.cells.pop(month, None)
        self._changed(row, month)

    def _changed(self, row: int, month: int) -> None:
        col = column_of(month)
        self.dataChanged.emit(self.index(row, col), self.index(row, col))
        if self.columnCount() > 12:
            self.dataChanged.emit(self.index(row, 12), self.index(row, self.columnCount() - 1))

    def push_undo(self, entries: list[tuple[int, int, Cell]]) -> None:
        if entries:
            self.undo_stack.append(entries)

    def undo(self) -> tuple[int, int] | None:
        """Put back the cells of the last change; returns (row, month) of one of them, or None."""
        if not self.undo_stack:
            return None
        entries = self.undo_stack.pop()
        where = None
        for member_id, month, cell in entries:
            row = self.row_of_id(member_id)
            if row < 0:
                continue
            if self.write(row, month, cell, record=False):
                where = (row, month)
        return where
