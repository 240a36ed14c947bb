"""A realistic demo branch: same seed, same data.

Areas of the program add their part of the year (meetings, ratings, review) through DEMO_STEPS:
each step is `step(session, rng, year, today)` and runs after the register is written.
"""
from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.orm import Session

from models import EventKind, Member, MemberEvent
from models.member import DisciplineForm

from .branch import BranchIdentity, set_identity
from .db import open_database
from .i18n import _
from .membership import add_months

DemoStep = Callable[[Session, random.Random, int, dt.date], None]
# "module:function", imported lazily so the register alone stays cheap; meetings first (ratings use
# attendance), the review last (it reads both)
DEMO_STEPS: list[str] = [
    "services.review.demo:add_register_cases",
    "services.meetings.demo:populate_meetings",
    "services.ratings:demo_ratings",
    "services.dues:demo_dues",
    "services.review.demo:populate_review",
]

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ",
          "Ngô", "Dương", "Lý", "Trương", "Đoàn", "Lâm"]
MIDDLE_M = ["Văn", "Minh", "Quốc", "Hữu", "Thành", "Đức", "Công", "Hoàng", "Ngọc", "Thanh"]
MIDDLE_F = ["Thị", "Thị Ngọc", "Thị Thanh", "Ngọc", "Thị Kim", "Thị Mỹ", "Thu", "Hồng"]
GIVEN_M = ["An", "Bình", "Cường", "Dũng", "Đức", "Hải", "Hùng", "Khánh", "Long", "Minh", "Nam", "Phúc",
           "Quang", "Sơn", "Tâm", "Thắng", "Toàn", "Trung", "Tuấn", "Vinh", "Ơn", "Ưng"]
GIVEN_F = ["Anh", "Châu", "Diễm", "Dung", "Giang", "Hà", "Hạnh", "Hương", "Lan", "Linh", "Loan", "Mai",
           "Ngân", "Nhung", "Oanh", "Phương", "Thảo", "Trang", "Uyên", "Yến", "Ánh", "Ý"]
KHMER = [("Thạch Sa Rết", "Nam"), ("Kim Thị Sóc Kha", "Nữ"), ("Sơn Thị Sa Rươne", "Nữ"), ("Thạch Thanh Tùng", "Nam")]
POSITIONS = ["Chuyên viên", "Chuyên viên chính", "Phó Trưởng phòng", "Trưởng phòng", "Kế toán",
             "Văn thư", "Cán sự", "Phó Chánh Văn phòng", "Nhân viên"]


def _date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def populate_register(session: Session, rng: random.Random, year: int, today: dt.date) -> dict[str, int]:
    """About 25 members with the cases every later feature exercises."""
    set_identity(session, BranchIdentity(
        name="Chi bộ Văn phòng Sở",
        parents=["Đảng bộ tỉnh Trà Vinh", "Đảng bộ Khối các cơ quan và doanh nghiệp", "Đảng bộ Sở Lao động - TBXH"],
        place="Trà Vinh", secretary="Từ Minh Điền", deputy_secretary="Lê Thị Hồng Nhung",
    ))
    used: set[str] = set()
    people: list[tuple[str, str, str]] = [("Từ Minh Điền", "Nam", "Kinh"), ("Lê Thị Hồng Nhung", "Nữ", "Kinh")]
    people += [(name, gender, "Khmer") for name, gender in KHMER[:2]]
    while len(people) < 25:
        female = rng.random() < 0.45
        name = " ".join([rng.choice(FAMILY), rng.choice(MIDDLE_F if female else MIDDLE_M),
                         rng.choice(GIVEN_F if female else GIVEN_M)])
        if name not in used:
            used.add(name)
            people.append((name, "Nữ" if female else "Nam", "Kinh"))
    members: list[Member] = []
    for i, (name, gender, ethnicity) in enumerate(people):
        birth = _date(rng, dt.date(1964, 1, 1), dt.date(1996, 12, 31))
        admitted = _date(rng, add_months(birth, 12 * 23), dt.date(year - 2, 6, 30))
        m = Member(full_name=name, birth_date=birth, gender=gender, ethnicity=ethnicity,
                   card_number=f"{79000000 + rng.randint(100000, 999999)}",
                   position="Bí thư chi bộ, Chánh Văn phòng" if i == 0 else
                   ("Phó Bí thư chi bộ, Phó Chánh Văn phòng" if i == 1 else rng.choice(POSITIONS)))
        m.events.append(MemberEvent(kind=EventKind.ADMITTED, date=admitted))
        m.events.append(MemberEvent(kind=EventKind.MADE_FULL, date=add_months(admitted, 12) + dt.timedelta(days=rng.randint(0, 40))))
        members.append(m)
    # A probationary member admitted this year (not rated: under 6 months at the review if late).
    prob = members[5]
    prob.events[:] = [MemberEvent(kind=EventKind.ADMITTED, date=dt.date(year, 8, 19))]
    prob.birth_date = dt.date(1998, 4, 12)
    # A member admitted last year who becomes full this year.
    made_full = members[6]
    made_full.events[:] = [MemberEvent(kind=EventKind.ADMITTED, date=dt.date(year - 1, 3, 3)),
                           MemberEvent(kind=EventKind.MADE_FULL, date=dt.date(year, 3, 10))]
    # Transferred in during the year from another branch.
    moved_in = members[7]
    moved_in.events.append(MemberEvent(kind=EventKind.TRANSFER_IN, date=dt.date(year, 4, 15),
                                       other_org="Chi bộ Trung tâm Dịch vụ việc làm"))
    # Transferred out during the year.
    moved_out = members[8]
    moved_out.events.append(MemberEvent(kind=EventKind.TRANSFER_OUT, date=dt.date(year, 9, 1),
                                        other_org="Đảng bộ huyện Càng Long"))
    # Exempt from Party work and meetings (elderly, poor health).
    exempt = members[9]
    exempt.birth_date = dt.date(1958, 2, 2)
    exempt.position = "Nguyên Phó Trưởng phòng (đã nghỉ hưu)"
    exempt.events.append(MemberEvent(kind=EventKind.EXEMPT, date=dt.date(year - 1, 11, 5),
                                     reason="Sức khỏe yếu, điều trị dài ngày"))
    # Disciplined during the year.
    disc = members[10]
    disc.events.append(MemberEvent(kind=EventKind.DISCIPLINE, date=dt.date(year, 6, 20),
                                   form=DisciplineForm.REPRIMAND,
                                   reason="Vi phạm quy định về thực hiện nhiệm vụ được giao"))
    # Maternity leave and long sick leave.
    mat = next(m for m in members[11:] if m.gender == "Nữ")
    mat.events.append(MemberEvent(kind=EventKind.MATERNITY_LEAVE, date=dt.date(year, 2, 1), end_date=dt.date(year, 7, 31)))
    sick = next(m for m in members[12:] if m.gender == "Nam" and m is not mat)
    sick.events.append(MemberEvent(kind=EventKind.SICK_LEAVE, date=dt.date(year, 3, 1), end_date=dt.date(year, 7, 15),
                                   reason="Điều trị bệnh dài ngày"))
    # A retired member who still attends at the branch: not working in the political system (Mẫu 2C).
    retired = members[4]
    retired.position = "Nguyên Chuyên viên (đã nghỉ hưu)"
    # What the secretary states on each card (the demo's own facts, not a guess from the position): the
    # leadership posts, who works in the political system (the retired member does not), Party posts.
    leaders = {"Trưởng phòng", "Phó Trưởng phòng", "Phó Chánh Văn phòng"}
    for i, m in enumerate(members):
        m.in_political_system = m is not exempt and m is not retired
        m.holds_leadership_post = m.in_political_system and (i < 2 or m.position in leaders)
    members[0].party_post, members[1].party_post = "Bí thư chi bộ", "Phó Bí thư chi bộ"
    members[2].party_post = "Chi ủy viên"
    for m in members:
        m.events = [e for e in m.events if e.date <= today]
        if not any(e.kind == EventKind.ADMITTED for e in m.events):
            continue
        session.add(m)
    session.flush()
    return {"members": len(members)}


def default_demo_year(today: dt.date | None = None) -> int:
    """The last year whose December has come: a full year of records that lie in the past."""
    today = today or dt.date.today()
    return today.year if today.month == 12 else today.year - 1


def write_demo(path: Path | str, seed: int = 1, year: int | None = None, today: dt.date | None = None) -> str:
    """Write the demo to `path` (replacing it). Returns a short Vietnamese summary.

    Records dated after `today` are left out, as they would be in a real book.
    """
    import importlib

    path = Path(path)
    year = year or default_demo_year()
    today = today or dt.date.today()
    for suffix in ("", "-wal", "-shm"):
        p = Path(str(path) + suffix)
        if p.exists():
            p.unlink()
    rng = random.Random(seed)
    db = open_database(path, create=True)
    try:
        with db.begin() as session:
            populate_register(session, rng, year, today)
            for ref in DEMO_STEPS:
                module, func = ref.split(":")
                getattr(importlib.import_module(module), func)(session, rng, year, today)
        with db.begin() as session:
            count = session.query(Member).count()
    finally:
        db.close()
    return _("{count} members, year {year}").format(count=count, year=year)
