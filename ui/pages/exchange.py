"""Gửi cấp trên: a branch makes its signed file for the committee; a committee receives and adds them up."""
from __future__ import annotations

import html
from pathlib import Path

from services.branch import identity, is_committee
from services.errors import UserError
from services.exchange import committee as csvc
from services.exchange import keys
from services.exchange.container import SUFFIX, ExchangeRefused, Period
from services.exchange.export import default_file_name, export_year, preview
from services.exchange.report import level_name, write_committee_report
from services.exchange.source import LEVELS
from services.i18n import N_, _
from services.ops import EXCHANGE, NOTHING, OpResult
from services.review.service import default_year

from ..dialogs.line_dialog import LineDialog, open_line_dialog
from ..files import ask_save_path
from ..models.exchange import ID_ROLE, BranchStatusModel, CommitteeTallyModel
from ..operations import run_op
from ..qt import Qt, QtWidgets
from ..widgets import ask, inform, shortcut
from ..worker import Task
from .base import Page, page_heading


def _year_box(today) -> QtWidgets.QSpinBox:
    box = QtWidgets.QSpinBox()
    box.setRange(1990, 2200)
    box.setValue(default_year(today))
    box.setMinimumWidth(box.fontMetrics().horizontalAdvance("00000") + 40)
    return box


class BranchSendView(QtWidgets.QWidget):
    """In a branch's database: what the file of the year holds, and making it."""

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.job: Task | None = None
        self.last_path: Path | None = None
        self.intro = QtWidgets.QLabel()
        self.intro.setWordWrap(True)
        self.year = _year_box(ctx.today())
        self.year.valueChanged.connect(lambda _v: self.refresh())
        self.summary = QtWidgets.QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.send_button = QtWidgets.QPushButton(_("Make the file for the committee…") + " (Ctrl+S)")
        self.send_button.clicked.connect(self.make_file)
        self.result = QtWidgets.QLabel()
        self.result.setWordWrap(True)
        self.key_label = QtWidgets.QLabel()
        self.key_label.setWordWrap(True)
        self.key_label.setStyleSheet("color:#555555")

        row = QtWidgets.QHBoxLayout()
        row.addWidget(QtWidgets.QLabel(_("Year:")))
        row.addWidget(self.year)
        row.addStretch(1)
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.intro)
        lay.addLayout(row)
        box = QtWidgets.QGroupBox(_("What will be sent"))
        box_lay = QtWidgets.QVBoxLayout(box)
        box_lay.addWidget(self.summary)
        lay.addWidget(box)
        buttons = QtWidgets.QHBoxLayout()
        buttons.addWidget(self.send_button)
        buttons.addStretch(1)
        lay.addLayout(buttons)
        lay.addWidget(self.result)
        lay.addStretch(1)
        lay.addWidget(self.key_label)
        shortcut(self, "Ctrl+S", self.make_file)

    def refresh(self) -> None:
        year = self.year.value()
        try:
            s = self.ctx.read(lambda session: preview(session, year))
        except UserError as exc:
            self.summary.setText(html.escape(str(exc)))
            self.send_button.setEnabled(False)
            return
        self.send_button.setEnabled(True)
        self.intro.setText(_("Make one signed file with the year's review results of the branch, to send to "
                             "{committee} (by e-mail or on a USB stick). The committee's program checks it and "
                             "adds it up, with no retyping.").format(committee=s.committee or _("the committee")))
        levels = " · ".join(f"{k} {s.levels[k]}" for k in LEVELS)
        lines = [
            _("Branch: {name}").format(name=s.branch),
            _("Members on the review date: {n}").format(n=s.members),
            _("Rated: {rated}; not rated: {not_rated}").format(rated=s.rated, not_rated=s.not_rated),
            levels,
            _("Branch's proposed level: {level}").format(
                level=level_name(s.proposed_level, year) or _("not yet")),
            _("Meetings recorded: {n}").format(n=s.meetings_held),
        ]
        self.summary.setText("<br>".join(html.escape(x) for x in lines))
        path = keys.key_path()
        if path.exists():
            try:
                fp = keys.fingerprint(keys.public_raw(keys.load_or_create_key(path)))
                self.key_label.setText(_("This computer's signing key: {fp}. Keep a copy of the file {path} with "
                                         "your backups.").format(fp=keys.short_fingerprint(fp), path=path))
            except UserError as exc:
                self.key_label.setText(str(exc))
        else:
            self.key_label.setText(_("This computer's signing key is made with the first file."))

    def make_file(self) -> None:
        if self.job is not None or not self.send_button.isEnabled():
            return
        year = self.year.value()
        ident = self.ctx.read(identity)
        name = default_file_name(ident.name if ident else "", year)
        path = ask_save_path(self, _("Make the file for the committee"), name,
                             [(_("Files for the committee (*.scb)"), SUFFIX)], kind="exchange")
        if path is None:
            return
        self.send_button.setEnabled(False)
        self.job = run_op(self, lambda s: OpResult(EXCHANGE, export_year(s, year, path)),
                          title=_("Make the file for the committee"), label=_("Making the file…"),
                          on_success=self._made, on_failure=self._failed)

    def _made(self, summary) -> None:
        self.job = None
        self.send_button.setEnabled(True)
        self.last_path = summary.path
        self.result.setText(_("Made {path}: {members} members, {rated} rated. Send this file to the committee.")
                            .format(path=summary.path, members=summary.members, rated=summary.rated))
        self.refresh()

    def _failed(self, exc: BaseException) -> None:
        from ..worker import show_error

        self.job = None
        self.send_button.setEnabled(True)
        if isinstance(exc, UserError):
            inform(self, _("Make the file for the committee"), str(exc), error=True)
        else:
            show_error(self, _("Make the file for the committee"), exc)


class CommitteeView(QtWidgets.QWidget):
    """In a committee's database: the branches, the files they sent, and the sum."""

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.job: Task | None = None
        self.setAcceptDrops(True)
        self.year = _year_box(ctx.today())
        self.year.valueChanged.connect(lambda _v: self.refresh())
        self.receive_button = QtWidgets.QPushButton(_("Receive files…") + " (Ctrl+O)")
        self.receive_button.clicked.connect(self.choose_files)
        self.add_button = QtWidgets.QPushButton(_("Add a branch…"))
        self.add_button.clicked.connect(self.add_branch)
        self.report_button = QtWidgets.QPushButton(_("Print the summary…") + " (Ctrl+P)")
        self.report_button.clicked.connect(self.print_summary)
        hint = QtWidgets.QLabel(_("Drag .scb files from the branches onto this page to receive them."))
        hint.setStyleSheet("color:#555555")
        self.counts = QtWidgets.QLabel()

        self.branch_model = BranchStatusModel(self)
        self.branches = self._table(self.branch_model)
        self.branches.doubleClicked.connect(self.show_history)
        self.history_button = QtWidgets.QPushButton(_("Files received…"))
        self.history_button.clicked.connect(lambda: self.show_history(self.branches.currentIndex()))
        self.key_button = QtWidgets.QPushButton(_("Accept a new key…"))
        self.key_button.clicked.connect(self.accept_new_key)
        self.expect_button = QtWidgets.QPushButton(_("No longer expected…"))
        self.expect_button.clicked.connect(self.toggle_expected)
        self.decide_button = QtWidgets.QPushButton(_("Committee's decision…"))
        self.decide_button.setObjectName("decide_level")
        self.decide_button.clicked.connect(self.decide_level)
        self.branches.selectionModel().currentRowChanged.connect(lambda *_a: self._update_buttons())
        self.tally_model = CommitteeTallyModel(self)
        self.tally = self._table(self.tally_model)
        self.quota = QtWidgets.QLabel()
        self.quota.setWordWrap(True)

        top = QtWidgets.QHBoxLayout()
        top.addWidget(QtWidgets.QLabel(_("Year:")))
        top.addWidget(self.year)
        top.addSpacing(12)
        top.addWidget(self.receive_button)
        top.addWidget(self.add_button)
        top.addWidget(self.report_button)
        top.addStretch(1)
        upper = QtWidgets.QWidget()
        ul = QtWidgets.QVBoxLayout(upper)
        ul.setContentsMargins(0, 0, 0, 0)
        head = QtWidgets.QHBoxLayout()
        head.addWidget(QtWidgets.QLabel("<b>" + html.escape(_("Branches and their files")) + "</b>"))
        head.addStretch(1)
        head.addWidget(self.counts)
        ul.addLayout(head)
        ul.addWidget(self.branches)
        row_buttons = QtWidgets.QHBoxLayout()
        row_buttons.addWidget(QtWidgets.QLabel(_("Selected branch:")))
        for button in (self.history_button, self.key_button, self.expect_button, self.decide_button):
            row_buttons.addWidget(button)
        row_buttons.addStretch(1)
        ul.addLayout(row_buttons)
        lower = QtWidgets.QWidget()
        ll = QtWidgets.QVBoxLayout(lower)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(QtWidgets.QLabel("<b>" + html.escape(_("The committee's tally")) + "</b>"))
        ll.addWidget(self.tally)
        ll.addWidget(self.quota)
        split = QtWidgets.QSplitter(Qt.Orientation.Vertical)
        split.addWidget(upper)
        split.addWidget(lower)
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(top)
        lay.addWidget(hint)
        lay.addWidget(split, 1)
        shortcut(self, "Ctrl+O", self.choose_files)
        shortcut(self, "Ctrl+P", self.print_summary)

    @staticmethod
    def _table(model) -> QtWidgets.QTableView:
        view = QtWidgets.QTableView()
        view.setModel(model)
        view.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setAlternatingRowColors(True)
        view.verticalHeader().setVisible(False)
        view.verticalHeader().setDefaultSectionSize(view.fontMetrics().lineSpacing() + 10)
        header = view.horizontalHeader()
        header.setSectionResizeMode(QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QtWidgets.QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        return view

    @staticmethod
    def _fit_names(view: QtWidgets.QTableView, names: list[str]) -> None:
        """The name column as wide as the longest name, within reason (the rest shows in a tooltip)."""
        fm = view.fontMetrics()
        widest = max([fm.horizontalAdvance(n) for n in names] + [fm.horizontalAdvance(_("Branch"))])
        view.setColumnWidth(0, min(widest + 24, 270))

    def selected(self):
        index = self.branches.currentIndex()
        return self.branch_model.row_at(index.row()) if index.isValid() else None

    def _update_buttons(self) -> None:
        row = self.selected()
        for button in (self.history_button, self.key_button, self.expect_button, self.decide_button):
            button.setEnabled(row is not None)
        held = row is not None and row.held_file_id is not None
        self.key_button.setText(_("Accept the held file…") if held else _("Accept a new key…"))
        self.key_button.setEnabled(held or (row is not None and bool(row.key_fingerprint)))
        self.expect_button.setEnabled(row is not None and row.accepted)
        self.expect_button.setText(_("Expect files again") if row is not None and not row.expected
                                   else _("No longer expected…"))

    def refresh(self) -> None:
        selected = self.selected()
        year = self.year.value()
        rows, tally = self.ctx.read(lambda s: (csvc.branch_statuses(s, Period.of_year(year)),
                                               csvc.committee_tally(s, year)))
        self.branch_model.set_rows(rows)
        self.tally_model.set_tally(tally if tally["branches"] else None)
        self._fit_names(self.branches, [r.name for r in rows])
        if selected is not None:
            for i, r in enumerate(rows):
                if r.id == selected.id:
                    self.branches.setCurrentIndex(self.branch_model.index(i, 0))
        self._update_buttons()
        self._fit_names(self.tally, [b["branch"] for b in tally["branches"]] + [_("Share of those rated")])
        self.counts.setText(_("{sent} of {total} branches have sent their file for {year}.").format(
            sent=tally["branches_sent"], total=tally["branches_total"], year=year))
        q = tally["quota"]
        n = tally["levels"]["HTXSNV"]
        if not tally["branches"]:
            self.quota.setText("")
        elif q["ok"]:
            self.quota.setText(_("HTXSNV: {n}, within the maximum of {max} (a share of those rated HTTNV).")
                               .format(n=n, max=q["max_HTXSNV"]))
            self.quota.setStyleSheet("color:#1b5e20")
        else:
            self.quota.setText(_("HTXSNV: {n}, {over} more than the maximum of {max} (a share of those rated "
                                 "HTTNV): the committee must reduce the number when it decides.")
                               .format(n=n, max=q["max_HTXSNV"], over=n - q["max_HTXSNV"]))
            self.quota.setStyleSheet("color:#b00020")

    # --- receiving -------------------------------------------------------------------------------
    def choose_files(self) -> None:
        paths, _filter = QtWidgets.QFileDialog.getOpenFileNames(
            self, _("Receive files from branches"), str(Path.home()), _("Files for the committee (*.scb)"))
        if paths:
            self.receive_paths([Path(p) for p in paths])

    def receive_paths(self, paths: list[Path]) -> None:
        """Receive each file, one after the other, each checked completely then recorded in one unit of
        work; refusals are listed in one dialog, replacements are asked one by one."""
        self._receive_next(list(paths), [], [], False)

    def _receive_next(self, paths: list[Path], done: list[str], refused: list[str], held: bool,
                      replace: bool = False) -> None:
        if not paths:
            if held:
                done.append(_("A held file is listed as \"file held, not counted\": select its branch and press "
                              "\"Accept the held file…\"."))
            if refused:
                inform(self, _("Files not accepted"), "\n\n".join(refused + done), error=True)
            elif done:
                inform(self, _("Files received"), "\n\n".join(done))
            return
        path, rest, db = paths[0], paths[1:], self.ctx.db

        def op() -> OpResult:
            result = csvc.receive_file(db, path, replace=replace)      # its own unit of work, write lock first
            changed = EXCHANGE if result.status != csvc.ReceiveStatus.NEEDS_CONFIRMATION else NOTHING
            return OpResult(changed, result)

        def received(result) -> None:
            if result.status == csvc.ReceiveStatus.NEEDS_CONFIRMATION:
                if ask(self, _("Replace the file?"), result.message() + "\n\n" + _("Replace it?")):
                    self._receive_next(paths, done, refused, held, replace=True)
                    return
                done.append(_("{file}: kept the file received earlier.").format(file=path.name))
            else:
                done.append(result.message())
            self._receive_next(rest, done, refused, held or result.status == csvc.ReceiveStatus.HELD)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, ExchangeRefused):
                refused.append(str(exc))
                self._receive_next(rest, done, refused, held)
            elif isinstance(exc, UserError):
                refused.append(str(exc))
                self._receive_next([], done, refused, held)    # the database cannot take files: stop here
            else:
                from ..worker import show_error

                show_error(self, _("Receive files from branches"), exc)

        run_op(self, op, session=False, title=_("Receive files from branches"), label=_("Checking {file}…").format(
            file=path.name), on_success=received, on_failure=failed)

    def dragEnterEvent(self, event) -> None:
        if self._scb_paths(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        self.dragEnterEvent(event)

    def dropEvent(self, event) -> None:
        paths = self._scb_paths(event.mimeData())
        if paths:
            event.acceptProposedAction()
            self.receive_paths(paths)

    @staticmethod
    def _scb_paths(mime) -> list[Path]:
        if not mime.hasUrls():
            return []
        return [Path(u.toLocalFile()) for u in mime.urls()
                if u.isLocalFile() and u.toLocalFile().lower().endswith(SUFFIX)]

    # --- other actions ---------------------------------------------------------------------------
    def add_branch(self) -> None:
        def make_op(name: str):
            def op(session):
                csvc.register_branch(session, name)
                return EXCHANGE
            return op

        open_line_dialog(self, LineDialog(self, _("Add a branch"), _("Name of the branch, as it writes it:"),
                                          make_op, ok_text=_("Add")))

    def accept_new_key(self) -> None:
        row = self.selected()
        if row is None:
            return
        if row.held_file_id is not None:
            self.accept_held(row.held_file_id)
            return
        if not row.key_fingerprint:
            return
        if not ask(self, _("Accept a new key"), _(
                "Forget the signing key recorded for {name} ({key})? Its next file will be held until you accept "
                "it, after the branch has read out the digits of its new key. Do this only after the branch has "
                "confirmed that it changed computer.").format(name=row.name, key=row.key_fingerprint)):
            return
        branch_id = row.id

        def op(session):
            csvc.reset_key(session, branch_id)
            return EXCHANGE

        run_op(self, op, write=True, title=_("Accept a new key"))

    def accept_held(self, file_id: int) -> None:
        """A held file: the office compares the key's digits with the branch on the phone, then accepts
        it (as a new branch or as one on the list) or throws it away."""
        held = self.ctx.read(lambda s: next((h for h in csvc.held_files(s) if h.id == file_id), None))
        if held is None:
            return
        dlg = HeldFileDialog(held, self)
        if dlg.exec() != QtWidgets.QDialog.DialogCode.Accepted:
            return
        refuse, digits, as_branch, same_name = dlg.refuse, dlg.digits(), dlg.as_branch(), dlg.same_name

        def op(session):
            if refuse:
                csvc.refuse_held(session, held.id)
            else:
                csvc.accept_held(session, held.id, digits, as_branch, same_name=same_name)
            return EXCHANGE

        run_op(self, op, write=True, title=_("Held file"),
               on_failure=lambda exc: inform(self, _("Held file"), str(exc), error=True))

    def toggle_expected(self) -> None:
        row = self.selected()
        if row is None:
            return
        if row.expected and not ask(self, _("No longer expected"), _(
                "Stop expecting files from {name}? The files it sent are kept, and it is no longer counted "
                "as missing.").format(name=row.name)):
            return
        branch_id, expected = row.id, not row.expected

        def op(session):
            csvc.set_expected(session, branch_id, expected)
            return EXCHANGE

        run_op(self, op, write=True, title=_("No longer expected"))

    def decide_level(self) -> None:
        """The level the committee decided for the selected branch this year (printed in the summary)."""
        row = self.selected()
        if row is None:
            return
        year = self.year.value()
        choices = [_("(no decision yet)")] + [f"{code}: {level_name(code, year)}" for code in LEVELS]
        name, branch_id = row.name, row.id
        current = self.ctx.read(lambda s: csvc.decided_level_of(s, branch_id, year))
        dlg = QtWidgets.QInputDialog(self)
        dlg.setWindowTitle(_("Committee's decision"))
        dlg.setLabelText(_("Level the committee decided for {name} in {year}:").format(name=row.name, year=year))
        dlg.setComboBoxItems(choices)
        dlg.setComboBoxEditable(False)
        dlg.setTextValue(choices[LEVELS.index(current) + 1 if current in LEVELS else 0])
        dlg.setOkButtonText(_("Save"))
        dlg.setCancelButtonText(_("Cancel"))
        if dlg.exec() != QtWidgets.QDialog.DialogCode.Accepted:
            return
        picked = choices.index(dlg.textValue())
        level = LEVELS[picked - 1] if picked else None

        def op(session):
            csvc.decide_level(session, name, year, level)
            return EXCHANGE

        run_op(self, op, title=_("Committee's decision"))

    def show_history(self, index) -> None:
        if not index.isValid():
            return
        branch_id = index.data(ID_ROLE)
        lines = self.ctx.read(lambda s: csvc.file_history_lines(s, branch_id))
        name = self.branch_model.row_at(index.row()).name
        inform(self, _("Files from {name}").format(name=name), "\n".join(lines) or _("No file received yet."))

    def print_summary(self) -> None:
        if self.job is not None:
            return
        year = self.year.value()
        path = ask_save_path(self, _("Print the summary"), f"tong-hop-{year}.pdf",
                             [(_("PDF document (*.pdf)"), ".pdf"), (_("Excel workbook (*.xlsx)"), ".xlsx")],
                             kind="summary")
        if path is None:
            return
        today = self.ctx.today()

        def op(session) -> OpResult:
            write_committee_report(session, year, path, on=today)
            return OpResult(NOTHING, path)

        def done(result):
            self.job = None
            inform(self, _("Print the summary"), _("Wrote {path}.").format(path=result))

        def failed(exc: BaseException):
            self.job = None
            inform(self, _("Print the summary"), str(exc), error=True)

        self.job = run_op(self, op, title=_("Print the summary"), label=_("Writing the summary…"),
                          on_success=done, on_failure=failed)


class HeldFileDialog(QtWidgets.QDialog):
    """A held file: its branch, its key's digits to compare on the phone, the branch it may be."""

    def __init__(self, held: csvc.HeldFile, parent=None):
        super().__init__(parent)
        self.setWindowTitle(_("Held file"))
        self.held = held
        self.refuse = False
        self.same_name = False
        what = _("a branch the committee does not know yet") if held.new_branch else \
            _("a branch on the list, with a new signing key")
        text = _("The file {file} ({period}, {members} members) is from \"{branch}\", {what}. It is held and counted "
                 "nowhere until you accept it.").format(file=held.file_name, period=held.period.text(),
                                                        members=held.members, branch=held.branch, what=what)
        info = QtWidgets.QLabel(html.escape(text) + "<br><br>" + html.escape(_("Its signing key:")) +
                                f" <b style='font-size:14pt'>{html.escape(held.short_fingerprint)}</b>")
        info.setWordWrap(True)
        lay = QtWidgets.QVBoxLayout(self)
        lay.addWidget(info)
        for _other_id, other in held.look_alikes:
            warn = QtWidgets.QLabel(_("WARNING: its name looks like that of {name}, already on the list: it may be a "
                                      "forged file.").format(name=other))
            warn.setWordWrap(True)
            warn.setStyleSheet("color:#b00020; font-weight:bold")
            lay.addWidget(warn)
        steps = QtWidgets.QLabel(_("Call the branch and ask it to read out the digits of its key (on its page "
                                   "\"Send to the committee\"). Type them here; the file is accepted only if they "
                                   "are the same."))
        steps.setWordWrap(True)
        lay.addWidget(steps)
        self.digits_edit = QtWidgets.QLineEdit()
        self.digits_edit.setPlaceholderText("XXXX XXXX XXXX XXXX")
        self.as_box = QtWidgets.QComboBox()
        if held.new_branch:
            self.as_box.addItem(_("a new branch"), None)
        else:
            self.as_box.addItem(held.branch, None)
        for other_id, other in held.registered + held.look_alikes:
            if held.new_branch:
                self.as_box.addItem(_("the branch on the list: {name}").format(name=other), other_id)
        if held.registered:
            self.as_box.setCurrentIndex(1)
        form = QtWidgets.QFormLayout()
        form.addRow(_("Digits read out by the branch:"), self.digits_edit)
        form.addRow(_("The file is from:"), self.as_box)
        lay.addLayout(form)
        buttons = QtWidgets.QDialogButtonBox()
        accept = buttons.addButton(_("Accept"), QtWidgets.QDialogButtonBox.ButtonRole.AcceptRole)
        refuse = buttons.addButton(_("Throw the file away"), QtWidgets.QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.addButton(_("Cancel"), QtWidgets.QDialogButtonBox.ButtonRole.RejectRole)
        accept.clicked.connect(self._accept)
        refuse.clicked.connect(self._refuse)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.setMinimumWidth(520)

    def digits(self) -> str:
        return self.digits_edit.text()

    def as_branch(self) -> int | None:
        return self.as_box.currentData()

    def _accept(self) -> None:
        if not csvc.fingerprint_matches(self.digits(), self.held.fingerprint):
            inform(self, _("Held file"), _("The digits typed are not those of the key of this file ({key}). Do not "
                                           "accept a file whose key the branch cannot confirm.").format(
                key=self.held.short_fingerprint), error=True)
            return
        if self.held.new_branch and self.as_branch() is None and self.held.look_alikes:
            if not ask(self, _("Held file"), _("Its name looks like that of a branch already on the list. Is it really "
                                               "another branch?")):
                return
            self.same_name = True
        self.accept()

    def _refuse(self) -> None:
        if ask(self, _("Held file"), _("Throw this file away? Nothing of it is counted or kept.")):
            self.refuse = True
            self.accept()


class ExchangePage(Page):
    title = N_("Send to the committee")
    areas = frozenset({"exchange", "review", "members", "meetings", "branch"})

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, parent)
        self.heading = page_heading(_(self.title))
        self.branch_view = BranchSendView(ctx)
        self.committee_view = CommitteeView(ctx)
        self.stack = QtWidgets.QStackedWidget()
        self.stack.addWidget(self.branch_view)
        self.stack.addWidget(self.committee_view)
        lay = QtWidgets.QVBoxLayout(self)
        lay.addWidget(self.heading)
        lay.addWidget(self.stack, 1)

    def is_committee(self) -> bool:
        return self.ctx.read(is_committee)

    def refresh(self) -> None:
        if self.is_committee():
            self.heading.setText(_("Files from the branches"))
            self.stack.setCurrentWidget(self.committee_view)
            self.committee_view.refresh()
        else:
            self.heading.setText(_(self.title))
            self.stack.setCurrentWidget(self.branch_view)
            self.branch_view.refresh()
