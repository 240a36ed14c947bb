"""One member's review: the facts of the year, the caps that apply, the proposed level and the
check of a level the branch or the committee wants to record.

Everything here is pure: it takes the member's events, the flags the branch ticked and the
year's regulation, and never touches the database.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from models import EventKind
from models.member import MemberEvent

from ..i18n import _, format_date, format_number
from .rules import Cap, Regulation

DISCIPLINE_COUNTED_BEFORE = "discipline_counted_before"  # flags key: ids of discipline events already counted
CONDITION_PREFIX = "cond:"                               # flags key prefix: a band condition confirmed


def _days_in(event: MemberEvent, start: dt.date, end: dt.date) -> int:
    first = max(event.date, start)
    last = min(event.end_date or end, end)
    return max(0, (last - first).days + 1)


@dataclass
class MemberFacts:
    """What the register and the other records say about a member's year."""

    year: int
    review_date: dt.date
    discipline: list[MemberEvent] = field(default_factory=list)          # disciplined in the year
    discipline_counted: list[MemberEvent] = field(default_factory=list)  # of those, still to be counted
    sick_days: int = 0
    maternity_days: int = 0
    probationary: bool = False
    flags: Mapping[str, Any] = field(default_factory=dict)
    monthly: Counter | None = None          # level code -> number of months (monthly ratings)
    attendance: Any = None                  # whatever services.meetings reports for the member


def member_facts(events: Sequence[MemberEvent], year: int, on: dt.date, flags: Mapping[str, Any] | None = None,
                 monthly: Counter | None = None, attendance: Any = None, probationary: bool = False) -> MemberFacts:
    """The facts of ``year`` from the member's events (periods are counted up to the review date ``on``)."""
    flags = dict(flags or {})
    start, end = dt.date(year, 1, 1), min(on, dt.date(year, 12, 31))
    already = set(flags.get(DISCIPLINE_COUNTED_BEFORE) or [])
    disc = sorted((e for e in events if e.kind == EventKind.DISCIPLINE and start <= e.date <= dt.date(year, 12, 31)),
                  key=lambda e: (e.date, e.id or 0))
    return MemberFacts(
        year=year, review_date=on, discipline=disc,
        discipline_counted=[e for e in disc if e.id not in already],
        sick_days=sum(_days_in(e, start, end) for e in events if e.kind == EventKind.SICK_LEAVE),
        maternity_days=sum(_days_in(e, start, end) for e in events if e.kind == EventKind.MATERNITY_LEAVE),
        probationary=probationary, flags=flags, monthly=monthly, attendance=attendance,
    )


@dataclass(frozen=True)
class CapHit:
    """A cap that applies to the member, with the fact behind it."""

    cap: Cap
    detail: str

    @property
    def max_level(self) -> str:
        return self.cap.max_level


def cap_hits(reg: Regulation, facts: MemberFacts) -> list[CapHit]:
    hits: list[CapHit] = []
    for cap in reg.caps:
        if cap.code == "discipline_in_year":
            events = facts.discipline_counted if cap.counted_once else facts.discipline
            if events:
                detail = "; ".join(_("{form} on {date}").format(form=e.form or _("discipline"),
                                                                  date=format_date(e.date)) for e in events)
                hits.append(CapHit(cap, detail))
        elif cap.code == "sick_leave":
            if facts.sick_days and facts.sick_days >= cap.min_days:
                hits.append(CapHit(cap, _("{days} days of sick leave in the year").format(days=facts.sick_days)))
        elif facts.flags.get(cap.code):
            hits.append(CapHit(cap, _("recorded by the branch")))
    return hits


@dataclass(frozen=True)
class Limit:
    """The highest level allowed and why (caps, score band)."""

    level: str
    hits: tuple[CapHit, ...]
    band_level: str | None


def limit(reg: Regulation, facts: MemberFacts, score: float | None = None) -> Limit:
    hits = tuple(cap_hits(reg, facts))
    top = reg.level_codes[0]
    band_level = reg.scoring.level_for(score) if reg.scoring is not None and score is not None else None
    candidates = [h.max_level for h in hits] + ([band_level] if band_level else [])
    level = min(candidates, key=reg.rank) if candidates else top
    return Limit(level=level, hits=hits, band_level=band_level)


@dataclass(frozen=True)
class Proposal:
    """The level the program proposes (None: no basis yet) and its reasons, in Vietnamese."""

    level: str | None
    reasons: tuple[str, ...]
    limit: Limit
    warnings: tuple[str, ...] = ()


def normalise_monthly(reg: Regulation, monthly: Counter) -> Counter:
    """Monthly ratings keyed by level code, whatever way they were written (code or full words)."""
    out: Counter = Counter()
    for key, n in monthly.items():
        code = key if key in reg.level_codes else reg.parse_level(str(key))
        if code and n:
            out[code] += n
    return out


def _monthly_level(reg: Regulation, monthly: Counter) -> str | None:
    counts = {code: n for code, n in monthly.items() if n}
    if not counts:
        return None
    best = max(counts.values())
    # The most frequent monthly level; on a tie, the lower one.
    return min((c for c, n in counts.items() if n == best), key=reg.rank)


def _attendance_value(att: Any, name: str) -> int | None:
    if att is None:
        return None
    value = att.get(name) if isinstance(att, Mapping) else getattr(att, name, None)
    return value if isinstance(value, int) else None


def level_conditions(reg: Regulation, level: str) -> tuple:
    """The extra conditions of a level: its score band's (QĐ 366) or the regulation's requirements (HD 21, QĐ 124)."""
    if reg.scoring is not None:
        band = next((b for b in reg.scoring.bands if b.level == level), None)
        return band.conditions if band else ()
    return tuple(reg.requirements.get(level, ()))


def band_conditions_met(reg: Regulation, level: str, flags: Mapping[str, Any]) -> tuple[bool, list[str]]:
    """Whether the branch confirmed every extra condition of ``level``, and the missing ones."""
    missing = [c.text for c in level_conditions(reg, level) if not flags.get(CONDITION_PREFIX + c.code)]
    return not missing, missing


def propose(reg: Regulation, facts: MemberFacts, score: float | None = None) -> Proposal:
    """The level the program proposes, from caps, the score band, and the monthly ratings."""
    lim = limit(reg, facts, score)
    reasons: list[str] = []
    warnings: list[str] = []
    basis: str | None = None
    for hit in lim.hits:
        reasons.append(_("{rule} ({detail}): at most “{level}” — {cite}.").format(
            rule=hit.cap.label, detail=hit.detail, level=reg.level_name(hit.max_level), cite=hit.cap.ref.cite()))
    if reg.scoring is not None and score is not None:
        band = reg.scoring.band_for(score)
        basis = band.level
        reasons.append(_("{score} points: {band} — “{level}” ({cite}).").format(
            score=format_number(score), band=band.label or band.level, level=reg.level_name(band.level),
            cite=band.ref.cite()))
        ok, missing = band_conditions_met(reg, band.level, facts.flags)
        if not ok and band.level == reg.level_codes[0]:
            lower = reg.level_codes[1]
            reasons.append(_("The conditions of “{level}” are not all confirmed ({missing}): proposed “{lower}”.").format(
                level=reg.level_name(band.level), missing="; ".join(missing), lower=reg.level_name(lower)))
            basis = lower
        elif not ok:
            warnings.append(_("Check the conditions of “{level}”: {missing}.").format(
                level=reg.level_name(band.level), missing="; ".join(missing)))
    elif reg.scoring is not None:
        reasons.append(_("No score yet: enter the points of the criteria ({max} points in all).").format(
            max=format_number(reg.scoring.max_points)))
    counted_months = normalise_monthly(reg, facts.monthly) if facts.monthly else Counter()
    if counted_months:
        monthly = _monthly_level(reg, counted_months)
        parts = ", ".join(_("{n} months {level}").format(n=n, level=code)
                          for code, n in sorted(counted_months.items(), key=lambda kv: -reg.rank(kv[0])))
        if monthly:
            reasons.append(_("Monthly ratings: {parts}.").format(parts=parts))
            if basis is None:
                basis = monthly
                ok, missing = band_conditions_met(reg, monthly, facts.flags)
                if not ok and monthly == reg.level_codes[0]:
                    lower = reg.level_codes[1]
                    reasons.append(_("The conditions of “{level}” are not all confirmed ({missing}): proposed “{lower}”.").format(
                        level=reg.level_name(monthly), missing="; ".join(missing), lower=reg.level_name(lower)))
                    basis = lower
    unexcused = _attendance_value(facts.attendance, "absent_unexcused")
    if unexcused:
        warnings.append(_("Absent without reason {n} times in the year.").format(n=unexcused))
        if unexcused >= 3:
            warnings.append(_("Three or more months without attending meetings without good reason: the branch "
                              "considers removal from the rolls (QĐ 24-QĐ/TW, 8.1); this is not a rating rule."))
    if facts.maternity_days:
        note = reg.info_note("maternity_leave")
        if note:
            reasons.append(_("{rule} ({days} days of maternity leave in the year).").format(
                rule=note.label, days=facts.maternity_days))
    if facts.probationary:
        reasons.append(_("Probationary member: rated like the other members."))
    if basis is None and lim.hits:
        basis = lim.level
    if basis is None:
        reasons.append(_("No basis for a proposal yet (no score, no monthly ratings); the highest level allowed is “{level}”.").format(
            level=reg.level_name(lim.level)))
        return Proposal(None, tuple(reasons), lim, tuple(warnings))
    level = min(basis, lim.level, key=reg.rank)
    return Proposal(level, tuple(reasons), lim, tuple(warnings))


def level_problems(reg: Regulation, name: str, level: str, lim: Limit, score: float | None = None) -> list[str]:
    """Why ``level`` may not be recorded for the member (empty when it may), each citing its rule."""
    if level not in reg.level_codes:
        return [_("“{level}” is not a level of {reg}.").format(level=level, reg=reg.short_name)]
    problems = []
    for hit in lim.hits:
        if reg.rank(level) > reg.rank(hit.max_level):
            problems.append(_(
                "Comrade {name} cannot be rated “{level}”: {rule} ({detail}). The highest level allowed is “{max}” ({cite})."
            ).format(name=name, level=reg.level_name(level), rule=hit.cap.label, detail=hit.detail,
                     max=reg.level_name(hit.max_level), cite=hit.cap.ref.cite()))
    if lim.band_level and reg.rank(level) > reg.rank(lim.band_level) and reg.scoring is not None:
        band = reg.scoring.band_for(score if score is not None else 0)
        problems.append(_(
            "Comrade {name} cannot be rated “{level}” with {score} points: {band} is “{band_level}” ({cite})."
        ).format(name=name, level=reg.level_name(level), score=format_number(score or 0), band=band.label,
                 band_level=reg.level_name(lim.band_level), cite=band.ref.cite()))
    return problems
