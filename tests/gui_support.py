"""Helpers of the GUI tests."""
from __future__ import annotations


def wait_ops(qtbot, timeout: int = 10000) -> None:
    """Wait until every operation asked so far (run_op / query_op) has finished and reported back:
    what a user sees a moment after pressing the key."""
    from ui import operations

    qtbot.waitUntil(operations.idle, timeout=timeout)


def shown_window(qtbot, ctx, size: tuple[int, int] = (1366, 768)):
    """The main window on `ctx`, shown at the size of a small laptop's screen and active (its shortcuts work),
    closed at the end of the test."""
    from ui.main_window import MainWindow

    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.resize(*size)
    win.show()
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    return win
