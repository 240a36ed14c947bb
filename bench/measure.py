"""Measurements made inside a fresh process, so that each has its own peak memory.

    python -m bench.measure JOB ARG... -> one line of JSON on stdout

Every job imports what it needs first, then times its calls (each in a new session, so nothing is
cached in the ORM between runs) and reports the times of every run, the process's resident memory
before the first call and its peak (ru_maxrss) at the end. Peak memory covers the whole process:
the interpreter and the imported libraries (the "before" figure) plus what the calls needed.
"""
from __future__ import annotations

import json
import resource
import shutil
import sys
import time
from pathlib import Path


def _status_kb(field: str) -> int:
    """A memory figure of this process from /proc/self/status, in KiB."""
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise KeyError(field)


def peak_kb() -> int:
    """Peak resident set size of this process so far, in KiB. VmHWM, not ru_maxrss: Linux carries
    ru_maxrss over fork and exec, so a child of a large process would report the parent's size."""
    try:
        return _status_kb("VmHWM")
    except (OSError, KeyError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _timed_runs(db, fn, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        with db.begin() as session:
            t0 = time.perf_counter()
            fn(session)
            times.append(time.perf_counter() - t0)
    return times


def job_tally(db_path: str, year: str, runs: str) -> dict:
    """services.review.tally.tally (with last year's tally for comparison, as the program shows it)."""
    from services.db import open_database
    from services.review.tally import tally

    db = open_database(db_path)
    before = peak_kb()
    result = {}
    times = _timed_runs(db, lambda s: result.setdefault("t", tally(s, int(year))), int(runs))
    t = result["t"]
    db.close()
    return {"times": times, "rss_before_kb": before, "peak_kb": peak_kb(),
            "members": t.members_total, "assessed": t.assessed, "levels": t.levels}


def job_eligibility(db_path: str, year: str, runs: str) -> dict:
    """services.review.eligibility.eligibility: who is counted and who is rated, with the reasons."""
    from services.db import open_database
    from services.review.eligibility import eligibility

    db = open_database(db_path)
    before = peak_kb()
    times = _timed_runs(db, lambda s: eligibility(s, int(year)), int(runs))
    db.close()
    return {"times": times, "rss_before_kb": before, "peak_kb": peak_kb()}


def job_year_review(db_path: str, year: str, runs: str) -> dict:
    """services.review.service.year_review: eligibility, records, monthly ratings, attendance, proposals."""
    from services.db import open_database
    from services.review.service import year_review

    db = open_database(db_path)
    before = peak_kb()
    times = _timed_runs(db, lambda s: year_review(s, int(year)), int(runs))
    db.close()
    return {"times": times, "rss_before_kb": before, "peak_kb": peak_kb()}


def job_branch_tallies(year: str, runs: str, *db_paths: str) -> dict:
    """Each branch's tally, one database after the other (median of `runs` for each)."""
    import statistics

    from services.db import open_database
    from services.review.tally import tally

    before = peak_kb()
    medians = []
    for path in db_paths:
        db = open_database(path)
        medians.append(statistics.median(_timed_runs(db, lambda s: tally(s, int(year)), int(runs))))
        db.close()
    return {"medians": medians, "rss_before_kb": before, "peak_kb": peak_kb()}


def job_committee_tally(db_path: str, year: str, runs: str) -> dict:
    """services.exchange.committee.committee_tally over the branches' received files."""
    from services.db import open_database
    from services.exchange.committee import committee_tally

    db = open_database(db_path)
    before = peak_kb()
    out = {}
    times = _timed_runs(db, lambda s: out.setdefault("t", committee_tally(s, int(year))), int(runs))
    db.close()
    t = out["t"]
    return {"times": times, "rss_before_kb": before, "peak_kb": peak_kb(), "members": t["members_total"],
            "branches": t["branches_sent"]}


def job_receive(template: str, workdir: str, runs: str, *files: str) -> dict:
    """services.exchange.committee.receive_file for every file, into a fresh copy of an empty committee
    database each run: the total and each file's time."""
    from services.db import open_database
    from services.exchange.committee import ReceiveStatus, receive_file

    before = peak_kb()
    totals, per_file = [], []
    for i in range(int(runs)):
        path = Path(workdir) / f"committee-run{i}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        shutil.copyfile(template, path)
        db = open_database(path)
        t0 = time.perf_counter()
        for f in files:
            t = time.perf_counter()
            result = receive_file(db, f)
            per_file.append(time.perf_counter() - t)
            if result.status not in (ReceiveStatus.ADDED, ReceiveStatus.HELD):  # first files are held
                raise SystemExit(f"{f}: {result.status}")
        totals.append(time.perf_counter() - t0)
        db.close()
    return {"times": totals, "per_file": per_file, "rss_before_kb": before, "peak_kb": peak_kb()}


def job_forms(db_path: str, year: str, form: str, out: str, runs: str, handed: str = "") -> dict:
    """services.review.forms.write_year_end inside a running process: the first call (fonts loaded
    and rule files read on first use) and the following ones. With `handed` ("1"), the year's review and
    tally are computed once before (as the review page shows them) and handed over to every call."""
    from services.db import open_database
    from services.review.forms import write_year_end

    db = open_database(db_path)
    given: dict = {}
    if handed:
        from services.review.service import year_review
        from services.review.tally import tally

        with db.begin() as session:
            given = {"review": year_review(session, int(year)), "year_tally": tally(session, int(year))}
    before = peak_kb()
    times = _timed_runs(db, lambda s: write_year_end(s, int(year), out, form=form or None, **given), int(runs) + 1)
    db.close()
    return {"first": times[0], "times": times[1:], "rss_before_kb": before, "peak_kb": peak_kb()}


def job_modules(*argv: str) -> dict:
    """The modules `main.main(argv)` imports (run in this process), for timing their import alone."""
    import sys

    before = set(sys.modules)
    import main

    code = main.main(list(argv))
    return {"code": code, "modules": sorted(set(sys.modules) - before)}


def job_register(db_path: str, runs: str) -> dict:
    """services.members.register (every member with their state on a date), and, the floor, the same two
    tables' rows read with Python's sqlite3 alone (no SQLAlchemy, nothing computed)."""
    import sqlite3

    from services.db import open_database
    from services.members import register
    from services.ops import read

    db = open_database(db_path)
    times = _timed_runs(db, lambda s: register(s), int(runs))
    page = []   # as the members' page reads it: through ops.read, which checks the rows are plain values
    for _ in range(int(runs)):
        t0 = time.perf_counter()
        read(db, register)
        page.append(time.perf_counter() - t0)
    db.close()
    floor = []
    for _ in range(int(runs)):
        con = sqlite3.connect(db_path)
        t0 = time.perf_counter()
        con.execute("SELECT id, full_name, birth_date, gender, ethnicity, card_number, position FROM member").fetchall()
        con.execute("SELECT member_id, id, kind, date, end_date, form FROM member_event "
                    "ORDER BY member_id, date, id").fetchall()
        floor.append(time.perf_counter() - t0)
        con.close()
    return {"times": times, "page": page, "floor": floor}


def job_forms_parts(db_path: str, year: str, form: str, out: str, runs: str) -> dict:
    """The two halves of write_year_end with the review and tally handed over, after a first call:
    preparing the forms' paragraphs and tables (services.review.forms.forms_for) and laying out and
    writing the PDF (services.review.forms.build)."""
    from services.db import open_database
    from services.review.forms import build, forms_for
    from services.review.service import year_review
    from services.review.tally import tally

    db = open_database(db_path)
    with db.begin() as session:
        given = {"review": year_review(session, int(year)), "year_tally": tally(session, int(year))}
    gather, render = [], []
    for _ in range(int(runs) + 1):
        with db.begin() as session:
            t0 = time.perf_counter()
            docs = [d for _name, ds in forms_for(session, int(year), form or None, **given) for d in ds]
            t1 = time.perf_counter()
            build(docs, out)
            gather.append(t1 - t0)
            render.append(time.perf_counter() - t1)
    db.close()
    return {"gather": gather[1:], "render": render[1:]}


def job_import(template: str, workdir: str, sheet: str, runs: str) -> dict:
    """Importing a member list as the program does, each run into a fresh copy of the same database: the
    file read and every row checked (the preview, `services.member_import.preview_import`), then every row
    written in one transaction (`apply_import`). Also, each run: reading the workbook's cells alone
    (`read_rows`, part of the preview) and, the baseline, openpyxl reading them (read-only, values only:
    what the importer did before, and what any Python program reading the file with it pays). Counts the
    calls of `vntext.fold` in the last run."""
    import services.member_import as mi
    import services.members as members
    from services import vntext
    from services.db import open_database

    calls = [0]
    fold = vntext.fold
    openpyxl_read = getattr(mi, "_read_xlsx_openpyxl", mi._read_xlsx)   # older code: openpyxl only
    # The program refuses a sheet with values past MAX_SHEET_ROWS rows (issue 15): lifted here, to time
    # the importer on longer lists.
    if hasattr(mi, "MAX_SHEET_ROWS"):
        mi.MAX_SHEET_ROWS = max(mi.MAX_SHEET_ROWS, 1_000_000)

    def counted(text):
        calls[0] += 1
        return fold(text)

    before = peak_kb()
    baselines, reads, previews, writes = [], [], [], []
    rows = 0
    for i in range(int(runs)):
        t0 = time.perf_counter()
        openpyxl_read(Path(sheet), None)
        baselines.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        mi.read_rows(sheet)
        reads.append(time.perf_counter() - t0)
        path = Path(workdir) / f"import-run{i}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        shutil.copyfile(template, path)
        db = open_database(path)
        if i == int(runs) - 1:
            members.fold = mi.fold = counted
        try:
            with db.begin() as session:
                t0 = time.perf_counter()
                preview = mi.preview_import(session, sheet)
                t1 = time.perf_counter()
                if not preview.ok:
                    raise SystemExit(preview.problem_lines()[:5])
                rows = len(mi.apply_import(session, preview))
                t2 = time.perf_counter()
        finally:
            members.fold = mi.fold = fold
            db.close()
        previews.append(t1 - t0)
        writes.append(t2 - t1)
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    return {"baseline": baselines, "read": reads, "preview": previews, "write": writes, "rows": rows,
            "fold_calls": calls[0], "rss_before_kb": before, "peak_kb": peak_kb()}


JOBS = {name[4:]: fn for name, fn in globals().items() if name.startswith("job_")}


def main(argv: list[str]) -> int:
    job, *args = argv
    print(json.dumps(JOBS[job](*args)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
