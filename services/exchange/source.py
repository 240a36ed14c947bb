"""What a branch sends up for a year: the ONE place that reads the year-end review and the meetings.

`branch_year_data(session, year)` returns the content of data.json (see docs/exchange-format.md);
`branch_year_attachments(session, year)` the printed forms and the tally workbook, when there are any.
Both ask a *provider* for the parts that belong to other areas of the program:

- `ReviewProvider` (the default) imports `services.review` and `services.meetings` lazily and uses
  what they offer (the names it looks for are listed on the class); whatever is absent falls back to
- `RegisterProvider`: an honest minimal version from the register alone: the members on the review
  date with their status, no ratings ("no rating recorded"), an empty collective review and no
  meeting statistics.

Tests inject their own provider (a `RegisterProvider` subclass) instead of writing review tables.
"""
from __future__ import annotations

import datetime as dt
import importlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy.orm import Session

from ..branch import get_branch
from ..i18n import _
from ..members import all_members
from ..membership import state_on
from ..vntext import name_key

LEVELS = ("HTXSNV", "HTTNV", "HTNV", "KHTNV")
DEFAULT_QUOTA_SHARE = 0.20


@dataclass(frozen=True)
class MemberRating:
    """A member's result for the year: a level code, or why the member was not rated."""

    level: str | None
    score: float | None = None
    not_rated_reason: str | None = None


def percent(n: int, of: int) -> float:
    """n as a percentage of `of`, rounded half up to 2 decimals (0 when `of` is 0)."""
    if not of:
        return 0.0
    return float((Decimal(100 * n) / Decimal(of)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def quota_max(httnv: int, share: float = DEFAULT_QUOTA_SHARE) -> int:
    """The most members that may be rated HTXSNV: floor(share × HTTNV), computed without float error."""
    return int((Decimal(str(share)) * httnv).to_integral_value(rounding="ROUND_FLOOR"))


def tally_from_members(year: int, branch: str, members: Iterable[dict[str, Any]], regulation: str | None = None,
                       share: float = DEFAULT_QUOTA_SHARE) -> dict[str, Any]:
    """A tally object (issue 4's shape) counted from data.json member entries; no rule checks."""
    members = list(members)
    levels = Counter(m["level"] for m in members if m["level"])
    reasons = Counter(m["not_rated_reason"] or _("no rating recorded") for m in members if not m["level"])
    assessed = sum(levels.values())
    counts = {k: levels.get(k, 0) for k in LEVELS}
    maximum = quota_max(counts["HTTNV"], share)
    return {
        "year": year, "regulation": regulation, "branch": branch,
        "members_total": len(members), "assessed": assessed, "not_assessed": len(members) - assessed,
        "not_assessed_reasons": dict(sorted(reasons.items())),
        "levels": counts, "percent": {k: percent(v, assessed) for k, v in counts.items()},
        "quota": {"max_HTXSNV": maximum, "ok": counts["HTXSNV"] <= maximum},
        "violations": [],
    }


def review_date(year: int) -> dt.date:
    return dt.date(year, 12, 31)


class RegisterProvider:
    """The register alone: members and their status, nothing rated."""

    def review_date(self, session: Session, year: int) -> dt.date:
        return review_date(year)

    def regulation(self, session: Session, year: int) -> str | None:
        return None

    def ratings(self, session: Session, year: int) -> dict[str, MemberRating]:
        """Member.uid -> rating. Members absent from the map have no rating recorded."""
        return {}

    def tally(self, session: Session, year: int, members: list[dict[str, Any]]) -> dict[str, Any]:
        branch = get_branch(session)
        return tally_from_members(year, branch.name if branch else "", members, self.regulation(session, year))

    def collective(self, session: Session, year: int) -> dict[str, Any]:
        return {"self_score": None, "self_score_max": None, "proposed_level": None, "self_assessment": ""}

    def meetings(self, session: Session, year: int) -> dict[str, Any]:
        return {"held": {}, "average_attendance": None, "three_unexcused": []}

    def forms_pdf(self, session: Session, year: int) -> bytes | None:
        return None

    def tally_xlsx(self, session: Session, year: int) -> bytes | None:
        return None


def _optional(module: str):
    try:
        return importlib.import_module(module)
    except ImportError:
        return None


class ReviewProvider(RegisterProvider):
    """Reads the year-end review and the meetings when those parts of the program are installed.

    Expected from `services.review` (each optional; a missing one falls back to the register):
      review_date(session, year) -> date;  regulation_code(session, year) -> str;
      member_results(session, year) -> iterable of objects with .member_uid, .level (code or None),
          .score (or None), .reason (why not rated, Vietnamese text, or None);
      tally(session, year) -> dict in issue 4's shape;
      collective_review(session, year) -> object with .self_score, .self_score_max,
          .proposed_level (code or None), .self_assessment (text);
      forms_pdf_bytes(session, year) -> bytes;  tally_xlsx_bytes(session, year) -> bytes.
    Expected from `services.meetings`:
      year_statistics(session, year) -> {"held": {kind: n}, "average_attendance": float | None,
          "three_unexcused": [Member.uid, ...]}.
    """

    def __init__(self) -> None:
        self.review = _optional("services.review")
        self.meetings_mod = _optional("services.meetings")

    def _fn(self, module, name: str):
        return getattr(module, name, None) if module is not None else None

    def review_date(self, session, year):
        fn = self._fn(self.review, "review_date")
        return fn(session, year) if fn else super().review_date(session, year)

    def regulation(self, session, year):
        fn = self._fn(self.review, "regulation_code")
        return fn(session, year) if fn else None

    def ratings(self, session, year):
        fn = self._fn(self.review, "member_results")
        if fn is None:
            return {}
        return {r.member_uid: MemberRating(r.level, r.score, r.reason) for r in fn(session, year)}

    def tally(self, session, year, members):
        fn = self._fn(self.review, "tally")
        return fn(session, year) if fn else super().tally(session, year, members)

    def collective(self, session, year):
        fn = self._fn(self.review, "collective_review")
        if fn is None:
            return super().collective(session, year)
        c = fn(session, year)
        return {"self_score": c.self_score, "self_score_max": c.self_score_max,
                "proposed_level": c.proposed_level, "self_assessment": c.self_assessment or ""}

    def meetings(self, session, year):
        fn = self._fn(self.meetings_mod, "year_statistics")
        if fn is None:
            return super().meetings(session, year)
        stats = fn(session, year)
        names = {m.uid: m.full_name for m in all_members(session)}
        return {"held": dict(stats["held"]), "average_attendance": stats["average_attendance"],
                "three_unexcused": [{"uid": uid, "name": names.get(uid, "")} for uid in stats["three_unexcused"]]}

    def forms_pdf(self, session, year):
        fn = self._fn(self.review, "forms_pdf_bytes")
        return fn(session, year) if fn else None

    def tally_xlsx(self, session, year):
        fn = self._fn(self.review, "tally_xlsx_bytes")
        return fn(session, year) if fn else None


def default_provider() -> RegisterProvider:
    return ReviewProvider()


def branch_year_data(session: Session, year: int, provider: RegisterProvider | None = None) -> dict[str, Any]:
    """The content of data.json for `year` (see docs/exchange-format.md)."""
    provider = provider or default_provider()
    on = provider.review_date(session, year)
    ratings = provider.ratings(session, year)
    members = []
    rows = [(m, st) for m in all_members(session) if (st := state_on(m.events, on)).in_branch]
    rows.sort(key=lambda r: (name_key(r[0].full_name), r[0].birth_date or dt.date.min, r[0].id))
    for m, st in rows:
        rating = ratings.get(m.uid, MemberRating(None))
        members.append({
            "uid": m.uid, "name": m.full_name,
            "birth_year": m.birth_date.year if m.birth_date else None,
            "status": st.status.value if st.status else "full",
            "level": rating.level,
            "not_rated_reason": None if rating.level else (rating.not_rated_reason or _("no rating recorded")),
            "score": rating.score,
        })
    return {
        "period": {"kind": "year", "year": year},
        "members": members,
        "tally": provider.tally(session, year, members),
        "collective": provider.collective(session, year),
        "meetings": provider.meetings(session, year),
    }


def branch_year_attachments(session: Session, year: int,
                            provider: RegisterProvider | None = None) -> dict[str, bytes]:
    """Role -> bytes of the printed forms ("forms_pdf") and the tally workbook ("tally_xlsx"), when present."""
    provider = provider or default_provider()
    out = {}
    pdf = provider.forms_pdf(session, year)
    if pdf:
        out["forms_pdf"] = pdf
    xlsx = provider.tally_xlsx(session, year)
    if xlsx:
        out["tally_xlsx"] = xlsx
    return out
