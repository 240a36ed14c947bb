"""Khôi phục từ bản sao lưu: the backups with what each holds; the user picks one."""
from __future__ import annotations

from pathlib import Path

from services import backup
from services.i18n import _
from services.ops import NOTHING, OpResult

from ..models.safety import BackupTableModel
from ..operations import run_op
from ..qt import Qt, QtCore, QtWidgets
from ..widgets import ask


class RestoreDialog(QtWidgets.QDialog):
    """Lists the backups of `db_path`; `chosen` is the BackupInfo to restore when accepted.

    With `damaged`, the dialog explains that the current file is damaged and offers the newest good
    backup first. The restore itself is done by the caller, which must close the database first.
    """

    def __init__(self, db_path, parent=None, damaged: str | None = None):
        super().__init__(parent)
        self.db_path = db_path  # a file, or services.location.Location of a server database
        self.chosen: backup.BackupInfo | None = None
        self.setWindowTitle(_("Restore from a backup"))
        self.resize(1100, 520)
        intro = QtWidgets.QLabel()
        intro.setWordWrap(True)
        if damaged:
            intro.setText(damaged + "\n\n" + _(
                "Choose a good backup to restore. The damaged file is kept as it is in the backups folder."))
            intro.setStyleSheet("color: #b00020")
        else:
            intro.setText(_("Choose the backup to restore. What the database holds now is backed up first, "
                            "so nothing is lost."))
        self.model = BackupTableModel(self)
        self.loaded = False   # the list is read off the GUI thread (each backup is opened to say what it holds)
        self.table = QtWidgets.QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAlternatingRowColors(True)
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._update())
        self.table.doubleClicked.connect(lambda _i: self.restore_selected())
        self.empty = QtWidgets.QLabel(_("Reading the backups…"))
        self.empty.setWordWrap(True)
        self.preview = QtWidgets.QLabel()
        self.preview.setWordWrap(True)
        self.preview.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.other_button = QtWidgets.QPushButton(_("Choose another file…"))
        self.other_button.clicked.connect(self.choose_file)
        self.restore_button = QtWidgets.QPushButton(_("Restore"))
        self.restore_button.setDefault(True)
        self.restore_button.clicked.connect(self.restore_selected)
        self.cancel_button = QtWidgets.QPushButton(_("Cancel"))
        self.cancel_button.clicked.connect(self.reject)
        buttons = QtWidgets.QHBoxLayout()
        buttons.addWidget(self.other_button)
        buttons.addStretch(1)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.cancel_button)

        lay = QtWidgets.QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.empty)
        lay.addWidget(self.preview)
        lay.addLayout(buttons)
        self._update()
        db_path = self.db_path
        run_op(self, lambda: OpResult(NOTHING, backup.list_backups(db_path)), session=False,
               title=_("Restore from a backup"), label=_("Reading the backups…"), on_success=self._show_backups)

    def _show_backups(self, found: list[backup.BackupInfo]) -> None:
        chosen = [self.model.row_at(r) for r in range(self.model.rowCount())]   # files added meanwhile
        self.model.set_rows(chosen + found)
        self.loaded = True
        self.empty.setText(_("No backup of this database was found in {folder}.").format(
            folder=backup.backups_folder(self.db_path)))
        self.table.resizeColumnsToContents()
        row = 0 if chosen else self.model.first_good_row()
        if row >= 0:
            self.table.setCurrentIndex(self.model.index(row, 0))
        self._update()

    def selected(self) -> backup.BackupInfo | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def _update(self) -> None:
        self.empty.setVisible(self.model.rowCount() == 0)
        info = self.selected()
        self.restore_button.setEnabled(info is not None and info.ok)
        if info is None:
            self.preview.setText("")
        elif info.ok:
            self.preview.setText(_("Selected: {summary}").format(summary=info.summary()) + "\n" + str(info.path))
        else:
            self.preview.setText(info.summary())

    def choose_file(self) -> None:
        name, _filter = QtWidgets.QFileDialog.getOpenFileName(
            self, _("Choose a backup"), str(QtCore.QDir.homePath()), _("Sổ chi bộ data (*.db);;All files (*)"))
        if name:
            self.add_file(Path(name))

    def add_file(self, path: Path) -> None:
        row = self.model.add(backup.inspect_backup(path))
        self.table.setCurrentIndex(self.model.index(row, 0))
        self._update()

    def restore_selected(self) -> None:
        info = self.selected()
        if info is None or not info.ok:
            return
        if not ask(self, _("Restore from a backup"), _(
                "Replace what the database holds now by this backup?\n\n{summary}\n\n"
                "What it holds now is backed up first.").format(summary=info.summary())):
            return
        self.chosen = info
        self.accept()
