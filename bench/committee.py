"""A committee (đảng ủy cơ sở) of 30 branches and 3,400 members: each branch's database with its year,
the signed file each sends up (.scb), and the committee's database with every file received.

Made once per benchmark run (bench.tally and bench.aggregate share it); deterministic: the branches'
sizes, registers and records, their signing keys and the files' dates come from fixed seeds.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import random
import time
from dataclasses import dataclass
from pathlib import Path

YEAR = 2025
COMMITTEE = "ĐẢNG ỦY SỞ TỔNG HỢP"
UNITS = [
    "Văn phòng Sở", "Phòng Tổ chức cán bộ", "Phòng Kế hoạch - Tài chính", "Thanh tra Sở", "Phòng Lao động - Việc làm",
    "Phòng Người có công", "Phòng Bảo trợ xã hội", "Phòng Trẻ em và Bình đẳng giới", "Phòng Giáo dục nghề nghiệp",
    "Trung tâm Dịch vụ việc làm", "Trung tâm Bảo trợ xã hội", "Trung tâm Công tác xã hội", "Cơ sở Cai nghiện ma túy",
    "Trường Cao đẳng Nghề", "Khoa Cơ khí", "Khoa Điện - Điện tử", "Khoa Kinh tế", "Khoa Công nghệ thông tin",
    "Phòng Đào tạo", "Phòng Công tác học sinh, sinh viên", "Trung tâm Điều dưỡng người có công",
    "Nghĩa trang Liệt sĩ tỉnh", "Quỹ Bảo trợ trẻ em", "Ban Quản lý dự án", "Trung tâm Tin học", "Phòng Pháp chế",
    "Phòng Chính sách bảo hiểm", "Phòng An toàn lao động", "Hội Chữ thập đỏ", "Hội Người mù",
]
CREATED = dt.datetime(2026, 1, 12, 8, 0)


@dataclass
class Committee:
    year: int
    members: int
    branch_dbs: list[Path]
    files: list[Path]
    template: Path          # the committee's database before any file arrives
    received: Path          # the committee's database with every file received


def sizes(total: int, count: int, seed: int = 30) -> list[int]:
    """`count` branch sizes between about 40 and 200 that add up to `total`."""
    rng = random.Random(seed)
    raw = [rng.randint(40, 200) for _ in range(count)]
    out = [max(5, round(r * total / sum(raw))) for r in raw]
    out[out.index(max(out))] += total - sum(out)
    return out


def signing_key(i: int):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return Ed25519PrivateKey.from_private_bytes(hashlib.sha256(f"bench-branch-{i}".encode()).digest())


def committee(ctx) -> Committee:
    """The committee of this run (made on first use)."""
    if "committee" not in ctx.cache:
        ctx.cache["committee"] = _make(ctx)
    return ctx.cache["committee"]


def _make(ctx) -> Committee:
    from sqlalchemy import delete

    from models import ReceivedFile
    from services.branch import BranchIdentity, set_identity
    from services.db import open_database
    from services.exchange.committee import ReceiveStatus, accept_held, receive_file
    from services.exchange.export import export_year

    from .__main__ import fmt_int
    from .synth import make_branch_db

    total, count = (300, 6) if ctx.quick else (3400, 30)
    folder = ctx.workdir / f"committee-{count}"
    folder.mkdir(exist_ok=True)
    dbs, files = [], []
    template, received = folder / "committee-empty.db", folder / "committee.db"
    result = Committee(YEAR, total, dbs, files, template, received)
    for i in range(count):
        dbs.append(folder / f"branch-{i:02d}.db")
        files.append(folder / f"chi-bo-{i:02d}-{YEAR}.scb")
    if ctx.reuse(received):
        return result
    t0 = time.perf_counter()
    for i, n in enumerate(sizes(total, count)):
        make_branch_db(dbs[i], members=n, years=1, seed=1000 + i, last_year=YEAR, name=f"Chi bộ {UNITS[i]}")
    made = time.perf_counter()
    for i, db_path in enumerate(dbs):
        db = open_database(db_path)
        try:
            with db.begin() as session:
                export_year(session, YEAR, files[i], key=signing_key(i), now=CREATED)
        finally:
            db.close()
    exported = time.perf_counter()
    for path in (template, received):
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    # The committee as it is after its branches' first year: each branch known, its key accepted once by the
    # office (a file from a branch never seen is held until then: issue 15). The first year's files, held and
    # accepted one by one, are then removed, so that `template` knows the branches and holds no file.
    db = open_database(template, create=True)
    try:
        with db.begin() as session:
            set_identity(session, BranchIdentity(name=COMMITTEE, parents=["ĐẢNG BỘ TỈNH TRÀ VINH"], place="Trà Vinh",
                                                 kind="committee"))
        for f in files:
            got = receive_file(db, f)
            if got.status == "held":
                with db.begin() as s:
                    accept_held(s, got.file_id, got.fingerprint[:16])
        with db.begin() as s:
            s.execute(delete(ReceivedFile))
    finally:
        db.close()
    received.write_bytes(template.read_bytes())
    db = open_database(received)
    try:
        for f in files:
            got = receive_file(db, f)
            if got.status != ReceiveStatus.ADDED:
                raise RuntimeError(f"{f.name}: {got.status}")
    finally:
        db.close()
    ctx.setup_seconds[f"{count} branches, {fmt_int(total)} members, 1 year, records: full"] = made - t0
    ctx.made(received, f"their {count} signed files (.scb), with the printed forms", exported - made)
    return result
