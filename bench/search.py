"""Search-as-you-type over 5,000 members, diacritic-insensitive: time per keystroke."""
from __future__ import annotations

import os
import statistics
import time

QUERY = "nguyen van a"


def run(ctx) -> str:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from bench.__main__ import fmt, fmt_int
    from services.db import open_database
    from services.members import register
    from ui.models.members import MemberFilterProxy, MemberTableModel
    from ui.qt import QtWidgets

    QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    n = 1000 if ctx.quick else 5000
    path = ctx.branch_db(n, 5, records="register")
    db = open_database(path)
    loads = []
    for _ in range(ctx.runs):
        t0 = time.perf_counter()
        with db.begin() as session:
            rows = register(session)
        loads.append(time.perf_counter() - t0)
    db.close()
    model = MemberTableModel()
    model.set_rows(rows)
    proxy = MemberFilterProxy()
    proxy.setSourceModel(model)
    per_key = []
    for _ in range(ctx.runs):
        for i in range(1, len(QUERY) + 1):
            t = time.perf_counter()
            proxy.set_search(QUERY[:i])
            proxy.rowCount()
            per_key.append(time.perf_counter() - t)
        proxy.set_search("")
    return "\n".join([
        "## Search as you type",
        "",
        f"{fmt_int(n)} members in the branch ({fmt_int(len(rows))} in the register with those who left); the "
        f"query \"{QUERY}\" typed one key at a time (diacritic- and case-insensitive filter of the register table).",
        "",
        "| what | median | worst |",
        "|---|---|---|",
        f"| one keystroke | {fmt(statistics.median(per_key))} | {fmt(max(per_key))} |",
        f"| loading the register (state of every member on today's date) | {fmt(statistics.median(loads))} "
        f"| {fmt(max(loads))} |",
        "",
    ])
