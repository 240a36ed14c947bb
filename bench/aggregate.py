"""Aggregating 30 branch files (.scb) into a committee database."""
from __future__ import annotations

import statistics
import sys

from .committee import committee


def run(ctx) -> str:
    from bench.__main__ import fmt, fmt_int, fmt_mem

    c = committee(ctx)
    r = ctx.measure("receive", c.template, ctx.workdir, ctx.runs, *c.files)
    total = statistics.median(r["times"])
    per_file = statistics.median(r["per_file"])
    size = sum(f.stat().st_size for f in c.files)
    cli = [sys.executable, "main.py", "aggregate", "--db", "COMMITTEE", *map(str, c.files)]
    cli_times = []
    for i in range(ctx.runs):
        path = ctx.workdir / f"committee-cli{i}.db"
        for suffix in ("", "-wal", "-shm"):
            (ctx.workdir / f"committee-cli{i}.db{suffix}").unlink(missing_ok=True)
        path.write_bytes(c.template.read_bytes())
        args = [str(path) if a == "COMMITTEE" else a for a in cli]
        cli_times.append(ctx.time_process(args, runs=1)[0])
    return "\n".join([
        "## Aggregating branch files",
        "",
        f"The {len(c.files)} signed files of a committee's branches ({fmt_int(c.members)} members, "
        f"{size / 1024 / 1024:.1f} MiB in all, each with the branch's printed year-end forms and tally workbook) "
        "received into the committee's database, which knows its branches (their keys accepted in an earlier year) and holds no file yet: every file checked completely (ZIP structure, signature, "
        "hashes, JSON schema, the tally's arithmetic), then recorded in one transaction "
        "(`services.exchange.committee.receive_file`).",
        "",
        "| what | median | peak memory |",
        "|---|---|---|",
        f"| receiving all {len(c.files)} files, inside a running program | {fmt(total)} "
        f"| {fmt_mem(r['peak_kb'])} ({fmt_mem(r['rss_before_kb'])}) |",
        f"| one file (median over all files and runs; the slowest {fmt(max(r['per_file']))}) | {fmt(per_file)} | – |",
        f"| `python main.py aggregate --db … {len(c.files)} files`, whole process | {fmt(statistics.median(cli_times))} "
        "| – |",
        "",
    ])
