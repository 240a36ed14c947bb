"""The password for opening the program: asking for it, setting it, and showing the recovery code."""
from __future__ import annotations

from pathlib import Path

from services import access, ops
from services.i18n import _

from .. import widgets
from ..files import ask_save_path
from ..operations import run_op
from ..qt import Qt, QtCore, QtGui, QtWidgets
from ..widgets import ProblemLabel, ask, dialog_body, inform


def honest_note() -> str:
    return _("The password locks the program's window on this computer; it does not encrypt the file. The command "
             "line and other programs read and change the data file without the password, and whoever copies the "
             "file can read it.")


def _password_field() -> QtWidgets.QLineEdit:
    field = QtWidgets.QLineEdit()
    field.setEchoMode(QtWidgets.QLineEdit.EchoMode.Password)
    field.setMinimumWidth(280)
    return field


class LoginDialog(QtWidgets.QDialog):
    """Asked before the window shows anything: user name (for the change history) and password.

    Accepts the recovery code in place of the password; `how` is then access.RECOVERY and the caller
    asks for a new password.
    """

    def __init__(self, db, user: str = "", parent=None):
        super().__init__(parent)
        self.db = db
        self.how: str | None = None
        self.secret = ""
        self.setWindowTitle(_("Open Sổ chi bộ"))
        self.setMinimumWidth(480)
        intro = QtWidgets.QLabel(_("This data is protected by a password.") + "\n"
                                 + (_("Data file: {path}").format(path=db.path.name) if db.path is not None
                                    else _("Database on the server: {address}").format(address=db.display)))
        intro.setWordWrap(True)
        self.user = QtWidgets.QLineEdit(user)
        self.user.setPlaceholderText(_("your name, recorded in the history of changes"))
        self.password = _password_field()
        self.problems = ProblemLabel(reserve_lines=1)
        self.forgot = QtWidgets.QPushButton(_("Forgot the password?"))
        self.forgot.setFlat(True)
        self.forgot.clicked.connect(self.show_recovery_help)
        self.help = QtWidgets.QLabel(_(
            "Type the recovery code printed when the password was set (4 groups of 5 letters and digits) "
            "in place of the password. The program will then ask for a new password."))
        self.help.setWordWrap(True)
        self.help.setVisible(False)
        form = QtWidgets.QFormLayout()
        form.addRow(_("User"), self.user)
        form.addRow(_("Password"), self.password)
        self.open_button = QtWidgets.QPushButton(_("Open"))
        self.open_button.setDefault(True)
        self.open_button.clicked.connect(self.try_open)
        quit_button = QtWidgets.QPushButton(_("Quit"))
        quit_button.clicked.connect(self.reject)
        buttons = QtWidgets.QHBoxLayout()
        buttons.addWidget(self.forgot)
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        buttons.addWidget(quit_button)
        dialog_body(self, intro, form, self.help, problems=self.problems, buttons=buttons)
        (self.password if user else self.user).setFocus()

    def user_name(self) -> str:
        return self.user.text().strip()

    def show_recovery_help(self) -> None:
        self.help.setVisible(True)
        self.password.setFocus()

    def try_open(self) -> None:
        """Checking a password takes about half a second on purpose: off the GUI thread."""
        if not self.open_button.isEnabled():
            return
        secret = self.password.text()
        self.open_button.setEnabled(False)

        def checked(how: str | None) -> None:
            self.open_button.setEnabled(True)
            if how is None:
                self.problems.show_problems([_("The password is not right.")])
                self.password.clear()
                self.password.setFocus()
                return
            self.how, self.secret = how, secret
            self.accept()

        run_op(self, lambda s: ops.OpResult(ops.NOTHING, access.unlock(s, secret)), db=self.db,
               title=self.windowTitle(), label=_("Checking the password…"), on_success=checked,
               on_failure=lambda exc: (self.open_button.setEnabled(True), _show_error(self, exc)))


class PasswordDialog(QtWidgets.QDialog):
    """Set, change or remove the password (File menu), or set a new one after the recovery code.

    `recovery_code`: the code that was just used to open the program; the dialog then does not ask for
    the current password. `code` holds the new recovery code after a password was set, `removed` is True
    after the password was removed.
    """

    def __init__(self, db, parent=None, recovery_code: str | None = None):
        super().__init__(parent)
        self.db = db
        self.recovery_code = recovery_code
        self.code: str | None = None
        self.removed = False
        self.locked = ops.read(db, access.is_locked)
        self.setWindowTitle(_("Password for opening the program"))
        self.setMinimumWidth(560)
        if recovery_code:
            text = _("The program was opened with the recovery code. Set a new password (a new recovery code "
                     "will be given), or remove the password.")
        elif self.locked:
            text = _("Change the password, or remove it so that the program opens without one.")
        else:
            text = _("With a password, the program asks for it before showing anything. You will get a "
                     "recovery code to print: it opens the program if the password is forgotten.")
        intro = QtWidgets.QLabel(text + "\n\n" + honest_note())
        intro.setWordWrap(True)
        self.current = _password_field()
        self.new = _password_field()
        self.repeat = _password_field()
        form = QtWidgets.QFormLayout()
        if self.locked and not recovery_code:
            form.addRow(_("Current password (or recovery code)"), self.current)
        form.addRow(_("New password"), self.new)
        form.addRow(_("Repeat the new password"), self.repeat)
        self.problems = ProblemLabel(reserve_lines=2)
        self.set_button = QtWidgets.QPushButton(_("Change the password") if self.locked else _("Set the password"))
        self.set_button.setDefault(True)
        self.set_button.clicked.connect(self.set_password)
        self.remove_button = QtWidgets.QPushButton(_("Remove the password"))
        self.remove_button.clicked.connect(self.remove_password)
        self.remove_button.setVisible(self.locked)
        cancel = QtWidgets.QPushButton(_("Cancel"))
        cancel.clicked.connect(self.reject)
        buttons = QtWidgets.QHBoxLayout()
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        buttons.addWidget(self.set_button)
        buttons.addWidget(cancel)
        dialog_body(self, intro, form, problems=self.problems, buttons=buttons)

    def _current(self) -> str | None:
        return self.recovery_code or (self.current.text() if self.locked else None)

    # --- a new password typed is not dropped without a question (Esc, Hủy, the close button) ----------
    def has_unsaved(self) -> bool:
        return bool(self.new.text() or self.repeat.text())

    def reject(self) -> None:
        if not self.set_button.isEnabled():     # the password is being stored
            return
        if self.has_unsaved():
            choice = widgets.ask_save(self, self.windowTitle(), _(
                "The changes in this window are not saved yet. Save them?"))
            if choice == widgets.SAVE:
                self.set_password()
                return
            if choice == widgets.CANCEL:
                return
        super().reject()

    def set_password(self) -> None:
        problems = access.password_problems(self.new.text(), self.repeat.text())
        if problems:
            self.problems.show_problems(problems)
            return
        new, repeat, current = self.new.text(), self.repeat.text(), self._current()

        def stored(code: str) -> None:
            self.code = code
            self.accept()

        self._run(lambda s: ops.OpResult(ops.NOTHING, access.set_password(s, new, repeat, current)), stored)

    def _run(self, op, on_stored) -> None:
        """A change of the password, off the GUI thread (hashing takes a moment on purpose)."""
        buttons = (self.set_button, self.remove_button)
        for b in buttons:
            b.setEnabled(False)

        def done(value) -> None:
            for b in buttons:
                b.setEnabled(True)
            on_stored(value)

        def refused(problems: list[str]) -> None:
            for b in buttons:
                b.setEnabled(True)
            self.problems.show_problems(problems)

        def failed(exc: BaseException) -> None:
            for b in buttons:
                b.setEnabled(True)
            _show_error(self, exc)

        run_op(self, op, db=self.db, title=self.windowTitle(), label=_("Saving…"), on_success=done,
               on_refused=refused, on_failure=failed)

    def remove_password(self) -> None:
        if not ask(self, _("Remove the password"),
                   _("Remove the password? The program will open without asking for one.")):
            return
        current = self._current() or ""

        def op(session):
            access.remove_password(session, current)
            return ops.NOTHING

        def removed(_value) -> None:
            self.removed = True
            self.accept()

        self._run(op, removed)


class RecoveryCodeDialog(QtWidgets.QDialog):
    """Shows the recovery code once, offers a page to print; closes only after the user says it is kept."""

    def __init__(self, code: str, branch_name: str, db_path: Path | str, parent=None):
        super().__init__(parent)
        self.code = code
        self.branch_name = branch_name
        self.db_path = db_path
        self.setWindowTitle(_("Recovery code"))
        self.setMinimumWidth(560)
        intro = QtWidgets.QLabel(_(
            "This code opens the program if the password is forgotten. It is shown only now: print it, or "
            "write it down, and keep it with the branch's papers, not beside the computer."))
        intro.setWordWrap(True)
        self.code_label = QtWidgets.QLabel(code)
        font = QtGui.QFontDatabase.systemFont(QtGui.QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(self.font().pointSizeF() * 2)
        font.setBold(True)
        self.code_label.setFont(font)
        self.code_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.code_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.print_button = QtWidgets.QPushButton(_("Print (save as PDF)…"))
        self.print_button.clicked.connect(self.save_pdf)
        self.kept = QtWidgets.QCheckBox(_("I have printed or written down the recovery code"))
        self.close_button = QtWidgets.QPushButton(_("Close"))
        self.close_button.setEnabled(False)
        self.kept.toggled.connect(self.close_button.setEnabled)
        self.close_button.clicked.connect(self.accept)
        buttons = QtWidgets.QHBoxLayout()
        buttons.addWidget(self.print_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        lay = QtWidgets.QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addWidget(self.code_label)
        lay.addWidget(self.kept)
        lay.addLayout(buttons)

    def reject(self) -> None:  # Esc does not lose the code before it is kept
        if self.kept.isChecked():
            super().reject()

    def save_pdf(self, path: str | None = None) -> Path | None:
        if not path:
            path = ask_save_path(self, _("Save the page to print"), "ma-khoi-phuc-so-chi-bo.pdf",
                                 [(_("PDF (*.pdf)"), ".pdf")])
            if path is None:
                return None
        target = Path(path)
        try:
            access.write_recovery_sheet(target, self.code, self.branch_name, self.db_path)
        except OSError as exc:
            inform(self, _("Recovery code"), _("Cannot write {path}: {error}").format(path=target, error=exc),
                   error=True)
            return None
        open_file(target)
        return target


def open_file(path: Path) -> None:
    """Open a file with the program the computer uses for it (a PDF reader, which can print)."""
    QtGui.QDesktopServices.openUrl(QtCore.QUrl.fromLocalFile(str(path)))


def _show_error(parent, exc: BaseException) -> None:
    from ..worker import show_error

    show_error(parent, parent.windowTitle(), exc)
