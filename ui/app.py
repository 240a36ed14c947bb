"""Start the program window on a database."""
from __future__ import annotations

import sys
from pathlib import Path

from services.db import open_database
from services.errors import UserError
from services.i18n import _
from services.paths import default_db_path

from .qt import QtGui, QtWidgets


def make_app(argv: list[str] | None = None) -> QtWidgets.QApplication:
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(argv or sys.argv[:1])
    app.setApplicationName("Sổ chi bộ")
    app.setOrganizationName("SoChiBo")
    app.setApplicationDisplayName(_("Sổ chi bộ"))
    font = app.font()
    font.setPointSizeF(11)
    app.setFont(font)
    icon = Path(__file__).resolve().parents[1] / "resources" / "icons" / "app.png"
    if icon.exists():
        app.setWindowIcon(QtGui.QIcon(str(icon)))
    return app


def open_window(db_path: Path | None, parent=None):
    """Open the database (creating it on first start), ask for the identity if missing, show the window.

    Returns the window, or None when the user cancelled or the file cannot be opened.
    """
    from . import safety
    from .context import AppContext
    from .dialogs.identity_dialog import IdentityDialog
    from .main_window import MainWindow

    path = Path(db_path) if db_path else default_db_path()
    try:
        db = open_database(path, create=db_path is None)
    except UserError as exc:
        db = safety.recover_at_start(path, exc, parent)  # data safety: offers the newest good backup
        if db is None:
            return None
    user = safety.after_open(db, parent)  # data safety: password, daily backup, link check
    if user is None:
        db.close()
        return None
    ctx = AppContext(db, user=user)
    if ctx.identity() is None:
        if IdentityDialog(ctx, first_run=True).exec() != QtWidgets.QDialog.DialogCode.Accepted:
            db.close()
            return None
    window = MainWindow(ctx)
    window.resize(1280, 760)
    return window


def run_gui(db_path: Path | None = None) -> int:
    from services.logs import install_logging

    from .safety import install_excepthook

    install_logging()
    app = make_app()
    install_excepthook()  # data safety: unexpected errors are logged and shown in Vietnamese
    window = open_window(db_path)
    if window is None:
        return 1
    window.show()
    code = app.exec()
    window.ctx.db.close()
    return code
