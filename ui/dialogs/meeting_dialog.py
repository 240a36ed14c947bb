"""Dialogs of the meetings page: a meeting's details, a resolution with its vote, an amendment."""
from __future__ import annotations

from services import meetings as svc
from services.i18n import _, format_date
from services.meetings import views
from services.ops import MEETINGS, OpResult

from ..qt import QtCore, QtGui, QtWidgets
from ..widgets import DateEdit, ProblemLabel, allow_save, ask, dialog_body, dialog_buttons
from .base import OpDialog


class TimeEdit(QtWidgets.QLineEdit):
    """A time typed as 14:00 (also 14h, 14h30, 1430); may be left empty."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setPlaceholderText(_("hh:mm"))
        self.setMaxLength(8)
        fm = QtGui.QFontMetrics(QtWidgets.QApplication.font())   # the text size chosen (Ctrl+ / Ctrl−)
        self.setMinimumWidth(fm.horizontalAdvance("00:00") + 28)
        self.setMaximumWidth(fm.horizontalAdvance("00:00000") + 28)

    def set_time(self, value) -> None:
        self.setText(svc.format_time(value))

    def time(self):
        return svc.parse_time(self.text())

    def is_valid(self) -> bool:
        return not self.text().strip() or self.time() is not None


def _plain_edit(lines: int) -> QtWidgets.QPlainTextEdit:
    edit = QtWidgets.QPlainTextEdit()
    edit.setTabChangesFocus(True)
    edit.setFixedHeight(edit.fontMetrics().lineSpacing() * lines + 14)
    return edit


def _name_combo(names: list[str]) -> QtWidgets.QComboBox:
    combo = QtWidgets.QComboBox()
    combo.setEditable(True)
    combo.addItems(["", *names])
    combo.setInsertPolicy(QtWidgets.QComboBox.InsertPolicy.NoInsert)
    completer = combo.completer()
    completer.setCompletionMode(QtWidgets.QCompleter.CompletionMode.PopupCompletion)
    completer.setFilterMode(QtCore.Qt.MatchFlag.MatchContains)
    completer.setCaseSensitivity(QtCore.Qt.CaseSensitivity.CaseInsensitive)
    return combo


class MeetingDialog(OpDialog):
    """Buổi sinh hoạt mới / sửa thông tin buổi sinh hoạt."""

    def __init__(self, ctx, meeting_id: int | None = None, year: int | None = None, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.meeting_id = meeting_id
        self.setWindowTitle(_("Edit the meeting") if meeting_id else _("New branch meeting"))
        self.setMinimumWidth(max(620, self.fontMetrics().averageCharWidth() * 80))   # grows with the text size
        today = ctx.today()
        form_data = ctx.read(lambda s: views.meeting_form(s, meeting_id, year or today.year, today))
        names, data = list(form_data.names), form_data.data
        self.seen = data if meeting_id else None    # a save over a change made elsewhere since is refused

        self.kind = QtWidgets.QComboBox()
        for key, label in svc.KIND_LABELS.items():
            self.kind.addItem(_(label), str(key))
        self.kind.setEnabled(meeting_id is None)
        self.date = DateEdit()
        self.start = TimeEdit()
        self.end = TimeEdit()
        self.topic = QtWidgets.QLineEdit()
        self.place = QtWidgets.QLineEdit()
        self.chair = _name_combo(names)
        self.chair_title = QtWidgets.QLineEdit()
        self.secretary = _name_combo(names)
        self.secretary_title = QtWidgets.QLineEdit()
        self.representative = QtWidgets.QLineEdit()
        self.representative.setObjectName("representative")
        self.representative.setPlaceholderText(
            _("e.g. comrade Nguyễn Văn A, member of the Party committee of the department"))
        self.guests = _plain_edit(2)
        self.guests.setPlaceholderText(_("invited people who are not from the superior committee"))
        self.temporary = _plain_edit(2)
        self.temporary.setObjectName("temporary_members")
        self.temporary.setPlaceholderText(_("members of other branches attending here for a time, one name a line"))
        self.number = QtWidgets.QLineEdit()
        self.number.setPlaceholderText(_("automatic"))
        self.number.setMaximumWidth(90)

        times = QtWidgets.QHBoxLayout()
        times.addWidget(self.start)
        times.addWidget(QtWidgets.QLabel(_("to")))
        times.addWidget(self.end)
        self.duration = QtWidgets.QLabel()
        times.addWidget(self.duration)
        times.addStretch(1)
        form = QtWidgets.QFormLayout()
        form.addRow(_("Kind of meeting"), self.kind)
        form.addRow(_("Date") + " *", self.date)
        form.addRow(_("Time"), times)
        self.topic_label = QtWidgets.QLabel()
        form.addRow(self.topic_label, self.topic)
        form.addRow(_("Place"), self.place)
        form.addRow(_("Presiding"), self.chair)
        form.addRow(_("Role of the presiding member"), self.chair_title)
        form.addRow(_("Minute-taker"), self.secretary)
        form.addRow(_("Role of the minute-taker"), self.secretary_title)
        form.addRow(_("Representative of the superior committee"), self.representative)
        form.addRow(_("Invited guests"), self.guests)
        form.addRow(_("Members attending temporarily"), self.temporary)
        form.addRow(_("Minutes number"), self.number)
        self.problems = ProblemLabel(reserve_lines=2)
        self.buttons = dialog_buttons(self)
        dialog_body(self, form, problems=self.problems, buttons=self.buttons)
        self.confirm: list[str] = []   # what the user is asked to confirm before saving (a date far ahead)

        self.kind.setCurrentIndex(max(0, self.kind.findData(str(data.kind))))
        self.date.set_date(data.date)
        self.start.set_time(data.start_time)
        self.end.set_time(data.end_time)
        self.topic.setText(data.topic)
        self.place.setText(data.place)
        self.chair.setCurrentText(data.chair_name)
        self.chair_title.setText(data.chair_title)
        self.secretary.setCurrentText(data.secretary_name)
        self.secretary_title.setText(data.secretary_title)
        self.guests.setPlainText(data.guests)
        self.representative.setText(data.representative)
        self.temporary.setPlainText(data.temporary_members)
        self.number.setText(str(data.number) if data.number else "")

        self.kind.currentIndexChanged.connect(self._kind_changed)
        for w in (self.date, self.start, self.end, self.topic, self.place, self.number):
            w.textChanged.connect(self.validate)
        self.chair.currentTextChanged.connect(self._chair_changed)
        self._kind_changed()
        (self.kind if meeting_id is None else self.date).setFocus()

    def _kind_changed(self) -> None:
        kind = self.kind.currentData()
        self.topic_label.setText(_("Topic") + " *" if kind == "thematic" else
                                 _("Thematic part (if held together)") if kind == "regular" else _("Matter"))
        self.validate()

    def _chair_changed(self, name: str) -> None:
        title = self.ctx.read(lambda s: svc.records.default_title(s, name))
        if title or not self.chair_title.text().strip():
            self.chair_title.setText(title)
        self.validate()

    def _number(self) -> int | None | str:
        text = self.number.text().strip()
        if not text:
            return None
        return int(text) if text.isdigit() else "bad"

    def value(self) -> svc.MeetingInput:
        number = self._number()
        return svc.MeetingInput(
            kind=self.kind.currentData(), date=self.date.date(), start_time=self.start.time(),
            end_time=self.end.time(), topic=self.topic.text(), place=self.place.text(),
            chair_name=self.chair.currentText(), chair_title=self.chair_title.text(),
            secretary_name=self.secretary.currentText(), secretary_title=self.secretary_title.text(),
            guests=self.guests.toPlainText(), number=number if isinstance(number, int) else None,
            representative=self.representative.text(), temporary_members=self.temporary.toPlainText(),
        )

    def validate(self) -> bool:
        errors, warnings = [], []
        if not self.date.is_valid():
            errors.append(_("Not a valid date (dd/mm/yyyy)."))
        if not self.start.is_valid() or not self.end.is_valid():
            errors.append(_("Not a valid time (hh:mm)."))
        if self._number() == "bad":
            errors.append(_("The minutes number is a whole number (leave it empty for automatic)."))
        data = self.value()
        minutes = svc.records.duration_minutes(data)
        self.duration.setText(_("({minutes} minutes)").format(minutes=minutes) if minutes and minutes > 0 else "")
        self.confirm = []
        if not errors and data.date is None:
            errors = [_("Enter the date of the meeting.")]
        elif not errors:
            meeting_id, today = self.meeting_id, self.ctx.today()
            check = self.ctx.read(lambda s: svc.check_meeting(s, data, editing_id=meeting_id, today=today))
            errors = [p.message for p in check.errors]
            warnings = [p.message for p in check.warnings]
            self.confirm = [p.message for p in check.confirm]
        self.problems.show_problems(errors, warnings + self.confirm)
        return allow_save(self.buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok), errors)

    def accept(self) -> None:
        if not self.validate():
            return
        confirmed = False
        if self.confirm:
            if not ask(self, self.windowTitle(), "\n\n".join([*self.confirm, _("Save the meeting with this date?")])):
                self.date.setFocus()
                return
            confirmed = True
        meeting_id, data, today, seen = self.meeting_id, self.value(), self.ctx.today(), self.seen

        def op(session) -> OpResult:
            if meeting_id is None:
                return OpResult(MEETINGS, (svc.create_meeting(session, data, today, confirmed).id, []))
            return OpResult(MEETINGS, (meeting_id, svc.update_meeting(session, meeting_id, data, today, confirmed,
                                                                      seen=seen)))

        def stored(value) -> None:
            self.meeting_id, self.dropped = value
            for combo in (self.chair, self.secretary):
                combo.completer().popup().hide()

        self.store(op, on_stored=stored)


class ResolutionDialog(OpDialog):
    """Nội dung biểu quyết and the vote, among the full members present."""

    def __init__(self, ctx, meeting_id: int, resolution_id: int | None = None, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.meeting_id = meeting_id
        self.resolution_id = resolution_id
        self.setWindowTitle(_("Vote") if resolution_id is None else _("Edit the vote"))
        self.setMinimumWidth(560)
        f = ctx.read(lambda s: views.resolution_form(s, meeting_id, resolution_id))
        self.voters = f.voters
        self.seen = f.seen      # the stored vote shown: a save over a change made elsewhere since is refused
        current = (f.text, f.in_favour, f.against, f.other, f.other_opinions)
        kind, self.rules, self.tally = f.kind, f.rules, f.tally
        self.kind = QtWidgets.QComboBox()
        self.kind.setObjectName("vote_kind")
        for k in svc.VOTE_KINDS:
            self.kind.addItem(svc.vote_label(k), k)
        self.kind.setCurrentIndex(max(0, self.kind.findData(kind)))
        self.base = QtWidgets.QLabel()
        self.base.setWordWrap(True)
        self.text = _plain_edit(3)
        self.in_favour, self.against, self.other = (QtWidgets.QSpinBox() for _i in range(3))
        for spin in (self.in_favour, self.against, self.other):
            spin.setRange(0, 999)
        self.other_opinions = QtWidgets.QLineEdit()
        self.all_yes = QtWidgets.QPushButton(_("All in favour"))
        self.all_yes.clicked.connect(self._all_in_favour)
        info = QtWidgets.QLabel(_("Full members present, who vote: {n}").format(n=self.voters))
        form = QtWidgets.QFormLayout()
        form.addRow(info)
        form.addRow(_("What the vote is on"), self.kind)
        form.addRow(self.base)
        form.addRow(_("Put to the vote") + " *", self.text)
        row = QtWidgets.QHBoxLayout()
        row.addWidget(self.in_favour)
        row.addWidget(self.all_yes)
        row.addStretch(1)
        form.addRow(_("In favour"), row)
        form.addRow(_("Against"), self.against)
        form.addRow(_("Other opinions"), self.other)
        form.addRow(_("What the other opinions were"), self.other_opinions)
        self.problems = ProblemLabel(reserve_lines=2)
        self.buttons = dialog_buttons(self)
        dialog_body(self, form, problems=self.problems, buttons=self.buttons)
        self.text.setPlainText(current[0])
        self.in_favour.setValue(current[1])
        self.against.setValue(current[2])
        self.other.setValue(current[3])
        self.other_opinions.setText(current[4])
        self.text.textChanged.connect(self.validate)
        self.kind.currentIndexChanged.connect(self.validate)
        for spin in (self.in_favour, self.against, self.other):
            spin.valueChanged.connect(self.validate)
        self.validate()

    def _show_base(self) -> None:
        rule = self.rules[self.kind.currentData()]
        base = rule.base_count(self.tally)
        passed = rule.passes(self.in_favour.value(), self.tally)
        self.base.setText(_("Counted against {base} full members: {threshold} is needed ({source}). "
                            "With {n} in favour: {result}.").format(
            base=base, threshold=rule.threshold, source=rule.source, n=self.in_favour.value(),
            result=_("passed") if passed else _("not passed")))

    def _all_in_favour(self) -> None:
        self.in_favour.setValue(self.voters)
        self.against.setValue(0)
        self.other.setValue(0)

    def value(self) -> svc.ResolutionInput:
        return svc.ResolutionInput(self.text.toPlainText(), self.in_favour.value(), self.against.value(),
                                   self.other.value(), self.other_opinions.text(), kind=self.kind.currentData())

    def validate(self) -> bool:
        self._show_base()
        check = svc.check_resolution(self.value(), self.voters)
        self.problems.show_problems([p.message for p in check.errors], [p.message for p in check.warnings])
        return allow_save(self.buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok),
                          [p.message for p in check.errors])

    def accept(self) -> None:
        if not self.validate():
            return
        meeting_id, data, resolution_id, seen = self.meeting_id, self.value(), self.resolution_id, self.seen

        def op(session):
            svc.save_resolution(session, meeting_id, data, resolution_id, seen=seen)
            return MEETINGS

        self.store(op)


class AmendmentDialog(OpDialog):
    """Đính chính biên bản: choose a section, correct its text, give the reason and who corrects."""

    def __init__(self, ctx, meeting_id: int, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.meeting_id = meeting_id
        f = ctx.read(lambda s: views.amendment_form(s, meeting_id, ctx.user))
        self.original, labels, who, when = dict(f.original), list(f.labels), f.made_by, f.meeting_date
        self.setWindowTitle(_("Amend the minutes of {date}").format(date=format_date(when)))
        self.setMinimumSize(680, 520)
        self.edited = dict(self.original)
        self.date = DateEdit(value=ctx.today())
        self.made_by = QtWidgets.QLineEdit(who)
        self.reason = QtWidgets.QLineEdit()
        self.section = QtWidgets.QComboBox()
        for key, label in labels:
            self.section.addItem(label, key)
        self.text = QtWidgets.QPlainTextEdit()
        self.text.setTabChangesFocus(True)
        form = QtWidgets.QFormLayout()
        form.addRow(_("Date of the amendment"), self.date)
        form.addRow(_("Amended by"), self.made_by)
        form.addRow(_("Reason") + " *", self.reason)
        form.addRow(_("Section"), self.section)
        form.addRow(_("Corrected text"), self.text)
        self.problems = ProblemLabel(reserve_lines=2)
        self.buttons = dialog_buttons(self, _("Save the amendment"))
        dialog_body(self, form, problems=self.problems, buttons=self.buttons, stretch_last=True)
        self._key = self.section.currentData()
        self.text.setPlainText(self.edited.get(self._key, ""))
        self.section.currentIndexChanged.connect(self._section_changed)
        self.reason.setFocus()

    def _section_changed(self) -> None:
        self.edited[self._key] = self.text.toPlainText()
        self._key = self.section.currentData()
        self.text.setPlainText(self.edited.get(self._key, ""))

    def value(self) -> svc.AmendmentInput:
        self.edited[self._key] = self.text.toPlainText()
        changed = {k: v for k, v in self.edited.items() if v != self.original.get(k, "")}
        return svc.AmendmentInput(self.date.date(), self.reason.text(), self.made_by.text(), changed)

    def accept(self) -> None:
        if not self.date.is_valid():
            self.problems.show_problems([_("Not a valid date (dd/mm/yyyy).")])
            return
        meeting_id, data, today = self.meeting_id, self.value(), self.ctx.today()

        def op(session):
            svc.amend_minutes(session, meeting_id, data, today)
            return MEETINGS

        self.store(op)
