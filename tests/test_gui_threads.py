"""A Qt object is deleted only on the GUI thread, whatever thread drops the last reference to it.

Deleting a window's object from a pool thread while the GUI thread paints it or delivers its events
crashes the program (a CI run ended with "Segmentation fault" in the middle of the import dialog's test
while a pool thread read the workbook). Two ways it happened: a background task whose last Python
reference was held by another thread, and Python's cycle collector running in a pool thread.
"""
from __future__ import annotations

import gc
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from ui.qt import QtCore
from ui.worker import run_in_background


def deleted_on(obj: QtCore.QObject) -> list[int]:
    """The thread (identity) that deletes `obj`, once it is deleted."""
    where: list[int] = []
    obj.destroyed.connect(lambda *_: where.append(threading.get_ident()),
                          QtCore.Qt.ConnectionType.DirectConnection)
    return where


def in_another_thread(fn) -> None:
    thread = threading.Thread(target=fn)
    thread.start()
    thread.join()


def task_in_a_cycle(done: list) -> list[int]:
    """A task whose callback keeps it, as run_op's do (a cycle only the collector frees); where it is deleted."""
    holder: dict = {}
    task = run_in_background(None, lambda progress: 42, label="…",
                             on_done=lambda value: done.append((value, len(holder))))
    holder["task"] = task
    return deleted_on(task)


def test_a_finished_task_is_deleted_on_the_gui_thread_even_if_a_pool_thread_collects_cycles(qtbot):
    done: list = []
    gc.disable()   # the collection is run below by the test, in another thread
    try:
        where = task_in_a_cycle(done)
        qtbot.waitUntil(lambda: done == [(42, 1)])
        QtCore.QThreadPool.globalInstance().waitForDone()   # the pool thread has let go of it
        in_another_thread(gc.collect)   # as a pool thread allocating past the threshold would
        qtbot.waitUntil(lambda: where != [])
        assert where == [threading.get_ident()]
    finally:
        gc.enable()


def test_a_cycle_holding_a_qt_object_is_collected_on_the_gui_thread_not_by_a_pool_thread(qtbot):
    from ui.gc_guard import GuiThreadCollector

    collector = GuiThreadCollector(interval_ms=20)
    try:
        obj = QtCore.QObject()
        obj.itself = obj   # a cycle: only the cycle collector can free it
        where = deleted_on(obj)
        del obj

        def allocate() -> None:   # work in a pool thread, allocating far past every threshold
            for _ in range(100_000):
                cell: list = []
                cell.append(cell)

        in_another_thread(allocate)
        assert where == []                   # the pool thread's allocations collected nothing
        qtbot.waitUntil(lambda: where != [])  # the GUI thread's timer does
        assert where == [threading.get_ident()]
    finally:
        collector.stop()


@pytest.mark.sqlite_only   # about the window's process, not the database
def test_the_program_collects_on_its_gui_thread_while_its_window_is_open(db):
    """run_gui switches Python's automatic collection off for the window's life and gives it back after."""
    path = db.target
    db.close()
    root = Path(__file__).resolve().parents[1]
    code = (
        "import gc, sys\n"
        f"sys.path.insert(0, {str(root)!r})\n"
        "import ui.gc_guard as guard\n"
        "seen = []\n"
        "init = guard.GuiThreadCollector.__init__\n"
        "def spy(self, *a, **k):\n"
        "    init(self, *a, **k)\n"
        "    seen.append(gc.isenabled())\n"
        "guard.GuiThreadCollector.__init__ = spy\n"
        "from ui.app import run_gui\n"
        f"code = run_gui({str(path)!r}, exit_after_show=True)\n"
        "print(code, seen, gc.isenabled())\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.returncode == 0, out.stderr
    assert out.stdout.split("\n")[-2] == "0 [False] True"


def test_what_the_work_holds_is_let_go_on_the_gui_thread(qtbot):
    """The work's closure may hold the last reference to a window's object (a dialog without a parent that
    asked for the work): the pool thread must not be the one that drops it."""
    done: list = []
    holder = QtCore.QObject()          # Python-owned, as a dialog without a parent is
    where = deleted_on(holder)

    def start(obj: QtCore.QObject) -> None:
        run_in_background(None, lambda progress: obj.objectName() or 42, label="…", on_done=done.append)

    start(holder)
    del holder                         # only the work holds it now
    qtbot.waitUntil(lambda: done == [42])
    QtCore.QThreadPool.globalInstance().waitForDone()
    qtbot.waitUntil(lambda: where != [])
    assert where == [threading.get_ident()]
