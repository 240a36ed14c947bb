"""The member register (danh sách đảng viên): adding, editing, life events and listing."""
from __future__ import annotations

import datetime as dt
import enum
import functools
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import chain
from operator import attrgetter
from typing import NamedTuple, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from models import EventKind, Member, MemberEvent
from models.member import DisciplineForm

from .errors import ChangedElsewhereError, ValidationError
from .i18n import N_, _, format_date
from .membership import (
    PERIOD_KINDS,
    PROBATION_MONTHS,
    EventView,
    Gone,
    MemberState,
    Status,
    add_months,
    admission_date,
    event_view,
    full_date,
    state_on,
    states_on,
)
from .vntext import clean_name, fold, hidden_characters, name_key, nfc

GENDERS = ("Nam", "Nữ")
# The member's attributes that choose the review framework and the personal form (never guessed).
ATTRIBUTE_LABELS = {
    "holds_leadership_post": N_("Holds a leadership or management post"),
    "in_political_system": N_("Works in the political system"),
}
PARTY_POST_MAX = 100
# Suggestions offered for the Party post (chức vụ đảng); any other text may be typed.
PARTY_POSTS = ("Bí thư chi bộ", "Phó Bí thư chi bộ", "Chi ủy viên")

EVENT_LABELS = {
    EventKind.ADMITTED: N_("Admitted to the Party"),
    EventKind.MADE_FULL: N_("Made full member"),
    EventKind.TRANSFER_IN: N_("Membership transferred in"),
    EventKind.TRANSFER_OUT: N_("Membership transferred out"),
    EventKind.EXEMPT: N_("Exempt from Party work and meetings"),
    EventKind.SUSPENDED: N_("Suspended from Party activity"),
    EventKind.SICK_LEAVE: N_("Long sick leave"),
    EventKind.MATERNITY_LEAVE: N_("Maternity leave"),
    EventKind.DISCIPLINE: N_("Disciplined"),
    EventKind.DIED: N_("Died"),
    EventKind.REMOVED: N_("Removed from the rolls"),
}

STATUS_LABELS = {Status.PROBATIONARY: N_("Probationary"), Status.FULL: N_("Full member")}
GONE_LABELS = {
    Gone.TRANSFERRED: N_("Transferred out"),
    Gone.DIED: N_("Died"),
    Gone.REMOVED: N_("Removed"),
    Gone.EXPELLED: N_("Expelled"),
    Gone.NOT_YET: N_("Not yet in the branch"),
}


def yes_no(value: bool | None) -> str:
    """"Có" / "Không" / "" (not stated) for a yes-or-no attribute."""
    if value is None:
        return ""
    return _("Yes") if value else _("No")


def event_label(kind: str) -> str:
    return _(EVENT_LABELS[EventKind(kind)])


class RegisterFilter(enum.StrEnum):
    CURRENT = "current"
    PROBATIONARY = "probationary"
    EXEMPT = "exempt"
    TRANSFERRED_OUT = "transferred_out"
    ALL = "all"


FILTER_LABELS = {
    RegisterFilter.CURRENT: N_("Current members"),
    RegisterFilter.PROBATIONARY: N_("Probationary members"),
    RegisterFilter.EXEMPT: N_("Exempt from activities"),
    RegisterFilter.TRANSFERRED_OUT: N_("Transferred out"),
    RegisterFilter.ALL: N_("All, including former members"),
}


@dataclass
class MemberInput:
    """What the add/edit dialog (or an import row) gives for a member."""

    full_name: str
    admitted: dt.date | None
    made_full: dt.date | None = None
    birth_date: dt.date | None = None
    gender: str = ""
    ethnicity: str = "Kinh"
    card_number: str = ""
    position: str = ""
    note: str = ""
    # What chooses the review framework and the personal form; None = not stated yet (never guessed).
    holds_leadership_post: bool | None = None   # giữ chức vụ lãnh đạo, quản lý
    in_political_system: bool | None = None     # công tác trong hệ thống chính trị
    party_post: str = ""                        # chức vụ đảng: "Bí thư chi bộ", "Chi ủy viên"…
    _normal: bool = field(default=False, repr=False, compare=False)  # made by `normalised`

    def normalised(self) -> MemberInput:
        """The input as stored: NFC, names capitalised (`vntext.clean_name`). Normalising it again gives it back
        as it is (an import checks each row several times)."""
        if self._normal:
            return self
        return MemberInput(
            full_name=clean_name(self.full_name),
            admitted=self.admitted,
            made_full=self.made_full,
            birth_date=self.birth_date,
            gender=nfc(self.gender).capitalize(),
            ethnicity=nfc(self.ethnicity).capitalize() or "Kinh",
            card_number=nfc(self.card_number),
            position=nfc(self.position),
            note=nfc(self.note),
            holds_leadership_post=self.holds_leadership_post,
            in_political_system=self.in_political_system,
            party_post=" ".join(nfc(self.party_post).split()),
            _normal=True,
        )


@dataclass
class Problem:
    field: str
    message: str


@dataclass
class Check:
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    name_key: str = ""   # the name folded (`vntext.fold`), as compared with the register's
    # Not wrong, but unusual enough that the user confirms before it is saved (a meeting far ahead).
    confirm: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def blocked_reason(self) -> str:
        """Why the form cannot be saved yet, as one sentence for a greyed "Lưu" button ("" when it can)."""
        from .errors import blocked_reason

        return blocked_reason([p.message for p in self.errors])


# The earliest dates the register accepts: a member born before 1900 would be over 125 years old, and
# the Party was founded on 3 February 1930.
EARLIEST_BIRTH = dt.date(1900, 1, 1)
PARTY_FOUNDED = dt.date(1930, 2, 3)
# A period (leave, exemption, suspension) longer than this is a typing mistake (year 2205 for 2025).
LONGEST_PERIOD_YEARS = 10
_NAME_PUNCTUATION = set(" '’-.(),")


def name_problem(name: str) -> str | None:
    """Why a person's name cannot be stored as it is (None when it can): hidden characters, or characters
    no name has, or not starting with a letter (a formula such as =HYPERLINK(...) is not a name)."""
    hidden = hidden_characters(name)
    if hidden:
        return _("The name contains invisible or control characters ({codes}); type it again.").format(
            codes=", ".join(hidden[:5]))
    if name and not name[0].isalpha():
        return _("A name must start with a letter.")
    odd = sorted({ch for ch in name if not (ch.isalnum() or unicodedata.category(ch).startswith("M")
                                             or ch in _NAME_PUNCTUATION)})
    if odd:
        return _("A name cannot contain the characters {chars}.").format(chars=" ".join(odd[:10]))
    return None


class MemberLike(Protocol):
    """What the duplicate checks read of another member: a record, a RegisterRow or a MemberView."""

    @property
    def id(self) -> int: ...
    @property
    def full_name(self) -> str: ...
    @property
    def birth_date(self) -> dt.date | None: ...
    @property
    def card_number(self) -> str: ...


class RegisterIndex:
    """The register's members by folded name with date of birth, and by Party card number.

    Built once for a batch (an import of thousands of rows), so that each row is checked against the
    register by two look-ups instead of folding every member's name again: each name is folded once,
    when its member is added to the index."""

    def __init__(self, members: Iterable[MemberLike] = ()) -> None:
        self._by_person: dict[tuple[str, dt.date | None], list[MemberLike]] = {}
        self._by_card: dict[str, list[MemberLike]] = {}
        for member in members:
            self.add(member)

    @classmethod
    def of_session(cls, session: Session) -> RegisterIndex:
        """The whole register, reading only the columns the check compares (not the members' events)."""
        return cls(session.execute(select(Member.id, Member.full_name, Member.birth_date, Member.card_number)))

    def add(self, member: MemberLike, folded_name: str | None = None) -> None:
        """Index `member`; `folded_name`: its name already folded, when the caller has it."""
        key = fold(member.full_name) if folded_name is None else folded_name
        self._by_person.setdefault((key, member.birth_date), []).append(member)
        if member.card_number:
            self._by_card.setdefault(member.card_number, []).append(member)

    def same_person(self, folded_name: str, birth_date: dt.date | None) -> list[MemberLike]:
        """Members whose folded name (`vntext.fold`) and date of birth are these, in the order added."""
        return self._by_person.get((folded_name, birth_date), [])

    def with_card(self, card_number: str) -> list[MemberLike]:
        return self._by_card.get(card_number, []) if card_number else []


def check_member(data: MemberInput, today: dt.date, others: Sequence[MemberLike] | RegisterIndex = (),
                 editing_id: int | None = None, name_key: str | None = None) -> Check:
    """Validate a member's details; warnings do not block saving.

    `others`: the register (a `RegisterIndex` when checking many members against it). The result's
    `name_key` is the name as folded for the duplicate check (`vntext.fold`), for a caller comparing rows
    among themselves; a caller checking the same input again passes it back as `name_key`."""
    d = data.normalised()
    check = Check()
    err = check.errors.append
    if not d.full_name:
        err(Problem("full_name", _("Enter the member's full name.")))
    elif len(d.full_name) > 120:
        err(Problem("full_name", _("The name is too long (at most 120 characters).")))
    elif (why := name_problem(d.full_name)) is not None:
        err(Problem("full_name", why))
    for name, label, allow in (("ethnicity", _("Ethnicity"), ""), ("card_number", _("Party card no."), ""),
                               ("position", _("Position"), ""), ("note", _("Note"), "\n\t")):
        hidden = hidden_characters(getattr(d, name), allow=allow)
        if hidden:
            err(Problem(name, _("{label} contains invisible or control characters ({codes}).").format(
                label=label, codes=", ".join(hidden[:5]))))
    if d.birth_date is not None and d.birth_date < EARLIEST_BIRTH:
        err(Problem("birth_date", _("The date of birth cannot be before {date}.").format(
            date=format_date(EARLIEST_BIRTH))))
    for name, value, label in (("admitted", d.admitted, _("Date of admission")),
                               ("made_full", d.made_full, _("Date made full member"))):
        if value is not None and value < PARTY_FOUNDED:
            err(Problem(name, _("{label} cannot be before the Party was founded ({date}).").format(
                label=label, date=format_date(PARTY_FOUNDED))))
    if d.admitted is None:
        err(Problem("admitted", _("Enter the date of admission to the Party.")))
    for name, value, label in (
        ("birth_date", d.birth_date, N_("Date of birth")),
        ("admitted", d.admitted, N_("Date of admission")),
        ("made_full", d.made_full, N_("Date made full member")),
    ):
        if value is not None and value > today:
            err(Problem(name, _("{label} cannot be in the future.").format(label=_(label))))
    if d.admitted and d.made_full and d.made_full < add_months(d.admitted, PROBATION_MONTHS):
        err(Problem("made_full", _(
            "The date made full member must be at least 12 months after admission (from {date})."
        ).format(date=format_date(add_months(d.admitted, PROBATION_MONTHS)))))
    if d.birth_date and d.admitted and d.admitted < add_months(d.birth_date, 18 * 12):
        err(Problem("admitted", _("A member must be at least 18 years old when admitted.")))
    if d.gender and d.gender not in GENDERS:
        err(Problem("gender", _("Gender must be Nam or Nữ.")))
    if len(d.party_post) > PARTY_POST_MAX:
        err(Problem("party_post", _("The Party post is too long (at most {n} characters).").format(n=PARTY_POST_MAX)))
    if d.full_name:
        index = others if isinstance(others, RegisterIndex) else RegisterIndex(others)
        check.name_key = fold(d.full_name) if name_key is None else name_key
        for other in index.same_person(check.name_key, d.birth_date):
            if editing_id is None or other.id != editing_id:
                check.warnings.append(Problem("full_name", _(
                    "A member with the same name and date of birth is already in the register: {name} ({date})."
                ).format(name=other.full_name, date=format_date(other.birth_date) or "?")))
        for other in index.with_card(d.card_number):
            if editing_id is None or other.id != editing_id:
                err(Problem("card_number", _("Party card number {number} already belongs to {name}.").format(
                    number=d.card_number, name=other.full_name)))
    return check


FIELD_LABELS = {
    "full_name": N_("Full name"), "birth_date": N_("Date of birth"), "gender": N_("Gender"),
    "ethnicity": N_("Ethnicity"), "admitted": N_("Date of admission"), "made_full": N_("Date made full member"),
    "card_number": N_("Party card no."), "position": N_("Position"), "note": N_("Note"),
    "party_post": N_("Party post"), **ATTRIBUTE_LABELS,
}


def _shown(value) -> str:
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return str(value or "")


def input_changes(before: MemberInput, after: MemberInput) -> list[str]:
    """'Họ và tên: A → B' for every field that differs."""
    out = []
    for name, label in FIELD_LABELS.items():
        old, new = getattr(before, name), getattr(after, name)
        if old != new:
            out.append(f"{_(label)}: {_shown(old) or '—'} → {_shown(new) or '—'}")
    return out


def all_members(session: Session) -> list[Member]:
    return list(session.scalars(select(Member).options(selectinload(Member.events))))


def initial_events(d: MemberInput, admitted_elsewhere: tuple[dt.date, str] | None = None) -> list[EventInput]:
    """The events a new member starts with: the admission, being made full (if given) and the transfer in
    (`admitted_elsewhere`: date and organisation, for a member who joined the branch by transfer)."""
    assert d.admitted is not None
    events = [EventInput(EventKind.ADMITTED, d.admitted)]
    if d.made_full:
        events.append(EventInput(EventKind.MADE_FULL, d.made_full))
    if admitted_elsewhere:
        when, org = admitted_elsewhere
        events.append(EventInput(EventKind.TRANSFER_IN, when, other_org=org))
    return events


def add_member(session: Session, data: MemberInput, today: dt.date | None = None,
               admitted_elsewhere: tuple[dt.date, str] | None = None,
               others: list[Member] | RegisterIndex | None = None) -> Member:
    """Add a member with the admission (and, if given, made-full) events.

    `admitted_elsewhere`: (transfer-in date, organisation) for a member who joined the branch by transfer.
    `others`: the register as already loaded by a caller adding several members (the new member is
    added to it), so that they do not reload it each time. Thousands at once: `insert_members`.
    """
    from .db import take_write_lock

    take_write_lock(session)  # the checks against the register below hold until the commit
    today = today or dt.date.today()
    if others is None:
        others = all_members(session)
    check = check_member(data, today, others)
    if not check.ok:
        raise ValidationError([p.message for p in check.errors])
    d = data.normalised()
    member = Member(
        full_name=d.full_name, birth_date=d.birth_date, gender=d.gender, ethnicity=d.ethnicity,
        card_number=d.card_number, position=d.position, note=d.note,
        holds_leadership_post=d.holds_leadership_post, in_political_system=d.in_political_system,
        party_post=d.party_post,
    )
    for ev in initial_events(d, admitted_elsewhere):
        member.events.append(MemberEvent(kind=ev.kind, date=ev.date, other_org=nfc(ev.other_org)))
    session.add(member)
    session.flush()
    if isinstance(others, RegisterIndex):
        others.add(member, check.name_key)
    else:
        others.append(member)
    return member


# The member's own columns a MemberInput sets (the dates are events).
MEMBER_FIELDS = ("full_name", "birth_date", "gender", "ethnicity", "card_number", "position", "note",
                 "holds_leadership_post", "in_political_system", "party_post")


class NewPerson(NamedTuple):
    """A member about to be written, as the duplicate check sees it (`RegisterIndex.add`); `id` 0: no key yet."""

    id: int
    full_name: str
    birth_date: dt.date | None
    card_number: str


@dataclass
class NewMember:
    """One member of a batch for `insert_members`: details, the transfer in if they joined by transfer,
    and later events (in date order)."""

    data: MemberInput
    admitted_elsewhere: tuple[dt.date, str] | None = None
    events: Sequence[EventInput] = ()


def insert_members(session: Session, batch: Sequence[NewMember]) -> list[int]:
    """Write a batch of members, already checked, with their events, in one statement per table, with the
    audit trail's entries as a flush would write them. Returns the members' ids in order.

    The caller has checked each member with `check_member` against the register and the batch before it
    (a `RegisterIndex`), and each later event with `check_event` against the member's history. For an
    import of thousands: the ORM's unit of work costs a fraction of a millisecond per row, this a few
    microseconds."""
    from . import audit
    from .db import insert_keyed, table_of

    if not batch:
        return []
    members = [{f: getattr(new.data.normalised(), f) for f in MEMBER_FIELDS} for new in batch]
    members = insert_keyed(session, table_of(Member), members)
    events = []
    for row, new in zip(members, batch, strict=True):
        d = new.data.normalised()
        for ev in [*initial_events(d, new.admitted_elsewhere), *new.events]:
            assert ev.date is not None
            events.append({"member_id": row["id"], "kind": str(ev.kind), "date": ev.date, "end_date": ev.end_date,
                           "other_org": nfc(ev.other_org), "form": nfc(ev.form), "reason": nfc(ev.reason)})
    events = insert_keyed(session, table_of(MemberEvent), events)
    audit.record_inserts(session, Member.__tablename__, members)
    audit.record_inserts(session, MemberEvent.__tablename__, events)
    return [row["id"] for row in members]


def update_member(session: Session, member_id: int, data: MemberInput, today: dt.date | None = None,
                  seen: MemberInput | None = None, seen_version: int | None = None) -> Member:
    """Change a member's details. Admission / made-full dates correct the matching event.

    `seen`, `seen_version`: what the dialog showed when it opened (`member_input_of`, `Member.version`).
    When the record was changed since (another window, another program), the save is refused with
    what changed, instead of silently overwriting that change.
    """
    from .db import take_write_lock

    take_write_lock(session)
    today = today or dt.date.today()
    member = session.get(Member, member_id, populate_existing=True)
    if member is None:
        raise ValidationError(_("This member no longer exists; it was deleted since the window showed it."))
    if seen is not None or seen_version is not None:
        now = member_input_of(member)
        changes = input_changes(seen, now) if seen is not None else []
        if changes or (seen_version is not None and member.version != seen_version):
            raise ChangedElsewhereError([_(
                "{name} was changed elsewhere (another window or another computer) since this window showed "
                "it; your changes were not saved. Close the window, open the member again and redo them."
            ).format(name=member.full_name)] + changes)
    check = check_member(data, today, all_members(session), editing_id=member_id)
    if not check.ok:
        raise ValidationError([p.message for p in check.errors])
    d = data.normalised()
    for attr in MEMBER_FIELDS:
        setattr(member, attr, getattr(d, attr))
    _set_single_event(member, EventKind.ADMITTED, d.admitted)
    _set_single_event(member, EventKind.MADE_FULL, d.made_full)
    session.flush()
    return member


def _set_single_event(member: Member, kind: EventKind, when: dt.date | None) -> None:
    existing = [e for e in member.events if e.kind == kind]
    if when is None:
        for e in existing:
            member.events.remove(e)
        return
    if existing:
        existing[0].date = when
    else:
        member.events.append(MemberEvent(kind=kind, date=when))


# Events that may be recorded as having happened at the member's previous Party organisation (before
# the member joined this branch): they are history, and count like the others (the caps of the review).
ELSEWHERE_KINDS = (EventKind.DISCIPLINE, EventKind.MADE_FULL, EventKind.ADMITTED)


@dataclass
class EventInput:
    kind: EventKind
    date: dt.date | None
    end_date: dt.date | None = None
    other_org: str = ""
    form: str = ""
    reason: str = ""


def elsewhere(ev: EventInput | MemberEvent) -> bool:
    """Whether the event happened at the member's previous organisation (its name is given)."""
    return ev.kind in ELSEWHERE_KINDS and bool(nfc(ev.other_org or ""))


def _check_elsewhere(member: Member | MemberView, ev: EventInput, today: dt.date) -> list[str]:
    """An admission, made-full or discipline at the member's previous organisation, recorded as history."""
    assert ev.date is not None
    problems: list[str] = []
    if ev.date > today:
        problems.append(_("The date of the event cannot be in the future."))
    if ev.end_date is not None:
        problems.append(_("This kind of event has no end date."))
    admitted = admission_date(member.events)
    made_full = full_date(member.events)
    # The admission (always recorded) and a made-full date already recorded: only where they took place.
    if ev.kind == EventKind.ADMITTED or (ev.kind == EventKind.MADE_FULL and made_full is not None):
        recorded = admitted if ev.kind == EventKind.ADMITTED else made_full
        if recorded is not None and ev.date != recorded:
            problems.append(_("The date recorded is {date}; it is edited in the member's details.").format(
                date=format_date(recorded)))
        return problems
    state = state_on(member.events, ev.date)
    if state.in_branch:
        problems.append(_("On {date} {name} was a member of this branch: record the event without the other "
                          "organisation.").format(date=format_date(ev.date), name=member.full_name))
    if admitted is not None and ev.date < admitted:
        problems.append(_("On {date} {name} was not yet a Party member (admitted on {admitted}).").format(
            date=format_date(ev.date), name=member.full_name, admitted=format_date(admitted)))
    if ev.kind == EventKind.DISCIPLINE and nfc(ev.form) not in {f.value for f in DisciplineForm}:
        problems.append(_("Choose the form of discipline."))
    if ev.kind == EventKind.MADE_FULL:
        if admitted and ev.date < add_months(admitted, PROBATION_MONTHS):
            problems.append(_(
                "The date made full member must be at least 12 months after admission (from {date})."
            ).format(date=format_date(add_months(admitted, PROBATION_MONTHS))))
    return problems


def check_event(member: Member | MemberView, ev: EventInput, today: dt.date) -> list[str]:
    """Problems with adding this event to the member's history (empty when it is fine).

    An admission, made-full or discipline with the name of another organisation is the member's history
    before joining this branch (e.g. disciplined in the year before transferring in): recorded as such."""
    problems: list[str] = []
    if ev.date is None:
        return [_("Enter the date of the event.")]
    if elsewhere(ev):
        return _check_elsewhere(member, ev, today)
    if ev.date > today:
        problems.append(_("The date of the event cannot be in the future."))
    if ev.date < PARTY_FOUNDED:
        problems.append(_("The date of the event cannot be before the Party was founded ({date}).").format(
            date=format_date(PARTY_FOUNDED)))
    for text in (ev.other_org, ev.form):
        if hidden_characters(text):
            problems.append(_("The text contains invisible or control characters; type it again."))
            break
    if ev.end_date is not None:
        if ev.kind not in PERIOD_KINDS:
            problems.append(_("This kind of event has no end date."))
        elif ev.end_date < ev.date:
            problems.append(_("The end date cannot be before the start date."))
        elif ev.end_date > add_months(ev.date, 12 * LONGEST_PERIOD_YEARS):
            problems.append(_("The end date is more than {n} years after the start date; check the year.").format(
                n=LONGEST_PERIOD_YEARS))
    state = state_on(member.events, ev.date)
    needs_member = {EventKind.TRANSFER_OUT, EventKind.DIED, EventKind.REMOVED, EventKind.DISCIPLINE,
                    EventKind.MADE_FULL} | PERIOD_KINDS
    if ev.kind in needs_member and not state.in_branch:
        problems.append(_("On {date} {name} was not a member of the branch.").format(
            date=format_date(ev.date), name=member.full_name))
        if ev.kind in ELSEWHERE_KINDS and state.gone == Gone.NOT_YET:
            problems.append(_("If it happened at the member's previous Party organisation, enter that "
                              "organisation's name: it is recorded as history and counts in the review."))
    if ev.kind == EventKind.TRANSFER_IN and state.in_branch:
        problems.append(_("On {date} {name} was already a member of the branch.").format(
            date=format_date(ev.date), name=member.full_name))
    if ev.kind in (EventKind.TRANSFER_IN, EventKind.TRANSFER_OUT) and not nfc(ev.other_org):
        problems.append(_("Enter the name of the other Party organisation."))
    if ev.kind == EventKind.DISCIPLINE and nfc(ev.form) not in {f.value for f in DisciplineForm}:
        problems.append(_("Choose the form of discipline."))
    if ev.kind == EventKind.MADE_FULL:
        if state.status == Status.FULL:
            problems.append(_("{name} is already a full member.").format(name=member.full_name))
        elif state.admitted and ev.date < add_months(state.admitted, PROBATION_MONTHS):
            problems.append(_(
                "The date made full member must be at least 12 months after admission (from {date})."
            ).format(date=format_date(add_months(state.admitted, PROBATION_MONTHS))))
    if ev.kind == EventKind.ADMITTED:
        problems.append(_("The admission date is edited in the member's details."))
    return problems


def add_event(session: Session, member_id: int, ev: EventInput, today: dt.date | None = None,
              org_optional: bool = False, seen: Sequence[EventView] | None = None) -> MemberEvent:
    """Record an event of the member's Party life. `org_optional`: a transfer may leave out the other
    organisation (an imported list that does not give it; the preview warned about it).

    `seen`: the member's history as the dialog showed it (`MemberView.events`). An admission or made-full at
    the previous organisation rewrites where the one already recorded on that date took place; when that
    record was changed, added or deleted since (another window, another computer), the save is refused
    instead of overwriting what the dialog did not show. A new event needs no such check."""
    if seen is not None:
        from .db import take_write_lock

        take_write_lock(session)   # the check below and the write see one state
    today = today or dt.date.today()
    member = session.get(Member, member_id)
    if member is None:
        raise ValidationError(_("This member no longer exists."))
    rewrites = elsewhere(ev) and ev.kind in (EventKind.ADMITTED, EventKind.MADE_FULL)
    if rewrites and seen is not None and ev.date is not None:
        recorded = session.scalars(
            select(MemberEvent).where(MemberEvent.member_id == member_id, MemberEvent.kind == ev.kind,
                                      MemberEvent.date == ev.date)
            .order_by(MemberEvent.id).execution_options(populate_existing=True)).first()
        shown = next((e for e in seen if e.kind == ev.kind and e.date == ev.date), None)
        if (event_view(recorded) if recorded is not None else None) != shown:
            raise ChangedElsewhereError(_(
                "The history of {name} was changed elsewhere (another window or another computer) since this "
                "window showed it; the event was not recorded. Close the window, look at the history as it is "
                "now and record the event again.").format(name=member.full_name))
    problems = check_event(member, ev, today)
    if org_optional:
        problems = [p for p in problems if p != _("Enter the name of the other Party organisation.")]
    if problems:
        raise ValidationError(problems)
    assert ev.date is not None
    recorded = next((e for e in member.events if e.kind == ev.kind and e.date == ev.date), None)
    if rewrites and recorded is not None:
        recorded.other_org = nfc(ev.other_org)  # where the admission / made-full already recorded took place
        if ev.reason:
            recorded.reason = nfc(ev.reason)
        session.flush()
        return recorded
    event = MemberEvent(kind=ev.kind, date=ev.date, end_date=ev.end_date, other_org=nfc(ev.other_org),
                        form=nfc(ev.form), reason=nfc(ev.reason))
    member.events.append(event)
    session.flush()
    return event


def delete_event(session: Session, event_id: int) -> None:
    event = session.get(MemberEvent, event_id)
    if event is None:
        return
    if event.kind == EventKind.ADMITTED:
        raise ValidationError(_("The admission cannot be deleted; delete the member instead."))
    session.delete(event)


def delete_member(session: Session, member_id: int) -> None:
    """Remove a record entered by mistake. (A member who leaves gets an event, not a deletion.)"""
    member = session.get(Member, member_id)
    if member is not None:
        session.delete(member)


# --- the register ----------------------------------------------------------------------------

class RegisterRow(NamedTuple):
    """One member in the register, with their state on the register's date. (A named tuple rather than a
    frozen dataclass: built for each of thousands of members, several times faster.)"""

    id: int
    full_name: str
    birth_date: dt.date | None
    gender: str
    ethnicity: str
    admitted: dt.date | None
    made_full: dt.date | None
    card_number: str
    position: str
    state: MemberState
    search_text: str
    sort_key: tuple
    holds_leadership_post: bool | None = None
    in_political_system: bool | None = None
    party_post: str = ""

    @property
    def status_text(self) -> str:
        st = self.state
        if not st.in_branch:
            return _(GONE_LABELS[st.gone]) if st.gone else ""
        text = _(STATUS_LABELS[st.status]) if st.status else ""
        if st.exempt:
            text += " · " + _("exempt")
        if st.suspended:
            text += " · " + _("suspended")
        return text

    def in_filter(self, which: RegisterFilter) -> bool:
        st = self.state
        if which == RegisterFilter.ALL:
            return True
        if which == RegisterFilter.CURRENT:
            return st.in_branch
        if which == RegisterFilter.PROBATIONARY:
            return st.in_branch and st.status == Status.PROBATIONARY
        if which == RegisterFilter.EXEMPT:
            return st.exempt
        return st.gone == Gone.TRANSFERRED


class _RegisterEvent(NamedTuple):
    """One event as the register reads it (a query row turned into a tuple once: the states read its fields
    several times, and a named tuple's fields are read much faster than a query row's)."""

    member_id: int
    id: int
    kind: str
    date: dt.date
    end_date: dt.date | None
    form: str


_MEMBER = Member.__table__.c
_EVENT = MemberEvent.__table__.c
_BATCH = 500   # query rows read at a time by the register
# The register is read again after every change and on every visit of its page, mostly the same names and
# texts: their sort keys and folded search texts are kept rather than computed again each time (enough
# for a register of over ten thousand members; an older entry is dropped when a new one does not fit).
_KEPT = 16384
_name_key = functools.lru_cache(maxsize=_KEPT)(name_key)
_search_text = functools.lru_cache(maxsize=_KEPT)(fold)


def register(session: Session, on: dt.date | None = None) -> list[RegisterRow]:
    """Every member ever recorded, with their state on `on`, in Vietnamese name order.

    Two queries (every event ordered by member and date, then the members' columns) and the states in one
    pass over the events (`membership.states_on`). No ORM object is built; the query rows are unpacked as
    tuples (reading a query row's fields by name cost more than all the rest) and read in batches, each
    row dropped once used, so that the garbage collector does not walk thousands of them again and again."""
    on = on or dt.date.today()
    events = session.execute(select(_EVENT.member_id, _EVENT.id, _EVENT.kind, _EVENT.date, _EVENT.end_date,
                                    _EVENT.form)
                             .order_by(_EVENT.member_id, _EVENT.date, _EVENT.id))
    states = states_on(map(_RegisterEvent._make, chain.from_iterable(events.partitions(_BATCH))),
                       attrgetter("member_id"), on, in_order=True)
    no_events = state_on([], on)
    members = session.execute(select(
        _MEMBER.id, _MEMBER.full_name, _MEMBER.birth_date, _MEMBER.gender, _MEMBER.ethnicity, _MEMBER.card_number,
        _MEMBER.position, _MEMBER.holds_leadership_post, _MEMBER.in_political_system, _MEMBER.party_post))
    rows = []
    for (id_, full_name, birth_date, gender, ethnicity, card_number, position, leadership, political,
         party_post) in chain.from_iterable(members.partitions(_BATCH)):
        st = states.get(id_, no_events)
        party_post = party_post or ""
        rows.append(RegisterRow(
            id_, full_name, birth_date, gender, ethnicity, st.admitted, st.made_full, card_number, position, st,
            _search_text(f"{full_name} {card_number} {position} {party_post}"), _name_key(full_name),
            leadership, political, party_post))
    rows.sort(key=_register_order)
    return rows


def _register_order(r: RegisterRow) -> tuple:
    return r.sort_key, r.birth_date or dt.date.min, r.id


def member_details(session: Session, member_id: int) -> Member | None:
    return session.scalar(
        select(Member).where(Member.id == member_id).options(selectinload(Member.events))
    )


@dataclass(frozen=True)
class MemberView:
    """One member with their party life, as plain values (the member's page, dialogs, checks)."""

    id: int
    full_name: str
    birth_date: dt.date | None
    gender: str
    ethnicity: str
    card_number: str
    position: str
    note: str
    events: tuple[EventView, ...]        # in date order
    holds_leadership_post: bool | None = None
    in_political_system: bool | None = None
    party_post: str = ""
    version: int | None = None           # the row version: a save over a change made since is refused

    @property
    def input(self) -> MemberInput:
        """The member's details as the add/edit form holds them."""
        st = state_on(self.events, dt.date.max)
        return MemberInput(
            full_name=self.full_name, admitted=st.admitted, made_full=st.made_full, birth_date=self.birth_date,
            gender=self.gender, ethnicity=self.ethnicity, card_number=self.card_number, position=self.position,
            note=self.note, holds_leadership_post=self.holds_leadership_post,
            in_political_system=self.in_political_system, party_post=self.party_post)


def member_view(session: Session, member_id: int) -> MemberView | None:
    """Read model of one member (None when the member no longer exists)."""
    m = member_details(session, member_id)
    if m is None:
        return None
    events = tuple(event_view(e) for e in sorted(m.events, key=lambda e: (e.date, e.id or 0)))
    return MemberView(m.id, m.full_name, m.birth_date, m.gender, m.ethnicity, m.card_number, m.position,
                      m.note, events, m.holds_leadership_post, m.in_political_system, m.party_post or "",
                      m.version)


def member_input_of(member: Member) -> MemberInput:
    st = state_on(member.events, dt.date.max)
    return MemberInput(
        full_name=member.full_name, admitted=st.admitted, made_full=st.made_full,
        birth_date=member.birth_date, gender=member.gender, ethnicity=member.ethnicity,
        card_number=member.card_number, position=member.position, note=member.note,
        holds_leadership_post=member.holds_leadership_post, in_political_system=member.in_political_system,
        party_post=member.party_post or "",
    )


def describe_event(e: MemberEvent | EventView) -> str:
    """One line of a member's history, e.g. 'Kỷ luật: khiển trách — lý do'."""
    text = event_label(e.kind)
    if e.form:
        text += f": {e.form}"
    if e.other_org:
        if e.kind in ELSEWHERE_KINDS:
            where = _("at {org} (before joining this branch)")
        else:
            where = _("from {org}") if e.kind == EventKind.TRANSFER_IN else _("to {org}")
        text += " — " + where.format(org=e.other_org)
    if e.kind in PERIOD_KINDS:
        text += " — " + (_("until {date}").format(date=format_date(e.end_date)) if e.end_date else _("still in effect"))
    if e.reason:
        text += f" ({e.reason})"
    return text
