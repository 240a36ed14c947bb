"""A member entered by mistake (a duplicate, a row of a wrong import): what refers to it, deleting it,
and the likely duplicates of the register.

A member who leaves the branch gets an event (transfer, death, removal from the rolls), never a deletion:
only a record that nothing else refers to can be deleted. What refers to a member: their attendance at
meetings, monthly ratings, dues amounts and payments, year-end reviews, and the events of their Party life
other than those entered with their details (the admission and the date made full member). The deletion
is written in the history of changes (services.audit logs the member's row and its events).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from models import Attendance, DuesPayment, DuesRate, EventKind, Member, MemberReview, MonthlyRating

from .errors import ValidationError
from .i18n import _, format_date
from .members import MemberLike
from .vntext import fold

# Events entered with the member's details (the add and edit form): they are the record itself.
DETAIL_EVENTS = frozenset({EventKind.ADMITTED, EventKind.MADE_FULL})


@dataclass(frozen=True)
class MemberReferences:
    """What refers to one member; `deletable` when nothing does."""

    member_id: int
    full_name: str
    version: int
    meetings: int = 0          # meetings with the member's attendance recorded
    ratings: int = 0           # months rated
    dues_rates: int = 0        # monthly amounts set
    dues_payments: int = 0     # payments recorded
    reviews: int = 0           # year-end reviews
    events: tuple[str, ...] = ()   # other events of the member's Party life, described

    @property
    def deletable(self) -> bool:
        return not (self.meetings or self.ratings or self.dues_rates or self.dues_payments or self.reviews
                    or self.events)

    def lines(self) -> list[str]:
        """One Vietnamese line per kind of record that refers to the member (empty when none does)."""
        out = []
        if self.meetings:
            out.append(_("attendance recorded at {n} meeting(s)").format(n=self.meetings))
        if self.ratings:
            out.append(_("monthly ratings for {n} month(s)").format(n=self.ratings))
        if self.dues_rates:
            out.append(_("{n} monthly dues amount(s)").format(n=self.dues_rates))
        if self.dues_payments:
            out.append(_("{n} dues payment(s)").format(n=self.dues_payments))
        if self.reviews:
            out.append(_("year-end reviews of {n} year(s)").format(n=self.reviews))
        if self.events:
            out.append(_("events of the Party life: {events}").format(events="; ".join(self.events)))
        return out

    def refusal(self) -> list[str]:
        """Why the member cannot be deleted: what refers to it, and what to do instead."""
        return [
            _("{name} cannot be deleted: these records refer to this member.").format(name=self.full_name),
            *(f"• {line}" for line in self.lines()),
            _("A member who has left the branch is not deleted: record the transfer, death or removal from the "
              "rolls as an event. A record entered twice by mistake: delete what refers to it first (or keep "
              "the other record and delete this one once nothing refers to it)."),
        ]


def _counts(session: Session, model, member_id: int) -> int:
    return int(session.scalar(select(func.count()).select_from(model).where(model.member_id == member_id)) or 0)


def member_references(session: Session, member_id: int) -> MemberReferences | None:
    """What refers to the member (None when the member no longer exists)."""
    from .members import describe_event

    member = session.scalar(select(Member).where(Member.id == member_id).options(selectinload(Member.events)))
    if member is None:
        return None
    events = tuple(
        f"{describe_event(e)} ({format_date(e.date)})"
        for e in sorted(member.events, key=lambda e: (e.date, e.id or 0))
        if e.kind not in DETAIL_EVENTS
    )
    return MemberReferences(
        member_id=member.id, full_name=member.full_name, version=member.version,
        meetings=_counts(session, Attendance, member_id),
        ratings=_counts(session, MonthlyRating, member_id),
        dues_rates=_counts(session, DuesRate, member_id),
        dues_payments=_counts(session, DuesPayment, member_id),
        reviews=_counts(session, MemberReview, member_id),
        events=events,
    )


def delete_entered_by_mistake(session: Session, member_id: int, seen_version: int | None = None) -> str:
    """Delete a member entered by mistake, with the admission and made-full events entered with it.

    Refused (ValidationError naming what refers to the member) when anything else refers to it, and when
    the record was changed elsewhere since the window showed it (`seen_version`). Returns the name deleted.
    """
    from .db import take_write_lock

    take_write_lock(session)  # nothing may start referring to the member between the check and the delete
    refs = member_references(session, member_id)
    if refs is None:
        raise ValidationError(_("This member no longer exists; it was deleted since the window showed it."))
    if seen_version is not None and refs.version != seen_version:
        raise ValidationError(_(
            "{name} was changed elsewhere (another window or another computer) since this window showed it; "
            "nothing was deleted. Look at the member again before deleting."
        ).format(name=refs.full_name))
    if not refs.deletable:
        raise ValidationError(refs.refusal())
    member = session.get(Member, member_id)
    assert member is not None
    session.delete(member)   # its events go with it (delete-orphan), each logged in the history
    session.flush()
    return refs.full_name


# --- likely duplicates ---------------------------------------------------------------------------

@dataclass(frozen=True)
class LikelyDuplicate:
    """A member whose record looks like another's: same name and date of birth, or same Party card number."""

    member_id: int
    others: tuple[int, ...]    # ids of the records it looks like
    reason: str                # Vietnamese, naming the other records


def likely_duplicates(entries: Iterable[MemberLike]) -> dict[int, LikelyDuplicate]:
    """The members of `entries` that probably are the same person as another entry, by id.

    Two records are flagged when their names are the same once folded (case, tone marks, spaces) and so
    are their dates of birth (both unknown counts as the same), or when they have the same Party card
    number. Flagged records are checked by the secretary; nothing is merged or deleted here.
    """
    rows: Sequence[MemberLike] = list(entries)
    by_name: dict[tuple[str, dt.date | None], list[MemberLike]] = {}
    by_card: dict[str, list[MemberLike]] = {}
    for r in rows:
        name = " ".join(fold(r.full_name or "").split())
        if name:
            by_name.setdefault((name, r.birth_date), []).append(r)
        card = "".join((r.card_number or "").split()).upper()
        if card:
            by_card.setdefault(card, []).append(r)
    reasons: dict[int, list[str]] = {}
    others: dict[int, set[int]] = {}
    for group in by_name.values():
        if len(group) < 2:
            continue
        for r in group:
            mates = [o for o in group if o.id != r.id]
            others.setdefault(r.id, set()).update(o.id for o in mates)
            when = format_date(r.birth_date) if r.birth_date else _("date of birth not entered")
            reasons.setdefault(r.id, []).append(_(
                "same name and date of birth ({date}) as {n} other record(s)").format(date=when, n=len(mates)))
    for card, group in by_card.items():
        if len(group) < 2:
            continue
        for r in group:
            mates = [o for o in group if o.id != r.id]
            others.setdefault(r.id, set()).update(o.id for o in mates)
            reasons.setdefault(r.id, []).append(_("same Party card number ({number}) as: {names}").format(
                number=card, names=", ".join(o.full_name for o in mates)))
    return {
        mid: LikelyDuplicate(mid, tuple(sorted(others[mid])),
                             _("Probably entered twice: {reasons}.").format(reasons="; ".join(reasons[mid])))
        for mid in reasons
    }
