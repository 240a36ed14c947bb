"""Reports of the meetings area: `report minutes` and `report attendance`."""
from __future__ import annotations

import argparse
import datetime as dt

from ..errors import UserError
from ..i18n import _, parse_date
from . import add_db_argument, open_existing
from .reports import add_report, output_path


def _date(text: str) -> dt.date:
    day = parse_date(text)
    if day is None:
        raise argparse.ArgumentTypeError(_("not a date: {text} (use YYYY-MM-DD or dd/mm/yyyy)").format(text=text))
    return day


def configure_minutes(p: argparse.ArgumentParser) -> None:
    add_db_argument(p)
    p.add_argument("--date", required=True, type=_date, help=_("date of the meeting, YYYY-MM-DD"))
    p.add_argument("--kind", choices=("regular", "thematic", "extraordinary"),
                   help=_("the kind of meeting, when several were held that day"))
    p.add_argument("--out", required=True, help=_("output file, .pdf"))


def run_minutes(args: argparse.Namespace) -> int:
    from ..i18n import format_date
    from ..meetings import find_meetings_on, kind_label
    from ..meetings.printing import write_minutes_pdf

    out = output_path(args.out, (".pdf",))
    db = open_existing(args.db)
    try:
        with db.begin() as session:
            found = find_meetings_on(session, args.date, args.kind)
            if not found:
                raise UserError(_("No meeting is recorded on {date}.").format(date=format_date(args.date)))
            if len(found) > 1:
                raise UserError(_("Several meetings were held on {date} ({kinds}); choose one with --kind.").format(
                    date=format_date(args.date), kinds=", ".join(kind_label(m.kind) for m in found)))
            write_minutes_pdf(session, found[0].id, out)
    finally:
        db.close()
    print(_("Minutes written to {path}.").format(path=out))
    return 0


def configure_attendance(p: argparse.ArgumentParser) -> None:
    add_db_argument(p)
    p.add_argument("--year", required=True, type=int, help=_("the year"))
    p.add_argument("--out", required=True, help=_("output file, .pdf or .xlsx"))


def run_attendance(args: argparse.Namespace) -> int:
    from ..meetings.printing import write_attendance_pdf, write_attendance_xlsx

    out = output_path(args.out, (".pdf", ".xlsx"))
    db = open_existing(args.db)
    try:
        with db.begin() as session:
            if out.suffix.lower() == ".xlsx":
                count = write_attendance_xlsx(session, args.year, out)
            else:
                count = write_attendance_pdf(session, args.year, out, dt.date.today())
    finally:
        db.close()
    print(_("Attendance sheet of {year} ({count} members) written to {path}.").format(
        year=args.year, count=count, path=out))
    return 0


add_report("minutes", _("the minutes (biên bản) of a meeting as PDF"), configure_minutes, run_minutes,
           _("Write the minutes of the meeting held on a date as PDF, in the official layout."))
add_report("attendance", _("the attendance sheet of a year (members x meetings), PDF or .xlsx"),
           configure_attendance, run_attendance,
           _("Write the year's attendance sheet: one row per member, one column per meeting."))
