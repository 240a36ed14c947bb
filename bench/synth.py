"""Deterministic synthetic data for benchmarks: branches of any size with years of records.

`make_branch_db(path, members, years, seed, records=...)` writes a branch database:

* the register (written in bulk): members admitted over the decades, with the life events a branch
  sees in a few years at realistic rates (transfers in and out, exemption, discipline, maternity and
  sick leave, suspension, deaths, new admissions each year);
* with ``records="full"`` (the default), for every year: the demo's own steps for meetings with
  attendance and minutes, monthly ratings and party dues (services.demo.DEMO_STEPS, each run with the
  year's own "today" so that years do not overlap), then the year-end review: every member's level,
  proposed by the branch and decided by the committee, within the rules and the quota, and the
  branch's self-assessment;
* with ``records="review"``: the register and the year-end review only (no meetings, monthly ratings or
  dues), for sizes where a full set of monthly records would take minutes to generate;
* with ``records="register"``: the register only.

The demo's register step for the demo branch (services.review.demo:add_register_cases, which adds
one named member) is not run: the synthetic register already has every kind of case, in proportion.
The demo's review step is replaced by `populate_review` below, which scales (the demo's picks three
HTXSNV members, a branch of 25 members' worth, and checks every member against every other one).
Same arguments, same database (member uids included).
"""
from __future__ import annotations

import datetime as dt
import importlib
import random
import uuid
from collections import Counter
from pathlib import Path

from sqlalchemy import insert

from models import EventKind, Member, MemberEvent, MemberReview
from models.member import DisciplineForm
from services.branch import BranchIdentity, set_identity
from services.db import open_database
from services.demo import FAMILY, GIVEN_F, GIVEN_M, MIDDLE_F, MIDDLE_M, POSITIONS
from services.membership import add_months

RECORDS = ("full", "review", "register")
# The demo's steps that write a year's meetings, monthly ratings and dues, in the demo's order.
YEAR_STEPS = ["services.meetings.demo:populate_meetings", "services.ratings:demo_ratings", "services.dues:demo_dues"]
# Yearly chances of each event for a member in the branch (per member, per year).
RATES = {
    EventKind.TRANSFER_OUT: 0.020,
    EventKind.TRANSFER_IN: 0.025,   # of the register: members who joined by transfer during the period
    EventKind.DISCIPLINE: 0.010,
    EventKind.SICK_LEAVE: 0.008,
    EventKind.MATERNITY_LEAVE: 0.020,  # of the women under 40
    EventKind.SUSPENDED: 0.002,
    EventKind.DIED: 0.002,
}
NEW_ADMISSIONS = 0.03   # admissions per year, as a share of the branch
EXEMPT = 0.03           # share of the members exempt from Party work (older, poor health), for good
RETIRED = "Nguyên {position} (đã nghỉ hưu)"
LEADING_POSITIONS = {"Trưởng phòng", "Phó Trưởng phòng", "Phó Chánh Văn phòng"}


def _date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def _name(rng: random.Random, female: bool) -> str:
    return " ".join([rng.choice(FAMILY), rng.choice(MIDDLE_F if female else MIDDLE_M),
                     rng.choice(GIVEN_F if female else GIVEN_M)])


def synth_register(rng: random.Random, count: int, first_year: int, last_year: int,
                   card_base: int = 80_000_000) -> list[tuple[dict, list[dict]]]:
    """Members as (member row, event rows), plain dicts for bulk inserts: `count` members in the branch at
    the end of `last_year` (the first two, the secretary and the deputy, admitted long ago), plus the
    members who left during the period. Admissions are spread over the decades, with new admissions
    each year, and the life events of the years `first_year`..`last_year` come at the rates above."""
    out = []
    staying = 0
    while staying < count:
        member, events = _person(rng, len(out), first_year, last_year, card_base, plain=len(out) < 2)
        if len(out) < 2:
            member["position"] = member["party_post"] = ("Bí thư chi bộ", "Phó Bí thư chi bộ")[len(out)]
        # What the secretary states on each card (as the demo does; no random draw, so the same register):
        # the retired do not work in the political system, the heads of units and the two secretaries lead.
        # The year-end personal forms (Mẫu 2A/2B/2C) are chosen by these, never guessed.
        member["in_political_system"] = not member["position"].startswith("Nguyên")
        member["holds_leadership_post"] = member["in_political_system"] and (
            len(out) < 2 or member["position"] in LEADING_POSITIONS)
        staying += not any(e["kind"] in (EventKind.TRANSFER_OUT, EventKind.DIED) for e in events)
        out.append((member, events))
    return out


def _person(rng: random.Random, i: int, first_year: int, last_year: int, card_base: int,
            plain: bool = False) -> tuple[dict, list[dict]]:
    start, end = dt.date(first_year, 1, 1), dt.date(last_year, 12, 31)
    years = last_year - first_year + 1
    female = rng.random() < 0.42
    birth = _date(rng, dt.date(1962, 1, 1), dt.date(2001, 12, 31))
    earliest = add_months(birth, 12 * 20)
    if plain:
        birth = _date(rng, dt.date(1966, 1, 1), dt.date(1980, 12, 31))
        admitted = _date(rng, add_months(birth, 12 * 24), start - dt.timedelta(days=800))
    elif rng.random() < NEW_ADMISSIONS * years or earliest > start:
        admitted = _date(rng, max(start, earliest), dt.date(last_year, 11, 30))
    else:
        admitted = _date(rng, earliest, min(add_months(birth, 12 * 45), start - dt.timedelta(days=1)))
    position = rng.choice(POSITIONS)
    member = {"uid": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "full_name": _name(rng, female),
              "birth_date": birth, "gender": "Nữ" if female else "Nam",
              "ethnicity": "Khmer" if rng.random() < 0.03 else "Kinh",
              "card_number": str(card_base + i), "position": position, "party_post": "", "note": ""}
    events = [_event(EventKind.ADMITTED, admitted)]
    full = add_months(admitted, 12) + dt.timedelta(days=rng.randint(0, 30))
    if full <= end:
        events.append(_event(EventKind.MADE_FULL, full))
    if plain:
        return member, events
    if admitted < start and full < end and rng.random() < RATES[EventKind.TRANSFER_IN] * years:
        events.append(_event(EventKind.TRANSFER_IN, _date(rng, max(start, full), end),
                             other_org="Chi bộ Trung tâm Dịch vụ việc làm"))
    if birth.year < 1972 and rng.random() < EXEMPT * 3:
        member["position"] = RETIRED.format(position=position)
        events.append(_event(EventKind.EXEMPT, _date(rng, max(admitted, start - dt.timedelta(days=900)), end),
                             reason="Tuổi cao, sức khỏe yếu"))
    for year in range(first_year, last_year + 1):
        y0 = max(dt.date(year, 1, 1), admitted + dt.timedelta(days=1))
        y1 = dt.date(year, 12, 31)
        if y0 > y1:
            continue
        if rng.random() < RATES[EventKind.DISCIPLINE]:
            form = rng.choice([DisciplineForm.REPRIMAND, DisciplineForm.REPRIMAND, DisciplineForm.WARNING])
            events.append(_event(EventKind.DISCIPLINE, _date(rng, y0, y1), form=form,
                                 reason="Vi phạm quy định về thực hiện nhiệm vụ được giao"))
        if female and year - birth.year < 40 and rng.random() < RATES[EventKind.MATERNITY_LEAVE]:
            day = _date(rng, y0, y1)
            events.append(_event(EventKind.MATERNITY_LEAVE, day, end_date=add_months(day, 6)))
        elif rng.random() < RATES[EventKind.SICK_LEAVE]:
            day = _date(rng, y0, y1)
            events.append(_event(EventKind.SICK_LEAVE, day, end_date=add_months(day, rng.randint(2, 5)),
                                 reason="Điều trị bệnh dài ngày"))
        if rng.random() < RATES[EventKind.SUSPENDED]:
            day = _date(rng, y0, y1)
            events.append(_event(EventKind.SUSPENDED, day, end_date=add_months(day, 3),
                                 reason="Đình chỉ sinh hoạt đảng trong thời gian xem xét kỷ luật"))
        roll = rng.random()
        if roll < RATES[EventKind.TRANSFER_OUT]:
            events.append(_event(EventKind.TRANSFER_OUT, _date(rng, y0, y1), other_org="Đảng bộ huyện Càng Long"))
            break
        if birth.year < 1975 and roll < RATES[EventKind.TRANSFER_OUT] + RATES[EventKind.DIED] * 3:
            events.append(_event(EventKind.DIED, _date(rng, y0, y1)))
            break
    return member, sorted(events, key=lambda e: e["date"])


def _event(kind: str, date: dt.date, **fields) -> dict:
    return {"kind": str(kind), "date": date, "end_date": fields.get("end_date"), "other_org": fields.get("other_org", ""),
            "form": str(fields.get("form", "")), "reason": fields.get("reason", "")}


def write_register(session, people: list[tuple[dict, list[dict]]], first_id: int = 1) -> None:
    """Bulk insert of `synth_register`'s rows (ids assigned here, so that events need no round trip)."""
    members, events = [], []
    for i, (m, evs) in enumerate(people, start=first_id):
        members.append({**m, "id": i})
        events += [{**e, "member_id": i} for e in evs]
    for chunk in range(0, len(members), 20_000):
        session.execute(insert(Member), members[chunk:chunk + 20_000])
    for chunk in range(0, len(events), 20_000):
        session.execute(insert(MemberEvent), events[chunk:chunk + 20_000])
    session.flush()


def make_branch_db(path: Path, members: int, years: int = 5, seed: int = 1, last_year: int = 2025,
                   name: str = "Chi bộ Tổng hợp", records: str = "full") -> Path:
    """A branch database with `members` members and `years` years of records ending in `last_year`."""
    if records not in RECORDS:
        raise ValueError(records)
    path = Path(path)
    for suffix in ("", "-wal", "-shm"):
        p = Path(str(path) + suffix)
        if p.exists():
            p.unlink()
    rng = random.Random(seed)
    first_year = last_year - years + 1
    people = synth_register(rng, members, first_year, last_year, card_base=80_000_000 + 100_000 * (seed % 100))
    db = open_database(path, create=True)
    try:
        with db.begin() as session:
            branch = set_identity(session, BranchIdentity(
                name=name, parents=["ĐẢNG BỘ TỈNH TRÀ VINH", "ĐẢNG ỦY SỞ TỔNG HỢP"], place="Trà Vinh",
                secretary=people[0][0]["full_name"] if people else "",
                deputy_secretary=people[1][0]["full_name"] if len(people) > 1 else ""))
            branch.uid = str(uuid.UUID(int=rng.getrandbits(128), version=4))  # the seed's, not a random one
            write_register(session, people)
        if records != "register":
            for year in range(first_year, last_year + 1):
                with db.begin() as session:
                    if records == "full":
                        run_year_steps(session, rng, year)
                    populate_review(session, rng, year)
    finally:
        db.close()
    return path


def run_year_steps(session, rng: random.Random, year: int) -> None:
    """The demo's meetings, monthly ratings and dues for one year. Each step sees that year's end as
    "today" (dues: 1 January after it, as dues are counted once the month has ended), so that running
    them year after year writes every month once."""
    todays = {"populate_meetings": dt.date(year, 12, 31), "demo_ratings": dt.date(year, 12, 31),
              "demo_dues": dt.date(year + 1, 1, 1)}
    for ref in YEAR_STEPS:
        module, func = ref.split(":")
        getattr(importlib.import_module(module), func)(session, rng, year, todays[func])


# --- the year-end review, at any size ----------------------------------------------------------------

def populate_review(session, rng: random.Random, year: int) -> Counter:
    """Every rated member's level for `year`, proposed and decided, and the branch's self-assessment.

    Levels follow what the monthly ratings suggest where there are any: about one member in seven
    HTXSNV (within the quota of the year's regulation), a few HTNV, the rare KHTNV, never above what
    the rules allow for the member (discipline, leave, points). Rows are written in bulk; each level is
    checked with the review engine's own rule check for the member, so the database holds no level
    the program would refuse. Returns the count of each decided level.
    """
    from services.review.engine import CONDITION_PREFIX, framework_of, level_conditions, level_problems, limit
    from services.review.service import (
        BranchReview,
        branch_level_conditions,
        branch_review,
        member_facts_with,
        save_branch_review,
        year_review,
    )

    review = year_review(session, year, include_left=False)
    reg = review.regulation
    rated = [r for r in review.rows if r.elig.rated]
    voters = sum(1 for r in review.rows if r.elig.counted and r.elig.state.status == "full"
                 and not r.elig.state.exempt and not r.elig.state.suspended)
    # HTXSNV: the quota is a share of HTTNV (20 %); aim a little under it, favouring the members the
    # monthly ratings most often put there.
    order = sorted(rated, key=lambda r: (-(r.facts.monthly or {}).get("HTXSNV", 0), rng.random()))
    best = {r.member_id for r in order[:int(len(rated) * 0.14)]}
    scored = reg.scoring is not None
    points = {"HTXSNV": [90.5, 92, 93.5, 95], "HTTNV": [74, 78.5, 80, 82, 86, 88], "HTNV": [58, 62, 65.5, 68],
              "KHTNV": [40, 45.5]}
    rows = []
    decided: Counter = Counter()
    for r in rated:
        roll = rng.random()
        level = "HTXSNV" if r.member_id in best else ("HTNV" if roll < 0.04 else ("KHTNV" if roll < 0.045 else "HTTNV"))
        cap = limit(reg, r.facts).level          # discipline, long sick leave...
        if reg.rank(level) > reg.rank(cap):
            level = cap
        flags = {CONDITION_PREFIX + c.code: True for c in level_conditions(reg, level, framework_of(reg, r.facts))}
        criteria: dict = {}
        total = None
        if scored:
            total = rng.choice(points[level])
            general = min(30.0, round(total * 0.3, 1))
            criteria = {"general": general, "tasks": round(total - general, 1)}
        problems = level_problems(reg, r.full_name, level, limit(reg, member_facts_with(r.facts, flags), total), total)
        if problems:  # the generator's own mistake: never write what the program would refuse
            raise AssertionError(problems)
        decided[level] += 1
        rows.append({"year": year, "member_id": r.member_id, "proposed_level": level, "decided_level": level,
                     "self_level": level, "criteria": criteria, "score": None, "flags": flags,
                     "votes_for": voters, "votes_against": 0, "voters": voters, "comment": "",
                     "decision_ref": f"Thông báo số {140 + year % 100}-TB/ĐU"})
    for chunk in range(0, len(rows), 20_000):
        session.execute(insert(MemberReview), rows[chunk:chunk + 20_000])
    br: BranchReview = branch_review(session, year)
    for c in br.criteria:
        c.points = round(c.max_points * 0.9)
    br.proposed_level = "HTTNV"
    br.flags = {CONDITION_PREFIX + c.code: True for c in branch_level_conditions(reg, "HTTNV")}
    br.strengths = ("Chi bộ lãnh đạo cơ quan hoàn thành tốt nhiệm vụ chính trị được giao; duy trì nền nếp sinh "
                    "hoạt chi bộ thường kỳ hằng tháng.")
    br.weaknesses = "Chất lượng sinh hoạt chuyên đề chưa đồng đều."
    br.directions = "Nâng cao chất lượng sinh hoạt chi bộ; tăng cường kiểm tra, giám sát đảng viên."
    save_branch_review(session, br)
    session.flush()
    return decided



# --- a member list to import, as offices keep it in Excel ----------------------------------------------

IMPORT_HEADER = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Ngày vào Đảng", "Ngày chính thức",
                 "Số thẻ đảng viên", "Chức vụ", "Ngày chuyển đến", "Chuyển đến từ", "Ghi chú"]


def write_import_sheet(path: Path, rows: int, seed: int = 2, last_year: int = 2025) -> Path:
    """An .xlsx member list of `rows` members as an office keeps it: a title above the table, the header,
    the "(1) (2) …" numbering row, then one row per member (dates as Excel dates or dd/mm/yyyy text, about
    one in forty joined by transfer, with the date and the organisation), and a signature below. Every row
    is a member the register would accept; a few share a name and date of birth with another row (the
    preview warns about them). Card numbers start at 90,000,000, apart from the synthetic branches' own."""
    from openpyxl import Workbook

    rng = random.Random(seed)
    wb = Workbook()            # not write-only: shared strings and the sheet's dimension, as Excel writes them
    ws = wb.active
    ws.title = "Danh sách"
    ws.append(["ĐẢNG BỘ SỞ TỔNG HỢP", None, None, None, None, None, "ĐẢNG CỘNG SẢN VIỆT NAM"])
    ws.append(["CHI BỘ TỔNG HỢP"])
    ws.append([])
    ws.append([None, "DANH SÁCH ĐẢNG VIÊN"])
    ws.append(IMPORT_HEADER)
    ws.append([f"({i})" for i in range(1, len(IMPORT_HEADER) + 1)])
    end = dt.date(last_year, 12, 31)
    previous: list = []
    for i in range(rows):
        female = rng.random() < 0.42
        birth = _date(rng, dt.date(1960, 1, 1), dt.date(2001, 12, 31))
        admitted = _date(rng, add_months(birth, 12 * 19), min(add_months(birth, 12 * 45), dt.date(last_year, 6, 30)))
        full = add_months(admitted, 12) + dt.timedelta(days=rng.randint(0, 30))
        name = _name(rng, female)
        if previous and rng.random() < 0.002:      # the same person typed twice
            name, birth, admitted, full = previous
        previous = [name, birth, admitted, full]
        as_text = rng.random() < 0.3                # dates typed as text in some offices' sheets

        def cell(d: dt.date | None, as_text: bool = as_text):
            if d is None:
                return None
            return d.strftime("%d/%m/%Y") if as_text else dt.datetime(d.year, d.month, d.day)

        moved = admitted < dt.date(last_year - 1, 1, 1) and rng.random() < 0.025
        moved_on = _date(rng, max(full, dt.date(last_year - 4, 1, 1)), end) if moved else None
        ws.append([i + 1, name, cell(birth), "Nữ" if female else "Nam", "Khmer" if rng.random() < 0.03 else "Kinh",
                   cell(admitted), cell(full if full <= end else None), str(90_000_000 + i), rng.choice(POSITIONS),
                   cell(moved_on), "Chi bộ Trung tâm Dịch vụ việc làm" if moved else None, None])
    ws.append([])
    ws.append([None, None, None, None, None, None, "T/M CHI BỘ"])
    ws.append([None, None, None, None, None, None, "BÍ THƯ"])
    wb.save(path)
    return path
