"""Đảng phí: each member's monthly amount, the payments, the month's totals and the unpaid months.

Amounts are whole đồng. The amount rules are the upper committee's (DOMAIN.md §4): for members in
compulsory social insurance, 1% of the salary used for social insurance [C] (the helper
`amount_from_salary`, rounded by the setting `dues.rounding`); for everyone else a per-member amount.
A member's amount has a history: a new amount applies from a month on, and past months keep theirs.

A month's dues are owed to this branch by the members who belong to it on the month's last day (a
member who transfers out pays their new branch from that month on). A payment is made on a date and
covers one or more months, earlier or later (in advance). A month is paid once.

The month's total is what was paid for that month; the part the branch keeps (setting
`dues.branch_share_pct`, default 0: everything is remitted) and the part remitted upward follow from it.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from models import DuesPayment, DuesPaymentMonth, DuesRate, Member

from . import settings
from .errors import ChangedElsewhereError, UserError, ValidationError
from .i18n import N_, _, format_date, format_number
from .members import all_members
from .membership import DatedEvent, EventView, event_view, in_branch_during, state_on
from .ratings import MONTHS, last_day
from .reminders import Reminder, rule
from .vntext import name_key, nfc

YearMonth = tuple[int, int]

ROUNDING = settings.declare(
    "dues.rounding", int, 1000,
    N_("Dues computed from a salary are rounded to this many đồng (1 = not rounded)."),
    choices=(1, 100, 500, 1000),
)
SALARY_RATE = settings.declare(
    "dues.salary_rate_pct", float, 1.0,
    N_("Dues of a member in social insurance: this percentage of the salary used for social insurance."),
    minimum=0.0, maximum=10.0,
)
BRANCH_SHARE = settings.declare(
    "dues.branch_share_pct", float, 0.0,
    N_("Percentage of the dues collected that the branch keeps (the rest is remitted upward)."),
    minimum=0.0, maximum=100.0,
)
UNPAID_LIMIT = settings.declare(
    "dues.unpaid_months_reminder", int, 3,
    N_("Remind when a member has not paid dues for this many months in a year."),
    minimum=1, maximum=12,
)
MAX_AMOUNT = 100_000_000
ADVANCE_MONTHS = 12


def ym_index(year: int, month: int) -> int:
    return year * 12 + month - 1


def ym_of(index: int) -> YearMonth:
    return index // 12, index % 12 + 1


def month_text(ym: YearMonth) -> str:
    return f"{ym[1]}/{ym[0]}"


def months_text(months: Iterable[YearMonth]) -> str:
    """'9, 10, 11/2025' or '12/2025, 1/2026'."""
    months = sorted(months)
    years = {y for y, _m in months}
    if len(years) == 1:
        return ", ".join(str(m) for _y, m in months) + f"/{months[0][0]}" if months else ""
    return ", ".join(month_text(ym) for ym in months)


def format_money(amount: int | None, unit: bool = True) -> str:
    """50000 -> '50.000 đ' (or '50.000')."""
    if amount is None:
        return ""
    text = format_number(int(amount))
    return f"{text} đ" if unit else text


def parse_money(text: str) -> int | None:
    """'50.000', '50000', '50.000 đ', '50,000' -> 50000; None when it is not a whole amount."""
    cleaned = nfc(text).lower().replace("đồng", "").replace("đ", "").replace(" ", "")
    cleaned = cleaned.replace(".", "").replace(",", "")
    return int(cleaned) if cleaned.isdigit() else None


# --- amounts ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RateRow:
    id: int
    year: int
    month: int
    amount: int
    basis: int | None
    note: str

    @property
    def start(self) -> YearMonth:
        return self.year, self.month


def round_amount(value: Decimal | int | float, unit: int) -> int:
    """Rounded half up to a multiple of `unit` đồng."""
    steps = (Decimal(str(value)) / unit).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return int(steps) * unit


def amount_from_salary(session: Session, salary: int) -> int:
    """'1% của mức lương đóng BHXH': the monthly dues for a salary, rounded by the setting."""
    pct = Decimal(str(settings.get(session, SALARY_RATE.key)))
    return round_amount(Decimal(salary) * pct / 100, settings.get(session, ROUNDING.key))


def rates_of(session: Session, member_id: int) -> list[RateRow]:
    rows = session.scalars(select(DuesRate).where(DuesRate.member_id == member_id))
    return sorted((RateRow(r.id, r.year, r.month, r.amount, r.basis, r.note) for r in rows), key=lambda r: r.start)


def amount_for(rates: Sequence[RateRow], year: int, month: int) -> int | None:
    """The amount in force in the month, or None when no amount was set yet."""
    current = None
    for r in sorted(rates, key=lambda r: r.start):
        if r.start <= (year, month):
            current = r.amount
    return current


def set_rate(session: Session, member_id: int, year: int, month: int, amount: int, today: dt.date,
             basis: int | None = None, note: str = "", seen: Sequence[RateRow] | None = None) -> DuesRate:
    """Set the member's monthly amount from (year, month) on. An amount from the same month is replaced.

    `seen`: the member's amounts as the dialog showed them (`MemberDues.rates`). When the amount of that
    month was changed, added or deleted since (another window, another computer), the save is refused
    instead of replacing what the dialog did not show."""
    if seen is not None:
        from .db import take_write_lock

        take_write_lock(session)   # the check below and the write see one state
    member = session.get(Member, member_id)
    problems = []
    if member is None:
        raise ValidationError(_("This member no longer exists."))
    if month not in MONTHS or not 1900 < year < 2200:
        problems.append(_("Choose the month from which the amount applies."))
    if amount is None or amount < 0 or amount > MAX_AMOUNT:
        problems.append(_("Enter the monthly amount in đồng (0 if the member pays nothing)."))
    if basis is not None and (basis <= 0 or basis > MAX_AMOUNT * 100):
        problems.append(_("The salary must be a positive amount in đồng."))
    if month in MONTHS and ym_index(year, month) > ym_index(today.year, today.month) + ADVANCE_MONTHS:
        problems.append(_("The month is too far in the future."))
    if problems:
        raise ValidationError(problems)
    row = session.scalar(select(DuesRate).where(DuesRate.member_id == member_id, DuesRate.year == year,
                                                DuesRate.month == month).execution_options(populate_existing=True))
    if seen is not None:
        shown = next((r for r in seen if r.start == (year, month)), None)
        stored = RateRow(row.id, row.year, row.month, row.amount, row.basis, row.note) if row is not None else None
        if stored != shown:
            raise ChangedElsewhereError(_(
                "The amount of {name} from month {month}/{year} was changed elsewhere (another window or another "
                "computer) since this window showed it; your changes were not saved. Close the window, open it "
                "again and redo them.").format(name=member.full_name, month=month, year=year))
    if row is None:
        row = DuesRate(member_id=member_id, year=year, month=month)
        session.add(row)
    row.amount, row.basis, row.note = int(amount), basis, nfc(note)
    session.flush()
    return row


def delete_rate(session: Session, rate_id: int) -> None:
    row = session.get(DuesRate, rate_id)
    if row is not None:
        session.delete(row)
        session.flush()


# --- who owes which months ----------------------------------------------------------------------

def owes_month(events: Sequence[DatedEvent], year: int, month: int) -> bool:
    """Whether the member owes this branch the month's dues: a member of the branch on its last day."""
    return state_on(events, last_day(year, month)).in_branch


@dataclass
class PaidMonth:
    year: int
    month: int
    amount: int
    payment_id: int
    paid_on: dt.date
    months_in_payment: int


@dataclass
class MemberDues:
    """Everything about one member's dues that the screens and the book need."""

    member_id: int
    full_name: str
    events: list[EventView]
    rates: list[RateRow]
    paid: dict[YearMonth, PaidMonth]

    def owes(self, year: int, month: int) -> bool:
        return owes_month(self.events, year, month)

    def amount_due(self, year: int, month: int) -> int | None:
        return amount_for(self.rates, year, month)

    def unpaid(self, year: int, months: Iterable[int]) -> list[int]:
        """Months of `year` among `months` that are owed, not paid, and not set to 0."""
        return [m for m in months if self.owes(year, m) and (year, m) not in self.paid
                and self.amount_due(year, m) != 0]


def _load(session: Session, members: Iterable[Member] | None = None, year: int | None = None) -> list[MemberDues]:
    """The members' dues; with `year`, only the payments that cover a month of that year are read."""
    members = list(all_members(session) if members is None else members)
    ids = [m.id for m in members]
    rates: dict[int, list[RateRow]] = {i: [] for i in ids}
    for r in session.scalars(select(DuesRate).where(DuesRate.member_id.in_(ids))):
        rates[r.member_id].append(RateRow(r.id, r.year, r.month, r.amount, r.basis, r.note))
    paid: dict[int, dict[YearMonth, PaidMonth]] = {i: {} for i in ids}
    query = select(DuesPayment).where(DuesPayment.member_id.in_(ids))
    if year is not None:
        query = query.where(DuesPayment.months.any(DuesPaymentMonth.year == year))
    payments = session.scalars(query.options(selectinload(DuesPayment.months)))
    for p in payments:
        for pm in p.months:
            paid[p.member_id][(pm.year, pm.month)] = PaidMonth(pm.year, pm.month, pm.amount, p.id, p.paid_on,
                                                               len(p.months))
    out = [MemberDues(m.id, m.full_name, [event_view(e) for e in m.events], sorted(rates[m.id], key=lambda r: r.start),
                      paid[m.id])
           for m in members]
    out.sort(key=lambda d: (name_key(d.full_name), d.member_id))
    return out


def member_dues(session: Session, member_id: int) -> MemberDues:
    member = session.get(Member, member_id)
    if member is None:
        raise ValidationError(_("This member no longer exists."))
    return _load(session, [member])[0]


# --- payments -----------------------------------------------------------------------------------

@dataclass
class PaymentInput:
    member_id: int
    paid_on: dt.date | None
    months: list[YearMonth]
    amount: int | None = None   # None: the sum of the months' amounts
    note: str = ""


def _allocate(total: int, dues: list[int | None]) -> list[int]:
    """Split a payment over its months: each month its amount when the total matches, else evenly."""
    if all(d is not None for d in dues) and sum(dues) == total:  # type: ignore[arg-type]
        return [int(d) for d in dues]  # type: ignore[arg-type]
    n = len(dues)
    share, rest = divmod(total, n)
    return [share + (1 if i < rest else 0) for i in range(n)]


def check_payment(session: Session, data: PaymentInput, today: dt.date) -> tuple[list[str], int | None]:
    """(problems, total amount) of a payment about to be recorded."""
    problems: list[str] = []
    member = session.get(Member, data.member_id)
    if member is None:
        return [_("This member no longer exists.")], None
    d = _load(session, [member])[0]
    months = sorted(set(data.months))
    if data.paid_on is None:
        problems.append(_("Enter the date of payment."))
    elif data.paid_on > today:
        problems.append(_("The date of payment cannot be in the future."))
    if not months:
        problems.append(_("Choose at least one month."))
    limit = ym_index(today.year, today.month) + ADVANCE_MONTHS
    not_member = [ym for ym in months if not d.owes(*ym)]
    if not_member:
        problems.append(_("{name} was not a member of the branch at the end of month {months}.").format(
            name=member.full_name, months=months_text(not_member)))
    if any(ym_index(*ym) > limit for ym in months):
        problems.append(_("Dues can be paid in advance for at most {n} months.").format(n=ADVANCE_MONTHS))
    for ym in months:
        if ym in d.paid:
            p = d.paid[ym]
            problems.append(_("Month {month} is already paid (on {date}).").format(
                month=month_text(ym), date=format_date(p.paid_on)))
    dues = [d.amount_due(*ym) for ym in months]
    total = data.amount
    if total is None:
        unknown = [ym for ym, a in zip(months, dues, strict=True) if a is None]
        if unknown:
            problems.append(_("No monthly amount is set for month {months}: enter the amount paid.").format(
                months=months_text(unknown)))
        else:
            total = sum(dues)  # type: ignore[arg-type]
    if total is not None and (total <= 0 or total > MAX_AMOUNT) and months and not problems:
        problems.append(_("Enter the amount paid in đồng."))
    return problems, total


def record_payment(session: Session, data: PaymentInput, today: dt.date) -> DuesPayment:
    """Record a payment covering one or more months (late or in advance). Raises ValidationError."""
    problems, total = check_payment(session, data, today)
    if problems:
        raise ValidationError(problems)
    assert total is not None and data.paid_on is not None
    d = member_dues(session, data.member_id)
    months = sorted(set(data.months))
    parts = _allocate(total, [d.amount_due(*ym) for ym in months])
    payment = DuesPayment(member_id=data.member_id, paid_on=data.paid_on, amount=total, note=nfc(data.note))
    for (y, m), part in zip(months, parts, strict=True):
        payment.months.append(DuesPaymentMonth(member_id=data.member_id, year=y, month=m, amount=part))
    session.add(payment)
    session.flush()
    return payment


def delete_payment(session: Session, payment_id: int) -> None:
    payment = session.get(DuesPayment, payment_id)
    if payment is not None:
        session.delete(payment)
        session.flush()


def unpay_month(session: Session, member_id: int, year: int, month: int) -> None:
    """Take one month out of the payment that covers it (the payment's amount is reduced by that
    month's part; a payment left with no month is deleted)."""
    pm = session.scalar(select(DuesPaymentMonth).where(
        DuesPaymentMonth.member_id == member_id, DuesPaymentMonth.year == year, DuesPaymentMonth.month == month))
    if pm is None:
        return
    payment = pm.payment
    payment.months.remove(pm)
    payment.amount -= pm.amount
    if not payment.months:
        session.delete(payment)
    session.flush()


@dataclass
class PaymentRow:
    id: int
    paid_on: dt.date
    amount: int
    months: list[YearMonth]
    note: str


def payments_of(session: Session, member_id: int, year: int | None = None) -> list[PaymentRow]:
    """The member's payments (those covering a month of `year`, if given), oldest first."""
    rows = []
    for p in session.scalars(select(DuesPayment).where(DuesPayment.member_id == member_id)
                             .options(selectinload(DuesPayment.months))):
        months = [(pm.year, pm.month) for pm in p.months]
        if year is not None and not any(y == year for y, _m in months):
            continue
        rows.append(PaymentRow(p.id, p.paid_on, p.amount, months, p.note))
    return sorted(rows, key=lambda r: (r.paid_on, r.id))


# --- the month ----------------------------------------------------------------------------------

@dataclass
class MonthLine:
    member_id: int
    full_name: str
    amount_due: int | None        # None: no amount set
    paid: PaidMonth | None
    unpaid_in_year: list[int]     # past months of the year owed and not paid

    @property
    def is_paid(self) -> bool:
        return self.paid is not None


@dataclass
class Totals:
    members: int = 0
    paid_members: int = 0
    due: int = 0                  # sum of the amounts set for the month
    paid: int = 0                 # paid for the month
    kept: int = 0                 # kept by the branch
    remitted: int = 0             # remitted upward
    without_amount: int = 0       # members owing the month with no amount set

    @property
    def unpaid(self) -> int:
        return max(0, self.due - self.paid)


def split_share(session: Session, paid: int) -> tuple[int, int]:
    """(kept by the branch, remitted upward) of an amount collected."""
    pct = Decimal(str(settings.get(session, BRANCH_SHARE.key)))
    kept = int((Decimal(paid) * pct / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return kept, paid - kept


def _past_months(year: int, today: dt.date, start: YearMonth | None = None) -> list[int]:
    """Months of `year` that have ended before today's month (and, with `start`, are not before it)."""
    first = ym_index(*start) if start is not None else ym_index(year, 1)
    return [m for m in MONTHS if first <= ym_index(year, m) < ym_index(today.year, today.month)]


def dues_start(session: Session) -> YearMonth | None:
    """The first month the branch records dues in the program: the earliest month a payment covers.

    A branch that starts using the program in September kept January to August on paper: those months
    are never counted as unpaid (nor are any before a first payment is recorded)."""
    first = session.execute(
        select(DuesPaymentMonth.year, DuesPaymentMonth.month)
        .order_by(DuesPaymentMonth.year, DuesPaymentMonth.month).limit(1)).first()
    return (int(first[0]), int(first[1])) if first is not None else None


def counted_months(session: Session, year: int, today: dt.date) -> list[int]:
    """Months of `year` whose unpaid dues count (on the dues page, in the reminder and the book): ended
    before today's month, from the first month the branch records dues (none before a first payment)."""
    start = dues_start(session)
    return [] if start is None else _past_months(year, today, start)


@dataclass
class MonthSheet:
    year: int
    month: int
    lines: list[MonthLine]
    totals: Totals


def month_sheet(session: Session, year: int, month: int, today: dt.date) -> MonthSheet:
    """Members who owe the month (and anyone who paid it), with amount, payment and unpaid months."""
    lines = []
    past = counted_months(session, year, today)
    totals = Totals()
    for d in _load(session):
        paid = d.paid.get((year, month))
        if not d.owes(year, month) and paid is None:
            continue
        due = d.amount_due(year, month)
        lines.append(MonthLine(d.member_id, d.full_name, due, paid, d.unpaid(year, past)))
        totals.members += 1
        totals.due += due or 0
        totals.without_amount += due is None
        if paid is not None:
            totals.paid_members += 1
            totals.paid += paid.amount
    totals.kept, totals.remitted = split_share(session, totals.paid)
    return MonthSheet(year, month, lines, totals)


@dataclass(frozen=True)
class MonthView:
    """The dues page for a month: the sheet and the settings that shape how it reads."""

    sheet: MonthSheet
    unpaid_limit: int          # months unpaid in a year before the reminder
    branch_keeps_share: bool   # the branch keeps part of the dues (the totals say how much)


def month_view(session: Session, year: int, month: int, today: dt.date) -> MonthView:
    return MonthView(month_sheet(session, year, month, today), int(settings.get(session, UNPAID_LIMIT.key)),
                     bool(settings.get(session, BRANCH_SHARE.key)))


@dataclass(frozen=True)
class MemberDuesView:
    """One member on the dues page: amounts, months paid, and the payments of the year shown."""

    dues: MemberDues
    payments: list[PaymentRow]


def member_dues_view(session: Session, member_id: int, year: int) -> MemberDuesView:
    return MemberDuesView(member_dues(session, member_id), payments_of(session, member_id, year))


@dataclass(frozen=True)
class DuesSettings:
    """The dues settings the upper committee decides (services.settings keys of this module)."""

    rounding: int
    salary_rate: float
    branch_share: float
    unpaid_limit: int


def dues_settings(session: Session) -> DuesSettings:
    return DuesSettings(int(settings.get(session, ROUNDING.key)), float(settings.get(session, SALARY_RATE.key)),
                        float(settings.get(session, BRANCH_SHARE.key)), int(settings.get(session, UNPAID_LIMIT.key)))


def set_dues_settings(session: Session, values: DuesSettings, seen: DuesSettings | None = None) -> None:
    """Store the dues settings. `seen`: the settings as the dialog showed them (`dues_settings`); when they
    were changed since (another window, another computer), the save is refused instead of overwriting that."""
    if seen is not None:
        from .db import take_write_lock

        take_write_lock(session)   # the check below and the write see one state
        if dues_settings(session) != seen:
            raise ChangedElsewhereError(_(
                "The dues settings were changed elsewhere (another window or another computer) since this window "
                "showed them; your changes were not saved. Close the window, open it again and redo them."))
    settings.put(session, ROUNDING.key, int(values.rounding))
    settings.put(session, SALARY_RATE.key, float(values.salary_rate))
    settings.put(session, BRANCH_SHARE.key, float(values.branch_share))
    settings.put(session, UNPAID_LIMIT.key, int(values.unpaid_limit))


def mark_paid(session: Session, member_id: int, year: int, month: int, today: dt.date) -> DuesPayment:
    """'Đã nộp': the month's amount paid today (the quick toggle of the dues page)."""
    return record_payment(session, PaymentInput(member_id, today, [(year, month)]), today)


# --- unpaid months and the reminder -------------------------------------------------------------

@dataclass
class Unpaid:
    member_id: int
    full_name: str
    year: int
    months: list[int]


def reminder_year(today: dt.date) -> int:
    """The year the unpaid months are counted in: that of the last month that has ended."""
    return today.year if today.month > 1 else today.year - 1


def unpaid_members(session: Session, today: dt.date, year: int | None = None) -> list[Unpaid]:
    """Members of the branch today with months of the year, before today's month and from the first month
    the branch records dues (`dues_start`), owed and not paid."""
    year = year or reminder_year(today)
    months = counted_months(session, year, today)
    if not months:
        return []
    out = []
    present = [m for m in all_members(session) if state_on(m.events, today).in_branch]
    for d in _load(session, present, year):
        unpaid = d.unpaid(year, months)
        if unpaid:
            out.append(Unpaid(d.member_id, d.full_name, year, unpaid))
    return out


@rule("dues_unpaid")
def dues_unpaid(session: Session, today: dt.date) -> list[Reminder]:
    """A member of the branch who has not paid dues for 3 months in the year (the Charter's ground for
    considering removal, QĐ 24 §8.1): the program reminds; the branch decides."""
    limit = settings.get(session, UNPAID_LIMIT.key)
    out = []
    for u in unpaid_members(session, today):
        if len(u.months) >= limit:
            out.append(Reminder("dues_unpaid", _(
                "{name} has not paid Party dues for {count} months of {year} (months {months}). Find out why: "
                "a member who does not pay dues for 3 months in a year without good reason is considered "
                "by the branch under the Charter."
            ).format(name=u.full_name, count=len(u.months), year=u.year,
                      months=months_text([(u.year, m) for m in u.months])), "warning", "dues", u.member_id))
    return out


# --- the year's book (sổ đảng phí) --------------------------------------------------------------

@dataclass
class BookCell:
    owes: bool
    due: int | None
    paid: int | None
    # The month has ended and is counted (not before the first month the branch records dues):
    # unpaid, it is overdue.
    past: bool


@dataclass
class BookRow:
    member_id: int
    full_name: str
    cells: list[BookCell]          # index 0 = January
    payments: list[PaymentRow] = field(default_factory=list)
    rates: list[RateRow] = field(default_factory=list)

    @property
    def paid_total(self) -> int:
        return sum(c.paid or 0 for c in self.cells)

    @property
    def due_total(self) -> int:
        return sum(c.due or 0 for c in self.cells if c.owes)

    @property
    def unpaid_months(self) -> list[int]:
        return [i + 1 for i, c in enumerate(self.cells) if c.owes and c.past and c.paid is None and c.due != 0]


@dataclass
class DuesBook:
    year: int
    rows: list[BookRow]
    paid: list[int]                # per month
    due: list[int]
    kept: list[int]
    remitted: list[int]
    branch_share_pct: float
    single_member: bool = False

    @property
    def paid_total(self) -> int:
        return sum(self.paid)

    @property
    def due_total(self) -> int:
        return sum(self.due)


def dues_book(session: Session, year: int, today: dt.date, member_ids: Sequence[int] | None = None) -> DuesBook:
    """The year's dues: members of the branch at any time of the year × 12 months, with the branch's totals.

    With `member_ids`, only those members (a member's own book, with their payments and amounts).
    """
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    counted = set(counted_months(session, year, today))
    rows = []
    for d in _load(session):
        if member_ids is not None and d.member_id not in member_ids:
            continue
        paid_year = any(y == year for y, _m in d.paid)
        if member_ids is None and not in_branch_during(d.events, start, end) and not paid_year:
            continue
        cells = []
        for m in MONTHS:
            p = d.paid.get((year, m))
            cells.append(BookCell(owes=d.owes(year, m), due=d.amount_due(year, m), paid=p.amount if p else None,
                                  past=m in counted))
        rows.append(BookRow(d.member_id, d.full_name, cells, payments_of(session, d.member_id, year), d.rates))
    paid = [sum(r.cells[i].paid or 0 for r in rows) for i in range(12)]
    due = [sum(r.cells[i].due or 0 for r in rows if r.cells[i].owes) for i in range(12)]
    shares = [split_share(session, p) for p in paid]
    return DuesBook(year, rows, paid, due, [k for k, _r in shares], [r for _k, r in shares],
                    settings.get(session, BRANCH_SHARE.key), single_member=member_ids is not None)


def export_book(session: Session, year: int, out: Path | str, today: dt.date,
                member_ids: Sequence[int] | None = None) -> Path:
    """Write the year's dues book to `out`: .pdf (official layout, A4 landscape) or .xlsx."""
    from . import dues_print as printing

    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in (".pdf", ".xlsx"):
        raise UserError(_("Unknown file type {suffix}: use .pdf or .xlsx.").format(suffix=out.suffix or "?"))
    book = dues_book(session, year, today, member_ids)
    if suffix == ".pdf":
        printing.write_pdf(session, book, out, today)
    else:
        printing.write_xlsx(book, out)
    return out


# --- demo ---------------------------------------------------------------------------------------

def demo_dues(session: Session, rng, year: int, today: dt.date) -> None:
    """Amounts for every member (1% of a realistic social-insurance salary, or a fixed amount for the
    retired), raises from July for some, and payments from January of `year` up to the last month that
    has ended (at most the next year): most members pay each month at the meeting, some a quarter in
    advance, one paid three months late in one go, and one member is behind for the last three months."""
    import random

    from models import EventKind

    rng = random.Random(rng.random())
    members = sorted(all_members(session), key=lambda m: m.id)
    last = min(ym_index(today.year, today.month) - 1, ym_index(year + 1, 12))
    if last < ym_index(year, 1):
        return
    months = [ym_of(i) for i in range(ym_index(year, 1), last + 1)]
    owing = {m.id: [ym for ym in months if owes_month(m.events, *ym)] for m in members}
    candidates = [m for m in members[2:] if state_on(m.events, today).in_branch
                  and not state_on(m.events, today).exempt and len(owing[m.id]) >= 8]
    behind = rng.choice(candidates) if candidates else None
    late_payer = rng.choice([m for m in candidates if m is not behind]) if len(candidates) > 1 else None
    quarterly = {m.id for m in rng.sample([m for m in candidates if m not in (behind, late_payer)],
                                          k=min(3, max(0, len(candidates) - 2)))}
    unit = settings.get(session, ROUNDING.key)
    for m in members:
        first = next((ym for ym in months if owes_month(m.events, *ym)), None)
        if first is None:
            continue
        retired = "hưu" in m.position or any(e.kind == EventKind.EXEMPT for e in m.events)
        if retired:
            session.add(DuesRate(member_id=m.id, year=first[0], month=first[1], amount=30_000,
                                 note="Đảng viên nghỉ hưu: mức chi bộ thống nhất"))
        else:
            salary = rng.randrange(4_200_000, 14_500_000, 10_000)
            session.add(DuesRate(member_id=m.id, year=first[0], month=first[1], basis=salary,
                                 amount=round_amount(Decimal(salary) / 100, unit), note="1% mức lương đóng BHXH"))
            if rng.random() < 0.35 and first < (year, 7):
                raised = salary + rng.randrange(300_000, 1_200_000, 10_000)
                session.add(DuesRate(member_id=m.id, year=year, month=7, basis=raised,
                                     amount=round_amount(Decimal(raised) / 100, unit),
                                     note="Điều chỉnh theo mức lương mới"))
    session.flush()
    for m in members:
        owed = owing[m.id]
        if not owed:
            continue
        d = member_dues(session, m.id)
        skip = set(_behind_months(owed)) if m is behind else set()
        late = set(owed[2:5]) if m is late_payer else set()
        pending: list[YearMonth] = []
        for ym in owed:
            if ym in skip:
                continue
            if ym in late:
                pending.append(ym)
                continue
            meeting_day = _demo_meeting_day(rng, ym)
            if pending and ym_index(*ym) > ym_index(*pending[-1]):
                # The late months are paid together at the next meeting, with this month's dues.
                group = pending + [ym]
                pending = []
            elif m.id in quarterly:
                # A quarter in advance, at the first meeting of the quarter the member owes.
                q0 = (ym[1] - 1) // 3 * 3 + 1
                quarter = [(ym[0], mo) for mo in range(q0, q0 + 3)
                           if (ym[0], mo) >= owed[0] and owes_month(m.events, ym[0], mo)]
                if ym != quarter[0]:
                    continue
                group = quarter
            else:
                group = [ym]
            amounts = [d.amount_due(*x) or 0 for x in group]
            payment = DuesPayment(member_id=m.id, paid_on=min(meeting_day, today), amount=sum(amounts),
                                  note="Nộp bù các tháng trước" if len(group) > 1 and m is late_payer else "")
            for (y, mo), a in zip(group, amounts, strict=True):
                payment.months.append(DuesPaymentMonth(member_id=m.id, year=y, month=mo, amount=a))
            session.add(payment)
    session.flush()


def _behind_months(owed: list[YearMonth]) -> list[YearMonth]:
    """The demo's member behind with dues: the last three owed months, all in one calendar year (the
    Charter counts "3 months in a year"), so that the reminder shows."""
    if not owed:
        return []
    last_year = [ym for ym in owed if ym[0] == owed[-1][0]]
    if len(last_year) >= 3:
        return last_year[-3:]
    return [ym for ym in owed if ym[0] == owed[-1][0] - 1][-3:]


def _demo_meeting_day(rng, ym: YearMonth) -> dt.date:
    return dt.date(ym[0], ym[1], rng.randint(3, 12))
