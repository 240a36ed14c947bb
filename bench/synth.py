"""Deterministic synthetic data for benchmarks: branches of any size with years of records."""
from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from models import EventKind, Member, MemberEvent
from services.branch import BranchIdentity, set_identity
from services.db import open_database
from services.demo import FAMILY, GIVEN_F, GIVEN_M, MIDDLE_F, MIDDLE_M
from services.membership import add_months


def synth_members(rng: random.Random, count: int, first_year: int, last_year: int) -> list[Member]:
    """`count` members with admissions spread over the decades and the usual life events in the period."""
    members = []
    for i in range(count):
        female = rng.random() < 0.42
        name = " ".join([rng.choice(FAMILY), rng.choice(MIDDLE_F if female else MIDDLE_M),
                         rng.choice(GIVEN_F if female else GIVEN_M)])
        birth = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randint(0, 36 * 365))
        admitted = add_months(birth, 12 * rng.randint(20, 35))
        admitted = min(admitted, dt.date(last_year, 6, 30))
        m = Member(full_name=name, birth_date=birth, gender="Nữ" if female else "Nam",
                   ethnicity="Khmer" if rng.random() < 0.03 else "Kinh", card_number=f"{80000000 + i}",
                   position="Chuyên viên")
        m.events.append(MemberEvent(kind=EventKind.ADMITTED, date=admitted))
        if admitted < dt.date(last_year - 1, 1, 1):
            m.events.append(MemberEvent(kind=EventKind.MADE_FULL, date=add_months(admitted, 12)))
        roll = rng.random()
        year = rng.randint(first_year, last_year)
        if roll < 0.03:
            m.events.append(MemberEvent(kind=EventKind.EXEMPT, date=dt.date(year, 3, 1)))
        elif roll < 0.06:
            m.events.append(MemberEvent(kind=EventKind.TRANSFER_OUT, date=dt.date(year, 9, 1), other_org="Chi bộ khác"))
        elif roll < 0.09:
            m.events.append(MemberEvent(kind=EventKind.DISCIPLINE, date=dt.date(year, 5, 5), form="khiển trách"))
        m.events = [e for e in m.events if e.date >= admitted]
        members.append(m)
    return members


def make_branch_db(path: Path, members: int, years: int = 5, seed: int = 1, last_year: int = 2025,
                   name: str = "Chi bộ Tổng hợp") -> Path:
    """A branch database with `members` members and `years` years of records ending in `last_year`."""
    for suffix in ("", "-wal", "-shm"):
        p = Path(str(path) + suffix)
        if p.exists():
            p.unlink()
    rng = random.Random(seed)
    db = open_database(path, create=True)
    try:
        with db.begin() as session:
            set_identity(session, BranchIdentity(name=name, parents=["ĐẢNG ỦY SỞ TỔNG HỢP"], place="Trà Vinh"))
            session.add_all(synth_members(rng, members, last_year - years + 1, last_year))
        extend_branch_db(db, rng, last_year - years + 1, last_year)
    finally:
        db.close()
    return path


def extend_branch_db(db, rng: random.Random, first_year: int, last_year: int) -> None:
    """Years of meetings, attendance, ratings and reviews: the demo's own steps, run for each year."""
    import importlib

    from services.demo import DEMO_STEPS

    today = dt.date(last_year, 12, 31)
    for year in range(first_year, last_year + 1):
        with db.begin() as session:
            for ref in DEMO_STEPS:
                module, func = ref.split(":")
                getattr(importlib.import_module(module), func)(session, rng, year, today)
