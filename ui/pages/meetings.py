"""Sinh hoạt chi bộ: the year's meetings, attendance by keystroke, the minutes editor, votes,
finalising and amending, and printing — all reachable from the keyboard.

Keys (shown on the buttons too): Ctrl+N new meeting, F2 edit it, Ctrl+L the list, F6 attendance,
F7 minutes, F8 preview, F9 amendments; in the attendance grid C / P / K mark present / absent with
reason / absent without reason (P then asks for the reason), Ctrl+T everyone present; Ctrl+S save
the minutes, Ctrl+R add a vote, Ctrl+Shift+K finalise, Ctrl+M amend, Ctrl+P open the PDF,
Ctrl+Shift+S save it, Ctrl+Shift+D the year's attendance sheet, Ctrl+Delete delete a draft meeting.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import html
import tempfile
from pathlib import Path

from services import meetings as svc
from services.i18n import N_, _, format_date, format_pct
from services.meetings import printing, views
from services.ops import MEETINGS, NOTHING, OpResult

from ..dialogs.meeting_dialog import AmendmentDialog, MeetingDialog, ResolutionDialog
from ..files import ask_save_path
from ..flow import ButtonBar, flow_row
from ..models.meetings import ID_ROLE, AmendmentModel, AttendanceModel, MeetingListModel, ResolutionModel
from ..operations import query_op, run_op
from ..qt import Qt, QtCore, QtGui, QtWidgets, Signal
from ..widgets import ask, fit_columns, inform, page_action
from .base import Page, page_heading

KEY_STATUS = {"c": "present", "p": "excused", "k": "unexcused"}
AUTOSAVE_MS = 1500


class AttendanceView(QtWidgets.QTableView):
    """The attendance grid: one key per member, then the cursor moves on."""

    mark = Signal(int, object)   # row, status (None clears)

    def keyPressEvent(self, event) -> None:
        if self.state() == QtWidgets.QAbstractItemView.State.EditingState:
            super().keyPressEvent(event)
            return
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier & ~Qt.KeyboardModifier.ShiftModifier
        text = event.text().lower()
        row = self.currentIndex().row()
        if not mods and text in KEY_STATUS and row >= 0:
            self.mark.emit(row, KEY_STATUS[text])
            return
        if not mods and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and row >= 0:
            self.mark.emit(row, None)
            return
        super().keyPressEvent(event)

    def go_to(self, row: int, column: int) -> None:
        model = self.model()
        if model is None or model.rowCount() == 0:
            return
        row = max(0, min(row, model.rowCount() - 1))
        index = model.index(row, column)
        self.setCurrentIndex(index)
        self.scrollTo(index)

    def closeEditor(self, editor, hint) -> None:
        row = self.currentIndex().row()
        super().closeEditor(editor, QtWidgets.QAbstractItemDelegate.EndEditHint.NoHint)
        if hint != QtWidgets.QAbstractItemDelegate.EndEditHint.RevertModelCache:
            self.go_to(row + 1, AttendanceModel.STATUS_COL)
        self.setFocus()


class SectionEdit(QtWidgets.QPlainTextEdit):
    """A section of the minutes: grows with its text; Tab goes to the next section."""

    focus_left = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.document().contentsChanged.connect(self._fit)
        self._fit()

    def _fit(self) -> None:
        lines = 0
        block = self.document().begin()
        width = max(200, self.viewport().width())
        fm = self.fontMetrics()
        while block.isValid():
            text = block.text() or " "
            lines += max(1, -(-fm.horizontalAdvance(text) // width))
            block = block.next()
        lines = max(2, min(14, lines))
        self.setFixedHeight(fm.lineSpacing() * lines + 14)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()

    def focusInEvent(self, event) -> None:
        super().focusInEvent(event)
        if event.reason() in (Qt.FocusReason.TabFocusReason, Qt.FocusReason.BacktabFocusReason,
                              Qt.FocusReason.ShortcutFocusReason):
            self.moveCursor(QtGui.QTextCursor.MoveOperation.End)   # go on writing after what is there
            self.ensureCursorVisible()

    def focusOutEvent(self, event) -> None:
        super().focusOutEvent(event)
        self.focus_left.emit()


class MinutesEditor(QtWidgets.QScrollArea):
    """The minutes as plain-text sections under their headings, in the official order."""

    changed = Signal()
    left = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.edits: dict[str, SectionEdit] = {}
        self.notes: dict[str, SectionEdit] = {}     # "speakers", "conclusion" (stored on the meeting)
        self.computed: dict[str, QtWidgets.QLabel] = {}
        self.keys_shape: list[tuple[str, str]] = []
        self.read_only = True
        self.dirty = False
        self._build([], {}, True, {})

    def _note_edit(self, lay: QtWidgets.QVBoxLayout, key: str, label: str, placeholder: str, text: str,
                   read_only: bool) -> None:
        title = QtWidgets.QLabel(label)
        title.setWordWrap(True)
        edit = SectionEdit()
        edit.setObjectName(f"note_{key}")
        edit.setPlaceholderText(placeholder)
        edit.setPlainText(text)
        edit.setReadOnly(read_only)
        edit.textChanged.connect(self._edited)
        edit.focus_left.connect(self.left.emit)
        title.setBuddy(edit)
        self.notes[key] = edit
        lay.addWidget(title)
        lay.addWidget(edit)

    def _build(self, sections: list[dict], computed: dict[str, str], read_only: bool, notes: dict[str, str]) -> None:
        inner = QtWidgets.QWidget()
        lay = QtWidgets.QVBoxLayout(inner)
        lay.setContentsMargins(4, 4, 12, 4)
        self.edits, self.computed, self.notes = {}, {}, {}
        keys = [s["key"] for s in sections]
        speakers_at = next((k for k in printing.SPEAKER_SECTIONS if k in keys), None)
        conclusion_before = "resolutions" if "resolutions" in keys and printing.CONCLUSION_SECTION not in keys \
            else None
        part = None
        number = 0
        for s in sections:
            if s["key"] == conclusion_before:
                self._note_edit(lay, "conclusion", "<b>" + html.escape(_("Conclusion of the presiding comrade")) + "</b>",
                                _("What the presiding comrade concluded"), notes.get("conclusion", ""), read_only)
            if s.get("part", "") != part:
                part = s.get("part", "")
                number = 0
                head = QtWidgets.QLabel(f"<b>{html.escape(part)}</b>")
                head.setContentsMargins(0, 8, 0, 0)
                lay.addWidget(head)
            number += 1
            title = QtWidgets.QLabel(f"<b>{number}. {html.escape(s.get('title', ''))}</b>")
            title.setWordWrap(True)
            lay.addWidget(title)
            if s.get("block"):
                info = QtWidgets.QLabel()
                info.setWordWrap(True)
                info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                info.setStyleSheet("QLabel { background: #f3f3f3; padding: 4px; }")
                info.setText(computed.get(s["key"], ""))
                self.computed[s["key"]] = info
                lay.addWidget(info)
            edit = SectionEdit()
            edit.setObjectName(f"section_{s['key']}")
            edit.setPlainText(s.get("text", ""))
            edit.setReadOnly(read_only)
            if s.get("block"):
                edit.setPlaceholderText(_("More to write in this section (optional)"))
            edit.textChanged.connect(self._edited)
            edit.focus_left.connect(self.left.emit)
            title.setBuddy(edit)
            self.edits[s["key"]] = edit
            if s["key"] == speakers_at:
                self._note_edit(lay, "speakers", _("Who spoke, one a line: full name, colon, what they said"),
                                "Nguyễn Văn An: thống nhất với báo cáo; đề nghị …", notes.get("speakers", ""),
                                read_only)
            lay.addWidget(edit)
        if sections and conclusion_before is None and printing.CONCLUSION_SECTION not in keys:
            self._note_edit(lay, "conclusion", "<b>" + html.escape(_("Conclusion of the presiding comrade")) + "</b>",
                            _("What the presiding comrade concluded"), notes.get("conclusion", ""), read_only)
        lay.addStretch(1)
        self.setWidget(inner)
        self.dirty = False

    def set_minutes(self, sections: list[dict], computed: dict[str, str], read_only: bool,
                    same_meeting: bool, notes: dict[str, str] | None = None) -> None:
        """Show a meeting's minutes (``notes``: the speakers and the conclusion, as text). For the meeting
        already shown, only what changed is updated, so the cursor and anything being typed stay."""
        notes = notes or {}
        shape = [(s["key"], s.get("title", "")) for s in sections]
        if same_meeting and shape == self.keys_shape and self.edits and self.read_only == read_only:
            self.set_computed(computed)
            if not self.dirty:
                current = [(self.edits[s["key"]], s.get("text", "")) for s in sections]
                current += [(edit, notes.get(key, "")) for key, edit in self.notes.items()]
                for edit, text in current:
                    if edit.toPlainText() != text:
                        edit.blockSignals(True)
                        edit.setPlainText(text)
                        edit.blockSignals(False)
            return
        self.keys_shape = shape
        self.read_only = read_only
        self._build(sections, computed, read_only, notes)

    def set_computed(self, computed: dict[str, str]) -> None:
        for key, label in self.computed.items():
            label.setText(computed.get(key, ""))

    def _edited(self) -> None:
        self.dirty = True
        self.changed.emit()

    def texts(self) -> dict[str, str]:
        return {k: e.toPlainText() for k, e in self.edits.items()}

    def note_texts(self) -> dict[str, str]:
        return {k: e.toPlainText() for k, e in self.notes.items()}

    def first_edit(self) -> SectionEdit | None:
        return next((e for e in self.edits.values() if not e.isReadOnly()), None)


class MeetingsPage(Page):
    title = N_("Branch meetings")
    areas = frozenset({"meetings", "members", "branch"})

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, parent)
        self.meeting_id: int | None = None
        self.view: views.MeetingView | None = None
        self.finalized = False
        self.voters = 0
        self._loaded_id: int | None = None
        self._first_refresh = True

        # --- top: title, year, actions --------------------------------------------------------
        self.year = QtWidgets.QSpinBox()
        self.year.setRange(1990, 2100)
        self.year.setValue(ctx.today().year)
        self.year.setAccelerated(True)
        self.year.valueChanged.connect(lambda _v: self._year_changed())
        self.count = QtWidgets.QLabel()
        year_label = QtWidgets.QLabel(_("&Year:"))   # Alt+N (Năm) goes to the year; then Up / Down
        year_label.setBuddy(self.year)
        self.btn_sheet = QtWidgets.QPushButton(_("Attendance sheet of the year… (Ctrl+Shift+D)"))
        self.btn_sheet.clicked.connect(lambda: self.export_sheet())
        year_row = QtWidgets.QHBoxLayout()
        year_row.addWidget(year_label)
        year_row.addWidget(self.year)
        top = flow_row(page_heading(_("Branch meetings")), None, self.count, year_row, self.btn_sheet)

        self.bar = ButtonBar()
        self.act_new = self._action(_("New meeting"), "Ctrl+N", self.new_meeting)
        self.act_edit = self._action(_("Edit details"), "F2", self.edit_meeting)
        self.act_finalise = self._action(_("Finalise the minutes"), "Ctrl+Shift+K", self.finalise)
        self.act_amend = self._action(_("Amend"), "Ctrl+M", self.amend)
        self.bar.addSeparator()
        self.act_open = self._action(_("Open in the PDF viewer"), "Ctrl+P", self.open_pdf)
        self.act_save_pdf = self._action(_("Save as PDF…"), "Ctrl+Shift+S", lambda: self.save_pdf(), visible=False)
        self.act_sheet = self._action(_("Attendance sheet of the year…"), "Ctrl+Shift+D", lambda: self.export_sheet(),
                                      visible=False)
        self.bar.addSeparator()
        self.act_delete = self._action(_("Delete"), "Ctrl+Del", self.delete_meeting)
        for keys, slot in (("Ctrl+L", self.focus_list), ("F6", lambda: self.show_tab(0)),
                           ("F7", lambda: self.show_tab(1)), ("F8", lambda: self.show_tab(2)),
                           ("F9", lambda: self.show_tab(3)), ("Ctrl+T", self.all_present),
                           ("Ctrl+S", self.save_minutes), ("Ctrl+R", self.add_resolution)):
            self._action("", keys, slot, visible=False)

        # --- left: the year's meetings ----------------------------------------------------------
        self.list_model = MeetingListModel(self)
        self.list = QtWidgets.QTableView()
        self.list.setObjectName("meeting_list")
        self.list.setModel(self.list_model)
        self.list.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.list.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setAlternatingRowColors(True)
        self.list.verticalHeader().setVisible(False)
        self.list.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.list.horizontalHeader().setStretchLastSection(True)
        self.list.selectionModel().currentRowChanged.connect(lambda *_a: self._selection_changed())
        self.list.doubleClicked.connect(lambda _i: self.edit_meeting())

        # --- right: the selected meeting ------------------------------------------------------------
        self.banner = QtWidgets.QLabel()
        self.banner.setWordWrap(True)
        self.banner.setTextFormat(Qt.TextFormat.RichText)
        self.tabs = QtWidgets.QTabWidget()
        self.tabs.currentChanged.connect(self._tab_changed)

        # attendance tab
        self.att_model = AttendanceModel(self)
        self.att_model.writer = self._write_reason
        self.att = AttendanceView()
        self.att.setObjectName("attendance_grid")
        self.att.setModel(self.att_model)
        att_header = self.att.horizontalHeader()
        att_header.setSectionResizeMode(QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
        att_header.setSectionResizeMode(AttendanceModel.REASON_COL, QtWidgets.QHeaderView.ResizeMode.Stretch)
        self.att.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.att.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.att.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.DoubleClicked
                                 | QtWidgets.QAbstractItemView.EditTrigger.EditKeyPressed)
        self.att.verticalHeader().setVisible(False)
        self.att.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.att.horizontalHeader().setStretchLastSection(True)
        self.att.mark.connect(self._mark)
        self.btn_all = QtWidgets.QPushButton(_("Everyone present (Ctrl+T)"))
        self.btn_all.clicked.connect(self.all_present)
        hint = QtWidgets.QLabel(_("Keys: C present · P absent with reason (then type the reason, Enter) · "
                                  "K absent without reason · Delete clears"))
        hint.setWordWrap(True)
        self.apart = QtWidgets.QLabel()
        self.apart.setWordWrap(True)
        self.counts = QtWidgets.QLabel()
        self.counts.setWordWrap(True)
        self.counts.setTextFormat(Qt.TextFormat.RichText)
        self.quality = QtWidgets.QLabel()
        self.quality.setWordWrap(True)
        self.quality.setTextFormat(Qt.TextFormat.RichText)
        att_tab = QtWidgets.QWidget()
        al = QtWidgets.QVBoxLayout(att_tab)
        row = QtWidgets.QHBoxLayout()
        row.addWidget(self.btn_all, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(hint, 1)
        al.addLayout(row)
        al.addWidget(self.att, 1)
        al.addWidget(self.apart)
        al.addWidget(self.counts)
        al.addWidget(self.quality)

        # minutes tab
        self.editor = MinutesEditor()
        self.editor.changed.connect(self._minutes_edited)
        self.editor.left.connect(self.save_minutes)
        self.autosave = QtCore.QTimer(self)
        self.autosave.setSingleShot(True)
        self.autosave.setInterval(AUTOSAVE_MS)
        self.autosave.timeout.connect(self.save_minutes)
        self.res_model = ResolutionModel(self)
        self.res = QtWidgets.QTableView()
        self.res.setModel(self.res_model)
        self.res.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.res.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.res.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.res.verticalHeader().setVisible(False)
        self.res.horizontalHeader().setSectionResizeMode(QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
        self.res.horizontalHeader().setSectionResizeMode(0, QtWidgets.QHeaderView.ResizeMode.Stretch)
        self.res.doubleClicked.connect(lambda _i: self.edit_resolution())
        self.res.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.res.setMaximumHeight((self.fontMetrics().height() + 8) * 4 + 4)
        self.btn_res_add = QtWidgets.QPushButton(_("Add a vote (Ctrl+R)"))
        self.btn_res_add.clicked.connect(self.add_resolution)
        self.btn_res_edit = QtWidgets.QPushButton(_("Edit the vote"))
        self.btn_res_edit.clicked.connect(self.edit_resolution)
        self.btn_res_del = QtWidgets.QPushButton(_("Delete the vote"))
        self.btn_res_del.clicked.connect(self.delete_resolution)
        self.saved_label = QtWidgets.QLabel()
        min_tab = QtWidgets.QWidget()
        ml = QtWidgets.QVBoxLayout(min_tab)
        ml.addWidget(self.editor, 1)
        votes_title = QtWidgets.QLabel("<b>" + html.escape(_("Votes (counted among the full members present)"))
                                       + "</b>")
        votes_title.setWordWrap(True)
        brow = QtWidgets.QHBoxLayout()
        brow.addWidget(votes_title, 1)
        brow.addWidget(self.saved_label)
        ml.addLayout(brow)
        ml.addWidget(self.res)
        ml.addLayout(flow_row(self.btn_res_add, self.btn_res_edit, self.btn_res_del))

        # preview tab
        self.preview = QtWidgets.QTextBrowser()
        self.preview.setObjectName("minutes_preview")
        serif = QtGui.QFont()
        serif.setFamilies(["Times New Roman", "Liberation Serif", "DejaVu Serif", "serif"])
        serif.setPointSizeF(self.font().pointSizeF() * 1.1)
        self.preview.document().setDefaultFont(serif)
        pv_tab = QtWidgets.QWidget()
        pl = QtWidgets.QVBoxLayout(pv_tab)
        prow = flow_row()
        for text, slot in ((_("Open in the PDF viewer (Ctrl+P)"), self.open_pdf),
                           (_("Save as PDF… (Ctrl+Shift+S)"), lambda: self.save_pdf())):
            b = QtWidgets.QPushButton(text)
            b.clicked.connect(slot)
            prow.addWidget(b)
        pl.addLayout(prow)
        pl.addWidget(self.preview, 1)

        # amendments tab
        self.am_model = AmendmentModel(self)
        self.am = QtWidgets.QTableView()
        self.am.setModel(self.am_model)
        self.am.verticalHeader().setVisible(False)
        self.am.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.am.horizontalHeader().setStretchLastSection(True)
        self.am.setWordWrap(True)

        # At a large text size the summary under the grid would leave the grid one row: the grid keeps
        # room for five members and the tab scrolls instead.
        self.att.setMinimumHeight((self.att.fontMetrics().height() + 8) * 6)
        att_scroll = QtWidgets.QScrollArea()
        att_scroll.setObjectName("attendance_tab")
        att_scroll.setWidgetResizable(True)
        att_scroll.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        att_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        att_scroll.setWidget(att_tab)
        self.tabs.addTab(att_scroll, _("Attendance (F6)"))
        self.tabs.addTab(min_tab, _("Minutes (F7)"))
        self.tabs.addTab(pv_tab, _("Preview (F8)"))
        self.tabs.addTab(self.am, _("Amendments (F9)"))

        right = QtWidgets.QWidget()
        rl = QtWidgets.QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.banner)
        rl.addWidget(self.tabs, 1)
        self.empty = QtWidgets.QLabel(_("No meetings are recorded in this year yet. Press Ctrl+N to record one."))
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.right_stack = QtWidgets.QStackedWidget()
        self.right_stack.addWidget(self.empty)
        self.right_stack.addWidget(right)

        split = QtWidgets.QSplitter(Qt.Orientation.Horizontal)
        self.split = split
        split.setChildrenCollapsible(False)
        split.addWidget(self.list)
        split.addWidget(self.right_stack)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 5)
        split.setSizes([400, 800])
        lay = QtWidgets.QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.bar)
        lay.addWidget(split, 1)
        self._update_actions()

    def _fit_list(self) -> None:
        """The year's list as wide as its columns (all of them at the normal text size), but never more
        than half the page: the meeting itself needs the room. At least the date and kind always show."""
        if not self.list_model.rowCount():
            return
        width = fit_columns(self.list, keep=2)
        total = sum(self.split.sizes()) or max(self.width() - 30, 2 * width)
        self.split.setSizes([min(width, total // 2), max(1, total - min(width, total // 2))])

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QtCore.QEvent.Type.FontChange:
            self._fit_list()      # Ctrl+ / Ctrl− changed the text size
            self.att.setMinimumHeight((self.att.fontMetrics().height() + 8) * 6)

    def _action(self, text: str, keys: str, slot, visible: bool = True) -> QtGui.QAction:
        # Window-wide while this page is shown (a hidden page's actions are inactive), so the keys work
        # right after Ctrl+3 or a click in the navigation, before the focus is inside the page.
        return page_action(self, text, keys, slot, self.bar if visible else None, show_keys=bool(text and visible))

    # --- loading ---------------------------------------------------------------------------------
    def refresh(self) -> None:
        self.save_minutes()
        if self._first_refresh:
            # Open on the current year, or on the last year with meetings when this one has none yet.
            this_year = self.year.value()
            year = self.ctx.read(lambda s: views.opening_year(s, this_year))
            if year != this_year:
                self.year.blockSignals(True)
                self.year.setValue(year)
                self.year.blockSignals(False)
            self._first_refresh = False
        year = self.year.value()
        rows = self.ctx.read(lambda s: svc.meetings_of_year(s, year))
        keep = self.meeting_id
        self.list.selectionModel().blockSignals(True)
        self.list_model.set_rows(rows)
        self.list.selectionModel().blockSignals(False)
        self._fit_list()
        self.count.setText(_("{count} meetings").format(count=len(rows)))
        row = self.list_model.row_of_id(keep) if keep is not None else -1
        if row < 0 and rows:
            row = len(rows) - 1
        if row >= 0:
            self.list.selectionModel().blockSignals(True)
            self.list.setCurrentIndex(self.list_model.index(row, 0))
            self.list.selectionModel().blockSignals(False)
            self.meeting_id = rows[row].id
        else:
            self.meeting_id = None
        self._load_meeting()

    def _year_changed(self) -> None:
        self.save_minutes()
        self.meeting_id = None
        self.refresh()

    def _selection_changed(self) -> None:
        index = self.list.currentIndex()
        new = index.data(ID_ROLE) if index.isValid() else None
        if new == self.meeting_id:
            return
        self.save_minutes()
        self.meeting_id = new
        self._load_meeting()

    def _load_meeting(self) -> None:
        """Show the selected meeting: attendance, counts, minutes, votes, amendments, preview."""
        if self.meeting_id is None:
            self.right_stack.setCurrentIndex(0)
            self._loaded_id = None
            self._update_actions()
            return
        self.right_stack.setCurrentIndex(1)
        meeting_id = self.meeting_id
        v = self.ctx.read(lambda s: views.meeting_view(s, meeting_id))
        self.view = v
        roster, tally, quality, share = v.roster, v.tally, v.quality, v.quorum_share
        summary_title, number, sections, notes = v.title, v.number, list(v.sections), dict(v.notes)
        res_rows = [(r.id, r.text, r.in_favour, r.against, r.other, r.adopted) for r in v.resolutions]
        computed = {
            "attendance": "<br>".join(html.escape(x) for x in v.attendance_lines),
            "resolutions": "<br>".join(html.escape(t) for t in v.resolution_lines)
            or html.escape(_("The votes are entered below (Ctrl+R).")),
        }
        amendments = list(v.amendments)
        self.finalized = v.finalized
        finalized_at, finalized_by, warning = v.finalized_at, v.finalized_by, v.duration_warning
        self.voters = v.voters
        day, start, end, place, kind, topic, guests, representative = (
            v.date, v.start_time, v.end_time, v.place, v.kind, v.topic, v.guests, v.representative)
        when = format_date(day) + (f", {svc.format_time(start)}–{svc.format_time(end)}" if start else "")
        lines = [f"<b>{html.escape(summary_title)}</b> — {html.escape(number)}",
                 html.escape(when + (f" · {place}" if place else ""))]
        if topic and kind != "thematic":
            lines.append(html.escape(_("Thematic part: {topic}").format(topic=topic)))
        if representative:
            lines.append(html.escape(_("Representing the superior committee: {who}.").format(who=representative)))
        if guests:
            lines.append(html.escape(_("Invited guests: {guests}.").format(guests=guests.rstrip("."))))
        if self.finalized:
            lines.append('<span style="color:#1b6e2a">' + html.escape(_(
                "Minutes finalised on {date} by {who}: read-only; corrections are amendments (Ctrl+M)."
            ).format(date=format_date(finalized_at.date()), who=finalized_by or "—")) + "</span>")
        else:
            lines.append('<span style="color:#8a5a00">' + html.escape(_(
                "Draft: finalise the minutes (Ctrl+Shift+K) once they are adopted and signed.")) + "</span>")
        self.banner.setText("<br>".join(lines))

        self.att_model.set_rows(roster.expected, read_only=self.finalized)
        apart = [f"{r.full_name} ({_('exempt')})" for r in roster.exempt]
        apart += [f"{r.full_name} ({_('suspended')})" for r in roster.suspended]
        self.apart.setText(_("Not counted at this meeting: {names}").format(names="; ".join(apart)) if apart else "")
        self.apart.setVisible(bool(apart))
        self.counts.setText(self._counts_html(tally, share, warning))
        self.quality.setText(self._quality_html(quality) if not tally.unrecorded else "")
        self.btn_all.setEnabled(not self.finalized)

        same = self._loaded_id == self.meeting_id
        if not same:
            self.editor.dirty = False
        self.editor.set_minutes(sections, computed, read_only=self.finalized, same_meeting=same, notes=notes)
        self.res_model.set_rows(res_rows)
        self.am_model.set_amendments(amendments)
        self.am.resizeRowsToContents()
        self.tabs.setTabText(3, _("Amendments (F9)") + (f" · {len(amendments)}" if amendments else ""))
        self._loaded_id = self.meeting_id
        self.saved_label.setText("")
        if self.tabs.currentIndex() == 2:
            self._render_preview()
        self._update_actions()

    def _counts_html(self, t, share: float, warning: str | None) -> str:
        e = html.escape
        pct = format_pct(t.attendance_pct) if t.attendance_pct is not None else "—"
        parts = [
            e(_("Members of the branch: {total} (full {full}, probationary {prob}) · exempt {exempt} · "
                "suspended {susp} · expected {expected}").format(
                total=t.total, full=t.full, prob=t.probationary, exempt=t.exempt, susp=t.suspended,
                expected=t.expected)),
            "<b>" + e(_("Present {present} ({pct}) · absent with reason {excused} · absent without reason "
                        "{unexcused}").format(present=t.present, pct=pct, excused=t.excused,
                                              unexcused=t.unexcused)) + "</b>"
        ]
        need = t.quorum(share)
        if t.unrecorded:
            not_yet = _("Attendance not finished: {n} members not recorded yet (at least {need} present needed).")
            parts.append('<span style="color:#8a5a00">' + e(not_yet.format(n=t.unrecorded, need=need)) + "</span>")
        elif t.valid(share):
            parts.append('<span style="color:#1b6e2a">' + e(_("Valid meeting (at least {need} present needed).")
                                                            .format(need=need)) + "</span>")
        else:
            parts.append('<span style="color:#b00020">' + e(_("Not valid: at least {need} members must be present.")
                                                            .format(need=need)) + "</span>")
        if warning:
            parts.append(f'<span style="color:#8a5a00">{e(warning)}</span>')
        return "<br>".join(parts)

    def _quality_html(self, q) -> str:
        e = html.escape
        if q is None:
            return ""

        def item(ok: bool, text: str) -> str:
            color, word = ("#1b6e2a", _("met")) if ok else ("#b00020", _("not met"))
            return f'<span style="color:{color}">{e(text)}: <b>{e(word)}</b></span>'

        pct = format_pct(q.attendance_pct) if q.attendance_pct is not None else "—"
        items = [
            item(q.attendance_ok, _("attendance above {limit}% ({pct})").format(limit=int(q.attendance_above), pct=pct)),
            item(q.unexcused_ok, _("nobody absent without reason")),
            item(q.streak_ok, _("nobody absent with reason more than {n} times in a row").format(n=q.streak_limit)),
        ]
        text = e(_("Quality criteria ({source}):").format(source=q.source)) + " " + " · ".join(items)
        if q.long_streaks:
            text += "<br>" + e(", ".join(_("{name}: {n} times in a row").format(name=n, n=c) for n, c in q.long_streaks))
        return text

    def _update_actions(self) -> None:
        has = self.meeting_id is not None
        draft = has and not self.finalized
        for act in (self.act_edit, self.act_finalise, self.act_delete):
            act.setEnabled(draft)
        self.act_amend.setEnabled(has and self.finalized)
        for act in (self.act_open, self.act_save_pdf):
            act.setEnabled(has)
        for b in (self.btn_res_add, self.btn_res_edit, self.btn_res_del):
            b.setEnabled(draft)

    def _tab_changed(self, index: int) -> None:
        self.save_minutes()
        if index == 2:
            self._render_preview()

    def _render_preview(self) -> None:
        """The minutes as they print, read after the minutes being typed are saved."""
        if self.meeting_id is None:
            self.preview.clear()
            return
        meeting_id = self.meeting_id
        query_op(self, lambda s: views.minutes_preview(s, meeting_id), title=_("Preview (F8)"),
                 on_success=self.preview.setHtml, on_failure=lambda exc: self.preview.setPlainText(str(exc)))

    # --- navigation --------------------------------------------------------------------------------
    def focus_list(self) -> None:
        self.list.setFocus()

    def show_tab(self, index: int) -> None:
        if self.meeting_id is None:
            return
        self.tabs.setCurrentIndex(index)
        if index == 0:
            self.att.setFocus()
            if not self.att.currentIndex().isValid():
                self.att.go_to(0, AttendanceModel.STATUS_COL)
        elif index == 1:
            edit = self.editor.first_edit()
            (edit or self.res).setFocus()
        elif index == 3:
            self.am.setFocus()

    def select_meeting(self, meeting_id: int) -> None:
        year = self.ctx.read(lambda s: views.meeting_year(s, meeting_id))
        self.meeting_id = meeting_id
        if self.year.value() != year:
            self.year.blockSignals(True)
            self.year.setValue(year)
            self.year.blockSignals(False)
        self.refresh()

    # --- meetings ------------------------------------------------------------------------------------
    def new_meeting(self) -> None:
        self.save_minutes()
        dlg = MeetingDialog(self.ctx, year=self.year.value(), parent=self)
        if dlg.exec() == QtWidgets.QDialog.DialogCode.Accepted and dlg.meeting_id is not None:
            self.select_meeting(dlg.meeting_id)
            self.show_tab(0)

    def edit_meeting(self) -> None:
        if self.meeting_id is None or self.finalized:
            return
        self.save_minutes()
        dlg = MeetingDialog(self.ctx, self.meeting_id, parent=self)
        if dlg.exec() == QtWidgets.QDialog.DialogCode.Accepted:
            if getattr(dlg, "dropped", None):
                inform(self, _("Edit the meeting"), _(
                    "On the new date these comrades were not members expected at the meeting; their attendance "
                    "was removed: {names}").format(names=", ".join(dlg.dropped)))
            self.select_meeting(self.meeting_id)

    def delete_meeting(self) -> None:
        if self.meeting_id is None or self.finalized:
            return
        index = self.list.currentIndex()
        summary = self.list_model.row_at(index.row()) if index.isValid() else None
        text = _("Delete the meeting of {date} ({kind}) with its attendance, minutes and votes? "
                 "This cannot be undone.").format(date=format_date(summary.date) if summary else "",
                                                  kind=summary.kind_text if summary else "")
        if not ask(self, _("Delete the meeting"), text):
            return
        meeting_id = self.meeting_id

        def op(session):
            svc.delete_meeting(session, meeting_id)
            return MEETINGS

        def refused(problems: list[str]) -> None:
            inform(self, _("Delete the meeting"), "\n".join(problems), error=True)
            self.select_meeting(meeting_id)

        # The page forgets the meeting first, so the refresh that follows the deletion shows another one.
        self.editor.dirty = False
        self.meeting_id = None
        self._loaded_id = None
        run_op(self, op, title=_("Delete the meeting"), on_refused=refused)

    # --- attendance ----------------------------------------------------------------------------------
    def _mark(self, row: int, status: str | None) -> None:
        if self.meeting_id is None or self.finalized:
            return
        r = self.att_model.row_at(row)
        reason = r.reason if status in ("excused", "unexcused") and r.status in ("excused", "unexcused") else ""
        if status == "excused" and not reason and r.leave:
            reason = r.leave
        meeting_id, member_id = self.meeting_id, r.member_id
        self._write(lambda s: svc.set_attendance(s, meeting_id, member_id, status, reason))
        self.att_model.update_row(row, dataclasses.replace(r, status=status, reason=reason if status else ""))
        if status == "excused":
            index = self.att_model.index(row, AttendanceModel.REASON_COL)
            self.att.setCurrentIndex(index)
            self.att.edit(index)
        else:
            self.att.go_to(row + 1, AttendanceModel.STATUS_COL)

    def _write_reason(self, member_id: int, status: str, reason: str) -> bool:
        meeting_id = self.meeting_id
        self._write(lambda s: svc.set_attendance(s, meeting_id, member_id, status, reason))
        row = self.att_model.row_of_member(member_id)
        if row >= 0:
            self.att_model.update_row(row, dataclasses.replace(self.att_model.row_at(row), reason=reason))
        return True

    def all_present(self) -> None:
        if self.meeting_id is None or self.finalized:
            return
        meeting_id = self.meeting_id
        self._write(lambda s: svc.mark_all_present(s, meeting_id))
        self.show_tab(0)

    def _write(self, fn, on_success=None) -> None:
        """Store a change of the meeting shown; the page (and the pages that count attendance) then
        reload, keeping the cursor and what is being typed."""
        def op(session):
            fn(session)
            return MEETINGS

        run_op(self, op, title=_("Branch meetings"), on_success=on_success,
               on_refused=lambda problems: inform(self, _("Branch meetings"), "\n".join(problems), error=True))

    # --- minutes -------------------------------------------------------------------------------------
    def _minutes_edited(self) -> None:
        self.saved_label.setText(_("Not saved yet"))
        self.autosave.start()

    def save_minutes(self, on_saved=None) -> bool:
        """Write the minutes' text if it changed (also done on its own shortly after typing stops, when
        the focus leaves a section, and before anything else is shown). `on_saved()` once stored."""
        self.autosave.stop()
        if not self.editor.dirty or self._loaded_id is None or self.finalized:
            if on_saved is not None:
                on_saved()
            return True
        texts, notes, meeting_id = self.editor.texts(), self.editor.note_texts(), self._loaded_id

        def op(session):
            svc.records.save_minutes(session, meeting_id, texts, notes)
            return MEETINGS

        def saved(_value) -> None:
            if self._loaded_id == meeting_id and (self.editor.texts(), self.editor.note_texts()) == (texts, notes):
                self.editor.dirty = False          # nothing typed meanwhile
                self.saved_label.setText(_("Saved"))
            if on_saved is not None:
                on_saved()

        self.editor.dirty = False    # what is typed from now on makes it dirty again
        run_op(self, op, title=_("Save the minutes"), on_success=saved, on_refused=lambda problems: (
            self._minutes_not_saved(meeting_id), inform(self, _("Save the minutes"), "\n".join(problems), error=True)))
        return True

    def _minutes_not_saved(self, meeting_id: int) -> None:
        if self._loaded_id == meeting_id:
            self.editor.dirty = True
            self.saved_label.setText(_("Not saved yet"))

    # --- unsaved edits: the minutes save as they are typed -----------------------------------------
    def has_unsaved(self) -> bool:
        return self.editor.dirty and self._loaded_id is not None and not self.finalized

    def save(self, on_saved=None) -> None:
        self.save_minutes(on_saved)

    def _resolution_id(self) -> int | None:
        index = self.res.currentIndex()
        return self.res_model.id_at(index.row()) if index.isValid() else None

    def add_resolution(self) -> None:
        if self.meeting_id is None or self.finalized:
            return
        self.save_minutes()
        if ResolutionDialog(self.ctx, self.meeting_id, parent=self).exec() == QtWidgets.QDialog.DialogCode.Accepted:
            self.tabs.setCurrentIndex(1)

    def edit_resolution(self) -> None:
        rid = self._resolution_id()
        if rid is None or self.finalized:
            return
        self.save_minutes()
        ResolutionDialog(self.ctx, self.meeting_id, rid, parent=self).exec()

    def delete_resolution(self) -> None:
        rid = self._resolution_id()
        if rid is None or self.finalized:
            return
        if not ask(self, _("Delete the vote"), _("Delete the selected vote from the minutes?")):
            return
        self.save_minutes()
        meeting_id = self.meeting_id
        self._write(lambda s: svc.delete_resolution(s, meeting_id, rid))

    # --- finalise and amend ----------------------------------------------------------------------
    def finalise(self) -> None:
        if self.meeting_id is None or self.finalized:
            return
        self.save_minutes()
        meeting_id, today = self.meeting_id, self.ctx.today()
        by = self.ctx.user or (self.view.secretary_name if self.view else "")
        # Checked after the minutes being typed are saved (operations run in order).
        query_op(self, lambda s: svc.finalise_check(s, meeting_id, today), title=_("Finalise the minutes"),
                 on_success=lambda check: self._finalise_checked(meeting_id, by, check))

    def _finalise_checked(self, meeting_id: int, by: str, check) -> None:
        if not check.ok:
            inform(self, _("Finalise the minutes"), _("The minutes cannot be finalised yet:") + "\n• "
                   + "\n• ".join(p.message for p in check.errors), error=True)
            return
        text = _("After finalising, the minutes can no longer be edited; a correction is then an amendment with "
                 "its date and reason. Finalise the minutes now?")
        if check.warnings:
            text += "\n\n" + _("Please check:") + "\n• " + "\n• ".join(p.message for p in check.warnings)
        if not ask(self, _("Finalise the minutes"), text, default_no=False):
            return
        today = self.ctx.today()
        now = dt.datetime.combine(today, dt.datetime.now().time())
        self._write(lambda s: svc.finalise_meeting(s, meeting_id, by, now, today))

    def amend(self) -> None:
        if self.meeting_id is None or not self.finalized:
            return
        if AmendmentDialog(self.ctx, self.meeting_id, parent=self).exec() == QtWidgets.QDialog.DialogCode.Accepted:
            self.show_tab(3)

    # --- printing --------------------------------------------------------------------------------
    def write_pdf(self, path: Path, on_written=None) -> bool:
        """Write the minutes to `path` off the GUI thread, after the minutes being typed are saved;
        `on_written(path)` once written."""
        if self.meeting_id is None:
            return False
        self.save_minutes()
        meeting_id = self.meeting_id

        def op(session):
            printing.write_minutes_pdf(session, meeting_id, path)
            return OpResult(NOTHING, path)

        run_op(self, op, title=_("Print the minutes"), label=_("Writing {name}…").format(name=path.name),
               on_success=on_written)
        return True

    def _default_name(self) -> str:
        index = self.list.currentIndex()
        s = self.list_model.row_at(index.row()) if index.isValid() else None
        return f"bien-ban-{s.date.isoformat()}.pdf" if s else "bien-ban.pdf"

    def open_pdf(self) -> Path | None:
        """Write the minutes to a temporary PDF and open it in the system's PDF viewer (to read and print)."""
        if self.meeting_id is None:
            return None
        folder = Path(tempfile.gettempdir()) / "so-chi-bo"
        folder.mkdir(exist_ok=True)
        path = folder / (Path(self._default_name()).stem + dt.datetime.now().strftime("-%H%M%S") + ".pdf")

        def written(path: Path) -> None:
            if not QtGui.QDesktopServices.openUrl(QtCore.QUrl.fromLocalFile(str(path))):
                inform(self, _("Print the minutes"), _(
                    "No PDF viewer could be opened. The minutes were written to {path}.").format(path=path))

        return path if self.write_pdf(path, written) else None

    def save_pdf(self, path: Path | str | None = None) -> Path | None:
        if self.meeting_id is None:
            return None
        if path is None:
            # In the user's Documents folder (or where the last minutes were saved), never the program's.
            path = ask_save_path(self, _("Save the minutes as PDF"), self._default_name(),
                                 [("PDF (*.pdf)", ".pdf")], kind="minutes")
            if path is None:
                return None
        path = Path(path)
        return path if self.write_pdf(path) else None

    def export_sheet(self, path: Path | str | None = None) -> Path | None:
        """The year's attendance sheet (members x meetings) as PDF or .xlsx."""
        year = self.year.value()
        if path is None:
            path = ask_save_path(self, _("Attendance sheet of {year}").format(year=year), f"diem-danh-{year}.pdf",
                                 [("PDF (*.pdf)", ".pdf"), ("Excel (*.xlsx)", ".xlsx")], kind="minutes")
            if path is None:
                return None
        path = Path(path)
        if path.suffix.lower() not in (".pdf", ".xlsx"):
            path = path.with_suffix(".pdf")
        today, target = self.ctx.today(), path

        def op(session):
            if target.suffix.lower() == ".xlsx":
                printing.write_attendance_xlsx(session, year, target)
            else:
                printing.write_attendance_pdf(session, year, target, today)
            return OpResult(NOTHING, target)

        run_op(self, op, title=_("Attendance sheet of {year}").format(year=year),
               label=_("Writing {name}…").format(name=path.name))
        return path

    def hideEvent(self, event) -> None:
        self.save_minutes()
        super().hideEvent(event)
