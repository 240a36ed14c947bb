"""The one way the window writes: `run_op`, and `query_op` for slow reads (after Anki's aqt/operations).

    run_op(self, lambda s: OpResult(MEMBERS, members.add_member(s, data, today).id),
           title=_("Add a member"), on_success=self.select_member, on_refused=self.problems.show_problems)

* The operation runs off the GUI thread (ui/worker.py), in one unit of work of services/ops.py:
  committed when it returns, rolled back when it raises or the user cancels. It must not touch widgets:
  give it plain values and use `on_success` to update the window.
* Operations run one at a time, in the order they were asked (one worker thread), so a write typed
  quickly after another, or a print asked after a save, sees what came before.
* The operation returns `OpResult(changes, value)` (or just `OpChanges`); on success every page whose
  `areas` the changes touch is refreshed (ctx.apply_changes), then `on_success(value)` runs.
* A refusal (ValidationError) goes to `on_refused(problems)` when given (a dialog shows it beside its
  fields), any other error is shown in Vietnamese by `worker.show_error` unless `on_failure` takes it.
* A progress dialog with "Hủy" appears only when the work takes more than a moment.

Reads that are quick use `ctx.read(fn)` on the GUI thread; reads that may be slow use `query_op`.
Pages and dialogs never open a session themselves (tests/test_lint.py checks it).
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from services import ops
from services.errors import ValidationError
from services.i18n import _

from .qt import QtCore, QtWidgets, Signal, is_alive
from .worker import Task, run_in_background, show_error

log = logging.getLogger("sochibo.ui")


class _Tracker(QtCore.QObject):
    """Counts the operations not finished yet; `idle` is emitted when the last one reports back."""

    idle = Signal()

    def __init__(self):
        super().__init__()
        self.pending: set[Task] = set()
        self.pool = QtCore.QThreadPool()
        self.pool.setMaxThreadCount(1)   # one at a time, in order

    def started(self, task: Task) -> None:
        self.pending.add(task)

    def ended(self, task: Task | None) -> None:
        self.pending.discard(task)  # type: ignore[arg-type]
        if not self.pending:
            self.idle.emit()


_tracker: _Tracker | None = None


def tracker() -> _Tracker:
    global _tracker
    if _tracker is None:
        _tracker = _Tracker()
    return _tracker


def idle() -> bool:
    """No operation is waiting or running."""
    return _tracker is None or not _tracker.pending


def when_idle(callback: Callable[[], None]) -> None:
    """Call `callback` once every operation asked so far has finished (at once when none is running)."""
    if idle():
        callback()
        return
    t = tracker()

    def fire() -> None:
        t.idle.disconnect(fire)
        callback()

    t.idle.connect(fire)


def context_of(widget) -> Any:
    """The AppContext of a page or dialog: its own `ctx`, or that of a parent."""
    w = widget
    while w is not None:
        ctx = getattr(w, "ctx", None)
        if ctx is not None:
            return ctx
        w = w.parentWidget() if isinstance(w, QtWidgets.QWidget) else None
    return None


def run_op(parent: QtWidgets.QWidget | None, op: Callable[..., Any], *, title: str | None = None,
           label: str | None = None, on_success: Callable[[Any], None] | None = None,
           on_refused: Callable[[list[str]], None] | None = None,
           on_failure: Callable[[BaseException], None] | None = None,
           on_cancel: Callable[[], None] | None = None, cancellable: bool = False, progress: bool = False,
           session: bool = True, write: bool = False, ctx=None, db=None, initiator: Any = None) -> Task:
    """Run the write or long task `op` off the GUI thread; see the module's docstring.

    `op(session)`; with `progress=True`, `op(session, progress)` where `progress(done, total)` moves the
    bar and raises inside the work once the user pressed "Hủy" (the unit of work is rolled back).
    `session=False`: the work needs no unit of work (copying files): `op()` / `op(progress)`.
    `write=True`: the unit of work takes the database's write lock first (services.db.take_write_lock).
    `ctx` defaults to the parent's; `db` runs on another database (before the window has a context).
    `initiator` (default: the parent) is passed with the changes, so a page can tell its own writes.
    """
    ctx = ctx if ctx is not None else context_of(parent)
    database = db if db is not None else (ctx.db if ctx is not None else None)
    if session and database is None:
        raise ValueError("run_op needs a database: give ctx or db")
    title = title or _("Sổ chi bộ")
    t = tracker()
    holder: dict[str, Task] = {}

    def work(report):
        args = (report,) if progress else ()
        if session:
            return ops.perform(database, op, *args, write=write)
        return ops.result_of(op(*args))

    def gone() -> bool:
        """The page or dialog that asked was closed and deleted meanwhile: nothing left to update."""
        return parent is not None and not is_alive(parent)

    def done(result: ops.OpResult) -> None:
        t.ended(holder.get("task"))
        if ctx is not None and result.changes and is_alive(ctx):
            ctx.apply_changes(result.changes, initiator if initiator is not None else parent)
        if on_success is not None and not gone():
            on_success(result.value)

    def failed(exc: BaseException) -> None:
        t.ended(holder.get("task"))
        if gone():
            log.warning("%s: the window that asked is closed; not done: %s", title, exc)
        elif on_refused is not None and isinstance(exc, ValidationError):
            on_refused(exc.problems)
        elif on_failure is not None:
            on_failure(exc)
        else:
            show_error(parent, title, exc)

    def cancelled() -> None:
        t.ended(holder.get("task"))
        if on_cancel is not None and not gone():
            on_cancel()

    task = run_in_background(parent, work, label=label or _("Saving…"), title=title, on_done=done,
                             on_error=failed, on_cancel=cancelled, cancellable=cancellable, pool=t.pool)
    holder["task"] = task
    t.started(task)
    return task


def query_op(parent: QtWidgets.QWidget | None, fn: Callable[..., Any], *, on_success: Callable[[Any], None],
             title: str | None = None, label: str | None = None,
             on_failure: Callable[[BaseException], None] | None = None, cancellable: bool = False,
             progress: bool = False, ctx=None, db=None) -> Task:
    """A read that may be slow, off the GUI thread and after the writes asked before it.
    `fn(session)` (or `fn(session, progress)`) returns plain values (see services/ops.read)."""
    ctx = ctx if ctx is not None else context_of(parent)
    database = db if db is not None else ctx.db

    def op(*args):
        return ops.OpResult(ops.NOTHING, ops.read(database, lambda s: fn(s, *args)))

    return run_op(parent, op, title=title, label=label or _("Reading the data…"), on_success=on_success,
                  on_failure=on_failure, cancellable=cancellable, progress=progress, session=False, ctx=ctx)
