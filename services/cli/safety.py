"""Subcommands: backup, restore, check, password."""
from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from ..errors import UserError
from ..i18n import _
from . import add_db_argument, open_existing


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("backup", help=_("make a consistent backup of the database"),
                       description=_("Make a consistent backup of the database, also while the program is open. "
                                     "Without --out the copy goes to the backups folder beside the database, "
                                     "where old copies are rotated."))
    add_db_argument(p)
    p.add_argument("--out", type=Path, help=_("the backup file to write, e.g. on a USB stick (written under "
                                              "exactly this name)"))
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help=_("replace the database by a backup (the current state is backed up first)"),
                       description=_("Replace the database by a backup. The backup must pass the full integrity "
                                     "check; the current state is backed up first. Without --yes only shows what "
                                     "the backup holds and changes nothing. Close the program window first."))
    add_db_argument(p)
    p.add_argument("file", type=Path, help=_("the backup file"))
    p.add_argument("--yes", action="store_true", help=_("really restore (without it nothing is changed)"))
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("check", help=_("check the database file for damage"),
                       description=_("Check the database file without writing to it: SQLite's integrity check "
                                     "and foreign key check, whether its tables are those of its version, "
                                     "whether the history of changes is whole (an entry changed or removed "
                                     "outside the program breaks its chain), and whether records of closed "
                                     "years were changed since. Exit status 0: sound; 1: problems found."))
    add_db_argument(p)
    p.add_argument("--quick", action="store_true", help=_("the faster check done at every start"))
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("password", help=_("set or remove the password for opening the program"),
                       description=_("Set, change or remove the password asked for when the program opens. "
                                     "It locks the program's window, it does not encrypt the file: this command "
                                     "line does not ask for it for other commands, and other programs read the "
                                     "file without it. Passwords are "
                                     "read from the keyboard without showing them, or one per line from "
                                     "standard input: the current one (if set), then the new one twice."))
    psub = p.add_subparsers(dest="password_command", metavar=_("ACTION"), required=True)
    s = psub.add_parser("set", help=_("set or change the password; prints a new recovery code"),
                        description=_("Set or change the password. Prints a recovery code once: print it or "
                                      "write it down and keep it with the branch's papers."))
    add_db_argument(s)
    s.set_defaults(func=cmd_password_set)
    r = psub.add_parser("remove", help=_("open the program without a password from now on"),
                        description=_("Remove the password; needs the current password or the recovery code."))
    add_db_argument(r)
    r.set_defaults(func=cmd_password_remove)


def _must_exist(path: Path | str) -> None:
    from ..db import NoDatabaseError, no_database_message

    if not isinstance(path, Path):  # a server: reachable, with the program's tables at this version
        open_existing(path).close()
        return
    if not path.exists():
        raise NoDatabaseError(no_database_message(path))


def cmd_backup(args: argparse.Namespace) -> int:
    from ..backup import backup_now, inspect_database, rotation_counts
    from ..integrity import refuse_if_damaged
    from ..location import display

    _must_exist(args.db)
    if isinstance(args.db, Path):
        refuse_if_damaged(args.db)
    current = inspect_database(args.db)
    if not current.ok:
        raise UserError(_("The file {path} cannot be backed up: {problem}").format(
            path=display(args.db), problem=current.problem))
    keep_daily, keep_monthly = rotation_counts(args.db)
    info = backup_now(args.db, args.out, keep_daily, keep_monthly)
    print(_("Backed up {db} to {path}: {summary}").format(db=display(args.db), path=info.path,
                                                         summary=info.summary()))
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from ..backup import inspect_backup, inspect_database, restore
    from ..location import display
    from . import database_is_empty

    if not args.file.exists():
        raise UserError(_("There is no file {path}.").format(path=args.file))
    info = inspect_backup(args.file, full=True)
    if not info.ok:
        raise UserError(_("The file {path} cannot be restored: {problem}").format(path=args.file, problem=info.problem))
    print(_("Backup: {summary}").format(summary=info.summary()))
    if not database_is_empty(args.db):
        current = inspect_database(args.db)
        print(_("Now in {path}: {summary}").format(
            path=display(args.db), summary=current.contents() if current.ok else current.problem))
    if not args.yes:
        print(_("Nothing was changed. Add --yes to restore (the current state is backed up first)."))
        return 1
    result = restore(args.db, args.file)
    print(_("Restored {db} from {file}: {summary}").format(db=display(args.db), file=args.file,
                                                           summary=result.restored.summary()))
    if result.safety_copy is not None:
        print(_("The state before the restore is kept in {path}.").format(path=result.safety_copy))
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from ..backup import newest_good_backup
    from ..integrity import check_file, damaged_message

    if not isinstance(args.db, Path):
        return _check_server(args.db)
    _must_exist(args.db)
    report = check_file(args.db, full=not args.quick, foreign_keys=True)
    kind = "quick_check" if args.quick else "integrity_check"
    if report.ok:
        print(_("Integrity check ({kind}) of {path}: passed.").format(kind=kind, path=args.db))
    else:
        print(_("Integrity check ({kind}) of {path}: FAILED.").format(kind=kind, path=args.db))
        for problem in report.problems:
            print("  " + problem)
        print(damaged_message(args.db, newest_good_backup(args.db)))
        return 1
    status = 0
    if report.foreign_key_problems:
        print(_("Links between records (foreign_key_check): {n} records point at records that do not exist:")
              .format(n=len(report.foreign_key_problems)))
        for table, row, parent in report.foreign_key_problems[:20]:
            print(f"  {table} #{row} -> {parent}")
        status = 1
    else:
        print(_("Links between records (foreign_key_check): passed."))
    if args.quick:
        return status
    from ..integrity import check_structure

    structure = check_structure(args.db)
    if structure.schema_problems:
        print(_("Structure of the file against its version ({version}): DOES NOT MATCH:").format(
            version=structure.revision or "?"))
        for problem in structure.schema_problems[:30]:
            print("  " + problem)
        status = 1
    else:
        print(_("Structure of the file against its version ({version}): passed.").format(version=structure.revision))
    if not structure.trail_checked:
        if not structure.schema_problems:
            print(_("History of changes: not checked (the file is upgraded to this version when it is opened)."))
    elif structure.trail_problems:
        print(_("History of changes: {n} problems:").format(n=len(structure.trail_problems)))
        for problem in structure.trail_problems:
            print("  " + problem)
        status = 1
    else:
        print(_("History of changes: whole; no record of a closed year changed since it was closed."))
    return status


def _check_server(target: str) -> int:
    """`check` of a database on a server: the connection, the version, the tables, the links."""
    from ..server import check_server

    db = open_existing(target)
    try:
        report = check_server(db.engine)
    finally:
        db.close()
    if report.tls:
        print(_("Connection to {server}: encrypted (TLS).").format(server=db.display))
    else:
        print(_("Connection to {server}: NOT encrypted; the server does not offer TLS or the address turns it "
                "off (sslmode).").format(server=db.display))
    if report.problems:
        print(_("Structure of the database against this program (version {version}): DOES NOT MATCH:").format(
            version=report.revision or "?"))
        for problem in report.problems[:30]:
            print("  " + problem)
    else:
        print(_("Structure of the database against this program (version {version}): passed.").format(
            version=report.revision))
    if report.foreign_key_problems:
        print(_("Links between records: {n} records point at records that do not exist:").format(
            n=len(report.foreign_key_problems)))
        for table, row, parent in report.foreign_key_problems[:20]:
            print(f"  {table} #{row} -> {parent}")
    elif report.revision is not None:
        print(_("Links between records: passed."))
    if report.trail_problems:
        print(_("History of changes: {n} problems:").format(n=len(report.trail_problems)))
        for problem in report.trail_problems:
            print("  " + problem)
    elif report.trail_checked:
        print(_("History of changes: whole; no record of a closed year changed since it was closed."))
    return 0 if report.ok and not report.foreign_key_problems and not report.trail_problems else 1


def _read_secret(prompt: str) -> str:
    """A password from the keyboard (not shown) or one line of standard input."""
    if sys.stdin is not None and sys.stdin.isatty():
        return getpass.getpass(prompt)
    line = sys.stdin.readline() if sys.stdin is not None else ""
    if not line:
        raise UserError(_("No password was given."))
    return line.rstrip("\r\n")


def cmd_password_set(args: argparse.Namespace) -> int:
    from ..access import is_locked, set_password
    from . import open_existing

    db = open_existing(args.db)
    try:
        with db.begin() as session:
            current = _read_secret(_("Current password (or recovery code): ")) if is_locked(session) else None
            new = _read_secret(_("New password: "))
            repeat = _read_secret(_("Repeat the new password: "))
            code = set_password(session, new, repeat, current)
    finally:
        db.close()
    print(_("The password is set. It locks the program's window, it does not encrypt the file: the command "
            "line and other programs read the file without it."))
    print(_("Recovery code (shown only now; print it or write it down and keep it with the branch's papers):"))
    print("    " + code)
    return 0


def cmd_password_remove(args: argparse.Namespace) -> int:
    from ..access import is_locked, remove_password
    from . import open_existing

    db = open_existing(args.db)
    try:
        with db.begin() as session:
            if not is_locked(session):
                print(_("No password is set; nothing was changed."))
                return 0
            remove_password(session, _read_secret(_("Current password (or recovery code): ")))
    finally:
        db.close()
    print(_("The password is removed: the program opens without a password."))
    return 0
