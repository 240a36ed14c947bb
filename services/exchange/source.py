"""What a branch sends up for a year: the ONE place that reads the year-end review and the meetings.

`branch_year_data(session, year)` returns the content of data.json (see docs/exchange-format.md);
`branch_year_attachments(session, year)` the printed forms and the tally workbook, when there are any.
Both ask a *provider* for the parts that belong to other areas of the program:

- `ReviewProvider` (the default) reads the year-end review and the meetings;
- `RegisterProvider`: the register alone: the members on the review date with their status, no
  ratings ("no rating recorded"), an empty collective review and no meeting statistics.

Tests inject their own provider (a `RegisterProvider` subclass) instead of writing review tables.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy.orm import Session

from ..branch import get_branch
from ..errors import UserError
from ..i18n import _
from ..members import all_members
from ..membership import state_on
from ..review.rules import Quota
from ..vntext import name_key

LEVELS = ("HTXSNV", "HTTNV", "HTNV", "KHTNV")  # the keys of data.json's "levels" (docs/exchange-format.md)


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


def year_quota(year: int, session: Session | None = None) -> Quota:
    """The HTXSNV quota of the regulation ``year`` falls under (its share, base and level), read the way
    the database's setting review.quota_reading says (the regulation's own words by default)."""
    from ..review.rules import regulation_for

    reg = regulation_for(year)
    if session is None:
        return reg.quota
    from ..review.service import quota_for

    return quota_for(session, reg)


def quota_max(counts: dict[str, int], quota: Quota) -> int:
    """The most members that may be rated at the quota's level: floor(share × base), without float error."""
    return quota.maximum(counts)


def tally_from_members(year: int, branch: str, members: Iterable[dict[str, Any]], regulation: str | None = None,
                       quota: Quota | None = None) -> dict[str, Any]:
    """A tally object (issue 4's shape) counted from data.json member entries; no rule checks. The quota
    is the one of the year's regulation (``quota``: as the database reads it)."""
    quota = quota or year_quota(year)
    members = list(members)
    levels = Counter(m["level"] for m in members if m["level"])
    reasons = Counter(m["not_rated_reason"] or _("no rating recorded") for m in members if not m["level"])
    assessed = sum(levels.values())
    counts = {k: levels.get(k, 0) for k in LEVELS}
    maximum = quota_max(counts, quota)
    return {
        "year": year, "regulation": regulation, "branch": branch,
        "members_total": len(members), "assessed": assessed, "not_assessed": len(members) - assessed,
        "not_assessed_reasons": dict(sorted(reasons.items())),
        "levels": counts, "percent": {k: percent(v, assessed) for k, v in counts.items()},
        "quota": {"max_HTXSNV": maximum, "ok": counts.get(quota.level, 0) <= maximum},
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
        return tally_from_members(year, branch.name if branch else "", members, self.regulation(session, year),
                                  year_quota(year, session))

    def collective(self, session: Session, year: int) -> dict[str, Any]:
        return {"self_score": None, "self_score_max": None, "proposed_level": None, "self_assessment": ""}

    def meetings(self, session: Session, year: int) -> dict[str, Any]:
        return {"held": {}, "average_attendance": None, "three_unexcused": []}

    def forms_pdf(self, session: Session, year: int) -> bytes | None:
        return None

    def tally_xlsx(self, session: Session, year: int) -> bytes | None:
        return None


class ReviewProvider(RegisterProvider):
    """Reads the year-end review (services.review) and the meetings (services.meetings).

    Reasons for not rating are written as the regulation's Vietnamese wording, so that the file
    reads the same at a committee whose program has other rule files.
    """

    def review_date(self, session, year):
        from ..review.eligibility import review_date

        return review_date(session, year)

    def regulation(self, session, year):
        from ..review.rules import regulation_for

        return regulation_for(year).code

    def _labels(self, session, year) -> dict[str, str]:
        from .. import settings
        from ..review.rules import regulation_for
        from ..review.settings import TRANSFER_IN_MONTHS
        from ..review.tally import reason_labels

        return reason_labels(regulation_for(year), settings.get(session, TRANSFER_IN_MONTHS.key))

    def ratings(self, session, year):
        from models import Member

        from ..review.service import year_review

        labels = self._labels(session, year)
        review = year_review(session, year, include_left=False)
        missing = [r.full_name for r in review.rows if r.elig.counted and r.elig.rated and not r.level]
        if missing:
            raise UserError(_(
                "The year's review is not finished: {n} members who are to be rated have no level yet "
                "({names}). Record their levels on the Year-end review page first."
            ).format(n=len(missing), names=", ".join(missing[:5]) + (", …" if len(missing) > 5 else "")))
        uids = dict(session.query(Member.id, Member.uid).all())
        out = {}
        for row in review.rows:
            if not row.elig.counted:
                continue
            uid = uids[row.member_id]
            if not row.elig.rated:
                reason = labels.get(row.elig.reason or "", row.elig.reason_text)
                out[uid] = MemberRating(None, None, reason)
            elif row.level:
                out[uid] = MemberRating(row.level, row.score)
        return out

    def tally(self, session, year, members):
        from ..review.tally import tally

        data = tally(session, year).to_dict()
        labels = self._labels(session, year)
        reasons: Counter = Counter()
        for code, n in data["not_assessed_reasons"].items():
            reasons[labels.get(code, code)] += n
        data["not_assessed_reasons"] = dict(sorted(reasons.items()))
        return data

    def collective(self, session, year):
        from ..review.service import branch_review

        br = branch_review(session, year)
        texts = [("Ưu điểm", br.strengths), ("Hạn chế, khuyết điểm", br.weaknesses), ("Nguyên nhân", br.causes),
                 ("Biện pháp khắc phục", br.remedies), ("Phương hướng", br.directions)]
        return {"self_score": br.self_score, "self_score_max": br.max_points or None,
                "proposed_level": br.proposed_level or None,
                "self_assessment": "\n\n".join(f"{title}: {text}" for title, text in texts if text)}

    def meetings(self, session, year):
        from ..meetings import year_statistics

        stats = year_statistics(session, year)
        names = {m.uid: m.full_name for m in all_members(session)}
        return {"held": dict(stats["held"]), "average_attendance": stats["average_attendance"],
                "three_unexcused": [{"uid": uid, "name": names.get(uid, "")} for uid in stats["three_unexcused"]]}

    def forms_pdf(self, session, year):
        import tempfile
        from pathlib import Path

        from ..review.forms import SUBMITTED_FORMS, write_year_end

        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "forms.pdf"
            write_year_end(session, year, out, forms=SUBMITTED_FORMS)
            return out.read_bytes()

    def tally_xlsx(self, session, year):
        import tempfile
        from pathlib import Path

        from ..review.forms import write_year_end

        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "bieu-tong-hop.pdf"
            written = write_year_end(session, year, out, form="bieu-tong-hop", xlsx=True)
            xlsx = [p for p in written if p.suffix == ".xlsx"]
            return xlsx[0].read_bytes() if xlsx else None


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
