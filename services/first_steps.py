"""Where a new branch starts: the first steps the overview shows until the register and the first
meeting are entered (nothing stored: each step is done when its records exist)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import DuesRate, Meeting, Member, MonthlyRating

from .i18n import _


@dataclass(frozen=True)
class FirstStep:
    key: str        # stable: "branch", "members", "meeting", "ratings", "dues"
    title: str      # Vietnamese, short
    how: str        # Vietnamese: where to click, with the shortcut
    area: str       # the page that does it ("members", "meetings", …; "" for the File menu)
    done: bool


@dataclass(frozen=True)
class FirstSteps:
    steps: tuple[FirstStep, ...]

    @property
    def shown(self) -> bool:
        """Shown on the overview until the members and a first meeting are entered."""
        return not all(s.done for s in self.steps if s.key in ("members", "meeting"))

    @property
    def next_step(self) -> FirstStep | None:
        return next((s for s in self.steps if not s.done), None)


def _count(session: Session, model) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def first_steps(session: Session) -> FirstSteps:
    """The steps of a new branch, in order, each marked done when its records exist."""
    from .branch import get_branch

    branch = get_branch(session)
    members = _count(session, Member)
    steps = (
        FirstStep("branch", _("Check the branch's details"), _(
            "Menu «{menu}» → «{action}»: the name of the branch, the superior organisations and the secretary, "
            "printed at the top of every paper.").format(menu=_("&File").replace("&", ""),
                                                         action=_("Branch details…")),
            "", branch is not None and bool(branch.name and branch.secretary)),
        FirstStep("members", _("Enter the members"), _(
            "Page «{page}»: «{add}» (Ctrl+N) for each member, or «{imp}» (Ctrl+I) when the list is kept in "
            "an Excel workbook.").format(page=_("Members"), add=_("Add member"), imp=_("Import from Excel…")),
            "members", members > 0),
        FirstStep("meeting", _("Record the first branch meeting"), _(
            "Page «{page}»: «{new}» (Ctrl+N); tick who attended, write the minutes and print them.").format(
            page=_("Branch meetings"), new=_("New meeting")),
            "meetings", _count(session, Meeting) > 0),
        FirstStep("ratings", _("Rate the members each month"), _(
            "Page «{page}»: one level for each member and month, typed with the keyboard.").format(
            page=_("Monthly ratings")),
            "ratings", _count(session, MonthlyRating) > 0),
        FirstStep("dues", _("Set the monthly Party dues"), _(
            "Page «{page}»: «{rate}» (Ctrl+M) for each member; the reminders of unpaid months start with "
            "the first month whose payment is recorded.").format(page=_("Party dues"), rate=_("Monthly amount…")),
            "dues", _count(session, DuesRate) > 0),
    )
    return FirstSteps(steps)
