"""Recording the year-end review: the branch's proposal and the committee's decision per member,
the branch's self-assessment, and closing / reopening a year.

Every write checks the rules of the year's regulation first and refuses, in Vietnamese and
citing the article, a level the rules forbid. A closed year is read-only.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Member, MemberReview, ReviewLog, ReviewYear

from .. import audit
from .. import settings as settings_mod
from ..errors import ChangedElsewhereError, UserError, ValidationError
from ..i18n import N_, _, format_date, format_number, format_pct
from ..membership import Status
from ..vntext import nfc
from . import adapters
from .eligibility import Eligibility, eligibility, review_date
from .engine import (
    CONDITION_PREFIX,
    DISCIPLINE_COUNTED_BEFORE,
    QUARTERS,
    ConditionFailure,
    Limit,
    MemberFacts,
    Proposal,
    condition_cite,
    level_problems,
    limit,
    member_facts,
    propose,
    quarterly_applies,
)
from .rules import DISCIPLINE_ORDER, FLAG_CAPS, Cap, Condition, Quota, Regulation, regulation_for
from .settings import QUOTA_READING

STAGES = ("proposal", "decision")


# --- reading -----------------------------------------------------------------------------------

def default_year(today: dt.date) -> int:
    """The year being reviewed: this year from November, otherwise last year."""
    return today.year if today.month >= 11 else today.year - 1


@dataclass(frozen=True)
class ReviewRecord:
    """What is recorded for a member's review (a MemberReview) as plain values."""

    proposed_level: str = ""
    decided_level: str = ""
    self_level: str = ""
    score: float | None = None
    criteria: dict[str, Any] = field(default_factory=dict)
    flags: dict[str, Any] = field(default_factory=dict)
    votes_for: int | None = None
    votes_against: int | None = None
    voters: int | None = None
    comment: str = ""
    decision_ref: str = ""
    quarters: dict[str, Any] = field(default_factory=dict)    # as stored; read with quarters_of

    @property
    def level(self) -> str:
        """The level that counts: the decision when there is one, else the branch's proposal."""
        return self.decided_level or self.proposed_level


def record_view(record: MemberReview) -> ReviewRecord:
    return ReviewRecord(record.proposed_level or "", record.decided_level or "", record.self_level or "",
                        record.score, dict(record.criteria or {}), dict(record.flags or {}), record.votes_for,
                        record.votes_against, record.voters, record.comment or "", record.decision_ref or "",
                        dict(record.quarters or {}))


@dataclass
class ReviewRow:
    """A member in the review of a year: eligibility, what is recorded, what the rules say."""

    elig: Eligibility
    record: ReviewRecord | None
    facts: MemberFacts | None
    proposal: Proposal | None
    problems: list[str] = field(default_factory=list)   # a recorded level that now breaks a rule

    @property
    def member_id(self) -> int:
        return self.elig.member_id

    @property
    def full_name(self) -> str:
        return self.elig.full_name

    @property
    def proposed_level(self) -> str:
        return self.record.proposed_level if self.record else ""

    @property
    def decided_level(self) -> str:
        return self.record.decided_level if self.record else ""

    @property
    def level(self) -> str:
        """The level that counts: the committee's decision, else the branch's proposal."""
        return self.record.level if self.record else ""

    @property
    def score(self) -> float | None:
        return effective_score(self.record) if self.record else None

    @property
    def limit(self) -> Limit | None:
        return self.proposal.limit if self.proposal else None


def effective_score(record: MemberReview | ReviewRecord) -> float | None:
    """The member's points: the sum of the criteria when they are given, else the total entered."""
    points = [v for v in (record.criteria or {}).values() if isinstance(v, int | float) and not isinstance(v, bool)]
    if points:
        return float(sum(Decimal(str(v)) for v in points))
    return record.score


def records(session: Session, year: int) -> dict[int, MemberReview]:
    return {r.member_id: r for r in session.scalars(select(MemberReview).where(MemberReview.year == year))}


def quarters_of(record: MemberReview | ReviewRecord | None) -> dict[int, str]:
    """The quarterly levels recorded for a member: {quarter: level code}."""
    raw = (record.quarters if record is not None else None) or {}
    out = {}
    for key, value in raw.items():
        try:
            q = int(key)
        except (TypeError, ValueError):
            continue
        if q in QUARTERS and isinstance(value, str) and value:
            out[q] = value
    return out


# --- the HTXSNV quota ----------------------------------------------------------------------------

def quota_for(session: Session, reg: Regulation) -> Quota:
    """The year's quota as the branch (or committee) reads its base: the setting review.quota_reading
    names one of the rule file's readings; the regulation's own words ("text") by default."""
    return reg.quota.with_reading(settings_mod.get(session, QUOTA_READING.key))


@dataclass(frozen=True)
class QuotaBase:
    """The quota's base and maximum for some counts, with the reading used (for the screen and papers)."""

    quota: Quota
    base: int
    maximum: int
    current: int

    @property
    def reading_label(self) -> str:
        return self.quota.current_reading.label

    @property
    def is_text_reading(self) -> bool:
        return self.quota.reading == "text"

    @property
    def over(self) -> bool:
        return self.current > self.maximum


def quota_base(quota: Quota, counts: Mapping[str, int]) -> QuotaBase:
    """The base (those rated at the reading's levels), the maximum and the number rated at the quota's level."""
    return QuotaBase(quota, quota.base(counts), quota.maximum(counts), counts.get(quota.level, 0))


@dataclass
class YearReview:
    """Everything the review page shows for a year."""

    year: int
    regulation: Regulation
    review_date: dt.date
    closed_at: dt.datetime | None
    rows: list[ReviewRow]
    quota: Quota | None = None   # the quota as read in this database (review.quota_reading)

    def __post_init__(self) -> None:
        if self.quota is None:
            self.quota = self.regulation.quota

    @property
    def closed(self) -> bool:
        return self.closed_at is not None

    def counts(self) -> Counter:
        return Counter(r.level for r in self.rows if r.elig.rated and r.level)

    @property
    def quota_base(self) -> QuotaBase:
        assert self.quota is not None
        return quota_base(self.quota, self.counts())

    @property
    def quota_max(self) -> int:
        return self.quota_base.maximum

    @property
    def quota_current(self) -> int:
        return self.quota_base.current

    def row(self, member_id: int) -> ReviewRow | None:
        return next((r for r in self.rows if r.member_id == member_id), None)


def _row(reg: Regulation, year: int, on: dt.date, elig: Eligibility, member: Member, stored: MemberReview | None,
         monthly: Mapping[int, Counter], attendance: Mapping[int, Any]) -> ReviewRow:
    record = record_view(stored) if stored is not None else None
    if not elig.counted:
        problems = [_("Comrade {name} is not in the branch's count: {reason}.").format(
            name=elig.full_name, reason=elig.reason_text)] if record and record.level else []
        return ReviewRow(elig, record, None, None, problems)
    facts = member_facts(member.events, year, on, record.flags if record else None,
                         monthly.get(member.id), attendance.get(member.id),
                         probationary=elig.state.status == Status.PROBATIONARY, attributes=elig,
                         quarters=quarters_of(record))
    if not elig.rated:
        problems = []
        if record and record.level:
            problems.append(_("Comrade {name} is not rated this year: {reason} ({detail}).").format(
                name=elig.full_name, reason=elig.reason_text, detail=elig.detail))
        return ReviewRow(elig, record, facts, None, problems)
    score = effective_score(record) if record else None
    proposal = propose(reg, facts, score)
    problems = []
    if record:
        problems += recorded_level_problems(reg, elig.full_name, record.proposed_level, record.decided_level,
                                            record.decision_ref, proposal.limit, score, facts)
    return ReviewRow(elig, record, facts, proposal, problems)


def recorded_level_problems(reg: Regulation, name: str, proposed: str, decided: str, decision_ref: str, lim: Limit,
                            score: float | None, facts: MemberFacts) -> list[str]:
    """The rules the branch's proposal and the committee's decision break. A decision recorded with the
    superior's document number may set a level whose conditions the branch has not confirmed."""
    problems: list[str] = []
    if proposed:
        problems += level_problems(reg, name, proposed, lim, score, facts)
    if decided:
        for p in level_problems(reg, name, decided, lim, score, facts, decision_ref=decision_ref):
            if p not in problems:
                problems.append(p)
    return problems


def year_review(session: Session, year: int, include_left: bool = True) -> YearReview:
    """The review of ``year``: every member counted (and those who left), with proposals and problems."""
    from ..members import all_members

    reg = regulation_for(year)
    on = review_date(session, year)
    members = {m.id: m for m in all_members(session)}
    recs = records(session, year)
    monthly = adapters.monthly_ratings(session, year)
    att = adapters.attendance(session, year, list(members.values()))
    rows = [_row(reg, year, on, e, members[e.member_id], recs.get(e.member_id), monthly, att)
            for e in eligibility(session, year, list(members.values()), reg, on, include_left)]
    year_row = session.get(ReviewYear, year)
    return YearReview(year, reg, on, year_row.closed_at if year_row else None, rows, quota_for(session, reg))


def member_row(session: Session, year: int, member_id: int) -> ReviewRow:
    review = year_review(session, year)
    row = review.row(member_id)
    if row is None:
        raise UserError(_("This member is not in the branch's review of {year}.").format(year=year))
    return row


# --- writing a member's review -----------------------------------------------------------------

@dataclass
class ReviewInput:
    """What the review sheet (or an imported row) gives for one member."""

    proposed_level: str = ""
    decided_level: str = ""
    self_level: str = ""
    score: float | None = None
    criteria: dict[str, Any] = field(default_factory=dict)
    flags: dict[str, Any] = field(default_factory=dict)
    votes_for: int | None = None
    votes_against: int | None = None
    voters: int | None = None
    comment: str = ""
    decision_ref: str = ""
    quarters: dict[int, str] = field(default_factory=dict)   # quarter (1–4) -> level code

    @classmethod
    def of(cls, record: MemberReview | ReviewRecord | None) -> ReviewInput:
        if record is None:
            return cls()
        return cls(proposed_level=record.proposed_level, decided_level=record.decided_level,
                   self_level=record.self_level, score=record.score, criteria=dict(record.criteria or {}),
                   flags=dict(record.flags or {}), votes_for=record.votes_for, votes_against=record.votes_against,
                   voters=record.voters, comment=record.comment, decision_ref=record.decision_ref,
                   quarters=quarters_of(record))


def _decimals(value: float) -> int:
    try:
        exp = Decimal(str(value)).normalize().as_tuple().exponent
    except InvalidOperation:
        return 99
    return max(0, -int(exp))


def ensure_open(session: Session, year: int) -> None:
    row = session.get(ReviewYear, year)
    if row is not None and row.closed_at is not None:
        raise UserError(_("The review of {year} is closed; reopen the year to change it.").format(year=year))


def check_review(session: Session, year: int, member_id: int, data: ReviewInput,
                 review: YearReview | None = None) -> list[str]:
    """Problems with recording ``data`` for the member (empty: it may be saved)."""
    review = review or year_review(session, year)
    reg = review.regulation
    row = review.row(member_id)
    problems: list[str] = []
    if row is None:
        return [_("This member is not in the branch's review of {year}.").format(year=year)]
    name = row.full_name
    levels = [lv for lv in (data.proposed_level, data.decided_level, data.self_level, *data.quarters.values()) if lv]
    for lv in levels:
        if lv not in reg.level_codes:
            problems.append(_("“{level}” is not a level of {reg}.").format(level=lv, reg=reg.short_name))
    if problems:
        return problems
    problems += _quarter_problems(reg, year, row, data)
    if problems:
        return problems
    if (data.proposed_level or data.decided_level) and not row.elig.rated:
        return [_("Comrade {name} is not rated this year: {reason} ({detail}).").format(
            name=name, reason=row.elig.reason_text, detail=row.elig.detail)]
    # Points
    score = data.score
    if reg.scoring is not None:
        given = {c.code: data.criteria.get(c.code) for c in reg.criteria if data.criteria.get(c.code) not in (None, "")}
        for c in reg.criteria:
            v = given.get(c.code)
            if v is None:
                continue
            if not isinstance(v, int | float) or isinstance(v, bool) or not 0 <= v <= (c.max_points or 0):
                problems.append(_("“{criterion}”: the points must be between 0 and {max}.").format(
                    criterion=c.name, max=format_number(c.max_points or 0)))
            elif _decimals(v) > reg.scoring.decimals:
                problems.append(_("“{criterion}”: at most {n} decimals.").format(criterion=c.name, n=reg.scoring.decimals))
        if given and len(given) != len(reg.criteria):
            problems.append(_("Enter the points of every criterion, or only the total."))
        if given and not problems:
            score = float(sum(Decimal(str(v)) for v in given.values()))
        if score is not None and (not 0 <= score <= reg.scoring.max_points or _decimals(score) > reg.scoring.decimals):
            problems.append(_("The score must be between 0 and {max}, with at most {n} decimals.").format(
                max=format_number(reg.scoring.max_points), n=reg.scoring.decimals))
    else:
        for c in reg.criteria:
            v = data.criteria.get(c.code)
            if v not in (None, "") and v not in reg.criterion_grades:
                problems.append(_("“{criterion}”: choose one of {grades}.").format(
                    criterion=c.name, grades=", ".join(reg.criterion_grades)))
        if score is not None:
            problems.append(_("The regulation of {year} has no points scale; enter the level only.").format(year=year))
    if problems:
        return problems
    # Caps and bands
    if row.facts is not None:
        facts = member_facts_with(row.facts, data.flags, data.quarters)
        lim = limit(reg, facts, score)
        problems += recorded_level_problems(reg, name, data.proposed_level, data.decided_level, data.decision_ref,
                                            lim, score, facts)
    # Votes
    for label, value in ((_("in favour"), data.votes_for), (_("against"), data.votes_against),
                         (_("voters"), data.voters)):
        if value is not None and value < 0:
            problems.append(_("The number of votes {label} cannot be negative.").format(label=label))
    if data.voters is not None:
        cast = (data.votes_for or 0) + (data.votes_against or 0)
        if cast > data.voters:
            problems.append(_("Votes in favour and against ({cast}) are more than the members voting ({voters}).").format(
                cast=cast, voters=data.voters))
        full = sum(1 for r in review.rows if r.elig.counted and r.elig.state.status == Status.FULL
                   and not r.elig.state.exempt and not r.elig.state.suspended)
        if data.voters > full:
            problems.append(_("Only full members vote: the branch has {full}, not {voters}.").format(
                full=full, voters=data.voters))
    return problems


def member_facts_with(facts: MemberFacts, flags: Mapping[str, Any],
                      quarters: Mapping[int, str] | None = None) -> MemberFacts:
    """The same facts with other flags (and quarters) — those being edited on the sheet."""
    from dataclasses import replace

    already = set(flags.get("discipline_counted_before") or [])
    return replace(facts, flags=dict(flags), discipline_counted=[e for e in facts.discipline if e.id not in already],
                   quarters=dict(facts.quarters if quarters is None else quarters))


def _quarter_problems(reg: Regulation, year: int, row: ReviewRow, data: ReviewInput) -> list[str]:
    """Quarterly assessments are recorded only where the year's regulation has them, for members who hold
    a leadership or management post (as the member's details state)."""
    if not data.quarters:
        return []
    if reg.quarterly is None:
        return [_("The regulation of {year} ({reg}) has no quarterly assessment.").format(year=year, reg=reg.short_name)]
    bad = [q for q in data.quarters if q not in QUARTERS]
    if bad:
        return [_("A year has quarters 1 to 4, not {quarters}.").format(quarters=", ".join(map(str, bad)))]
    if row.facts is None:
        return []
    applies = quarterly_applies(reg, row.facts)
    if applies is None:
        return [_("State in the member's details whether comrade {name} holds a leadership or management post: "
                  "quarterly assessments are for those who do ({cite}).").format(
            name=row.full_name, cite=reg.quarterly.ref.cite())]
    if not applies:
        return [_("Comrade {name} holds no leadership or management post: quarterly assessments are for those who "
                  "do ({cite}).").format(name=row.full_name, cite=reg.quarterly.ref.cite())]
    return []


def _clean_flags(flags: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in flags.items():
        if key in FLAG_CAPS or key.startswith("cond:"):
            if value:
                out[key] = True
        elif key == "discipline_counted_before":
            ids = sorted({int(v) for v in value or []})
            if ids:
                out[key] = ids
    return out


def stored_review_input(session: Session, year: int, member_id: int) -> ReviewInput:
    """The member's review as stored now (read again from the database), as the review sheet shows it."""
    stored = session.scalar(select(MemberReview).where(MemberReview.year == year, MemberReview.member_id == member_id)
                            .execution_options(populate_existing=True))
    return ReviewInput.of(stored)


def save_review(session: Session, year: int, member_id: int, data: ReviewInput,
                seen: ReviewInput | None = None) -> MemberReview:
    """Record the member's review after checking every rule; refuses with the reasons otherwise.

    `seen`: what the review sheet showed when it loaded the member (`ReviewInput.of` its record). When the
    stored review differs now (saved since in another window or on another computer), the save is refused
    instead of overwriting that."""
    from ..db import take_write_lock

    take_write_lock(session)   # the checks below and the write see one state
    ensure_open(session, year)
    if seen is not None:
        if stored_review_input(session, year, member_id) != seen:
            member = session.get(Member, member_id)
            raise ChangedElsewhereError(_(
                "The review of {name} was changed elsewhere (another window or another computer) since the sheet "
                "showed it; your changes were not saved. Note them, choose the member again to see what is "
                "stored, and redo them.").format(name=member.full_name if member else member_id))
    problems = check_review(session, year, member_id, data)
    if problems:
        raise ValidationError(problems)
    return _write(session, year, member_id, data)


def save_many(session: Session, year: int, items: Mapping[int, ReviewInput]) -> int:
    """Record several members' reviews, all or nothing: every problem of every member is reported."""
    ensure_open(session, year)
    review = year_review(session, year)
    problems: list[str] = []
    for member_id, data in items.items():
        problems += check_review(session, year, member_id, data, review)
    if problems:
        raise ValidationError(problems)
    for member_id, data in items.items():
        _write(session, year, member_id, data)
    return len(items)


def _write(session: Session, year: int, member_id: int, data: ReviewInput) -> MemberReview:
    record = session.scalar(select(MemberReview).where(MemberReview.year == year, MemberReview.member_id == member_id))
    if record is None:
        record = MemberReview(year=year, member_id=member_id)
        session.add(record)
    reg = regulation_for(year)
    criteria = {k: v for k, v in data.criteria.items() if v not in (None, "")}
    record.proposed_level = data.proposed_level
    record.decided_level = data.decided_level
    record.self_level = data.self_level
    record.criteria = criteria
    record.score = None if (reg.scoring is not None and criteria) else data.score
    record.flags = _clean_flags(data.flags)
    record.votes_for, record.votes_against, record.voters = data.votes_for, data.votes_against, data.voters
    record.comment = nfc(data.comment)
    record.decision_ref = nfc(data.decision_ref)
    record.quarters = {str(q): code for q, code in sorted(data.quarters.items()) if code} or None
    session.flush()
    return record


def set_level(session: Session, year: int, member_id: int, level: str, stage: str = "proposal") -> MemberReview:
    """Record only the level of one stage (the branch's proposal or the committee's decision)."""
    if stage not in STAGES:
        raise ValueError(stage)
    record = session.scalar(select(MemberReview).where(MemberReview.year == year, MemberReview.member_id == member_id))
    data = ReviewInput.of(record)
    if stage == "proposal":
        data.proposed_level = level
    else:
        data.decided_level = level
    return save_review(session, year, member_id, data)


def accept_proposals(session: Session, year: int) -> int:
    """Record the program's proposal as the branch's proposal for every rated member who has none."""
    ensure_open(session, year)
    review = year_review(session, year)
    n = 0
    for row in review.rows:
        if row.elig.rated and row.proposal and row.proposal.level and not row.proposed_level:
            set_level(session, year, row.member_id, row.proposal.level)
            n += 1
    return n


# --- the branch's own review -----------------------------------------------------------------

@dataclass
class BranchCriterion:
    code: str
    name: str
    max_points: float
    points: float | None = None


NARRATIVE_FIELDS = ("strengths", "weaknesses", "causes", "remedies", "explanations", "responsibility", "directions")


@dataclass
class BranchReview:
    """Kiểm điểm tập thể chi bộ: the self-score on the year's criteria, the level, the report's texts."""

    year: int
    criteria: list[BranchCriterion]
    proposed_level: str = ""
    decided_level: str = ""
    strengths: str = ""
    weaknesses: str = ""
    causes: str = ""
    remedies: str = ""
    explanations: str = ""      # giải trình những vấn đề được gợi ý kiểm điểm (nếu có)
    responsibility: str = ""    # làm rõ trách nhiệm của tập thể và cá nhân (nếu có)
    directions: str = ""
    flags: dict[str, Any] = field(default_factory=dict)   # conditions confirmed ("cond:…"), discipline counted
    decision_ref: str = ""                                # the superior's decision that set decided_level

    @property
    def self_score(self) -> float | None:
        points = [c.points for c in self.criteria if c.points is not None]
        return float(sum(Decimal(str(p)) for p in points)) if points else None

    @property
    def max_points(self) -> float:
        return float(sum(Decimal(str(c.max_points)) for c in self.criteria))


def default_branch_criteria(reg: Regulation) -> list[BranchCriterion]:
    return [BranchCriterion(c.code, c.name, float(c.max_points or 0)) for c in reg.collective.criteria]


def branch_review(session: Session, year: int) -> BranchReview:
    reg = regulation_for(year)
    row = session.get(ReviewYear, year)
    if row is None:
        return BranchReview(year, default_branch_criteria(reg))
    criteria = [BranchCriterion(str(c.get("code", "")), str(c.get("name", "")), float(c.get("max_points", 0)),
                                c.get("points")) for c in (row.criteria or [])] or default_branch_criteria(reg)
    return BranchReview(year, criteria, row.proposed_level, row.decided_level,
                        **{f: getattr(row, f) for f in NARRATIVE_FIELDS}, flags=dict(row.flags or {}),
                        decision_ref=row.decision_ref or "")


def suggested_branch_level(reg: Regulation, br: BranchReview) -> str | None:
    """Under a points scale for collectives (QĐ 366), the level of the self-score's band."""
    if reg.collective.scoring is None or br.self_score is None:
        return None
    return reg.collective.scoring.level_for(br.self_score)


@dataclass(frozen=True)
class LeaderDiscipline:
    """A member of the branch's leadership (by their Party post) disciplined in the year."""

    member_id: int
    name: str
    post: str
    event_id: int
    form: str
    date: dt.date

    def text(self) -> str:
        return _("comrade {name} ({post}), {form} on {date}").format(
            name=self.name, post=self.post, form=self.form, date=format_date(self.date))


def is_leadership_post(reg: Regulation, post: str) -> bool:
    """Whether a Party post makes a member part of the branch's leadership (bí thư, phó bí thư, chi ủy viên…)."""
    from ..vntext import fold

    key = fold(post or "").strip()
    return bool(key) and any(key.startswith(fold(p)) for p in reg.collective.leadership_posts)


def leadership_discipline(session: Session, year: int, reg: Regulation | None = None) -> list[LeaderDiscipline]:
    """Discipline in ``year`` of members holding one of the leadership Party posts, decided while they
    were in this branch (discipline recorded at a previous organisation is not the branch's)."""
    from ..members import all_members
    from ..membership import state_on

    reg = reg or regulation_for(year)
    out = []
    for m in all_members(session):
        if not is_leadership_post(reg, m.party_post):
            continue
        for e in m.events:
            if e.kind == "discipline" and e.date.year == year and not e.other_org \
                    and state_on([x for x in m.events if x is not e], e.date).in_branch:
                out.append(LeaderDiscipline(m.id, m.full_name, m.party_post, e.id, e.form, e.date))
    out.sort(key=lambda d: (d.date, d.event_id))
    return out


@dataclass(frozen=True)
class BranchCapHit:
    cap: Cap
    detail: str


def branch_cap_hits(reg: Regulation, discipline: Sequence[LeaderDiscipline],
                    flags: Mapping[str, Any]) -> list[BranchCapHit]:
    """The collective caps that apply (HD 21: a leadership member disciplined with cảnh cáo or heavier;
    a violation counted in an earlier year's rating is not counted again)."""
    already = set(flags.get(DISCIPLINE_COUNTED_BEFORE) or [])
    hits = []
    for cap in reg.collective.caps:
        if cap.code == "leader_disciplined":
            floor = DISCIPLINE_ORDER.index(cap.min_form) if cap.min_form else 0
            found = [d for d in discipline if d.form in DISCIPLINE_ORDER and DISCIPLINE_ORDER.index(d.form) >= floor
                     and not (cap.counted_once and d.event_id in already)]
            if found:
                hits.append(BranchCapHit(cap, "; ".join(d.text() for d in found)))
    return hits


def branch_level_conditions(reg: Regulation, level: str) -> tuple[Condition, ...]:
    """The conditions of the branch's level: its band's (QĐ 366) or the collective requirements (QĐ 124)."""
    if reg.collective.scoring is not None:
        band = next((b for b in reg.collective.scoring.bands if b.level == level), None)
        return band.conditions if band else ()
    return tuple(reg.collective.requirements.get(level, ()))


def branch_condition_failures(reg: Regulation, level: str, flags: Mapping[str, Any],
                              discipline: Sequence[LeaderDiscipline]) -> list[ConditionFailure]:
    """The conditions of the branch's ``level`` that fail: contradicted by the register (a leadership member
    disciplined in the year), or not confirmed by the branch."""
    already = set(flags.get(DISCIPLINE_COUNTED_BEFORE) or [])
    out = []
    for c in branch_level_conditions(reg, level):
        cite = condition_cite(reg, level, c, collective=True)
        if c.check == "leadership_not_disciplined":
            found = [d for d in discipline if d.event_id not in already]
            if found:
                out.append(ConditionFailure(level, c, cite, "; ".join(d.text() for d in found)))
                continue
        if not flags.get(CONDITION_PREFIX + c.code):
            out.append(ConditionFailure(level, c, cite))
    return out


def _branch_level_problems(reg: Regulation, level: str, br: BranchReview, discipline: Sequence[LeaderDiscipline],
                           decision_ref: str = "") -> list[str]:
    problems = []
    for hit in branch_cap_hits(reg, discipline, br.flags):
        if reg.rank(level) > reg.rank(hit.cap.max_level):
            problems.append(_("The branch cannot be rated “{level}”: {rule} ({detail}). The highest level allowed is "
                              "“{max}” ({cite}).").format(level=reg.level_name(level), rule=hit.cap.label,
                                                          detail=hit.detail, max=reg.level_name(hit.cap.max_level),
                                                          cite=hit.cap.ref.cite()))
    failures = branch_condition_failures(reg, level, br.flags, discipline)
    if failures and not decision_ref.strip():
        cites = "; ".join(dict.fromkeys(f.cite for f in failures))
        problems.append(_("The branch cannot be rated “{level}”: its conditions do not hold: {missing} ({cite}). "
                          "Confirm them, or record the superior committee's decision with its document number.").format(
            level=reg.level_name(level), missing="; ".join(f.text for f in failures), cite=cites))
    return problems


def branch_problems(session: Session, br: BranchReview) -> list[str]:
    """The rules the branch's recorded levels break now (for the tally and the review page)."""
    reg = regulation_for(br.year)
    discipline = leadership_discipline(session, br.year, reg)
    problems: list[str] = []
    if br.proposed_level in reg.level_codes:
        problems += _branch_level_problems(reg, br.proposed_level, br, discipline)
    if br.decided_level in reg.level_codes:
        problems += [p for p in _branch_level_problems(reg, br.decided_level, br, discipline, br.decision_ref)
                     if p not in problems]
    return problems


def check_branch_review(session: Session, br: BranchReview) -> list[str]:
    reg = regulation_for(br.year)
    problems: list[str] = []
    if not br.criteria:
        problems.append(_("The list of criteria is empty."))
    codes = set()
    for i, c in enumerate(br.criteria, 1):
        if not nfc(c.name):
            problems.append(_("Criterion {n}: enter its name.").format(n=i))
        if c.max_points is None or c.max_points <= 0:
            problems.append(_("Criterion {n}: the maximum points must be above 0.").format(n=i))
        elif c.points is not None and not 0 <= c.points <= c.max_points:
            problems.append(_("Criterion {n}: the points must be between 0 and {max}.").format(
                n=i, max=format_number(c.max_points)))
        codes.add(c.code)
    if br.criteria and abs(br.max_points - reg.collective.max_points) > 1e-9:
        problems.append(_("The maximum points of the criteria add up to {total}, not {expected}.").format(
            total=format_number(br.max_points), expected=format_number(reg.collective.max_points)))
    for lv in (br.proposed_level, br.decided_level):
        if lv and lv not in reg.level_codes:
            problems.append(_("“{level}” is not a level of {reg}.").format(level=lv, reg=reg.short_name))
    band = suggested_branch_level(reg, br)
    if band and reg.collective.scoring is not None and not problems:
        for lv in (br.proposed_level, br.decided_level):
            if lv and reg.rank(lv) > reg.rank(band):
                b = reg.collective.scoring.band_for(br.self_score or 0)
                problems.append(_("The branch cannot be rated “{level}” with {score} points: {band} is “{band_level}” ({cite}).").format(
                    level=reg.level_name(lv), score=format_number(br.self_score or 0), band=b.label,
                    band_level=reg.level_name(band), cite=b.ref.cite()))
    if not problems:
        problems += branch_problems(session, br)
    return problems


BRANCH_CHANGED_ELSEWHERE = N_(
    "The branch's self-assessment of {year} was changed elsewhere (another window or another computer) since "
    "this page showed it; your changes were not saved. Note them, leave this page without saving and open it "
    "again to see what is stored, then redo them.")


def save_branch_review(session: Session, br: BranchReview, seen: BranchReview | None = None) -> ReviewYear:
    """Record the branch's self-assessment of `br.year` after checking its rules.

    `seen`: the self-assessment as the page showed it when it loaded (`branch_review`); when the stored one
    differs now (saved since in another window or on another computer), the save is refused instead of
    overwriting that."""
    from ..db import take_write_lock

    take_write_lock(session)   # the checks below and the write see one state
    ensure_open(session, br.year)
    if seen is not None:
        session.expire_all()
        if branch_review(session, br.year) != seen:
            raise ChangedElsewhereError(_(BRANCH_CHANGED_ELSEWHERE).format(year=br.year))
    problems = check_branch_review(session, br)
    if problems:
        raise ValidationError(problems)
    row = session.get(ReviewYear, br.year) or ReviewYear(year=br.year)
    session.add(row)
    row.criteria = [{"code": c.code or f"c{i}", "name": nfc(c.name), "max_points": c.max_points, "points": c.points}
                    for i, c in enumerate(br.criteria, 1)]
    row.proposed_level = br.proposed_level
    row.decided_level = br.decided_level
    row.decision_ref = nfc(br.decision_ref).strip()
    row.flags = _clean_flags(br.flags) or None
    for f in NARRATIVE_FIELDS:
        setattr(row, f, nfc(getattr(br, f)).strip() if getattr(br, f) else "")
    session.flush()
    return row


def set_review_date(session: Session, year: int, on: dt.date | None) -> None:
    """The review date of ``year`` (None: back to the setting)."""
    ensure_open(session, year)
    if on is not None and on.year != year:
        raise ValidationError(_("The review date must be in {year}.").format(year=year))
    row = session.get(ReviewYear, year) or ReviewYear(year=year)
    session.add(row)
    row.review_date = on
    session.flush()


# --- closing a year ----------------------------------------------------------------------------

def is_closed(session: Session, year: int) -> bool:
    row = session.get(ReviewYear, year)
    return row is not None and row.closed_at is not None


def year_log(session: Session, year: int) -> list[ReviewLog]:
    return list(session.scalars(select(ReviewLog).where(ReviewLog.year == year).order_by(ReviewLog.at, ReviewLog.id)))


def close_year(db, year: int, user: str = "", note: str = "", now: dt.datetime | None = None) -> Path:
    """Close the review of ``year``: a backup first, then the year's records become read-only.

    Returns the backup's path. ``db`` is a services.db.Database.
    """
    from ..backup import backup_before

    with db.begin() as session:
        regulation_for(year)
        if is_closed(session, year):
            raise UserError(_("The review of {year} is already closed.").format(year=year))
    backup = backup_before(db.location, f"truoc-khoa-so-{year}")
    now = now or dt.datetime.now().replace(microsecond=0)
    with db.begin(write=True) as session:  # checked again under the write lock: two closings never both log
        if is_closed(session, year):
            raise UserError(_("The review of {year} is already closed.").format(year=year))
        row = session.get(ReviewYear, year) or ReviewYear(year=year)
        session.add(row)
        row.closed_at = now
        session.add(ReviewLog(year=year, at=now, action="close", user=nfc(user), note=nfc(note), backup=str(backup)))
        audit.seal_year(session, year)  # data safety: `check` reports any later change of the year's records
    return backup


def reopen_year(db, year: int, reason: str, user: str = "", now: dt.datetime | None = None) -> None:
    """Reopen a closed year: an explicit act, logged with its reason."""
    reason = nfc(reason)
    if not reason:
        raise ValidationError(_("Give the reason for reopening the year; it is kept in the log."))
    now = now or dt.datetime.now().replace(microsecond=0)
    with db.begin(write=True) as session:
        row = session.get(ReviewYear, year)
        if row is None or row.closed_at is None:
            raise UserError(_("The review of {year} is not closed.").format(year=year))
        row.closed_at = None
        session.add(ReviewLog(year=year, at=now, action="reopen", user=nfc(user), note=reason))
        audit.unseal_year(session, year)


def reviewed_years(session: Session) -> list[int]:
    years = set(session.scalars(select(MemberReview.year).distinct()))
    years |= set(session.scalars(select(ReviewYear.year)))
    return sorted(years)


def not_rated_rows(rows: Sequence[ReviewRow]) -> list[ReviewRow]:
    return [r for r in rows if r.elig.counted and not r.elig.rated]


# --- read models and rules of the review page ----------------------------------------------------

@dataclass(frozen=True)
class LogEntry:
    """A year closed or reopened: when, by whom, why."""

    at: dt.datetime
    action: str          # "close" | "reopen"
    user: str
    note: str


def log_entries(session: Session, year: int) -> list[LogEntry]:
    return [LogEntry(e.at, e.action, e.user, e.note) for e in year_log(session, year)]


@dataclass(frozen=True)
class ReviewPage:
    """Everything the year-end review page shows for a year."""

    review: YearReview
    tally: Any                       # services.review.tally.Tally
    branch: BranchReview
    log: tuple[LogEntry, ...]
    leader_discipline: tuple[LeaderDiscipline, ...]   # of members holding a leadership Party post


def review_page(session: Session, year: int) -> ReviewPage:
    from .tally import tally

    review = year_review(session, year)
    return ReviewPage(review, tally(session, year, review=review), branch_review(session, year),
                      tuple(log_entries(session, year)), tuple(leadership_discipline(session, year)))


@dataclass(frozen=True)
class QuotaLine:
    text: str
    over: bool           # more members at the quota's level than the quota allows (a warning)


def quota_line(review: YearReview) -> QuotaLine:
    """"HTXSNV: 2 rated, at most 1 allowed (20% of 5 rated HTTNV, rounded down). Base of the quota: …" and
    whether it is over (a warning: the branch may propose, the committee applies the quota)."""
    reg = review.regulation
    qb = review.quota_base
    q = qb.quota
    text = _("{level}: {current} rated, at most {max} allowed ({share} of {base} rated {base_levels}, rounded "
             "down).").format(level=reg.level_name(q.level), current=qb.current, max=qb.maximum,
                              share=format_pct(q.share * 100, 0), base=qb.base, base_levels=" + ".join(q.base_levels))
    text += " " + _("Base of the quota: {reading}.").format(reading=qb.reading_label)
    if not qb.is_text_reading:
        text += " " + _("(a reading other than the regulation's wording)")
    if qb.over:
        text += " " + _("Over the quota: the branch may propose it, the committee will apply the quota.")
    return QuotaLine(text, qb.over)


def input_score(reg: Regulation, data: ReviewInput) -> float | None:
    """The points of a review being entered: the sum of the criteria when they are given (under a points
    scale), else the total entered."""
    if reg.scoring is not None:
        points = [v for v in data.criteria.values() if isinstance(v, int | float) and not isinstance(v, bool)]
        if points:
            return float(sum(Decimal(str(v)) for v in points))
    return data.score


@dataclass(frozen=True)
class SheetLimit:
    """What the rules say of a member's sheet as it is being filled in (before it is saved)."""

    score: float | None        # the points entered (summed), None without a points scale or points
    limit: Limit               # the highest level the rules allow with the facts, flags and quarters on the sheet
    too_high: tuple[str, ...]  # levels chosen on the sheet that the rules do not allow (shown in red)
    notes: tuple[str, ...]     # why: band conditions not confirmed, quarters that do not allow the level


def sheet_limit(reg: Regulation, facts: MemberFacts, data: ReviewInput) -> SheetLimit:
    """The highest level allowed for what is on a member's sheet now, and what is wrong with the levels
    chosen on it (the branch's proposal; the committee's decision unless it cites its decision)."""
    from .engine import condition_failures, framework_of, quarter_problem

    score = input_score(reg, data)
    sheet_facts = member_facts_with(facts, data.flags, data.quarters)
    lim = limit(reg, sheet_facts, score)
    too_high = [lv for lv in (data.proposed_level, data.decided_level) if lv and reg.rank(lv) > reg.rank(lim.level)]
    notes: list[str] = []
    framework = framework_of(reg, sheet_facts)
    for level, overridden in ((data.proposed_level, False), (data.decided_level, bool(data.decision_ref.strip()))):
        if not level:
            continue
        missing = condition_failures(reg, level, data.flags, framework)
        if missing and not overridden:
            too_high.append(level)
            notes.append(_("Conditions of “{level}” not confirmed: {missing}.").format(
                level=reg.level_name(level), missing="; ".join(f.condition.text for f in missing)))
        problem = quarter_problem(reg, sheet_facts, level)
        if problem:
            notes.append(problem)
    return SheetLimit(score, lim, tuple(too_high), tuple(dict.fromkeys(notes)))


def facts_lines(facts: MemberFacts) -> list[str]:
    """The facts of a member's year in sentences (attendance, monthly ratings, discipline, leave)."""
    from .engine import discipline_text, leave_length

    lines = []
    att = facts.attendance
    if att is not None:
        lines.append(_("Meetings attended: {present} of {meetings}; absent with reason {exc}, without reason "
                       "{unexc}.").format(
            present=adapters.attendance_value(att, "present") or 0,
            meetings=adapters.attendance_value(att, "meetings") or 0,
            exc=adapters.attendance_value(att, "absent_excused") or 0,
            unexc=adapters.attendance_value(att, "absent_unexcused") or 0))
    else:
        lines.append(_("No attendance records for this year."))
    if facts.monthly:
        lines.append(_("Monthly ratings: {parts}.").format(parts=", ".join(
            _("{n} months {level}").format(n=n, level=code) for code, n in facts.monthly.most_common())))
    else:
        lines.append(_("No monthly ratings for this year."))
    if facts.discipline:
        lines.append(_("Disciplined in the year: {items}.").format(items="; ".join(
            discipline_text(e) + (f" ({e.reason})" if e.reason else "") for e in facts.discipline)))
    else:
        lines.append(_("Not disciplined in the year."))
    if facts.sick_days:
        months, days = leave_length(facts.sick_spans, 30)
        lines.append(_("Sick leave in the year: {months} months {days} days ({total} days).").format(
            months=months, days=days, total=facts.sick_days))
    if facts.maternity_days:
        lines.append(_("Maternity leave in the year: {days} days.").format(days=facts.maternity_days))
    return lines


@dataclass(frozen=True)
class BranchScore:
    score: float | None          # the sum of the points given (None: none given yet)
    max_points: float            # the sum of the criteria's maximums
    band_level: str | None       # the level of the score's band, under a points scale for collectives


def branch_score(reg: Regulation, year: int, criteria: Sequence[BranchCriterion]) -> BranchScore:
    """The branch's self-score as the criteria being edited add up."""
    br = BranchReview(year, list(criteria))
    return BranchScore(br.self_score, br.max_points, suggested_branch_level(reg, br))
