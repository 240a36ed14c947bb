"""Subcommands of the year-end review: ratings import, tally, year close|reopen, report year-end."""
from __future__ import annotations

import argparse
import json
import sys

from ..i18n import _
from . import add_db_argument, open_existing
from .reports import add_report


def _group(sub: argparse._SubParsersAction, name: str, help_text: str, dest: str) -> argparse._SubParsersAction:
    """The subcommands of group ``name``: the existing group's if another area made it, else a new group."""
    existing = sub.choices.get(name)
    if existing is not None:
        for action in existing._actions:
            if isinstance(action, argparse._SubParsersAction):
                return action
    p = sub.add_parser(name, help=help_text, description=help_text)
    return p.add_subparsers(dest=dest, metavar=_("ACTION"), required=True)


def register(sub: argparse._SubParsersAction) -> None:
    ratings = _group(sub, "ratings", _("year-end ratings: import from a spreadsheet"), "ratings_command")
    p = ratings.add_parser("import", help=_("import the year's levels from an .xlsx or .csv file (all or nothing)"),
                           description=_("Import the year's levels. Columns: “Họ và tên”, “Ngày sinh” or “Số thẻ đảng "
                                         "viên”, “Xếp loại” (full words or HTXSNV/HTTNV/HTNV/KHTNV), optional “Điểm”, "
                                         "“Ghi chú”, “Đủ điều kiện” (Có/x: the conditions of the level are met) and, "
                                         "with --decision, “Số quyết định”. A level whose conditions are not confirmed "
                                         "is refused unless it is the committee's decision with its document number. "
                                         "Every bad row is listed and nothing is written unless all rows are good."))
    add_db_argument(p)
    p.add_argument("--year", type=int, required=True, help=_("the year reviewed"))
    p.add_argument("--decision", action="store_true",
                   help=_("the levels are the committee's decisions (default: the branch's proposals)"))
    p.add_argument("file", help=_("the .xlsx or .csv file"))
    p.set_defaults(func=cmd_ratings_import)

    p = sub.add_parser("tally", help=_("the tally of the year's review"),
                       description=_("The tally of the year's review: members, those rated and not, counts and "
                                     "percentages per level, the quota."))
    add_db_argument(p)
    p.add_argument("--year", type=int, required=True, help=_("the year reviewed"))
    p.add_argument("--json", action="store_true", help=_("print one JSON object instead of a table"))
    p.set_defaults(func=cmd_tally)

    year = _group(sub, "year", _("close or reopen a year's review"), "year_command")
    p = year.add_parser("close", help=_("close the year's review (a backup is taken first)"),
                        description=_("Close the year's review: a backup is taken, then its ratings become read-only."))
    add_db_argument(p)
    p.add_argument("--year", type=int, required=True, help=_("the year reviewed"))
    p.add_argument("--note", default="", help=_("a note kept in the log"))
    p.add_argument("--user", default="", help=_("who closes the year"))
    p.set_defaults(func=cmd_year_close)
    p = year.add_parser("reopen", help=_("reopen a closed year (logged with its reason)"),
                        description=_("Reopen a closed year's review. The reason is kept in the log."))
    add_db_argument(p)
    p.add_argument("--year", type=int, required=True, help=_("the year reviewed"))
    p.add_argument("--reason", required=True, help=_("why the year is reopened"))
    p.add_argument("--user", default="", help=_("who reopens the year"))
    p.set_defaults(func=cmd_year_reopen)



# The forms' names, listed in --help without importing the printing code (a test checks they agree).
FORM_NAMES = ["bieu-tong-hop", "danh-sach", "bao-cao", "bien-ban", "ban-kiem-diem"]


def _configure_year_end(p: argparse.ArgumentParser) -> None:
    """Arguments of `report year-end`."""
    add_db_argument(p)
    p.add_argument("--year", type=int, required=True, help=_("the year reviewed"))
    p.add_argument("--out", required=True, help=_("the PDF file to write (a table form is also written as .xlsx with --xlsx)"))
    p.add_argument("--form", choices=FORM_NAMES, help=_("print only this form"))
    p.add_argument("--member", type=int, action="append",
                   help=_("for the personal self-review: the member's number (repeat; default: every member counted)"))
    p.add_argument("--xlsx", action="store_true", help=_("also write the table forms as .xlsx beside the PDF"))


def cmd_ratings_import(args: argparse.Namespace) -> int:
    from ..review.importer import import_ratings

    db = open_existing(args.db)
    try:
        with db.begin() as session:
            result = import_ratings(session, args.year, args.file, "decision" if args.decision else "proposal")
    finally:
        db.close()
    print(_("Imported the levels of {count} members for {year}.").format(count=result.count, year=args.year))
    for w in result.warnings:
        print(_("Warning: {message}").format(message=w))
    return 0


def cmd_tally(args: argparse.Namespace) -> int:
    """The branch's tally; in a committee's database, the sum of its branches' files."""
    from .. import settings
    from ..branch import get_branch

    db = open_existing(args.db)
    try:
        with db.begin() as session:
            branch = get_branch(session)
            is_committee = branch is not None and branch.kind == "committee"
    finally:
        db.close()
    if is_committee:
        from .exchange import cmd_tally as committee_tally

        return committee_tally(args)
    from ..review.settings import TRANSFER_IN_MONTHS
    from ..review.tally import format_text, tally

    db = open_existing(args.db)
    try:
        with db.begin() as session:
            t = tally(session, args.year)
            months = settings.get(session, TRANSFER_IN_MONTHS.key)
    finally:
        db.close()
    if args.json:
        sys.stdout.write(json.dumps(t.to_dict(), ensure_ascii=False) + "\n")
    else:
        print(format_text(t, months))
    return 0


def cmd_year_close(args: argparse.Namespace) -> int:
    from ..review.service import close_year

    db = open_existing(args.db)
    try:
        backup = close_year(db, args.year, user=args.user, note=args.note)
    finally:
        db.close()
    print(_("The review of {year} is closed. Backup taken first: {path}").format(year=args.year, path=backup))
    return 0


def cmd_year_reopen(args: argparse.Namespace) -> int:
    from ..review.service import reopen_year

    db = open_existing(args.db)
    try:
        reopen_year(db, args.year, reason=args.reason, user=args.user)
    finally:
        db.close()
    print(_("The review of {year} is open again; the reopening is kept in the log.").format(year=args.year))
    return 0


def report_year_end(args: argparse.Namespace) -> int:
    from ..review.forms import write_year_end

    db = open_existing(args.db)
    try:
        with db.begin() as session:
            written = write_year_end(session, args.year, args.out, form=args.form, member_ids=args.member,
                                     xlsx=args.xlsx)
    finally:
        db.close()
    for path in written:
        print(_("Written: {path}").format(path=path))
    return 0


add_report("year-end", _("print the year-end review forms"), _configure_year_end, report_year_end,
           description=_("Print the year-end forms in one PDF, or one form with --form. Forms: {names}.").format(
               names=", ".join(FORM_NAMES)))
