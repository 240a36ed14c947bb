"""A small branch for the meetings tests: who belongs when, with the cases attendance must handle."""
from __future__ import annotations

import datetime as dt

from models import EventKind, MemberEvent
from services import meetings as mt
from services import members as svc

TODAY = dt.date(2025, 12, 15)

# name -> (admitted, made full)
PEOPLE = {
    "Từ Minh Điền": (dt.date(2000, 1, 10), dt.date(2001, 1, 15)),     # the secretary, presides
    "Lê Thị Hồng Nhung": (dt.date(2005, 5, 5), dt.date(2006, 5, 10)),  # deputy, takes the minutes
    "Nguyễn Văn An": (dt.date(2010, 3, 3), dt.date(2011, 3, 10)),
    "Trần Thị Bích": (dt.date(2012, 4, 4), dt.date(2013, 4, 10)),
    "Phạm Quốc Cường": (dt.date(2015, 6, 6), dt.date(2016, 6, 10)),
    "Võ Thị Dung": (dt.date(2024, 12, 1), None),                        # probationary all 2025 (until 1/12)
    "Hồ Văn Em": (dt.date(1990, 1, 1), dt.date(1991, 1, 5)),            # exempt from 2024
    "Đặng Văn Phúc": (dt.date(2008, 8, 8), dt.date(2009, 8, 10)),       # transferred in on 01/06/2025
}


def make_branch(db) -> dict[str, int]:
    """Add the members; returns name -> member id."""
    ids = {}
    with db.begin() as s:
        for name, (admitted, full) in PEOPLE.items():
            elsewhere = (dt.date(2025, 6, 1), "Chi bộ Trung tâm Dịch vụ việc làm") if name == "Đặng Văn Phúc" else None
            m = svc.add_member(s, svc.MemberInput(name, admitted, full, dt.date(1970, 1, 1)), TODAY,
                               admitted_elsewhere=elsewhere)
            ids[name] = m.id
        s.flush()
        from models import Member

        exempt = s.get(Member, ids["Hồ Văn Em"])
        exempt.events.append(MemberEvent(kind=EventKind.EXEMPT, date=dt.date(2024, 1, 1), reason="Sức khỏe yếu"))
    return ids


def meeting_input(day: dt.date, kind: str = "regular", **kw) -> mt.MeetingInput:
    values = dict(kind=kind, date=day, start_time=dt.time(14, 0), end_time=dt.time(16, 0),
                  place="Phòng họp Văn phòng Sở", chair_name="Từ Minh Điền", chair_title="Bí thư Chi bộ",
                  secretary_name="Lê Thị Hồng Nhung", topic="Học tập và làm theo Bác" if kind == "thematic" else "")
    values.update(kw)
    return mt.MeetingInput(**values)


def new_meeting(db, day: dt.date, kind: str = "regular", all_present: bool = True,
                absences: dict[int, tuple[str, str]] | None = None, **kw) -> int:
    """A meeting with everyone present except `absences` (member id -> (status, reason))."""
    with db.begin() as s:
        m = mt.create_meeting(s, meeting_input(day, kind, **kw))
        for member_id, (status, reason) in (absences or {}).items():
            mt.set_attendance(s, m.id, member_id, status, reason)
        if all_present:
            mt.mark_all_present(s, m.id)
        return m.id
