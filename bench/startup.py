"""Start-up to an interactive main window on a 5-year branch database, against a bare PySide6 window."""
from __future__ import annotations

import sys

TARGET_RATIO = 2.0


def run(ctx) -> str:
    from bench.__main__ import fmt, fmt_mem

    years = 2 if ctx.quick else 5
    db = ctx.branch_db(137, years)
    bare, bare_mem, _t = ctx.time_process([sys.executable, "-m", "bench.startup_bare"])
    app, app_mem, _t = ctx.time_process([sys.executable, "-m", "bench.startup_shell"])
    data, data_mem, _t = ctx.time_process([sys.executable, "main.py", "--db", str(db), "--exit-after-show"])
    ratio = app / bare
    verdict = "meets" if ratio <= TARGET_RATIO else "misses"
    return "\n".join([
        "## Start-up",
        "",
        "Whole process, from launch to the main window shown and the event loop running "
        f"(QT_QPA_PLATFORM=offscreen), on a branch of 137 members with {years} years of records "
        "(bench/startup_bare.py; bench/startup_shell.py: the program's window as it first appears, before the "
        "database is opened; `main.py --db F --exit-after-show`: the real program, quitting once every page "
        "is built on the data and the overview shows the branch's figures and reminders).",
        "",
        "| what | median | ratio | peak memory |",
        "|---|---|---|---|",
        f"| bare PySide6 window (QApplication + QMainWindow + show) | {fmt(bare)} | 1.00 | {fmt_mem(bare_mem)} |",
        f"| Sổ chi bộ main window shown (sections listed, \"Đang mở dữ liệu…\") | {fmt(app)} | {ratio:.2f} "
        f"| {fmt_mem(app_mem)} |",
        f"| Sổ chi bộ main window with data loaded (the overview page shows the branch's figures) "
        f"| {fmt(data)} | {data / bare:.2f} | {fmt_mem(data_mem)} |",
        "",
        f"Target: at most {TARGET_RATIO:.0f}× the bare window — the window itself {verdict} it. The program shows "
        "its window before it imports the database layer and opens the file, then fills the pages in the first "
        "turn of the event loop; the second line is what the user waits for before the figures appear (most "
        "of it the imports of SQLAlchemy and the pages' services, and the overview's reminders).",
        "",
    ])
