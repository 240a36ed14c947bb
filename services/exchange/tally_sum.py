"""Adding the branches' tallies into the committee's tally (same shape, plus the branches).

A branch tally is issue 4's object: {"year", "regulation", "branch", "members_total", "assessed",
"not_assessed", "not_assessed_reasons", "levels", "percent", "quota", "violations"}. The committee's
tally has the same keys, summed, with the percentages recomputed from the sums and the quota applied
at the committee's level (the committee applies the cap; a branch only proposes), plus:
  "branches": each branch's tally, with "branch_uid" and "collective_level" (its proposed rating);
  "missing": names of the branches expected by the committee that have not sent a file;
  "branches_total", "branches_sent", "collective_levels": {level: number of branches},
  "collective_not_rated": branches that proposed no collective rating.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..i18n import _
from ..review.rules import Quota
from .source import LEVELS, percent, quota_max, year_quota


@dataclass(frozen=True)
class BranchTally:
    uid: str
    name: str
    tally: dict[str, Any]
    collective_level: str | None = None
    decided_level: str | None = None     # the committee's decision on the branch's level, when recorded


def sum_tallies(branches: Sequence[BranchTally], year: int, committee: str, missing: Sequence[str] = (),
                quota: Quota | None = None) -> dict[str, Any]:
    """The committee's tally for `year` from its branches' tallies; the quota is the one of the regulation
    the year falls under (``quota``: as the committee's database reads its base)."""
    from ..review.rules import regulation_for

    quota = quota or year_quota(year)
    reg = regulation_for(year)
    levels = dict.fromkeys(LEVELS, 0)
    reasons: Counter[str] = Counter()
    members_total = assessed = not_assessed = 0
    violations: list[dict[str, Any]] = []
    regulations: list[str] = []
    entries = []
    for b in branches:
        t = b.tally
        members_total += t["members_total"]
        assessed += t["assessed"]
        not_assessed += t["not_assessed"]
        reasons.update(t["not_assessed_reasons"])
        for k in LEVELS:
            levels[k] += t["levels"][k]
        for v in t["violations"]:
            violations.append({**v, "branch": b.name})
        if t.get("regulation") and t["regulation"] not in regulations:
            regulations.append(t["regulation"])
        entries.append({**t, "branch_uid": b.uid, "collective_level": b.collective_level,
                        "decided_level": b.decided_level})
    maximum = quota_max(levels, quota)
    ok = levels.get(quota.level, 0) <= maximum
    if not ok:
        violations.append({
            "member": None, "rule": "quota", "branch": committee,
            "message": _("{n} members rated “{level}”, more than the {max} allowed ({pct}% of {base} rated {base_levels}).")
            .format(n=levels.get(quota.level, 0), level=reg.level_name(quota.level), max=maximum,
                    pct=_share_text(quota.share), base=quota.base(levels),
                    base_levels=" + ".join(f"“{reg.level_name(c)}”" for c in quota.base_levels)),
        })
    collective = Counter(b.collective_level for b in branches)
    return {
        "year": year,
        "regulation": ", ".join(regulations) if regulations else None,
        "branch": committee,
        "members_total": members_total,
        "assessed": assessed,
        "not_assessed": not_assessed,
        "not_assessed_reasons": dict(sorted(reasons.items())),
        "levels": levels,
        "percent": {k: percent(v, assessed) for k, v in levels.items()},
        "quota": {"max_HTXSNV": maximum, "ok": ok, "share": quota.share, "base_levels": list(quota.base_levels),
                  "reading": quota.current_reading.label},
        "violations": violations,
        "branches": entries,
        "missing": list(missing),
        "branches_total": len(branches) + len(missing),
        "branches_sent": len(branches),
        "collective_levels": {k: collective.get(k, 0) for k in LEVELS},
        "collective_not_rated": collective.get(None, 0),
    }


def _share_text(share: float) -> str:
    from ..i18n import format_number

    return format_number(round(share * 100, 2))
