"""One member's review sheet (phiếu đánh giá) and the bar chart of the four levels."""
from __future__ import annotations

import html

from services.i18n import _, format_date, format_number
from services.review.engine import (
    CONDITION_PREFIX,
    DISCIPLINE_COUNTED_BEFORE,
    QUARTERS,
    framework_of,
    level_conditions,
    quarterly_applies,
)
from services.review.rules import FLAG_CAPS, Regulation
from services.review.service import ReviewInput, ReviewRow, facts_lines, sheet_limit

from ..qt import Qt, QtCore, QtGui, QtWidgets
from ..widgets import ProblemLabel

NONE = -1  # the spin boxes' "not entered" value, shown as "—"
VI = QtCore.QLocale(QtCore.QLocale.Language.Vietnamese, QtCore.QLocale.Country.Vietnam)  # 28,5 not 28.5

# The mouse wheel changes these only when they have the focus: ui.widgets.WheelGuard does it for the
# whole program.
SpinBox = QtWidgets.QSpinBox
DoubleSpinBox = QtWidgets.QDoubleSpinBox
ComboBox = QtWidgets.QComboBox


def _wrapping(text: str) -> QtWidgets.QLabel:
    label = QtWidgets.QLabel(text)
    label.setWordWrap(True)
    return label


def level_combo(reg: Regulation | None, empty: str = "—") -> QtWidgets.QComboBox:
    combo = ComboBox()
    combo.setSizeAdjustPolicy(QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(14)
    fill_levels(combo, reg, empty)
    return combo


def fill_levels(combo: QtWidgets.QComboBox, reg: Regulation | None, empty: str = "—") -> None:
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(empty, "")
    if reg is not None:
        for code in reg.level_codes:
            combo.addItem(f"{code} — {reg.level_name(code)}", code)
    combo.setCurrentIndex(max(0, combo.findData(current)))
    combo.blockSignals(False)


def condition_labels(reg: Regulation, conditions_of) -> dict[str, str]:
    """flag key -> "HTXSNV, HTTNV condition: text" for every condition of the levels, a condition shared by
    several levels (the same code) shown once with all of them."""
    levels: dict[str, list[str]] = {}
    texts: dict[str, str] = {}
    for level in reg.level_codes:
        for cond in conditions_of(level):
            key = CONDITION_PREFIX + cond.code
            levels.setdefault(key, []).append(level)
            texts.setdefault(key, cond.text)
    return {key: _("{level} condition: {text}").format(level=", ".join(lv), text=texts[key])
            for key, lv in levels.items()}


def set_level(combo: QtWidgets.QComboBox, code: str) -> None:
    combo.setCurrentIndex(max(0, combo.findData(code or "")))


class WrapCheck(QtWidgets.QWidget):
    """A check box whose text wraps (QCheckBox never wraps, which makes narrow panels scroll sideways)."""

    toggled = QtCore.Signal(bool)

    def __init__(self, text: str, parent=None):
        super().__init__(parent)
        self.box = QtWidgets.QCheckBox()
        self.label = QtWidgets.QLabel(text)
        self.label.setWordWrap(True)
        self.label.setBuddy(self.box)
        lay = QtWidgets.QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.box, 0, Qt.AlignmentFlag.AlignTop)
        lay.addWidget(self.label, 1)
        self.box.toggled.connect(self.toggled)
        self.label.mousePressEvent = lambda _e: self.box.isEnabled() and self.box.toggle()

    def isChecked(self) -> bool:
        return self.box.isChecked()

    def setChecked(self, value: bool) -> None:
        self.box.setChecked(value)

    def text(self) -> str:
        return self.label.text()


def _count_spin() -> QtWidgets.QSpinBox:
    spin = SpinBox()
    spin.setRange(NONE, 999)
    spin.setSpecialValueText("—")
    spin.setValue(NONE)
    return spin


class ReviewSheet(QtWidgets.QWidget):
    """Facts of the year, the program's proposal with its reasons, and the levels recorded."""

    save_requested = QtCore.Signal()
    use_proposal_requested = QtCore.Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.reg: Regulation | None = None
        self.row: ReviewRow | None = None
        self.closed = False
        self.loaded: ReviewInput | None = None    # what the sheet showed when loaded (or last saved)
        self.seen: ReviewInput | None = None      # the stored review it was loaded from (refuses a save over a
                                                  # change made elsewhere since)
        self._loading = False
        self.title = QtWidgets.QLabel()
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.title.setFont(font)
        self.title.setProperty("text_scale", 1.15)     # follows Ctrl+ / Ctrl− (MainWindow._follow_text_size)
        self.status = QtWidgets.QLabel()
        self.status.setWordWrap(True)
        self.facts = QtWidgets.QLabel()
        self.facts.setWordWrap(True)
        self.facts.setTextFormat(Qt.TextFormat.RichText)
        self.reasons = QtWidgets.QLabel()
        self.reasons.setWordWrap(True)
        self.reasons.setTextFormat(Qt.TextFormat.RichText)
        self.limit_label = QtWidgets.QLabel()
        self.limit_label.setWordWrap(True)

        self.criteria_box = QtWidgets.QGroupBox(_("Criteria"))
        self.criteria_form = QtWidgets.QFormLayout(self.criteria_box)
        self.criteria_form.setRowWrapPolicy(QtWidgets.QFormLayout.RowWrapPolicy.WrapLongRows)
        self.criteria_widgets: dict[str, QtWidgets.QWidget] = {}
        self.total = DoubleSpinBox()
        self.total.setRange(NONE, 100)
        self.total.setSpecialValueText("—")
        self.total.setDecimals(2)

        self.flags_box = QtWidgets.QGroupBox(_("Facts the branch confirms"))
        self.flags_layout = QtWidgets.QVBoxLayout(self.flags_box)
        self.flag_boxes: dict[str, WrapCheck] = {}
        self._row_keys: list[str] = []   # boxes that belong to the member shown (discipline, framework)

        # Quarterly assessments (QĐ 366; KL 198): members holding a leadership or management post.
        self.quarters_box = QtWidgets.QGroupBox(_("Quarterly assessments"))
        quarters_form = QtWidgets.QFormLayout(self.quarters_box)
        self.quarter_combos: dict[int, QtWidgets.QComboBox] = {}
        for q in QUARTERS:
            combo = level_combo(None)
            combo.currentIndexChanged.connect(self._update_limit)
            self.quarter_combos[q] = combo
            quarters_form.addRow(_("Quarter {q}").format(q=q), combo)
        self.quarters_note = _wrapping("")
        quarters_form.addRow(self.quarters_note)

        self.self_level = level_combo(None)
        self.proposed = level_combo(None)
        self.decided = level_combo(None)
        self.votes_for, self.votes_against, self.voters = _count_spin(), _count_spin(), _count_spin()
        self.decision_ref = QtWidgets.QLineEdit()
        self.decision_ref.setPlaceholderText(_("e.g. Thông báo số 125-TB/ĐU"))
        self.decision_ref.setToolTip(_("The superior's document. With it, the committee's decision may set a level "
                                       "whose conditions the branch has not confirmed."))
        self.decision_ref.textChanged.connect(self._update_limit)
        self.comment = QtWidgets.QPlainTextEdit()
        self.comment.setPlaceholderText(_("The branch's comments on the member"))
        self.comment.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        levels = QtWidgets.QFormLayout()
        levels.setRowWrapPolicy(QtWidgets.QFormLayout.RowWrapPolicy.WrapLongRows)
        levels.addRow(_("Self-assessed level"), self.self_level)
        levels.addRow(_("Branch proposes"), self.proposed)
        levels.addRow(_("Votes in favour"), self.votes_for)
        levels.addRow(_("Votes against"), self.votes_against)
        levels.addRow(_("Full members voting"), self.voters)
        levels.addRow(_("Committee decides"), self.decided)
        levels.addRow(_("Decision no."), self.decision_ref)
        levels.addRow(QtWidgets.QLabel(_("Comments")))
        levels.addRow(self.comment)

        self.problems = ProblemLabel()
        self.problems.setVisible(False)
        self.btn_use = QtWidgets.QPushButton(_("Use the suggested level"))
        self.btn_use.clicked.connect(self.use_proposal_requested)
        self.btn_save = QtWidgets.QPushButton(_("Save (Ctrl+S)"))
        self.btn_save.setDefault(True)
        self.btn_save.clicked.connect(self.save_requested)
        buttons = QtWidgets.QHBoxLayout()
        buttons.addWidget(self.btn_use)
        buttons.addStretch(1)
        buttons.addWidget(self.btn_save)

        inner = QtWidgets.QWidget()
        lay = QtWidgets.QVBoxLayout(inner)
        for w in (self.title, self.status, self.facts, self.reasons, self.limit_label, self.criteria_box,
                  self.flags_box, self.quarters_box):
            lay.addWidget(w)
        lay.addLayout(levels)
        lay.addStretch(1)
        self.scroll = QtWidgets.QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(inner)
        self.scroll.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        outer = QtWidgets.QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.scroll, 1)
        # The problems and the buttons stay in sight below the scrolled sheet.
        outer.addWidget(self.problems)
        outer.addLayout(buttons)
        self.total.valueChanged.connect(self._update_limit)
        self.proposed.currentIndexChanged.connect(self._update_limit)
        self.decided.currentIndexChanged.connect(self._update_limit)
        self.load(None, None, closed=False)

    # --- building the parts that depend on the year's regulation --------------------------------
    def set_regulation(self, reg: Regulation) -> None:
        if reg is self.reg:
            return
        self.reg = reg
        for combo in (self.self_level, self.proposed, self.decided, *self.quarter_combos.values()):
            fill_levels(combo, reg)
        while self.criteria_form.rowCount():
            self.criteria_form.removeRow(0)
        self.criteria_widgets = {}
        self.total = DoubleSpinBox()
        if reg.scoring is not None:
            for c in reg.criteria:
                spin = DoubleSpinBox()
                spin.setLocale(VI)
                spin.setDecimals(reg.scoring.decimals)
                spin.setRange(NONE, c.max_points or 0)
                spin.setSpecialValueText("—")
                spin.setValue(NONE)
                spin.setToolTip(c.covers)
                spin.valueChanged.connect(self._update_limit)
                self.criteria_widgets[c.code] = spin
                self.criteria_form.addRow(_wrapping(_("{name} (max {max})").format(
                    name=c.name, max=format_number(c.max_points))), spin)
            self.total.setLocale(VI)
            self.total.setRange(NONE, reg.scoring.max_points)
            self.total.setDecimals(reg.scoring.decimals)
            self.total.setSpecialValueText("—")
            self.total.valueChanged.connect(self._update_limit)
            self.criteria_form.addRow(_wrapping(_("Total points (when entered without the criteria)")), self.total)
        else:
            for c in reg.criteria:
                combo = ComboBox()
                combo.addItem("—", "")
                for g in reg.criterion_grades:
                    combo.addItem(g, g)
                self.criteria_widgets[c.code] = combo
                self.criteria_form.addRow(_wrapping(c.name), combo)
        for box in self.flag_boxes.values():
            self._drop(box)
        self.flag_boxes = {}
        for cap in reg.caps:
            if cap.code in FLAG_CAPS:
                box = WrapCheck(cap.label)
                box.setToolTip(cap.ref.cite())
                self.flag_boxes[cap.code] = box
        for key, label in condition_labels(reg, lambda level: level_conditions(reg, level)).items():
            if key not in self.flag_boxes:
                self.flag_boxes[key] = WrapCheck(label)
        for box in self.flag_boxes.values():
            box.toggled.connect(self._update_limit)
            self.flags_layout.addWidget(box)

    def _drop(self, widget: QtWidgets.QWidget) -> None:
        self.flags_layout.removeWidget(widget)
        widget.hide()
        widget.deleteLater()

    def _row_boxes(self, row: ReviewRow | None) -> None:
        """The boxes of the member shown: discipline already counted, and the conditions their framework
        adds (QĐ 366 Điều 11: the unit a leader leads)."""
        for key in self._row_keys:
            if key in self.flag_boxes:
                self._drop(self.flag_boxes.pop(key))
        self._row_keys = []
        if row is None or row.facts is None or self.reg is None:
            return
        framework = framework_of(self.reg, row.facts)
        if framework is not None:
            reg = self.reg
            for key, label in condition_labels(reg, lambda level: level_conditions(reg, level, framework)).items():
                if key not in self.flag_boxes:
                    self._add_row_box(key, WrapCheck(label))
        for e in row.facts.discipline:
            box = WrapCheck(_("The violation behind the {form} of {date} was already counted in an earlier "
                                        "year's rating").format(form=e.form or _("discipline"), date=format_date(e.date)))
            box.setProperty("event_id", e.id)
            self._add_row_box(f"disc:{e.id}", box)

    def _add_row_box(self, key: str, box: WrapCheck) -> None:
        box.toggled.connect(self._update_limit)
        self.flag_boxes[key] = box
        self._row_keys.append(key)
        self.flags_layout.addWidget(box)

    # --- loading and reading -------------------------------------------------------------------
    def load(self, row: ReviewRow | None, reg: Regulation | None, closed: bool) -> None:
        self._loading = True
        self.row = row
        self.closed = closed
        self.loaded = None
        self.seen = None
        if reg is not None:
            self.set_regulation(reg)
        self._row_boxes(row)
        self.problems.show_problems([])
        if row is None:
            self.title.setText(_("Select a member in the list."))
            for w in (self.status, self.facts, self.reasons, self.limit_label):
                w.setText("")
            self.setEnabled(False)
            self._loading = False
            return
        self.setEnabled(True)
        self.title.setText(row.full_name)
        elig = row.elig
        if not elig.counted:
            self.status.setText(elig.reason_text)
        elif elig.rated:
            self.status.setText(_("Rated this year") + (" · " + _("probationary member") if elig.probationary else ""))
        else:
            self.status.setText(_("Not rated this year: {reason} ({detail}). The member still writes a self-review.").format(
                reason=elig.reason_text, detail=elig.detail))
        self.facts.setText(self._facts_html(row))
        if row.proposal:
            items = "".join(f"<li>{html.escape(r)}</li>" for r in row.proposal.reasons)
            items += "".join(f'<li style="color:#a15c00">{html.escape(w)}</li>' for w in row.proposal.warnings)
            level = row.proposal.level
            head = _("The program suggests: {level}").format(
                level=f"{level} — {reg.level_name(level)}" if level and reg else _("no suggestion yet"))
            self.reasons.setText(f"<b>{html.escape(head)}</b><ul style='margin-left:-20px'>{items}</ul>")
        else:
            self.reasons.setText("")
        rec = row.record
        data = ReviewInput.of(rec)
        self.seen = data
        for code, w in self.criteria_widgets.items():
            value = data.criteria.get(code)
            if isinstance(w, QtWidgets.QDoubleSpinBox):
                w.setValue(float(value) if isinstance(value, int | float) else NONE)
            else:
                w.setCurrentIndex(max(0, w.findData(value or "")))
        if self.reg is not None and self.reg.scoring is not None:
            self.total.setValue(data.score if data.score is not None and not data.criteria else NONE)
        for key, box in self.flag_boxes.items():
            if key.startswith("disc:"):
                box.setChecked(box.property("event_id") in (data.flags.get(DISCIPLINE_COUNTED_BEFORE) or []))
            else:
                box.setChecked(bool(data.flags.get(key)))
        set_level(self.self_level, data.self_level)
        set_level(self.proposed, data.proposed_level)
        set_level(self.decided, data.decided_level)
        for spin, value in ((self.votes_for, data.votes_for), (self.votes_against, data.votes_against),
                            (self.voters, data.voters)):
            spin.setValue(NONE if value is None else value)
        self.decision_ref.setText(data.decision_ref)
        self.comment.setPlainText(data.comment)
        for q, combo in self.quarter_combos.items():
            set_level(combo, data.quarters.get(q, ""))
        self._show_quarters(row)
        rated = elig.counted and elig.rated
        for w in (self.criteria_box, self.flags_box, self.quarters_box, self.proposed, self.decided, self.votes_for,
                  self.votes_against, self.voters, self.decision_ref, self.btn_use):
            w.setEnabled(rated and not closed)
        for w in (self.self_level, self.comment, self.btn_save):
            w.setEnabled(elig.counted and not closed)
        self.btn_use.setEnabled(rated and not closed and bool(row.proposal and row.proposal.level))
        self._loading = False
        self.loaded = self.value()
        self._update_limit()

    def _show_quarters(self, row: ReviewRow) -> None:
        """The quarters are shown for the members the year's rule file has them for (a leadership post), and
        wherever some are recorded."""
        reg, facts = self.reg, row.facts
        applies = quarterly_applies(reg, facts) if reg is not None and facts is not None else False
        recorded = bool(facts and facts.quarters)
        self.quarters_box.setVisible(bool(reg and reg.quarterly) and (bool(applies) or recorded))
        if reg is not None and reg.quarterly is not None:
            self.quarters_note.setText(f"{reg.quarterly.text} ({reg.quarterly.ref.cite()}). {reg.quarterly.year_rule_text}.")

    # --- unsaved edits ---------------------------------------------------------------------------
    def editable(self) -> bool:
        return self.row is not None and self.row.elig.counted and not self.closed

    def is_dirty(self) -> bool:
        """The sheet differs from what was loaded (or last saved) for the member shown."""
        return self.editable() and self.loaded is not None and self.value() != self.loaded

    def mark_stored(self, data: ReviewInput | None) -> None:
        """What is stored for the member now (None: back to unsaved, after a refusal)."""
        self.loaded = data

    def _facts_html(self, row: ReviewRow) -> str:
        if row.facts is None:
            return ""
        return "<br>".join(html.escape(x) for x in facts_lines(row.facts))

    def value(self) -> ReviewInput:
        criteria: dict = {}
        for code, w in self.criteria_widgets.items():
            if isinstance(w, QtWidgets.QDoubleSpinBox):
                if w.value() != NONE:
                    criteria[code] = round(w.value(), 4)
            elif w.currentData():
                criteria[code] = w.currentData()
        flags: dict = {}
        counted = []
        for key, box in self.flag_boxes.items():
            if key.startswith("disc:"):
                if box.isChecked():
                    counted.append(box.property("event_id"))
            elif box.isChecked():
                flags[key] = True
        if counted:
            flags[DISCIPLINE_COUNTED_BEFORE] = counted
        score = None
        if self.reg is not None and self.reg.scoring is not None and not criteria and self.total.value() != NONE:
            score = round(self.total.value(), 4)

        def count(spin):
            return None if spin.value() == NONE else spin.value()

        quarters = {q: c.currentData() for q, c in self.quarter_combos.items() if c.currentData()}
        return ReviewInput(
            proposed_level=self.proposed.currentData() or "", decided_level=self.decided.currentData() or "",
            self_level=self.self_level.currentData() or "", score=score, criteria=criteria, flags=flags,
            votes_for=count(self.votes_for), votes_against=count(self.votes_against), voters=count(self.voters),
            comment=self.comment.toPlainText(), decision_ref=self.decision_ref.text(), quarters=quarters,
        )

    def _update_limit(self, *_args) -> None:
        if self._loading or self.row is None or self.row.facts is None or self.reg is None or not self.row.elig.rated:
            self.limit_label.setText("")
            return
        data = self.value()
        found = sheet_limit(self.reg, self.row.facts, data)
        score, lim = found.score, found.limit
        text = _("Highest level allowed: {level}").format(level=f"{lim.level} — {self.reg.level_name(lim.level)}")
        if score is not None and self.reg.scoring is not None:
            text = _("{score} points. ").format(score=format_number(score)) + text
        self.limit_label.setText("\n".join([text, *found.notes]))
        self.limit_label.setStyleSheet("color:#b00020" if found.too_high else "")

    def show_problems(self, problems: list[str]) -> None:
        self.problems.show_problems(problems)


class LevelChart(QtWidgets.QWidget):
    """A bar chart of the number of members at each level (drawn with QPainter)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._labels: list[str] = []
        self._values: list[int] = []
        self.setMinimumHeight(200)

    def set_values(self, labels: list[str], values: list[int]) -> None:
        self._labels, self._values = list(labels), list(values)
        self.update()

    def values(self) -> list[int]:
        return list(self._values)

    def paintEvent(self, event) -> None:
        p = QtGui.QPainter(self)
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
        rect = self.rect().adjusted(10, 10, -10, -10)
        fm = p.fontMetrics()
        label_h = fm.lineSpacing() * 3 + 6
        chart = rect.adjusted(0, fm.lineSpacing() + 4, 0, -label_h)
        n = max(1, len(self._values))
        top = max([1, *self._values])
        slot = chart.width() / n
        bar_w = min(70.0, slot * 0.5)
        p.setPen(QtGui.QPen(self.palette().color(QtGui.QPalette.ColorRole.WindowText)))
        p.drawLine(chart.bottomLeft(), chart.bottomRight())
        for i, (label, value) in enumerate(zip(self._labels, self._values, strict=False)):
            h = chart.height() * value / top
            x = chart.left() + slot * i + (slot - bar_w) / 2
            bar = QtCore.QRectF(x, chart.bottom() - h, bar_w, h)
            p.fillRect(bar, QtGui.QColor("#7a8fa8"))
            p.drawRect(bar)
            p.drawText(QtCore.QRectF(x - 20, bar.top() - fm.lineSpacing() - 2, bar_w + 40, fm.lineSpacing()),
                       int(Qt.AlignmentFlag.AlignCenter), str(value))
            p.drawText(QtCore.QRectF(chart.left() + slot * i + 2, chart.bottom() + 4, slot - 4, label_h),
                       int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap), label)
        p.end()
