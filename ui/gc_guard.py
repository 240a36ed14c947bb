"""Python's cycle collector, run on the GUI thread only.

Python collects reference cycles in whichever thread happens to allocate when a threshold is passed. With
work running in pool threads (ui/worker.py), that is often a pool thread: a window, dialog, model or timer
caught in a cycle (a lambda that refers to its own widget is enough) would then be deleted by that thread
while the GUI thread may be painting it or delivering its events, which crashes the program (Qt allows an
object to be deleted only by the thread it lives in). So the window switches the automatic collection off
and collects here, from a timer on the GUI thread, with the same thresholds Python would use.

    guard = GuiThreadCollector(app)     # in ui/app.py, once the QApplication exists
    ...
    guard.stop()                        # collects what is left and gives the collection back to Python
"""
from __future__ import annotations

import gc

from .qt import QtCore

CHECK_EVERY_MS = 500


class GuiThreadCollector(QtCore.QObject):
    def __init__(self, parent: QtCore.QObject | None = None, interval_ms: int = CHECK_EVERY_MS):
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        self.was_enabled = gc.isenabled()
        gc.disable()
        self.timer = QtCore.QTimer(self)
        self.timer.timeout.connect(self.check)
        self.timer.start(interval_ms)

    def check(self) -> None:
        """Collect the generations Python would have collected by now (gen 0 when its count passed its
        threshold, the older ones when theirs did too)."""
        counts = gc.get_count()
        generation = -1
        for gen, (count, threshold) in enumerate(zip(counts, self.thresholds, strict=False)):
            if threshold and count > threshold:
                generation = gen
            else:
                break
        if generation >= 0:
            gc.collect(generation)

    def stop(self) -> None:
        self.timer.stop()
        gc.collect()
        if self.was_enabled:
            gc.enable()
