"""Đảng phí: the month's list (Space marks paid), payments of several months, amounts, the year's book."""
from __future__ import annotations

from pathlib import Path

from services import dues as svc
from services.i18n import N_, _, format_date
from services.ops import DUES, NOTHING, OpResult
from services.vntext import fold

from ..dialogs.dues_dialogs import DuesSettingsDialog, PaymentDialog, RateDialog
from ..files import ask_save_path
from ..flow import ButtonBar, flow_row
from ..models.dues import ID_ROLE, DuesMonthModel, PaymentsModel
from ..operations import run_op
from ..qt import Qt, QtCore, QtGui, QtWidgets, Signal
from ..widgets import ask, fit_columns, inform, page_action, shortcut
from .base import Page, page_heading


class DuesView(QtWidgets.QTableView):
    """Space (anywhere on the row) marks the current member's month paid, or unpaid."""

    toggle_requested = Signal()

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Space and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            self.toggle_requested.emit()
            return
        super().keyPressEvent(event)


class DuesPage(Page):
    title = N_("Party dues")
    areas = frozenset({"dues", "members"})

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, parent)
        today = ctx.today()
        self.model = DuesMonthModel(self)
        self.model.toggler = self._set_paid
        self.model.problem.connect(self.show_problem)

        self.month = QtWidgets.QComboBox()
        for m in range(1, 13):
            self.month.addItem(_("Month {m}").format(m=m), m)
        self.month.setCurrentIndex(today.month - 1)
        self.year = QtWidgets.QSpinBox()
        self.year.setRange(1990, today.year + 1)
        self.year.setValue(today.year)
        self.month.currentIndexChanged.connect(lambda _i: self.refresh())
        self.year.valueChanged.connect(lambda _v: self.refresh())
        month_label = QtWidgets.QLabel(_("&Month:"))
        month_label.setBuddy(self.month)
        prev_btn = QtWidgets.QToolButton()
        prev_btn.setText("◀")
        prev_btn.setToolTip(_("Previous month (Ctrl+PgUp)"))
        prev_btn.clicked.connect(lambda: self.step_month(-1))
        next_btn = QtWidgets.QToolButton()
        next_btn.setText("▶")
        next_btn.setToolTip(_("Next month (Ctrl+PgDown)"))
        next_btn.clicked.connect(lambda: self.step_month(1))

        self.table = DuesView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.toggle_requested.connect(self.toggle_current)
        self.table.doubleClicked.connect(lambda _i: self.record_payment())
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._show_member())

        self.actions_bar = ButtonBar()   # wraps onto a second line rather than hiding buttons
        self._action(_("Paid / unpaid"), "Space", self.toggle_current, shortcut_too=False)
        self._action(_("Record a payment of several months…"), "Ctrl+N", self.record_payment)
        self._action(_("Monthly amount…"), "Ctrl+M", self.edit_rate)
        self.actions_bar.addSeparator()
        # The books and the settings, less frequent, share one button with a menu.
        more = QtWidgets.QMenu(self)
        self.act_book = self._action(_("Year's dues book…"), "Ctrl+P", lambda: self.export_book(), menu=more)
        self._action(_("Book of the selected member…"), None, self.export_member_book, menu=more)
        more.addSeparator()
        self._action(_("Settings…"), None, self.edit_settings, menu=more)
        more_button = QtWidgets.QToolButton()
        more_button.setText(_("Dues book, settings"))
        more_button.setMenu(more)
        more_button.setPopupMode(QtWidgets.QToolButton.ToolButtonPopupMode.InstantPopup)
        more_button.setAutoRaise(True)
        self.actions_bar.addWidget(more_button)

        self.member_title = QtWidgets.QLabel()
        self.member_title.setWordWrap(True)
        self.rate_text = QtWidgets.QLabel()
        self.rate_text.setWordWrap(True)
        self.payments_model = PaymentsModel(self)
        self.payments = QtWidgets.QTableView()
        self.payments.setModel(self.payments_model)
        self.payments.verticalHeader().setVisible(False)
        self.payments.horizontalHeader().setStretchLastSection(True)
        self.payments.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.payments.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.payments.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        delete_payment = QtWidgets.QPushButton(_("Delete the selected payment"))
        delete_payment.clicked.connect(self.delete_payment)
        side = QtWidgets.QWidget()
        self.side = side
        side_lay = QtWidgets.QVBoxLayout(side)
        side_lay.setContentsMargins(8, 0, 0, 0)
        side_lay.addWidget(self.member_title)
        side_lay.addWidget(self.rate_text)
        side_lay.addWidget(self.payments, 1)
        side_lay.addWidget(delete_payment, 0, Qt.AlignmentFlag.AlignLeft)

        self.totals = QtWidgets.QLabel()
        self.totals.setWordWrap(True)
        self.totals.setTextFormat(Qt.TextFormat.RichText)
        self.message = QtWidgets.QLabel()
        self.message.setWordWrap(True)

        month_row = QtWidgets.QHBoxLayout()
        for w in (month_label, prev_btn, self.month, self.year, next_btn):
            month_row.addWidget(w)
        top = flow_row(page_heading(_("Party dues")), None, month_row)
        middle = QtWidgets.QHBoxLayout()
        middle.addWidget(self.table, 1)
        middle.addWidget(side)
        lay = QtWidgets.QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.actions_bar)
        lay.addLayout(middle, 1)
        lay.addWidget(self.totals)
        lay.addWidget(self.message)
        shortcut(self, "Ctrl+PgUp", lambda: self.step_month(-1))
        shortcut(self, "Ctrl+PgDown", lambda: self.step_month(1))
        shortcut(self, "Ctrl+G", self.table.setFocus)

    def _action(self, text: str, keys: str | None, slot, shortcut_too: bool = True, menu=None) -> QtGui.QAction:
        return page_action(self, text, keys, slot, menu or self.actions_bar, show_keys=menu is None,
                           shortcut_too=shortcut_too)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        # Keyboard first: the list takes the keys, unless the user is moving through the navigation.
        focus = QtWidgets.QApplication.focusWidget()
        if focus is None or focus.objectName() != "navigation":
            self.table.setFocus()

    # --- data ------------------------------------------------------------------------------
    def ym(self) -> tuple[int, int]:
        return self.year.value(), self.month.currentData()

    def step_month(self, step: int) -> None:
        index = svc.ym_index(*self.ym()) + step
        year, month = svc.ym_of(index)
        if not self.year.minimum() <= year <= self.year.maximum():
            return
        for widget in (self.year, self.month):
            widget.blockSignals(True)
        self.year.setValue(year)
        self.month.setCurrentIndex(month - 1)
        for widget in (self.year, self.month):
            widget.blockSignals(False)
        self.refresh()

    def refresh(self) -> None:
        selected = self.selected_id()
        year, month = self.ym()
        today = self.ctx.today()
        view = self.ctx.read(lambda s: svc.month_view(s, year, month, today))
        sheet, share = view.sheet, view.branch_keeps_share
        self.model.set_lines(year, month, sheet.lines, view.unpaid_limit)
        self._fit_table()
        t = sheet.totals
        parts = [
            _("Month {month}/{year}: {paid} of {members} members have paid.").format(
                month=month, year=year, paid=t.paid_members, members=t.members),
            _("To collect: {due}; collected: {paid}; still to collect: {unpaid}.").format(
                due=svc.format_money(t.due), paid=svc.format_money(t.paid), unpaid=svc.format_money(t.unpaid)),
        ]
        if share:
            parts.append(_("Kept by the branch: {kept}; to remit upward: {remitted}.").format(
                kept=svc.format_money(t.kept), remitted=svc.format_money(t.remitted)))
        else:
            parts.append(_("To remit upward: {remitted}.").format(remitted=svc.format_money(t.remitted)))
        if t.without_amount:
            parts.append(_("{n} members have no monthly amount set (Ctrl+M).").format(n=t.without_amount))
        self.totals.setText("<b>" + " ".join(parts) + "</b>")
        row = self.model.row_of_id(selected) if selected is not None else -1
        if row < 0 and self.model.rowCount():
            row = 0
        if row >= 0:
            self.table.setCurrentIndex(self.model.index(row, 1))
        self._show_member()

    def selected_id(self) -> int | None:
        index = self.table.currentIndex()
        return index.data(ID_ROLE) if index.isValid() else None

    def _show_member(self) -> None:
        member_id = self.selected_id()
        year = self.year.value()
        if member_id is None:
            self.member_title.setText("")
            self.rate_text.setText("")
            self.payments_model.set_payments([])
            return
        view = self.ctx.read(lambda s: svc.member_dues_view(s, member_id, year))
        d, payments = view.dues, view.payments
        self.member_title.setText("<b>" + _("{name}: payments of {year}").format(name=d.full_name, year=year) + "</b>")
        amount = d.amount_due(*self.ym())
        rate_lines = [_("Monthly amount in month {month}/{year}: {amount}").format(
            month=self.ym()[1], year=year,
            amount=svc.format_money(amount) if amount is not None else _("not set"))]
        if len(d.rates) > 1:
            rate_lines.append(_("Amounts: {list}").format(list="; ".join(
                _("from {month}/{year}: {amount}").format(month=r.month, year=r.year,
                                                          amount=svc.format_money(r.amount)) for r in d.rates)))
        self.rate_text.setText("\n".join(rate_lines))
        self.payments_model.set_payments(payments)
        self._fit_side()

    def _fit_table(self) -> None:
        """Every column in full at the normal text size: the table gives the side panel only what is left."""
        width = fit_columns(self.table)
        self.table.setMinimumWidth(min(width, self.fontMetrics().averageCharWidth() * 40))   # more: it scrolls

    def _fit_side(self) -> None:
        """The member's payments, every column in full (the note column only when a payment has a note):
        the side panel as wide as they need, at any text size."""
        notes = any(self.payments_model.row_at(r).note for r in range(self.payments_model.rowCount()))
        self.payments.setColumnHidden(3, not notes)
        need = fit_columns(self.payments)
        self.side.setFixedWidth(max(self.fontMetrics().averageCharWidth() * 28, need + 8))

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QtCore.QEvent.Type.FontChange and hasattr(self, "side"):
            self._fit_table()     # Ctrl+ / Ctrl− changed the text size
            self._fit_side()

    def show_problem(self, text: str) -> None:
        self.message.setStyleSheet("color:#b00020")
        self.message.setText(text)
        QtWidgets.QApplication.beep()

    def say(self, text: str) -> None:
        self.message.setStyleSheet("color:#1d3f73")
        self.message.setText(text)

    # --- actions ---------------------------------------------------------------------------
    def _set_paid(self, row: int, paid: bool) -> bool:
        """Mark the month paid (today, its amount) or take it out of its payment (after confirmation)."""
        line = self.model.line_at(row)
        year, month = self.ym()
        member_id, today = line.member_id, self.ctx.today()
        if paid == line.is_paid:
            return True
        if paid:
            def pay(session):
                svc.mark_paid(session, member_id, year, month, today)
                return DUES

            run_op(self, pay, title=_("Paid / unpaid"), on_refused=lambda p: self.show_problem("\n".join(p)),
                   on_success=lambda _v: self.say(_("{name}: month {month}/{year} paid.").format(
                       name=line.full_name, month=month, year=year)))
        else:
            p = line.paid
            text = _("Mark month {month}/{year} of {name} unpaid? The payment of {date} ({amount}) is removed.").format(
                month=month, year=year, name=line.full_name, date=format_date(p.paid_on),
                amount=svc.format_money(p.amount))
            if p.months_in_payment > 1:
                text = _("Month {month}/{year} of {name} was paid on {date} together with other months. Take only "
                         "this month out of that payment (its amount goes down by {amount})?").format(
                    month=month, year=year, name=line.full_name, date=format_date(p.paid_on),
                    amount=svc.format_money(p.amount))
            if not ask(self, _("Paid / unpaid"), text):
                return False

            def unpay(session):
                svc.unpay_month(session, member_id, year, month)
                return DUES

            run_op(self, unpay, title=_("Paid / unpaid"), on_refused=lambda p: self.show_problem("\n".join(p)),
                   on_success=lambda _v: self.say(_("{name}: month {month}/{year} marked unpaid.").format(
                       name=line.full_name, month=month, year=year)))
        return True

    def toggle_current(self) -> None:
        index = self.table.currentIndex()
        if not index.isValid():
            return
        row = index.row()
        self._set_paid(row, not self.model.line_at(row).is_paid)
        self.table.setCurrentIndex(self.model.index(min(row, self.model.rowCount() - 1), index.column()))

    def record_payment(self) -> None:
        member_id = self.selected_id()
        if member_id is None:
            inform(self, _("Record a payment"), _("Select a member first."))
            return
        year, month = self.ym()
        PaymentDialog(self.ctx, member_id, year, month, parent=self).exec()

    def edit_rate(self) -> None:
        member_id = self.selected_id()
        if member_id is None:
            inform(self, _("Monthly amount…"), _("Select a member first."))
            return
        year, month = self.ym()
        RateDialog(self.ctx, member_id, year, month, parent=self).exec()

    def delete_payment(self) -> None:
        index = self.payments.currentIndex()
        if not index.isValid():
            inform(self, _("Delete the selected payment"), _("Select a payment in the list first."))
            return
        p = self.payments_model.row_at(index.row())
        if not ask(self, _("Delete the selected payment"), _(
                "Delete the payment of {date} ({amount}, months {months})? Those months become unpaid.").format(
                date=format_date(p.paid_on), amount=svc.format_money(p.amount), months=svc.months_text(p.months))):
            return
        payment_id = p.id

        def op(session):
            svc.delete_payment(session, payment_id)
            return DUES

        run_op(self, op, title=_("Delete the selected payment"))

    def edit_settings(self) -> None:
        DuesSettingsDialog(self.ctx, parent=self).exec()

    def _save_path(self, title: str, name: str) -> Path | None:
        return ask_save_path(self, title, name, [("PDF (*.pdf)", ".pdf"), ("Excel (*.xlsx)", ".xlsx")], kind="dues")

    def export_book(self, member_ids: list[int] | None = None) -> Path | None:
        year = self.year.value()
        title = _("Year's dues book…").rstrip("…")
        name = f"so-dang-phi-{year}.pdf"
        if member_ids:
            line = self.model.line_at(self.model.row_of_id(member_ids[0])) \
                if self.model.row_of_id(member_ids[0]) >= 0 else None
            slug = "-".join(fold(line.full_name).split()) if line else str(member_ids[0])
            name = f"so-dang-phi-{year}-{slug}.pdf"
        path = self._save_path(title, name)
        if path is None:
            return None
        today = self.ctx.today()

        def written(_value) -> None:
            if ask(self, title, _("Saved to {path}. Open it now?").format(path=path), default_no=False):
                QtGui.QDesktopServices.openUrl(QtCore.QUrl.fromLocalFile(str(path)))

        run_op(self, lambda s: OpResult(NOTHING, svc.export_book(s, year, path, today, member_ids)),
               title=title, label=_("Writing {name}…").format(name=path.name), on_success=written)
        return path

    def export_member_book(self) -> Path | None:
        member_id = self.selected_id()
        if member_id is None:
            inform(self, _("Book of the selected member…"), _("Select a member first."))
            return None
        return self.export_book([member_id])
