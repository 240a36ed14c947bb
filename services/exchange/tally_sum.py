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
from .source import DEFAULT_QUOTA_SHARE, LEVELS, percent, quota_max


@dataclass(frozen=True)
class BranchTally:
    uid: str
    name: str
    tally: dict[str, Any]
    collective_level: str | None = None
    decided_level: str | None = None     # the committee's decision on the branch's level, when recorded


def sum_tallies(branches: Sequence[BranchTally], year: int, committee: str, missing: Sequence[str] = (),
                share: float = DEFAULT_QUOTA_SHARE) -> dict[str, Any]:
    """The committee's tally for `year` from its branches' tallies."""
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
    maximum = quota_max(levels["HTTNV"], share)
    ok = levels["HTXSNV"] <= maximum
    if not ok:
        violations.append({
            "member": None, "rule": "quota", "branch": committee,
            "message": _("{n} members rated HTXSNV, more than the {max} allowed ({pct}% of {httnv} rated HTTNV).")
            .format(n=levels["HTXSNV"], max=maximum, pct=_share_text(share), httnv=levels["HTTNV"]),
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
        "quota": {"max_HTXSNV": maximum, "ok": ok, "share": share},
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
