"""Helpers of the GUI tests."""
from __future__ import annotations


def wait_ops(qtbot, timeout: int = 10000) -> None:
    """Wait until every operation asked so far (run_op / query_op) has finished and reported back:
    what a user sees a moment after pressing the key."""
    from ui import operations

    qtbot.waitUntil(operations.idle, timeout=timeout)
