"""Start the real program window on a database offscreen, show it, and exit once it is interactive."""
import sys
import time

t0 = time.perf_counter()

from ui.app import make_app, open_window  # noqa: E402
from ui.qt import QtCore  # noqa: E402

app = make_app()
window = open_window(sys.argv[1])
window.show()
QtCore.QTimer.singleShot(0, app.quit)  # the first turn of the event loop: the window is interactive
app.exec()
print(f"{time.perf_counter() - t0:.4f}")
