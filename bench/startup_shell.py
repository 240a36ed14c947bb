"""The program's window as it first appears (before the database is opened), then exit."""
import time

t0 = time.perf_counter()

from ui.app import make_app  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.qt import QtCore  # noqa: E402

app = make_app()
window = MainWindow()
window.show()
QtCore.QTimer.singleShot(0, lambda: (print(f"shown-at {time.time():.6f}", flush=True), app.quit()))
app.exec()
print(f"{time.perf_counter() - t0:.4f}")
