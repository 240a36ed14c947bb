"""Read models of the meetings page and its dialogs: plain values, computed when asked.

    meeting_view(session, meeting_id) -> MeetingView       everything the page shows of one meeting
    opening_year(session, year) -> int                      the year the page opens on
    meeting_year(session, meeting_id) -> int
    suggested_date(session, year, today) -> date            the date a new meeting starts with
    meeting_form(session, meeting_id, year, today) -> MeetingForm
    resolution_form(session, meeting_id, resolution_id) -> ResolutionForm
    amendment_form(session, meeting_id, user) -> AmendmentForm
    minutes_preview(session, meeting_id) -> str             the minutes as HTML, as they print
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from ..branch import get_branch
from ..members import register
from ..membership import add_months
from . import printing
from .attendance import Quality, Roster, Tally, YearBook, get_meeting, quorum_share
from .records import (
    MeetingInput,
    ResolutionInput,
    adopted,
    duration_warning,
    input_of,
    meetings_of_year,
    minutes_title,
    printed_number,
    resolution_input_of,
    section_label,
    sections_of,
    speakers_text,
    suggested_input,
    years_with_meetings,
)
from .rules import VOTE_KINDS, VoteRule, vote_rule


@dataclass(frozen=True)
class ResolutionView:
    id: int
    text: str
    in_favour: int
    against: int
    other: int
    other_opinions: str
    adopted: bool


@dataclass(frozen=True)
class AmendmentView:
    date: dt.date
    made_by: str
    reason: str
    changes: tuple[dict[str, Any], ...]    # {"key", "title", "old", "new"} per section changed


@dataclass(frozen=True)
class MeetingView:
    """One meeting as the page shows it: details, attendance and its counts, minutes, votes, amendments."""

    id: int
    date: dt.date
    kind: str
    topic: str
    start_time: dt.time | None
    end_time: dt.time | None
    place: str
    guests: str
    representative: str                # of the superior committee
    secretary_name: str
    title: str                         # "Sinh hoạt chi bộ thường kỳ tháng 5 năm 2025"
    number: str                        # "Số 05-BB/CB" (a draft has only the room for it)
    finalized_at: dt.datetime | None
    finalized_by: str
    roster: Roster
    tally: Tally
    quality: Quality | None
    quorum_share: float
    duration_warning: str | None
    sections: tuple[dict[str, Any], ...]
    notes: dict[str, str]              # "speakers" (one a line), "conclusion": stored on the meeting
    attendance_lines: tuple[str, ...]  # the attendance report as the minutes state it
    resolution_lines: tuple[str, ...]  # the votes as the minutes state them
    resolutions: tuple[ResolutionView, ...]
    amendments: tuple[AmendmentView, ...]

    @property
    def finalized(self) -> bool:
        return self.finalized_at is not None

    @property
    def voters(self) -> int:
        """Full members present: those who vote."""
        return self.tally.full_present


def meeting_view(session: Session, meeting_id: int) -> MeetingView:
    meeting = get_meeting(session, meeting_id)
    book = YearBook(session, meeting.date.year)
    m = book.meeting(meeting_id) or meeting
    roster, tally = book.roster(m), book.tally(m)
    share = quorum_share(session)
    return MeetingView(
        id=m.id, date=m.date, kind=m.kind, topic=m.topic, start_time=m.start_time, end_time=m.end_time,
        place=m.place, guests=m.guests, representative=m.representative or "", secretary_name=m.secretary_name,
        title=minutes_title(m), number=printed_number(session, m), finalized_at=m.finalized_at, finalized_by=m.finalized_by or "",
        roster=roster, tally=tally, quality=book.quality(m), quorum_share=share,
        duration_warning=duration_warning(input_of(m)),
        sections=tuple(dict(s) for s in sections_of(m)),
        notes={"speakers": speakers_text(m.speakers), "conclusion": m.conclusion or ""},
        attendance_lines=tuple(printing.attendance_lines(roster, tally, share, printing.temporary_names(m))),
        resolution_lines=tuple(text for _kind, text in printing.resolution_lines(session, m, tally)),
        resolutions=tuple(ResolutionView(r.id, r.text, r.in_favour, r.against, r.other, r.other_opinions,
                                         adopted(session, tally, r.in_favour, r.kind or "resolution"))
                          for r in m.resolutions),
        amendments=tuple(AmendmentView(a.date, a.made_by, a.reason, tuple(dict(c) for c in (a.changes or [])))
                         for a in m.amendments),
    )


def opening_year(session: Session, year: int) -> int:
    """The year the meetings page opens on: `year` (this year), or the last year with meetings when
    this one has none yet and they are all before it."""
    years = years_with_meetings(session)
    if years and year not in years and years[-1] < year:
        return years[-1]
    return year


def meeting_year(session: Session, meeting_id: int) -> int:
    return get_meeting(session, meeting_id).date.year


def suggested_date(session: Session, year: int, today: dt.date) -> dt.date:
    """The date a new meeting of `year` starts with: a month after the year's last regular meeting (not
    after today); today, or 5 January of a past year, when the year has none yet."""
    regular = [s for s in meetings_of_year(session, year) if s.kind == "regular"]
    if regular:
        return min(add_months(regular[-1].date, 1), max(today, regular[-1].date))
    return today if year >= today.year else today.replace(year=year, month=1, day=5)


@dataclass(frozen=True)
class MeetingForm:
    """What the meeting dialog starts with: the members' names to choose from and the details."""

    names: tuple[str, ...]
    data: MeetingInput


def meeting_form(session: Session, meeting_id: int | None, year: int, today: dt.date) -> MeetingForm:
    names = tuple(r.full_name for r in register(session, today) if r.state.in_branch)
    if meeting_id:
        data = input_of(get_meeting(session, meeting_id))
    else:
        data = suggested_input(session, "regular", suggested_date(session, year, today))
    return MeetingForm(names, data)


@dataclass(frozen=True)
class ResolutionForm:
    voters: int            # full members present
    text: str
    in_favour: int
    against: int
    other: int
    other_opinions: str
    kind: str                          # what the vote is on (rules.VOTE_KINDS)
    rules: dict[str, VoteRule]         # the rule of each kind of vote
    tally: Tally                       # the meeting's attendance, which the rules count against
    seen: ResolutionInput | None = None  # the stored vote shown (None: a new one); a save over a change
                                         # made elsewhere since is refused


def resolution_form(session: Session, meeting_id: int, resolution_id: int | None) -> ResolutionForm:
    """A vote to edit, or a new one with every voter in favour."""
    meeting = get_meeting(session, meeting_id)
    tally = YearBook(session, meeting.date.year).tally(meeting)
    voters = tally.full_present
    rules = {k: vote_rule(session, k) for k in VOTE_KINDS}
    existing = next((r for r in meeting.resolutions if r.id == resolution_id), None)
    if existing is None:
        return ResolutionForm(voters, "", voters, 0, 0, "", "resolution", rules, tally)
    seen = resolution_input_of(existing)
    return ResolutionForm(voters, seen.text, seen.in_favour, seen.against, seen.other, seen.other_opinions,
                          seen.kind, rules, tally, seen)


@dataclass(frozen=True)
class AmendmentForm:
    meeting_date: dt.date
    original: dict[str, str]                  # section key -> text as finalised (or last amended)
    labels: tuple[tuple[str, str], ...]       # (section key, heading) in the minutes' order
    made_by: str                              # who amends, by default


def amendment_form(session: Session, meeting_id: int, user: str = "") -> AmendmentForm:
    meeting = get_meeting(session, meeting_id)
    branch = get_branch(session)
    sections = sections_of(meeting)
    return AmendmentForm(
        meeting.date, {s["key"]: s.get("text", "") for s in sections},
        tuple((s["key"], section_label(meeting, s["key"])) for s in sections),
        user or (branch.secretary if branch else ""))


def minutes_preview(session: Session, meeting_id: int) -> str:
    """The minutes as HTML, the same document that prints."""
    return printing.minutes_html(printing.minutes_document(session, meeting_id))
