"""The shared table model base: rows, translated headers, row numbers, finding a row by id."""
from __future__ import annotations

from dataclasses import dataclass

from services.i18n import N_
from ui.models.base import RowsTableModel
from ui.qt import Qt


@dataclass
class Item:
    id: int
    name: str


class KeyedModel(RowsTableModel):
    COLUMNS = [("name", N_("Full name")), ("id", N_("Note"))]
    ROW_NUMBERS = True

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        r = self.row_for(index)
        if r is None or role != Qt.ItemDataRole.DisplayRole:
            return None
        return str(getattr(r, self.COLUMNS[index.column()][0]))


class PlainModel(RowsTableModel):
    COLUMNS = (N_("Full name"),)


def test_rows_headers_and_lookup(qtmodeltester):
    empty = KeyedModel()
    qtmodeltester.check(empty)
    model = KeyedModel()
    model.set_rows(Item(i, n) for i, n in [(7, "An"), (9, "Bình")])
    qtmodeltester.check(model)
    assert (model.rowCount(), model.columnCount()) == (2, 2)
    assert model.rowCount(model.index(0, 0)) == 0 and model.columnCount(model.index(0, 0)) == 0
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Họ và tên"
    assert model.headerData(1, Qt.Orientation.Vertical) == "2"
    assert model.headerData(0, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole) is None
    assert model.row_at(1).name == "Bình"
    assert model.row_of_id(9) == 1 and model.row_of_id(8) == -1
    assert model.row_for(model.index(0, 1)).id == 7
    assert model.index(1, 0).data() == "Bình"


def test_plain_msgid_columns_and_no_row_numbers(qapp):
    model = PlainModel()
    model.set_rows([Item(1, "An")])
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Họ và tên"
    assert model.headerData(0, Qt.Orientation.Vertical) is None
    assert model.headerData(1, Qt.Orientation.Horizontal) is None
    model.set_rows([])
    assert model.rowCount() == 0
