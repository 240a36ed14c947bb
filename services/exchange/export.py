"""A branch makes the file it sends to its committee."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy.orm import Session

from ..branch import get_branch, superior_committee
from ..errors import UserError
from ..i18n import _
from ..vntext import fold
from . import keys
from .container import SUFFIX, Period, build_container, write_file
from .source import RegisterProvider, branch_year_attachments, branch_year_data


@dataclass
class ExportSummary:
    """What the file for a year holds, in numbers (shown before and after making it)."""

    branch: str
    committee: str
    year: int
    members: int
    rated: int
    not_rated: int
    levels: dict[str, int]
    proposed_level: str | None
    meetings_held: int
    attachments: list[str] = field(default_factory=list)
    path: Path | None = None
    key_fingerprint: str = ""


def _branch_or_refuse(session: Session):
    branch = get_branch(session)
    if branch is None:
        raise UserError(_("This database has no branch details yet."))
    if branch.kind != "branch":
        raise UserError(_("This is a committee's database: it receives files from its branches and does not "
                          "make one."))
    return branch


def _summary(branch, year: int, data: dict, attachments: dict) -> ExportSummary:
    t = data["tally"]
    return ExportSummary(
        branch=branch.name, committee=superior_committee((branch.parents or [""])[-1]), year=year,
        members=len(data["members"]), rated=t["assessed"], not_rated=t["not_assessed"], levels=dict(t["levels"]),
        proposed_level=data["collective"]["proposed_level"],
        meetings_held=sum(data["meetings"]["held"].values()), attachments=sorted(attachments),
    )


def preview(session: Session, year: int, provider: RegisterProvider | None = None) -> ExportSummary:
    """The numbers the file for `year` would carry, without making it."""
    branch = _branch_or_refuse(session)
    data = branch_year_data(session, year, provider)
    return _summary(branch, year, data, {})


def default_file_name(branch_name: str, year: int) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", fold(branch_name)).strip("-") or "chi-bo"
    return f"{slug}-{year}{SUFFIX}"


def export_year(session: Session, year: int, out: Path | str, provider: RegisterProvider | None = None,
                key: Ed25519PrivateKey | None = None, now: dt.datetime | None = None) -> ExportSummary:
    """Write the signed file of `year` to `out`; returns what it holds."""
    out = Path(out)
    if out.suffix.lower() != SUFFIX:
        raise UserError(_("The file to send must end in {suffix}.").format(suffix=SUFFIX))
    branch = _branch_or_refuse(session)
    data = branch_year_data(session, year, provider)
    attachments = branch_year_attachments(session, year, provider)
    key = key or keys.load_or_create_key()
    blob = build_container({"uid": branch.uid, "name": branch.name, "parents": list(branch.parents or [])},
                           Period.of_year(year), data, key, attachments, now)
    write_file(out, blob)
    summary = _summary(branch, year, data, attachments)
    summary.path = out
    summary.key_fingerprint = keys.fingerprint(keys.public_raw(key))
    return summary
