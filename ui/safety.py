"""Data safety in the window: start-up checks, the lock, backups and restore, unexpected errors.

Hooks, each called from one line elsewhere:
* ui/app.py `open_window`: `recover_at_start` when the file does not open, `after_open` once it does
  (password, daily backup, foreign key check);
* ui/app.py `run_gui`: `install_excepthook`;
* ui/main_window.py File menu: `add_file_menu_actions`.
"""
from __future__ import annotations

import datetime as dt
import logging
import sys
from collections.abc import Callable
from pathlib import Path

from services import access, audit, backup, integrity, ops
from services.db import NotOurDatabaseError, open_database
from services.errors import UserError
from services.i18n import _
from services.logs import log_dir, log_unexpected

from .qt import QtCore, QtGui, QtWidgets
from .widgets import inform

log = logging.getLogger("sochibo.ui")


# --- start-up --------------------------------------------------------------------------------

def recover_at_start(path: Path, error: UserError, parent=None):
    """The database did not open. When it is damaged and backups exist, offer the newest good one.

    Returns the opened Database after a restore, or None (after telling the user why).
    """
    from .dialogs.restore_dialog import RestoreDialog

    if not isinstance(path, Path):  # a server: nothing on this computer to restore at start
        inform(parent, _("Cannot open the database"), str(error), error=True)
        return None
    damaged = isinstance(error, integrity.DamagedDatabaseError) or (
        isinstance(error, NotOurDatabaseError) and Path(path).exists() and backup.list_backups(path))
    if not damaged:
        inform(parent, _("Cannot open the database"), str(error), error=True)
        return None
    message = integrity.damaged_message(Path(path), error.backup, command=False) \
        if isinstance(error, integrity.DamagedDatabaseError) else str(error)
    dlg = RestoreDialog(Path(path), parent=parent, damaged=message)
    if dlg.exec() != QtWidgets.QDialog.DialogCode.Accepted or dlg.chosen is None:
        return None
    source = dlg.chosen.path
    try:
        result = wait_for(parent, lambda: backup.restore(path, source), title=_("Restore from a backup"),
                          label=_("Restoring from the backup…"))
        db = open_database(path)
    except UserError as exc:
        inform(parent, _("Restore from a backup"), str(exc), error=True)
        return None
    inform(parent, _("Restore from a backup"), restored_text(result))
    return db


def wait_for(parent, work, *, title: str, label: str):
    """Run `work()` off the GUI thread (ui.operations.run_op, with its progress dialog) and wait for it while
    the window goes on painting: for the start, before the window has a database to work on. Returns what
    `work` returns, or raises what it raised."""
    from .operations import run_op
    from .qt import is_alive

    loop = QtCore.QEventLoop()
    out: dict = {}

    def finish(key: str, value) -> None:
        out[key] = value
        loop.quit()

    run_op(parent, lambda: ops.OpResult(ops.NOTHING, work()), session=False, title=title, label=label,
           on_success=lambda value: finish("value", value), on_failure=lambda exc: finish("error", exc))
    if parent is not None:
        parent.destroyed.connect(loop.quit)     # the window closed meanwhile: nothing waits for it any more
    while not out and (parent is None or is_alive(parent)):
        loop.exec()
    if "error" in out:
        raise out["error"]
    if "value" not in out:
        raise UserError(_("The window was closed before the work was finished."))
    return out["value"]


def restored_text(result: backup.RestoreResult) -> str:
    text = _("Restored: {summary}").format(summary=result.restored.summary())
    if result.safety_copy is not None:
        text += "\n" + _("The state before the restore is kept in {path}.").format(path=result.safety_copy)
    return text


def hold_file(db, parent=None) -> bool:
    """Hold the file's lock for this window; a file open in another window is not opened a second time.

    Returns False when the user is told the file is open elsewhere (and it is not opened).
    """
    from services.filelock import FileInUseError

    try:
        db.lock_file(audit.default_user())
        return True
    except FileInUseError as exc:
        if exc.holder.live:
            inform(parent, _("The file is open elsewhere"), str(exc), error=True)
            return False
        box = QtWidgets.QMessageBox(QtWidgets.QMessageBox.Icon.Warning, _("The file is open elsewhere"), str(exc),
                                    parent=parent)
        anyway = box.addButton(_("Open anyway"), QtWidgets.QMessageBox.ButtonRole.AcceptRole)
        box.addButton(_("Close"), QtWidgets.QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if box.clickedButton() is not anyway:
            return False
        db.lock_file(audit.default_user(), force=True)
        return True


def after_open(db, parent=None, remembered_user: str = "") -> str | None:
    """Before the window shows: the password (if set). Then the daily backup and the link check start off the
    GUI thread (`start_daily_checks`).

    Returns the user name for the history of changes, or None when the user gave up at the password.
    """
    qs = QtCore.QSettings("SoChiBo", "SoChiBo")
    user = remembered_user or str(qs.value("audit/last_user", "") or "") or audit.default_user()
    locked = ops.read(db, access.is_locked)
    if locked:
        user = login(db, parent, user)
        if user is None:
            return None
        qs.setValue("audit/last_user", user)
    audit.set_user(db, user)
    start_daily_checks(db, parent)
    return db.audit.user


def login(db, parent=None, user: str = "") -> str | None:
    from .dialogs.password_dialogs import LoginDialog, PasswordDialog, RecoveryCodeDialog

    dlg = LoginDialog(db, user, parent)
    if dlg.exec() != QtWidgets.QDialog.DialogCode.Accepted:
        return None
    name = dlg.user_name() or audit.default_user()
    if dlg.how == access.RECOVERY:
        audit.set_user(db, name)
        again = PasswordDialog(db, parent, recovery_code=dlg.secret)
        if again.exec() != QtWidgets.QDialog.DialogCode.Accepted:
            return None
        if again.code:
            RecoveryCodeDialog(again.code, _branch_name(db), db.display, parent).exec()
    return name


def start_daily_checks(db, parent=None):
    """The day's automatic backup, then the check of the links between records, as one operation off the GUI
    thread: the window shows the data meanwhile, and a write asked meanwhile waits for the copy (operations
    run in order), so the day's copy is the data as it was opened. A failed backup (full disk) is logged and
    never stops the program; broken links are told once the check is done. Returns the operation's task
    (None for a server database, which its office backs up and checks on demand)."""
    from services import settings

    from .operations import run_op

    if db.path is None:
        return None
    location, path, display = db.location, db.path, db.display
    keep = ops.read(db, lambda s: (settings.get(s, backup.KEEP_DAILY.key), settings.get(s, backup.KEEP_MONTHLY.key)))

    def work() -> ops.OpResult:
        return ops.OpResult(ops.NOTHING, (daily_backup(location, *keep, display=display),
                                          integrity.foreign_key_problems(path)))

    def done(value) -> None:
        _made, problems = value
        warn_broken_links(path, problems, parent)

    def failed(exc: BaseException) -> None:
        log.error("Daily checks of %s failed: %s", display, exc, exc_info=exc)

    return run_op(parent, work, session=False, db=db, label=_("Backing up…"), on_success=done, on_failure=failed)


def daily_backup(location, keep_daily: int, keep_monthly: int, display: str = "") -> Path | None:
    """The day's automatic backup; a failure (full disk) is logged and never stops the program."""
    try:
        return backup.daily_backup(location, keep_daily, keep_monthly)
    except Exception as exc:
        log.error("Daily backup of %s failed: %s", display, exc, exc_info=True)
        return None


def warn_broken_links(path: Path, problems: list, parent=None) -> None:
    if problems:
        log.error("Foreign key problems in %s: %s", path, problems[:20])
        inform(parent, _("Check the data"), _(
            "{n} records point at records that no longer exist. The program keeps working; if records are "
            "missing, restore a backup (File menu). Details are in the log file {path}."
        ).format(n=len(problems), path=log_dir()), error=True)


def _branch_name(db) -> str:
    from services.branch import identity

    ident = ops.read(db, identity)
    return ident.name if ident else ""


# --- File menu -------------------------------------------------------------------------------

def add_file_menu_actions(window, menu: QtWidgets.QMenu) -> None:
    """Backup now, restore, check, password: added to the File menu of the main window (above Quit)."""
    before = getattr(window, "_insert_before", None)
    if before is not None:
        menu.insertSeparator(before)
    else:
        menu.addSeparator()
    window._add(menu, _("Back up now…"), "Ctrl+Shift+B", lambda: backup_now(window))
    window._add(menu, _("Restore from a backup…"), None, lambda: restore_from_backup(window))
    window._add(menu, _("Check the data"), None, lambda: check_data(window))
    window._add(menu, _("Open the backups folder"), None, lambda: open_folder(backup.backups_folder(window.ctx.db.location)))
    window._add(menu, _("Password for opening the program…"), None, lambda: change_password(window))


def open_folder(path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True)
    QtGui.QDesktopServices.openUrl(QtCore.QUrl.fromLocalFile(str(path)))


def backup_now(window, target: str | None = None):
    """"Sao lưu ngay": the user picks the place (a USB stick); the copy is made and checked off the GUI
    thread (after the writes asked before it), then described. Returns the operation's task."""
    from services import settings

    from .operations import run_op

    db = window.ctx.db
    if target is None:
        qs = QtCore.QSettings("SoChiBo", "SoChiBo")
        folder = qs.value("backup/last_folder", "") or str(backup.backups_folder(db.location))
        name = f"{db.location.stem}-sao-luu-{dt.datetime.now():%Y%m%d-%H%M}.db"
        target, _filter = QtWidgets.QFileDialog.getSaveFileName(
            window, _("Back up now: choose where (for example a USB stick)"), str(Path(folder) / name),
            _("Sổ chi bộ data (*.db)"))
        if not target:
            return None
        qs.setValue("backup/last_folder", str(Path(target).parent))
    keep = ops.read(db, lambda s: (settings.get(s, backup.KEEP_DAILY.key), settings.get(s, backup.KEEP_MONTHLY.key)))
    path = db.location

    def failed(exc: BaseException) -> None:
        if isinstance(exc, UserError | OSError):
            inform(window, _("Back up now"), _("The backup was not made: {error}").format(error=exc), error=True)
        else:
            from .worker import show_error

            show_error(window, _("Back up now"), exc)

    return run_op(window, lambda: ops.OpResult(ops.NOTHING, backup.backup_now(path, target, *keep)),
                  session=False, title=_("Back up now"), label=_("Backing up…"), on_failure=failed,
                  on_success=lambda info: inform(window, _("Back up now"), _("Backed up to {path}.\n{summary}").format(
                      path=info.path, summary=info.summary())))


def restore_from_backup(window, on_done: Callable[[bool], None] | None = None, settle: bool = True) -> None:
    """The pages' unsaved edits saved first (or dropped, when the user says so: `window.settle_pages`),
    then pick a backup and restore it (`restore_into`). `settle=False`: the database is damaged and refuses
    writes, so nothing can be saved first."""
    if settle and hasattr(window, "settle_pages"):
        window.settle_pages(lambda: _choose_and_restore(window, on_done))
    else:
        _choose_and_restore(window, on_done)


def _choose_and_restore(window, on_done: Callable[[bool], None] | None) -> None:
    from .dialogs.restore_dialog import RestoreDialog

    ctx = window.ctx
    dlg = RestoreDialog(ctx.db.location, parent=window)
    if dlg.exec() != QtWidgets.QDialog.DialogCode.Accepted or dlg.chosen is None:
        return
    restore_into(window, dlg.chosen.path, on_done)


def restore_into(window, source: Path, on_done: Callable[[bool], None] | None = None) -> None:
    """Replace the database by `source`: once every operation asked before has finished, the database is
    closed, the file work runs off the GUI thread (a progress dialog shown at once keeps the window still),
    then the database is reopened and every page refreshed on the GUI thread, and the result is told.
    Meanwhile nothing can use the database (`_Restoring`). `on_done(restored)` runs at the end."""
    from . import operations

    if not operations.idle():
        operations.when_idle(lambda: restore_into(window, source, on_done))
        return
    if isinstance(window.ctx.db, _Restoring):    # the restore before is reopening the database: after it
        QtCore.QTimer.singleShot(0, lambda: restore_into(window, source, on_done))
        return
    ctx = window.ctx
    old = ctx.db
    path, user = old.location, old.audit.user
    old.close()
    ctx.db = _Restoring(old)
    title = _("Restore from a backup")

    def reopen() -> bool:
        try:
            db = open_database(path)
            db.lock_file(user, force=True)
        except UserError as exc:
            ctx.db = old
            inform(window, _("Cannot open the database"), str(exc), error=True)
            window.close()
            return False
        ctx.db = db
        audit.set_user(db, user)
        ctx.notify_changed("")
        return True

    def restored(result: backup.RestoreResult) -> None:
        ok = reopen()
        if ok:
            inform(window, title, restored_text(result))
        if on_done is not None:
            on_done(ok)

    def failed(exc: BaseException) -> None:
        if reopen():
            if isinstance(exc, UserError):
                inform(window, title, str(exc), error=True)
            else:
                from .worker import show_error

                show_error(window, title, exc)
        if on_done is not None:
            on_done(False)

    task = operations.run_op(window, lambda: ops.OpResult(ops.NOTHING, backup.restore(path, source)), session=False,
                             title=title, label=_("Restoring from the backup…"), on_success=restored,
                             on_failure=failed)
    task.show_now()


class _Restoring:
    """The database while a restore replaces its file: whatever would read or write it meanwhile (a timer of
    a page) is refused with a plain message, instead of opening the file being replaced."""

    away = True     # AppContext.ready

    def __init__(self, closed):
        self._closed = closed
        self.location, self.path, self.audit = closed.location, closed.path, closed.audit
        self.display, self.target, self.is_server = closed.display, closed.target, closed.is_server

    def _refuse(self):
        raise UserError(_("The data is being restored from a backup; try again when it is done."))

    def begin(self, write: bool = False):
        self._refuse()

    @property
    def Session(self):  # noqa: N802 - the name of Database's attribute
        self._refuse()

    @property
    def engine(self):
        self._refuse()

    def close(self) -> None:
        pass

    def lock_file(self, user: str = "", force: bool = False) -> None:
        self._refuse()


def check_data(window, on_checked: Callable[[integrity.IntegrityReport], None] | None = None):
    """The full check on demand, off the GUI thread after the writes asked before it; a damaged file is not
    written to any more and a restore is offered. `on_checked(report)` runs once it is told. Returns the task."""
    from .operations import run_op

    db = window.ctx.db
    if db.path is None:
        return _check_server(window, db, on_checked)
    path = db.path

    def checked(report: integrity.IntegrityReport) -> None:
        if report.clean:
            inform(window, _("Check the data"), _("The data file passed the full integrity check and the link check."))
        elif not report.ok:
            log.error("Integrity check of %s failed: %s", path, report.problems)
            integrity.block_writes(db)
            message = integrity.damaged_message(Path(path), backup.newest_good_backup(path), command=False)
            inform(window, _("Check the data"), message, error=True)
            restore_from_backup(window, settle=False)
        else:
            log.error("Foreign key problems in %s: %s", path, report.foreign_key_problems[:20])
            inform(window, _("Check the data"), _(
                "The file is sound, but {n} records point at records that no longer exist. If records are "
                "missing, restore a backup (File menu). Details are in the log file {path}."
            ).format(n=len(report.foreign_key_problems), path=log_dir()), error=True)
        if on_checked is not None:
            on_checked(report)

    return run_op(window, lambda: ops.OpResult(ops.NOTHING, integrity.check_file(path, full=True, foreign_keys=True)),
                  session=False, title=_("Check the data"), label=_("Checking the data…"), on_success=checked)


def _check_server(window, db, on_checked=None):
    """The check of a server database: its version, its tables and the links between records."""
    from services.server import check_server

    from .operations import run_op

    engine = db.engine

    def checked(report) -> None:
        result = integrity.IntegrityReport(path=Path(db.location.stem), full=True, ok=report.ok,
                                           problems=list(report.problems) + list(report.trail_problems),
                                           foreign_key_problems=report.foreign_key_problems)
        if result.clean:
            inform(window, _("Check the data"), _("The database on the server passed the check of its structure "
                                                  "and of the links between records."))
        else:
            log.error("Check of %s: %s %s", db.display, report.problems, report.foreign_key_problems[:20])
            inform(window, _("Check the data"), _(
                "The database on the server does not pass the check ({n} problems). Ask the office's IT person; "
                "the details are in the log file {path}.").format(
                n=len(report.problems) + len(report.foreign_key_problems), path=log_dir()), error=True)
        if on_checked is not None:
            on_checked(result)

    return run_op(window, lambda: ops.OpResult(ops.NOTHING, check_server(engine)), session=False,
                  title=_("Check the data"), label=_("Checking the data…"), on_success=checked)


def change_password(window) -> None:
    from .dialogs.password_dialogs import PasswordDialog, RecoveryCodeDialog

    db = window.ctx.db
    dlg = PasswordDialog(db, window)
    if dlg.exec() != QtWidgets.QDialog.DialogCode.Accepted:
        return
    if dlg.code:
        RecoveryCodeDialog(dlg.code, _branch_name(db), db.display, window).exec()
    elif dlg.removed:
        inform(window, _("Password for opening the program"),
               _("The password is removed: the program opens without a password."))


# --- unexpected errors -----------------------------------------------------------------------

_showing = False


def install_excepthook() -> None:
    sys.excepthook = handle_exception


def handle_exception(exc_type, exc, tb) -> None:
    """An error nobody expected: log it, and tell the user in Vietnamese where the log is."""
    global _showing
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    if exc is not None and exc.__traceback__ is None:
        exc = exc.with_traceback(tb)
    from services.db import as_user_error

    plain = None if isinstance(exc, UserError) else as_user_error(exc)
    if isinstance(exc, UserError):  # a message meant for the user that no dialog caught
        log.info("User error reached the top: %s", type(exc).__name__)
        text, error_path = str(exc), None
    elif plain is not None:  # locked, disk full, read-only: said plainly, nothing of the SQL shown
        log.warning("Write failed: %s", type(exc).__name__)
        text, error_path = str(plain), None
    else:
        error_path = log_unexpected(exc, "window")
        text = unexpected_text(error_path)
    if _showing or QtWidgets.QApplication.instance() is None:
        print(text, file=sys.stderr)
        return
    _showing = True
    try:
        show_error(text, error_path)
    finally:
        _showing = False


def unexpected_text(path: Path) -> str:
    return _("Something unexpected went wrong. What you were doing may not have been saved; what was saved "
             "before is safe.\n\nThe details are written in the log file:\n{path}\n\nSend this file to whoever "
             "helps you with the program.").format(path=path)


def show_error(text: str, log_file: Path | None) -> None:
    box = QtWidgets.QMessageBox(QtWidgets.QMessageBox.Icon.Critical, _("Sổ chi bộ"), text,
                                parent=QtWidgets.QApplication.activeWindow())
    folder = box.addButton(_("Open the log folder"), QtWidgets.QMessageBox.ButtonRole.ActionRole) \
        if log_file else None
    box.addButton(_("Close"), QtWidgets.QMessageBox.ButtonRole.AcceptRole)
    box.exec()
    if folder is not None and box.clickedButton() is folder:
        open_folder(log_file.parent)
