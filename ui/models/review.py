"""Item models of the year-end review page: the members' review, the branch's criteria, the tally."""
from __future__ import annotations

from services.i18n import N_, _, format_number, format_pct
from services.review.rules import Regulation
from services.review.service import BranchCriterion, ReviewRow
from services.review.tally import LEVEL_KEYS, Tally, percent

from ..qt import Qt, QtCore, QtGui
from .base import RowsTableModel

ID_ROLE = Qt.ItemDataRole.UserRole + 2
WARN = QtGui.QColor("#a15c00")
GREY = QtGui.QColor("#777777")


class ReviewTableModel(RowsTableModel):
    """One row per member counted in the year: whether rated, the program's proposal, what is recorded."""

    COLUMNS = [
        ("name", N_("Full name")),
        ("status", N_("Rated?")),
        ("suggested", N_("Suggested")),
        ("score", N_("Points")),
        ("proposed", N_("Proposed")),
        ("decided", N_("Decided")),
        ("check", N_("To check")),
    ]
    ROW_NUMBERS = True
    ID_ATTR = "member_id"

    def _text(self, r: ReviewRow, key: str) -> str:
        if key == "name":
            return r.full_name
        if key == "status":
            if not r.elig.counted:
                return r.elig.reason_text
            return _("Rated") if r.elig.rated else r.elig.reason_text
        if key == "suggested":
            return (r.proposal.level or "") if r.proposal else ""
        if key == "score":
            return format_number(r.score) if r.score is not None else ""
        if key == "proposed":
            return r.proposed_level
        if key == "decided":
            return r.decided_level
        if key == "check":
            if r.problems:
                return _("Breaks a rule")
            if r.elig.rated and not r.level:
                return _("No level yet")
            return ""
        return ""

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        r: ReviewRow | None = self.row_for(index)
        if r is None:
            return None
        key = self.COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(r, key)
        if role == ID_ROLE:
            return r.member_id
        if role == Qt.ItemDataRole.ForegroundRole:
            if key == "check" and (r.problems or (r.elig.rated and not r.level)):
                return QtGui.QBrush(WARN)
            if not r.elig.rated:
                return QtGui.QBrush(GREY)
        if role == Qt.ItemDataRole.ToolTipRole:
            if key == "check" and r.problems:
                return "\n".join(r.problems)
            if key == "suggested" and r.proposal:
                return "\n".join(r.proposal.reasons)
            if key == "status" and r.elig.reason_text:
                return r.elig.reason_text + (f" ({r.elig.detail})" if r.elig.detail else "")
        if role == Qt.ItemDataRole.TextAlignmentRole and key in ("suggested", "score", "proposed", "decided"):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None


class CriteriaModel(RowsTableModel):
    """The branch's self-assessment criteria (editable: name, maximum, points)."""

    COLUMNS = (N_("Criterion"), N_("Maximum"), N_("Self-score"))
    changed_total = QtCore.Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.read_only = False

    def set_criteria(self, criteria: list[BranchCriterion]) -> None:
        self.set_rows(BranchCriterion(c.code, c.name, c.max_points, c.points) for c in criteria)
        self.changed_total.emit()

    def criteria(self) -> list[BranchCriterion]:
        return [BranchCriterion(c.code, c.name, c.max_points, c.points) for c in self._rows]

    def add(self) -> None:
        n = len(self._rows)
        self.beginInsertRows(QtCore.QModelIndex(), n, n)
        self._rows.append(BranchCriterion(f"c{n + 1}", _("New criterion"), 10.0, None))
        self.endInsertRows()
        self.changed_total.emit()

    def remove(self, row: int) -> None:
        if 0 <= row < len(self._rows):
            self.beginRemoveRows(QtCore.QModelIndex(), row, row)
            del self._rows[row]
            self.endRemoveRows()
            self.changed_total.emit()

    def flags(self, index):
        base = super().flags(index)
        if index.isValid() and not self.read_only:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        c: BranchCriterion | None = self.row_for(index)
        if c is None:
            return None
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if col == 0:
                return c.name
            value = c.max_points if col == 1 else c.points
            if role == Qt.ItemDataRole.EditRole:
                return float(value) if value is not None else 0.0
            return format_number(value) if value is not None else ""
        if role == Qt.ItemDataRole.TextAlignmentRole and col > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole):
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or self.read_only:
            return False
        c = self._rows[index.row()]
        col = index.column()
        if col == 0:
            c.name = str(value).strip()
        else:
            try:
                number = float(str(value).replace(",", ".")) if value not in (None, "") else None
            except ValueError:
                return False
            if col == 1:
                if number is None:
                    return False
                c.max_points = number
            else:
                c.points = number
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole])
        self.changed_total.emit()
        return True


class TallyModel(QtCore.QAbstractTableModel):
    """The four levels: number and share of those rated, and last year's when there is one."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._tally: Tally | None = None
        self._reg: Regulation | None = None

    def set_tally(self, tally: Tally | None, reg: Regulation | None) -> None:
        self.beginResetModel()
        self._tally, self._reg = tally, reg
        self.endResetModel()

    def _columns(self) -> list[str]:
        cols = [N_("Level"), N_("Number"), N_("Share")]
        if self._tally is not None and self._tally.previous is not None:
            cols += [N_("Last year")]
        return cols

    def rowCount(self, parent=QtCore.QModelIndex()) -> int:
        return 0 if parent.isValid() or self._tally is None else len(LEVEL_KEYS) + 1

    def columnCount(self, parent=QtCore.QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._columns())

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        cols = self._columns()
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal and 0 <= section < len(cols):
            return _(cols[section])
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        t, reg = self._tally, self._reg
        if t is None or reg is None or not index.isValid() or not (0 <= index.row() < self.rowCount()):
            return None
        row, col = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if row == len(LEVEL_KEYS):
                return [_("Total rated"), str(t.rated), format_pct(percent(t.rated, t.assessed), 2),
                        str(t.previous.rated) if t.previous else ""][col]
            k = LEVEL_KEYS[row]
            values = [reg.level_name(k), str(t.levels[k]), format_pct(t.percent[k], 2)]
            if t.previous is not None:
                values.append(f"{t.previous.levels[k]} ({format_pct(t.previous.percent[k], 2)})")
            return values[col]
        if role == Qt.ItemDataRole.TextAlignmentRole and col > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and row == len(LEVEL_KEYS):
            font = QtGui.QFont()
            font.setBold(True)
            return font
        return None
