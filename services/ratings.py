"""Đánh giá đảng viên hằng tháng: a level (and a comment) per member and month, on a configurable scale.

There is no central rule for monthly ratings (DOMAIN.md §4, [U]): the scale is data, in
`resources/rules/monthly_scale.json`, and the setting `ratings.monthly_scale` chooses one of its scales
(default: the four year-end levels HTXSNV / HTTNV / HTNV / KHTNV).

Whether a member can be rated in a month is derived from the register: the member must belong to
the branch on at least one day of the month without being exempt (miễn sinh hoạt) or suspended for
the whole of it, and the month must not lie in the future.

For the year-end review: `monthly_ratings(session, member_id, year)` and `ratings_summary(session, year)`.
"""
from __future__ import annotations

import calendar
import datetime as dt
import enum
import functools
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Member, MemberEvent, MonthlyRating

from . import settings
from .errors import ValidationError
from .i18n import N_, _
from .members import all_members
from .membership import in_branch_during, state_on
from .paths import resources_dir
from .vntext import fold, name_key, nfc

MONTHS = range(1, 13)
COMMENT_MAX = 1000


# --- the scale (data) ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Level:
    code: str      # stored in the data, e.g. "HTTNV"
    label: str     # full Vietnamese label, e.g. "Hoàn thành tốt nhiệm vụ"
    short: str     # shown in the grid, e.g. "HTT"
    order: int     # 1 = best; also the digit typed to choose it
    key: str       # the letter typed to choose it, e.g. "T"


@dataclass(frozen=True)
class Scale:
    key: str
    name: str
    levels: tuple[Level, ...]

    def level(self, code: str) -> Level | None:
        return next((lv for lv in self.levels if lv.code == code), None)

    def level_for_key(self, text: str) -> Level | None:
        """The level chosen by typing `text`: its order number (1, 2, …) or its letter (X, T, H, K)."""
        text = fold(text).strip().upper()
        if not text:
            return None
        if text.isdigit():
            return next((lv for lv in self.levels if lv.order == int(text)), None)
        return next((lv for lv in self.levels if fold(lv.key).upper() == text), None)

    def short_of(self, code: str) -> str:
        lv = self.level(code)
        return lv.short if lv else code

    def label_of(self, code: str) -> str:
        lv = self.level(code)
        return lv.label if lv else code


def scale_file():
    return resources_dir() / "rules" / "monthly_scale.json"


@functools.cache
def load_scales() -> tuple[str, dict[str, Scale]]:
    """(default key, scales by key) from the rule file."""
    data = json.loads(scale_file().read_text(encoding="utf-8"))
    scales: dict[str, Scale] = {}
    for key, spec in data["scales"].items():
        levels = tuple(sorted(
            (Level(code=lv["code"], label=nfc(lv["label"]), short=nfc(lv["short"]), order=int(lv["order"]),
                   key=nfc(lv.get("key", lv["short"][:1]))) for lv in spec["levels"]),
            key=lambda lv: lv.order))
        scales[key] = Scale(key=key, name=nfc(spec.get("name", key)), levels=levels)
    return data.get("default", next(iter(scales))), scales


def scales() -> dict[str, Scale]:
    return load_scales()[1]


SCALE_SETTING = settings.declare(
    "ratings.monthly_scale", str, load_scales()[0],
    N_("Scale of the monthly member rating (a scale of resources/rules/monthly_scale.json)."),
    choices=tuple(load_scales()[1]),
)


def current_scale(session: Session) -> Scale:
    return scales()[settings.get(session, SCALE_SETTING.key)]


def set_scale(session: Session, key: str) -> None:
    settings.put(session, SCALE_SETTING.key, key)


# --- which months can be rated ------------------------------------------------------------------

class MonthStatus(enum.StrEnum):
    OPEN = "open"                    # can be rated
    FUTURE = "future"                # the month has not begun
    NOT_IN_BRANCH = "not_in_branch"  # not a member of the branch during the month
    EXEMPT = "exempt"                # miễn công tác và sinh hoạt đảng for the whole month
    SUSPENDED = "suspended"          # đình chỉ sinh hoạt đảng for the whole month


STATUS_LABELS = {
    MonthStatus.OPEN: "",
    MonthStatus.FUTURE: N_("This month has not come yet."),
    MonthStatus.NOT_IN_BRANCH: N_("Not a member of the branch in this month."),
    MonthStatus.EXEMPT: N_("Exempt from Party work and meetings: not rated."),
    MonthStatus.SUSPENDED: N_("Suspended from Party activity: not rated."),
}


def last_day(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def month_status(events: Sequence[MemberEvent], year: int, month: int, today: dt.date) -> MonthStatus:
    """Whether the member can be rated for the month, and if not, why."""
    first, last = dt.date(year, month, 1), last_day(year, month)
    if first > today:
        return MonthStatus.FUTURE
    # The state can only change on an event's date or the day after a period ends.
    days = {first, last}
    for e in events:
        for d in (e.date, e.end_date + dt.timedelta(days=1) if e.end_date else None):
            if d is not None and first < d <= last:
                days.add(d)
    states = [state_on(events, d) for d in sorted(days)]
    if not any(s.in_branch for s in states):
        return MonthStatus.NOT_IN_BRANCH
    if any(s.active for s in states):
        return MonthStatus.OPEN
    if any(s.exempt for s in states):
        return MonthStatus.EXEMPT
    return MonthStatus.SUSPENDED


def check_rating(member: Member, year: int, month: int, today: dt.date) -> list[str]:
    """Problems with rating `member` for the month (empty when it can be rated)."""
    if month not in MONTHS:
        return [_("The month must be between 1 and 12.")]
    status = month_status(member.events, year, month, today)
    if status == MonthStatus.FUTURE:
        return [_("Month {month}/{year} has not come yet: it cannot be rated.").format(month=month, year=year)]
    if status == MonthStatus.NOT_IN_BRANCH:
        return [_("{name} was not a member of the branch in month {month}/{year}.").format(
            name=member.full_name, month=month, year=year)]
    if status == MonthStatus.EXEMPT:
        return [_("{name} was exempt from Party work and meetings in month {month}/{year} and is not rated.").format(
            name=member.full_name, month=month, year=year)]
    if status == MonthStatus.SUSPENDED:
        return [_("{name} was suspended from Party activity in month {month}/{year} and is not rated.").format(
            name=member.full_name, month=month, year=year)]
    return []


# --- attendance (from the meetings area) --------------------------------------------------------

@dataclass(frozen=True)
class MonthAttendance:
    """A member's attendance at the branch's meetings of one month."""

    present: int = 0
    excused: int = 0      # vắng có lý do
    unexcused: int = 0    # vắng không lý do

    @property
    def meetings(self) -> int:
        return self.present + self.excused + self.unexcused

    def short(self) -> str:
        """'2/2': present at / meetings held."""
        return f"{self.present}/{self.meetings}" if self.meetings else ""

    def text(self) -> str:
        return _("Meetings: present {present}, absent with reason {excused}, absent without reason {unexcused}").format(
            present=self.present, excused=self.excused, unexcused=self.unexcused)


def _attendance_by_month(session: Session, year: int) -> dict[tuple[int, int], MonthAttendance]:
    """{(member_id, month): attendance at that month's meetings}, from the meetings' records."""
    from .meetings import attendance_by_month

    return {key: MonthAttendance(present=s.present, excused=s.excused, unexcused=s.unexcused)
            for key, s in attendance_by_month(session, year).items()}


# --- the grid -----------------------------------------------------------------------------------

@dataclass
class Cell:
    level: str = ""
    comment: str = ""


@dataclass
class GridRow:
    member_id: int
    full_name: str
    statuses: list[MonthStatus]                                  # index 0 = January
    cells: dict[int, Cell] = field(default_factory=dict)         # month -> rating
    attendance: dict[int, MonthAttendance] = field(default_factory=dict)

    def cell(self, month: int) -> Cell:
        return self.cells.get(month, Cell())

    def status(self, month: int) -> MonthStatus:
        return self.statuses[month - 1]

    def editable(self, month: int) -> bool:
        return self.status(month) == MonthStatus.OPEN

    @property
    def counts(self) -> Counter:
        return Counter(c.level for c in self.cells.values() if c.level)


@dataclass
class RatingsGrid:
    year: int
    scale: Scale
    rows: list[GridRow]

    def row_of(self, member_id: int) -> int:
        return next((i for i, r in enumerate(self.rows) if r.member_id == member_id), -1)


def _ratings_of_year(session: Session, year: int) -> list[MonthlyRating]:
    return list(session.scalars(select(MonthlyRating).where(MonthlyRating.year == year)))


def ratings_grid(session: Session, year: int, today: dt.date) -> RatingsGrid:
    """Members who belonged to the branch at any time in `year` (Vietnamese name order) × 12 months."""
    ratings = _ratings_of_year(session, year)
    rated_ids = {r.member_id for r in ratings}
    attendance = _attendance_by_month(session, year)
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    rows: dict[int, GridRow] = {}
    members = sorted(all_members(session), key=lambda m: (name_key(m.full_name), m.birth_date or dt.date.min, m.id))
    for m in members:
        if not in_branch_during(m.events, start, end) and m.id not in rated_ids:
            continue
        rows[m.id] = GridRow(
            member_id=m.id, full_name=m.full_name,
            statuses=[month_status(m.events, year, mo, today) for mo in MONTHS],
            attendance={mo: attendance[(m.id, mo)] for mo in MONTHS if (m.id, mo) in attendance},
        )
    for r in ratings:
        if r.member_id in rows:
            rows[r.member_id].cells[r.month] = Cell(r.level, r.comment)
    return RatingsGrid(year=year, scale=current_scale(session), rows=list(rows.values()))


# --- writing ------------------------------------------------------------------------------------

def _member(session: Session, member_id: int) -> Member:
    member = session.get(Member, member_id)
    if member is None:
        raise ValidationError(_("This member no longer exists."))
    return member


def _row(session: Session, member_id: int, year: int, month: int) -> MonthlyRating | None:
    return session.scalar(select(MonthlyRating).where(
        MonthlyRating.member_id == member_id, MonthlyRating.year == year, MonthlyRating.month == month))


def _write(session: Session, member_id: int, year: int, month: int, today: dt.date,
           level: str | None = None, comment: str | None = None) -> Cell:
    member = _member(session, member_id)
    row = _row(session, member_id, year, month)
    new_level = (row.level if row else "") if level is None else level
    new_comment = (row.comment if row else "") if comment is None else nfc(comment)
    clearing = not new_level and not new_comment
    if not clearing:
        # Clearing is always allowed (a rating entered before an exemption was recorded can be removed).
        problems = check_rating(member, year, month, today)
        if new_level and current_scale(session).level(new_level) is None and (row is None or row.level != new_level):
            problems.append(_("Unknown rating level: {code}.").format(code=new_level))
        if len(new_comment) > COMMENT_MAX:
            problems.append(_("The comment is too long (at most {n} characters).").format(n=COMMENT_MAX))
        if problems:
            raise ValidationError(problems)
    if clearing:
        if row is not None:
            session.delete(row)
            session.flush()
        return Cell()
    if row is None:
        row = MonthlyRating(member_id=member_id, year=year, month=month)
        session.add(row)
    row.level, row.comment = new_level, new_comment
    session.flush()
    return Cell(row.level, row.comment)


def set_rating(session: Session, member_id: int, year: int, month: int, level: str, today: dt.date) -> Cell:
    """Rate the member for the month (`level` = a code of the current scale, "" to remove the rating).

    The comment of the month is kept. Raises ValidationError for a future month, a month when the
    member was not in the branch or was exempt or suspended, or an unknown level.
    """
    return _write(session, member_id, year, month, today, level=level)


def set_comment(session: Session, member_id: int, year: int, month: int, comment: str, today: dt.date) -> Cell:
    """Write the comment (nhận xét) of the month; the level is kept. An empty text removes it."""
    return _write(session, member_id, year, month, today, comment=comment)


def set_cell(session: Session, member_id: int, year: int, month: int, cell: Cell, today: dt.date) -> Cell:
    """Put back a whole cell (level and comment), e.g. to undo a change."""
    return _write(session, member_id, year, month, today, level=cell.level, comment=cell.comment)


def previous_month(year: int, month: int) -> tuple[int, int]:
    return (year, month - 1) if month > 1 else (year - 1, 12)


def copy_previous_month(session: Session, year: int, month: int, today: dt.date, dry_run: bool = False) -> int:
    """Give every member not yet rated for the month the level they had the month before.

    Only empty cells of members who can be rated are filled; nothing is overwritten. Returns how
    many members were (or, with `dry_run`, would be) rated.
    """
    py, pm = previous_month(year, month)
    source = {r.member_id: r.level for r in session.scalars(select(MonthlyRating).where(
        MonthlyRating.year == py, MonthlyRating.month == pm)) if r.level}
    if not source:
        return 0
    target = {r.member_id: r for r in session.scalars(select(MonthlyRating).where(
        MonthlyRating.year == year, MonthlyRating.month == month))}
    scale = current_scale(session)
    count = 0
    for m in all_members(session):
        level = source.get(m.id)
        if not level or scale.level(level) is None:
            continue
        existing = target.get(m.id)
        if existing is not None and existing.level:
            continue
        if month_status(m.events, year, month, today) != MonthStatus.OPEN:
            continue
        count += 1
        if dry_run:
            continue
        if existing is None:
            session.add(MonthlyRating(member_id=m.id, year=year, month=month, level=level, comment=""))
        else:
            existing.level = level
    session.flush()
    return count


# --- for the year-end review --------------------------------------------------------------------

def monthly_ratings(session: Session, member_id: int, year: int) -> dict[int, str]:
    """{month: level code} of the member's rated months in `year` (months without a level are left out)."""
    rows = session.scalars(select(MonthlyRating).where(
        MonthlyRating.member_id == member_id, MonthlyRating.year == year))
    return {r.month: r.level for r in rows if r.level}


def ratings_summary(session: Session, year: int) -> dict[int, Counter]:
    """{member_id: Counter(level code -> number of months)} for every member rated at least once in `year`."""
    out: dict[int, Counter] = {}
    for r in _ratings_of_year(session, year):
        if r.level:
            out.setdefault(r.member_id, Counter())[r.level] += 1
    return out


# --- demo ---------------------------------------------------------------------------------------

DEMO_COMMENTS = {
    "HTXSNV": ["Hoàn thành xuất sắc nhiệm vụ chuyên môn, chủ động tham mưu nhiều việc.",
               "Tích cực, gương mẫu; hoàn thành vượt tiến độ các việc được giao."],
    "HTNV": ["Còn chậm tiến độ một số việc được giao.", "Cần chủ động hơn trong công việc."],
    "KHTNV": ["Bị kỷ luật khiển trách trong tháng."],
}


def demo_ratings(session: Session, rng, year: int, today: dt.date) -> None:
    """Monthly ratings from January of `year` up to the last month that has begun (at most the next year):
    mostly HTTNV, a few members often HTXSNV, occasional HTNV; the member disciplined in the year is
    rated KHTNV in the discipline month and HTNV after; leave months carry a comment; exempt members
    are not rated."""
    import random

    from models import EventKind
    from models.member import DisciplineForm

    rng = random.Random(rng.random())
    scale = current_scale(session)
    codes = {lv.code for lv in scale.levels}
    if not {"HTXSNV", "HTTNV", "HTNV", "KHTNV"} <= codes:
        return
    members = sorted(all_members(session), key=lambda m: m.id)
    strong = {m.id for m in rng.sample(members, k=min(4, len(members)))}
    months = [(y, mo) for y in (year, year + 1) for mo in MONTHS if dt.date(y, mo, 1) <= today]
    for m in members:
        discipline = [e.date for e in m.events if e.kind == EventKind.DISCIPLINE
                      and e.form != DisciplineForm.EXPULSION]
        for y, mo in months:
            if month_status(m.events, y, mo, today) != MonthStatus.OPEN:
                continue
            st = state_on(m.events, last_day(y, mo))
            comment = ""
            if st.maternity_leave or st.sick_leave:
                session.add(MonthlyRating(member_id=m.id, year=y, month=mo, level="",
                                          comment="Nghỉ thai sản." if st.maternity_leave else "Nghỉ ốm dài ngày."))
                continue
            disc_here = [d for d in discipline if (d.year, d.month) == (y, mo)]
            disc_before = [d for d in discipline if (d.year, d.month) < (y, mo) and d.year == y]
            roll = rng.random()
            if disc_here:
                level = "KHTNV"
            elif disc_before:
                level = "HTNV"
            elif m.id in strong:
                level = "HTXSNV" if roll < 0.55 else "HTTNV"
            else:
                level = "HTXSNV" if roll < 0.04 else ("HTNV" if roll > 0.93 else "HTTNV")
            if level != "HTTNV" and rng.random() < 0.6:
                comment = rng.choice(DEMO_COMMENTS[level])
            session.add(MonthlyRating(member_id=m.id, year=y, month=mo, level=level, comment=comment))
    session.flush()
