"""Which personal form and which criteria framework apply to a member, read from the year's rule file.

The choice follows the member's attributes the secretary states on the member's card
(``models.member.Member.holds_leadership_post``, ``in_political_system``); an attribute not stated is
never assumed and never guessed from the job title. When the stated attributes cannot decide, the
answer has no form and names the attributes to state, with a note the program shows (not printed).

* HD 43 (from 2025): Mẫu 2A (no leadership post), 2B (leadership or management post), 2C (member not
  working in the political system);
* HD 25 (2023–2024): Mẫu 02A (no post), 02B (post);
* HD 21 (until 2022): Mẫu 02 for everyone.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from ..i18n import _
from .rules import MEMBER_ATTRIBUTES, FormSpec, Framework, Regulation, When


class MemberAttributes(Protocol):
    """Anything carrying the member's stated attributes: models.Member, members.MemberInput,
    review.eligibility.Eligibility."""

    holds_leadership_post: bool | None
    in_political_system: bool | None


@dataclass(frozen=True)
class Choice:
    """What the stated attributes choose among several entries, or which attributes are still needed."""

    entry: Any | None                 # the chosen entry (None: not decided)
    candidates: tuple[Any, ...]       # the entries the member may still fall under
    missing: tuple[str, ...]          # attribute names to state (models.member.Member columns)


def choose(entries: Sequence[Any], member: MemberAttributes, when_of=lambda e: e.when) -> Choice:
    """The entry whose ``when`` the member's stated attributes satisfy; when several are still possible
    (an attribute that would decide is not stated) none is chosen and the missing attributes are named."""
    answers = [(e, when_of(e).answer(member)) for e in entries]
    possible = tuple(e for e, a in answers if a is not False)
    if len(possible) == 1:
        # Every way of stating the rest would choose this one (a rule file's entries exclude each other).
        return Choice(possible[0], possible, ())
    missing: list[str] = []
    for e in possible:
        w: When = when_of(e)
        for name in w.names:
            if getattr(member, name, None) is None and name not in missing:
                missing.append(name)
    order = {name: i for i, name in enumerate(MEMBER_ATTRIBUTES)}
    return Choice(None, possible, tuple(sorted(missing, key=lambda n: order.get(n, len(order)))))


@dataclass(frozen=True)
class PersonalForm:
    """The personal self-review form (bản kiểm điểm cá nhân) that applies to a member in a regulation."""

    form: FormSpec | None             # None: the attributes stated do not decide it yet
    missing: tuple[str, ...]          # attributes to state on the member's card
    candidates: tuple[FormSpec, ...]  # the forms still possible

    @property
    def decided(self) -> bool:
        return self.form is not None

    def note(self, name: str = "") -> str:
        """For the screen (never printed): what to state so that the program can choose the form."""
        if self.form is not None:
            return ""
        from ..members import ATTRIBUTE_LABELS

        forms = ", ".join(f.code for f in self.candidates)
        what = "; ".join(_(ATTRIBUTE_LABELS[m]).lower() for m in self.missing)
        if name:
            return _("To choose the self-review form of comrade {name} (form {forms}), state in the member's "
                     "details (Edit member) whether the member: {what}.").format(name=name, forms=forms, what=what)
        return _("To choose the self-review form (form {forms}), state in the member's details (Edit member) "
                 "whether the member: {what}.").format(forms=forms, what=what)


def personal_form_for(member: MemberAttributes, reg: Regulation) -> PersonalForm:
    """The personal form of ``reg`` for the member, from the attributes the secretary stated
    (e.g. a member who does not work in the political system: Mẫu 2C under HD 43)."""
    choice = choose(reg.self_review_forms, member)
    return PersonalForm(choice.entry, choice.missing, tuple(choice.candidates))


@dataclass(frozen=True)
class FrameworkChoice:
    """The criteria framework (khung tiêu chí) of a member in a regulation."""

    framework: Framework | None       # None: not decided (attributes not stated) or no frameworks this year
    missing: tuple[str, ...]
    candidates: tuple[Framework, ...]


def framework_for(member: MemberAttributes, reg: Regulation) -> FrameworkChoice:
    """The member's criteria framework in ``reg`` (QĐ 366: leaders, no post, outside the political system),
    chosen by the stated attributes like the personal form. Frameworks the program never chooses (the
    Central's own cadres) are left out. A regulation without frameworks gives None."""
    chosen = [f for f in reg.frameworks if f.when is not None]
    if not chosen:
        return FrameworkChoice(None, (), ())
    choice = choose(chosen, member)
    return FrameworkChoice(choice.entry, choice.missing, tuple(choice.candidates))


def collective_framework(reg: Regulation) -> Framework | None:
    """The framework of the branch itself (QĐ 366 Phụ lục 1), when the regulation has one."""
    return reg.collective.framework
