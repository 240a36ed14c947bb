"""Item models for the member register and a member's history."""
from __future__ import annotations

import datetime as dt

from services.i18n import N_, _, format_date
from services.members import RegisterFilter, RegisterRow, describe_event
from services.vntext import fold, word_key

from ..qt import Qt, QtCore, QtGui

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2


class MemberTableModel(QtCore.QAbstractTableModel):
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

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[RegisterRow] = []

    def set_rows(self, rows: list[RegisterRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> RegisterRow:
        return self._rows[row]

    def row_of_id(self, member_id: int) -> int:
        for i, r in enumerate(self._rows):
            if r.id == member_id:
                return i
        return -1

    def rowCount(self, parent=QtCore.QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QtCore.QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.COLUMNS):
            return _(self.COLUMNS[section][1])
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        r = self._rows[index.row()]
        key = self.COLUMNS[index.column()][0]
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
        if not row.in_filter(self._filter):
            return False
        return all(t in row.search_text for t in self._terms)

    def lessThan(self, left, right) -> bool:
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        if type(a) is not type(b):
            return str(a) < str(b)
        return a < b


class HistoryModel(QtCore.QAbstractTableModel):
    """Quá trình sinh hoạt đảng of one member: date and description of each event."""

    HEADERS = (N_("Date"), N_("Event"))

    def __init__(self, parent=None):
        super().__init__(parent)
        self._events: list = []

    def set_events(self, events) -> None:
        self.beginResetModel()
        self._events = sorted(events, key=lambda e: (e.date, e.id or 0))
        self.endResetModel()

    def event_at(self, row: int):
        return self._events[row]

    def rowCount(self, parent=QtCore.QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._events)

    def columnCount(self, parent=QtCore.QModelIndex()) -> int:
        return 0 if parent.isValid() else 2

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal and 0 <= section < 2:
            return _(self.HEADERS[section])
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self._events)):
            return None
        e = self._events[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return format_date(e.date) if index.column() == 0 else describe_event(e)
        return None
