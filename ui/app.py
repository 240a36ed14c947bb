"""Start the program window on a database."""
from __future__ import annotations

import sys
from pathlib import Path

from services.i18n import _
from services.paths import default_db_path, resources_dir

from .qt import QtCore, QtGui, QtWidgets


def make_app(argv: list[str] | None = None) -> QtWidgets.QApplication:
    # Qt's own texts and formats in Vietnamese: numbers 1,5 and dates 22/12/2020 in Qt's widgets, and
    # the context menus, standard buttons and Qt-drawn file dialogs (ui/qt_texts.py).
    QtCore.QLocale.setDefault(QtCore.QLocale(QtCore.QLocale.Language.Vietnamese, QtCore.QLocale.Country.Vietnam))
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(argv or sys.argv[:1])
    from . import qt_texts

    qt_texts.install(app)
    app.setApplicationName("Sổ chi bộ")
    app.setOrganizationName("SoChiBo")
    app.setApplicationDisplayName(_("Sổ chi bộ"))
    font = app.font()
    font.setPointSizeF(11)
    app.setFont(font)
    icon = resources_dir() / "icons" / "app.png"
    if icon.exists():
        app.setWindowIcon(QtGui.QIcon(str(icon)))
    return app


def load_database(db_path: Path | str | None, parent=None):
    """Open the database (creating it on first start) and ask for the branch's details if missing.

    `db_path` is a file or a server's address (services.location). Returns the context for the pages,
    or None when the user cancelled or the database cannot be opened.
    """
    from services.errors import UserError

    from . import safety
    from .context import AppContext
    from .dialogs.identity_dialog import IdentityDialog

    path = db_path if isinstance(db_path, str) else Path(db_path) if db_path else default_db_path()
    if db_path is not None and isinstance(path, Path) and not path.exists():
        # --db names a file that is not there: say which command creates it. The setup wizard is only
        # for the first start on the default data file (a mistyped name must not become a new branch).
        from services.db import no_database_message

        from .widgets import inform

        inform(parent, _("Cannot open the database"), no_database_message(path), error=True)
        return None
    try:
        db = _open(path, create=db_path is None, parent=parent)
        if db is None:
            return None
    except UserError as exc:
        db = safety.recover_at_start(path, exc, parent)  # data safety: offers the newest good backup
        if db is None:
            return None
    if not safety.hold_file(db, parent):  # data safety: a second window is told the file is open elsewhere
        db.close()
        return None
    user = safety.after_open(db, parent)  # data safety: password, daily backup, link check
    if user is None:
        db.close()
        return None
    ctx = AppContext(db, user=user)
    if ctx.identity() is None:
        if IdentityDialog(ctx, first_run=True, parent=parent).exec() != QtWidgets.QDialog.DialogCode.Accepted:
            db.close()
            return None
    return ctx


def _open(target: Path | str, create: bool, parent=None):
    """open_database, asking for the server's password when it wants one (None: the user gave up)."""
    from services.db import open_database
    from services.server import PasswordNeededError

    try:
        return open_database(target, create=create)
    except PasswordNeededError as exc:
        message = str(exc)
        while True:
            password, ok = QtWidgets.QInputDialog.getText(
                parent, _("Password for the database server"), message + "\n\n" + _("Password:"),
                QtWidgets.QLineEdit.EchoMode.Password)
            if not ok:
                return None
            try:
                return open_database(target, create=create, password=password)
            except PasswordNeededError as again:
                message = str(again)


def open_window(db_path: Path | str | None, parent=None):
    """The main window on the database, built in one go (tests, benchmarks). Returns None if cancelled."""
    from .main_window import MainWindow

    ctx = load_database(db_path, parent)
    if ctx is None:
        return None
    window = MainWindow(ctx)
    window.resize(1280, 760)
    return window


def run_gui(db_path: Path | str | None = None, exit_after_show: bool = False) -> int:
    """Show the window at once, then open the database in the first turn of the event loop.

    With `exit_after_show` (hidden --exit-after-show, used to time the start) the program quits as
    soon as the page shown is filled with the data (the overview with its reminders).
    """
    from services.logs import install_logging

    from .main_window import MainWindow

    install_logging()
    app = make_app()
    from .gc_guard import GuiThreadCollector

    collector = GuiThreadCollector(app)  # no Qt object is ever deleted by a pool thread's collection
    window = MainWindow()
    window.resize(1280, 760)
    window.show()
    result = {"code": 0}

    def load() -> None:
        from .safety import install_excepthook

        install_excepthook()  # data safety: unexpected errors are logged and shown in Vietnamese
        ctx = load_database(db_path, window)
        if ctx is None:
            result["code"] = 1
            window.close()
            app.quit()
            return
        window.attach(ctx)
        if exit_after_show:
            QtCore.QTimer.singleShot(0, quit_when_shown)

    def quit_when_shown() -> None:
        """The page shown is filled (the overview's reminders too) and no operation is running."""
        from . import operations

        if getattr(window.stack.currentWidget(), "loading", False) or not operations.idle():
            QtCore.QTimer.singleShot(5, quit_when_shown)
            return
        app.quit()

    QtCore.QTimer.singleShot(0, load)
    code = app.exec()
    window.close()
    if window.ctx is not None:
        window.ctx.db.close()
    window.deleteLater()
    collector.stop()
    return result["code"] or code
