"""The committee's office (đảng ủy cơ sở): the branches it expects, the files they sent, its tally.

Receiving a file: `read_container` checks the whole file first (nothing is written for a refused
file), then one transaction records it. The first file from a branch records the branch's public
key; a later file signed by another key is refused. The same file twice changes nothing. A newer
file for the same branch and period replaces the older one only when the user confirms
(`replace=True`); the older one stays in the history, inactive, pointing to its successor.

Branches the committee expects are registered by name (`register_branch`) or become known with
their first file; a branch registered by name takes the identity and key of the first file whose
branch has the same name. "Missing" for a period = expected branches without an active file for it.
"""
from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from models import KnownBranch, ReceivedFile

from .. import settings
from ..branch import get_branch
from ..db import Database
from ..errors import UserError, ValidationError
from ..i18n import _, format_date
from ..vntext import fold, nfc, word_key
from . import keys
from .container import MAX_CONTAINER_BYTES, Container, ExchangeRefused, Period, read_container
from .source import LEVELS
from .tally_sum import BranchTally, sum_tallies

COMMITTEE_SYMBOL = settings.declare(
    "exchange.committee_symbol", str, "ĐU",
    "Symbol of the committee in document numbers (Số 12-BC/ĐU).",
)


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def local_text(value: dt.datetime | None) -> str:
    """A stored UTC time as the user's local "dd/mm/yyyy hh:mm"."""
    if value is None:
        return ""
    local = value.replace(tzinfo=dt.UTC).astimezone()
    return f"{format_date(local.date())} {local:%H:%M}"


def require_committee(session: Session):
    branch = get_branch(session)
    if branch is None or branch.kind != "committee":
        raise UserError(_("This is a branch's database. Files from branches are received in the committee's "
                          "database (created with: init --committee)."))
    return branch


# --- receiving -----------------------------------------------------------------------------------

class ReceiveStatus(enum.StrEnum):
    ADDED = "added"
    DUPLICATE = "duplicate"
    REPLACED = "replaced"
    NEEDS_CONFIRMATION = "needs_confirmation"


@dataclass
class ReceiveResult:
    status: ReceiveStatus
    file_name: str
    branch: str
    period: Period
    created_at: dt.datetime
    previous_created_at: dt.datetime | None = None
    received_at: dt.datetime | None = None

    def message(self) -> str:
        fmt = {"file": self.file_name, "branch": self.branch, "period": self.period.text(),
               "made": local_text(self.created_at), "previous": local_text(self.previous_created_at),
               "received": local_text(self.received_at)}
        if self.status == ReceiveStatus.ADDED:
            return _("{file}: received the file of {branch} for {period} (made {made}).").format(**fmt)
        if self.status == ReceiveStatus.REPLACED:
            return _("{file}: the file of {branch} for {period} made {made} replaces the one made {previous}; "
                     "both are kept in the history.").format(**fmt)
        if self.status == ReceiveStatus.DUPLICATE:
            return _("{file}: this file was already received on {received}; nothing was changed.").format(**fmt)
        return _("{file}: {branch} already sent a file for {period} (made {previous}); this one was made "
                 "{made}. Confirm to replace it; the older file stays in the history.").format(**fmt)


@dataclass
class _Plan:
    status: ReceiveStatus
    known: KnownBranch | None
    active: ReceivedFile | None
    duplicate: ReceivedFile | None = None


def _active_file(session: Session, branch_id: int, period: Period) -> ReceivedFile | None:
    return session.scalar(select(ReceivedFile).where(
        ReceivedFile.branch_id == branch_id, ReceivedFile.active.is_(True),
        ReceivedFile.period_kind == period.kind, ReceivedFile.period_year == period.year,
        ReceivedFile.period_number == period.number))


def _assess(session: Session, c: Container) -> _Plan:
    """Decide what receiving `c` means, without writing anything; refuse what must be refused."""
    committee = require_committee(session)
    refuse = lambda reason: ExchangeRefused(c.file_name, reason)  # noqa: E731
    if c.branch_uid == committee.uid:
        raise refuse(_("it was made from this committee's own database"))
    duplicate = session.scalar(select(ReceivedFile).where(ReceivedFile.sha256 == c.sha256))
    if duplicate is not None:
        return _Plan(ReceiveStatus.DUPLICATE, duplicate.branch, None, duplicate)
    known = session.scalar(select(KnownBranch).where(KnownBranch.uid == c.branch_uid))
    if known is None:
        pending = [k for k in session.scalars(select(KnownBranch).where(KnownBranch.uid.is_(None)))
                   if fold(k.name) == fold(c.branch_name)]
        known = pending[0] if pending else None
    if known is not None and known.public_key and known.public_key != keys.b64(c.public_key):
        raise refuse(_("it is signed with a different key from the earlier files of {branch} (this file's key "
                       "{new}, the recorded key {old}). If the branch moved to a new computer, confirm it "
                       "with the branch and then accept its new key (the button \"Accept a new key…\" on the page "
                       "\"Send to the committee\", or the command branches reset-key).").format(
            branch=known.name, new=keys.short_fingerprint(c.key_fingerprint),
            old=keys.short_fingerprint(known.key_fingerprint or "")))
    active = _active_file(session, known.id, c.period) if known is not None and known.id else None
    if active is None:
        return _Plan(ReceiveStatus.ADDED, known, None)
    if c.created_at <= active.created_at:
        assert known is not None  # an active file belongs to a known branch
        raise refuse(_("{branch} already sent a newer file for {period} (made {made}); this one is older and "
                       "was not taken.").format(branch=known.name, period=c.period.text(),
                                                made=local_text(active.created_at)))
    return _Plan(ReceiveStatus.NEEDS_CONFIRMATION, known, active)


def receive(session: Session, c: Container, replace: bool = False, now: dt.datetime | None = None) -> ReceiveResult:
    """Record a verified container in the committee's database (in the caller's transaction)."""
    plan = _assess(session, c)
    result = ReceiveResult(plan.status, c.file_name, plan.known.name if plan.known else c.branch_name, c.period,
                           c.created_at, plan.active.created_at if plan.active else None)
    if plan.status == ReceiveStatus.DUPLICATE:
        assert plan.duplicate is not None
        result.received_at = plan.duplicate.received_at
        return result
    if plan.status == ReceiveStatus.NEEDS_CONFIRMATION and not replace:
        return result
    now = now or now_utc()
    known = plan.known
    if known is None:
        known = KnownBranch(uid=c.branch_uid, name=c.branch_name, registered_at=now, expected=True, note="")
        session.add(known)
    known.uid = c.branch_uid
    known.name = nfc(c.branch_name)
    known.parents = [nfc(p) for p in c.manifest["branch"]["parents"]]
    if not known.public_key:
        known.public_key = keys.b64(c.public_key)
        known.key_fingerprint = c.key_fingerprint
        known.first_seen = known.first_seen or now
    period = c.period
    record = ReceivedFile(
        branch=known, period_kind=period.kind, period_year=period.year, period_number=period.number,
        sha256=c.sha256, file_name=Path(c.file_name).name[:260], created_at=c.created_at, manifest=c.manifest,
        data=c.data, content=c.raw, received_at=now, active=True)
    session.add(record)
    session.flush()
    if plan.active is not None:
        plan.active.active = False
        plan.active.superseded_by_id = record.id
        result.status = ReceiveStatus.REPLACED
    session.flush()
    result.branch = known.name
    result.received_at = now
    return result


def read_received_file(path: Path | str) -> Container:
    """Read and verify a file from disk (refused files raise ExchangeRefused)."""
    path = Path(path)
    name = path.name
    try:
        size = path.stat().st_size
        if size > MAX_CONTAINER_BYTES:
            raise ExchangeRefused(name, _("it is too large ({size} bytes)").format(size=size))
        with path.open("rb") as fh:
            raw = fh.read(MAX_CONTAINER_BYTES + 1)
    except OSError as exc:
        raise ExchangeRefused(name, _("it cannot be read ({error})").format(error=exc.strerror or exc)) from None
    return read_container(raw, name)


def receive_file(db: Database, path: Path | str, replace: bool = False,
                 now: dt.datetime | None = None) -> ReceiveResult:
    """Check a file completely, then record it in one transaction."""
    container = read_received_file(path)
    with db.begin() as session:
        return receive(session, container, replace=replace, now=now)


def receive_bytes(db: Database, raw: bytes, file_name: str, replace: bool = False,
                  now: dt.datetime | None = None) -> ReceiveResult:
    """The same as `receive_file` for a file already in memory."""
    container = read_container(raw, file_name)
    with db.begin() as session:
        return receive(session, container, replace=replace, now=now)


# --- the branches the committee expects ------------------------------------------------------------

def known_branches(session: Session) -> list[KnownBranch]:
    rows = list(session.scalars(select(KnownBranch).options(selectinload(KnownBranch.files))))
    rows.sort(key=lambda k: word_key(k.name))
    return rows


def find_branch(session: Session, name: str) -> KnownBranch:
    key = fold(name)
    found = [k for k in session.scalars(select(KnownBranch)) if fold(k.name) == key]
    if not found:
        raise UserError(_("The committee knows no branch named \"{name}\".").format(name=nfc(name)))
    return found[0]


def register_branch(session: Session, name: str, now: dt.datetime | None = None) -> KnownBranch:
    """Expect files from a branch, before its first file arrives."""
    require_committee(session)
    name = nfc(name)
    if not name:
        raise ValidationError(_("Enter the name of the branch."))
    if len(name) > 200:
        raise ValidationError(_("The name is too long (at most 200 characters)."))
    for k in session.scalars(select(KnownBranch)):
        if fold(k.name) == fold(name):
            if k.expected:
                raise ValidationError(_("The branch \"{name}\" is already on the list.").format(name=k.name))
            k.expected = True
            return k
    known = KnownBranch(name=name, parents=[], registered_at=now or now_utc(), expected=True, note="")
    session.add(known)
    session.flush()
    return known


def set_expected(session: Session, name: str, expected: bool) -> KnownBranch:
    """Stop (or start again) expecting files from a branch; its files are kept."""
    require_committee(session)
    known = find_branch(session, name)
    known.expected = expected
    return known


def reset_key(session: Session, name: str) -> KnownBranch:
    """Forget a branch's recorded key: its next file records a new one (after a new computer)."""
    require_committee(session)
    known = find_branch(session, name)
    known.public_key = None
    known.key_fingerprint = None
    return known


def decide_level(session: Session, name: str, year: int, level: str | None) -> KnownBranch:
    """Record the committee's decision on a branch's collective level for ``year`` (None: no decision)."""
    require_committee(session)
    known = find_branch(session, name)
    if level is not None and level not in LEVELS:
        raise ValidationError(_("Unknown level {level}; the levels are: {levels}.").format(
            level=level, levels=", ".join(LEVELS)))
    decided = dict(known.decided_levels or {})
    if level is None:
        decided.pop(str(year), None)
    else:
        decided[str(year)] = level
    known.decided_levels = decided
    session.flush()
    return known


def decided_level(known: KnownBranch, year: int) -> str | None:
    """The committee's decision on the branch's level for ``year``, if recorded."""
    return (known.decided_levels or {}).get(str(year))


# --- the committee's view of a period ---------------------------------------------------------------

@dataclass
class BranchStatus:
    """A branch in the committee's list for one period."""

    id: int
    name: str
    expected: bool
    sent: bool
    made_at: dt.datetime | None
    received_at: dt.datetime | None
    versions: int                 # files received for the period, replaced ones included
    members: int | None
    rated: int | None
    proposed_level: str | None
    key_fingerprint: str


def branch_statuses(session: Session, period: Period) -> list[BranchStatus]:
    """Every expected branch, and any other that sent a file for the period."""
    require_committee(session)
    out = []
    for k in known_branches(session):
        files = [f for f in k.files if (f.period_kind, f.period_year, f.period_number)
                 == (period.kind, period.year, period.number)]
        active = next((f for f in files if f.active), None)
        if not k.expected and active is None:
            continue
        tally = active.data["tally"] if active else None
        out.append(BranchStatus(
            id=k.id, name=k.name, expected=k.expected, sent=active is not None,
            made_at=active.created_at if active else None, received_at=active.received_at if active else None,
            versions=len(files), members=tally["members_total"] if tally else None,
            rated=tally["assessed"] if tally else None,
            proposed_level=active.data["collective"]["proposed_level"] if active else None,
            key_fingerprint=keys.short_fingerprint(k.key_fingerprint) if k.key_fingerprint else ""))
    return out


def file_history(session: Session, branch_id: int) -> list[ReceivedFile]:
    return list(session.scalars(select(ReceivedFile).where(ReceivedFile.branch_id == branch_id)
                                .order_by(ReceivedFile.received_at, ReceivedFile.id)))


def committee_tally(session: Session, year: int) -> dict[str, Any]:
    """The committee's tally for `year` from the branches' active yearly files."""
    committee = require_committee(session)
    period = Period.of_year(year)
    sent: list[BranchTally] = []
    missing: list[str] = []
    for k in known_branches(session):
        active = next((f for f in k.files if f.active and (f.period_kind, f.period_year, f.period_number)
                       == (period.kind, period.year, period.number)), None)
        if active is not None:
            sent.append(BranchTally(k.uid or "", k.name, active.data["tally"],
                                    active.data["collective"]["proposed_level"], decided_level(k, year)))
        elif k.expected:
            missing.append(k.name)
    from .source import year_quota

    # The quota of the regulation the branches' year falls under, read as the committee's setting says.
    return sum_tallies(sent, year, committee.name, missing, quota=year_quota(year, session))

