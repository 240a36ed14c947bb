"""Reminders about branch meetings, computed from the records when the home screen asks.

Which periods are looked at: a month or quarter is only judged once it has ended (the current quarter
also in its last days, so there is still time to hold the thematic meeting), from the month of the
first meeting recorded in the program on (a branch that starts using the program in October is not
told about January), and only in the current year — plus, in January, last December and last year's
fourth quarter. Minutes not yet finalised are reminded whatever their age.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import MeetingKind

from ..i18n import _, format_date
from ..membership import state_on
from ..reminders import Reminder, rule
from .attendance import YearBook, has_thematic_part, load_meetings
from .records import ROMAN
from .rules import removal_rule

QUARTER_WARNING_DAYS = 15     # the current quarter is reminded this many days before its end
OLD_DRAFT_DAYS = 30           # unfinalised minutes older than this are shown as a warning
GRACE_DAYS = 31               # last year's December / fourth quarter stay visible this long


def _first_meeting_date(session: Session) -> dt.date | None:
    from models import Meeting

    return session.scalar(select(func.min(Meeting.date)))


def _month_end(year: int, month: int) -> dt.date:
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def _in_view(period_end: dt.date, today: dt.date) -> bool:
    return period_end.year == today.year or 0 <= (today - period_end).days <= GRACE_DAYS


@rule("meetings_unexcused_absences")
def unexcused_absences(session: Session, today: dt.date) -> list[Reminder]:
    """A member absent without reason in 3 months of the year: the Charter's ground for the branch to
    consider removal (QĐ 24 §8.1). The program only reminds; it never acts."""
    rule_ = removal_rule()
    years = [today.year - 1, today.year] if (today - dt.date(today.year, 1, 1)).days < GRACE_DAYS else [today.year]
    out = []
    for year in years:
        book = YearBook(session, year)
        if not book.meetings:
            continue
        for m in book.members:
            if not state_on(m.events, today).in_branch:
                continue
            record = book.member_year(m.id, until=today)
            if rule_.applies(record.unexcused_months):
                dates = [format_date(a.date) for a in record.absences if a.status == "unexcused"]
                out.append(Reminder("meetings_unexcused_absences", _(
                    "{name} has been absent without reason in {count} months of {year} ({dates}). The Party "
                    "Charter asks the branch to consider removal from the rolls; talk with the member first."
                ).format(name=m.full_name, count=len(record.unexcused_months), year=year,
                         dates=", ".join(dates)), "warning", "members", m.id))
    return out


@rule("meetings_no_thematic")
def quarter_without_thematic(session: Session, today: dt.date) -> list[Reminder]:
    """Quarters with no thematic meeting (nor a regular meeting with a thematic part): one reminder for
    the ended quarters of a year, one for the current quarter in its last days."""
    first = _first_meeting_date(session)
    if first is None:
        return []
    out = []
    meetings = [m for m in load_meetings(session, None, records=False) if m.date.year >= today.year - 1]
    for year in (today.year - 1, today.year):
        missed = []
        for q in range(1, 5):
            start = dt.date(year, 3 * q - 2, 1)
            end = _month_end(year, 3 * q)
            if end < dt.date(first.year, first.month, 1) or start > today:
                continue
            if any(start <= m.date <= end and has_thematic_part(m) for m in meetings):
                continue
            days_left = (end - today).days
            if days_left < 0 and _in_view(end, today):
                missed.append(ROMAN[q])
            elif 0 <= days_left <= QUARTER_WARNING_DAYS:
                out.append(Reminder("meetings_no_thematic", _(
                    "Quarter {q} of {year} ends in {days} days and the branch has not held its thematic meeting yet."
                ).format(q=ROMAN[q], year=year, days=days_left), "info", "meetings"))
        if missed:
            out.append(Reminder("meetings_no_thematic", _(
                "No thematic meeting is recorded in quarter {quarters} of {year} (at least one a quarter)."
            ).format(quarters=", ".join(missed), year=year), "warning", "meetings"))
    return out


@rule("meetings_month_without_meeting")
def month_without_meeting(session: Session, today: dt.date) -> list[Reminder]:
    """Ended months with no regular meeting recorded (a thematic meeting does not replace it):
    one reminder per year listing the months."""
    first = _first_meeting_date(session)
    if first is None:
        return []
    meetings = [m for m in load_meetings(session, None, records=False) if m.date.year >= today.year - 1]
    held = {(m.date.year, m.date.month) for m in meetings if m.kind == MeetingKind.REGULAR}
    out = []
    for year in (today.year - 1, today.year):
        missed = []
        for month in range(1, 13):
            end = _month_end(year, month)
            if end >= today or not _in_view(end, today) or (year, month) < (first.year, first.month):
                continue
            if (year, month) not in held:
                missed.append(f"{month:02d}")
        if missed:
            out.append(Reminder("meetings_month_without_meeting", _(
                "No regular branch meeting is recorded for month {months} of {year}."
            ).format(months=", ".join(missed), year=year), "warning", "meetings"))
    return out


@rule("meetings_not_finalised")
def minutes_not_finalised(session: Session, today: dt.date) -> list[Reminder]:
    """Minutes of a meeting already held that are not finalised yet."""
    out = []
    for m in load_meetings(session, None, records=False):
        if m.finalized_at is not None or m.date >= today:
            continue
        old = (today - m.date).days > OLD_DRAFT_DAYS
        out.append(Reminder("meetings_not_finalised", _(
            "The minutes of the meeting of {date} are not finalised yet."
        ).format(date=format_date(m.date)), "warning" if old else "info", "meetings", m.id))
    return out
