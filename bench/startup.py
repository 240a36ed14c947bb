"""Start-up to an interactive main window on a 5-year branch database, against a bare PySide6 window."""
from __future__ import annotations

import sys

from .synth import make_branch_db

TARGET_RATIO = 2.0


def run(ctx) -> str:
    from bench.__main__ import fmt

    db = make_branch_db(ctx.workdir / "startup.db", members=137, years=2 if ctx.quick else 5)
    bare = ctx.time_command([sys.executable, "-m", "bench.startup_bare"])
    app = ctx.time_command([sys.executable, "-m", "bench.startup_app", str(db)])
    ratio = app / bare
    verdict = "meets" if ratio <= TARGET_RATIO else "misses"
    return "\n".join([
        "## Start-up",
        "",
        "Whole process, from launch to the main window shown and the event loop running "
        "(QT_QPA_PLATFORM=offscreen), on a branch of 137 members with 5 years of records.",
        "",
        "| what | median | ratio |",
        "|---|---|---|",
        f"| bare PySide6 window (QApplication + QMainWindow + show) | {fmt(bare)} | 1.00 |",
        f"| Sổ chi bộ main window | {fmt(app)} | {ratio:.2f} |",
        "",
        f"Target: at most {TARGET_RATIO:.0f}× the bare window — {verdict} it.",
        "",
    ])
