"""Operations: one unit of work on the database, and what it changed.

The window (ui/operations.py) runs every write and every long task through `perform`, on a
background thread, and refreshes the pages the returned `OpChanges` names. The command line may
use the same functions. Nothing here imports Qt.

    def op(session) -> OpResult:
        member = members.add_member(session, data, today)
        return OpResult(MEMBERS, member.id)

A read for the screen goes through `read`: the function gets a session that is never committed
and must return plain values (the "read models": frozen dataclasses, numbers, text), never a
database object nor the session itself, so that no page holds records that go stale or load lazily
after the session is gone. `ensure_plain` checks it.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from .db import Database

T = TypeVar("T")


@dataclass(frozen=True)
class OpChanges:
    """Which kinds of records an operation changed; the pages showing them are then stale."""

    branch: bool = False      # the branch's details, settings shared by every page
    members: bool = False     # the register and members' life events
    meetings: bool = False    # meetings, attendance, minutes, votes
    ratings: bool = False     # monthly ratings and the rating scale
    dues: bool = False        # dues amounts, payments, dues settings
    review: bool = False      # the year-end review
    exchange: bool = False    # files made for / received from the committee

    AREAS: ClassVar[tuple[str, ...]] = ("branch", "members", "meetings", "ratings", "dues", "review", "exchange")

    @classmethod
    def of(cls, *areas: str) -> OpChanges:
        unknown = set(areas) - set(cls.AREAS)
        if unknown:
            raise ValueError(f"unknown areas: {sorted(unknown)}")
        return cls(**{a: True for a in areas})

    @classmethod
    def everything(cls) -> OpChanges:
        return cls.of(*cls.AREAS)

    def areas(self) -> frozenset[str]:
        return frozenset(a for a in self.AREAS if getattr(self, a))

    def touches(self, areas: Iterable[str]) -> bool:
        """True when any of `areas` changed."""
        return bool(self.areas() & set(areas))

    def __or__(self, other: OpChanges) -> OpChanges:
        return OpChanges.of(*(self.areas() | other.areas()))

    def __bool__(self) -> bool:
        return bool(self.areas())


NOTHING = OpChanges()
BRANCH = OpChanges(branch=True)
MEMBERS = OpChanges(members=True)
MEETINGS = OpChanges(meetings=True)
RATINGS = OpChanges(ratings=True)
DUES = OpChanges(dues=True)
REVIEW = OpChanges(review=True)
EXCHANGE = OpChanges(exchange=True)
EVERYTHING = OpChanges.everything()


@dataclass(frozen=True)
class OpResult(Generic[T]):
    """What an operation changed, and the value it gives back (an id, a count, a path…)."""

    changes: OpChanges
    value: T | None = None


def result_of(outcome: Any) -> OpResult[Any]:
    """An operation returns an OpResult or just its OpChanges; anything else is a programming error
    (every write must say what it changed)."""
    if isinstance(outcome, OpResult):
        ensure_plain(outcome.value)
        return outcome
    if isinstance(outcome, OpChanges):
        return OpResult(outcome)
    raise TypeError(f"an operation must return OpResult or OpChanges, not {type(outcome).__name__}")


def perform(db: Database, op: Callable[..., Any], *args: Any, write: bool = False) -> OpResult[Any]:
    """Run `op(session, *args)` in one unit of work: committed when it returns, rolled back when it
    raises (a refusal, an error, or the user's cancel raised by the progress callable).
    `write`: take the database's write lock first (db.begin(write=True)), for work that reads what it
    then writes and must not let another program write in between."""
    with db.begin(write=write) as session:
        outcome = op(session, *args)
    return result_of(outcome)


def read(db: Database, fn: Callable[[Session], T]) -> T:
    """Run the query `fn(session)` and return its plain result. The session is rolled back, never
    committed: a read cannot write."""
    session = db.Session()
    try:
        value = fn(session)
        ensure_plain(value)
        return value
    finally:
        session.rollback()
        session.close()


# --- read models are plain values ------------------------------------------------------------

# Values that hold nothing (an enumeration's member is a plain value, whatever its base type).
_PLAIN_LEAVES = (str, bytes, int, float, bool, type(None), dt.date, dt.time, dt.timedelta, Decimal, enum.Enum)
_EXACT_LEAVES = frozenset(_PLAIN_LEAVES) - {enum.Enum}   # the same by exact type: a quicker first test


def _is_orm(value: Any) -> bool:
    return hasattr(type(value), "__mapper__") or hasattr(value, "_sa_instance_state")


def ensure_plain(value: Any, _depth: int = 0, _seen: set[int] | None = None) -> None:
    """Raise TypeError when `value` is, or holds, a database object or a session.

    Looks through lists, tuples, sets, dicts and dataclasses a few levels deep: enough to catch a
    record inside a row inside a list, cheap on a year's worth of rows.
    """
    if isinstance(value, _PLAIN_LEAVES) or _depth > 5:
        return
    seen = _seen if _seen is not None else set()
    if id(value) in seen:
        return
    seen.add(id(value))
    # The leaves among the items are passed over here rather than in a call each, and a list or tuple (a
    # record never is one) is looked through first: a register of thousands of rows is checked at once.
    if isinstance(value, list | tuple | set | frozenset):
        for item in value:
            if type(item) not in _EXACT_LEAVES and not isinstance(item, _PLAIN_LEAVES) and id(item) not in seen:
                ensure_plain(item, _depth + 1, seen)
        return
    if _is_orm(value) or type(value).__name__ == "Session":
        raise TypeError(f"a read model must be plain values, not {type(value).__name__} "
                        "(return a dataclass of the fields the screen needs)")
    if isinstance(value, Mapping):
        for item in value.values():
            if type(item) not in _EXACT_LEAVES and not isinstance(item, _PLAIN_LEAVES):
                ensure_plain(item, _depth + 1, seen)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            ensure_plain(getattr(value, f.name, None), _depth + 1, seen)
