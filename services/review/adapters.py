"""Records kept by other areas of the program, read only when those areas are installed.

* monthly ratings: ``services.ratings.ratings_summary(session, year) -> dict[member_id, Counter]``
  (a Counter of level codes, one per month rated);
* attendance: ``services.meetings.YearBook(session, year).member_year(member_id).summary``
  (meetings expected at, present, excused, unexcused), given here as a dict per member with the keys
  ``meetings``, ``present``, ``absent_excused``, ``absent_unexcused``.

Each function returns an empty dict when the module or function is absent, so the review works
on a database without meetings or monthly ratings.
"""
from __future__ import annotations

import importlib
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.orm import Session


def _function(module: str, name: str):
    try:
        mod = importlib.import_module(module)
    except ImportError:
        return None
    return getattr(mod, name, None)


def monthly_ratings(session: Session, year: int) -> dict[int, Counter]:
    fn = _function("services.ratings", "ratings_summary")
    if fn is None:
        return {}
    result = fn(session, year) or {}
    return {int(k): Counter(v) for k, v in result.items()}


def attendance(session: Session, year: int, members: Sequence[Any] | None = None) -> dict[int, Any]:
    """The year's attendance of every member expected at one meeting or more (``members``: the
    register when the caller has already loaded it, so that it is not read again)."""
    book_class = _function("services.meetings", "YearBook")
    if book_class is None:
        return {}
    book = book_class(session, year, members)
    out: dict[int, Any] = {}
    if not book.meetings:
        return out
    for member in book.members:
        summary = book.member_year(member.id).summary
        if summary.meetings:
            out[member.id] = {"meetings": summary.meetings, "present": summary.present,
                              "absent_excused": summary.excused, "absent_unexcused": summary.unexcused}
    return out


def attendance_value(summary: Any, name: str) -> int | None:
    if summary is None:
        return None
    value = summary.get(name) if isinstance(summary, Mapping) else getattr(summary, name, None)
    return value if isinstance(value, int) and not isinstance(value, bool) else None
