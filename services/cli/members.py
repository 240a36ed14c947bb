"""Subcommands: members import / export."""
from __future__ import annotations

import argparse

from ..i18n import _
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
    imp.set_defaults(func=cmd_import)
    exp = msub.add_parser("export", help=_("export the register to .xlsx or .csv"),
                          description=_("Export the register in Vietnamese name order; the format follows the extension."))
    add_db_argument(exp)
    exp.add_argument("--out", required=True, help=_("output file, .xlsx or .csv"))
    exp.set_defaults(func=cmd_export)


def cmd_import(args: argparse.Namespace) -> int:
    from ..errors import UserError

    open_existing(args.db).close()
    raise UserError(_("Importing members is not available in this version yet."))


def cmd_export(args: argparse.Namespace) -> int:
    from ..member_export import export_register

    db = open_existing(args.db)
    try:
        with db.begin() as session:
            count = export_register(session, args.out)
    finally:
        db.close()
    print(_("Exported {count} members to {path}.").format(count=count, path=args.out))
    return 0
