"""Importing a member list from Excel: 1,000 to 50,000 rows into the 137-member branch, against openpyxl
reading the same workbook; how the time grows with the rows."""
from __future__ import annotations

import math
import statistics

SIZES = (1_000, 3_000, 10_000, 50_000)
QUICK_SIZES = (1_000, 3_000)
TARGETS = {3_000: 1.0, 50_000: 15.0}    # seconds for the whole import (issue 17)


def _limit() -> str:
    from services import member_import

    return f"{getattr(member_import, 'MAX_SHEET_ROWS', 20_000):,}"


def sheet(ctx, rows: int):
    """The .xlsx of `rows` members (bench.synth.write_import_sheet), made once per run (or kept with --data)."""
    import time

    from .synth import write_import_sheet

    path = ctx.workdir / f"import-{rows}.xlsx"
    if not ctx.reuse(path):
        t0 = time.perf_counter()
        write_import_sheet(path, rows)
        ctx.made(path, f"a member list of {rows:,} rows (.xlsx)", time.perf_counter() - t0)
    return path


def run(ctx) -> str:
    from bench.__main__ import fmt, fmt_int, fmt_mem

    years = 2 if ctx.quick else 5
    db = ctx.branch_db(137, years)
    work = ctx.workdir / "importing"
    work.mkdir(exist_ok=True)
    results = {}
    for rows in (QUICK_SIZES if ctx.quick else SIZES):
        runs = ctx.runs if rows <= 10_000 else max(2, ctx.runs // 2)
        results[rows] = ctx.measure("import", db, work, sheet(ctx, rows), runs)

    def med(r: dict, key: str) -> float:
        return statistics.median(r[key])

    def total(r: dict) -> float:
        return statistics.median([p + w for p, w in zip(r["preview"], r["write"], strict=True)])

    def verdict(rows: int, t: float) -> str:
        target = TARGETS.get(rows)
        if target is None:
            return "–"
        return ("meets" if t < target else "misses") + f" < {fmt(target)}"

    lines = [
        "## Importing a member list",
        "",
        f"An Excel member list as offices keep it (bench/synth.py `write_import_sheet`: a title, the header, the "
        f"\"(1) (2) …\" row, then per member STT, họ và tên, ngày sinh, giới tính, dân tộc, ngày vào Đảng, ngày "
        f"chính thức, số thẻ, chức vụ, for about one in forty the transfer in; dates as Excel dates or typed "
        f"text) imported into the branch of 137 members with {years} years of records, as the import dialog and "
        f"`members import` do it: the preview (`preview_import`: the file read, every row checked against the "
        f"rules and the register), then every row written in one transaction (`apply_import`). Each run into a "
        f"fresh copy of the database. The baseline: openpyxl reading the same workbook's cells (read-only, values "
        f"only), which is what the importer itself did before and what any Python program reading the file with "
        f"it pays; \"ratio\" is the import's time divided by the baseline's, both measured in this run. The "
        f"program refuses a sheet with values past {_limit()} rows (\"a register is never that long\", issue 15): "
        f"the lists longer than that are timed with the limit lifted.",
        "",
        "| rows | baseline: openpyxl reads the cells | import, whole | ratio | target | of which: reading "
        "the file | checking the rows | writing them | per row | `fold` calls per row | peak memory |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for rows, r in results.items():
        whole = total(r)
        check = med(r, "preview") - med(r, "read")
        lines.append(
            f"| {fmt_int(rows)} | {fmt(med(r, 'baseline'))} | {fmt(whole)} | {whole / med(r, 'baseline'):.2f} "
            f"| {verdict(rows, whole)} | {fmt(med(r, 'read'))} | {fmt(check)} | {fmt(med(r, 'write'))} "
            f"| {fmt(whole / rows)} | {r['fold_calls'] / rows:.2f} | {fmt_mem(r['peak_kb'])} |")
    sizes = sorted(results)
    lo, hi = sizes[0], sizes[-1]
    exponent = math.log(total(results[hi]) / total(results[lo])) / math.log(hi / lo)
    lines += [
        "",
        f"How it grows: from {fmt_int(lo)} to {fmt_int(hi)} rows ({hi // lo}× as many) the import takes "
        f"{total(results[hi]) / total(results[lo]):.0f}× as long: time ∝ rows^{exponent:.2f} (1.00 is exactly in "
        "proportion). `fold` calls: each row's name once, and the register's names once for the preview and "
        "once for the writing (the header cells' keys are cached); before issue 17 every row folded every "
        "member's name again (4.5 million calls for 3,000 rows). \"Checking the rows\" is the preview without "
        "reading the file; the writing is one INSERT per table for all the rows, with their audit entries.",
        "",
    ]
    return "\n".join(lines)
