"""Year-end tally and eligibility: a branch, a committee of 30 branches, and how the cost grows with size."""
from __future__ import annotations

import math
import statistics

from .committee import committee

YEAR = 2025


def _median(result: dict) -> float:
    return statistics.median(result["times"])


def run(ctx) -> str:
    from bench.__main__ import fmt, fmt_int, fmt_mem

    lines = ["## Year-end tally and eligibility", ""]

    # A branch of 137 members with 5 years of monthly records.
    years = 2 if ctx.quick else 5
    db = ctx.branch_db(137, years)
    t = ctx.measure("tally", db, YEAR, ctx.runs)
    e = ctx.measure("eligibility", db, YEAR, ctx.runs)
    r = ctx.measure("year_review", db, YEAR, ctx.runs)
    lines += [
        f"**A branch of 137 members, {years} years of records** (meetings with attendance, monthly ratings, dues and the "
        f"review of every year; {YEAR}: {t['members']} members counted, {t['assessed']} rated). Each call in its own "
        "session, in a process that has already imported the program (as in the open program window); peak "
        "memory is the whole process's, with what the interpreter and the libraries take before the first call "
        "in brackets.",
        "",
        "| what | median | peak memory |",
        "|---|---|---|",
        f"| tally of {YEAR} (`services.review.tally.tally`, with {YEAR - 1}'s for comparison) | {fmt(_median(t))} "
        f"| {fmt_mem(t['peak_kb'])} ({fmt_mem(t['rss_before_kb'])}) |",
        f"| eligibility of {YEAR} (`services.review.eligibility.eligibility`) | {fmt(_median(e))} "
        f"| {fmt_mem(e['peak_kb'])} ({fmt_mem(e['rss_before_kb'])}) |",
        f"| the review of {YEAR} as the review page loads it (`services.review.service.year_review`: eligibility, "
        f"levels, monthly ratings, attendance, proposals) | {fmt(_median(r))} "
        f"| {fmt_mem(r['peak_kb'])} ({fmt_mem(r['rss_before_kb'])}) |",
        "",
    ]

    # A committee of 3,400 members in 30 branches.
    c = committee(ctx)
    branches = ctx.measure("branch_tallies", YEAR, ctx.runs, *c.branch_dbs)
    ct = ctx.measure("committee_tally", c.received, YEAR, ctx.runs)
    per_branch = branches["medians"]
    lines += [
        f"**A committee of {fmt_int(c.members)} members in {len(c.branch_dbs)} branches** (each branch's database "
        f"holds its year {YEAR}: meetings, monthly ratings, dues, the review; branch sizes "
        f"{min(_sizes(c))}–{max(_sizes(c))}). Each branch adds up its own year on its computer; the committee adds up "
        f"the {len(c.files)} files it received (`services.exchange.committee.committee_tally`).",
        "",
        "| what | median | peak memory |",
        "|---|---|---|",
        f"| one branch's tally (median over the branches; the slowest {fmt(max(per_branch))}) "
        f"| {fmt(statistics.median(per_branch))} | {fmt_mem(branches['peak_kb'])} ({fmt_mem(branches['rss_before_kb'])}) |",
        f"| all {len(per_branch)} branches' tallies, one after the other | {fmt(sum(per_branch))} | – |",
        f"| the committee's tally over the {ct['branches']} received files ({fmt_int(ct['members'])} members) "
        f"| {fmt(_median(ct))} | {fmt_mem(ct['peak_kb'])} ({fmt_mem(ct['rss_before_kb'])}) |",
        f"| time to aggregate: every branch's tally plus the committee's | {fmt(sum(per_branch) + _median(ct))} | – |",
        "",
        "Receiving the files into the committee's database is measured under \"Aggregating branch files\" below.",
        "",
    ]

    # Growth: register and review records only.
    sizes = [1000, 5000] if ctx.quick else [1000, 10_000, 100_000]
    rows = []
    for n in sizes:
        path = ctx.branch_db(n, 2, records="review")
        runs = ctx.runs if n < 50_000 else min(ctx.runs, 3)
        tt = ctx.measure("tally", path, YEAR, runs)
        ee = ctx.measure("eligibility", path, YEAR, runs)
        rows.append((n, tt, ee))
    lines += [
        f"**How it grows** — one database each of {', '.join(fmt_int(n) for n in sizes[:-1])} and {fmt_int(sizes[-1])} members, with two years "
        "(so the tally also "
        f"computes {YEAR - 1}'s for comparison, as the program does) of register and year-end review records only: "
        f"no meetings, monthly ratings or dues, which would take minutes to generate at {fmt_int(sizes[-1])} members "
        "(the 137-member branch above has them all).",
        "",
        "| members | tally | per member | eligibility | per member | peak memory (tally) |",
        "|---|---|---|---|---|---|",
    ]
    for n, tt, ee in rows:
        lines.append(f"| {fmt_int(n)} | {fmt(_median(tt))} | {fmt(_median(tt) / n)} | {fmt(_median(ee))} "
                     f"| {fmt(_median(ee) / n)} | {fmt_mem(tt['peak_kb'])} |")
    first, last = rows[0], rows[-1]
    growth = _median(last[1]) / _median(first[1])
    exponent = math.log(growth) / math.log(last[0] / first[0])
    mem_per = (last[1]["peak_kb"] - first[1]["peak_kb"]) / (last[0] - first[0])
    lines += [
        "",
        f"From {fmt_int(first[0])} to {fmt_int(last[0])} members ({last[0] // first[0]}× as many) the tally takes "
        f"{growth:.0f}× as long: time ∝ members^{exponent:.2f} (1.00 would be exactly in proportion). Every member's "
        f"state, eligibility and proposal is computed from their events when asked, nothing is stored. The peak "
        f"memory grows by about {mem_per:.1f} KiB per member: the tally loads every member and event as an object.",
        "",
    ]
    return "\n".join(lines)


def _sizes(c) -> list[int]:
    from .committee import sizes

    return sizes(c.members, len(c.branch_dbs))
