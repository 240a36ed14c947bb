"""Building registers for the year-end review tests: members and events written directly."""
from __future__ import annotations

import datetime as dt
import itertools

from models import EventKind, Member, MemberEvent
from models.member import DisciplineForm

_FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương"]
_MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Hữu", "Thanh"]
_GIVEN = ["An", "Bình", "Châu", "Dũng", "Đức", "Hà", "Hải", "Lan", "Long", "Mai", "Nam", "Oanh", "Phúc",
          "Quang", "Sơn", "Tâm", "Trang", "Uyên", "Vinh", "Yến"]
_names = (" ".join(p) for p in itertools.product(_FAMILY, _MIDDLE, _GIVEN))


def add_member(session, name: str | None = None, admitted: dt.date = dt.date(2010, 3, 1), *,
               full: dt.date | None | bool = True, birth: dt.date | None = None, position: str = "Chuyên viên",
               transfer_in: dt.date | None = None, events: list[MemberEvent] = ()) -> Member:
    """A member admitted on ``admitted`` (made full 12 months later unless ``full`` is False or a date)."""
    m = Member(full_name=name or next(_names), birth_date=birth or dt.date(1980, 5, 5), gender="Nam",
               position=position, card_number="")
    m.events.append(MemberEvent(kind=EventKind.ADMITTED, date=admitted))
    if full is True:
        m.events.append(MemberEvent(kind=EventKind.MADE_FULL, date=dt.date(admitted.year + 1, admitted.month, 1)))
    elif isinstance(full, dt.date):
        m.events.append(MemberEvent(kind=EventKind.MADE_FULL, date=full))
    if transfer_in:
        m.events.append(MemberEvent(kind=EventKind.TRANSFER_IN, date=transfer_in, other_org="Chi bộ khác"))
    for e in events:
        m.events.append(e)
    session.add(m)
    session.flush()
    return m


def discipline(on: dt.date, form: str = DisciplineForm.REPRIMAND) -> MemberEvent:
    return MemberEvent(kind=EventKind.DISCIPLINE, date=on, form=form, reason="Vi phạm")


def period(kind: EventKind, start: dt.date, end: dt.date | None = None) -> MemberEvent:
    return MemberEvent(kind=kind, date=start, end_date=end)


def seed_2020_register(session) -> dict[str, list[Member]]:
    """The Đảng bộ Sở LĐ-TBXH's 2020 numbers (seed 000) as one register: 137 members on 31/12/2020,
    3 not rated (2 admitted in August, 1 transferred in in October), 1 on long sick leave,
    7 disciplined in the year; plus 2 who left during the year and are not counted."""
    groups: dict[str, list[Member]] = {k: [] for k in ("new", "moved_in", "sick", "disciplined", "others", "left")}
    for _ in range(2):
        groups["new"].append(add_member(session, admitted=dt.date(2020, 8, 15), full=False))
    groups["moved_in"].append(add_member(session, admitted=dt.date(2012, 1, 10), transfer_in=dt.date(2020, 10, 1)))
    groups["sick"].append(add_member(session, events=[period(EventKind.SICK_LEAVE, dt.date(2020, 3, 1),
                                                             dt.date(2020, 7, 31))]))
    for i in range(7):
        groups["disciplined"].append(add_member(session, events=[discipline(dt.date(2020, 3 + i, 10))]))
    for _ in range(137 - 11):
        groups["others"].append(add_member(session))
    groups["left"].append(add_member(session, events=[MemberEvent(kind=EventKind.TRANSFER_OUT, date=dt.date(2020, 6, 1),
                                                                  other_org="Đảng bộ huyện")]))
    groups["left"].append(add_member(session, events=[MemberEvent(kind=EventKind.DIED, date=dt.date(2020, 9, 9))]))
    return groups


def confirmed(year: int, level: str) -> dict[str, bool]:
    """Flags confirming every condition of ``level`` in the year's regulation (QĐ 366 Điều 11, QĐ 124,
    HD 21 2.3.a), as the branch ticks them on the review sheet."""
    from services.review.engine import CONDITION_PREFIX, level_conditions
    from services.review.rules import regulation_for

    return {CONDITION_PREFIX + c.code: True for c in level_conditions(regulation_for(year), level)}


def branch_confirmed(year: int, level: str) -> dict[str, bool]:
    """Flags confirming every condition of the branch's own ``level``."""
    from services.review.engine import CONDITION_PREFIX
    from services.review.rules import regulation_for
    from services.review.service import branch_level_conditions

    return {CONDITION_PREFIX + c.code: True for c in branch_level_conditions(regulation_for(year), level)}


def rated(year: int, level: str, **kw):
    """A ReviewInput proposing ``level`` with its conditions confirmed (other fields as given)."""
    from services.review.service import ReviewInput

    flags = {**confirmed(year, level), **kw.pop("flags", {})}
    return ReviewInput(proposed_level=level, flags=flags, **kw)
