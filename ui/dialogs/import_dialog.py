"""Nhập đảng viên từ Excel: choose a file, see every row with its problems, then import all or nothing."""
from __future__ import annotations

import html
from pathlib import Path

from services.i18n import _
from services.member_import import ImportPreview, import_members, write_problems_csv
from services.ops import MEMBERS, OpResult

from ..models.member_import import COLOURS, ImportPreviewModel, ProblemRowsProxy
from ..operations import run_op
from ..qt import Qt, QtCore, QtWidgets
from ..widgets import ask, inform

SETTINGS_DIR_KEY = "import/last_dir"


def _settings() -> QtCore.QSettings:
    return QtCore.QSettings("SoChiBo", "SoChiBo")


def last_dir() -> str:
    value = _settings().value(SETTINGS_DIR_KEY, "")
    if value and Path(str(value)).is_dir():
        return str(value)
    docs = QtCore.QStandardPaths.writableLocation(QtCore.QStandardPaths.StandardLocation.DocumentsLocation)
    return docs if docs and Path(docs).is_dir() else str(Path.home())


def remember_dir(path: str | Path) -> None:
    _settings().setValue(SETTINGS_DIR_KEY, str(Path(path).parent))


def choose_import_file(parent) -> str:
    """The file dialog for an import; "" when cancelled."""
    path, _filter = QtWidgets.QFileDialog.getOpenFileName(
        parent, _("Choose the list of members to import"), last_dir(),
        _("Excel workbooks or CSV files (*.xlsx *.xlsm *.csv);;Excel workbooks (*.xlsx *.xlsm);;"
          "CSV files (*.csv *.txt);;All files (*)"))
    if path:
        remember_dir(path)
    return path


class ImportPreviewDialog(QtWidgets.QDialog):
    """Every row of the file with its problems; "Nhập" only when no row has an error."""

    def __init__(self, ctx, preview: ImportPreview, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.preview = preview
        self.imported: list[int] = []
        self.task = None
        self.setWindowTitle(_("Import members: {name}").format(name=preview.source))
        self.setMinimumSize(900, 560)
        if parent is not None:  # most of the window: the rows are what the user came to see
            window = parent.window()
            self.resize(max(900, int(window.width() * 0.9)), max(560, int(window.height() * 0.9)))

        title = QtWidgets.QLabel(_("Check the rows before importing. Nothing is written until you press "
                                   "«Import»; then either every row is imported or none."))
        title.setWordWrap(True)
        notices = QtWidgets.QLabel("<br>".join(html.escape(n) for n in preview.notices() if n != preview.legacy_notice()))
        notices.setWordWrap(True)
        notices.setVisible(bool(notices.text()))
        self.legacy = QtWidgets.QLabel(html.escape(preview.legacy_notice()))
        self.legacy.setWordWrap(True)
        self.legacy.setStyleSheet(f"background:{COLOURS['note']}; padding:6px; border-radius:3px;")
        self.legacy.setVisible(bool(preview.legacy))
        file_problems = [p.text() for p in preview.problems]
        self.file_problems = QtWidgets.QLabel("<br>".join(
            f'<span style="color:#9b1c1c">✖ {html.escape(t)}</span>' for t in file_problems))
        self.file_problems.setWordWrap(True)
        self.file_problems.setVisible(bool(file_problems))

        self.counts = QtWidgets.QLabel(preview.summary())
        font = self.counts.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.counts.setFont(font)
        self.counts.setStyleSheet("color:#9b1c1c;" if not preview.ok else "color:#1e6b2f;")

        self.only_problems = QtWidgets.QCheckBox(_("Show only rows with errors or warnings"))

        self.model = ImportPreviewModel(self)
        self.model.set_preview(preview)
        self.proxy = ProblemRowsProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QtWidgets.QTableView()
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setWordWrap(False)
        self.table.resizeColumnsToContents()
        for c in range(self.model.columnCount() - 1):
            self.table.setColumnWidth(c, min(self.table.columnWidth(c), 260))
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._show_row_problems())
        self.detail = QtWidgets.QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setMinimumHeight(self.fontMetrics().height() * 3)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)

        self.buttons = QtWidgets.QDialogButtonBox()
        self.save_problems = self.buttons.addButton(_("Save the list of problems…"),
                                                    QtWidgets.QDialogButtonBox.ButtonRole.ActionRole)
        self.save_problems.setEnabled(bool(preview.all_problems()))
        self.import_button = self.buttons.addButton(
            _("Import {count} members").format(count=len(preview.rows)) if preview.ok else _("Import"),
            QtWidgets.QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setEnabled(preview.ok)
        if not preview.ok:
            self.import_button.setToolTip(_("Correct the rows marked in red in the file, then import it again."))
        self.cancel_button = self.buttons.addButton(_("Cancel"), QtWidgets.QDialogButtonBox.ButtonRole.RejectRole)
        self.import_button.setDefault(preview.ok)
        self.buttons.accepted.connect(self.do_import)
        self.buttons.rejected.connect(self.reject)
        self.save_problems.clicked.connect(self.save_problem_list)
        self.only_problems.toggled.connect(self.proxy.set_only_problems)

        lay = QtWidgets.QVBoxLayout(self)
        lay.addWidget(title)
        lay.addWidget(notices)
        lay.addWidget(self.legacy)
        lay.addWidget(self.file_problems)
        top = QtWidgets.QHBoxLayout()
        top.addWidget(self.counts)
        top.addStretch(1)
        top.addWidget(self.only_problems)
        lay.addLayout(top)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.detail)
        lay.addWidget(self.buttons)
        self.only_problems.setChecked(not preview.ok and bool(preview.bad_rows))
        if self.proxy.rowCount():
            self.table.setCurrentIndex(self.proxy.index(0, 0))
        self._show_row_problems()

    def _show_row_problems(self) -> None:
        index = self.table.currentIndex()
        if not index.isValid():
            self.detail.setText("")
            return
        row = self.model.row_at(self.proxy.mapToSource(index).row())
        heading = _("Row {row}").format(row=row.row)
        lines = [f"<b>{html.escape(heading)}</b>"]
        colours = {"error": "#9b1c1c", "warning": "#7a4b00", "note": "#1f4e79"}
        order = {"error": 0, "warning": 1, "note": 2}
        for p in sorted(row.problems, key=lambda p: order[p.level]):
            where = f"{html.escape(p.column)}: " if p.column else ""
            lines.append(f'<span style="color:{colours[p.level]}">{where}{html.escape(p.message)}</span>')
        if len(lines) == 1:
            lines.append(html.escape(_("No problems.")))
        self.detail.setText("<br>".join(lines))

    def save_problem_list(self) -> None:
        default = str(Path(last_dir()) / _("Problems in {name}.csv").format(name=Path(self.preview.source).stem))
        path, _filter = QtWidgets.QFileDialog.getSaveFileName(
            self, _("Save the list of problems"), default, _("CSV files (*.csv)"))
        if not path:
            return
        if not path.lower().endswith(".csv"):
            path += ".csv"
        try:
            count = write_problems_csv(self.preview, path)
        except OSError as exc:
            inform(self, _("Save the list of problems"), _("Cannot write {path}: {detail}").format(
                path=path, detail=exc.strerror or exc), error=True)
            return
        inform(self, _("Save the list of problems"),
               _("{count} problems saved to {path}.").format(count=count, path=path))

    def do_import(self) -> None:
        if not self.preview.ok or self.task is not None:
            return
        duplicates = self.preview.duplicate_rows
        if duplicates and not ask(self, _("Import members"), _(
                "{count} rows look like members already in the register or like another row of the file "
                "(rows {rows}). Import them anyway?").format(
                count=len(duplicates), rows=", ".join(str(r.row) for r in duplicates[:15])
                + ("…" if len(duplicates) > 15 else ""))):
            return
        preview, today = self.preview, self.ctx.today()

        db = self.ctx.db

        def op(progress) -> OpResult:
            # The path of `members import` too (its own unit of work), so the crash tests kill what users run.
            return OpResult(MEMBERS, import_members(db, preview, today, progress))

        self.import_button.setEnabled(False)
        self.task = run_op(self, op, session=False, progress=True, cancellable=True, label=_(
            "Writing {count} members to the register…").format(count=len(preview.rows)),
            title=_("Import members"), on_success=self._imported, on_failure=self._failed,
            on_cancel=self._cancelled)

    def _cancelled(self) -> None:
        self.task = None
        self.import_button.setEnabled(self.preview.ok)

    def _imported(self, ids: list[int]) -> None:
        self.task = None
        self.imported = ids
        inform(self, _("Import members"), _("Imported {count} members from {path}.").format(
            count=len(ids), path=self.preview.source))
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        from ..worker import show_error

        self.task = None
        self.import_button.setEnabled(self.preview.ok)
        show_error(self, _("Import members"), exc)
