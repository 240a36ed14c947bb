"""Điểm danh: who is expected at a meeting, the counts the minutes state, validity and quality.

Everything here is computed from the member register (`services.membership.state_on`) and the
attendance rows when asked; nothing derived is stored. A `YearBook` loads one year's meetings and
the members once and answers every question about them.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import extract, select
from sqlalchemy.orm import Session, selectinload

from models import Attendance, AttendanceStatus, Meeting, MeetingKind, Member

from .. import settings
from ..errors import ValidationError
from ..i18n import N_, _, format_date
from ..members import all_members
from ..membership import Status, state_on
from ..vntext import name_key, nfc
from .rules import QUORUM_SHARE, rules_on

LEAVE_REASONS = {
    "sick_leave": N_("Long sick leave"),
    "maternity_leave": N_("Maternity leave"),
}


@dataclass(frozen=True)
class RosterRow:
    """A member expected at the meeting, with what was recorded (status None: not yet recorded)."""

    member_id: int
    full_name: str
    member_status: Status | None     # chính thức / dự bị on the meeting date
    position: str
    status: str | None
    reason: str
    leave: str                       # "Nghỉ thai sản"… when on leave that day, else ""

    @property
    def is_full(self) -> bool:
        return self.member_status == Status.FULL


@dataclass(frozen=True)
class ApartRow:
    """A member of the branch not expected that day (exempt or suspended): listed apart."""

    member_id: int
    full_name: str
    member_status: Status | None
    why: str                         # "exempt" | "suspended"


@dataclass
class Roster:
    meeting_id: int
    date: dt.date
    expected: list[RosterRow]
    exempt: list[ApartRow]
    suspended: list[ApartRow]
    # member id -> row, built on first use: a year's attendance asks for every member at every meeting
    _by_member: dict[int, RosterRow] | None = field(default=None, init=False, repr=False, compare=False)

    def row(self, member_id: int) -> RosterRow | None:
        if self._by_member is None:
            self._by_member = {r.member_id: r for r in self.expected}
        return self._by_member.get(member_id)


@dataclass(frozen=True)
class Tally:
    """Counts as the minutes state them."""

    total: int            # tổng số đảng viên of the branch that day
    full: int             # of whom chính thức
    probationary: int     # of whom dự bị
    exempt: int           # miễn công tác và sinh hoạt đảng
    suspended: int        # đình chỉ sinh hoạt
    expected: int         # phải dự sinh hoạt = total - exempt - suspended
    present: int
    excused: int          # vắng có lý do
    unexcused: int        # vắng không lý do
    unrecorded: int       # chưa điểm danh
    full_expected: int    # chính thức expected (the vote base 'all_full')
    full_present: int     # chính thức present: those entitled to vote

    @property
    def absent(self) -> int:
        return self.excused + self.unexcused

    @property
    def attendance_pct(self) -> float | None:
        return 100.0 * self.present / self.expected if self.expected else None

    def quorum(self, share: float) -> int:
        """The smallest number present that is more than `share` of those expected."""
        return int(share * self.expected) + 1

    def valid(self, share: float) -> bool:
        return self.expected > 0 and self.present >= self.quorum(share)


@dataclass(frozen=True)
class Quality:
    """The meeting against the quality criteria in force on its date (HD 12/2018)."""

    source: str
    attendance_pct: float | None
    attendance_above: float
    attendance_ok: bool
    unexcused_ok: bool
    streak_limit: int
    long_streaks: list[tuple[str, int]]   # (name, excused absences in a row up to this meeting)

    @property
    def streak_ok(self) -> bool:
        return not self.long_streaks

    @property
    def ok(self) -> bool:
        return self.attendance_ok and self.unexcused_ok and self.streak_ok


@dataclass(frozen=True)
class AttendanceSummary:
    """A member's attendance over some meetings (a month, a year)."""

    meetings: int = 0      # meetings the member was expected at
    present: int = 0
    excused: int = 0
    unexcused: int = 0
    unrecorded: int = 0

    @property
    def absent(self) -> int:
        return self.excused + self.unexcused

    def add(self, status: str | None) -> AttendanceSummary:
        return AttendanceSummary(
            self.meetings + 1,
            self.present + (status == AttendanceStatus.PRESENT),
            self.excused + (status == AttendanceStatus.EXCUSED),
            self.unexcused + (status == AttendanceStatus.UNEXCUSED),
            self.unrecorded + (status is None),
        )


@dataclass(frozen=True)
class Absence:
    meeting_id: int
    date: dt.date
    kind: str
    status: str
    reason: str


@dataclass(frozen=True)
class MemberYearAttendance:
    """What the year-end review needs about one member's attendance."""

    member_id: int
    year: int
    summary: AttendanceSummary
    absences: list[Absence] = field(default_factory=list)
    unexcused_months: list[int] = field(default_factory=list)  # months with an absence without reason
    longest_excused_streak: int = 0


def has_thematic_part(meeting: Meeting) -> bool:
    """A thematic meeting, or a regular meeting held together with a thematic part."""
    return meeting.kind == MeetingKind.THEMATIC or (meeting.kind == MeetingKind.REGULAR and bool(meeting.topic))


def roster_from(members: Iterable[Member], meeting: Meeting) -> Roster:
    """The roster of a meeting from members whose events are loaded."""
    recorded = {a.member_id: a for a in meeting.attendance}
    expected: list[RosterRow] = []
    exempt: list[ApartRow] = []
    suspended: list[ApartRow] = []
    for m in members:
        st = state_on(m.events, meeting.date)
        if not st.in_branch:
            continue
        if st.exempt or st.suspended:
            row = ApartRow(m.id, m.full_name, st.status, "exempt" if st.exempt else "suspended")
            (exempt if st.exempt else suspended).append(row)
            continue
        a = recorded.get(m.id)
        leave = "sick_leave" if st.sick_leave else "maternity_leave" if st.maternity_leave else ""
        expected.append(RosterRow(
            m.id, m.full_name, st.status, m.position,
            a.status if a else None, a.reason if a else "",
            _(LEAVE_REASONS[leave]) if leave else "",
        ))
    key = lambda r: (name_key(r.full_name), r.member_id)  # noqa: E731
    return Roster(meeting.id, meeting.date, sorted(expected, key=key), sorted(exempt, key=key),
                  sorted(suspended, key=key))


def tally_of(roster: Roster) -> Tally:
    rows = roster.expected
    apart = roster.exempt + roster.suspended
    statuses = [r.member_status for r in rows] + [r.member_status for r in apart]
    full = sum(1 for s in statuses if s == Status.FULL)
    present = [r for r in rows if r.status == AttendanceStatus.PRESENT]
    return Tally(
        total=len(rows) + len(apart),
        full=full,
        probationary=len(statuses) - full,
        exempt=len(roster.exempt),
        suspended=len(roster.suspended),
        expected=len(rows),
        present=len(present),
        excused=sum(1 for r in rows if r.status == AttendanceStatus.EXCUSED),
        unexcused=sum(1 for r in rows if r.status == AttendanceStatus.UNEXCUSED),
        unrecorded=sum(1 for r in rows if r.status is None),
        full_expected=sum(1 for r in rows if r.is_full),
        full_present=sum(1 for r in present if r.is_full),
    )


def load_meetings(session: Session, year: int | None = None, records: bool = True) -> list[Meeting]:
    """Meetings (of one year, or all) in date order; with `records`, attendance, resolutions and
    amendments are loaded with them (reminders that only need dates and kinds leave them out)."""
    q = select(Meeting)
    if records:
        q = q.options(selectinload(Meeting.attendance), selectinload(Meeting.resolutions),
                      selectinload(Meeting.amendments))
    if year is not None:
        q = q.where(extract("year", Meeting.date) == year)
    return sorted(session.scalars(q), key=lambda m: (m.date, m.id))


class YearBook:
    """One year's meetings with the register, loaded once; rosters and tallies computed on demand."""

    def __init__(self, session: Session, year: int, members: Sequence[Member] | None = None):
        self.session = session
        self.year = year
        self.meetings = load_meetings(session, year)
        self.members = list(members) if members is not None else all_members(session)
        self._rosters: dict[int, Roster] = {}

    def meeting(self, meeting_id: int) -> Meeting | None:
        return next((m for m in self.meetings if m.id == meeting_id), None)

    def roster(self, meeting: Meeting) -> Roster:
        if meeting.id not in self._rosters:
            self._rosters[meeting.id] = roster_from(self.members, meeting)
        return self._rosters[meeting.id]

    def tally(self, meeting: Meeting) -> Tally:
        return tally_of(self.roster(meeting))

    def excused_streak(self, member_id: int, meeting: Meeting) -> int:
        """Absences with reason in a row, ending at `meeting`, over the year's meetings the member was expected at."""
        streak = 0
        for m in self.meetings:
            row = self.roster(m).row(member_id)
            if row is not None:
                streak = streak + 1 if row.status == AttendanceStatus.EXCUSED else 0
            if m.id == meeting.id:
                return streak
        return 0

    def quality(self, meeting: Meeting) -> Quality | None:
        rules = rules_on(meeting.date)
        if rules is None or rules.quality is None:
            return None
        q = rules.quality
        tally = self.tally(meeting)
        pct = tally.attendance_pct
        streaks = []
        for row in self.roster(meeting).expected:
            if row.status == AttendanceStatus.EXCUSED:
                n = self.excused_streak(row.member_id, meeting)
                if n > q.max_excused_in_a_row:
                    streaks.append((row.full_name, n))
        return Quality(
            source=rules.quality_source,
            attendance_pct=pct,
            attendance_above=q.attendance_above_pct,
            attendance_ok=pct is not None and pct > q.attendance_above_pct,
            unexcused_ok=tally.unexcused <= q.max_unexcused,
            streak_limit=q.max_excused_in_a_row,
            long_streaks=streaks,
        )

    def member_year(self, member_id: int, until: dt.date | None = None) -> MemberYearAttendance:
        summary = AttendanceSummary()
        absences: list[Absence] = []
        months: set[int] = set()
        streak = longest = 0
        for m in self.meetings:
            if until is not None and m.date > until:
                break
            row = self.roster(m).row(member_id)
            if row is None:
                continue
            summary = summary.add(row.status)
            if row.status in (AttendanceStatus.EXCUSED, AttendanceStatus.UNEXCUSED):
                absences.append(Absence(m.id, m.date, m.kind, row.status, row.reason))
            if row.status == AttendanceStatus.UNEXCUSED:
                months.add(m.date.month)
            streak = streak + 1 if row.status == AttendanceStatus.EXCUSED else 0
            longest = max(longest, streak)
        return MemberYearAttendance(member_id, self.year, summary, absences, sorted(months), longest)


# --- what other areas call ----------------------------------------------------------------------

def attendance_by_month(session: Session, year: int,
                        kinds: Iterable[str] | None = None) -> dict[tuple[int, int], AttendanceSummary]:
    """(member_id, month) -> the member's attendance at that month's meetings of `year`.

    Only months in which the member was expected at a meeting appear (exempt and suspended members,
    and members not in the branch, have no entry). `kinds` limits the meetings counted (default: all).
    """
    book = YearBook(session, year)
    wanted = set(kinds) if kinds is not None else None
    out: dict[tuple[int, int], AttendanceSummary] = {}
    for m in book.meetings:
        if wanted is not None and m.kind not in wanted:
            continue
        for row in book.roster(m).expected:
            key = (row.member_id, m.date.month)
            out[key] = out.get(key, AttendanceSummary()).add(row.status)
    return out


def attendance_for_year(session: Session, member_id: int, year: int) -> MemberYearAttendance:
    """A member's attendance over the year's meetings: counts, each absence, months without reason."""
    return YearBook(session, year).member_year(member_id)


# --- recording ---------------------------------------------------------------------------------

def get_meeting(session: Session, meeting_id: int) -> Meeting:
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise ValidationError(_("This meeting no longer exists."))
    return meeting


def editable_meeting(session: Session, meeting_id: int) -> Meeting:
    """The meeting, refused once its minutes are finalised (corrections go through an amendment)."""
    meeting = get_meeting(session, meeting_id)
    if meeting.finalized_at is not None:
        raise ValidationError(_("The minutes of this meeting are finalised; correct them with an amendment."))
    return meeting


def roster(session: Session, meeting_id: int) -> Roster:
    return roster_from(all_members(session), get_meeting(session, meeting_id))


def set_attendance(session: Session, meeting_id: int, member_id: int, status: str | None,
                   reason: str = "") -> None:
    """Record one member's attendance (status None clears it). Only members expected that day."""
    meeting = editable_meeting(session, meeting_id)
    member = session.get(Member, member_id)
    if member is None:
        raise ValidationError(_("This member no longer exists."))
    st = state_on(member.events, meeting.date)
    if not st.in_branch:
        raise ValidationError(_("On {date} {name} was not a member of the branch.").format(
            date=format_date(meeting.date), name=member.full_name))
    if st.exempt or st.suspended:
        raise ValidationError(_("{name} is exempt from or suspended from Party activity on {date} and is not "
                                "counted at this meeting.").format(name=member.full_name,
                                                                   date=format_date(meeting.date)))
    if status is not None and status not in set(AttendanceStatus):
        raise ValidationError(_("Unknown attendance status."))
    row = next((a for a in meeting.attendance if a.member_id == member_id), None)
    if status is None:
        if row is not None:
            meeting.attendance.remove(row)
        session.flush()
        return
    reason = "" if status == AttendanceStatus.PRESENT else nfc(reason)
    if row is None:
        meeting.attendance.append(Attendance(member_id=member_id, status=status, reason=reason))
    else:
        row.status, row.reason = status, reason
    session.flush()


def mark_all_present(session: Session, meeting_id: int) -> int:
    """"Tất cả có mặt": every member not yet recorded is marked present, except members on sick or
    maternity leave that day, who are marked absent with that reason. Returns how many were marked."""
    meeting = editable_meeting(session, meeting_id)
    r = roster_from(all_members(session), meeting)
    count = 0
    for row in r.expected:
        if row.status is not None:
            continue
        if row.leave:
            meeting.attendance.append(Attendance(member_id=row.member_id, status=AttendanceStatus.EXCUSED,
                                                 reason=row.leave))
        else:
            meeting.attendance.append(Attendance(member_id=row.member_id, status=AttendanceStatus.PRESENT,
                                                 reason=""))
        count += 1
    session.flush()
    return count


def drop_stale_attendance(session: Session, meeting: Meeting) -> list[str]:
    """After a date change: remove rows of members not expected on the new date. Returns their names."""
    r = roster_from(all_members(session), meeting)
    expected = {row.member_id for row in r.expected}
    names = []
    for a in list(meeting.attendance):
        if a.member_id not in expected:
            member = session.get(Member, a.member_id)
            names.append(member.full_name if member else "?")
            meeting.attendance.remove(a)
    session.flush()
    return names


def quorum_share(session: Session) -> float:
    return settings.get(session, QUORUM_SHARE.key)


def year_statistics(session: Session, year: int) -> dict:
    """What the committee needs of a branch's meetings in a year (the exchange file's `meetings`):
    meetings held by kind, the average attendance (% of those expected, over meetings with any
    expected), and the uids of members absent without reason in three or more months."""
    from .reminders import removal_rule

    book = YearBook(session, year)
    held: dict[str, int] = {}
    pcts = []
    for meeting in book.meetings:
        held[meeting.kind] = held.get(meeting.kind, 0) + 1
        pct = book.tally(meeting).attendance_pct
        if pct is not None:
            pcts.append(pct)
    rule = removal_rule()
    three = [m.uid for m in book.members if rule.applies(book.member_year(m.id).unexcused_months)]
    return {"held": held, "average_attendance": round(sum(pcts) / len(pcts), 2) if pcts else None,
            "three_unexcused": three}
