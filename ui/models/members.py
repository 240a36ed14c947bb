"""Item models for the member register and a member's history."""
from __future__ import annotations

import datetime as dt

from services.i18n import N_, _, format_date
from services.member_removal import LikelyDuplicate
from services.members import RegisterFilter, RegisterRow, describe_event
from services.vntext import fold, word_key

from ..qt import Qt, QtCore, QtGui
from .base import RowsTableModel

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2
DUPLICATE_ROLE = Qt.ItemDataRole.UserRole + 3   # why the record looks entered twice ("" when it does not)
# The register's filter that shows only the likely duplicates (not a state of membership).
DUPLICATES = "duplicates"
DUPLICATE_BACKGROUND = "#fff1cc"


class MemberTableModel(RowsTableModel):
    """Danh sách đảng viên: one row per member, rows in the order the service gives."""

    COLUMNS = [
        ("full_name", N_("Full name")),
        ("birth_date", N_("Date of birth")),
        ("gender", N_("Gender")),
        ("ethnicity", N_("Ethnicity")),
        ("admitted", N_("Admitted")),
        ("made_full", N_("Full member since")),
        ("card_number", N_("Party card no.")),
        ("position", N_("Position")),
        ("status", N_("Status")),
    ]
    ROW_NUMBERS = True

    def __init__(self, parent=None):
        super().__init__(parent)
        self.duplicates: dict[int, LikelyDuplicate] = {}

    def set_rows(self, rows, duplicates: dict[int, LikelyDuplicate] | None = None) -> None:
        self.duplicates = dict(duplicates or {})
        super().set_rows(rows)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        r: RegisterRow | None = self.row_for(index)
        if r is None:
            return None
        key = self.COLUMNS[index.column()][0]
        dup = self.duplicates.get(r.id)
        if role == DUPLICATE_ROLE:
            return dup.reason if dup else ""
        if dup is not None:
            if role == Qt.ItemDataRole.BackgroundRole:
                return QtGui.QBrush(QtGui.QColor(DUPLICATE_BACKGROUND))
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"{r.full_name}\n{dup.reason}" if key == "full_name" else dup.reason
            if role == Qt.ItemDataRole.DisplayRole and key == "status":
                return " · ".join(t for t in (r.status_text, _("probably entered twice")) if t)
        if role == Qt.ItemDataRole.DisplayRole:
            value = r.status_text if key == "status" else getattr(r, key)
            return format_date(value) if isinstance(value, dt.date) else value
        if role == SORT_ROLE:
            if key == "full_name":
                return index.row()  # the service's Vietnamese order
            value = r.status_text if key == "status" else getattr(r, key)
            if isinstance(value, dt.date):
                return value.toordinal()
            if value is None:
                return -1
            return str(word_key(value)) if isinstance(value, str) else value
        if role == ID_ROLE:
            return r.id
        if role == Qt.ItemDataRole.ForegroundRole and not r.state.in_branch:
            return QtGui.QBrush(QtGui.QColor("#777777"))
        if role == Qt.ItemDataRole.ToolTipRole and key == "full_name":
            return r.full_name
        return None


class MemberFilterProxy(QtCore.QSortFilterProxyModel):
    """Instant search ignoring diacritics and case, plus the status filter."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._terms: list[str] = []
        self._filter = RegisterFilter.CURRENT
        self.setSortRole(SORT_ROLE)

    def set_search(self, text: str) -> None:
        self._change_filter(lambda: setattr(self, "_terms", fold(text).split()))

    def set_status_filter(self, which: RegisterFilter) -> None:
        self._change_filter(lambda: setattr(self, "_filter", which))

    def _change_filter(self, change) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.9+
            self.beginFilterChange()
            change()
            self.endFilterChange(QtCore.QSortFilterProxyModel.Direction.Rows)
        else:
            change()
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent) -> bool:
        model = self.sourceModel()
        row = model.row_at(source_row)
        if self._filter == DUPLICATES:
            if row.id not in model.duplicates:
                return False
        elif not row.in_filter(self._filter):
            return False
        return all(t in row.search_text for t in self._terms)

    def lessThan(self, left, right) -> bool:
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        if type(a) is not type(b):
            return str(a) < str(b)
        return a < b


class HistoryModel(RowsTableModel):
    """Quá trình sinh hoạt đảng of one member: date and description of each event."""

    COLUMNS = (N_("Date"), N_("Event"))

    def set_events(self, events) -> None:
        self.set_rows(sorted(events, key=lambda e: (e.date, e.id or 0)))

    event_at = RowsTableModel.row_at

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        e = self.row_for(index)
        if e is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return format_date(e.date) if index.column() == 0 else describe_event(e)
        return None
