"""Start-up to an interactive main window on a 5-year branch database, against a bare PySide6 window."""
from __future__ import annotations

import sys

TARGET_RATIO = 2.0


def run(ctx) -> str:
    from bench.__main__ import fmt, fmt_mem

    years = 2 if ctx.quick else 5
    db = ctx.branch_db(137, years)
    bare, bare_mem, _t = ctx.time_process([sys.executable, "-m", "bench.startup_bare"])
    app, app_mem, _t = ctx.time_process([sys.executable, "-m", "bench.startup_app", str(db)])
    data, data_mem, _t = ctx.time_process([sys.executable, "-m", "bench.startup_data", str(db)])
    ratio = app / bare
    verdict = "meets" if ratio <= TARGET_RATIO else "misses"
    return "\n".join([
        "## Start-up",
        "",
        "Whole process, from launch to the main window shown and the event loop running "
        f"(QT_QPA_PLATFORM=offscreen), on a branch of 137 members with {years} years of records "
        "(bench/startup_bare.py, bench/startup_app.py, bench/startup_data.py).",
        "",
        "| what | median | ratio | peak memory |",
        "|---|---|---|---|",
        f"| bare PySide6 window (QApplication + QMainWindow + show) | {fmt(bare)} | 1.00 | {fmt_mem(bare_mem)} |",
        f"| Sổ chi bộ main window | {fmt(app)} | {ratio:.2f} | {fmt_mem(app_mem)} |",
        f"| Sổ chi bộ main window with data loaded (the overview page shows the branch's figures) "
        f"| {fmt(data)} | {data / bare:.2f} | {fmt_mem(data_mem)} |",
        "",
        f"Target: at most {TARGET_RATIO:.0f}× the bare window — {verdict} it. Today the overview page loads the "
        "register and the reminders while the window is first shown, so both lines are close; once the window "
        "shows before the database is read, the first line measures the window and the second what the user "
        "waits for before the figures appear.",
        "",
    ])
