"""Item models of the "Gửi cấp trên" page: the committee's branches and its tally."""
from __future__ import annotations

from typing import Any

from services.exchange.committee import BranchStatus, local_text
from services.exchange.source import LEVELS
from services.i18n import N_, _, format_pct

from ..qt import Qt, QtGui
from .base import RowsTableModel

ID_ROLE = Qt.ItemDataRole.UserRole + 1
NUMBER_ALIGN = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class BranchStatusModel(RowsTableModel):
    """The branches a committee expects, with the latest file each sent for the period."""

    COLUMNS = [N_("Branch"), N_("Status"), N_("File made"), N_("Received"), N_("Files sent"), N_("Members"),
               N_("Branch's proposed level"), N_("Signing key")]

    def _text(self, r: BranchStatus, col: int) -> Any:
        if col == 0:
            return r.name if r.expected or not r.accepted else f"{r.name} {_('(no longer expected)')}"
        if col == 1:
            if r.held_file_id is not None:
                return _("file held, not counted")
            return _("sent") if r.sent else _("not sent")
        if col == 2:
            return local_text(r.made_at)
        if col == 3:
            return local_text(r.received_at)
        if col == 4:
            return r.versions or ""
        if col == 5:
            return "" if r.members is None else r.members
        if col == 6:
            return r.proposed_level or ""
        return " ".join((r.key_fingerprint or r.held_fingerprint).split()[:2])

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        r: BranchStatus | None = self.row_for(index)
        if r is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(r, col)
        if role == ID_ROLE:
            return r.id
        if role == Qt.ItemDataRole.ForegroundRole and col == 1:
            return QtGui.QBrush(QtGui.QColor("#1b5e20" if r.sent and r.held_file_id is None else "#b00020"))
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (4, 5):
            return int(NUMBER_ALIGN)
        if role == Qt.ItemDataRole.ToolTipRole and col == 0:
            return r.name
        if role == Qt.ItemDataRole.ToolTipRole and col == 7 and r.key_fingerprint:
            return r.key_fingerprint + "\n" + _(
                "The first digits of the branch's signing key; ask the branch to read them out to check.")
        return None


class CommitteeTallyModel(RowsTableModel):
    """The committee's tally: one row per branch that sent, then the totals and the shares."""

    COLUMNS = [N_("Branch"), N_("Members"), N_("Rated"), N_("Not rated"), *LEVELS, N_("Branch's proposed level")]

    def __init__(self, parent=None):
        super().__init__(parent)
        self._bold: set[int] = set()
        self._year: int | None = None

    def set_tally(self, tally: dict[str, Any] | None) -> None:
        self.beginResetModel()
        self._rows, self._bold = [], set()
        self._year = tally["year"] if tally else None
        if tally:
            for b in tally["branches"]:
                self._rows.append([b["branch"], b["members_total"], b["assessed"], b["not_assessed"],
                                   *(b["levels"][k] for k in LEVELS), b["collective_level"] or ""])
            self._bold.add(len(self._rows))
            self._rows.append([_("Total"), tally["members_total"], tally["assessed"], tally["not_assessed"],
                               *(tally["levels"][k] for k in LEVELS), ""])
            self._rows.append([_("Share of those rated"), "", "", "",
                               *(format_pct(tally["percent"][k], 2) for k in LEVELS), ""])
        self.endResetModel()

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal \
                and 4 <= section < 4 + len(LEVELS):
            from services.exchange.report import level_name

            return level_name(LEVELS[section - 4], self._year) if self._year else LEVELS[section - 4]
        return super().headerData(section, orientation, role)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        r = self.row_for(index)
        if r is None:
            return None
        value = r[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole) and (
                role == Qt.ItemDataRole.DisplayRole or index.column() == 0):
            return value
        if role == Qt.ItemDataRole.TextAlignmentRole and 0 < index.column() < len(self.COLUMNS) - 1:
            return int(NUMBER_ALIGN)
        if role == Qt.ItemDataRole.FontRole and index.row() in self._bold:
            font = QtGui.QFont()
            font.setBold(True)
            return font
        return None
