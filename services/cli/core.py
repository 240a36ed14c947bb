"""Subcommands: init, demo."""
from __future__ import annotations

import argparse
from pathlib import Path

from ..i18n import _
from . import add_db_argument, open_existing


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("init", help=_("create a new branch database with its identity"),
                       description=_("Create a new branch database with its identity."))
    add_db_argument(p)
    p.add_argument("--branch", required=True, help=_("name of the branch, e.g. \"Chi bộ Văn phòng Sở\""))
    p.add_argument("--parent", action="append", required=True,
                   help=_("a superior Party organisation as printed above the branch's name, e.g. "
                          "\"Đảng bộ Sở Lao động - TBXH\" (the organisation, Đảng bộ …, not its committee, "
                          "Đảng ủy …); repeat, top-down, the directly superior one last"))
    p.add_argument("--place", required=True, help=_("place name used in dates, e.g. \"Trà Vinh\""))
    p.add_argument("--secretary", default="", help=_("the secretary's full name"))
    p.add_argument("--deputy", default="", help=_("the deputy secretary's full name"))
    p.add_argument("--committee", action="store_true",
                   help=_("the database is a committee's, which adds up its branches' files"))
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("demo", help=_("write a demo database of a realistic branch"),
                       description=_("Write a demo database: a branch of about 25 members with a full year of records."))
    add_db_argument(p, required=False)
    p.add_argument("--seed", type=int, default=1, help=_("same seed, same data (default 1)"))
    p.add_argument("--year", type=int, help=_("the year the demo records (default: the last year whose December has come)"))
    p.add_argument("--force", action="store_true", help=_("replace the file if it exists"))
    p.add_argument("--open", action="store_true", help=_("open the program window on it afterwards"))
    p.set_defaults(func=cmd_demo)


def cmd_init(args: argparse.Namespace) -> int:
    from ..branch import BranchIdentity, set_identity
    from ..db import open_database
    from ..errors import UserError, ValidationError

    ident = BranchIdentity(name=args.branch, parents=args.parent, place=args.place,
                           secretary=args.secretary, deputy_secretary=args.deputy,
                           kind="committee" if args.committee else "branch")
    problems = ident.problems()
    if problems:
        raise ValidationError(problems)
    if isinstance(args.db, Path):
        if args.db.exists():
            raise UserError(_("The file {path} already exists; nothing was changed.").format(path=args.db))
        db = open_database(args.db, create=True)
    else:
        db = open_existing(args.db, create=True)
        if _has_identity(db):
            db.close()
            raise UserError(_("The database {path} already holds a branch's or a committee's data; nothing was "
                              "changed.").format(path=db.display))
    try:
        with db.begin() as session:
            set_identity(session, ident)
    finally:
        db.close()
    print(_("Created {path}.").format(path=db.display))
    return 0


def _has_identity(db) -> bool:
    from ..branch import get_branch

    with db.begin() as session:
        return get_branch(session) is not None


def cmd_demo(args: argparse.Namespace) -> int:
    from ..demo import default_demo_year, write_demo
    from ..errors import UserError
    from ..paths import data_dir

    path = args.db or data_dir() / "so-chi-bo-demo.db"
    if not isinstance(path, Path):
        raise UserError(_("The demo is written to a file, not to a server."))
    if path.exists() and args.db is not None and not args.force:
        raise UserError(_("The file {path} already exists; use --force to replace it.").format(path=path))
    year = args.year or default_demo_year()
    summary = write_demo(path, seed=args.seed, year=year)
    print(_("Demo database written to {path}: {summary}").format(path=path, summary=summary))
    if args.open:
        args.open_gui = path  # main.py opens the window; services never import Qt
    return 0
