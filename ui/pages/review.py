"""Kiểm điểm cuối năm: who is rated, each member's review sheet, the quota, the branch's own review,
the tally with its chart, printing the forms, and closing the year."""
from __future__ import annotations

import html
from pathlib import Path

from services.errors import UserError, ValidationError
from services.i18n import N_, _, format_date, format_number, format_pct
from services.meetings.records import kind_label
from services.review import meeting as review_meeting_svc
from services.review import service as svc
from services.review.forms import FORM_TITLES, write_year_end
from services.review.tally import LEVEL_KEYS, share_text, tally

from ..models.review import ID_ROLE, CriteriaModel, ReviewTableModel, TallyModel
from ..qt import Qt, QtGui, QtWidgets
from ..widgets import ask, inform, shortcut
from .base import Page, page_heading
from .review_sheet import (
    LevelChart,
    ReviewSheet,
    WrapCheck,
    condition_labels,
    fill_levels,
    level_combo,
    set_level,
)

NARRATIVE = [
    ("strengths", N_("Strengths and results")),
    ("weaknesses", N_("Shortcomings")),
    ("causes", N_("Causes")),
    ("remedies", N_("Remedying the shortcomings pointed out earlier")),
    ("explanations", N_("Explaining the matters the superior asked to be reviewed (if any)")),
    ("responsibility", N_("Responsibility of the collective and of individuals for the shortcomings (if any)")),
    ("directions", N_("Directions and measures")),
]


def tally_html(t, reg) -> str:
    """The tally's numbers in sentences, for the screen (the table and chart show the levels)."""
    e = html.escape
    lines = [
        _("Members of the branch: {total} (full: {full}, probationary: {prob})").format(
            total=t.members_total, full=t.full_members, prob=t.probationary),
        _("Eligible for rating: {n}").format(n=t.assessed),
    ]
    labels = {r.code: r.label_for(None) for r in reg.not_rated}
    if t.not_assessed:
        parts = "; ".join(f"{labels.get(code, code)}: {n}" for code, n in t.not_assessed_reasons.items())
        lines.append(_("Not rated: {n} ({parts})").format(n=t.not_assessed, parts=parts))
    if t.left_during_year:
        lines.append(_("Left the branch during the year (not counted): {n}").format(n=t.left_during_year))
    status = _("within the quota") if t.quota_ok else _("over the quota: warning")
    lines.append(_("HTXSNV as a share of HTTNV: {pct}; at most {max} allowed ({status}).").format(
        pct=share_text(t.htxsnv_of_httnv), max=t.quota_max, status=status))
    lines.append(_("Members disciplined in the year: {n}").format(n=t.disciplined))
    if t.branch_score is not None:
        lines.append(_("The branch's self-score: {score}/{max}").format(
            score=format_number(t.branch_score), max=format_number(t.branch_max_points or 100)))
    if t.branch_proposed_level:
        lines.append(_("Level the branch proposes for itself: {level}").format(level=reg.level_name(t.branch_proposed_level)))
    out = "<p>" + "<br>".join(e(x) for x in lines) + "</p>"
    if t.violations:
        out += "<p><b>" + e(_("To check:")) + "</b></p><ul>" + "".join(
            f'<li style="color:#a15c00">{e(v.message)}</li>' for v in t.violations) + "</ul>"
    return out


def default_year(today) -> int:
    """The year being reviewed: this year from November, else last year."""
    return today.year if today.month >= 11 else today.year - 1


class ReviewPage(Page):
    title = N_("Year-end review")
    area = "review"

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, parent)
        self.review: svc.YearReview | None = None
        self.current_tally = None
        self.leader_discipline: list = []

        self.year = QtWidgets.QSpinBox()
        self.year.setRange(2010, ctx.today().year + 1)
        self.year.setValue(default_year(ctx.today()))
        self.year.valueChanged.connect(lambda _v: self.refresh())
        self.regulation = QtWidgets.QLabel()
        self.regulation.setWordWrap(True)
        self.quota = QtWidgets.QLabel()
        self.quota.setObjectName("quota")
        self.quota.setWordWrap(True)
        # How the quota's base is read (a setting; the regulation's words by default) and the rules the
        # program applies without having confirmed their text: shown here, never printed.
        self.quota_reading = QtWidgets.QComboBox()
        self.quota_reading.setToolTip(_("How the quota's base is counted (setting review.quota_reading)."))
        self.quota_reading.setSizeAdjustPolicy(
            QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.quota_reading.setMinimumContentsLength(22)
        self.quota_reading.activated.connect(self._change_quota_reading)
        self.btn_doubts = QtWidgets.QLabel()
        self.btn_doubts.setWordWrap(True)
        self.btn_doubts.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                                | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self.btn_doubts.linkActivated.connect(lambda _link: self.show_doubts())
        self.closed_label = QtWidgets.QLabel()
        self.btn_date = QtWidgets.QPushButton(_("Review date…"))
        self.btn_date.clicked.connect(self.change_review_date)
        self.btn_close = QtWidgets.QPushButton(_("Close the year…"))
        self.btn_close.clicked.connect(self.close_year)
        self.btn_reopen = QtWidgets.QPushButton(_("Reopen the year…"))
        self.btn_reopen.clicked.connect(self.reopen_year)
        self.btn_print = QtWidgets.QToolButton()
        self.btn_print.setText(_("Print forms"))
        self.btn_print.setPopupMode(QtWidgets.QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QtWidgets.QMenu(self.btn_print)
        menu.addAction(_("All year-end forms"), lambda: self.print_forms(None))
        menu.addSeparator()
        for name, title in FORM_TITLES.items():
            menu.addAction(_(title), lambda n=name: self.print_forms(n))
        menu.addAction(_("Personal self-review of the selected member"), lambda: self.print_forms("ban-kiem-diem", True))
        self.btn_print.setMenu(menu)

        top = QtWidgets.QHBoxLayout()
        top.addWidget(page_heading(_("Year-end review")))
        top.addWidget(QtWidgets.QLabel(_("Year:")))
        top.addWidget(self.year)
        top.addWidget(self.regulation, 1)
        top.addWidget(self.btn_date)
        top.addWidget(self.btn_print)
        top.addWidget(self.btn_close)
        top.addWidget(self.btn_reopen)
        status = QtWidgets.QHBoxLayout()
        status.addWidget(self.quota, 1)
        status.addWidget(self.closed_label)
        rules_row = QtWidgets.QHBoxLayout()
        self.quota_reading_label = QtWidgets.QLabel(_("Base of the quota:"))
        rules_row.addWidget(self.quota_reading_label)
        rules_row.addWidget(self.quota_reading)
        rules_row.addWidget(self.btn_doubts, 1)

        self.tabs = QtWidgets.QTabWidget()
        self.tabs.addTab(self._members_tab(), _("Members"))
        self.tabs.addTab(self._branch_tab(), _("The branch's self-assessment"))
        self.tabs.addTab(self._tally_tab(), _("Tally"))

        lay = QtWidgets.QVBoxLayout(self)
        lay.addLayout(top)
        lay.addLayout(status)
        lay.addLayout(rules_row)
        lay.addWidget(self.tabs, 1)
        shortcut(self, "Ctrl+S", self.save_current)

    # --- tabs ------------------------------------------------------------------------------------
    def _members_tab(self) -> QtWidgets.QWidget:
        self.model = ReviewTableModel(self)
        self.table = QtWidgets.QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._show_sheet())
        self.counts = QtWidgets.QLabel()
        self.counts.setWordWrap(True)
        self.btn_accept = QtWidgets.QPushButton(_("Record the suggested level for members without one"))
        self.btn_accept.clicked.connect(self.accept_proposals)
        left = QtWidgets.QWidget()
        left_lay = QtWidgets.QVBoxLayout(left)
        left_lay.setContentsMargins(0, 0, 0, 0)
        left_lay.addWidget(self.counts)
        left_lay.addWidget(self.table, 1)
        left_lay.addWidget(self.btn_accept, 0, Qt.AlignmentFlag.AlignLeft)
        self.sheet = ReviewSheet()
        self.sheet.save_requested.connect(self.save_current)
        self.sheet.use_proposal_requested.connect(self.use_proposal)
        split = QtWidgets.QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(self.sheet)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([660, 400])
        return split

    def _branch_tab(self) -> QtWidgets.QWidget:
        self.criteria = CriteriaModel(self)
        self.criteria.changed_total.connect(self._update_branch_total)
        self.criteria_view = QtWidgets.QTableView()
        self.criteria_view.setModel(self.criteria)
        self.criteria_view.verticalHeader().setVisible(False)
        header = self.criteria_view.horizontalHeader()
        header.setSectionResizeMode(0, QtWidgets.QHeaderView.ResizeMode.Stretch)
        self.criteria_view.setMinimumHeight(150)
        self.criteria_note = QtWidgets.QLabel()
        self.criteria_note.setWordWrap(True)
        self.branch_total = QtWidgets.QLabel()
        self.branch_total.setWordWrap(True)
        font = self.branch_total.font()
        font.setBold(True)
        self.branch_total.setFont(font)
        self.btn_add_criterion = QtWidgets.QPushButton(_("Add a criterion"))
        self.btn_add_criterion.clicked.connect(self.criteria.add)
        self.btn_remove_criterion = QtWidgets.QPushButton(_("Remove the selected criterion"))
        self.btn_remove_criterion.clicked.connect(
            lambda: self.criteria.remove(self.criteria_view.currentIndex().row()))
        self.btn_reset_criteria = QtWidgets.QPushButton(_("Back to the regulation's list"))
        self.btn_reset_criteria.clicked.connect(self._reset_criteria)
        buttons = QtWidgets.QHBoxLayout()
        for b in (self.btn_add_criterion, self.btn_remove_criterion, self.btn_reset_criteria):
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.branch_proposed = level_combo(None)
        self.branch_decided = level_combo(None)
        self.branch_decision_ref = QtWidgets.QLineEdit()
        self.branch_decision_ref.setPlaceholderText(_("e.g. Thông báo số 125-TB/ĐU"))
        # The conditions of the branch's level (QĐ 366 Điều 11, QĐ 124 Điều 12) and what the register says.
        self.branch_conditions = QtWidgets.QGroupBox(_("Conditions the branch confirms"))
        self.branch_conditions_layout = QtWidgets.QVBoxLayout(self.branch_conditions)
        self.branch_facts = QtWidgets.QLabel()
        self.branch_facts.setWordWrap(True)
        self.branch_conditions_layout.addWidget(self.branch_facts)
        self.branch_flag_boxes: dict[str, WrapCheck] = {}
        self.narrative: dict[str, QtWidgets.QPlainTextEdit] = {}
        # The meeting that held the review (its date and attendance go in the minutes) and the branch's votes
        # on its report and on its proposed level, among the full members present.
        self.review_meeting = QtWidgets.QComboBox()
        self.review_meeting.setObjectName("review_meeting")
        self.review_meeting.currentIndexChanged.connect(self._review_meeting_changed)
        self.meeting_voters = QtWidgets.QLabel()
        self.collective_votes: dict[str, tuple[QtWidgets.QSpinBox, ...]] = {}
        vote_rows = {}
        for topic in review_meeting_svc.VOTE_TOPICS:
            spins = tuple(QtWidgets.QSpinBox() for _i in range(3))
            for spin in spins:
                spin.setRange(0, 999)
            row = QtWidgets.QHBoxLayout()
            for label, spin in zip((_("In favour"), _("Against"), _("Other opinions")), spins, strict=True):
                row.addWidget(QtWidgets.QLabel(label))
                row.addWidget(spin)
            row.addStretch(1)
            self.collective_votes[topic] = spins
            vote_rows[topic] = row
        form = QtWidgets.QFormLayout()
        form.addRow(_("Meeting that held the review"), self.review_meeting)
        form.addRow("", self.meeting_voters)
        form.addRow(_("Vote on the collective report"), vote_rows["report"])
        form.addRow(_("Level the branch proposes for itself"), self.branch_proposed)
        form.addRow(_("Vote on the proposed level"), vote_rows["level"])
        form.addRow(_("Level decided by the committee"), self.branch_decided)
        form.addRow(_("Decision no."), self.branch_decision_ref)
        # The report's parts: each label above its text, so long titles never squeeze the fields.
        texts = QtWidgets.QFormLayout()
        texts.setRowWrapPolicy(QtWidgets.QFormLayout.RowWrapPolicy.WrapAllRows)
        for key, label in NARRATIVE:
            edit = QtWidgets.QPlainTextEdit()
            edit.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)
            self.narrative[key] = edit
            texts.addRow(_(label), edit)
        self.branch_problems = QtWidgets.QLabel()
        self.branch_problems.setWordWrap(True)
        self.branch_problems.setStyleSheet("color:#b00020")
        self.btn_save_branch = QtWidgets.QPushButton(_("Save the branch's self-assessment"))
        self.btn_save_branch.clicked.connect(self.save_branch)
        inner = QtWidgets.QWidget()
        lay = QtWidgets.QVBoxLayout(inner)
        lay.addWidget(self.criteria_note)
        lay.addWidget(self.criteria_view)
        lay.addLayout(buttons)
        lay.addWidget(self.branch_total)
        lay.addWidget(self.branch_conditions)
        lay.addLayout(form)
        lay.addLayout(texts)
        lay.addWidget(self.branch_problems)
        lay.addWidget(self.btn_save_branch, 0, Qt.AlignmentFlag.AlignRight)
        scroll = QtWidgets.QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(inner)
        return scroll

    def _tally_tab(self) -> QtWidgets.QWidget:
        self.tally_model = TallyModel(self)
        self.tally_view = QtWidgets.QTableView()
        self.tally_view.setModel(self.tally_model)
        self.tally_view.verticalHeader().setVisible(False)
        self.tally_view.horizontalHeader().setSectionResizeMode(QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
        self.tally_view.setMinimumHeight(self.fontMetrics().lineSpacing() * 10)
        self.chart = LevelChart()
        self.chart.setMinimumHeight(self.fontMetrics().lineSpacing() * 14)
        self.tally_text = QtWidgets.QTextBrowser()
        w = QtWidgets.QWidget()
        grid = QtWidgets.QGridLayout(w)
        grid.addWidget(self.tally_view, 0, 0)
        grid.addWidget(self.chart, 0, 1)
        grid.addWidget(self.tally_text, 1, 0, 1, 2)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(1, 1)
        return w

    # --- data ------------------------------------------------------------------------------------
    @property
    def year_value(self) -> int:
        return self.year.value()

    def refresh(self) -> None:
        selected = self.selected_id()
        year = self.year_value
        try:
            with self.ctx.db.begin() as session:
                self.review = svc.year_review(session, year)
                self.current_tally = tally(session, year)
                br = svc.branch_review(session, year)
                log = svc.year_log(session, year)
                self.leader_discipline = svc.leadership_discipline(session, year)
        except UserError as exc:
            self.review = None
            self.model.set_rows([])
            self.regulation.setText(str(exc))
            self.quota.setText("")
            return
        review, reg, t = self.review, self.review.regulation, self.current_tally
        self.regulation.setText(_("Under {regulation} ({guidance}) · review date {date}").format(
            regulation=reg.short_name, guidance=reg.guidance_names, date=format_date(review.review_date)))
        self.model.set_rows(review.rows)
        for col in range(self.model.columnCount() - 1):
            self.table.resizeColumnToContents(col)
        fm = self.table.fontMetrics()
        self.table.setColumnWidth(1, min(self.table.columnWidth(1), fm.horizontalAdvance("M") * 11))
        self._update_quota()
        self.counts.setText(_("{total} members at the review date: {rated} rated, {not_rated} not rated; "
                              "{unrated} still without a level.").format(
            total=t.members_total, rated=t.assessed, not_rated=t.not_assessed, unrated=t.unrated))
        closed = review.closed
        if closed:
            self.closed_label.setText(_("Closed on {date}: read-only.").format(date=format_date(review.closed_at.date())))
        elif log:
            last = log[-1]
            self.closed_label.setText(_("Reopened on {date}: {reason}").format(date=format_date(last.at.date()),
                                                                               reason=last.note))
        else:
            self.closed_label.setText("")
        self.btn_close.setVisible(not closed)
        self.btn_reopen.setVisible(closed)
        self.btn_accept.setEnabled(not closed)
        self.btn_date.setEnabled(not closed)
        self._load_branch(br, closed)
        self._load_tally()
        if selected is not None:
            self.select_member(selected)
        elif self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(0, 0))
        self._show_sheet()

    def _update_quota(self) -> None:
        review = self.review
        if review is None:
            return
        reg = review.regulation
        qb = review.quota_base
        q = qb.quota
        text = _("{level}: {current} rated, at most {max} allowed ({share} of {base} rated {base_levels}, rounded down).").format(
            level=reg.level_name(q.level), current=qb.current, max=qb.maximum,
            share=format_pct(q.share * 100, 0), base=qb.base, base_levels=" + ".join(q.base_levels))
        text += " " + _("Base of the quota: {reading}.").format(reading=qb.reading_label)
        if not qb.is_text_reading:
            text += " " + _("(a reading other than the regulation's wording)")
        self.quota_reading.blockSignals(True)
        self.quota_reading.clear()
        for r in reg.quota.readings:
            label = _("As the regulation says") if r.code == "text" else r.label
            self.quota_reading.addItem(label, r.code)
            self.quota_reading.setItemData(self.quota_reading.count() - 1, r.note or r.label,
                                           Qt.ItemDataRole.ToolTipRole)
        self.quota_reading.setCurrentIndex(max(0, self.quota_reading.findData(q.reading)))
        self.quota_reading.setVisible(len(reg.quota.readings) > 1)
        self.quota_reading_label.setVisible(len(reg.quota.readings) > 1)
        self.quota_reading.setEnabled(not review.closed)
        self.quota_reading.blockSignals(False)
        doubts = reg.doubts()
        self.btn_doubts.setText('<a href="doubts" style="color:#a15c00">{}</a>'.format(html.escape(
            _("{n} rules not confirmed against the original text…").format(n=len(doubts)))))
        self.btn_doubts.setVisible(bool(doubts))
        if review.quota_current > review.quota_max:
            text += " " + _("Over the quota: the branch may propose it, the committee will apply the quota.")
            self.quota.setStyleSheet("color:#a15c00; font-weight:bold")
        else:
            self.quota.setStyleSheet("")
        self.quota.setText(text)

    def _change_quota_reading(self, _index: int) -> None:
        from services import settings
        from services.review.settings import QUOTA_READING

        code = self.quota_reading.currentData()
        try:
            with self.ctx.db.begin() as session:
                settings.put(session, QUOTA_READING.key, code)
        except (ValidationError, UserError) as exc:
            inform(self, _("Year-end review"), str(exc), error=True)
            return
        self.ctx.notify_changed("review")
        if not self.isVisible():
            self.refresh()

    def doubts_text(self) -> str:
        """The year's rules applied with a default because their text is not confirmed (shown, never printed)."""
        if self.review is None:
            return ""
        reg = self.review.regulation
        marks = {"P": _("partly confirmed"), "U": _("not confirmed")}
        lines = [f"• {d.text} — {marks[d.confidence]}" + (f" ({d.cite})" if d.cite else "") for d in reg.doubts()]
        return _("The program applies these rules of {regulation} with the default stated, because their text "
                 "could not be read in full. The superior committee may give other values (a rule file of its own). "
                 "They are never printed on a paper.").format(regulation=reg.short_name) + "\n\n" + "\n".join(lines)

    def show_doubts(self) -> None:
        box = QtWidgets.QMessageBox(self)
        box.setWindowTitle(_("Rules not confirmed"))
        box.setIcon(QtWidgets.QMessageBox.Icon.Information)
        box.setText(self.doubts_text())
        box.exec()

    def selected_id(self) -> int | None:
        index = self.table.currentIndex()
        return index.data(ID_ROLE) if index.isValid() else None

    def select_member(self, member_id: int) -> None:
        row = self.model.row_of_id(member_id)
        if row >= 0:
            self.table.setCurrentIndex(self.model.index(row, 0))
            self.table.scrollTo(self.model.index(row, 0))

    def _show_sheet(self) -> None:
        index = self.table.currentIndex()
        review = self.review
        row = self.model.row_at(index.row()) if index.isValid() else None
        self.sheet.load(row, review.regulation if review else None, closed=bool(review and review.closed))

    # --- member actions ----------------------------------------------------------------------------
    def save_current(self) -> bool:
        row = self.sheet.row
        if row is None or self.review is None or self.review.closed:
            return False
        data = self.sheet.value()
        try:
            with self.ctx.db.begin() as session:
                svc.save_review(session, self.year_value, row.member_id, data)
        except (ValidationError, UserError) as exc:
            self.sheet.show_problems(exc.problems if isinstance(exc, ValidationError) else [str(exc)])
            return False
        self.ctx.notify_changed("review")
        if not self.isVisible():
            self.refresh()
        self.select_member(row.member_id)
        return True

    def use_proposal(self) -> None:
        row = self.sheet.row
        if row and row.proposal and row.proposal.level:
            set_level(self.sheet.proposed, row.proposal.level)

    def accept_proposals(self) -> None:
        try:
            with self.ctx.db.begin() as session:
                n = svc.accept_proposals(session, self.year_value)
        except (ValidationError, UserError) as exc:
            inform(self, _("Year-end review"), str(exc), error=True)
            return
        self.ctx.notify_changed("review")
        inform(self, _("Year-end review"), _("The suggested level was recorded for {n} members.").format(n=n))

    # --- the branch ------------------------------------------------------------------------------
    def _load_branch(self, br: svc.BranchReview, closed: bool) -> None:
        reg = self.review.regulation
        fill_levels(self.branch_proposed, reg)
        fill_levels(self.branch_decided, reg)
        self.criteria.read_only = closed
        self.criteria.set_criteria(br.criteria)
        self.criteria_view.resizeColumnsToContents()
        self.criteria_view.horizontalHeader().setSectionResizeMode(0, QtWidgets.QHeaderView.ResizeMode.Stretch)
        note = reg.collective.criteria_note
        self.criteria_note.setText(_("Criteria of the branch's self-assessment ({max} points in all; edit them to "
                                     "follow the superior committee's guidance). {note}").format(
            max=format_number(reg.collective.max_points), note=note))
        set_level(self.branch_proposed, br.proposed_level)
        set_level(self.branch_decided, br.decided_level)
        self.branch_decision_ref.setText(br.decision_ref)
        self._branch_condition_boxes(reg, br, closed)
        for key, edit in self.narrative.items():
            edit.setPlainText(getattr(br, key))
            edit.setReadOnly(closed)
        with self.ctx.db.begin() as session:
            meetings = [(m.id, f"{format_date(m.date)} · {kind_label(m.kind)}")
                        for m in review_meeting_svc.candidate_meetings(session, self.year_value)]
            held = review_meeting_svc.review_meeting(session, self.year_value)
            votes = review_meeting_svc.collective_votes(session, self.year_value)
        self.review_meeting.blockSignals(True)
        self.review_meeting.clear()
        self.review_meeting.addItem(_("(not chosen: the minutes leave the attendance to fill in)"), None)
        for mid, text in meetings:
            self.review_meeting.addItem(text, mid)
        self.review_meeting.setCurrentIndex(max(0, self.review_meeting.findData(held.meeting.id if held else None)))
        self.review_meeting.blockSignals(False)
        self._show_meeting_voters(held.voters if held else None)
        for topic, spins in self.collective_votes.items():
            v = votes.get(topic)
            for spin, value in zip(spins, (v.votes_for, v.against, v.other) if v else (0, 0, 0), strict=True):
                spin.setValue(value)
                spin.setEnabled(not closed)
        for w in (self.btn_add_criterion, self.btn_remove_criterion, self.btn_reset_criteria, self.btn_save_branch,
                  self.branch_proposed, self.branch_decided, self.branch_decision_ref, self.review_meeting):
            w.setEnabled(not closed)
        self.branch_problems.setText("")

    def _show_meeting_voters(self, voters: int | None) -> None:
        self.meeting_voters.setText(_("Full members present, who vote: {n}").format(n=voters)
                                    if voters is not None else "")

    def _review_meeting_changed(self) -> None:
        mid = self.review_meeting.currentData()
        voters = None
        if mid is not None:
            with self.ctx.db.begin() as session:
                voters = review_meeting_svc.voters_at(session, mid)
        self._show_meeting_voters(voters)

    def _branch_condition_boxes(self, reg, br: svc.BranchReview, closed: bool) -> None:
        """One box per condition of the branch's levels, and per leadership discipline already counted."""
        from services.review.engine import DISCIPLINE_COUNTED_BEFORE

        for box in self.branch_flag_boxes.values():
            self.branch_conditions_layout.removeWidget(box)
            box.deleteLater()
        self.branch_flag_boxes = {}
        for key, label in condition_labels(reg, lambda level: svc.branch_level_conditions(reg, level)).items():
            box = WrapCheck(label)
            box.setChecked(bool(br.flags.get(key)))
            self.branch_flag_boxes[key] = box
        counted = set(br.flags.get(DISCIPLINE_COUNTED_BEFORE) or [])
        for d in self.leader_discipline:
            box = WrapCheck(_("The violation behind the {form} of {date} was already counted in an earlier "
                              "year's rating").format(form=d.form, date=format_date(d.date)) + f" ({d.name})")
            box.setProperty("event_id", d.event_id)
            box.setChecked(d.event_id in counted)
            self.branch_flag_boxes[f"disc:{d.event_id}"] = box
        for box in self.branch_flag_boxes.values():
            box.setEnabled(not closed)
            self.branch_conditions_layout.addWidget(box)
        if self.leader_discipline:
            self.branch_facts.setText(_("Members of the branch's leadership disciplined in the year: {items}.").format(
                items="; ".join(d.text() for d in self.leader_discipline)))
            self.branch_facts.setStyleSheet("color:#a15c00")
        else:
            self.branch_facts.setText(_("No member of the branch's leadership (by their Party post) was disciplined "
                                        "in the year."))
            self.branch_facts.setStyleSheet("")
        self.branch_conditions.setVisible(bool(self.branch_flag_boxes) or bool(self.leader_discipline))

    def _branch_flags(self) -> dict:
        from services.review.engine import DISCIPLINE_COUNTED_BEFORE

        flags: dict = {}
        counted = []
        for key, box in self.branch_flag_boxes.items():
            if key.startswith("disc:"):
                if box.isChecked():
                    counted.append(box.property("event_id"))
            elif box.isChecked():
                flags[key] = True
        if counted:
            flags[DISCIPLINE_COUNTED_BEFORE] = counted
        return flags

    def _update_branch_total(self) -> None:
        crit = self.criteria.criteria()
        points = [c.points for c in crit if c.points is not None]
        total_max = sum(c.max_points for c in crit)
        score = format_number(sum(points)) if points else "—"
        text = _("Self-score: {score}/{max}").format(score=score, max=format_number(total_max))
        reg = self.review.regulation if self.review else None
        if reg is not None and reg.collective.scoring is not None and points:
            level = reg.collective.scoring.level_for(sum(points))
            text += " · " + _("band: {level}").format(level=reg.level_name(level))
        self.branch_total.setText(text)

    def _reset_criteria(self) -> None:
        if self.review is not None:
            self.criteria.set_criteria(svc.default_branch_criteria(self.review.regulation))

    def branch_value(self) -> svc.BranchReview:
        return svc.BranchReview(
            year=self.year_value, criteria=self.criteria.criteria(),
            proposed_level=self.branch_proposed.currentData() or "", decided_level=self.branch_decided.currentData() or "",
            **{key: edit.toPlainText() for key, edit in self.narrative.items()},
            flags=self._branch_flags(), decision_ref=self.branch_decision_ref.text(),
        )

    def save_branch(self) -> bool:
        votes = {topic: review_meeting_svc.Vote(*(spin.value() for spin in spins)) if any(
            spin.value() for spin in spins) else None for topic, spins in self.collective_votes.items()}
        try:
            with self.ctx.db.begin() as session:
                svc.save_branch_review(session, self.branch_value())
                review_meeting_svc.set_review_meeting(session, self.year_value, self.review_meeting.currentData())
                review_meeting_svc.set_collective_votes(session, self.year_value, votes)
        except (ValidationError, UserError) as exc:
            self.branch_problems.setText(str(exc))
            return False
        self.ctx.notify_changed("review")
        return True

    # --- the tally -------------------------------------------------------------------------------
    def _load_tally(self) -> None:
        t, reg = self.current_tally, self.review.regulation
        self.tally_model.set_tally(t, reg)
        self.chart.set_values([reg.level_name(k) for k in LEVEL_KEYS], [t.levels[k] for k in LEVEL_KEYS])
        self.tally_text.setHtml(tally_html(t, reg))

    # --- printing and closing ----------------------------------------------------------------------
    def print_forms(self, form: str | None, selected_only: bool = False) -> None:
        year = self.year_value
        member_ids = None
        if selected_only:
            member_id = self.selected_id()
            if member_id is None:
                inform(self, _("Print forms"), _("Select a member first."))
                return
            member_ids = [member_id]
        suggested = Path.home() / f"kiem-diem-{year}{'-' + form if form else ''}.pdf"
        path, _filter = QtWidgets.QFileDialog.getSaveFileName(self, _("Save the PDF"), str(suggested), _("PDF files (*.pdf)"))
        if not path:
            return
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        self.write_forms(Path(path), form, member_ids)

    def write_forms(self, path: Path, form: str | None, member_ids=None) -> list[Path]:
        QtWidgets.QApplication.setOverrideCursor(QtGui.QCursor(Qt.CursorShape.WaitCursor))
        try:
            with self.ctx.db.begin() as session:
                written = write_year_end(session, self.year_value, path, form=form, member_ids=member_ids, xlsx=True)
        except UserError as exc:
            QtWidgets.QApplication.restoreOverrideCursor()
            inform(self, _("Print forms"), str(exc), error=True)
            return []
        QtWidgets.QApplication.restoreOverrideCursor()
        inform(self, _("Print forms"), _("Written:") + "\n" + "\n".join(str(p) for p in written))
        return written

    def change_review_date(self) -> None:
        """The day membership is counted this year (default: the setting, 31/12)."""
        from services.i18n import parse_date

        year = self.year_value
        dlg = QtWidgets.QInputDialog(self)
        dlg.setWindowTitle(_("Review date"))
        dlg.setLabelText(_("Review date of {year} (dd/mm/yyyy; leave empty for the default, 31/12):").format(year=year))
        dlg.setTextValue(format_date(self.review.review_date) if self.review else "")
        dlg.setOkButtonText(_("Save"))
        dlg.setCancelButtonText(_("Cancel"))
        if dlg.exec() != QtWidgets.QDialog.DialogCode.Accepted:
            return
        text = dlg.textValue().strip()
        on = parse_date(text) if text else None
        if text and on is None:
            inform(self, _("Review date"), _("“{text}” is not a date (dd/mm/yyyy).").format(text=text), error=True)
            return
        try:
            with self.ctx.db.begin() as session:
                svc.set_review_date(session, year, on)
        except (ValidationError, UserError) as exc:
            inform(self, _("Review date"), str(exc), error=True)
            return
        self.ctx.notify_changed("review")

    def close_year(self) -> None:
        year = self.year_value
        t = self.current_tally
        warning = ""
        if t is not None and t.unrated:
            warning = "\n\n" + _("{n} eligible members still have no level.").format(n=t.unrated)
        if not ask(self, _("Close the year"), _(
                "Close the review of {year}? A backup is taken first; the ratings then become read-only. "
                "Reopening later is possible and is logged.").format(year=year) + warning):
            return
        try:
            backup = svc.close_year(self.ctx.db, year, user=self.ctx.user)
        except UserError as exc:
            inform(self, _("Close the year"), str(exc), error=True)
            return
        self.ctx.notify_changed("review")
        inform(self, _("Close the year"), _("The review of {year} is closed. Backup: {path}").format(year=year, path=backup))

    def reopen_year(self) -> None:
        year = self.year_value
        dlg = QtWidgets.QInputDialog(self)
        dlg.setWindowTitle(_("Reopen the year"))
        dlg.setLabelText(_("Why is the review of {year} reopened? The reason is kept in the log.").format(year=year))
        dlg.setOkButtonText(_("Reopen"))
        dlg.setCancelButtonText(_("Cancel"))
        if dlg.exec() != QtWidgets.QDialog.DialogCode.Accepted:
            return
        try:
            svc.reopen_year(self.ctx.db, year, reason=dlg.textValue(), user=self.ctx.user)
        except (ValidationError, UserError) as exc:
            inform(self, _("Reopen the year"), str(exc), error=True)
            return
        self.ctx.notify_changed("review")
