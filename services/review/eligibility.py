"""Who is counted in the branch's review of a year, and who is rated (with the reason when not).

Computed from the register on the review date (a setting, by default 31 December), never stored:
* counted: members of the branch on the review date (members who left during the year are not
  in this branch's count);
* not rated, in this order of precedence: exempt from Party work and meetings, suspended,
  admitted less than N months before the review, transferred in less than N months before the
  review (a setting). The rules and their wording come from the year's regulation file.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from models import EventKind, Member
from models.member import DisciplineForm, MemberEvent

from .. import settings as settings_mod
from ..errors import ValidationError
from ..i18n import _, format_date
from ..membership import Gone, MemberState, Status, add_months, in_branch_during, state_on
from ..vntext import name_key
from .rules import NotRatedRule, Regulation, regulation_for
from .settings import REVIEW_DAY, TRANSFER_IN_MONTHS

LEFT_DURING_YEAR = "left_during_year"


def parse_day_month(text: str, year: int) -> dt.date:
    """"31/12" -> 31 December of ``year``; raises ValidationError when it is not a date."""
    parts = (text or "").strip().replace("-", "/").replace(".", "/").split("/")
    try:
        day, month = int(parts[0]), int(parts[1])
        return dt.date(year, month, day)
    except (ValueError, IndexError):
        raise ValidationError(_("The review date “{text}” is not a day and month (dd/mm).").format(text=text)) from None


def review_date(session: Session, year: int) -> dt.date:
    """The review date of ``year``: the year's own date if recorded, else the setting (31/12)."""
    from models import ReviewYear

    row = session.get(ReviewYear, year)
    if row is not None and row.review_date is not None:
        return row.review_date
    try:
        return parse_day_month(settings_mod.get(session, REVIEW_DAY.key), year)
    except ValidationError:
        return dt.date(year, 12, 31)


@dataclass(frozen=True)
class Eligibility:
    """One member in the review of a year."""

    member_id: int
    full_name: str
    birth_date: dt.date | None
    card_number: str
    position: str
    gender: str
    state: MemberState            # on the review date
    counted: bool                 # in the branch's count (in the branch on the review date)
    rated: bool                   # đủ điều kiện đánh giá, xếp loại
    reason: str | None            # code of the rule when not rated / not counted
    reason_text: str              # Vietnamese wording of the reason
    detail: str                   # the fact behind it ("kết nạp 19/08/2025")
    self_review: bool             # still writes a personal self-review
    sort_key: tuple
    # The attributes that choose the personal form and the framework (see review.frameworks).
    holds_leadership_post: bool | None = None
    in_political_system: bool | None = None
    party_post: str = ""

    @property
    def probationary(self) -> bool:
        return self.state.status == Status.PROBATIONARY


def _latest_transfer_in(events: Sequence[MemberEvent], on: dt.date, joined: dt.date | None) -> dt.date | None:
    dates = [e.date for e in events if e.kind == EventKind.TRANSFER_IN and e.date <= on]
    if not dates or joined is None:
        return None
    last = max(dates)
    return last if last == joined else None


def _not_rated(reg: Regulation, events: Sequence[MemberEvent], st: MemberState, on: dt.date,
               transfer_months: int) -> tuple[NotRatedRule, str, int | None] | None:
    """The first not-rated rule that applies, with the fact behind it."""
    for rule in reg.not_rated:
        if rule.code == "exempt" and st.exempt:
            since = max((e.date for e in events if e.kind == EventKind.EXEMPT and e.date <= on), default=None)
            return rule, _("since {date}").format(date=format_date(since)) if since else "", None
        if rule.code == "suspended" and st.suspended:
            since = max((e.date for e in events if e.kind == EventKind.SUSPENDED and e.date <= on), default=None)
            return rule, _("since {date}").format(date=format_date(since)) if since else "", None
        if rule.code == "new_admission" and st.admitted and rule.months and add_months(st.admitted, rule.months) > on:
            return rule, _("admitted on {date}").format(date=format_date(st.admitted)), rule.months
        if rule.code == "new_transfer":
            months = transfer_months if rule.setting else rule.months
            moved = _latest_transfer_in(events, on, st.joined_branch)
            if months and moved and add_months(moved, months) > on:
                return rule, _("transferred in on {date}").format(date=format_date(moved)), months
    return None


def eligibility(session: Session, year: int, members: Sequence[Member] | None = None,
                reg: Regulation | None = None, on: dt.date | None = None,
                include_left: bool = True) -> list[Eligibility]:
    """Every member counted in the review of ``year`` (and, with ``include_left``, those who left
    during the year, marked not counted), in Vietnamese name order."""
    from ..members import all_members

    reg = reg or regulation_for(year)
    on = on or review_date(session, year)
    members = all_members(session) if members is None else members
    transfer_months = settings_mod.get(session, TRANSFER_IN_MONTHS.key)
    start = dt.date(year, 1, 1)
    out: list[Eligibility] = []
    for m in members:
        st = state_on(m.events, on)
        base: dict[str, Any] = dict(member_id=m.id, full_name=m.full_name, birth_date=m.birth_date, card_number=m.card_number,
                    position=m.position, gender=m.gender, state=st, sort_key=name_key(m.full_name),
                    holds_leadership_post=m.holds_leadership_post, in_political_system=m.in_political_system,
                    party_post=m.party_post or "")
        if st.in_branch:
            hit = _not_rated(reg, m.events, st, on, transfer_months)
            if hit is None:
                out.append(Eligibility(**base, counted=True, rated=True, reason=None, reason_text="", detail="",
                                       self_review=True))
            else:
                rule, detail, months = hit
                out.append(Eligibility(**base, counted=True, rated=False, reason=rule.code,
                                       reason_text=rule.label_for(months), detail=detail,
                                       self_review=rule.self_review))
        elif include_left and st.gone not in (None, Gone.NOT_YET) and in_branch_during(m.events, start, on):
            left_on = max((e.date for e in m.events if start <= e.date <= on and (
                e.kind in (EventKind.TRANSFER_OUT, EventKind.DIED, EventKind.REMOVED)
                or (e.kind == EventKind.DISCIPLINE and e.form == DisciplineForm.EXPULSION))), default=None)
            from ..members import GONE_LABELS

            out.append(Eligibility(**base, counted=False, rated=False, reason=LEFT_DURING_YEAR,
                                   reason_text=_(GONE_LABELS[st.gone]) + _(" during the year (not counted)"),
                                   detail=format_date(left_on), self_review=False))
    out.sort(key=lambda e: (not e.counted, e.sort_key, e.birth_date or dt.date.min, e.member_id))
    return out


def reason_label(reg: Regulation, code: str, session: Session | None = None) -> str:
    """The Vietnamese wording of a not-rated reason code, as the year's regulation words it."""
    rule = reg.not_rated_rule(code)
    if rule is None:
        return code
    months = None
    if rule.setting and session is not None:
        months = settings_mod.get(session, TRANSFER_IN_MONTHS.key)
    return rule.label_for(months)
