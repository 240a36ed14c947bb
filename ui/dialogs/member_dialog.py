"""Thêm / sửa đảng viên, validated as the user types."""
from __future__ import annotations

from services import members as svc
from services.errors import blocked_reason
from services.i18n import _
from services.ops import MEMBERS, OpResult

from ..qt import QtWidgets
from ..widgets import DateEdit, ProblemLabel, allow_save, dialog_body, dialog_buttons, inform
from .base import OpDialog


class MemberDialog(OpDialog):
    def __init__(self, ctx, member_id: int | None = None, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.member_id = member_id
        self.setWindowTitle(_("Edit member") if member_id else _("Add a member"))
        self.setMinimumWidth(max(560, self.fontMetrics().averageCharWidth() * 75))  # grows with the zoom
        today = ctx.today()
        self._others = ctx.read(lambda s: svc.register(s, today))
        view = ctx.read(lambda s: svc.member_view(s, member_id)) if member_id else None
        data = view.input if view else None
        # What this window shows: a save over a change made elsewhere since is refused (row version).
        self._seen, self._seen_version = data, view.version if view else None

        self.name = QtWidgets.QLineEdit()
        self.birth = DateEdit()
        self.gender = QtWidgets.QComboBox()
        self.gender.addItems(["", *svc.GENDERS])
        self.ethnicity = QtWidgets.QLineEdit("Kinh")
        self.admitted = DateEdit()
        self.made_full = DateEdit()
        self.card = QtWidgets.QLineEdit()
        self.position = QtWidgets.QLineEdit()
        self.party_post = QtWidgets.QComboBox()
        self.party_post.setEditable(True)
        self.party_post.addItems(["", *svc.PARTY_POSTS])
        self.party_post.lineEdit().setPlaceholderText(_("e.g. Chi ủy viên"))
        # Stated by the secretary, never guessed from the position: they choose the personal form.
        self.leader = self._yes_no_box()
        self.in_system = self._yes_no_box()
        self.form_hint = QtWidgets.QLabel()
        self.form_hint.setObjectName("form_hint")
        self.form_hint.setWordWrap(True)
        # Room for the longest note (three lines), so that the window never lays it over the fields.
        self.form_hint.setMinimumHeight(self.form_hint.fontMetrics().lineSpacing() * 3 + 4)
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
        form.addRow(_("Party post"), self.party_post)
        form.addRow(_(svc.ATTRIBUTE_LABELS["holds_leadership_post"]), self.leader)
        form.addRow(_(svc.ATTRIBUTE_LABELS["in_political_system"]), self.in_system)
        form.addRow(_("Note"), self.note)
        self.problems = ProblemLabel(reserve_lines=2)
        self.buttons = dialog_buttons(self)
        dialog_body(self, form, self.form_hint, problems=self.problems, buttons=self.buttons)

        if data:
            self.name.setText(data.full_name)
            self.birth.set_date(data.birth_date)
            self.gender.setCurrentText(data.gender)
            self.ethnicity.setText(data.ethnicity)
            self.admitted.set_date(data.admitted)
            self.made_full.set_date(data.made_full)
            self.card.setText(data.card_number)
            self.position.setText(data.position)
            self.party_post.setCurrentText(data.party_post)
            self._set_yes_no(self.leader, data.holds_leadership_post)
            self._set_yes_no(self.in_system, data.in_political_system)
            self.note.setPlainText(data.note)
        self._touched = bool(member_id)
        for w in (self.name, self.birth, self.ethnicity, self.admitted, self.made_full, self.card, self.position):
            w.textChanged.connect(self.validate)
        self.gender.currentIndexChanged.connect(self.validate)
        self.party_post.currentTextChanged.connect(self.validate)
        for box in (self.leader, self.in_system):
            box.currentIndexChanged.connect(self.validate)
        self.name.textEdited.connect(self._touch)
        self.validate()

    def _yes_no_box(self) -> QtWidgets.QComboBox:
        box = QtWidgets.QComboBox()
        box.addItem(_("— not stated —"), None)
        box.addItem(_("Yes"), True)
        box.addItem(_("No"), False)
        return box

    @staticmethod
    def _set_yes_no(box: QtWidgets.QComboBox, value: bool | None) -> None:
        box.setCurrentIndex({None: 0, True: 1, False: 2}[value])

    def _update_form_hint(self) -> None:
        """Which self-review form the year's regulation gives this member, or what to state first."""
        from services.errors import UserError
        from services.review.frameworks import personal_form_for
        from services.review.rules import regulation_for

        year = self.ctx.today().year
        try:
            choice = personal_form_for(self.value(), regulation_for(year))
        except UserError:  # no usable rule file for the year: nothing to say here
            self.form_hint.setText("")
            return
        if choice.form is not None:
            self.form_hint.setText(_("Self-review form for {year}: {form}").format(year=year, form=choice.form.name))
            self.form_hint.setStyleSheet("color:#555")
        else:
            self.form_hint.setText(choice.note())
            self.form_hint.setStyleSheet("color:#a15c00")

    def _touch(self) -> None:
        self._touched = True

    def value(self) -> svc.MemberInput:
        return svc.MemberInput(
            full_name=self.name.text(), admitted=self.admitted.date(), made_full=self.made_full.date(),
            birth_date=self.birth.date(), gender=self.gender.currentText(), ethnicity=self.ethnicity.text(),
            card_number=self.card.text(), position=self.position.text(), note=self.note.toPlainText(),
            party_post=self.party_post.currentText(), holds_leadership_post=self.leader.currentData(),
            in_political_system=self.in_system.currentData(),
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
        self._update_form_hint()
        errors, warnings = self.current_problems()
        allow_save(self.buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok), errors)
        # Do not greet an empty form with red text: until the user has typed, what is missing is said
        # quietly, so that the greyed "Lưu" is never a riddle.
        if self._touched:
            self.problems.show_problems(errors, warnings)
        else:
            self.problems.show_problems([], warnings, [blocked_reason(errors)] if errors else [])
        return not errors

    def accept(self) -> None:
        self._touched = True
        if not self.validate():
            return
        data, today, member_id = self.value(), self.ctx.today(), self.member_id
        seen, seen_version = self._seen, self._seen_version

        def op(session) -> OpResult:
            if member_id:
                return OpResult(MEMBERS, svc.update_member(session, member_id, data, today, seen=seen,
                                                           seen_version=seen_version).id)
            return OpResult(MEMBERS, svc.add_member(session, data, today).id)

        self.store(op, on_stored=lambda new_id: setattr(self, "member_id", new_id), write=True)

    def refused(self, exc) -> None:
        if isinstance(exc, svc.ChangedElsewhereError):
            inform(self, _("Not saved"), "\n".join(exc.problems), error=True)
            return
        super().refused(exc)
