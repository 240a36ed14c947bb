"""One member's review: the facts of the year, the caps that apply, the proposed level and the
check of a level the branch or the committee wants to record.

Everything here is pure: it takes the member's events, the flags the branch ticked, the member's
stated attributes and the year's regulation, and never touches the database.
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
from ..membership import EventView, add_months, event_view
from .rules import Cap, Condition, Framework, Regulation

DISCIPLINE_COUNTED_BEFORE = "discipline_counted_before"  # flags key: ids of discipline events already counted
CONDITION_PREFIX = "cond:"                               # flags key prefix: a condition of a level confirmed
QUARTERS = (1, 2, 3, 4)


def _days_in(event: MemberEvent, start: dt.date, end: dt.date) -> int:
    first = max(event.date, start)
    last = min(event.end_date or end, end)
    return max(0, (last - first).days + 1)


def merged_periods(events: Sequence[MemberEvent], kind: str, start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The days of [start, end] covered by the member's periods of ``kind``, as separate spans (periods
    recorded twice or overlapping are counted once; an open period runs to ``end``)."""
    spans = sorted((max(e.date, start), min(e.end_date or end, end)) for e in events if e.kind == kind)
    merged: list[tuple[dt.date, dt.date]] = []
    for first, last in spans:
        if first > last:
            continue
        if merged and first <= merged[-1][1] + dt.timedelta(days=1):
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


def calendar_months(first: dt.date, last: dt.date) -> tuple[int, int]:
    """(whole calendar months, days left) from ``first`` to ``last`` inclusive: 01/02–30/04 is (3, 0),
    01/07–29/09 is (2, 29)."""
    after = last + dt.timedelta(days=1)
    months = 0
    while add_months(first, months + 1) <= after:
        months += 1
    return months, (after - add_months(first, months)).days


def leave_length(spans: Sequence[tuple[dt.date, dt.date]], days_per_month: float) -> tuple[int, int]:
    """(months, days) of several leaves added up: each leave's whole calendar months, and the days left
    over by all of them together, every ``days_per_month`` days making one more month."""
    months = days = 0
    for first, last in spans:
        m, d = calendar_months(first, last)
        months, days = months + m, days + d
    extra = int(days // days_per_month) if days_per_month > 0 else 0
    return months + extra, int(days - extra * days_per_month)


@dataclass
class MemberFacts:
    """What the register and the other records say about a member's year."""

    year: int
    review_date: dt.date
    discipline: list[EventView] = field(default_factory=list)          # disciplined in the year
    discipline_counted: list[EventView] = field(default_factory=list)  # of those, still to be counted
    sick_days: int = 0
    maternity_days: int = 0
    probationary: bool = False
    flags: Mapping[str, Any] = field(default_factory=dict)
    monthly: Counter | None = None          # level code -> number of months (monthly ratings)
    attendance: Any = None                  # whatever services.meetings reports for the member
    sick_spans: list[tuple[dt.date, dt.date]] = field(default_factory=list)  # the year's sick leave, merged
    attributes: Any = None                  # the member's stated attributes (holds_leadership_post, …)
    quarters: Mapping[int, str] = field(default_factory=dict)              # quarter -> level recorded


def member_facts(events: Sequence[MemberEvent], year: int, on: dt.date, flags: Mapping[str, Any] | None = None,
                 monthly: Counter | None = None, attendance: Any = None, probationary: bool = False,
                 attributes: Any = None, quarters: Mapping[int, str] | None = None) -> MemberFacts:
    """The facts of ``year`` from the member's events (periods are counted up to the review date ``on``).

    Discipline recorded at the member's previous organisation (an event with ``other_org``) counts like
    any other: the cap follows the member."""
    flags = dict(flags or {})
    start, end = dt.date(year, 1, 1), min(on, dt.date(year, 12, 31))
    already = set(flags.get(DISCIPLINE_COUNTED_BEFORE) or [])
    disc = sorted((event_view(e) for e in events
                   if e.kind == EventKind.DISCIPLINE and start <= e.date <= dt.date(year, 12, 31)),
                  key=lambda e: (e.date, e.id or 0))
    sick = merged_periods(events, EventKind.SICK_LEAVE, start, end)
    return MemberFacts(
        year=year, review_date=on, discipline=disc,
        discipline_counted=[e for e in disc if e.id not in already],
        sick_days=sum((b - a).days + 1 for a, b in sick),
        maternity_days=sum(_days_in(e, start, end) for e in events if e.kind == EventKind.MATERNITY_LEAVE),
        probationary=probationary, flags=flags, monthly=monthly, attendance=attendance, sick_spans=sick,
        attributes=attributes, quarters=dict(quarters or {}),
    )


@dataclass(frozen=True)
class CapHit:
    """A cap that applies to the member, with the fact behind it."""

    cap: Cap
    detail: str

    @property
    def max_level(self) -> str:
        return self.cap.max_level


def sick_leave_reached(cap: Cap, facts: MemberFacts) -> tuple[bool, str]:
    """Whether the year's sick leave reaches the cap's ``min_months`` (HD 21 II.6: "từ 03 tháng trở lên"),
    counted as the rule file says, and the length in words."""
    if not facts.sick_spans:
        return False, ""
    if cap.count == "calendar_months":
        months, days = leave_length(facts.sick_spans, cap.days_per_month)
        reached = months + days / cap.days_per_month >= cap.min_months
        return reached, _("{months} months {days} days of sick leave in the year").format(months=months, days=days)
    return facts.sick_days >= cap.min_days, _("{days} days of sick leave in the year").format(days=facts.sick_days)


def cap_hits(reg: Regulation, facts: MemberFacts) -> list[CapHit]:
    hits: list[CapHit] = []
    for cap in reg.caps:
        if cap.code == "discipline_in_year":
            events = facts.discipline_counted if cap.counted_once else facts.discipline
            if events:
                hits.append(CapHit(cap, "; ".join(discipline_text(e) for e in events)))
        elif cap.code == "sick_leave":
            reached, detail = sick_leave_reached(cap, facts)
            if reached:
                hits.append(CapHit(cap, detail))
        elif facts.flags.get(cap.code):
            hits.append(CapHit(cap, _("recorded by the branch")))
    return hits


def discipline_text(e: MemberEvent | EventView) -> str:
    """"khiển trách ngày 20/06/2025" (with the other organisation when it was decided there)."""
    text = _("{form} on {date}").format(form=e.form or _("discipline"), date=format_date(e.date))
    if e.other_org:
        text += " " + _("(at {org})").format(org=e.other_org)
    return text


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


# --- the conditions of a level ---------------------------------------------------------------------

def framework_of(reg: Regulation, facts: MemberFacts | None) -> Framework | None:
    """The member's criteria framework when their stated attributes decide it (None otherwise)."""
    if not reg.frameworks or facts is None or facts.attributes is None:
        return None
    from .frameworks import framework_for

    return framework_for(facts.attributes, reg).framework


def level_conditions(reg: Regulation, level: str, framework: Framework | None = None) -> tuple[Condition, ...]:
    """The extra conditions of a level: its score band's (QĐ 366) or the regulation's requirements (HD 21,
    QĐ 124), and those the member's framework adds (QĐ 366: the unit a leader leads)."""
    if reg.scoring is not None:
        band = next((b for b in reg.scoring.bands if b.level == level), None)
        common = band.conditions if band else ()
    else:
        common = tuple(reg.requirements.get(level, ()))
    extra = tuple(framework.conditions.get(level, ())) if framework is not None else ()
    return common + tuple(c for c in extra if c.code not in {x.code for x in common})


def condition_cite(reg: Regulation, level: str, condition: Condition, collective: bool = False) -> str:
    """The article a condition comes from: its own reference, else its band's, else the levels'."""
    if condition.ref is not None:
        return condition.ref.cite()
    scoring = reg.collective.scoring if collective else reg.scoring
    if scoring is not None:
        band = next((b for b in scoring.bands if b.level == level), None)
        if band is not None and band.ref.doc:
            return band.ref.cite()
    return reg.levels_ref.cite() if reg.levels_ref else reg.short_name


@dataclass(frozen=True)
class ConditionFailure:
    """A condition of a level that does not hold: not confirmed by the branch, or (``fact``) contradicted
    by the register."""

    level: str
    condition: Condition
    cite: str
    fact: str = ""

    @property
    def text(self) -> str:
        return f"{self.condition.text} ({self.fact})" if self.fact else self.condition.text


def condition_failures(reg: Regulation, level: str, flags: Mapping[str, Any],
                       framework: Framework | None = None) -> list[ConditionFailure]:
    """The conditions of ``level`` the branch has not confirmed (empty: the level's conditions hold)."""
    return [ConditionFailure(level, c, condition_cite(reg, level, c)) for c in level_conditions(reg, level, framework)
            if not flags.get(CONDITION_PREFIX + c.code)]


def band_conditions_met(reg: Regulation, level: str, flags: Mapping[str, Any],
                        framework: Framework | None = None) -> tuple[bool, list[str]]:
    """Whether the branch confirmed every extra condition of ``level``, and the missing ones."""
    missing = [f.condition.text for f in condition_failures(reg, level, flags, framework)]
    return not missing, missing


def _failures_text(failures: Sequence[ConditionFailure]) -> str:
    cites = list(dict.fromkeys(f.cite for f in failures))
    return "; ".join(f.text for f in failures) + f" ({'; '.join(cites)})"


def highest_confirmed(reg: Regulation, level: str, flags: Mapping[str, Any],
                      framework: Framework | None = None) -> tuple[str, list[tuple[str, list[ConditionFailure]]]]:
    """The highest level not above ``level`` whose conditions are all confirmed, and the levels passed over
    with their unconfirmed conditions."""
    skipped: list[tuple[str, list[ConditionFailure]]] = []
    codes = reg.level_codes
    for code in codes[codes.index(level):]:
        failures = condition_failures(reg, code, flags, framework)
        if not failures:
            return code, skipped
        skipped.append((code, failures))
    return codes[-1], skipped


# --- quarterly assessments ---------------------------------------------------------------------------

def quarterly_applies(reg: Regulation, facts: MemberFacts) -> bool | None:
    """Whether the regulation's quarterly assessments apply to the member (None: attributes not stated)."""
    if reg.quarterly is None:
        return False
    if facts.attributes is None:
        return None
    return reg.quarterly.when.answer(facts.attributes)


def quarter_end(year: int, quarter: int) -> dt.date:
    return add_months(dt.date(year, 3 * quarter - 2, 1), 3) - dt.timedelta(days=1)


def quarters_due(facts: MemberFacts) -> list[int]:
    """The quarters of the year that have ended by the review date."""
    return [q for q in QUARTERS if quarter_end(facts.year, q) <= facts.review_date]


def quarter_problem(reg: Regulation, facts: MemberFacts, level: str) -> str:
    """The year's level against the quarters recorded, as the rule file's year_rule says ("" when fine)."""
    q = reg.quarterly
    levels = [code for code in facts.quarters.values() if code in reg.level_codes]
    if q is None or q.year_rule == "none" or not levels or level not in reg.level_codes:
        return ""
    best = max(levels, key=reg.rank)
    if reg.rank(level) <= reg.rank(best):
        return ""
    return _("“{level}” is above the best quarterly level recorded (“{best}”): {rule}").format(
        level=reg.level_name(level), best=reg.level_name(best), rule=q.year_rule_text)


def _most_frequent(reg: Regulation, counts: Mapping[str, int]) -> str | None:
    counts = {code: n for code, n in counts.items() if n}
    if not counts:
        return None
    best = max(counts.values())
    # The most frequent level; on a tie, the lower one.
    return min((c for c, n in counts.items() if n == best), key=reg.rank)


# --- the proposal ------------------------------------------------------------------------------------

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


def _attendance_value(att: Any, name: str) -> Any:
    if att is None:
        return None
    return att.get(name) if isinstance(att, Mapping) else getattr(att, name, None)


def attendance_warnings(facts: MemberFacts) -> list[str]:
    """What the year's attendance says, from the one rule the meetings reminder also reads."""
    from ..meetings.rules import removal_rule

    out: list[str] = []
    unexcused = _attendance_value(facts.attendance, "absent_unexcused")
    if isinstance(unexcused, int) and unexcused:
        out.append(_("Absent without reason {n} times in the year.").format(n=unexcused))
    months = _attendance_value(facts.attendance, "unexcused_months")
    rule = removal_rule()
    if isinstance(months, list | tuple | set) and rule.applies(months):
        out.append(_("Absent without good reason in {n} months of the year ({months}): the branch considers removal "
                     "from the rolls ({source}); this is not a rating rule.").format(
            n=len(set(months)), months=", ".join(f"{m:02d}" for m in sorted(set(months))), source=rule.source))
    return out


def propose(reg: Regulation, facts: MemberFacts, score: float | None = None) -> Proposal:
    """The level the program proposes, from caps, the score band, the monthly ratings and the quarters;
    never a level whose conditions the branch has not confirmed."""
    lim = limit(reg, facts, score)
    framework = framework_of(reg, facts)
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
    elif reg.scoring is not None:
        reasons.append(_("No score yet: enter the points of the criteria ({max} points in all).").format(
            max=format_number(reg.scoring.max_points)))
    counted_months = normalise_monthly(reg, facts.monthly) if facts.monthly else Counter()
    if counted_months:
        monthly = _most_frequent(reg, counted_months)
        parts = ", ".join(_("{n} months {level}").format(n=n, level=code)
                          for code, n in sorted(counted_months.items(), key=lambda kv: -reg.rank(kv[0])))
        if monthly:
            reasons.append(_("Monthly ratings: {parts}.").format(parts=parts))
            if basis is None:
                basis = monthly
    applies = quarterly_applies(reg, facts)
    if reg.quarterly is not None and (applies or facts.quarters):
        quarter_levels = {q: c for q, c in sorted(facts.quarters.items()) if c in reg.level_codes}
        if quarter_levels:
            reasons.append(_("Quarterly assessments: {parts}.").format(parts=", ".join(
                _("quarter {q} {level}").format(q=q, level=code) for q, code in quarter_levels.items())))
            if basis is None:
                basis = _most_frequent(reg, Counter(quarter_levels.values()))
        missing = [q for q in quarters_due(facts) if q not in quarter_levels]
        if applies and missing:
            warnings.append(_("No quarterly assessment recorded for quarter {quarters} ({rule}).").format(
                quarters=", ".join(str(q) for q in missing), rule=reg.quarterly.ref.cite()))
    if reg.frameworks and framework is None:
        from .frameworks import framework_for

        choice = framework_for(facts.attributes, reg) if facts.attributes is not None else None
        if choice is None or choice.framework is None:
            warnings.append(_("The member's criteria framework is not known: state on the member's details whether "
                              "the member holds a leadership or management post and works in the political system "
                              "(leaders have further conditions)."))
    if facts.maternity_days:
        note = reg.info_note("maternity_leave")
        if note:
            reasons.append(_("{rule} ({days} days of maternity leave in the year).").format(
                rule=note.label, days=facts.maternity_days))
    if facts.probationary:
        reasons.append(_("Probationary member: rated like the other members."))
    warnings += attendance_warnings(facts)
    if basis is None and lim.hits:
        basis = lim.level
    if basis is None:
        reasons.append(_("No basis for a proposal yet (no score, no monthly ratings); the highest level allowed is “{level}”.").format(
            level=reg.level_name(lim.level)))
        return Proposal(None, tuple(reasons), lim, tuple(warnings))
    level = min(basis, lim.level, key=reg.rank)
    confirmed, skipped = highest_confirmed(reg, level, facts.flags, framework)
    for code, failures in skipped:
        reasons.append(_("The conditions of “{level}” are not all confirmed ({missing}): proposed “{lower}”.").format(
            level=reg.level_name(code), missing=_failures_text(failures),
            lower=reg.level_name(reg.level_codes[reg.level_codes.index(code) + 1]) if code != reg.lowest else code))
    problem = quarter_problem(reg, facts, confirmed)
    if problem:
        warnings.append(problem)
    return Proposal(confirmed, tuple(reasons), lim, tuple(warnings))


def level_problems(reg: Regulation, name: str, level: str, lim: Limit, score: float | None = None,
                   facts: MemberFacts | None = None, decision_ref: str = "") -> list[str]:
    """Why ``level`` may not be recorded for the member (empty when it may), each citing its rule.

    With ``facts``, the level's conditions (QĐ 366 Điều 11; QĐ 124; HD 21 2.3.a) must be confirmed in
    the facts' flags, unless ``decision_ref`` names the superior's decision that set the level otherwise;
    and the quarters are checked as the rule file says."""
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
    if facts is not None:
        failures = condition_failures(reg, level, facts.flags, framework_of(reg, facts))
        if failures and not decision_ref.strip():
            problems.append(_(
                "Comrade {name} cannot be rated “{level}”: its conditions are not confirmed: {missing}. Confirm them "
                "on the review sheet, or record the superior committee's decision with its document number."
            ).format(name=name, level=reg.level_name(level), missing=_failures_text(failures)))
        if reg.quarterly is not None and reg.quarterly.year_rule == "refuse_above_best_quarter":
            problem = quarter_problem(reg, facts, level)
            if problem and not decision_ref.strip():
                problems.append(_("Comrade {name}: {problem} ({cite}).").format(
                    name=name, problem=problem, cite=reg.quarterly.ref.cite()))
    return problems
