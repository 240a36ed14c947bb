"""Start the real program window on a database offscreen and exit once the overview page shows the
branch's figures (the register and the reminders loaded), however the window gets there.

Watches the page from outside, once per turn of the event loop, without changing the program.
"""
import sys
import time

t0 = time.perf_counter()

from ui.app import make_app, open_window  # noqa: E402
from ui.qt import QtCore  # noqa: E402

TIMEOUT_S = 60

app = make_app()
window = open_window(sys.argv[1])
window.show()


def loaded() -> bool:
    home = getattr(window, "pages", {}).get("home")
    summary = getattr(home, "summary", None)
    return summary is not None and bool(summary.text()) and home.isVisible()


def check() -> None:
    if loaded():
        app.quit()
    elif time.perf_counter() - t0 > TIMEOUT_S:
        print("the overview page did not show the branch's figures", file=sys.stderr)
        app.exit(1)


timer = QtCore.QTimer()
timer.setInterval(0)
timer.timeout.connect(check)
timer.start()
code = app.exec()
print(f"{time.perf_counter() - t0:.4f}")
raise SystemExit(code)
