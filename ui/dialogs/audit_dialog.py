"""Lịch sử thay đổi: who changed what and when, for one member (or one meeting, or everything)."""
from __future__ import annotations

from services import audit
from services.i18n import _

from ..models.safety import AuditTableModel
from ..qt import QtWidgets


class AuditDialog(QtWidgets.QDialog):
    """The audit trail filtered like `services.audit.audit_entries` (member_id=…, meeting_id=…)."""

    LIMIT = 2000

    def __init__(self, ctx, title: str, parent=None, **filters):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(1150, 560)
        rows = ctx.read(lambda s: audit.audit_rows(s, limit=self.LIMIT, **filters))
        self.model = AuditTableModel(self)
        self.model.set_rows(rows)
        heading = QtWidgets.QLabel(f"<b>{title}</b>")
        self.table = QtWidgets.QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.resizeColumnsToContents()
        for col in (5, 6):
            self.table.setColumnWidth(col, min(self.table.columnWidth(col), 320))
        self.empty = QtWidgets.QLabel(_("No change has been recorded yet."))
        self.empty.setVisible(not rows)
        note = QtWidgets.QLabel(_("Newest first. The user is the name given when the program was opened, "
                                  "or the computer's user name."))
        note.setWordWrap(True)
        close = QtWidgets.QPushButton(_("Close"))
        close.clicked.connect(self.accept)
        buttons = QtWidgets.QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(close)
        lay = QtWidgets.QVBoxLayout(self)
        lay.addWidget(heading)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.empty)
        lay.addWidget(note)
        lay.addLayout(buttons)
