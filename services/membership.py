"""Who belongs to the branch, and in which status, on any date: derived from dated events.

Nothing here is stored; every answer is computed from the member's events when asked.
"""
from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import NamedTuple, Protocol

from models import EventKind, Member, MemberEvent
from models.member import DisciplineForm

PERIOD_KINDS = {EventKind.EXEMPT, EventKind.SUSPENDED, EventKind.SICK_LEAVE, EventKind.MATERNITY_LEAVE}
LEAVING_KINDS = {EventKind.TRANSFER_OUT, EventKind.DIED, EventKind.REMOVED}
PROBATION_MONTHS = 12


class DatedEvent(Protocol):
    """What the membership rules read of an event: a database record or its read model (EventView)."""

    @property
    def id(self) -> int | None: ...
    @property
    def kind(self) -> str: ...
    @property
    def date(self) -> dt.date: ...
    @property
    def end_date(self) -> dt.date | None: ...
    @property
    def form(self) -> str: ...


@dataclass(frozen=True)
class EventView:
    """One event of a member's party life as plain values (a screen's read model of MemberEvent)."""

    id: int
    kind: str
    date: dt.date
    end_date: dt.date | None = None
    other_org: str = ""
    form: str = ""
    reason: str = ""


def event_view(e: MemberEvent) -> EventView:
    return EventView(e.id, e.kind, e.date, e.end_date, e.other_org or "", e.form or "", e.reason or "")


class Status(enum.StrEnum):
    PROBATIONARY = "probationary"  # dự bị
    FULL = "full"                  # chính thức


class Gone(enum.StrEnum):
    """Why a member is no longer in the branch."""

    TRANSFERRED = "transferred"
    DIED = "died"
    REMOVED = "removed"
    EXPELLED = "expelled"
    NOT_YET = "not_yet"  # the branch's membership starts later


class MemberState(NamedTuple):
    """The state of one member on one date. (A named tuple rather than a frozen dataclass: the register
    builds one for every member, and a named tuple is built several times faster.)"""

    in_branch: bool
    status: Status | None
    gone: Gone | None
    joined_branch: dt.date | None     # start of the current stay in the branch (admission or transfer in)
    admitted: dt.date | None          # ngày vào Đảng
    made_full: dt.date | None         # ngày chính thức
    exempt: bool
    suspended: bool
    sick_leave: bool
    maternity_leave: bool

    @property
    def active(self) -> bool:
        """In the branch and expected at meetings (not exempt, not suspended)."""
        return self.in_branch and not self.exempt and not self.suspended


def add_months(day: dt.date, months: int) -> dt.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _event_order(e: DatedEvent) -> tuple[dt.date, int]:
    return e.date, e.id or 0


def _sorted(events: Iterable[DatedEvent]) -> list[DatedEvent]:
    return sorted(events, key=_event_order)


_MOVES = (EventKind.TRANSFER_IN, EventKind.TRANSFER_OUT)


def admitted_here(events: Sequence[DatedEvent]) -> bool:
    """Whether the admission happened in this branch: true unless the first move is a transfer in."""
    return _admitted_here(_sorted(events))


def _admitted_here(evs: Sequence[DatedEvent]) -> bool:
    for e in evs:
        if e.kind in _MOVES:
            return e.kind == EventKind.TRANSFER_OUT
    return True


def _covers(event: DatedEvent, on: dt.date) -> bool:
    return event.date <= on and (event.end_date is None or on <= event.end_date)


def state_on(events: Sequence[DatedEvent], on: dt.date) -> MemberState:
    """The member's state on date `on` (inclusive), from their events."""
    return _state(_sorted(events), on)


def states_on(events: Iterable[DatedEvent], member_of: Callable[[DatedEvent], int], on: dt.date, *,
              in_order: bool = False) -> dict[int, MemberState]:
    """The state on `on` of every member who has events, in one pass over all the events (read in one query
    ordered by member): member id -> `state_on` of their events. Members with no event are left out (their
    state is `state_on([], on)`). `in_order`: each member's events already come in date then id order (the
    query sorts them), so they are not sorted again."""
    if in_order:
        return {member: _state(list(evs), on) for member, evs in groupby(events, member_of)}
    return {member: _state(_sorted(evs), on) for member, evs in groupby(events, member_of)}


# The kinds and outcomes `_state` compares with, looked up once (it runs for every event of the register).
_ADMITTED, _MADE_FULL = EventKind.ADMITTED, EventKind.MADE_FULL
_TRANSFER_IN, _TRANSFER_OUT = EventKind.TRANSFER_IN, EventKind.TRANSFER_OUT
_DIED, _REMOVED, _DISCIPLINE = EventKind.DIED, EventKind.REMOVED, EventKind.DISCIPLINE
_EXEMPT, _SUSPENDED = EventKind.EXEMPT, EventKind.SUSPENDED
_SICK_LEAVE, _MATERNITY_LEAVE = EventKind.SICK_LEAVE, EventKind.MATERNITY_LEAVE
_EXPULSION = DisciplineForm.EXPULSION


def _state(evs: Sequence[DatedEvent], on: dt.date) -> MemberState:
    """`state_on` of events already in date order."""
    here = _admitted_here(evs)
    in_branch = False
    gone: Gone | None = Gone.NOT_YET
    joined: dt.date | None = None
    admitted = made_full = None
    status: Status | None = None
    # The periods (exempt, suspended, sick or maternity leave) that have started by `on` and not ended before.
    exempt = suspended = sick_leave = maternity_leave = False
    for e in evs:
        date = e.date
        if date > on:
            break
        kind = e.kind
        if kind == _ADMITTED:
            admitted = date
            status = Status.FULL if made_full else Status.PROBATIONARY
            if here and gone == Gone.NOT_YET:
                in_branch, gone, joined = True, None, date
        elif kind == _MADE_FULL:
            made_full = date
            status = Status.FULL
        elif kind == _TRANSFER_IN:
            in_branch, gone, joined = True, None, date
            if status is None:
                status = Status.FULL
        elif kind == _TRANSFER_OUT:
            in_branch, gone = False, Gone.TRANSFERRED
        elif kind == _DIED:
            in_branch, gone = False, Gone.DIED
        elif kind == _REMOVED:
            in_branch, gone = False, Gone.REMOVED
        elif kind == _DISCIPLINE and e.form == _EXPULSION:
            in_branch, gone = False, Gone.EXPELLED
        elif kind in PERIOD_KINDS and (e.end_date is None or on <= e.end_date):
            if kind == _EXEMPT:
                exempt = True
            elif kind == _SUSPENDED:
                suspended = True
            elif kind == _SICK_LEAVE:
                sick_leave = True
            else:
                maternity_leave = True
    return MemberState(
        in_branch,
        status,
        None if in_branch else gone,
        joined if in_branch else None,
        admitted,
        made_full,
        in_branch and exempt,
        in_branch and suspended,
        in_branch and sick_leave,
        in_branch and maternity_leave,
    )


def in_branch_during(events: Sequence[DatedEvent], start: dt.date, end: dt.date) -> bool:
    """Whether the member belonged to the branch on at least one day of [start, end]."""
    if state_on(events, start).in_branch:
        return True
    return any(
        start < e.date <= end and state_on(events, e.date).in_branch for e in events
    )


def admission_date(events: Sequence[DatedEvent]) -> dt.date | None:
    dates = [e.date for e in events if e.kind == EventKind.ADMITTED]
    return min(dates) if dates else None


def full_date(events: Sequence[DatedEvent]) -> dt.date | None:
    dates = [e.date for e in events if e.kind == EventKind.MADE_FULL]
    return min(dates) if dates else None


def probation_due(events: Sequence[DatedEvent]) -> dt.date | None:
    """When the 12 months of probation end for a member not yet made full (None otherwise)."""
    admitted = admission_date(events)
    if admitted is None or full_date(events) is not None:
        return None
    return add_months(admitted, PROBATION_MONTHS)


def members_on(members: Iterable[Member], on: dt.date) -> list[tuple[Member, MemberState]]:
    out = []
    for m in members:
        st = state_on(m.events, on)
        if st.in_branch:
            out.append((m, st))
    return out
