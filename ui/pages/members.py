"""Đảng viên: the register with instant search, filters, the member's history and actions."""
from __future__ import annotations

from services import members as svc
from services.errors import ValidationError
from services.i18n import N_, _

from ..dialogs.event_dialog import EventDialog
from ..dialogs.member_dialog import MemberDialog
from ..models.members import ID_ROLE, HistoryModel, MemberFilterProxy, MemberTableModel
from ..qt import Qt, QtGui, QtWidgets
from ..widgets import ask, inform, shortcut
from .base import Page, page_heading


class MembersPage(Page):
    title = N_("Members")
    area = "members"

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
        self.filter.currentIndexChanged.connect(
            lambda: self.proxy.set_status_filter(self.filter.currentData()) or self._update_count())
        self.count = QtWidgets.QLabel()

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
        self.table.doubleClicked.connect(lambda _i: self.edit_member())
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._show_history())

        self.history_model = HistoryModel(self)
        self.history = QtWidgets.QTableView()
        self.history.setModel(self.history_model)
        self.history.verticalHeader().setVisible(False)
        self.history.horizontalHeader().setStretchLastSection(True)
        self.history.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.history.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history_title = QtWidgets.QLabel(_("Party life history"))

        self.actions_bar = QtWidgets.QToolBar()
        self.actions_bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.act_add = self._action(_("Add member"), "Ctrl+N", self.add_member)
        self.act_edit = self._action(_("Edit"), "F2", self.edit_member)
        self.act_event = self._action(_("Record an event"), "Ctrl+E", self.add_event)
        self.act_del_event = self._action(_("Delete the selected event"), None, self.delete_event)
        self.act_audit = self._action(_("Change history"), None, self.show_audit)  # data safety
        self.actions_bar.addSeparator()
        self.extra_actions()

        top = QtWidgets.QHBoxLayout()
        top.addWidget(page_heading(_("Party members")))
        top.addStretch(1)
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
        shortcut(self, QtGui.QKeySequence(Qt.Key.Key_Return), self.edit_member)

    def extra_actions(self) -> None:
        """Import/export actions are added by the import feature."""

    def _action(self, text: str, keys: str | None, slot) -> QtGui.QAction:
        act = QtGui.QAction(text + (f" ({keys})" if keys else ""), self)
        if keys:
            act.setShortcut(QtGui.QKeySequence(keys))
            act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        act.triggered.connect(slot)
        self.actions_bar.addAction(act)
        self.addAction(act)
        return act

    # --- data ------------------------------------------------------------------------------
    def refresh(self) -> None:
        selected = self.selected_id()
        with self.ctx.db.begin() as session:
            rows = svc.register(session, self.ctx.today())
        self.model.set_rows(rows)
        self._update_count()
        if selected is not None:
            self.select_member(selected)
        self._show_history()

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
        with self.ctx.db.begin() as session:
            member = svc.member_details(session, member_id)
            events = list(member.events) if member else []
            name = member.full_name if member else ""
        self.history_model.set_events(events)
        self.history_title.setText(_("Party life history of {name}").format(name=name))

    # --- actions ---------------------------------------------------------------------------
    def add_member(self) -> None:
        dlg = MemberDialog(self.ctx, parent=self)
        if dlg.exec() == QtWidgets.QDialog.DialogCode.Accepted:
            self.search.clear()
            self.select_member(dlg.member_id)

    def edit_member(self) -> None:
        member_id = self.selected_id()
        if member_id is None:
            return
        MemberDialog(self.ctx, member_id, parent=self).exec()

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
        try:
            with self.ctx.db.begin() as session:
                svc.delete_event(session, event.id)
        except ValidationError as exc:
            inform(self, _("Delete the selected event"), str(exc), error=True)
            return
        self.ctx.notify_changed("members")

    def show_audit(self) -> None:
        """Lịch sử thay đổi of the selected member (data safety, services/audit.py)."""
        from ..dialogs.audit_dialog import AuditDialog

        member_id = self.selected_id()
        if member_id is None:
            inform(self, _("Change history"), _("Select a member first."))
            return
        name = self.model.row_at(self.model.row_of_id(member_id)).full_name
        AuditDialog(self.ctx, _("Change history of {name}").format(name=name), self, member_id=member_id).exec()
