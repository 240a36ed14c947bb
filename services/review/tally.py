"""The tally of a year's review, in the shape branches report it upward.

``tally(session, year)`` computes it from the register and the recorded levels; ``Tally.to_dict()``
is the JSON object of ``python main.py tally --json``::

    {"year", "regulation", "branch", "members_total", "assessed", "not_assessed",
     "not_assessed_reasons": {reason_code: n}, "levels": {"HTXSNV": n, "HTTNV": n, "HTNV": n, "KHTNV": n},
     "percent": {same keys, % of assessed, 2 decimals}, "quota": {"max_HTXSNV": n, "ok": bool},
     "violations": [{"member", "rule", "message"}]}

``add_tallies`` adds the tallies of several branches (a committee's view): counts are summed and
percentages and the quota recomputed on the sums, since the quota applies at the committee.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy.orm import Session

from ..i18n import _, format_number, format_pct
from ..membership import Status
from .rules import Quota, Regulation, regulation_for
from .service import YearReview, branch_problems, branch_review, year_review

LEVEL_KEYS = ("HTXSNV", "HTTNV", "HTNV", "KHTNV")


def percent(n: int, of: int) -> float:
    """n as a percentage of ``of``, 2 decimals rounded half up (0 when ``of`` is 0)."""
    if not of:
        return 0.0
    return float((Decimal(100 * n) / Decimal(of)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


@dataclass
class Violation:
    member: str | None
    rule: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"member": self.member, "rule": self.rule, "message": self.message}


@dataclass
class Tally:
    year: int
    regulation: str                      # code of the regulation, e.g. "QD366"
    branch: str
    members_total: int                   # members of the branch on the review date
    assessed: int                        # đủ điều kiện đánh giá, xếp loại
    not_assessed: int
    not_assessed_reasons: dict[str, int]
    levels: dict[str, int]
    quota_max: int
    violations: list[Violation] = field(default_factory=list)
    # Not in the JSON object; for the printed report and the screen.
    full_members: int = 0
    probationary: int = 0
    unrated: int = 0                     # eligible members without a level yet
    disciplined: int = 0                 # members disciplined in the year
    decided: int = 0                     # levels decided by the committee (the rest are proposals)
    left_during_year: int = 0
    review_date: dt.date | None = None
    branch_score: float | None = None
    branch_max_points: float | None = None
    branch_proposed_level: str = ""
    branch_decided_level: str = ""
    quota_effect: str = "warning"        # "warning" in a branch, "check" in a committee
    previous: Tally | None = None
    quota_base: int = 0                  # the number the quota's share is taken of
    quota_reading: str = ""              # how the base is read (the rule file's wording of the reading)
    quota_text_reading: bool = True      # the regulation's own reading (not another the setting chose)

    @property
    def percent(self) -> dict[str, float]:
        return {k: percent(self.levels.get(k, 0), self.assessed) for k in LEVEL_KEYS}

    @property
    def rated(self) -> int:
        return sum(self.levels.values())

    @property
    def quota_ok(self) -> bool:
        return self.levels.get("HTXSNV", 0) <= self.quota_max

    @property
    def htxsnv_of_httnv(self) -> float | None:
        """HTXSNV as a % of HTTNV (2 decimals); None when no one is rated HTTNV (the share is undefined:
        printed "—", never "0%")."""
        if not self.levels.get("HTTNV", 0):
            return None
        return percent(self.levels.get("HTXSNV", 0), self.levels.get("HTTNV", 0))

    def to_dict(self) -> dict[str, Any]:
        """Exactly the JSON object of the issue (keys and order)."""
        return {
            "year": self.year,
            "regulation": self.regulation,
            "branch": self.branch,
            "members_total": self.members_total,
            "assessed": self.assessed,
            "not_assessed": self.not_assessed,
            "not_assessed_reasons": dict(self.not_assessed_reasons),
            "levels": {k: self.levels.get(k, 0) for k in LEVEL_KEYS},
            "percent": self.percent,
            "quota": {"max_HTXSNV": self.quota_max, "ok": self.quota_ok},
            "violations": [v.to_dict() for v in self.violations],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Tally:
        """Read back a tally written by ``to_dict`` (e.g. a branch's file received by the committee)."""
        return cls(
            year=int(data["year"]), regulation=str(data["regulation"]), branch=str(data["branch"]),
            members_total=int(data["members_total"]), assessed=int(data["assessed"]),
            not_assessed=int(data["not_assessed"]),
            not_assessed_reasons={str(k): int(v) for k, v in dict(data.get("not_assessed_reasons") or {}).items()},
            levels={k: int(dict(data["levels"]).get(k, 0)) for k in LEVEL_KEYS},
            quota_max=int(dict(data["quota"])["max_HTXSNV"]),
            violations=[Violation(v.get("member"), str(v.get("rule", "")), str(v.get("message", "")))
                        for v in data.get("violations") or []],
        )


def share_text(value: float | None, fmt=None) -> str:
    """A share that may be undefined: "—" for None (e.g. HTXSNV as a share of no HTTNV at all)."""
    if value is None:
        return "—"
    return (fmt or (lambda v: format_pct(v, 2)))(value)


def _violations(review: YearReview, quota_max: int, levels: Counter, effect: str) -> list[Violation]:
    reg = review.regulation
    quota = review.quota or reg.quota
    out: list[Violation] = []
    for row in review.rows:
        for message in row.problems:
            rule = "not_counted" if not row.elig.counted else ("not_eligible" if not row.elig.rated else "cap")
            out.append(Violation(row.full_name, rule, message))
        if row.elig.rated and not row.level:
            out.append(Violation(row.full_name, "not_rated_yet", _(
                "Comrade {name} has no level yet.").format(name=row.full_name)))
    current = levels.get(quota.level, 0)
    if current > quota_max:
        text = _quota_message(reg, current, quota_max, levels, effect, quota)
        out.append(Violation(None, "quota", text))
    return out


def _quota_message(reg: Regulation, current: int, quota_max: int, levels: Mapping[str, int], effect: str,
                   quota: Quota | None = None) -> str:
    quota = quota or reg.quota
    base = quota.base(levels)
    text = _("{current} rated “{level}”, more than the {max} allowed ({share} of {base} rated “{base_level}”, rounded down; {cite}).").format(
        current=current, level=reg.level_name(quota.level), max=quota_max,
        share=format_pct(quota.share * 100, 0), base=base,
        base_level=", ".join(reg.level_name(c) for c in quota.base_levels), cite=quota.ref.cite())
    if effect == "warning":
        text += " " + _("The branch proposes; the committee applies the quota.")
    return text


def tally(session: Session, year: int, with_previous: bool = True, review: YearReview | None = None) -> Tally:
    """The tally of ``year`` from the register and the recorded levels.

    ``review``: the year's ``year_review(session, year)`` (with the members who left) when the caller
    already has it, so that it is not computed twice.
    """
    from ..branch import get_branch

    review = review if review is not None else year_review(session, year)
    reg = review.regulation
    branch = get_branch(session)
    effect = reg.quota.committee_effect if branch is not None and branch.kind == "committee" else reg.quota.branch_effect
    counted = [r for r in review.rows if r.elig.counted]
    rated = [r for r in counted if r.elig.rated]
    levels = Counter(r.level for r in rated if r.level)
    reasons = Counter(r.elig.reason for r in counted if not r.elig.rated)
    quota = review.quota or reg.quota
    quota_max = quota.maximum(levels)
    br = branch_review(session, year)
    violations = _violations(review, quota_max, levels, effect)
    violations += [Violation(None, "branch", p) for p in branch_problems(session, br)]
    t = Tally(
        year=year, regulation=reg.code, branch=branch.name if branch else "",
        members_total=len(counted), assessed=len(rated), not_assessed=len(counted) - len(rated),
        not_assessed_reasons={code: reasons[code] for code in [r.code for r in reg.not_rated] if reasons.get(code)},
        levels={k: levels.get(k, 0) for k in LEVEL_KEYS}, quota_max=quota_max,
        violations=violations,
        full_members=sum(1 for r in counted if r.elig.state.status == Status.FULL),
        probationary=sum(1 for r in counted if r.elig.state.status == Status.PROBATIONARY),
        unrated=sum(1 for r in rated if not r.level),
        disciplined=sum(1 for r in counted if r.facts is not None and r.facts.discipline),
        decided=sum(1 for r in rated if r.decided_level),
        left_during_year=sum(1 for r in review.rows if not r.elig.counted),
        review_date=review.review_date,
        branch_score=br.self_score, branch_max_points=br.max_points,
        branch_proposed_level=br.proposed_level, branch_decided_level=br.decided_level,
        quota_effect=effect, quota_base=quota.base(levels), quota_reading=quota.current_reading.label,
        quota_text_reading=quota.reading == "text",
    )
    if with_previous:
        from .service import reviewed_years

        if year - 1 in reviewed_years(session):
            try:
                t.previous = tally(session, year - 1, with_previous=False)
            except Exception:  # no regulation for that year: no comparison
                t.previous = None
    return t


def add_tallies(tallies: Iterable[Tally], branch: str, effect: str = "check", quota: Quota | None = None) -> Tally:
    """The sum of several branches' tallies of the same year (a committee's tally).

    The quota is recomputed on the summed counts (it applies at the grassroots organisation);
    the branches' violations are kept, each message prefixed with its branch.
    """
    items = list(tallies)
    if not items:
        raise ValueError("no tallies to add")
    years = {t.year for t in items}
    if len(years) != 1:
        raise ValueError(f"tallies of different years: {sorted(years)}")
    year = items[0].year
    reg = regulation_for(year)
    quota = quota or reg.quota
    levels: Counter[str] = Counter()
    reasons: Counter = Counter()
    for t in items:
        levels.update({k: v for k, v in t.levels.items() if v})
        reasons.update({k: v for k, v in t.not_assessed_reasons.items() if v})
    quota_max = quota.maximum(levels)
    violations = [Violation(v.member, v.rule, f"{t.branch}: {v.message}") for t in items for v in t.violations
                  if v.rule != "quota"]
    if levels.get(quota.level, 0) > quota_max:
        violations.append(Violation(None, "quota", _quota_message(reg, levels[quota.level], quota_max, levels, effect,
                                                                  quota)))
    return Tally(
        year=year, regulation=reg.code, branch=branch,
        members_total=sum(t.members_total for t in items), assessed=sum(t.assessed for t in items),
        not_assessed=sum(t.not_assessed for t in items), not_assessed_reasons=dict(reasons),
        levels={k: levels.get(k, 0) for k in LEVEL_KEYS}, quota_max=quota_max, violations=violations,
        full_members=sum(t.full_members for t in items), probationary=sum(t.probationary for t in items),
        unrated=sum(t.unrated for t in items), disciplined=sum(t.disciplined for t in items),
        decided=sum(t.decided for t in items), left_during_year=sum(t.left_during_year for t in items),
        quota_effect=effect, quota_base=quota.base(levels), quota_reading=quota.current_reading.label,
        quota_text_reading=quota.reading == "text",
    )


# --- a readable table --------------------------------------------------------------------------

def reason_labels(reg: Regulation, months: int | None = None) -> dict[str, str]:
    out = {}
    for rule in reg.not_rated:
        out[rule.code] = rule.label_for(months if rule.setting and months is not None else None)
    return out


def format_text(t: Tally, transfer_months: int | None = None) -> str:
    """The tally as a plain Vietnamese table for the terminal."""
    reg = regulation_for(t.year)
    labels = reason_labels(reg, transfer_months)
    lines = [
        _("RESULTS OF THE REVIEW AND QUALITY RATING OF PARTY MEMBERS, {year}").format(year=t.year),
        _("{branch} — under {regulation} ({guidance})").format(branch=t.branch, regulation=reg.short_name,
                                                             guidance=reg.guidance_names),
        "",
        _("Members of the branch: {total} (full: {full}, probationary: {prob})").format(
            total=t.members_total, full=t.full_members, prob=t.probationary),
        _("Eligible for rating: {n}").format(n=t.assessed),
    ]
    if t.not_assessed:
        parts = "; ".join(f"{labels.get(code, code)}: {n}" for code, n in t.not_assessed_reasons.items())
        lines.append(_("Not rated: {n} ({parts})").format(n=t.not_assessed, parts=parts))
    else:
        lines.append(_("Not rated: 0"))
    if t.left_during_year:
        lines.append(_("Left the branch during the year (not counted): {n}").format(n=t.left_during_year))
    lines.append("")
    name_width = max(len(reg.level_name(k)) for k in LEVEL_KEYS) + 2
    level_h, number_h, share_h, last_h = _("Level"), _("Number"), _("Share"), _("Last year")
    head = f"{level_h:<{name_width}}{number_h:>10}{share_h:>10}"
    if t.previous:
        head += f"{last_h:>16}"
    lines.append(head)
    lines.append("-" * len(head))
    pct = t.percent
    for k in LEVEL_KEYS:
        line = f"{reg.level_name(k):<{name_width}}{t.levels.get(k, 0):>10}{format_pct(pct[k], 2):>10}"
        if t.previous:
            line += f"{t.previous.levels.get(k, 0):>6} ({format_pct(t.previous.percent[k], 2)})"
        lines.append(line)
    lines.append("-" * len(head))
    total_h = _("Total rated")
    lines.append(f"{total_h:<{name_width}}{t.rated:>10}")
    if t.unrated:
        lines.append(_("Eligible members without a level yet: {n}").format(n=t.unrated))
    lines.append("")
    status = _("within the quota") if t.quota_ok else (
        _("over the quota: warning") if t.quota_effect == "warning" else _("over the quota"))
    lines.append(_("HTXSNV as a share of HTTNV: {pct}; at most {max} allowed ({status}).").format(
        pct=share_text(t.htxsnv_of_httnv), max=t.quota_max, status=status))
    lines.append(_("Quota base: {reading}.").format(reading=t.quota_reading))
    lines.append(_("Members disciplined in the year: {n}").format(n=t.disciplined))
    if t.branch_score is not None:
        lines.append(_("The branch's self-score: {score}/{max}").format(
            score=format_number(t.branch_score), max=format_number(t.branch_max_points or 100)))
    if t.branch_proposed_level:
        lines.append(_("Level the branch proposes for itself: {level}").format(level=reg.level_name(t.branch_proposed_level)))
    if t.branch_decided_level:
        lines.append(_("Level decided by the committee for the branch: {level}").format(
            level=reg.level_name(t.branch_decided_level)))
    if t.violations:
        lines.append("")
        lines.append(_("To check:"))
        lines += [f"- {v.message}" for v in t.violations]
    return "\n".join(lines)


@dataclass(frozen=True)
class TallyText:
    """The tally in sentences for the screen (the table and the chart show the levels themselves)."""

    lines: tuple[str, ...]
    checks: tuple[str, ...]          # "To check:" items (rule breaches, the quota)


def tally_text(t: Tally, reg: Regulation) -> TallyText:
    labels = {r.code: r.label_for(None) for r in reg.not_rated}
    lines = [
        _("Members of the branch: {total} (full: {full}, probationary: {prob})").format(
            total=t.members_total, full=t.full_members, prob=t.probationary),
        _("Eligible for rating: {n}").format(n=t.assessed),
    ]
    if t.not_assessed:
        parts = "; ".join(f"{labels.get(code, code)}: {n}" for code, n in t.not_assessed_reasons.items())
        lines.append(_("Not rated: {n} ({parts})").format(n=t.not_assessed, parts=parts))
    if t.left_during_year:
        lines.append(_("Left the branch during the year (not counted): {n}").format(n=t.left_during_year))
    status = _("within the quota") if t.quota_ok else _("over the quota: warning")
    lines.append(_("HTXSNV as a share of HTTNV: {pct}; at most {max} allowed ({status}).").format(
        pct=share_text(t.htxsnv_of_httnv), max=t.quota_max, status=status))
    lines.append(_("Members disciplined in the year: {n}").format(n=t.disciplined))
    if t.branch_score is not None:
        lines.append(_("The branch's self-score: {score}/{max}").format(
            score=format_number(t.branch_score), max=format_number(t.branch_max_points or 100)))
    if t.branch_proposed_level:
        lines.append(_("Level the branch proposes for itself: {level}").format(
            level=reg.level_name(t.branch_proposed_level)))
    return TallyText(tuple(lines), tuple(v.message for v in t.violations))
