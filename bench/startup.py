"""Start-up to an interactive main window on a 5-year branch database, against a bare PySide6 window."""
from __future__ import annotations

import sys

TARGET_RATIO = 2.0        # the window as it first appears
DATA_TARGET_RATIO = 4.0   # the window with the data (issue 17)


def run(ctx) -> str:
    from bench.__main__ import fmt, fmt_mem

    years = 2 if ctx.quick else 5
    db = ctx.branch_db(137, years)
    bare, bare_mem, _t = ctx.time_process([sys.executable, "-m", "bench.startup_bare"])
    app, app_mem, _t = ctx.time_process([sys.executable, "-m", "bench.startup_shell"])
    data, data_mem, _t = ctx.time_process([sys.executable, "-m", "bench.startup_data", str(db)])
    full, full_mem, _t = ctx.time_process([sys.executable, "main.py", "--db", str(db), "--exit-after-show"])
    floor, _m, _t = ctx.time_process([sys.executable, "-c", "import PySide6.QtWidgets, sqlalchemy.orm, models"])
    ratio = app / bare

    def verdict(r: float, target: float) -> str:
        return ("meets" if r <= target else "misses") + f" {target:.0f}×"

    return "\n".join([
        "## Start-up",
        "",
        "Whole process, from launch to the main window shown and the event loop running "
        f"(QT_QPA_PLATFORM=offscreen), on a branch of 137 members with {years} years of records "
        "(bench/startup_bare.py; bench/startup_shell.py: the program's window as it first appears, before the "
        "database is opened; bench/startup_data.py: the program's own steps, quitting when the overview has "
        "painted the branch's figures; `main.py --db F --exit-after-show`: the real program, quitting once the "
        "overview also shows its reminders). Only the page shown is built; the others are built when first "
        "shown, and the overview's reminders are read off the GUI thread after its figures are painted.",
        "",
        "| what | median | ratio | target | peak memory |",
        "|---|---|---|---|---|",
        f"| bare PySide6 window (QApplication + QMainWindow + show) | {fmt(bare)} | 1.00 | – | {fmt_mem(bare_mem)} |",
        f"| Sổ chi bộ main window shown (sections listed, \"Đang mở dữ liệu…\") | {fmt(app)} | {ratio:.2f} "
        f"| {verdict(ratio, TARGET_RATIO)} | {fmt_mem(app_mem)} |",
        f"| Sổ chi bộ main window with the data (the overview has painted the branch's figures) | {fmt(data)} "
        f"| {data / bare:.2f} | {verdict(data / bare, DATA_TARGET_RATIO)} | {fmt_mem(data_mem)} |",
        f"| … and the overview's reminders shown | {fmt(full)} | {full / bare:.2f} | – | {fmt_mem(full_mem)} |",
        f"| the floor of the window with the data: starting Python and importing Qt's widgets, SQLAlchemy's ORM "
        f"and the models, nothing shown | {fmt(floor)} | {floor / bare:.2f} | – | – |",
        "",
        f"The window with the data is {data / floor:.2f}× its floor: what is left is opening and checking the "
        "file (the schema, the access lock, the daily backup, the link check), SQLAlchemy configuring the "
        "mappers at the first query, and building and painting the overview.",
        "",
    ])
