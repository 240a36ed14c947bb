"""Dues dialogs: record a payment of one or more months, set a member's monthly amount, dues settings."""
from __future__ import annotations

from services import dues as svc
from services.errors import blocked_reason
from services.i18n import _, format_date
from services.ops import DUES

from ..models.dues import RateHistoryModel
from ..operations import run_op
from ..qt import Qt, QtWidgets
from ..widgets import DateEdit, ProblemLabel, allow_save, ask, dialog_body, dialog_buttons
from .base import OpDialog


class MonthPicker(QtWidgets.QWidget):
    """A month and a year, for "from month …"."""

    def __init__(self, year: int, month: int, parent=None):
        super().__init__(parent)
        self.month = QtWidgets.QComboBox()
        for m in range(1, 13):
            self.month.addItem(_("Month {m}").format(m=m), m)
        self.month.setCurrentIndex(month - 1)
        self.year = QtWidgets.QSpinBox()
        self.year.setRange(1990, 2100)
        self.year.setValue(year)
        lay = QtWidgets.QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.month)
        lay.addWidget(self.year)
        lay.addStretch(1)

    def value(self) -> tuple[int, int]:
        return self.year.value(), self.month.currentData()


class PaymentDialog(OpDialog):
    """Ghi nộp đảng phí: the date, the months covered (several at once, late or in advance), the amount."""

    def __init__(self, ctx, member_id: int, year: int, month: int | None = None, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.member_id = member_id
        self.dues = ctx.read(lambda s: svc.member_dues(s, member_id))
        self.selected: set[tuple[int, int]] = set()
        self._amount_touched = False
        self.setWindowTitle(_("Record a dues payment: {name}").format(name=self.dues.full_name))
        self.paid_on = DateEdit(value=ctx.today())
        self.year = QtWidgets.QSpinBox()
        self.year.setRange(1990, ctx.today().year + 1)
        self.year.setValue(year)
        self.year.setMaximumWidth(self.year.fontMetrics().horizontalAdvance("00000") + 40)
        self.boxes: list[QtWidgets.QCheckBox] = []
        grid = QtWidgets.QGridLayout()
        for m in range(1, 13):
            box = QtWidgets.QCheckBox()
            box.toggled.connect(lambda on, m=m: self._toggled(m, on))
            self.boxes.append(box)
            grid.addWidget(box, (m - 1) % 6, (m - 1) // 6)
        self.all_unpaid = QtWidgets.QPushButton(_("Tick the past unpaid months"))
        self.all_unpaid.clicked.connect(self._tick_unpaid)
        self.amount = QtWidgets.QLineEdit()
        self.amount.textEdited.connect(self._amount_edited)
        self.amount_hint = QtWidgets.QLabel()
        self.note = QtWidgets.QLineEdit()
        form = QtWidgets.QFormLayout()
        form.addRow(_("Date paid"), self.paid_on)
        form.addRow(_("Year"), self.year)
        form.addRow(_("Months paid"), grid)
        form.addRow("", self.all_unpaid)
        form.addRow(_("Amount (đồng)"), self.amount)
        form.addRow("", self.amount_hint)
        form.addRow(_("Note"), self.note)
        self.problems = ProblemLabel(reserve_lines=2)
        self.buttons = dialog_buttons(self)
        dialog_body(self, form, problems=self.problems, buttons=self.buttons)
        self.year.valueChanged.connect(lambda _v: self._load_year())
        self.paid_on.textChanged.connect(lambda _t: self.validate())
        if month is not None and (year, month) not in self.dues.paid and self.dues.owes(year, month):
            self.selected.add((year, month))
        self._load_year()

    def _load_year(self) -> None:
        year = self.year.value()
        for m, box in enumerate(self.boxes, 1):
            due = self.dues.amount_due(year, m)
            paid = self.dues.paid.get((year, m))
            text = _("Month {m}").format(m=m)
            outside = not self.dues.owes(year, m) and (year, m) <= (self.ctx.today().year, self.ctx.today().month)
            if paid:
                text += " – " + _("paid on {date}").format(date=format_date(paid.paid_on))
            elif outside:
                text += " – " + _("not in the branch")
            elif due is not None:
                text += f" ({svc.format_money(due)})"
            box.blockSignals(True)
            box.setText(text)
            box.setChecked(bool(paid) or (year, m) in self.selected)
            box.setEnabled(not paid and not outside)
            box.blockSignals(False)
        self._update_amount()

    def _toggled(self, month: int, on: bool) -> None:
        ym = (self.year.value(), month)
        if on:
            self.selected.add(ym)
        else:
            self.selected.discard(ym)
        self._update_amount()

    def _tick_unpaid(self) -> None:
        today = self.ctx.today()
        year = self.year.value()
        counted = self.ctx.read(lambda s: svc.counted_months(s, year, today))  # from the first month recorded
        for m in self.dues.unpaid(year, counted):
            self.boxes[m - 1].setChecked(True)

    def _amount_edited(self, _text: str) -> None:
        self._amount_touched = bool(self.amount.text().strip())
        self.validate()

    def _update_amount(self) -> None:
        dues = [self.dues.amount_due(*ym) for ym in sorted(self.selected)]
        if not self._amount_touched:
            self.amount.setText(svc.format_money(sum(d or 0 for d in dues), unit=False) if dues and None not in dues
                                else "")
        self.amount_hint.setText(_("{n} months selected: {months}").format(
            n=len(self.selected), months=svc.months_text(self.selected)) if self.selected else "")
        self.validate()

    def value(self) -> svc.PaymentInput:
        return svc.PaymentInput(self.member_id, self.paid_on.date(), sorted(self.selected),
                                svc.parse_money(self.amount.text()) if self.amount.text().strip() else None,
                                self.note.text())

    def validate(self) -> bool:
        if not self.paid_on.is_valid():
            errors = [_("Not a valid date (dd/mm/yyyy).")]
        elif self.amount.text().strip() and svc.parse_money(self.amount.text()) is None:
            errors = [_("Enter the amount paid in đồng.")]
        else:
            value, today = self.value(), self.ctx.today()
            errors, _total = self.ctx.read(lambda s: svc.check_payment(s, value, today))
        self.problems.show_problems(errors)
        return allow_save(self.buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok), errors)

    def accept(self) -> None:
        if not self.validate():
            return
        value, today = self.value(), self.ctx.today()

        def op(session):
            svc.record_payment(session, value, today)
            return DUES

        self.store(op)


class RateDialog(OpDialog):
    """Mức đảng phí: the history of a member's monthly amount and a new amount from a month on."""

    def __init__(self, ctx, member_id: int, year: int, month: int, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.member_id = member_id
        self.history = RateHistoryModel(self)
        self.table = QtWidgets.QTableView()
        self.table.setModel(self.history)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setMaximumHeight(150)
        delete = QtWidgets.QPushButton(_("Delete the selected amount"))
        delete.clicked.connect(self.delete_selected)
        self.start = MonthPicker(year, month)
        self.salary = QtWidgets.QLineEdit()
        self.salary.setPlaceholderText(_("e.g. 5.850.000"))
        self.salary.textEdited.connect(lambda _t: setattr(self, "_touched", True))
        self.salary.textEdited.connect(lambda _t: self._salary_changed())
        self.salary_hint = QtWidgets.QLabel()
        self.salary_hint.setWordWrap(True)
        self.amount = QtWidgets.QLineEdit()
        self.amount.textEdited.connect(lambda _t: setattr(self, "_touched", True) or self.validate())
        self.note = QtWidgets.QLineEdit()
        form = QtWidgets.QFormLayout()
        form.addRow(_("From month"), self.start)
        form.addRow(_("Salary for social insurance (optional)"), self.salary)
        form.addRow("", self.salary_hint)
        form.addRow(_("Monthly amount (đồng)"), self.amount)
        form.addRow(_("Note"), self.note)
        self.problems = ProblemLabel(reserve_lines=2)
        self.buttons = dialog_buttons(self)
        lay = QtWidgets.QVBoxLayout(self)
        self.title = QtWidgets.QLabel()
        lay.addWidget(self.title)
        lay.addWidget(self.table, 1)   # the history takes the height to spare: nothing below it moves
        lay.addWidget(delete, 0, Qt.AlignmentFlag.AlignLeft)
        lay.addWidget(QtWidgets.QLabel("<b>" + _("New amount") + "</b>"))
        lay.addLayout(form)
        lay.addWidget(self.problems)
        lay.addWidget(self.buttons)
        self.setMinimumWidth(640)
        self._touched = False
        self._load()
        self.validate()
        self.table.resizeColumnsToContents()
        self.salary.setFocus()

    def _load(self) -> None:
        member_id = self.member_id
        d = self.ctx.read(lambda s: svc.member_dues(s, member_id))
        values = self.ctx.read(svc.dues_settings)
        self.rate_pct, self.rounding = values.salary_rate, values.rounding
        self.setWindowTitle(_("Monthly dues: {name}").format(name=d.full_name))
        self.title.setText("<b>" + _("Amounts of {name}").format(name=d.full_name) + "</b>")
        self.history.set_rates(d.rates)
        self.seen = tuple(d.rates)   # the amounts shown: a save over one changed elsewhere since is refused

    def _salary_changed(self) -> None:
        salary = svc.parse_money(self.salary.text())
        if salary:
            amount = self.ctx.read(lambda s: svc.amount_from_salary(s, salary))
            self.amount.setText(svc.format_money(amount, unit=False))
            self.salary_hint.setText(_("{pct}% of {salary}, rounded to {unit} đồng: {amount}").format(
                pct=str(self.rate_pct).replace(".", ",").removesuffix(",0"), salary=svc.format_money(salary),
                unit=svc.format_money(self.rounding, unit=False), amount=svc.format_money(amount)))
        else:
            self.salary_hint.setText("")
        self.validate()

    def value(self) -> tuple[tuple[int, int], str, str, str]:
        """What the form holds (from month, salary, amount, note), as typed: Esc asks when it changed."""
        return self.start.value(), self.salary.text().strip(), self.amount.text().strip(), self.note.text()

    def validate(self) -> bool:
        errors = []
        if self.salary.text().strip() and not svc.parse_money(self.salary.text()):
            errors.append(_("The salary must be a positive amount in đồng."))
        if svc.parse_money(self.amount.text()) is None:
            errors.append(_("Enter the monthly amount in đồng (0 if the member pays nothing)."))
        if self._touched:
            self.problems.show_problems(errors)
        else:
            self.problems.show_problems([], notes=[blocked_reason(errors)] if errors else [])
        return allow_save(self.buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok), errors)

    def accept(self) -> None:
        if not self.validate():
            return
        year, month = self.start.value()
        member_id, today, note = self.member_id, self.ctx.today(), self.note.text()
        amount, basis = svc.parse_money(self.amount.text()), svc.parse_money(self.salary.text()) or None
        seen = self.seen

        def op(session):
            svc.set_rate(session, member_id, year, month, amount, today, basis=basis, note=note, seen=seen)
            return DUES

        self.store(op)

    def delete_selected(self) -> None:
        index = self.table.currentIndex()
        if not index.isValid():
            return
        rate = self.history.row_at(index.row())
        if not ask(self, _("Delete the selected amount"), _(
                "Delete the amount {amount} from month {month}/{year}? The months from then on take the amount "
                "before it.").format(amount=svc.format_money(rate.amount), month=rate.month, year=rate.year)):
            return
        rate_id = rate.id

        def op(session):
            svc.delete_rate(session, rate_id)
            return DUES

        run_op(self, op, title=_("Delete the selected amount"), on_success=lambda _v: self._load())


class DuesSettingsDialog(OpDialog):
    """The dues settings the upper committee decides."""

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(_("Dues settings"))
        current = ctx.read(svc.dues_settings)
        self.seen = current      # a save over settings changed elsewhere since is refused
        values = {svc.ROUNDING.key: current.rounding, svc.SALARY_RATE.key: current.salary_rate,
                  svc.BRANCH_SHARE.key: current.branch_share, svc.UNPAID_LIMIT.key: current.unpaid_limit}
        self.rounding = QtWidgets.QComboBox()
        for unit in svc.ROUNDING.choices:
            self.rounding.addItem(_("not rounded") if unit == 1 else svc.format_money(unit), unit)
        self.rounding.setCurrentIndex(self.rounding.findData(values[svc.ROUNDING.key]))
        self.rate = QtWidgets.QDoubleSpinBox()
        self.rate.setRange(0, 10)
        self.rate.setDecimals(2)
        self.rate.setSuffix(" %")
        self.rate.setValue(values[svc.SALARY_RATE.key])
        self.share = QtWidgets.QDoubleSpinBox()
        self.share.setRange(0, 100)
        self.share.setDecimals(1)
        self.share.setSuffix(" %")
        self.share.setValue(values[svc.BRANCH_SHARE.key])
        self.limit = QtWidgets.QSpinBox()
        self.limit.setRange(1, 12)
        self.limit.setValue(values[svc.UNPAID_LIMIT.key])
        form = QtWidgets.QFormLayout()
        form.addRow(_("Round dues computed from a salary to"), self.rounding)
        form.addRow(_("Dues of a member in social insurance (% of salary)"), self.rate)
        form.addRow(_("Share of the dues the branch keeps"), self.share)
        form.addRow(_("Remind after this many unpaid months in a year"), self.limit)
        note = QtWidgets.QLabel(_("Set these as the upper committee instructs. Defaults: 1% of the salary used for "
                                  "social insurance; everything remitted upward; a reminder after 3 unpaid months."))
        note.setWordWrap(True)
        self.problems = ProblemLabel()        # a refusal, beside the figures (takes no room until then)
        self.buttons = dialog_buttons(self)
        lay = QtWidgets.QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(note)
        lay.addWidget(self.problems)
        lay.addWidget(self.buttons)

    def value(self) -> svc.DuesSettings:
        return svc.DuesSettings(self.rounding.currentData(), float(self.rate.value()), float(self.share.value()),
                                int(self.limit.value()))

    def accept(self) -> None:
        values, seen = self.value(), self.seen

        def op(session):
            svc.set_dues_settings(session, values, seen=seen)
            return DUES

        self.store(op)
