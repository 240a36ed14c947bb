"""Item models of the meetings page: the year's meetings, the attendance grid, resolutions, amendments."""
from __future__ import annotations

from collections.abc import Callable

from services.i18n import N_, _, format_date, format_pct
from services.meetings import STATUS_LABELS, MeetingSummary, RosterRow, format_time, kind_label
from services.membership import Status

from ..qt import Qt, QtGui
from .base import RowsTableModel

ID_ROLE = Qt.ItemDataRole.UserRole + 2

STATUS_SHORT = {"present": "C", "excused": "P", "unexcused": "K"}
STATUS_COLORS = {"present": "#1b6e2a", "excused": "#8a5a00", "unexcused": "#b00020"}


class MeetingListModel(RowsTableModel):
    """Các buổi sinh hoạt trong năm: one row per meeting, in date order."""

    COLUMNS = (N_("Date"), N_("Kind"), N_("Present"), N_("Absent (P/K)"), N_("Minutes"))
    ROW_NUMBERS = True

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        r: MeetingSummary | None = self.row_for(index)
        if r is None:
            return None
        col = index.column()
        t = r.tally
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return format_date(r.date)
            if col == 1:
                return kind_label(r.kind) + (" +" + _("thematic") if r.kind == "regular" and r.topic else "")
            if col == 2:
                return f"{t.present}/{t.expected}"
            if col == 3:
                return f"{t.excused} / {t.unexcused}"
            if col == 4:
                return _("Finalised") if r.finalized else _("Draft")
        if role == ID_ROLE:
            return r.id
        if role == Qt.ItemDataRole.ToolTipRole:
            parts = [f"{format_date(r.date)} · {kind_label(r.kind)}",
                     _("Valid meeting") if r.valid else _("Not valid: too few members present")]
            if r.topic:
                parts.append(r.topic)
            if r.start_time:
                parts.append(f"{format_time(r.start_time)}–{format_time(r.end_time)}")
            if r.duration_warning:
                parts.append(r.duration_warning)
            return "\n".join(parts)
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == 2 and not r.valid:
                return QtGui.QBrush(QtGui.QColor("#b00020"))
            if col == 4 and not r.finalized:
                return QtGui.QBrush(QtGui.QColor("#8a5a00"))
        return None


class AttendanceModel(RowsTableModel):
    """Điểm danh: one row per member expected at the meeting. The reason cell is editable; the status
    is set with one key in the view (C, P, K). Writing goes through `writer(member_id, status, reason)`,
    which the page connects to the service; the page then gives the model the new rows."""

    COLUMNS = (N_("No."), N_("Full name"), N_("Member"), N_("Attendance"), N_("Reason"))
    STATUS_COL = 3
    REASON_COL = 4

    def __init__(self, parent=None):
        super().__init__(parent)
        self.read_only = True
        self.writer: Callable[[int, str | None, str], bool] | None = None

    def set_rows(self, rows: list[RosterRow], read_only: bool) -> None:
        """New rows; when the same members are shown in the same order, only the cells change
        (the cursor stays where it is)."""
        same = [r.member_id for r in rows] == [r.member_id for r in self._rows]
        flags_change = read_only != self.read_only
        self.read_only = read_only
        if same and rows:
            old, self._rows = self._rows, list(rows)
            # Only the rows that changed: a reason being typed in an open cell is not overwritten by a
            # reload that brings the same row (the page shows its own writes at once).
            for i, (was, now) in enumerate(zip(old, rows, strict=True)):
                if was != now or flags_change:
                    self.dataChanged.emit(self.index(i, 0), self.index(i, len(self.COLUMNS) - 1))
            return
        super().set_rows(rows)

    def update_row(self, row: int, new: RosterRow) -> None:
        """Show a change at once, while it is being stored (the page reloads the rows after)."""
        self._rows[row] = new
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.COLUMNS) - 1))

    def row_of_member(self, member_id: int) -> int:
        return next((i for i, r in enumerate(self._rows) if r.member_id == member_id), -1)

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == self.REASON_COL and not self.read_only:
            r = self._rows[index.row()]
            if r.status in ("excused", "unexcused"):
                flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        r: RosterRow | None = self.row_for(index)
        if r is None:
            return None
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if col == 0:
                return str(index.row() + 1)
            if col == 1:
                return r.full_name
            if col == 2:
                return _("Full") if r.member_status == Status.FULL else _("Probationary")
            if col == self.STATUS_COL:
                return "" if r.status is None else f"{STATUS_SHORT[r.status]} · {_(STATUS_LABELS[r.status])}"
            if col == self.REASON_COL:
                if role == Qt.ItemDataRole.DisplayRole and not r.reason and r.leave and r.status is None:
                    return "(" + r.leave + ")"
                return r.reason
        if role == ID_ROLE:
            return r.member_id
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == self.STATUS_COL and r.status:
                return QtGui.QBrush(QtGui.QColor(STATUS_COLORS[r.status]))
            if col == self.REASON_COL and not r.reason:
                return QtGui.QBrush(QtGui.QColor("#777777"))
        if role == Qt.ItemDataRole.ToolTipRole and col == self.STATUS_COL:
            return _("C: present · P: absent with reason · K: absent without reason · Delete: clear")
        return None

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or index.column() != self.REASON_COL:
            return False
        if self.read_only or self.writer is None:
            return False
        r = self._rows[index.row()]
        if r.status is None:
            return False
        return bool(self.writer(r.member_id, r.status, str(value)))


class ResolutionModel(RowsTableModel):
    """Nội dung biểu quyết and the votes; rows are (id, text, in favour, against, other, adopted)."""

    COLUMNS = (N_("Put to the vote"), N_("In favour"), N_("Against"), N_("Other opinions"), N_("Result"))

    def id_at(self, row: int) -> int:
        return self._rows[row][0]

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        r = self.row_for(index)
        if r is None:
            return None
        rid, text, yes, no, other, ok = r
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return text.replace("\n", " ")
            if col in (1, 2, 3):
                return str((yes, no, other)[col - 1])
            return _("Adopted") if ok else _("Not adopted")
        if role == Qt.ItemDataRole.ToolTipRole and col == 0:
            return text
        if role == ID_ROLE:
            return rid
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (1, 2, 3):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class AmendmentModel(RowsTableModel):
    """Lịch sử đính chính: one row per changed section of each amendment."""

    COLUMNS = (N_("Date"), N_("By"), N_("Reason"), N_("Section"), N_("Before"), N_("Now"))

    def set_amendments(self, amendments) -> None:
        """`amendments`: services.meetings.views.AmendmentView (or records with the same fields)."""
        self.set_rows((format_date(a.date), a.made_by, a.reason, c.get("title", ""), c.get("old", ""),
                       c.get("new", "")) for a in amendments for c in (a.changes or []))

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        r = self.row_for(index)
        if r is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return r[index.column()].replace("\n", " / ")
        if role == Qt.ItemDataRole.ToolTipRole:
            return r[index.column()]
        return None


def pct_text(value: float | None) -> str:
    return format_pct(value) if value is not None else "—"
