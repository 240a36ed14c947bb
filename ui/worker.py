"""Slow work off the GUI thread, with a progress dialog in Vietnamese.

    task = run_in_background(self, lambda progress: read_file(path, progress=progress),
                             label=_("Reading the file…"), on_done=self.show_preview)

The callable runs in a thread of Qt's global pool and receives `progress(done, total)`; calling it
updates the dialog and, once the user has pressed "Hủy", raises `Cancelled` inside the work so it stops
(and rolls back, when it is inside a unit of work). `on_done(result)`, `on_error(exc)` and
`on_cancel()` are called on the GUI thread. Without `on_error`, a `UserError` is shown as its message
and any other exception as a short Vietnamese apology with the technical detail.

The work must not touch widgets: give it plain values and let `on_done` update the window.
Pages and dialogs do not call this directly for database work: ui/operations.py `run_op` / `query_op`
build on it, giving the work its unit of work and refreshing the pages it changed.
"""
from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import Any

from services.errors import UserError
from services.i18n import _

from .qt import QtCore, QtWidgets, Signal

Progress = Callable[[int, int], None]
SHOW_AFTER_MS = 400  # quick work finishes without a dialog flashing up


class Cancelled(Exception):
    """Raised inside the work by `progress()` after the user cancelled."""


class _Runner(QtCore.QRunnable):
    """Runs the task's work in a pool thread. The work (and whatever its closure holds: a page, a dialog) is
    the task's, and let go on the GUI thread when the task reports back (`Task._finish`): the pool thread
    drops its own reference before it reports, so it is never the one that frees a window's object."""

    def __init__(self, task: Task):
        super().__init__()
        self.task = task

    def run(self) -> None:  # in a pool thread
        task = self.task
        func = task.func
        try:
            result = func(task.report)
        except Cancelled:
            func = None
            task._cancelled_signal.emit()
        except BaseException as exc:  # noqa: BLE001 - every failure goes back to the GUI thread
            func = None
            exc.__traceback_text__ = traceback.format_exc()  # type: ignore[attr-defined]
            task._failed_signal.emit(exc)
        else:
            func = None
            task._done_signal.emit(result)


class Task(QtCore.QObject):
    """One piece of background work and its progress dialog. Lives on the GUI thread."""

    _done_signal = Signal(object)
    _failed_signal = Signal(object)
    _cancelled_signal = Signal()
    _progress_signal = Signal(int, int)

    def __init__(self, parent: QtWidgets.QWidget | None, label: str, title: str, cancellable: bool,
                 on_done: Callable[[Any], None] | None, on_error: Callable[[BaseException], None] | None,
                 on_cancel: Callable[[], None] | None, func: Callable[[Progress], Any] | None = None):
        super().__init__()  # no parent: the task outlives a window closed while the work runs
        self.func = func
        self.parent_widget = parent
        self.on_done, self.on_error, self.on_cancel = on_done, on_error, on_cancel
        self.finished = False
        self.result: Any = None
        self.error: BaseException | None = None
        self._cancel = threading.Event()
        self.dialog = QtWidgets.QProgressDialog(label, _("Cancel"), 0, 0, parent)
        if not cancellable:
            self.dialog.setCancelButton(None)   # work that cannot stop has no button (not an empty one)
        self.title = title
        self.dialog.setWindowTitle(title)
        self.dialog.setWindowModality(QtCore.Qt.WindowModality.WindowModal)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.setMinimumDuration(SHOW_AFTER_MS)
        self.dialog.setMinimumWidth(420)
        # Escape or the close button also cancel; work that cannot stop keeps its dialog up.
        self.dialog.canceled.connect(self.cancel if cancellable else self._show_if_running)
        self.dialog.hide()
        self._done_signal.connect(self._on_done)
        self._failed_signal.connect(self._on_failed)
        self._cancelled_signal.connect(self._on_cancelled)
        self._progress_signal.connect(self._on_progress)
        QtCore.QTimer.singleShot(SHOW_AFTER_MS, self._show_if_running)

    # --- called from the work's thread ---------------------------------------------------------
    def report(self, done: int, total: int) -> None:
        """The `progress` callable given to the work."""
        if self._cancel.is_set():
            raise Cancelled
        self._progress_signal.emit(int(done), int(total))

    # --- GUI thread ------------------------------------------------------------------------------
    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        if not self.finished:
            self._cancel.set()
            self.dialog.setLabelText(_("Stopping…"))

    def show_now(self) -> None:
        """Show the progress dialog at once (it blocks the window): for work during which nothing else may
        be done in the window, such as a restore."""
        self._show_if_running()

    def _show_if_running(self) -> None:
        if not self.finished:
            try:
                self.dialog.show()
            except RuntimeError:
                pass

    def _on_progress(self, done: int, total: int) -> None:
        if self.finished:
            return
        if total > 0:
            self.dialog.setMaximum(total)
            self.dialog.setValue(min(done, total))

    def _finish(self) -> None:
        self.finished = True
        _RUNNING.discard(self)
        try:
            self.dialog.reset()  # also stops the dialog's own timer that would show it
            self.dialog.hide()
            self.dialog.deleteLater()
        except RuntimeError:  # the window it belonged to is already gone
            pass
        # Deleted here, on the GUI thread, once the callbacks below have run. Left to Python, the task (held in
        # cycles by its own connections) was freed by the cycle collector in whichever thread it ran, often a
        # pool thread, and a Qt object deleted off its thread crashes the GUI thread delivering its events.
        self.deleteLater()

    def _let_go(self) -> None:
        """Here, on the GUI thread: the work and the callbacks (and the pages and dialogs they hold)."""
        self.func = self.on_done = self.on_error = self.on_cancel = None
        self.parent_widget = None

    def _on_done(self, result: Any) -> None:
        self.result = result
        self._finish()
        try:
            if self.on_done:
                self.on_done(result)
        finally:
            self._let_go()

    def _on_failed(self, exc: BaseException) -> None:
        self.error = exc
        self._finish()
        try:
            if self.on_error:
                self.on_error(exc)
            else:
                show_error(self.parent_widget, self.title, exc)
        finally:
            self._let_go()

    def _on_cancelled(self) -> None:
        self._finish()
        try:
            if self.on_cancel:
                self.on_cancel()
        finally:
            self._let_go()


_RUNNING: set[Task] = set()  # keeps tasks alive until they report back


def run_in_background(parent: QtWidgets.QWidget | None, func: Callable[[Progress], Any], *, label: str,
                      title: str | None = None, on_done: Callable[[Any], None] | None = None,
                      on_error: Callable[[BaseException], None] | None = None,
                      on_cancel: Callable[[], None] | None = None, cancellable: bool = True,
                      pool: QtCore.QThreadPool | None = None) -> Task:
    """Run `func(progress)` off the GUI thread; see the module's docstring.

    `pool`: where the work runs (default: Qt's global pool). ui/operations.py gives its one-thread
    pool, so that the database work of the window runs one piece at a time, in the order asked."""
    task = Task(parent, label, title or _("Please wait"), cancellable, on_done, on_error, on_cancel, func)
    _RUNNING.add(task)
    (pool or QtCore.QThreadPool.globalInstance()).start(_Runner(task))
    return task


def running() -> int:
    """How many pieces of work have not reported back yet."""
    return len(_RUNNING)


def show_error(parent: QtWidgets.QWidget | None, title: str, exc: BaseException) -> None:
    """A failed piece of work, told the user's way: the message of a UserError, else an apology."""
    from services.db import as_user_error
    from services.logs import log_unexpected

    from .widgets import inform

    plain = exc if isinstance(exc, UserError) else as_user_error(exc)
    if plain is not None:
        inform(parent, title, str(plain), error=True)
        return
    path = log_unexpected(exc, "background work")  # redacted: the log never holds personal data
    inform(parent, title, _("Something unexpected went wrong and the work was not finished. "
                            "Technical detail: {detail}").format(detail=f"{type(exc).__name__}; {path}"), error=True)
