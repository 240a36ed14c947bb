"""Records kept by other areas of the program that the year-end review reads.

* monthly ratings: ``services.ratings.ratings_summary(session, year) -> dict[member_id, Counter]``
  (a Counter of level codes, one per month rated);
* attendance: ``services.meetings.YearBook(session, year).member_year(member_id).summary``
  (meetings expected at, present, excused, unexcused), given here as a dict per member with the keys
  ``meetings``, ``present``, ``absent_excused``, ``absent_unexcused`` and ``unexcused_months`` (the months
  of the year with an absence without reason, which services.meetings.rules.removal_rule counts).
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.orm import Session


def monthly_ratings(session: Session, year: int) -> dict[int, Counter]:
    from ..ratings import ratings_summary

    return {int(k): Counter(v) for k, v in ratings_summary(session, year).items()}


def attendance(session: Session, year: int, members: Sequence[Any] | None = None) -> dict[int, Any]:
    """The year's attendance of every member expected at one meeting or more (``members``: the
    register when the caller has already loaded it, so that it is not read again)."""
    from ..meetings import YearBook

    book = YearBook(session, year, members)
    out: dict[int, Any] = {}
    if not book.meetings:
        return out
    for member in book.members:
        record = book.member_year(member.id)
        summary = record.summary
        if summary.meetings:
            out[member.id] = {"meetings": summary.meetings, "present": summary.present,
                              "absent_excused": summary.excused, "absent_unexcused": summary.unexcused,
                              "unexcused_months": list(record.unexcused_months)}
    return out


def attendance_value(summary: Any, name: str) -> int | None:
    if summary is None:
        return None
    value = summary.get(name) if isinstance(summary, Mapping) else getattr(summary, name, None)
    return value if isinstance(value, int) and not isinstance(value, bool) else None
