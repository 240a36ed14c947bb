"""The committee's office (đảng ủy cơ sở): the branches it expects, the files they sent, its tally.

Receiving a file: `read_container` checks the whole file first (nothing is written for a refused
file), then one transaction, holding the write lock from its start, records it.

Identity: nothing is trusted on first sight. A file from a branch id the committee does not know is
*held*: kept, listed with its key's fingerprint, and counted nowhere, until the office accepts it
(`accept_held`) after the branch has read its fingerprint out on the phone; a branch registered by
name is matched to its file only by that act (`as_branch_id`), never by the name. Names that can be
taken for each other (case, accents, hidden characters, letters of other scripts: vntext.identity_key)
are flagged, and accepting such a branch as a new one needs an explicit confirmation. Once accepted,
a branch's files must carry its key: another key is refused; after `reset_key` (a new computer), the
next file is held the same way. The tally inside each file agrees with its member list and with the
name that signed it (container.tally_agreement_problems), or the file is refused.

The same file twice changes nothing. A newer file for the same branch and period replaces the older
one only when the user confirms (`replace=True`); the older one stays in the history, inactive,
pointing to its successor. A unique index allows one active file per branch and period.
"Missing" for a period = expected, accepted branches without an active file for it.
"""
from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import KnownBranch, ReceivedFile

from .. import settings
from ..branch import get_branch
from ..db import Database
from ..errors import UserError, ValidationError
from ..i18n import _, format_date
from ..vntext import hidden_characters, identity_key, nfc, word_key
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

# A file may be made on a computer whose clock is a little ahead of the committee's, never a day.
MAX_CLOCK_AHEAD = dt.timedelta(days=1)


class ReceiveStatus(enum.StrEnum):
    ADDED = "added"
    DUPLICATE = "duplicate"
    REPLACED = "replaced"
    NEEDS_CONFIRMATION = "needs_confirmation"
    HELD = "held"


@dataclass
class ReceiveResult:
    status: ReceiveStatus
    file_name: str
    branch: str
    period: Period
    created_at: dt.datetime
    previous_created_at: dt.datetime | None = None
    received_at: dt.datetime | None = None
    file_id: int | None = None
    fingerprint: str = ""
    look_alikes: list[str] = field(default_factory=list)
    new_key: bool = False        # held because the branch's key was reset, not because the branch is new

    def message(self) -> str:
        fmt = {"file": self.file_name, "branch": self.branch, "period": self.period.text(),
               "made": local_text(self.created_at), "previous": local_text(self.previous_created_at),
               "received": local_text(self.received_at), "id": self.file_id,
               "key": keys.short_fingerprint(self.fingerprint)}
        if self.status == ReceiveStatus.ADDED:
            return _("{file}: received the file of {branch} for {period} (made {made}).").format(**fmt)
        if self.status == ReceiveStatus.REPLACED:
            return _("{file}: the file of {branch} for {period} made {made} replaces the one made {previous}; "
                     "both are kept in the history.").format(**fmt)
        if self.status == ReceiveStatus.DUPLICATE:
            return _("{file}: this file was already received on {received}; nothing was changed.").format(**fmt)
        if self.status == ReceiveStatus.HELD:
            if self.new_key:
                text = _("{file}: held, not counted: the file of {branch} for {period} carries a new signing key "
                         "({key}), and the committee has not accepted it yet.").format(**fmt)
            else:
                text = _("{file}: held, not counted: the committee does not know the branch \"{branch}\" that "
                         "signed this file (signing key {key}).").format(**fmt)
            if self.look_alikes:
                text += " " + _("WARNING: its name looks like that of {names}, already on the list; it may be a "
                                "forged file.").format(names=", ".join(self.look_alikes))
            return text + " " + _("Call the branch and ask it to read out its key (on its page \"Send to the "
                                  "committee\"); accept the file only if the digits are the same: "
                                  "branches accept --file {id} --fingerprint \"{key}\".").format(**fmt)
        return _("{file}: {branch} already sent a file for {period} (made {previous}); this one was made "
                 "{made}. Confirm to replace it; the older file stays in the history.").format(**fmt)


@dataclass
class _Plan:
    status: ReceiveStatus
    known: KnownBranch | None
    active: ReceivedFile | None
    duplicate: ReceivedFile | None = None
    look_alikes: list[KnownBranch] = field(default_factory=list)
    new_key: bool = False


def _active_file(session: Session, branch_id: int, period: Period) -> ReceivedFile | None:
    return session.scalar(select(ReceivedFile).where(
        ReceivedFile.branch_id == branch_id, ReceivedFile.active.is_(True),
        ReceivedFile.period_kind == period.kind, ReceivedFile.period_year == period.year,
        ReceivedFile.period_number == period.number))


def look_alikes(session: Session, name: str, exclude_id: int | None = None) -> list[KnownBranch]:
    """Accepted branches whose names can be taken for `name` (case, accents, hidden characters,
    letters of other scripts; see vntext.identity_key)."""
    key = identity_key(name)
    return [k for k in session.scalars(select(KnownBranch).where(KnownBranch.accepted.is_(True)))
            if k.id != exclude_id and identity_key(k.name) == key]


def _check_dates(c: Container, now: dt.datetime, refuse) -> None:
    if c.created_at > now + MAX_CLOCK_AHEAD:
        raise refuse(_("it says it was made on {made}, which is in the future; the clock of the branch's computer "
                       "must be wrong. Ask the branch to set the date and make the file again.").format(
            made=local_text(c.created_at)))
    if c.period.year > now.year + 1:
        raise refuse(_("it is for the year {year}, which has not come yet").format(year=c.period.year))


def _assess(session: Session, c: Container, now: dt.datetime) -> _Plan:
    """Decide what receiving `c` means, without writing anything; refuse what must be refused."""
    committee = require_committee(session)
    refuse = lambda reason: ExchangeRefused(c.file_name, reason)  # noqa: E731
    if c.branch_uid == committee.uid:
        raise refuse(_("it was made from this committee's own database"))
    _check_dates(c, now, refuse)
    duplicate = session.scalar(select(ReceivedFile).where(ReceivedFile.sha256 == c.sha256))
    if duplicate is not None:
        return _Plan(ReceiveStatus.DUPLICATE, duplicate.branch, None, duplicate)
    key = keys.b64(c.public_key)
    known = session.scalar(select(KnownBranch).where(KnownBranch.uid == c.branch_uid))
    if known is None or not known.accepted:
        if known is not None and known.public_key and known.public_key != key:
            raise refuse(_("a file of the same branch signed with another key ({old}) is already held; accept "
                           "or refuse that one first").format(old=keys.short_fingerprint(known.key_fingerprint or "")))
        return _Plan(ReceiveStatus.HELD, known, None,
                     look_alikes=look_alikes(session, c.branch_name, known.id if known else None))
    if not known.public_key:
        return _Plan(ReceiveStatus.HELD, known, None, new_key=True,
                     look_alikes=look_alikes(session, c.branch_name, known.id))
    if known.public_key != key:
        raise refuse(_("it is signed with a different key from the earlier files of {branch} (this file's key "
                       "{new}, the recorded key {old}). If the branch moved to a new computer, confirm it "
                       "with the branch and then accept its new key (the button \"Accept a new key…\" on the page "
                       "\"Send to the committee\", or the command branches reset-key --id {id}).").format(
            branch=known.name, new=keys.short_fingerprint(c.key_fingerprint),
            old=keys.short_fingerprint(known.key_fingerprint or ""), id=known.id))
    if identity_key(c.branch_name) != identity_key(known.name):
        others = look_alikes(session, c.branch_name, known.id)
        if others:
            raise refuse(_("{branch} now signs with the name \"{name}\", which can be taken for {other}, another "
                           "branch on the list").format(branch=known.name, name=c.branch_name[:80],
                                                        other=others[0].name))
    active = _active_file(session, known.id, c.period)
    if active is None:
        return _Plan(ReceiveStatus.ADDED, known, None)
    if c.created_at <= active.created_at:
        assert known is not None  # an active file belongs to a known branch
        raise refuse(_("{branch} already sent a newer file for {period} (made {made}); this one is older and "
                       "was not taken.").format(branch=known.name, period=c.period.text(),
                                                made=local_text(active.created_at)))
    return _Plan(ReceiveStatus.NEEDS_CONFIRMATION, known, active)


def _record(session: Session, c: Container, known: KnownBranch, now: dt.datetime, active: bool,
            held: bool) -> ReceivedFile:
    period = c.period
    record = ReceivedFile(
        branch=known, period_kind=period.kind, period_year=period.year, period_number=period.number,
        sha256=c.sha256, file_name=Path(c.file_name).name[:260], created_at=c.created_at, manifest=c.manifest,
        data=c.data, content=c.raw, received_at=now, active=active, held=held,
        public_key=keys.b64(c.public_key), key_fingerprint=c.key_fingerprint)
    session.add(record)
    session.flush()
    return record


def receive(session: Session, c: Container, replace: bool = False, now: dt.datetime | None = None) -> ReceiveResult:
    """Record a verified container in the committee's database (in the caller's transaction).

    Takes the write lock first: what `_assess` reads (is there an active file? is the branch known?)
    stays true until the commit, so two receptions at once can never leave two active files.
    """
    from ..db import take_write_lock

    take_write_lock(session)
    now = now or now_utc()
    plan = _assess(session, c, now)
    result = ReceiveResult(plan.status, c.file_name, plan.known.name if plan.known else c.branch_name, c.period,
                           c.created_at, plan.active.created_at if plan.active else None,
                           fingerprint=c.key_fingerprint, look_alikes=[k.name for k in plan.look_alikes],
                           new_key=plan.new_key)
    if plan.status == ReceiveStatus.DUPLICATE:
        assert plan.duplicate is not None
        result.received_at = plan.duplicate.received_at
        result.file_id = plan.duplicate.id
        return result
    if plan.status == ReceiveStatus.NEEDS_CONFIRMATION and not replace:
        return result
    known = plan.known
    if plan.status == ReceiveStatus.HELD:
        if known is None:
            known = KnownBranch(uid=c.branch_uid, name=nfc(c.branch_name), registered_at=now, expected=False,
                                note="", accepted=False, public_key=keys.b64(c.public_key),
                                key_fingerprint=c.key_fingerprint, first_seen=now,
                                parents=[nfc(p) for p in c.manifest["branch"]["parents"]])
            session.add(known)
        record = _record(session, c, known, now, active=False, held=True)
        result.file_id = record.id
        result.received_at = now
        return result
    assert known is not None
    known.name = nfc(c.branch_name)
    known.parents = [nfc(p) for p in c.manifest["branch"]["parents"]]
    if plan.active is not None:
        plan.active.active = False      # first: the unique index allows one active file per period
        session.flush()
    record = _record(session, c, known, now, active=True, held=False)
    if plan.active is not None:
        plan.active.superseded_by_id = record.id
        result.status = ReceiveStatus.REPLACED
    session.flush()
    result.branch = known.name
    result.received_at = now
    result.file_id = record.id
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
    with db.begin(write=True) as session:
        return receive(session, container, replace=replace, now=now)


RECEIVE_BATCH = 25  # files recorded per transaction by `receive_files`


def receive_files(db: Database, paths: Iterable[Path | str], replace: bool = False, now: dt.datetime | None = None,
                  batch: int = RECEIVE_BATCH) -> Iterator[tuple[Path, ReceiveResult | ExchangeRefused]]:
    """Receive many files: each checked completely, then recorded, up to `batch` files per transaction.

    Each file is recorded in a savepoint of its own, so a refused file changes nothing and never stops
    the others. A transaction per batch instead of per file: a large committee's hundreds of files go in
    at the speed of checking them, not of the disk's (or the server's) commits. The write lock is taken at
    the start of each batch's transaction (`db.begin(write=True)`), so concurrent receivers take turns.
    (path, result or refusal) pairs are given only once their batch is committed; an error of the
    database itself rolls back the batch it happened in and stops, the batches before it staying received.
    """
    pending: list[tuple[Path, Container | ExchangeRefused]] = []

    def flush() -> Iterator[tuple[Path, ReceiveResult | ExchangeRefused]]:
        done: list[tuple[Path, ReceiveResult | ExchangeRefused]] = []
        if any(not isinstance(item, ExchangeRefused) for _p, item in pending):
            with db.begin(write=True) as session:
                for path, item in pending:
                    if isinstance(item, ExchangeRefused):
                        done.append((path, item))
                        continue
                    try:
                        with session.begin_nested():
                            done.append((path, receive(session, item, replace=replace, now=now)))
                    except ExchangeRefused as exc:
                        done.append((path, exc))
        else:
            done = [(path, item) for path, item in pending if isinstance(item, ExchangeRefused)]
        pending.clear()
        yield from done

    for raw_path in paths:
        path = Path(raw_path)
        try:
            pending.append((path, read_received_file(path)))
        except ExchangeRefused as exc:
            pending.append((path, exc))
        if sum(1 for _p, item in pending if not isinstance(item, ExchangeRefused)) >= batch:
            yield from flush()
    if pending:
        yield from flush()


def receive_bytes(db: Database, raw: bytes, file_name: str, replace: bool = False,
                  now: dt.datetime | None = None) -> ReceiveResult:
    """The same as `receive_file` for a file already in memory."""
    container = read_container(raw, file_name)
    with db.begin(write=True) as session:
        return receive(session, container, replace=replace, now=now)


# --- held files: accepted by the office after comparing the key's fingerprint ---------------------------

@dataclass
class HeldFile:
    """A received file that is not counted until the office accepts its branch (or its new key)."""

    id: int
    file_name: str
    branch_id: int
    branch: str
    uid: str
    new_branch: bool          # the committee does not know the branch (else: a known branch's new key)
    period: Period
    made_at: dt.datetime
    received_at: dt.datetime
    members: int
    fingerprint: str          # full hex
    look_alikes: list[tuple[int, str]]    # (id, name) of accepted branches with a name it can be taken for
    registered: list[tuple[int, str]]     # branches registered by name, without a file yet, it may be

    @property
    def short_fingerprint(self) -> str:
        return keys.short_fingerprint(self.fingerprint)


def held_files(session: Session) -> list[HeldFile]:
    """Every held file, oldest first."""
    require_committee(session)
    out = []
    for f in session.scalars(select(ReceivedFile).where(ReceivedFile.held.is_(True)).order_by(ReceivedFile.id)):
        k = f.branch
        alikes = look_alikes(session, f.manifest["branch"]["name"], k.id)
        out.append(HeldFile(
            id=f.id, file_name=f.file_name, branch_id=k.id, branch=f.manifest["branch"]["name"], uid=k.uid or "",
            new_branch=not k.accepted, period=Period(f.period_year, f.period_kind, f.period_number),
            made_at=f.created_at, received_at=f.received_at, members=f.data["tally"]["members_total"],
            fingerprint=f.key_fingerprint or "",
            look_alikes=[(a.id, a.name) for a in alikes if a.uid],
            registered=[(a.id, a.name) for a in alikes if not a.uid]))
    return out


def fingerprint_matches(typed: str, fingerprint: str) -> bool:
    """Whether what the office typed (at least the 16 digits shown, spaces allowed) starts the fingerprint."""
    digits = re.sub(r"[\s\-:]", "", typed or "").lower()
    return len(digits) >= 16 and bool(re.fullmatch(r"[0-9a-f]+", digits)) and fingerprint.lower().startswith(digits)


def accept_held(session: Session, file_id: int, fingerprint: str, as_branch_id: int | None = None,
                same_name: bool = False, now: dt.datetime | None = None) -> KnownBranch:
    """Accept a held file: its branch (and key) are trusted from now on, and its held files are counted.

    `fingerprint`: the digits the branch read out on the phone; they must start the key's fingerprint.
    `as_branch_id`: the file is from that branch on the list (registered by name, or known under an
    older id whose database was made again): it takes over this id and key. Without it, a branch whose
    name can be taken for one on the list is accepted only with `same_name` (two branches really called
    alike). A newer accepted file replaces the active one of its period: accepting is the confirmation.
    """
    from ..db import take_write_lock

    take_write_lock(session)
    require_committee(session)
    now = now or now_utc()
    held = session.get(ReceivedFile, file_id)
    if held is None or not held.held:
        raise ValidationError(_("There is no held file number {id}.").format(id=file_id))
    if not fingerprint_matches(fingerprint, held.key_fingerprint or ""):
        raise ValidationError(_("The digits typed are not those of the key of this file ({key}). Do not accept a "
                                "file whose key the branch cannot confirm.").format(
            key=keys.short_fingerprint(held.key_fingerprint or "")))
    branch = held.branch
    if not branch.accepted:
        if as_branch_id is not None:
            target = session.get(KnownBranch, as_branch_id)
            if target is None or not target.accepted or target.id == branch.id:
                raise ValidationError(_("There is no branch number {id} on the list.").format(id=as_branch_id))
            uid, parents = branch.uid, branch.parents
            for f in list(branch.files):
                f.branch = target
            session.flush()
            session.delete(branch)
            session.flush()
            target.uid, target.parents = uid, parents
            branch = target
        else:
            others = look_alikes(session, held.manifest["branch"]["name"], branch.id)
            if others and not same_name:
                raise ValidationError(_(
                    "The name \"{name}\" can be taken for {others}, already on the list. If the file is from that "
                    "branch, accept it as that branch (--as {id}); if it is really another branch with a name "
                    "like it, confirm that (--same-name).").format(
                    name=held.manifest["branch"]["name"], others=", ".join(f"#{o.id} {o.name}" for o in others),
                    id=others[0].id))
            branch.expected = True
        branch.accepted = True
        branch.accepted_at = now
    branch.public_key = held.public_key
    branch.key_fingerprint = held.key_fingerprint
    branch.first_seen = branch.first_seen or now
    branch.name = nfc(held.manifest["branch"]["name"])
    session.flush()
    waiting = sorted((f for f in branch.files if f.held and f.public_key == held.public_key),
                     key=lambda f: (f.created_at, f.id))
    for f in waiting:
        f.held = False
        active = _active_file(session, branch.id, Period(f.period_year, f.period_kind, f.period_number))
        if active is not None and f.created_at <= active.created_at:
            continue                                   # older than the active one: history only
        if active is not None:
            active.active = False
            session.flush()
            active.superseded_by_id = f.id
        f.active = True
        session.flush()
    return branch


def refuse_held(session: Session, file_id: int) -> str:
    """Throw a held file away (a forged file, or a branch the committee does not oversee). Returns its name."""
    from ..db import take_write_lock

    take_write_lock(session)
    require_committee(session)
    held = session.get(ReceivedFile, file_id)
    if held is None or not held.held:
        raise ValidationError(_("There is no held file number {id}.").format(id=file_id))
    branch = held.branch
    name = held.file_name
    session.delete(held)
    session.flush()
    if not branch.accepted and not session.scalar(select(ReceivedFile.id).where(ReceivedFile.branch_id == branch.id)):
        session.delete(branch)
    session.flush()
    return name


# --- the branches the committee expects ------------------------------------------------------------

def get_known_branch(session: Session, branch_id: int) -> KnownBranch:
    known = session.get(KnownBranch, branch_id)
    if known is None or not known.accepted:
        raise UserError(_("There is no branch number {id} on the list (see: branches list).").format(id=branch_id))
    return known


def find_branch(session: Session, name: str) -> KnownBranch:
    """The accepted branch with this name (compared as vntext.identity_key). Two branches whose names can
    be taken for each other are not told apart by a name: use their numbers (`get_known_branch`)."""
    key = identity_key(name)
    found = [k for k in session.scalars(select(KnownBranch).where(KnownBranch.accepted.is_(True)))
             if identity_key(k.name) == key]
    if not found:
        raise UserError(_("The committee knows no branch named \"{name}\".").format(name=nfc(name)))
    if len(found) > 1:
        raise UserError(_("Several branches are named like \"{name}\" ({numbers}); name the branch by its number "
                          "(see: branches list).").format(name=nfc(name),
                                                          numbers=", ".join(f"#{k.id}" for k in found)))
    return found[0]


def register_branch(session: Session, name: str, now: dt.datetime | None = None) -> KnownBranch:
    """Expect files from a branch, before its first file arrives."""
    from ..db import take_write_lock

    take_write_lock(session)
    require_committee(session)
    name = nfc(name)
    if not name:
        raise ValidationError(_("Enter the name of the branch."))
    if len(name) > 200:
        raise ValidationError(_("The name is too long (at most 200 characters)."))
    if hidden_characters(name):
        raise ValidationError(_("The name contains invisible or control characters; type it again."))
    for k in look_alikes(session, name):
        if k.expected:
            raise ValidationError(_("The branch \"{name}\" is already on the list.").format(name=k.name))
        k.expected = True
        return k
    known = KnownBranch(name=name, parents=[], registered_at=now or now_utc(), expected=True, note="",
                        accepted=True, accepted_at=now or now_utc())
    session.add(known)
    session.flush()
    return known


def set_expected(session: Session, branch_id: int, expected: bool) -> KnownBranch:
    """Stop (or start again) expecting files from a branch; its files are kept."""
    require_committee(session)
    known = get_known_branch(session, branch_id)
    known.expected = expected
    return known


def reset_key(session: Session, branch_id: int) -> KnownBranch:
    """Forget a branch's recorded key (after a new computer): its next file is held until the office
    accepts its new key, seeing its fingerprint."""
    require_committee(session)
    known = get_known_branch(session, branch_id)
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


def decided_level(known: Any, year: int) -> str | None:
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
    accepted: bool = True
    held_file_id: int | None = None   # the newest held file of this branch (any period), to accept
    held_fingerprint: str = ""        # its key's short fingerprint


def branch_statuses(session: Session, period: Period) -> list[BranchStatus]:
    """Every expected branch, any other that sent a file for the period, and any with a held file."""
    require_committee(session)
    # The files' dates and keys only, and two parts of the active files' data: never the files themselves.
    versions: dict[int, int] = {}
    active: dict[int, Any] = {}
    held: dict[int, Any] = {}
    for row in session.execute(select(
            ReceivedFile.id, ReceivedFile.branch_id, ReceivedFile.active, ReceivedFile.held, ReceivedFile.created_at,
            ReceivedFile.received_at, ReceivedFile.key_fingerprint, ReceivedFile.period_kind,
            ReceivedFile.period_year, ReceivedFile.period_number).order_by(ReceivedFile.id)):
        if row.held:
            held[row.branch_id] = row     # the last held file of the branch, of any period
        if (row.period_kind, row.period_year, row.period_number) != (period.kind, period.year, period.number):
            continue
        versions[row.branch_id] = versions.get(row.branch_id, 0) + 1
        if row.active:
            active[row.branch_id] = row
    tallies = active_tallies(session, period)
    out = []
    for k in _branch_rows(session):
        f, h = active.get(k.id), held.get(k.id)
        if not k.expected and f is None and h is None:
            continue
        tally, level = tallies.get(k.id, (None, None))
        out.append(BranchStatus(
            id=k.id, name=k.name, expected=k.expected, sent=f is not None,
            made_at=f.created_at if f else None, received_at=f.received_at if f else None,
            versions=versions.get(k.id, 0), members=tally["members_total"] if tally else None,
            rated=tally["assessed"] if tally else None, proposed_level=level if f else None,
            key_fingerprint=keys.short_fingerprint(k.key_fingerprint) if k.key_fingerprint and k.accepted else "",
            accepted=k.accepted, held_file_id=h.id if h else None,
            held_fingerprint=keys.short_fingerprint(h.key_fingerprint or "") if h else ""))
    return out


def file_history(session: Session, branch_id: int) -> list[ReceivedFile]:
    return list(session.scalars(select(ReceivedFile).where(ReceivedFile.branch_id == branch_id)
                                .order_by(ReceivedFile.received_at, ReceivedFile.id)))


def file_history_lines(session: Session, branch_id: int) -> list[str]:
    """The files received from a branch, one sentence each, oldest first (read model of the page)."""
    return [_("{period}: made {made}, received {received}{state}").format(
        period=Period(f.period_year, f.period_kind, f.period_number).text(), made=local_text(f.created_at),
        received=local_text(f.received_at), state="" if f.active else " " + _("(replaced)"))
        for f in file_history(session, branch_id)]


def _of_period(period: Period) -> tuple:
    return (ReceivedFile.period_kind == period.kind, ReceivedFile.period_year == period.year,
            ReceivedFile.period_number == period.number)


def active_tallies(session: Session, period: Period) -> dict[int, tuple[dict[str, Any], str | None]]:
    """{branch id: (tally, proposed collective level)} of the active files of a period.

    Only these two parts of each file's data are read (the database extracts them from the stored JSON),
    not the member lists nor the files themselves: a committee of 1,000 branches adds up in well under a
    second on either engine (docs/PERFORMANCE.md, "Scale").
    """
    rows = session.execute(select(
        ReceivedFile.branch_id, ReceivedFile.data["tally"],
        ReceivedFile.data["collective"]["proposed_level"].as_string(),
    ).where(ReceivedFile.active.is_(True), *_of_period(period)))
    return {branch_id: (tally, level) for branch_id, tally, level in rows}


def _branch_rows(session: Session) -> list[Any]:
    """The known branches' own columns (not their files), in the order of their names."""
    rows = session.execute(select(KnownBranch.id, KnownBranch.uid, KnownBranch.name, KnownBranch.expected,
                                  KnownBranch.accepted, KnownBranch.decided_levels, KnownBranch.key_fingerprint)).all()
    return sorted(rows, key=lambda k: word_key(k.name))


def committee_tally(session: Session, year: int) -> dict[str, Any]:
    """The committee's tally for `year` from the branches' active yearly files."""
    committee = require_committee(session)
    period = Period.of_year(year)
    sent: list[BranchTally] = []
    missing: list[str] = []
    tallies = active_tallies(session, period)
    held_by: dict[int, list[str]] = {}
    for branch_id, name in session.execute(select(
            ReceivedFile.branch_id, ReceivedFile.manifest["branch"]["name"].as_string())
            .where(ReceivedFile.held.is_(True), *_of_period(period)).order_by(ReceivedFile.id)):
        held_by.setdefault(branch_id, []).append(name)
    held: list[str] = []
    for k in _branch_rows(session):
        held.extend(held_by.get(k.id, []))
        if not k.accepted:
            continue                      # held until the office accepts it: counted nowhere
        if k.id in tallies:
            tally, level = tallies[k.id]
            sent.append(BranchTally(k.uid or "", k.name, tally, level, decided_level(k, year)))
        elif k.expected:
            missing.append(k.name)
    from .source import year_quota

    # The quota of the regulation the branches' year falls under, read as the committee's setting says.
    out = sum_tallies(sent, year, committee.name, missing, quota=year_quota(year, session))
    out["held"] = held
    return out



def decided_level_of(session: Session, branch_id: int, year: int) -> str | None:
    """The level the committee decided for the branch in `year` (read model of the page)."""
    return decided_level(get_known_branch(session, branch_id), year)
