"""The shared shape of the plain table models: a list of rows given by a service, fixed columns."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from services.i18n import _

from ..qt import Qt, QtCore


class RowsTableModel(QtCore.QAbstractTableModel):
    """A flat table over `self._rows`, one row object per line.

    COLUMNS lists the columns in order, each either (key, English header msgid) or just the msgid
    (for models that address cells by column number); headers are translated when shown.
    ROW_NUMBERS shows 1, 2, 3… in the vertical header. ID_ATTR names the row attribute `row_of_id` looks at.
    """

    COLUMNS: Sequence[Any] = ()
    ROW_NUMBERS = False
    ID_ATTR = "id"

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list = []

    def set_rows(self, rows: Iterable) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int):
        return self._rows[row]

    def row_for(self, index) -> Any | None:
        """The row object behind a cell, or None for an invalid index or a row no longer there."""
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        return self._rows[index.row()]

    def row_of_id(self, id_: int) -> int:
        return next((i for i, r in enumerate(self._rows) if getattr(r, self.ID_ATTR) == id_), -1)

    @classmethod
    def header_msgid(cls, section: int) -> str:
        entry = cls.COLUMNS[section]
        return entry if isinstance(entry, str) else entry[1]

    def rowCount(self, parent=QtCore.QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QtCore.QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.COLUMNS):
            return _(self.header_msgid(section))
        if orientation == Qt.Orientation.Vertical and self.ROW_NUMBERS:
            return str(section + 1)
        return None
