"""The branch meeting that held the year-end review (cuộc họp chi bộ kiểm điểm, đánh giá, xếp loại).

The minutes of the review take their date, times, place, chair, minute-taker and attendance from this
meeting, as recorded in the meetings area; the votes recorded in the review are checked against the
full members present at it, the only ones entitled to vote. The branch also votes on its collective
report and on the level it proposes for itself; those two votes are kept with the year.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from models import Meeting, ReviewYear

from ..errors import ChangedElsewhereError, ValidationError
from ..i18n import _, format_date
from ..meetings.attendance import Roster, Tally, YearBook
from .service import BRANCH_CHANGED_ELSEWHERE, BranchReview, branch_review, ensure_open, year_review

VOTE_TOPICS = ("report", "level")   # the collective report; the level the branch proposes for itself


@dataclass(frozen=True)
class Vote:
    votes_for: int
    against: int = 0
    other: int = 0

    @property
    def cast(self) -> int:
        return self.votes_for + self.against + self.other


@dataclass(frozen=True)
class ReviewMeeting:
    """The review meeting with what the minutes state: who was expected, present, absent."""

    meeting: Meeting
    roster: Roster
    tally: Tally

    @property
    def voters(self) -> int:
        """Full members present: those entitled to vote."""
        return self.tally.full_present


def review_meeting(session: Session, year: int) -> ReviewMeeting | None:
    """The meeting recorded as the review of ``year`` (None when none is chosen)."""
    row = session.get(ReviewYear, year)
    if row is None or row.meeting_id is None:
        return None
    book = YearBook(session, year)
    meeting = book.meeting(row.meeting_id)
    if meeting is None:
        return None
    return ReviewMeeting(meeting, book.roster(meeting), book.tally(meeting))


def voters_at(session: Session, meeting_id: int) -> int | None:
    """The full members present at a meeting (None when it no longer exists)."""
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        return None
    book = YearBook(session, meeting.date.year)
    found = book.meeting(meeting_id)
    return book.tally(found).full_present if found is not None else None


def candidate_meetings(session: Session, year: int) -> list[Meeting]:
    """The meetings of ``year`` one of which may be recorded as the review meeting, latest first."""
    return list(reversed(YearBook(session, year).meetings))


def set_review_meeting(session: Session, year: int, meeting_id: int | None) -> None:
    """Record which meeting held the review of ``year`` (None: none)."""
    ensure_open(session, year)
    if meeting_id is not None:
        meeting = session.get(Meeting, meeting_id)
        if meeting is None:
            raise ValidationError(_("This meeting no longer exists."))
        if meeting.date.year != year:
            raise ValidationError(_("The review of {year} is held at a meeting of {year}, not of {date}.").format(
                year=year, date=format_date(meeting.date)))
    row = session.get(ReviewYear, year) or ReviewYear(year=year)
    session.add(row)
    row.meeting_id = meeting_id
    session.flush()


def collective_votes(session: Session, year: int) -> dict[str, Vote]:
    row = session.get(ReviewYear, year)
    out = {}
    for topic, v in ((row.collective_votes or {}) if row else {}).items():
        if topic in VOTE_TOPICS and isinstance(v, dict):
            out[topic] = Vote(int(v.get("for", 0)), int(v.get("against", 0)), int(v.get("other", 0)))
    return out


def set_collective_votes(session: Session, year: int, votes: dict[str, Vote | None]) -> None:
    """The branch's votes on its collective report and its proposed level, checked against the full
    members present at the review meeting."""
    ensure_open(session, year)
    rm = review_meeting(session, year)
    problems = []
    for topic, vote in votes.items():
        if topic not in VOTE_TOPICS:
            raise ValueError(topic)
        if vote is None:
            continue
        if min(vote.votes_for, vote.against, vote.other) < 0:
            problems.append(_("Vote counts cannot be negative."))
        if rm is not None and vote.cast > rm.voters:
            problems.append(_("{cast} votes were counted but only {voters} full members were present at the review "
                              "meeting; only full members vote.").format(cast=vote.cast, voters=rm.voters))
    if problems:
        raise ValidationError(problems)
    row = session.get(ReviewYear, year) or ReviewYear(year=year)
    session.add(row)
    stored = dict(row.collective_votes or {})
    for topic, vote in votes.items():
        if vote is None:
            stored.pop(topic, None)
        else:
            stored[topic] = {"for": vote.votes_for, "against": vote.against, "other": vote.other}
    row.collective_votes = stored
    session.flush()


def vote_problems(session: Session, year: int) -> list[str]:
    """What the minutes of the review could not print as recorded: votes on a member or on the collective
    that do not agree with the full members present at the review meeting."""
    rm = review_meeting(session, year)
    if rm is None:
        return []
    problems = []
    for r in year_review(session, year).rows:
        rec = r.record
        if rec is None or not r.elig.rated:
            continue
        cast = (rec.votes_for or 0) + (rec.votes_against or 0)
        if rec.voters is not None and rec.voters != rm.voters:
            problems.append(_("Comrade {name}: the votes are counted among {n} members, but {voters} full members "
                              "were present at the review meeting on {date}.").format(
                name=r.full_name, n=rec.voters, voters=rm.voters, date=format_date(rm.meeting.date)))
        elif cast > rm.voters:
            problems.append(_("Comrade {name}: {cast} votes, more than the {voters} full members present at the "
                              "review meeting.").format(name=r.full_name, cast=cast, voters=rm.voters))
    for topic, vote in collective_votes(session, year).items():
        if vote.cast > rm.voters:
            problems.append(_("The vote on the branch's {what}: {cast} votes, more than the {voters} full members "
                              "present.").format(what=_("report") if topic == "report" else _("level"),
                                                 cast=vote.cast, voters=rm.voters))
    return problems


# --- read model and saving of the review page's branch part ------------------------------------------

@dataclass(frozen=True)
class MeetingChoice:
    """The meeting that held the review, as the page offers it, and the branch's votes recorded."""

    candidates: tuple[tuple[int, str], ...]   # (meeting id, "05/12/2025 · Thường kỳ") of the year
    held_id: int | None
    voters: int | None                        # full members present at the meeting chosen
    votes: dict[str, Vote]                    # topic -> the vote recorded


def meeting_choice(session: Session, year: int) -> MeetingChoice:
    from ..meetings.records import kind_label

    held = review_meeting(session, year)
    return MeetingChoice(
        tuple((m.id, f"{format_date(m.date)} · {kind_label(m.kind)}") for m in candidate_meetings(session, year)),
        held.meeting.id if held else None, held.voters if held else None, dict(collective_votes(session, year)))


@dataclass(frozen=True)
class BranchShown:
    """The branch's part of the review page as stored, as the page shows it: the self-assessment, the meeting
    that held the review, the branch's votes."""

    review: BranchReview
    meeting_id: int | None
    votes: dict[str, Vote]


def branch_shown(session: Session, year: int) -> BranchShown:
    held = review_meeting(session, year)
    return BranchShown(branch_review(session, year), held.meeting.id if held else None,
                       collective_votes(session, year))


def save_branch_assessment(session: Session, br: BranchReview, meeting_id: int | None,
                           votes: dict[str, Vote | None], seen: BranchShown | None = None) -> BranchShown:
    """The branch's self-assessment with the meeting that held the review and its votes, in one unit of work.
    Returns them as stored.

    `seen`: what the page showed when it loaded them (`branch_shown`); when any of them was changed since
    (another window, another computer), the save is refused instead of overwriting that change."""
    from ..db import take_write_lock
    from .service import save_branch_review

    take_write_lock(session)   # the checks below and the writes see one state
    if seen is not None:
        ensure_open(session, br.year)
        session.expire_all()
        now = branch_shown(session, br.year)
        if (now.meeting_id, now.votes) != (seen.meeting_id, seen.votes):
            raise ChangedElsewhereError(_(BRANCH_CHANGED_ELSEWHERE).format(year=br.year))
    save_branch_review(session, br, seen=seen.review if seen is not None else None)
    set_review_meeting(session, br.year, meeting_id)
    set_collective_votes(session, br.year, votes)
    return branch_shown(session, br.year)
