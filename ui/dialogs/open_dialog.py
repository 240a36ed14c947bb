"""Mở dữ liệu khác: another data file, or the committee's database on the office's server.

The chosen database opens in a new window of the program (its own process), so the window already
open stays as it is. A server's address never holds the password: the new window asks for it when the
password file does not hold it (docs/committee-server.md).
"""
from __future__ import annotations

import sys
from pathlib import Path

from services.errors import UserError
from services.i18n import _
from services.location import db_target

from ..qt import QtCore, QtWidgets
from ..widgets import ProblemLabel, dialog_buttons

SERVER_EXAMPLE = "postgresql://tên-người-dùng@máy-chủ/tên-cơ-sở-dữ-liệu"


class OpenDatabaseDialog(QtWidgets.QDialog):
    """`target` is the file (Path) or the server's address (str) to open, once accepted."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.target: Path | str | None = None
        self.setWindowTitle(_("Open another database"))
        self.setMinimumWidth(640)
        qs = QtCore.QSettings("SoChiBo", "SoChiBo")
        self.problems = ProblemLabel()
        self.problems.setVisible(False)
        self.file_choice = QtWidgets.QRadioButton(_("A data file on this computer"))
        self.server_choice = QtWidgets.QRadioButton(_("The committee's database on the office's server"))
        self.file = QtWidgets.QLineEdit()
        self.file.setPlaceholderText(_("the data file, e.g. D:\\Dang uy\\so-chi-bo.db"))
        browse = QtWidgets.QPushButton(_("Choose a file…"))
        browse.clicked.connect(self.choose_file)
        self.server = QtWidgets.QLineEdit(str(qs.value("open/last_server", "") or ""))
        self.server.setPlaceholderText(SERVER_EXAMPLE)
        hint = QtWidgets.QLabel(_(
            "The office's IT person gives this address. Do not write the password in it: the program asks "
            "for it when it opens the database."))
        hint.setWordWrap(True)
        self.file_choice.toggled.connect(self._update)
        self.server_choice.toggled.connect(self._update)
        self.file.textEdited.connect(lambda _t: self.file_choice.setChecked(True))
        self.server.textEdited.connect(lambda _t: self.server_choice.setChecked(True))
        (self.server_choice if self.server.text() else self.file_choice).setChecked(True)
        file_row = QtWidgets.QHBoxLayout()
        file_row.addWidget(self.file, 1)
        file_row.addWidget(browse)
        self.buttons = dialog_buttons(self, _("Open"))
        lay = QtWidgets.QVBoxLayout(self)
        intro = QtWidgets.QLabel(_("The database opens in a new window; this window stays open."))
        intro.setWordWrap(True)
        lay.addWidget(intro)
        lay.addWidget(self.file_choice)
        lay.addLayout(file_row)
        lay.addSpacing(8)
        lay.addWidget(self.server_choice)
        lay.addWidget(self.server)
        lay.addWidget(hint)
        lay.addWidget(self.problems)
        lay.addStretch(1)
        lay.addWidget(self.buttons)
        self._update()

    def _update(self) -> None:
        self.problems.setVisible(False)

    def _refuse(self, problems: list[str]) -> None:
        self.problems.show_problems(problems)
        # The message may take several lines, also at larger text sizes: grow, never shrink.
        hint = self.sizeHint()
        self.resize(max(self.width(), hint.width()), max(self.height(), self.heightForWidth(self.width())
                                                         if self.hasHeightForWidth() else hint.height()))

    def choose_file(self) -> None:
        name, _filter = QtWidgets.QFileDialog.getOpenFileName(
            self, _("Choose the data file"), self.file.text(), _("Sổ chi bộ data (*.db)"))
        if name:
            self.file.setText(name)
            self.file_choice.setChecked(True)

    def accept(self) -> None:
        if self.server_choice.isChecked():
            text = self.server.text().strip()
            if not text:
                self._refuse([_("Enter the server's address.")])
                return
            if not text.lower().startswith(("postgresql://", "postgres://", "postgresql+psycopg://")):
                self._refuse([_("A server's address starts with postgresql://, e.g. {example}")
                                             .format(example=SERVER_EXAMPLE)])
                return
            try:
                self.target = db_target(text)
            except UserError as exc:
                self._refuse([str(exc)])
                return
            QtCore.QSettings("SoChiBo", "SoChiBo").setValue("open/last_server", text)
        else:
            path = Path(self.file.text().strip())
            if not self.file.text().strip() or not path.is_file():
                self._refuse([_("Choose an existing data file.")])
                return
            self.target = path
        super().accept()


def program_command(target: Path | str) -> tuple[str, list[str]]:
    """How to start another window of this program on `target` (the installed program or main.py)."""
    if getattr(sys, "frozen", False):
        return sys.executable, ["--db", str(target)]
    return sys.executable, [str(Path(__file__).resolve().parents[2] / "main.py"), "--db", str(target)]


def open_other(parent=None) -> Path | str | None:
    """Ask for a database and open it in a new window of the program; returns what was opened."""
    dlg = OpenDatabaseDialog(parent)
    if dlg.exec() != QtWidgets.QDialog.DialogCode.Accepted or dlg.target is None:
        return None
    program, args = program_command(dlg.target)
    QtCore.QProcess.startDetached(program, args)
    return dlg.target
