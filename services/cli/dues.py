"""Subcommands: dues book / dues unpaid."""
from __future__ import annotations

import argparse
import datetime as dt

from ..i18n import _
from . import add_db_argument, open_existing


def _iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(_("not a date in the form YYYY-MM-DD: {text}").format(text=text)) from exc


def _year(text: str) -> int:
    if not text.isdigit() or not 1900 < int(text) < 2200:
        raise argparse.ArgumentTypeError(_("not a year: {text}").format(text=text))
    return int(text)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("dues", help=_("Party dues: the year's book, unpaid months"),
                       description=_("Party dues: the year's book and the members with unpaid months."))
    dsub = p.add_subparsers(dest="dues_command", metavar=_("ACTION"), required=True)
    book = dsub.add_parser("book", help=_("write the year's dues book to .pdf or .xlsx"),
                           description=_("Write the year's dues book (members × months, the branch's totals) "
                                         "to a .pdf (A4 landscape, official layout) or an .xlsx file."))
    add_db_argument(book)
    book.add_argument("--year", type=_year, required=True, help=_("the year, e.g. 2025"))
    book.add_argument("--out", required=True, help=_("output file, .pdf or .xlsx"))
    book.set_defaults(func=cmd_book)
    unpaid = dsub.add_parser("unpaid", help=_("list the members with unpaid months"),
                             description=_("List the members of the branch with months of the year, before the "
                                           "current month, whose dues are not paid."))
    add_db_argument(unpaid)
    unpaid.add_argument("--on", type=_iso_date, help=_("the date to look from, YYYY-MM-DD (default: today)"))
    unpaid.set_defaults(func=cmd_unpaid)


def cmd_book(args: argparse.Namespace) -> int:
    from ..dues import export_book

    db = open_existing(args.db)
    try:
        with db.begin() as session:
            out = export_book(session, args.year, args.out, dt.date.today())
    finally:
        db.close()
    print(_("Dues book {year} written to {path}.").format(year=args.year, path=out))
    return 0


def cmd_unpaid(args: argparse.Namespace) -> int:
    from .. import settings
    from ..dues import UNPAID_LIMIT, months_text, unpaid_members

    on = args.on or dt.date.today()
    db = open_existing(args.db)
    try:
        with db.begin() as session:
            rows = unpaid_members(session, on)
            limit = settings.get(session, UNPAID_LIMIT.key)
    finally:
        db.close()
    if not rows:
        print(_("Every member has paid the dues of the months that have ended."))
        return 0
    for u in rows:
        line = _("{name}: {count} months unpaid ({months})").format(
            name=u.full_name, count=len(u.months), months=months_text([(u.year, m) for m in u.months]))
        if len(u.months) >= limit:
            line += " — " + _("{n} months or more in the year: the branch should consider the case").format(n=limit)
        print(line)
    return 0
