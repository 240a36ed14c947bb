"""The baseline: a bare PySide6 window (QApplication + QMainWindow + show), nothing else."""
import time

t0 = time.perf_counter()

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QMainWindow  # noqa: E402

app = QApplication([])
window = QMainWindow()
window.show()
QTimer.singleShot(0, lambda: (print(f"shown-at {time.time():.6f}", flush=True), app.quit()))
app.exec()
print(f"{time.perf_counter() - t0:.4f}")
