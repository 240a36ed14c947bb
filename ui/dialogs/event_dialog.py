"""Ghi một sự kiện vào quá trình sinh hoạt đảng của đảng viên."""
from __future__ import annotations

from services import members as svc
from services.errors import blocked_reason
from services.i18n import _
from services.members import DisciplineForm, EventKind
from services.membership import PERIOD_KINDS
from services.ops import MEMBERS

from ..qt import QtWidgets
from ..widgets import DateEdit, ProblemLabel, allow_save, dialog_body, dialog_buttons
from .base import OpDialog

# The admission is chosen only to say where it took place (its date is edited in the member's details).
CHOOSABLE = [k for k in EventKind if k != EventKind.ADMITTED] + [EventKind.ADMITTED]
TRANSFERS = (EventKind.TRANSFER_IN, EventKind.TRANSFER_OUT)


class EventDialog(OpDialog):
    def __init__(self, ctx, member_id: int, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.member_id = member_id
        self.member = ctx.read(lambda s: svc.member_view(s, member_id))
        self.setWindowTitle(_("Record an event: {name}").format(name=self.member.full_name))
        self.setMinimumWidth(520)
        self.kind = QtWidgets.QComboBox()
        for k in CHOOSABLE:
            self.kind.addItem(svc.event_label(k), k)
        self.date = DateEdit()
        self.end_date = DateEdit()
        self.other_org = QtWidgets.QLineEdit()
        self.form = QtWidgets.QComboBox()
        self.form.addItem("", "")
        for f in DisciplineForm:
            self.form.addItem(f.value.capitalize(), f.value)
        self.reason = QtWidgets.QLineEdit()
        self.elsewhere = QtWidgets.QCheckBox(_("At the member's previous Party organisation (before joining this branch)"))
        lay = QtWidgets.QFormLayout()
        lay.addRow(_("Event"), self.kind)
        lay.addRow("", self.elsewhere)
        lay.addRow(_("Date"), self.date)
        self.end_label = QtWidgets.QLabel(_("Until (leave empty if still in effect)"))
        lay.addRow(self.end_label, self.end_date)
        self.org_label = QtWidgets.QLabel(_("Other Party organisation"))
        lay.addRow(self.org_label, self.other_org)
        self.form_label = QtWidgets.QLabel(_("Form of discipline"))
        lay.addRow(self.form_label, self.form)
        lay.addRow(_("Reason / note"), self.reason)
        self.problems = ProblemLabel(reserve_lines=2)
        self.buttons = dialog_buttons(self)
        dialog_body(self, lay, problems=self.problems, buttons=self.buttons)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        for w in (self.date, self.end_date, self.other_org):
            w.textChanged.connect(self.validate)
        self.form.currentIndexChanged.connect(self.validate)
        self.elsewhere.toggled.connect(self._kind_changed)
        self._kind_changed()

    def _at_other_org(self) -> bool:
        kind = self.kind.currentData()
        return kind in TRANSFERS or (kind in svc.ELSEWHERE_KINDS and self.elsewhere.isChecked())

    def value(self) -> svc.EventInput:
        kind = self.kind.currentData()
        return svc.EventInput(
            kind=kind, date=self.date.date(),
            end_date=self.end_date.date() if kind in PERIOD_KINDS else None,
            other_org=self.other_org.text() if self._at_other_org() else "",
            form=self.form.currentData() if kind == EventKind.DISCIPLINE else "",
            reason=self.reason.text(),
        )

    def _kind_changed(self) -> None:
        kind = self.kind.currentData()
        self.elsewhere.setVisible(kind in svc.ELSEWHERE_KINDS)
        if kind == EventKind.ADMITTED:
            # Only where the admission took place can be recorded here; its date is the member's.
            self.elsewhere.blockSignals(True)
            self.elsewhere.setChecked(True)
            self.elsewhere.blockSignals(False)
            self.elsewhere.setEnabled(False)
            admitted = next((e.date for e in self.member.events if e.kind == EventKind.ADMITTED), None)
            if admitted is not None and not self.date.text().strip():
                self.date.set_date(admitted)
        else:
            self.elsewhere.setEnabled(True)
        self.org_label.setText(_("Previous Party organisation") if kind in svc.ELSEWHERE_KINDS
                               else _("Other Party organisation"))
        for label, widget, show in (
            (self.end_label, self.end_date, kind in PERIOD_KINDS),
            (self.org_label, self.other_org, self._at_other_org()),
            (self.form_label, self.form, kind == EventKind.DISCIPLINE),
        ):
            label.setVisible(show)
            widget.setVisible(show)
        self.validate()

    def validate(self) -> bool:
        errors = []
        if not self.date.is_valid() or not self.end_date.is_valid():
            errors.append(_("Not a valid date (dd/mm/yyyy)."))
        elif self.date.text().strip():
            errors = svc.check_event(self.member, self.value(), self.ctx.today())
        missing = [] if errors or self.date.date() is not None else [_("Enter the date of the event.")]
        ok = allow_save(self.buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok), errors + missing)
        self.problems.show_problems(errors, notes=[blocked_reason(missing)] if missing else [])
        return ok

    def accept(self) -> None:
        if not self.validate():
            return
        member_id, event, today = self.member_id, self.value(), self.ctx.today()
        seen = self.member.events     # the history shown: an admission's place is not rewritten over a change

        def op(session):
            svc.add_event(session, member_id, event, today, seen=seen)
            return MEMBERS

        self.store(op)
