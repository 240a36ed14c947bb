"""The program's window with the data: the steps of ui.app.run_gui (the window shown empty, then the
database opened and the page shown built in the first turn of the event loop), quitting as soon as the
overview has painted the branch's figures. Its reminders come after, off the GUI thread (the whole
start, reminders shown: `main.py --db F --exit-after-show`).

    python -m bench.startup_data DB
"""
import sys
import time

t0 = time.perf_counter()

from ui.app import load_database, make_app  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.qt import QtCore  # noqa: E402


class _FirstPaint(QtCore.QObject):
    def eventFilter(self, obj, event):  # noqa: N802 - Qt's name
        if event.type() == QtCore.QEvent.Type.Paint:
            QtCore.QTimer.singleShot(0, shown)
        return False


def shown() -> None:
    """The overview has painted the branch's figures: what the user waits for (bench/launch.py reads it)."""
    if app.property("shown"):
        return
    app.setProperty("shown", True)
    print(f"shown-at {time.time():.6f}", flush=True)
    app.quit()


app = make_app()
window = MainWindow()
window.resize(1280, 760)
window.show()
watch = _FirstPaint()


def load() -> None:
    from ui.safety import install_excepthook

    install_excepthook()
    ctx = load_database(sys.argv[1], window)
    window.attach(ctx)
    window.stack.currentWidget().summary.installEventFilter(watch)   # the overview's figures


QtCore.QTimer.singleShot(0, load)
app.exec()
print(f"{time.perf_counter() - t0:.4f}")
from ui import operations  # noqa: E402

while not operations.idle():    # the day's backup, started off the GUI thread, finishes before the exit
    app.processEvents()
    time.sleep(0.01)
