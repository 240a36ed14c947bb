"""Scale: a large committee of 1,000 branch files holding 100,000 members, on SQLite and on PostgreSQL.

The files are real: eight branch databases (70 to 130 members, the year reviewed, bench/synth.py) each
export their year with the program's own export; each of the 1,000 files is one of these eight years
under a branch of its own (name, id and signing key), so the files add up to exactly 100,000 members and
each is checked in full when it is received (ZIP, signature, hashes, schema, the tally against the
member list). The committee's database grows from 10 to 100 to 1,000 files; at each size: receiving the
files (in the program, one process), the committee's tally, and its printed report (PDF).

PostgreSQL is measured when `python -m bench --pg URL` names a server where the URL's user may create
databases (`.ci/pg-cluster start DIR` starts a throwaway one; PG_DURABLE=1 keeps its fsync on).
"""
from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import os
import statistics
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

YEAR = 2025
SIZES = [70, 80, 90, 100, 100, 110, 120, 130]   # the eight template branches: 100 members on average
CREATED = dt.datetime(2026, 1, 12, 8, 0)
COMMITTEE = "ĐẢNG ỦY KHỐI TỔNG HỢP"
TALLY_TARGET = 1.0        # seconds, at 100,000 members
RECEIVE_TARGET = 50.0     # files per second, one core


@dataclass
class Result:
    engine: str
    files: int
    members: int
    receive_s: float
    receive_cpu_s: float
    tally_s: float
    report_s: float
    size_bytes: int


def _branch_name(i: int) -> str:
    return f"Chi bộ số {i + 1:04d}"


def _key(i: int):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return Ed25519PrivateKey.from_private_bytes(hashlib.sha256(f"bench-scale-{i}".encode()).digest())


def _templates(ctx, count: int = len(SIZES)) -> list[tuple[dict, dict, dict]]:
    """(branch, data, attachments) of the first `count` template branches' year, made with the real export."""
    from services.db import open_database
    from services.exchange.source import branch_year_attachments, branch_year_data

    from .synth import make_branch_db

    out = []
    folder = ctx.workdir / "scale-templates"
    folder.mkdir(exist_ok=True)
    for i, n in enumerate(SIZES[:count]):
        path = folder / f"mau-{i}.db"
        if not ctx.reuse(path):
            t0 = time.perf_counter()
            make_branch_db(path, members=n, years=1, seed=5000 + i, last_year=YEAR, name=f"Chi bộ mẫu {i}",
                           records="review")
            ctx.made(path, f"template branch {i} ({n} members, the year reviewed)", time.perf_counter() - t0)
        db = open_database(path)
        try:
            with db.begin() as s:
                from services.branch import get_branch

                branch = get_branch(s)
                assert branch is not None
                out.append(({"uid": branch.uid, "name": branch.name, "parents": list(branch.parents or [])},
                            branch_year_data(s, YEAR), branch_year_attachments(s, YEAR)))
        finally:
            db.close()
    return out


def make_files(ctx, count: int) -> tuple[list[Path], int]:
    """`count` signed branch files in the work folder (made once); returns them and their members."""
    from services.exchange.container import Period, build_container

    folder = ctx.workdir / f"scale-files-{count}"
    folder.mkdir(exist_ok=True)
    files = [folder / f"chi-bo-{i:04d}-{YEAR}.scb" for i in range(count)]
    marker = folder / "files"
    members = sum(SIZES[i % len(SIZES)] for i in range(count))
    if ctx.reuse(marker):
        return files, members
    t0 = time.perf_counter()
    templates = _templates(ctx, min(count, len(SIZES)))
    for i, path in enumerate(files):
        branch, data, attachments = templates[i % len(templates)]
        name = _branch_name(i)
        mine = json.loads(json.dumps(data, ensure_ascii=False).replace(branch["name"], name))
        ident = {"uid": _branch_uid(i), "name": name, "parents": copy.deepcopy(branch["parents"])}
        blob = build_container(ident, Period.of_year(YEAR), mine, _key(i), attachments, CREATED)
        path.write_bytes(blob)
    ctx.made(marker, f"{count} branch files (.scb) from the 8 template years", time.perf_counter() - t0)
    return files, members


# --- the committee's database on each engine -----------------------------------------------------

class Engine:
    name = ""

    def new(self, label: str):
        raise NotImplementedError

    def size(self, target) -> int:
        raise NotImplementedError

    def drop(self, target) -> None:
        pass


class SqliteEngine(Engine):
    name = "SQLite"

    def __init__(self, folder: Path):
        self.folder = folder

    def new(self, label: str) -> Path:
        path = self.folder / f"committee-{label}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        return path

    def size(self, target) -> int:
        return sum(Path(str(target) + s).stat().st_size for s in ("", "-wal") if Path(str(target) + s).exists())

    def drop(self, target) -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(str(target) + suffix).unlink(missing_ok=True)


class PostgresEngine(Engine):
    name = "PostgreSQL"

    def __init__(self, url: str):
        import psycopg
        from sqlalchemy.engine import make_url

        self.url = make_url(url)
        self.admin = psycopg.connect(host=self.url.host, port=self.url.port, user=self.url.username,
                                     dbname=self.url.database or "postgres", autocommit=True)
        self.version = self.admin.execute("SHOW server_version").fetchone()[0]
        self.fsync = self.admin.execute("SHOW fsync").fetchone()[0]
        self.sync_commit = self.admin.execute("SHOW synchronous_commit").fetchone()[0]

    def new(self, label: str) -> str:
        name = f"bench_scale_{label}_{os.getpid()}"
        self.admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.admin.execute(f'CREATE DATABASE "{name}"')
        return self.url.set(drivername="postgresql", database=name).render_as_string(hide_password=False)

    def size(self, target) -> int:
        from sqlalchemy.engine import make_url

        name = make_url(target).database
        return int(self.admin.execute("SELECT pg_database_size(%s)", (name,)).fetchone()[0])

    def drop(self, target) -> None:
        from sqlalchemy.engine import make_url

        self.admin.execute(f'DROP DATABASE IF EXISTS "{make_url(target).database}" WITH (FORCE)')


def _branch_uid(i: int) -> str:
    return str(uuid.UUID(bytes=hashlib.sha256(f"scale-{i}".encode()).digest()[:16], version=4))


def _committee(target, branches: int = 0):
    """A committee's database that already knows (and has accepted, with their keys) `branches` branches:
    the state after their first year, when the office confirmed each branch's key once."""
    from models import KnownBranch
    from services.branch import BranchIdentity, set_identity
    from services.db import open_database
    from services.exchange import keys

    db = open_database(target, create=True)
    with db.begin() as s:
        set_identity(s, BranchIdentity(name=COMMITTEE, parents=["ĐẢNG BỘ TỈNH TRÀ VINH"], place="Trà Vinh",
                                       secretary="Nguyễn Văn Khiêm", kind="committee"))
        for i in range(branches):
            public = keys.public_raw(_key(i))
            s.add(KnownBranch(uid=_branch_uid(i), name=_branch_name(i), parents=[], registered_at=CREATED,
                              public_key=keys.b64(public), key_fingerprint=keys.fingerprint(public),
                              first_seen=CREATED, expected=True, note="", accepted=True, accepted_at=CREATED))
    return db


def measure(engine: Engine, files: list[Path], members: int, runs: int, out_dir: Path) -> Result:
    """Receive `files` into a new committee database, then time its tally and its report."""
    from services.exchange.committee import committee_tally, receive_files
    from services.exchange.container import ExchangeRefused
    from services.exchange.report import write_committee_report

    target = engine.new(str(len(files)))
    db = _committee(target, len(files))
    try:
        wall0, cpu0 = time.perf_counter(), time.process_time()
        for path, result in receive_files(db, files):
            assert not isinstance(result, ExchangeRefused), (path, result)
        receive_s, receive_cpu = time.perf_counter() - wall0, time.process_time() - cpu0
        tallies, reports = [], []
        for _ in range(runs):
            t0 = time.perf_counter()
            with db.begin() as s:
                t = committee_tally(s, YEAR)
            tallies.append(time.perf_counter() - t0)
        assert t["members_total"] == members and t["branches_sent"] == len(files), (t["members_total"], members)
        for _ in range(max(1, runs // 2)):
            t0 = time.perf_counter()
            with db.begin() as s:
                write_committee_report(s, YEAR, out_dir / f"tong-hop-{len(files)}.pdf", on=dt.date(2026, 1, 20))
            reports.append(time.perf_counter() - t0)
        db.close()
        size = engine.size(target)
    finally:
        db.close()
        engine.drop(target)
    return Result(engine.name, len(files), members, receive_s, receive_cpu, statistics.median(tallies),
                  statistics.median(reports), size)


def run(ctx) -> str:
    from bench.__main__ import fmt, fmt_int

    steps = [10, 50] if ctx.quick else [10, 100, 1000]
    files, _members = make_files(ctx, steps[-1])
    engines: list[Engine] = [SqliteEngine(ctx.workdir)]
    pg_url = getattr(ctx, "pg", None)
    if pg_url:
        engines.append(PostgresEngine(pg_url))
    load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    results: list[Result] = []
    for engine in engines:
        for n in steps:
            print(f"   {engine.name}: {n} files", flush=True, file=__import__("sys").stderr)
            members = sum(SIZES[i % len(SIZES)] for i in range(n))
            results.append(measure(engine, files[:n], members, ctx.runs, ctx.workdir))
    size = sum(f.stat().st_size for f in files)
    lines = [
        "## Scale: a committee of 1,000 branch files",
        "",
        f"A large committee: {fmt_int(len(files))} signed branch files ({fmt_int(sum(SIZES[i % 8] for i in range(len(files))))} "
        f"members, {size / 1024 / 1024:.0f} MiB in all, each with its printed forms and tally workbook), made by "
        "bench/scale.py from eight real branch years (70–130 members) under 1,000 names, ids and signing keys. "
        "The committee's database grows from 10 to 1,000 files; at each size the files are received into a new "
        "database inside one running program as `aggregate` does (`receive_files`: each file checked in full, "
        "then recorded in a savepoint of its own, 25 files per transaction), "
        "then the committee's tally (`committee_tally`, median) and its printed report (PDF with the annex of "
        "every branch) are timed.",
        "",
    ]
    from bench.__main__ import machine_lines

    lines.append("Measured: " + "; ".join(line[2:] for line in machine_lines()) + ".")
    for engine in engines:
        if isinstance(engine, PostgresEngine):
            lines.append(f"PostgreSQL {engine.version} on the same machine over TCP with TLS (fsync={engine.fsync}, "
                         f"synchronous_commit={engine.sync_commit}); the server's processes share the cores.")
    if not pg_url:
        lines.append("PostgreSQL was not measured in this run (`python -m bench --pg URL`).")
    if load_before is not None:
        lines.append(f"Load average of the machine when the measurements began: {load_before:.1f} (on "
                     f"{os.cpu_count()} cores; other work on the machine slows the wall times, not the program's "
                     "CPU time).")
    lines += [
        "",
        "| engine | files | members | receiving | files/s (wall) | files/s (program's CPU) | tally | report (PDF) "
        "| database size |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(f"| {r.engine} | {fmt_int(r.files)} | {fmt_int(r.members)} | {fmt(r.receive_s)} "
                     f"| {r.files / r.receive_s:.0f} | {r.files / max(r.receive_cpu_s, 1e-9):.0f} | {fmt(r.tally_s)} "
                     f"| {fmt(r.report_s)} | {r.size_bytes / 1024 / 1024:.0f} MiB |")
    lines.append("")
    lines += [
        "How it grows: receiving is linear in the number of files (each file is checked and recorded on its "
        "own; the per-file time stays about the same from 100 to 1,000 files, the first few files on "
        "PostgreSQL also paying for the connection and the server's cold caches). The tally grows with the number of "
        "files too, but reads only each active file's tally and proposed level (on PostgreSQL extracted from "
        "JSONB by the server, on SQLite by its JSON functions), never the member lists or the stored files. "
        "The report is dominated by laying out its annex, one table row per branch.",
        "",
    ]
    last = [r for r in results if r.files == steps[-1]]
    for r in last:
        ok_tally = "met" if r.tally_s < TALLY_TARGET else f"MISSED by {fmt(r.tally_s - TALLY_TARGET)}"
        rate = r.files / r.receive_s
        ok_rate = "met" if rate >= RECEIVE_TARGET else f"MISSED by {RECEIVE_TARGET - rate:.0f} files/s"
        line = (f"- {r.engine}: tally at {fmt_int(r.members)} members {fmt(r.tally_s)} (target under 1 s: "
                f"{ok_tally}); receiving {rate:.0f} files/s (target at least 50: {ok_rate}).")
        if rate < RECEIVE_TARGET:
            cpu_rate = r.files / max(r.receive_cpu_s, 1e-9)
            waiting = ("the server's processes, which share the machine's cores, and its commits"
                       if r.engine == "PostgreSQL" else "the disk's commits")
            line += (f" The program's own work is {cpu_rate:.0f} files/s of CPU time; the rest of the wall time "
                     f"is waiting for {waiting}.")
        lines.append(line)
    lines.append("")
    return "\n".join(lines)
