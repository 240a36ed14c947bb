"""Start-up to an interactive main window on a 5-year branch database, against a bare PySide6 window."""
from __future__ import annotations

import sys

TARGET_RATIO = 2.0        # the window as it first appears
DATA_TARGET_RATIO = 4.0   # the window with the data (issue 17)


def run(ctx) -> str:
    from bench.__main__ import fmt, fmt_mem

    years = 2 if ctx.quick else 5
    db = ctx.branch_db(137, years)
    # From launch to the window shown (each program says when: bench/launch.py), not to its exit.
    bare, bare_mem, _t = ctx.time_process([sys.executable, "-m", "bench.startup_bare"], until_shown=True)
    app, app_mem, _t = ctx.time_process([sys.executable, "-m", "bench.startup_shell"], until_shown=True)
    data, data_mem, _t = ctx.time_process([sys.executable, "-m", "bench.startup_data", str(db)], until_shown=True)
    full, full_mem, _t = ctx.time_process([sys.executable, "main.py", "--db", str(db), "--exit-after-show"])
    floor, _m, _t = ctx.time_process([sys.executable, "-c", "import PySide6.QtWidgets, sqlalchemy.orm, models"])
    ratio = app / bare

    def verdict(r: float, target: float) -> str:
        return ("meets" if r <= target else "misses") + f" {target:.0f}×"

    return "\n".join([
        "## Start-up",
        "",
        "From the launch of the process to the main window shown and the event loop running "
        f"(QT_QPA_PLATFORM=offscreen), on a branch of 137 members with {years} years of records "
        "(bench/startup_bare.py; bench/startup_shell.py: the program's window as it first appears, before the "
        "database is opened; bench/startup_data.py: the program's own steps, quitting when the overview has "
        "painted the branch's figures; `main.py --db F --exit-after-show`: the real program, quitting once the "
        "overview also shows its reminders and the day's backup is done, timed to the process's exit, like the "
        "floor). Each of the first three programs prints the moment its window is shown, and is timed to it (what "
        "it does after, such as finishing the day's backup in the background, is not counted). Only the page "
        "shown is built; the others are built when first shown; the overview's reminders are read after its "
        "figures are painted, and the day's backup and the link check run off the GUI thread once the data is "
        "open.",
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
        "file (the schema, the access lock), SQLAlchemy configuring the mappers at the first query, and building "
        "and painting the overview."
        + (f" The target ({DATA_TARGET_RATIO:.0f}× the bare window: {fmt(DATA_TARGET_RATIO * bare)}) is below that "
           f"floor ({fmt(floor)}) on this machine: no program that imports these libraries can meet it here."
           if DATA_TARGET_RATIO * bare < floor else ""),
        "",
    ])
