"""Reminders on the home screen, each computed from the records when asked (nothing stored).

Areas add rules with `@rule`; a rule is `fn(session, today) -> list[Reminder]`.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from .i18n import _, format_date

RuleFn = Callable[[Session, dt.date], list["Reminder"]]
RULES: list[tuple[str, RuleFn]] = []


@dataclass(frozen=True)
class Reminder:
    rule: str          # the rule's name, stable (tests and filtering)
    text: str          # Vietnamese sentence shown to the user
    severity: str = "info"   # "info" | "warning"
    area: str = ""     # navigation target: "members", "meetings", ...
    ref: int | None = None   # id of the member / meeting concerned


def rule(name: str) -> Callable[[RuleFn], RuleFn]:
    def wrap(fn: RuleFn) -> RuleFn:
        RULES.append((name, fn))
        return fn
    return wrap


# Modules whose import registers more rules; loaded before the first listing.
RULE_MODULES = ["services.dues", "services.meetings"]


def reminders(session: Session, today: dt.date) -> list[Reminder]:
    import importlib

    for name in RULE_MODULES:
        importlib.import_module(name)
    out: list[Reminder] = []
    for _name, fn in RULES:
        out.extend(fn(session, today))
    return sorted(out, key=lambda r: (r.severity != "warning", r.rule, r.text))


PROBATION_WARNING_DAYS = 60


@rule("probation_due")
def probation_due(session: Session, today: dt.date) -> list[Reminder]:
    """Probation ends within 60 days (or has ended) and the member is not yet made full."""
    from .members import all_members
    from .membership import probation_due as due_date
    from .membership import state_on

    out = []
    for m in all_members(session):
        st = state_on(m.events, today)
        due = due_date(m.events)
        if not st.in_branch or due is None:
            continue
        days = (due - today).days
        if days < 0:
            out.append(Reminder("probation_due", _(
                "{name}: probation ended on {date}; the branch has not yet considered making them a full member."
            ).format(name=m.full_name, date=format_date(due)), "warning", "members", m.id))
        elif days <= PROBATION_WARNING_DAYS:
            out.append(Reminder("probation_due", _(
                "{name}: probation ends on {date} ({days} days); prepare the vote on full membership."
            ).format(name=m.full_name, date=format_date(due), days=days), "info", "members", m.id))
    return out


# --- the overview page ----------------------------------------------------------------------

@dataclass(frozen=True)
class Overview:
    """Tổng quan: the branch at a glance, with the reminders of the day."""

    branch_name: str
    today: dt.date
    members: int           # in the branch today
    full: int
    probationary: int
    exempt: int
    reminders: tuple[Reminder, ...]


def overview(session: Session, today: dt.date, with_reminders: bool = True) -> Overview:
    """The branch at a glance; `with_reminders=False`: the figures alone (the window shows them at once
    and the reminders, which read every area, just after)."""
    from .branch import get_branch
    from .members import register
    from .membership import Status

    branch = get_branch(session)
    rows = [r for r in register(session, today) if r.state.in_branch]
    probationary = sum(1 for r in rows if r.state.status == Status.PROBATIONARY)
    return Overview(
        branch_name=branch.name if branch else "", today=today, members=len(rows),
        full=len(rows) - probationary, probationary=probationary,
        exempt=sum(1 for r in rows if r.state.exempt),
        reminders=tuple(reminders(session, today)) if with_reminders else ())
