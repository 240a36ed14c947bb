"""Subcommands: members import / export."""
from __future__ import annotations

import argparse

from ..i18n import _
from ..members import RegisterFilter
from . import add_db_argument, open_existing


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("members", help=_("import or export the member register"),
                       description=_("Import or export the member register."))
    msub = p.add_subparsers(dest="members_command", metavar=_("ACTION"), required=True)
    imp = msub.add_parser("import", help=_("import members from an .xlsx or .csv file (all or nothing)"),
                          description=_("Import members from an .xlsx or .csv file. Every bad row is listed "
                                        "and nothing is written unless all rows are good."))
    add_db_argument(imp)
    imp.add_argument("file", help=_("the .xlsx or .csv file"))
    imp.add_argument("--allow-duplicates", action="store_true",
                     help=_("import rows that look like members already in the register"))
    imp.set_defaults(func=cmd_import)
    exp = msub.add_parser("export", help=_("export the register to .xlsx or .csv"),
                          description=_("Export the register in Vietnamese name order; the format follows the extension."))
    add_db_argument(exp)
    exp.add_argument("--out", required=True, help=_("output file, .xlsx or .csv"))
    exp.add_argument("--show", choices=[f.value for f in RegisterFilter], default=RegisterFilter.ALL.value,
                     help=_("which members: current, probationary, exempt, transferred_out or all (default all)"))
    exp.set_defaults(func=cmd_export)


def cmd_import(args: argparse.Namespace) -> int:
    import sys

    from ..member_import import WARNING, import_members, preview_import

    db = open_existing(args.db)
    try:
        with db.begin() as session:
            preview = preview_import(session, args.file)
            if not preview.ok:
                _print_problems(preview.problem_lines())
                print(_("{summary}. Nothing was imported; correct the file and import it again.").format(
                    summary=preview.summary()), file=sys.stderr)
                return 1
            duplicates = preview.duplicate_rows
            if duplicates and not args.allow_duplicates:
                _print_problems([p.text() for r in duplicates for p in r.problems if p.duplicate])
                print(_("Nothing was imported: {count} rows look like members already in the register or in the "
                        "file. Check them, or use --allow-duplicates to import them anyway.").format(
                    count=len(duplicates)), file=sys.stderr)
                return 1
            for line in preview.problem_lines((WARNING,)):
                print(_("Warning: {message}").format(message=line), file=sys.stderr)
            if preview.legacy:
                print(preview.legacy_notice(), file=sys.stderr)
        ids = import_members(db, preview)  # re-checked against the register as it is when writing
    finally:
        db.close()
    print(_("Imported {count} members from {path}.").format(count=len(ids), path=args.file))
    return 0


def _print_problems(lines: list[str]) -> None:
    import sys

    for line in lines:
        print(_("Error: {message}").format(message=line), file=sys.stderr)


def cmd_export(args: argparse.Namespace) -> int:
    from ..member_export import export_register

    db = open_existing(args.db)
    try:
        with db.begin() as session:
            count = export_register(session, args.out, which=RegisterFilter(args.show))
    finally:
        db.close()
    print(_("Exported {count} members to {path}.").format(count=count, path=args.out))
    return 0
