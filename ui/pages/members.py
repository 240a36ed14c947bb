"""Đảng viên: the register with instant search, filters, the member's history and actions."""
from __future__ import annotations

from pathlib import Path

from services import members as svc
from services.i18n import N_, _
from services.member_removal import delete_entered_by_mistake, likely_duplicates, member_references
from services.ops import MEMBERS, NOTHING, OpChanges, OpResult

from ..dialogs.event_dialog import EventDialog
from ..dialogs.member_dialog import MemberDialog
from ..flow import ButtonBar
from ..models.members import (
    DUPLICATE_BACKGROUND,
    DUPLICATES,
    ID_ROLE,
    HistoryModel,
    MemberFilterProxy,
    MemberTableModel,
)
from ..operations import run_op
from ..qt import Qt, QtCore, QtGui, QtWidgets
from ..widgets import ask, inform, page_action, shortcut
from .base import Page, page_heading


class ElidedTooltipDelegate(QtWidgets.QStyledItemDelegate):
    """Shows the whole text of a cell that is too narrow for it when the mouse rests on it."""

    def helpEvent(self, event, view, option, index) -> bool:
        if event.type() == QtCore.QEvent.Type.ToolTip and not index.data(Qt.ItemDataRole.ToolTipRole):
            text = index.data(Qt.ItemDataRole.DisplayRole)
            if isinstance(text, str) and option.fontMetrics.horizontalAdvance(text) > option.rect.width() - 8:
                QtWidgets.QToolTip.showText(event.globalPos(), text, view)
                return True
        return super().helpEvent(event, view, option, index)


class MembersPage(Page):
    title = N_("Members")
    areas = frozenset({"members"})

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, parent)
        self.model = MemberTableModel(self)
        self.proxy = MemberFilterProxy(self)
        self.proxy.setSourceModel(self.model)

        self.search = QtWidgets.QLineEdit()
        self.search.setPlaceholderText(_("Search by name, card number or position (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._search_changed)
        self.filter = QtWidgets.QComboBox()
        for key, label in svc.FILTER_LABELS.items():
            self.filter.addItem(_(label), key)
        self.filter.addItem(_("Probably entered twice"), DUPLICATES)
        self.filter.currentIndexChanged.connect(
            lambda: self.proxy.set_status_filter(self.filter.currentData()) or self._update_count())
        self.count = QtWidgets.QLabel()
        # Likely duplicates (same name and date of birth, or same card number): said, and one click shows them.
        self.duplicates_notice = QtWidgets.QPushButton()
        self.duplicates_notice.setObjectName("duplicates_notice")
        self.duplicates_notice.setFlat(True)
        self.duplicates_notice.setAutoFillBackground(True)   # the palette, not a style sheet: the text grows with Ctrl+
        palette = self.duplicates_notice.palette()
        palette.setColor(QtGui.QPalette.ColorRole.Button, QtGui.QColor(DUPLICATE_BACKGROUND))
        palette.setColor(QtGui.QPalette.ColorRole.Window, QtGui.QColor(DUPLICATE_BACKGROUND))
        palette.setColor(QtGui.QPalette.ColorRole.ButtonText, QtGui.QColor("#8a5a00"))
        self.duplicates_notice.setPalette(palette)
        self.duplicates_notice.clicked.connect(
            lambda: self.filter.setCurrentIndex(self.filter.findData(DUPLICATES)))
        self.duplicates_notice.setVisible(False)

        self.table = QtWidgets.QTableView()
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setHighlightSections(False)
        self.table.horizontalHeader().setDefaultAlignment(
            Qt.AlignmentFlag.AlignCenter | Qt.AlignmentFlag(Qt.TextFlag.TextWordWrap.value))
        self.table.setItemDelegate(ElidedTooltipDelegate(self.table))
        self._columns_sized = False
        self.table.doubleClicked.connect(lambda _i: self.edit_member())
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._show_history())

        self.history_model = HistoryModel(self)
        self.history = QtWidgets.QTableView()
        self.history.setModel(self.history_model)
        self.history.verticalHeader().setVisible(False)
        self.history.horizontalHeader().setStretchLastSection(True)
        # The date always whole, at any text size (a handful of rows: measuring them costs nothing).
        self.history.horizontalHeader().setSectionResizeMode(0, QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
        self.history.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.history.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history_title = QtWidgets.QLabel(_("Party life history"))

        self.actions_bar = ButtonBar()   # wraps onto a second line rather than hiding buttons
        self.act_add = self._action(_("Add member"), "Ctrl+N", self.add_member)
        self.act_edit = self._action(_("Edit"), "F2", self.edit_member)
        self.act_event = self._action(_("Record an event"), "Ctrl+E", self.add_event)
        self.act_del_event = self._action(_("Delete the selected event"), None, self.delete_event)
        self.act_delete = self._action(_("Delete the member…"), "Ctrl+Del", self.delete_member)
        self.act_delete.setToolTip(_("Only for a record entered by mistake (twice, or by a wrong import). A member "
                                     "who leaves gets an event: transfer, death, removal from the rolls."))
        self.act_audit = self._action(_("Change history"), None, self.show_audit)  # data safety
        self.actions_bar.addSeparator()
        self.extra_actions()

        top = QtWidgets.QHBoxLayout()
        top.addWidget(page_heading(_("Party members")))
        top.addStretch(1)
        top.addWidget(self.duplicates_notice)
        top.addWidget(self.count)
        bar = QtWidgets.QHBoxLayout()
        bar.addWidget(self.search, 3)
        bar.addWidget(QtWidgets.QLabel(_("Show:")))
        bar.addWidget(self.filter, 1)
        lower = QtWidgets.QWidget()
        lower_lay = QtWidgets.QVBoxLayout(lower)
        lower_lay.setContentsMargins(0, 0, 0, 0)
        lower_lay.addWidget(self.history_title)
        lower_lay.addWidget(self.history)
        split = QtWidgets.QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(lower)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        lay = QtWidgets.QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.actions_bar)
        lay.addLayout(bar)
        lay.addWidget(split, 1)
        shortcut(self, "Ctrl+F", self.search.setFocus)
        shortcut(self, QtGui.QKeySequence(Qt.Key.Key_Return), self.edit_member,
                 Qt.ShortcutContext.WidgetWithChildrenShortcut)

    def extra_actions(self) -> None:
        """Import from Excel / CSV and export of the list."""
        self.import_dialog = None
        self.act_import = self._action(_("Import from Excel…"), "Ctrl+I", self.import_members)
        self.act_export = self._action(_("Export the list…"), "Ctrl+Shift+S", self.export_members)
        for act in (self.act_import, self.act_export):  # the keys go in the tooltip: a shorter bar
            act.setToolTip(act.text())
            act.setText(act.text().rsplit(" (", 1)[0])

    def _action(self, text: str, keys: str | None, slot) -> QtGui.QAction:
        return page_action(self, text, keys, slot, self.actions_bar)

    # --- data ------------------------------------------------------------------------------
    def refresh(self) -> None:
        selected = self.selected_id()
        today = self.ctx.today()
        rows = self.ctx.read(lambda s: svc.register(s, today))
        duplicates = likely_duplicates(rows)
        self.model.set_rows(rows, duplicates)
        self.duplicates_notice.setText(_("{n} records look entered twice: show them").format(n=len(duplicates)))
        self.duplicates_notice.setVisible(bool(duplicates))
        self._update_count()
        if not self._columns_sized and rows:
            self.size_columns()
        if selected is not None:
            self.select_member(selected)
        elif self.proxy.rowCount():  # show someone's history rather than an empty pane
            self.table.setCurrentIndex(self.proxy.index(0, 0))
        self._show_history()

    def size_columns(self) -> None:
        """Columns as narrow as their contents allow, header labels on up to two lines but never cut,
        every name in full; a long position is cut with "…" (hover shows it) so that the table fits a
        1366-pixel screen without scrolling sideways."""
        self._columns_sized = True
        header = self.table.horizontalHeader()
        fm = header.fontMetrics()
        pad = fm.averageCharWidth() * 2 + 8
        keys = [key for key, _label in self.model.COLUMNS]
        widths: list[int] = []
        for col in range(self.model.columnCount()):
            label = str(self.model.headerData(col, Qt.Orientation.Horizontal))
            words = label.split()
            # the narrowest split of the label into two lines
            two_lines = min((max(fm.horizontalAdvance(" ".join(words[:i])), fm.horizontalAdvance(" ".join(words[i:])))
                             for i in range(1, len(words))), default=fm.horizontalAdvance(label))
            arrow = fm.height() if col == header.sortIndicatorSection() else 0
            widths.append(max(self.table.sizeHintForColumn(col) + 6, two_lines + pad + arrow))
        # The position column takes what the others leave (at least about 10 letters).
        position = keys.index("position")
        others = sum(w for c, w in enumerate(widths) if c != position)
        available = (self.table.width() - 2 * self.table.frameWidth()
                     - self.table.verticalScrollBar().sizeHint().width() - 2)
        room = available - others
        if room > 0:
            widths[position] = min(widths[position], max(room, fm.horizontalAdvance("M") * 10))
        for col, width in enumerate(widths):
            self.table.setColumnWidth(col, width)
        header.setFixedHeight(fm.lineSpacing() * 2 + 10)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QtCore.QEvent.Type.FontChange and self.model.rowCount():
            self.size_columns()  # Ctrl+ / Ctrl− changed the text size

    def _search_changed(self, text: str) -> None:
        self.proxy.set_search(text)
        self._update_count()

    def _update_count(self) -> None:
        self.count.setText(_("{shown} of {total} shown").format(
            shown=self.proxy.rowCount(), total=self.model.rowCount()))

    def selected_id(self) -> int | None:
        index = self.table.currentIndex()
        return index.data(ID_ROLE) if index.isValid() else None

    def select_member(self, member_id: int) -> None:
        row = self.model.row_of_id(member_id)
        if row < 0:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if index.isValid():
            self.table.setCurrentIndex(index)
            self.table.scrollTo(index)

    def _show_history(self) -> None:
        member_id = self.selected_id()
        if member_id is None:
            self.history_model.set_events([])
            self.history_title.setText(_("Party life history"))
            return
        member = self.ctx.read(lambda s: svc.member_view(s, member_id))
        events = list(member.events) if member else []
        name = member.full_name if member else ""
        self.history_model.set_events(events)
        self.history_title.setText(_("Party life history of {name}").format(name=name))

    # --- actions ---------------------------------------------------------------------------
    def add_member(self) -> None:
        dlg = MemberDialog(self.ctx, parent=self)
        if dlg.exec() == QtWidgets.QDialog.DialogCode.Accepted and dlg.member_id is not None:
            self.search.clear()
            self.select_member(dlg.member_id)

    def edit_member(self) -> None:
        member_id = self.selected_id()
        if member_id is None:
            return
        MemberDialog(self.ctx, member_id, parent=self).exec()

    def delete_member(self) -> None:
        """Delete a record entered by mistake, after a question; when anything refers to the member,
        say what does instead (a member who leaves gets an event, never a deletion)."""
        member_id = self.selected_id()
        title = _("Delete the member")
        if member_id is None:
            inform(self, title, _("Select a member first."))
            return
        refs = self.ctx.read(lambda s: member_references(s, member_id))
        if refs is None:
            self.refresh()
            return
        if not refs.deletable:
            inform(self, title, "\n".join(refs.refusal()))
            return
        dup = self.model.duplicates.get(member_id)
        text = _("Delete {name} from the register for good? Only for a record entered by mistake: twice, or by "
                 "a wrong import. The deletion is written in the history of changes.").format(name=refs.full_name)
        if dup is not None:
            text += "\n\n" + dup.reason
        if not ask(self, title, text):
            return
        version = refs.version

        def op(session) -> OpResult:
            return OpResult(MEMBERS, delete_entered_by_mistake(session, member_id, seen_version=version))

        run_op(self, op, title=title, write=True,
               on_success=lambda name: self._say(_("Deleted {name} from the register.").format(name=name)),
               on_refused=lambda problems: inform(self, title, "\n".join(problems), error=True))

    def _say(self, text: str) -> None:
        """A short note in the window's status bar (what was just done)."""
        window = self.window()
        if isinstance(window, QtWidgets.QMainWindow):
            window.statusBar().showMessage(text, 15000)

    def add_event(self) -> None:
        member_id = self.selected_id()
        if member_id is None:
            inform(self, _("Record an event"), _("Select a member first."))
            return
        EventDialog(self.ctx, member_id, parent=self).exec()

    def delete_event(self) -> None:
        index = self.history.currentIndex()
        if not index.isValid():
            inform(self, _("Delete the selected event"), _("Select an event in the history first."))
            return
        event = self.history_model.event_at(index.row())
        if not ask(self, _("Delete the selected event"),
                   _("Delete this event from the history?\n{text}").format(text=svc.describe_event(event))):
            return
        event_id = event.id

        def op(session) -> OpChanges:
            svc.delete_event(session, event_id)
            return MEMBERS

        run_op(self, op, title=_("Delete the selected event"))

    # --- import / export --------------------------------------------------------------------
    def import_members(self) -> None:
        """Choose a file, read it off the GUI thread, then show the preview (nothing written yet)."""
        from services.member_import import read_import

        from ..dialogs.import_dialog import choose_import_file

        path = choose_import_file(self)
        if not path:
            return
        today = self.ctx.today()
        existing = self.ctx.read(lambda s: svc.register(s, today))
        run_op(self, lambda progress: OpResult(NOTHING, read_import(path, existing, today, progress)),
               session=False, progress=True, cancellable=True, label=_("Reading {name}…").format(
                   name=Path(path).name), title=_("Import members"), on_success=self._show_import_preview)

    def _show_import_preview(self, preview) -> None:
        from ..dialogs.import_dialog import ImportPreviewDialog

        self.import_dialog = ImportPreviewDialog(self.ctx, preview, parent=self)
        self.import_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.import_dialog.finished.connect(self._import_finished)
        self.import_dialog.open()

    def _import_finished(self, _result: int) -> None:
        dialog, self.import_dialog = self.import_dialog, None
        if dialog is not None and dialog.imported:
            self.size_columns()
            self.search.clear()
            self.filter.setCurrentIndex(self.filter.findData(svc.RegisterFilter.ALL))
            self.select_member(dialog.imported[0])

    def export_members(self) -> None:
        """Save the members shown by the filter, in Vietnamese order, as .xlsx or .csv."""
        from services.i18n import format_date
        from services.member_export import export_register

        from ..dialogs.import_dialog import last_dir, remember_dir

        which = self.filter.currentData()
        xlsx_filter = _("Excel workbook (*.xlsx)")
        csv_filter = _("CSV file, opens in Excel (*.csv)")
        name = _("Party members {date}").format(date=format_date(self.ctx.today()).replace("/", "-"))
        path, chosen = QtWidgets.QFileDialog.getSaveFileName(
            self, _("Export the list of members"), str(Path(last_dir()) / f"{name}.xlsx"),
            f"{xlsx_filter};;{csv_filter}")
        if not path:
            return
        if Path(path).suffix.lower() not in (".xlsx", ".csv"):
            path += ".csv" if chosen == csv_filter else ".xlsx"
        remember_dir(path)
        today = self.ctx.today()
        run_op(self, lambda s: OpResult(NOTHING, export_register(s, path, today, which)),
               label=_("Writing {name}…").format(name=Path(path).name), title=_("Export the list of members"),
               on_success=lambda count: inform(self, _("Export the list of members"), _(
                   "Exported {count} members to {path}.").format(count=count, path=path)))

    def show_audit(self) -> None:
        """Lịch sử thay đổi of the selected member (data safety, services/audit.py)."""
        from ..dialogs.audit_dialog import AuditDialog

        member_id = self.selected_id()
        if member_id is None:
            inform(self, _("Change history"), _("Select a member first."))
            return
        name = self.model.row_at(self.model.row_of_id(member_id)).full_name
        AuditDialog(self.ctx, _("Change history of {name}").format(name=name), self, member_id=member_id).exec()
