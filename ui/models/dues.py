"""Item models of the dues page: the month's list, a member's amounts and payments."""
from __future__ import annotations

from collections.abc import Callable

from services.dues import MonthLine, PaymentRow, RateRow, format_money, months_text
from services.errors import ValidationError
from services.i18n import N_, _, format_date

from ..qt import Qt, QtGui, Signal
from .base import RowsTableModel

ID_ROLE = Qt.ItemDataRole.UserRole + 2


class DuesMonthModel(RowsTableModel):
    """One row per member owing the month: amount, paid or not (a check box), date, unpaid months."""

    COLUMNS = [N_("No."), N_("Full name"), N_("Monthly amount"), N_("Paid"), N_("Amount paid"), N_("Date paid"),
               N_("Unpaid months")]
    PAID_COLUMN = 3
    ID_ATTR = "member_id"

    problem = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.year = self.month = 0
        self.unpaid_limit = 3
        self.toggler: Callable[[int, bool], bool] | None = None  # (row, paid) -> done

    def set_lines(self, year: int, month: int, lines: list[MonthLine], unpaid_limit: int = 3) -> None:
        self.year, self.month, self.unpaid_limit = year, month, unpaid_limit
        self.set_rows(lines)

    line_at = RowsTableModel.row_at

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == self.PAID_COLUMN:
            base |= Qt.ItemFlag.ItemIsUserCheckable
        return base

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        line: MonthLine | None = self.row_for(index)
        if line is None:
            return None
        col = index.column()
        if role == ID_ROLE:
            return line.member_id
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return str(index.row() + 1)
            if col == 1:
                return line.full_name
            if col == 2:
                return format_money(line.amount_due) if line.amount_due is not None else _("not set")
            if col == 3:
                return _("paid") if line.is_paid else _("unpaid")
            if col == 4:
                return format_money(line.paid.amount) if line.paid else ""
            if col == 5:
                return format_date(line.paid.paid_on) if line.paid else ""
            if col == 6:
                return ", ".join(str(m) for m in line.unpaid_in_year)
        if role == Qt.ItemDataRole.CheckStateRole and col == self.PAID_COLUMN:
            return Qt.CheckState.Checked if line.is_paid else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (0, 2, 4):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == 2 and line.amount_due is None:
                return QtGui.QBrush(QtGui.QColor("#b36b00"))
            if col == 3 and not line.is_paid:
                return QtGui.QBrush(QtGui.QColor("#b00020"))
            if col == 6 and len(line.unpaid_in_year) >= self.unpaid_limit:
                return QtGui.QBrush(QtGui.QColor("#b00020"))
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == 4 and line.paid and line.paid.months_in_payment > 1:
                return _("Part of a payment covering {n} months.").format(n=line.paid.months_in_payment)
            if col == 6 and line.unpaid_in_year or col == 0 and line.unpaid_in_year:
                return _("Months of {year} that have ended and are not paid: {months}").format(
                    year=self.year, months=months_text([(self.year, m) for m in line.unpaid_in_year]))
        return None

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or index.column() != self.PAID_COLUMN or self.toggler is None:
            return False
        paid = Qt.CheckState(value) == Qt.CheckState.Checked if not isinstance(value, bool) else value
        try:
            return self.toggler(index.row(), paid)
        except ValidationError as exc:
            self.problem.emit(str(exc))
            return False


class RateHistoryModel(RowsTableModel):
    """A member's monthly amounts (RateRow), each from a month on."""

    COLUMNS = (N_("From month"), N_("Monthly amount"), N_("Salary for social insurance"), N_("Note"))

    set_rates = RowsTableModel.set_rows

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        r: RateRow | None = self.row_for(index)
        if r is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return [f"{r.month}/{r.year}", format_money(r.amount), format_money(r.basis) if r.basis else "",
                    r.note][index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (1, 2):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class PaymentsModel(RowsTableModel):
    """A member's payments (PaymentRow): date, months covered, amount, note."""

    COLUMNS = (N_("Date paid"), N_("For months"), N_("Amount"), N_("Note"))

    set_payments = RowsTableModel.set_rows

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        p: PaymentRow | None = self.row_for(index)
        if p is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return [format_date(p.paid_on), months_text(p.months), format_money(p.amount), p.note][index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == ID_ROLE:
            return p.id
        return None
