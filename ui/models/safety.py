"""Item models for data safety: the list of backups (restore preview) and the audit trail."""
from __future__ import annotations

from services.i18n import N_, _

from ..qt import Qt, QtCore, QtGui
from .base import RowsTableModel


class _RowsModel(RowsTableModel):
    """A read-only table whose cells come from `cell(row, column key, role)`."""

    COLUMNS: list[tuple[str, str]] = []

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self._rows)) \
                or not (0 <= index.column() < len(self.COLUMNS)):
            return None
        return self.cell(self._rows[index.row()], self.COLUMNS[index.column()][0], role)

    def cell(self, row, key: str, role):
        return None


class BackupTableModel(_RowsModel):
    """Backups with what each holds (services.backup.BackupInfo), newest first."""

    COLUMNS = [
        ("taken", N_("Backup taken")),
        ("reason", N_("Why")),
        ("branch", N_("Branch")),
        ("members", N_("Members")),
        ("version", N_("Data version")),
        ("state", N_("Condition")),
        ("file", N_("File")),
    ]

    def add(self, info) -> int:
        """Add a backup chosen elsewhere (a USB stick) at the top; returns its row."""
        self.beginInsertRows(QtCore.QModelIndex(), 0, 0)
        self._rows.insert(0, info)
        self.endInsertRows()
        return 0

    def first_good_row(self) -> int:
        for i, info in enumerate(self._rows):
            if info.ok:
                return i
        return -1

    def cell(self, info, key: str, role):
        if role == Qt.ItemDataRole.DisplayRole:
            if key == "taken":
                return info.taken_text
            if key == "reason":
                return info.reason_label
            if key == "branch":
                return info.branch_name
            if key == "members":
                return "" if info.member_count is None else str(info.member_count)
            if key == "version":
                return info.schema_version
            if key == "state":
                return _("Good") if info.ok else info.problem
            if key == "file":
                return info.path.name
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(info.path) if key == "file" else (info.problem or None)
        if role == Qt.ItemDataRole.ForegroundRole and not info.ok:
            return QtGui.QBrush(QtGui.QColor("#b00020"))
        if role == Qt.ItemDataRole.TextAlignmentRole and key == "members":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class AuditTableModel(_RowsModel):
    """Lịch sử thay đổi: entries (services.audit.AuditRow), newest first."""

    COLUMNS = [
        ("when", N_("When")),
        ("user", N_("Who")),
        ("action", N_("What was done")),
        ("record", N_("Record")),
        ("field", N_("Field")),
        ("old", N_("Old value")),
        ("new", N_("New value")),
    ]

    def cell(self, row, key: str, role):
        if role == Qt.ItemDataRole.DisplayRole:
            return getattr(row, key)
        if role == Qt.ItemDataRole.ToolTipRole and key in ("old", "new"):
            return getattr(row, key) or None
        return None
