"""Subcommand: meetings list."""
from __future__ import annotations

import argparse
import json

from ..i18n import _
from . import add_db_argument, open_existing


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("meetings", help=_("list the branch meetings of a year"),
                       description=_("Branch meetings: attendance, validity and whether the minutes are finalised."))
    msub = p.add_subparsers(dest="meetings_command", metavar=_("ACTION"), required=True)
    lst = msub.add_parser("list", help=_("list the meetings of a year"),
                          description=_("List the meetings of a year with their attendance figures."))
    add_db_argument(lst)
    lst.add_argument("--year", required=True, type=int, help=_("the year"))
    lst.add_argument("--json", action="store_true", help=_("print JSON (one object per meeting) instead of a table"))
    lst.set_defaults(func=cmd_list)


def meeting_record(s) -> dict:
    """The JSON object of one meeting (stable keys, for other programs)."""
    t = s.tally
    return {
        "date": s.date.isoformat(),
        "kind": s.kind,
        "number": s.number,
        "topic": s.topic,
        "start_time": s.start_time.strftime("%H:%M") if s.start_time else None,
        "end_time": s.end_time.strftime("%H:%M") if s.end_time else None,
        "members_total": t.total,
        "full": t.full,
        "probationary": t.probationary,
        "exempt": t.exempt,
        "suspended": t.suspended,
        "expected": t.expected,
        "present": t.present,
        "absent_excused": t.excused,
        "absent_unexcused": t.unexcused,
        "unrecorded": t.unrecorded,
        "valid": s.valid,
        "quality": None if s.quality is None else s.quality.ok,
        "finalized": s.finalized,
        "amendments": s.amendments,
    }


def cmd_list(args: argparse.Namespace) -> int:
    from ..i18n import format_date, format_pct
    from ..meetings import meetings_of_year

    db = open_existing(args.db)
    try:
        with db.begin() as session:
            rows = meetings_of_year(session, args.year)
    finally:
        db.close()
    if args.json:
        print(json.dumps([meeting_record(s) for s in rows], ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print(_("No meetings are recorded in {year}.").format(year=args.year))
        return 0
    head = [_("Date"), _("Kind"), _("Total"), _("Expected"), _("Present"), _("With reason"), _("Without reason"),
            _("Rate"), _("Valid"), _("Minutes")]
    table = [head]
    for s in rows:
        t = s.tally
        table.append([
            format_date(s.date), s.kind_text, str(t.total), str(t.expected), str(t.present), str(t.excused),
            str(t.unexcused), format_pct(t.attendance_pct) if t.attendance_pct is not None else "",
            _("yes") if s.valid else _("no"), _("finalised") if s.finalized else _("draft"),
        ])
    widths = [max(len(r[i]) for r in table) for i in range(len(head))]
    for r in table:
        print("  ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True))))
    print(_("{count} meetings in {year}.").format(count=len(rows), year=args.year))
    return 0
