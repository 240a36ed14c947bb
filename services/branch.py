"""The branch's identity, as printed in document headers."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Branch

from .errors import ValidationError
from .i18n import _
from .vntext import clean_name, nfc


@dataclass
class BranchIdentity:
    name: str
    parents: list[str] = field(default_factory=list)
    place: str = ""
    secretary: str = ""
    deputy_secretary: str = ""
    kind: str = "branch"

    def normalised(self) -> BranchIdentity:
        return BranchIdentity(
            name=nfc(self.name),
            parents=[nfc(p) for p in self.parents if nfc(p)],
            place=nfc(self.place),
            secretary=clean_name(self.secretary),
            deputy_secretary=clean_name(self.deputy_secretary),
            kind=self.kind,
        )

    def problems(self) -> list[str]:
        out = []
        if not nfc(self.name):
            out.append(_("Enter the name of the branch."))
        if not [p for p in self.parents if nfc(p)]:
            out.append(_("Enter at least the directly superior Party committee."))
        if not nfc(self.place):
            out.append(_("Enter the place name used in dates."))
        if self.kind not in ("branch", "committee"):
            out.append(_("Unknown kind of organisation."))
        return out


def get_branch(session: Session) -> Branch | None:
    return session.scalar(select(Branch).order_by(Branch.id).limit(1))


def set_identity(session: Session, ident: BranchIdentity) -> Branch:
    problems = ident.problems()
    if problems:
        raise ValidationError(problems)
    ident = ident.normalised()
    branch = get_branch(session)
    if branch is None:
        branch = Branch(name=ident.name)
        session.add(branch)
    branch.name = ident.name
    branch.parents = ident.parents
    branch.place = ident.place
    branch.secretary = ident.secretary
    branch.deputy_secretary = ident.deputy_secretary
    branch.kind = ident.kind
    session.flush()
    return branch


def identity_of(branch: Branch) -> BranchIdentity:
    return BranchIdentity(
        name=branch.name, parents=list(branch.parents or []), place=branch.place,
        secretary=branch.secretary, deputy_secretary=branch.deputy_secretary, kind=branch.kind,
    )
