"""The branch's identity, as printed in document headers.

The line above the branch's name in a header (HD 36-HD/VPTW: "tên cơ quan cấp trên trực tiếp") names
the superior Party organisation, "ĐẢNG BỘ SỞ LAO ĐỘNG - TBXH", not its committee ("ĐẢNG ỦY …"): the
committee issues its own documents, the organisation stands above the branch. The committee is who
receives the branch's papers ("Nơi nhận: - Đảng ủy Sở Lao động - TBXH (để báo cáo)").
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Branch

from . import settings
from .errors import ValidationError
from .i18n import N_, _
from .vntext import clean_name, nfc

SUPERIOR_RECIPIENT = settings.declare(
    "documents.superior_recipient", str, "",
    N_("How “Nơi nhận” names the superior committee that receives the branch's papers, e.g. "
       "“Ban Thường vụ Đảng ủy Sở Lao động - TBXH”. Empty: the committee of the superior organisation in "
       "the branch's details (“Đảng bộ Sở Lao động - TBXH” gives “Đảng ủy Sở Lao động - TBXH”)."),
)

# A committee's name and its organisation's: "Tỉnh ủy Trà Vinh" / "Đảng bộ tỉnh Trà Vinh".
_COMMITTEE_ORGANISATION = [
    ("tỉnh ủy", "đảng bộ tỉnh"), ("thành ủy", "đảng bộ thành phố"), ("huyện ủy", "đảng bộ huyện"),
    ("quận ủy", "đảng bộ quận"), ("thị ủy", "đảng bộ thị xã"), ("đảng ủy", "đảng bộ"), ("chi ủy", "chi bộ"),
]


def _swap_prefix(name: str, pairs: list[tuple[str, str]]) -> str:
    """Replace a leading word of ``name`` by its pair, keeping capitals when the name is in capitals."""
    text = nfc(name).strip()
    plain = re.sub(r"\s+", " ", text.lower().replace("uỷ", "ủy"))
    for old, new in pairs:
        if plain.startswith(old + " ") or plain == old:
            words = len(old.split())
            rest = " ".join(text.split()[words:])
            upper = text == text.upper()
            head = new.upper() if upper else new[:1].upper() + new[1:]
            return f"{head} {rest}".strip()
    return text


def superior_organisation(name: str) -> str:
    """The organisation a superior line names: "Đảng ủy Sở Lao động - TBXH" -> "Đảng bộ Sở Lao động - TBXH",
    "Tỉnh ủy Trà Vinh" -> "Đảng bộ tỉnh Trà Vinh"; an organisation's name is returned as it is."""
    return _swap_prefix(name, _COMMITTEE_ORGANISATION)


def superior_committee(name: str) -> str:
    """The committee of a superior organisation, which receives the papers: "Đảng bộ Sở …" -> "Đảng ủy Sở …"."""
    reverse = sorted(((org, com) for com, org in _COMMITTEE_ORGANISATION), key=lambda p: -len(p[0]))
    return _swap_prefix(name, reverse)


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
            parents=[superior_organisation(p) for p in self.parents if nfc(p).strip()],
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


def header_parents(branch: Branch) -> list[str]:
    """The superior organisations as a header prints them (old records may name the committee)."""
    return [superior_organisation(p) for p in (branch.parents or [])]


def report_recipients(session: Session, branch: Branch | None, *, to_superior: bool = True) -> list[str]:
    """"Nơi nhận" of a branch's paper (HD 36): the superior committee, to report, then the branch's file."""
    out = []
    if to_superior and branch is not None:
        named = nfc(settings.get(session, SUPERIOR_RECIPIENT.key)).strip()
        if not named and branch.parents:
            named = superior_committee(branch.parents[-1])
        if named:
            out.append(_("{body} (to report),").format(body=named))
    out.append(_("Branch records."))
    return out


# --- read models ----------------------------------------------------------------------------

def identity(session: Session) -> BranchIdentity | None:
    """The branch's details as plain values, or None before they are entered."""
    branch = get_branch(session)
    return identity_of(branch) if branch else None


def is_committee(session: Session) -> bool:
    """Whether this database is a committee's (it receives the branches' files) rather than a branch's."""
    branch = get_branch(session)
    return branch is not None and branch.kind == "committee"
