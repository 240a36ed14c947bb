"""Thêm / sửa đảng viên, validated as the user types."""
from __future__ import annotations

from services import members as svc
from services.i18n import _

from ..qt import QtWidgets
from ..widgets import DateEdit, ProblemLabel, dialog_buttons


class MemberDialog(QtWidgets.QDialog):
    def __init__(self, ctx, member_id: int | None = None, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.member_id = member_id
        self.setWindowTitle(_("Edit member") if member_id else _("Add a member"))
        self.setMinimumWidth(560)
        with ctx.db.begin() as session:
            self._others = svc.all_members(session)
            data = svc.member_input_of(session.get(svc.Member, member_id)) if member_id else None

        self.name = QtWidgets.QLineEdit()
        self.birth = DateEdit()
        self.gender = QtWidgets.QComboBox()
        self.gender.addItems(["", *svc.GENDERS])
        self.ethnicity = QtWidgets.QLineEdit("Kinh")
        self.admitted = DateEdit()
        self.made_full = DateEdit()
        self.card = QtWidgets.QLineEdit()
        self.position = QtWidgets.QLineEdit()
        self.note = QtWidgets.QPlainTextEdit()
        self.note.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)

        form = QtWidgets.QFormLayout()
        form.addRow(_("Full name") + " *", self.name)
        form.addRow(_("Date of birth"), self.birth)
        form.addRow(_("Gender"), self.gender)
        form.addRow(_("Ethnicity"), self.ethnicity)
        form.addRow(_("Date of admission") + " *", self.admitted)
        form.addRow(_("Date made full member"), self.made_full)
        form.addRow(_("Party card no."), self.card)
        form.addRow(_("Position"), self.position)
        form.addRow(_("Note"), self.note)
        self.problems = ProblemLabel()
        self.buttons = dialog_buttons(self)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problems)
        layout.addWidget(self.buttons)

        if data:
            self.name.setText(data.full_name)
            self.birth.set_date(data.birth_date)
            self.gender.setCurrentText(data.gender)
            self.ethnicity.setText(data.ethnicity)
            self.admitted.set_date(data.admitted)
            self.made_full.set_date(data.made_full)
            self.card.setText(data.card_number)
            self.position.setText(data.position)
            self.note.setPlainText(data.note)
        self._touched = bool(member_id)
        for w in (self.name, self.birth, self.ethnicity, self.admitted, self.made_full, self.card, self.position):
            w.textChanged.connect(self.validate)
        self.gender.currentIndexChanged.connect(self.validate)
        self.name.textEdited.connect(self._touch)
        self.validate()

    def _touch(self) -> None:
        self._touched = True

    def value(self) -> svc.MemberInput:
        return svc.MemberInput(
            full_name=self.name.text(), admitted=self.admitted.date(), made_full=self.made_full.date(),
            birth_date=self.birth.date(), gender=self.gender.currentText(), ethnicity=self.ethnicity.text(),
            card_number=self.card.text(), position=self.position.text(), note=self.note.toPlainText(),
        )

    def current_problems(self) -> tuple[list[str], list[str]]:
        errors = []
        for widget, label in ((self.birth, _("Date of birth")), (self.admitted, _("Date of admission")),
                              (self.made_full, _("Date made full member"))):
            if not widget.is_valid():
                errors.append(_("{label}: not a valid date (dd/mm/yyyy).").format(label=label))
        check = svc.check_member(self.value(), self.ctx.today(), self._others, editing_id=self.member_id)
        errors += [p.message for p in check.errors]
        return errors, [p.message for p in check.warnings]

    def validate(self) -> bool:
        errors, warnings = self.current_problems()
        ok_button = self.buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok)
        ok_button.setEnabled(not errors)
        # Do not greet an empty form with red text: show errors once the user has typed.
        shown = errors if self._touched else []
        self.problems.show_problems(shown, warnings)
        return not errors

    def accept(self) -> None:
        self._touched = True
        if not self.validate():
            return
        with self.ctx.db.begin() as session:
            if self.member_id:
                svc.update_member(session, self.member_id, self.value(), self.ctx.today())
            else:
                self.member_id = svc.add_member(session, self.value(), self.ctx.today()).id
        self.ctx.notify_changed("members")
        super().accept()
