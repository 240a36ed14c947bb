"""Kiểm điểm cuối năm: who is rated, each member's review sheet, the quota, the branch's own review,
the tally with its chart, printing the forms, and closing the year."""
from __future__ import annotations

import html
from pathlib import Path

from services.errors import UserError, ValidationError
from services.i18n import N_, _, format_date, format_number
from services.ops import NOTHING, REVIEW, OpResult
from services.review import meeting as review_meeting_svc
from services.review import service as svc
from services.review.forms import FORM_TITLES, write_year_end
from services.review.tally import LEVEL_KEYS, tally_text

from ..dialogs.line_dialog import LineDialog, open_line_dialog
from ..files import ask_save_path
from ..flow import flow_row
from ..models.review import ID_ROLE, CriteriaModel, ReviewTableModel, TallyModel
from ..operations import run_op, when_idle
from ..qt import Qt, QtCore, QtWidgets, is_alive
from ..widgets import ProblemLabel, ask, inform, page_action, settle
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
    text = tally_text(t, reg)
    out = "<p>" + "<br>".join(e(x) for x in text.lines) + "</p>"
    if text.checks:
        out += "<p><b>" + e(_("To check:")) + "</b></p><ul>" + "".join(
            f'<li style="color:#a15c00">{e(c)}</li>' for c in text.checks) + "</ul>"
    return out


MEMBERS_TAB, BRANCH_TAB, TALLY_TAB = 0, 1, 2


class ReviewPage(Page):
    """Two editors: a member's review sheet and the branch's self-assessment. Neither saves by itself:
    before another member, tab, year or section is shown, or the program closes, the user is asked
    Lưu / Không lưu / Hủy. Ctrl+S saves the one on screen."""

    title = N_("Year-end review")
    areas = frozenset({"review", "members", "meetings", "ratings", "branch"})
    saves_as_it_goes = False

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, parent)
        self.review: svc.YearReview | None = None
        self.current_tally = None
        self.leader_discipline: list = []
        self._branch_loaded: tuple | None = None   # the branch part as loaded (or last saved): _branch_state()
        self._branch_seen: review_meeting_svc.BranchShown | None = None   # what is stored, as loaded
        self._year_shown = svc.default_year(ctx.today())

        self.year = QtWidgets.QSpinBox()
        self.year.setRange(2010, ctx.today().year + 1)
        self.year.setValue(self._year_shown)
        self.year.valueChanged.connect(self._year_chosen)
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

        year_row = QtWidgets.QHBoxLayout()
        year_row.addWidget(QtWidgets.QLabel(_("Year:")))
        year_row.addWidget(self.year)
        # The title row wraps at a large text size; the regulation in force has a line of its own.
        top = flow_row(page_heading(_("Year-end review")), year_row, None, self.btn_date, self.btn_print,
                       self.btn_close, self.btn_reopen)
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
        self._tab_shown = MEMBERS_TAB
        self.tabs.currentChanged.connect(self._tab_chosen)

        lay = QtWidgets.QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.regulation)
        lay.addLayout(status)
        lay.addLayout(rules_row)
        lay.addWidget(self.tabs, 1)
        self.act_save = page_action(self, _("Save"), "Ctrl+S", self.save_visible)

    def _fit_table(self) -> None:
        """Columns as wide as their contents (the reason a member is not rated is cut at about eleven
        letters; the tooltip has it), and the table's side of the splitter wide enough to show them all
        when the sheet keeps its own minimum."""
        for col in range(self.model.columnCount() - 1):
            self.table.resizeColumnToContents(col)
        fm = self.table.fontMetrics()
        self.table.setColumnWidth(1, min(self.table.columnWidth(1), fm.horizontalAdvance("M") * 11))
        header = self.table.horizontalHeader()
        last = self.model.columnCount() - 1
        need = (sum(header.sectionSize(c) for c in range(last))
                + max(header.sectionSizeHint(last), header.defaultSectionSize())   # what a stretched last column keeps
                + self.table.verticalHeader().width() + 2 * self.table.frameWidth()
                + self.table.verticalScrollBar().sizeHint().width() + 4)
        sizes = self.members_split.sizes()
        total = sum(sizes)
        room = total - self.sheet.minimumSizeHint().width()
        if total and sizes[0] < need <= room:
            self.members_split.setSizes([need, total - need])

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QtCore.QEvent.Type.FontChange and self.model.rowCount():
            self._fit_table()

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
        self.table.selectionModel().currentRowChanged.connect(self._member_chosen)
        self.counts = QtWidgets.QLabel()
        self.counts.setWordWrap(True)
        self.btn_accept = QtWidgets.QPushButton(_("Record the suggested levels"))
        self.btn_accept.setToolTip(_("Record the suggested level for members without one"))
        self.btn_accept.clicked.connect(self.accept_proposals)
        left = QtWidgets.QWidget()
        left_lay = QtWidgets.QVBoxLayout(left)
        left_lay.setContentsMargins(0, 0, 0, 0)
        left_lay.addWidget(self.counts)
        left_lay.addWidget(self.table, 1)
        left_lay.addWidget(self.btn_accept, 0, Qt.AlignmentFlag.AlignLeft)
        self.sheet = ReviewSheet()
        self.sheet.save_requested.connect(lambda: self.save_current())
        self.sheet.use_proposal_requested.connect(self.use_proposal)
        split = QtWidgets.QSplitter(Qt.Orientation.Horizontal)
        self.members_split = split
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
        self.branch_problems = ProblemLabel()      # takes no room while there is nothing to say
        self.branch_problems.setVisible(False)
        self.btn_save_branch = QtWidgets.QPushButton(_("Save the branch's self-assessment") + " (Ctrl+S)")
        self.btn_save_branch.clicked.connect(lambda: self.save_branch())
        inner = QtWidgets.QWidget()
        lay = QtWidgets.QVBoxLayout(inner)
        lay.addWidget(self.criteria_note)
        lay.addWidget(self.criteria_view)
        lay.addLayout(buttons)
        lay.addWidget(self.branch_conditions)
        lay.addLayout(form)
        lay.addLayout(texts)
        lay.addStretch(1)
        self.branch_scroll = QtWidgets.QScrollArea()
        self.branch_scroll.setWidgetResizable(True)
        self.branch_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.branch_scroll.setWidget(inner)
        # The total, the problems and the save button stay in sight below the scrolled form.
        bar = QtWidgets.QHBoxLayout()
        bar.addWidget(self.branch_total, 1)
        bar.addWidget(self.btn_save_branch, 0, Qt.AlignmentFlag.AlignBottom)
        tab = QtWidgets.QWidget()
        tab_lay = QtWidgets.QVBoxLayout(tab)
        tab_lay.setContentsMargins(0, 0, 0, 0)
        tab_lay.addWidget(self.branch_scroll, 1)
        tab_lay.addWidget(self.branch_problems)
        tab_lay.addLayout(bar)
        return tab

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
            view = self.ctx.read(lambda s: svc.review_page(s, year))
        except UserError as exc:
            self.review = None
            self.table.selectionModel().blockSignals(True)
            self.model.set_rows([])
            self.table.selectionModel().blockSignals(False)
            self.regulation.setText(str(exc))
            self.quota.setText("")
            return
        self.review, self.current_tally = view.review, view.tally
        br, log = view.branch, view.log
        self.leader_discipline = list(view.leader_discipline)
        review, reg, t = self.review, self.review.regulation, self.current_tally
        self.regulation.setText(_("Under {regulation} ({guidance}) · review date {date}").format(
            regulation=reg.short_name, guidance=reg.guidance_names, date=format_date(review.review_date)))
        self.table.selectionModel().blockSignals(True)    # reloading is not the user choosing a member
        self.model.set_rows(review.rows)
        self.table.selectionModel().blockSignals(False)
        self._fit_table()
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
        if not self.branch_dirty():       # edits of the branch's form are kept until saved or dropped
            self._load_branch(br, closed)
        self._load_tally()
        keep_sheet = self.sheet.is_dirty() and self.sheet.row is not None
        self.table.selectionModel().blockSignals(True)
        if keep_sheet:
            self.select_member(self.sheet.row.member_id)
        elif selected is not None:
            self.select_member(selected)
        elif self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(0, 0))
        self.table.selectionModel().blockSignals(False)
        if not keep_sheet:
            self._show_sheet()

    def _update_quota(self) -> None:
        review = self.review
        if review is None:
            return
        reg = review.regulation
        qb = review.quota_base
        q = qb.quota
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
        line = svc.quota_line(review)
        self.quota.setStyleSheet("color:#a15c00; font-weight:bold" if line.over else "")
        self.quota.setText(line.text)

    def _change_quota_reading(self, _index: int) -> None:
        from services import settings
        from services.review.settings import QUOTA_READING

        code = self.quota_reading.currentData()

        def op(session):
            settings.put(session, QUOTA_READING.key, code)
            return REVIEW

        run_op(self, op, title=_("Year-end review"))

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

    # --- switching member, tab, year: the editors' edits are settled first ----------------------------
    def _member_chosen(self, current, previous) -> None:
        if not self.sheet.is_dirty() or self.sheet.row is None:
            self._show_sheet()
            return
        target = current.data(ID_ROLE) if current.isValid() else None
        self.table.selectionModel().blockSignals(True)
        self.select_member(self.sheet.row.member_id)     # stay on the member being edited meanwhile
        self.table.selectionModel().blockSignals(False)

        def go() -> None:
            if target is not None:
                self.table.selectionModel().blockSignals(True)
                self.select_member(target)
                self.table.selectionModel().blockSignals(False)
            self._show_sheet()

        self._settle_sheet(go)

    def _settle_sheet(self, go) -> None:
        name = self.sheet.row.full_name if self.sheet.row else ""
        settle(self, dirty=self.sheet.is_dirty(), save=self.save_current, discard=lambda: None, go=go,
               title=_("Year-end review"), text=_(
                   "The review sheet of {name} is not saved yet. Save it?").format(name=name))

    def _settle_branch(self, go) -> None:
        settle(self, dirty=self.branch_dirty(), save=self.save_branch, discard=self._discard_branch, go=go,
               title=_("Year-end review"), text=_("The branch's self-assessment is not saved yet. Save it?"))

    def _tab_chosen(self, index: int) -> None:
        leaving = self._tab_shown
        if index == leaving:
            return

        def go() -> None:
            self._tab_shown = index
            self.tabs.blockSignals(True)
            self.tabs.setCurrentIndex(index)
            self.tabs.blockSignals(False)

        self.tabs.blockSignals(True)
        self.tabs.setCurrentIndex(leaving)                   # stay until the edits are safe
        self.tabs.blockSignals(False)
        if leaving == MEMBERS_TAB:
            self._settle_sheet(go)
        elif leaving == BRANCH_TAB:
            self._settle_branch(go)
        else:
            go()

    def _year_chosen(self, year: int) -> None:
        if year == self._year_shown:
            return
        self.year.blockSignals(True)
        self.year.setValue(self._year_shown)                  # stay until the edits are safe
        self.year.blockSignals(False)

        def go() -> None:
            self._year_shown = year
            self.year.blockSignals(True)
            self.year.setValue(year)
            self.year.blockSignals(False)
            self._discard_branch()
            self.sheet.mark_stored(None)
            self.refresh()

        self.leave(go)

    # --- unsaved edits (Page protocol) -----------------------------------------------------------------
    def has_unsaved(self) -> bool:
        return self.sheet.is_dirty() or self.branch_dirty()

    def unsaved_text(self) -> str:
        parts = []
        if self.sheet.is_dirty() and self.sheet.row is not None:
            parts.append(_("the review sheet of {name}").format(name=self.sheet.row.full_name))
        if self.branch_dirty():
            parts.append(_("the branch's self-assessment"))
        return _("Not saved yet: {what}. Save?").format(what="; ".join(parts))

    def save(self, on_saved=None) -> None:
        def then_branch() -> None:
            if self.branch_dirty():
                self.save_branch(on_saved)
            elif on_saved is not None:
                on_saved()

        if self.sheet.is_dirty():
            self.save_current(then_branch)
        else:
            then_branch()

    def discard(self) -> None:
        self._discard_branch()
        self.sheet.mark_stored(None)
        self.refresh()

    def save_visible(self) -> None:
        """Ctrl+S: save the editor on screen (the member's sheet, or the branch's self-assessment)."""
        if self.tabs.currentIndex() == BRANCH_TAB:
            self.save_branch()
        elif self.tabs.currentIndex() == MEMBERS_TAB:
            self.save_current()

    # --- member actions ----------------------------------------------------------------------------
    def save_current(self, on_saved=None) -> bool:
        """Store the sheet of the member shown; `on_saved()` once stored (not when refused)."""
        row = self.sheet.row
        if row is None or self.review is None or self.review.closed:
            return False
        if self.sheet.loaded is not None and not self.sheet.is_dirty():
            if on_saved is not None:     # nothing typed since the last save (Ctrl+S pressed twice)
                on_saved()
            return True
        data, year, member_id, seen = self.sheet.value(), self.year_value, row.member_id, self.sheet.seen
        before = self.sheet.loaded

        def op(session):
            svc.save_review(session, year, member_id, data, seen=seen)
            return OpResult(REVIEW, svc.stored_review_input(session, year, member_id))

        def refused(problems: list[str]) -> None:
            self.sheet.mark_stored(before)
            self.sheet.show_problems(problems)

        def saved(stored) -> None:
            self.select_member(member_id)
            if self.sheet.row is not None and self.sheet.row.member_id == member_id:
                self.sheet.seen = stored    # what this page has just stored is no change made elsewhere
            if on_saved is not None:
                on_saved()

        self.sheet.show_problems([])
        self.sheet.mark_stored(data)    # stored once the operation succeeds; the refresh then shows it
        run_op(self, op, title=_("Year-end review"), on_success=saved, on_refused=refused,
               on_failure=lambda exc: refused([str(exc)]) if isinstance(exc, UserError) else self._failed(exc))
        return True

    def _failed(self, exc: BaseException) -> None:
        from ..worker import show_error

        show_error(self, _("Year-end review"), exc)

    def use_proposal(self) -> None:
        row = self.sheet.row
        if row and row.proposal and row.proposal.level:
            set_level(self.sheet.proposed, row.proposal.level)

    def accept_proposals(self) -> None:
        year = self.year_value
        run_op(self, lambda s: OpResult(REVIEW, svc.accept_proposals(s, year)), title=_("Year-end review"),
               on_success=lambda n: inform(self, _("Year-end review"), _(
                   "The suggested level was recorded for {n} members.").format(n=n)))

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
        year = self.year_value
        choice = self.ctx.read(lambda s: review_meeting_svc.meeting_choice(s, year))
        votes = choice.votes
        self.review_meeting.blockSignals(True)
        self.review_meeting.clear()
        self.review_meeting.addItem(_("(not chosen: the minutes leave the attendance to fill in)"), None)
        for mid, text in choice.candidates:
            self.review_meeting.addItem(text, mid)
        self.review_meeting.setCurrentIndex(max(0, self.review_meeting.findData(choice.held_id)))
        self.review_meeting.blockSignals(False)
        self._show_meeting_voters(choice.voters)
        for topic, spins in self.collective_votes.items():
            v = votes.get(topic)
            for spin, value in zip(spins, (v.votes_for, v.against, v.other) if v else (0, 0, 0), strict=True):
                spin.setValue(value)
                spin.setEnabled(not closed)
        for w in (self.btn_add_criterion, self.btn_remove_criterion, self.btn_reset_criteria, self.btn_save_branch,
                  self.branch_proposed, self.branch_decided, self.branch_decision_ref, self.review_meeting):
            w.setEnabled(not closed)
        self.branch_problems.show_problems([])
        self._branch_closed = closed
        self._branch_loaded = self._branch_state()
        # What is stored, as loaded: a save over a change made elsewhere since is refused.
        self._branch_seen = review_meeting_svc.BranchShown(br, choice.held_id, dict(votes))

    def _branch_state(self) -> tuple:
        """What the branch's part holds: the self-assessment, the review meeting chosen, the votes."""
        votes = tuple((topic, review_meeting_svc.Vote(*(spin.value() for spin in spins))
                       if any(spin.value() for spin in spins) else None)
                      for topic, spins in self.collective_votes.items())
        return self.branch_value(), self.review_meeting.currentData(), votes

    def branch_dirty(self) -> bool:
        """The branch's part differs from what was loaded (or last saved)."""
        return (self._branch_loaded is not None and not getattr(self, "_branch_closed", False)
                and self._branch_loaded[0].year == self.year_value and self._branch_state() != self._branch_loaded)

    def _discard_branch(self) -> None:
        self._branch_loaded = None      # the next refresh loads the stored self-assessment

    def _show_meeting_voters(self, voters: int | None) -> None:
        self.meeting_voters.setText(_("Full members present, who vote: {n}").format(n=voters)
                                    if voters is not None else "")

    def _review_meeting_changed(self) -> None:
        mid = self.review_meeting.currentData()
        voters = self.ctx.read(lambda s: review_meeting_svc.voters_at(s, mid)) if mid is not None else None
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
        reg = self.review.regulation if self.review else None
        if reg is None:
            self.branch_total.setText("")
            return
        found = svc.branch_score(reg, self.year_value, self.criteria.criteria())
        score = format_number(found.score) if found.score is not None else "—"
        text = _("Self-score: {score}/{max}").format(score=score, max=format_number(found.max_points))
        if found.band_level:
            text += " · " + _("band: {level}").format(level=reg.level_name(found.band_level))
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

    def save_branch(self, on_saved=None) -> bool:
        """Store the branch's self-assessment with the review meeting and its votes; `on_saved()` once
        stored (not when refused)."""
        if self.review is None or self.review.closed:
            return False
        state, before, seen = self._branch_state(), self._branch_loaded, self._branch_seen
        data, meeting_id, votes = state

        def op(session):
            return OpResult(REVIEW, review_meeting_svc.save_branch_assessment(session, data, meeting_id, dict(votes),
                                                                              seen=seen))

        def refused(problems: list[str]) -> None:
            self._branch_loaded = before
            self.branch_problems.show_problems(problems)

        def saved(stored) -> None:
            self._branch_seen = stored      # what this page has just stored is no change made elsewhere
            if on_saved is not None:
                on_saved()

        self.branch_problems.show_problems([])
        self._branch_loaded = state      # stored once the operation succeeds; the refresh then shows it
        run_op(self, op, title=_("Year-end review"), on_success=saved, on_refused=refused,
               on_failure=lambda exc: refused([str(exc)]) if isinstance(exc, UserError) else self._failed(exc))
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
        path = ask_save_path(self, _("Save the PDF"), f"kiem-diem-{year}{'-' + form if form else ''}.pdf",
                             [(_("PDF files (*.pdf)"), ".pdf")], kind="review")
        if path is None:
            return
        self.write_forms(path, form, member_ids)

    def write_forms(self, path: Path, form: str | None, member_ids=None) -> None:
        """Write the forms off the GUI thread (after the edits asked to be saved before), then say where.

        The review and tally the page shows are handed to the printing instead of being computed again
        (issue 17), when they are those of the data as it is: once every operation asked before has finished
        and the page has reloaded what they changed."""
        year = self.year_value

        def start() -> None:
            if not is_alive(self):
                return
            shown = {}
            if not self.stale and self.review is not None and self.review.year == year \
                    and self.current_tally is not None and self.current_tally.year == year:
                shown = {"review": self.review, "year_tally": self.current_tally}
            run_op(self, lambda s: OpResult(NOTHING, write_year_end(s, year, path, form=form, member_ids=member_ids,
                                                                     xlsx=True, **shown)),
                   title=_("Print forms"), label=_("Writing {name}…").format(name=path.name), cancellable=False,
                   on_success=lambda written: inform(self, _("Print forms"), _("Written:") + "\n" + "\n".join(
                       str(p) for p in written)))

        when_idle(start)

    def change_review_date(self) -> None:
        """The day membership is counted this year (default: the setting, 31/12)."""
        from services.i18n import parse_date

        year = self.year_value

        def make_op(text: str):
            text = text.strip()

            def op(session):
                on = parse_date(text) if text else None
                if text and on is None:
                    raise ValidationError(_("“{text}” is not a date (dd/mm/yyyy).").format(text=text))
                svc.set_review_date(session, year, on)
                return REVIEW
            return op

        open_line_dialog(self, LineDialog(
            self, _("Review date"),
            _("Review date of {year} (dd/mm/yyyy; leave empty for the default, 31/12):").format(year=year),
            make_op, text=format_date(self.review.review_date) if self.review else "",
            placeholder=_("dd/mm/yyyy")))

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
        db, user = self.ctx.db, self.ctx.user    # closing takes a backup first: its own units of work
        run_op(self, lambda: OpResult(REVIEW, svc.close_year(db, year, user=user)), session=False,
               title=_("Close the year"), label=_("Backing up, then closing the year…"),
               on_success=lambda backup: inform(self, _("Close the year"), _(
                   "The review of {year} is closed. Backup: {path}").format(year=year, path=backup)))

    def reopen_year(self) -> None:
        year = self.year_value
        db, user = self.ctx.db, self.ctx.user

        def make_op(reason: str):
            return lambda: OpResult(REVIEW, svc.reopen_year(db, year, reason=reason, user=user))

        open_line_dialog(self, LineDialog(
            self, _("Reopen the year"),
            _("Why is the review of {year} reopened? The reason is kept in the log.").format(year=year),
            make_op, ok_text=_("Reopen"), session=False))
