"""Command line: `python main.py SUBCOMMAND ...`. Each module in COMMAND_MODULES adds its subcommands."""
from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from ..errors import UserError, ValidationError
from ..i18n import _

# Areas register their subcommands here, in the order --help lists them.
COMMAND_MODULES = [
    "services.cli.core",
    "services.cli.members",
    "services.cli.meetings",
    "services.cli.reports",
    "services.cli.dues",
    "services.cli.review",
    "services.cli.exchange",
    "services.cli.safety",
    "services.cli.selftest",
]


def _translate_argparse() -> None:
    """argparse prints its own words ("usage:", "options"...) through gettext: give it ours."""
    argparse._ = _  # type: ignore[attr-defined]
    argparse.ngettext = lambda s, p, n: _(s if n == 1 else p)  # type: ignore[attr-defined]


def version_string() -> str:
    from ..version import app_version

    return app_version()


class _VersionAction(argparse.Action):
    """--version: reads the version only when asked (argparse's own action needs it when the parser is built,
    which every command pays: pyproject.toml parsed for nothing)."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None):
        super().__init__(option_strings=option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        print(f"Sổ chi bộ {version_string()}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    _translate_argparse()
    parser = argparse.ArgumentParser(
        prog=Path(sys.executable).stem if getattr(sys, "frozen", False) else "main.py",
        description=_("Sổ chi bộ: the Party branch's register, meetings and year-end review. "
                      "Without a subcommand the program window opens."),
    )
    parser.add_argument("--db", type=db_target, help=_(
        "database to open: a file, or a server's address postgresql://USER@HOST/DATABASE "
        "(default: the file in the user's data folder)"))
    parser.add_argument("--version", action=_VersionAction, help=_("show the program's version and exit"))
    # Hidden: quit as soon as the window is shown (installer/smoke_test.py times the start with it).
    parser.add_argument("--exit-after-show", action="store_true", help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", metavar=_("SUBCOMMAND"))
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def add_db_argument(parser: argparse.ArgumentParser, required: bool = True) -> None:
    parser.add_argument("--db", type=db_target, required=required,
                        help=_("database: a file, or postgresql://USER@HOST/DATABASE on a server"))


def db_target(value: str) -> Path | str:
    """--db: a file as a Path, a server's address as its text (refused with a password in it)."""
    from ..location import db_target as parse

    try:
        return parse(value)
    except UserError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def dispatch(args: argparse.Namespace) -> int:
    """Run a subcommand; a user error prints one Vietnamese line per problem and exits 1."""
    try:
        return int(args.func(args) or 0)
    except ValidationError as exc:
        for problem in exc.problems:
            print(_("Error: {message}").format(message=problem), file=sys.stderr)
        return 1
    except UserError as exc:
        print(_("Error: {message}").format(message=exc), file=sys.stderr)
        return 1
    except Exception as exc:  # data safety: a bug prints one line and goes to the log, not a traceback
        from ..db import as_user_error
        from ..logs import log_unexpected

        plain = as_user_error(exc, getattr(args, "db", None))
        if plain is not None:  # locked, disk full, read-only: the user can act on it
            print(_("Error: {message}").format(message=plain), file=sys.stderr)
            return 1
        print(_("Unexpected error ({kind}). The details are in the log file {path}.").format(
            kind=type(exc).__name__, path=log_unexpected(exc, "command line")), file=sys.stderr)
        return 1


def open_existing(target: Path | str, create: bool = False):
    """Open the database a subcommand works on; it must exist (unless `create`).

    A server that asks for a password the password file does not hold gets it typed at the keyboard
    (never shown, never on the command line); without a keyboard, the message says where to put it.
    When the data has a password, say (on standard error) that the command line does not ask for it:
    the password locks the program's window only (services/access.py).
    """
    from ..access import is_locked
    from ..db import open_database
    from ..server import PasswordNeededError

    try:
        db = open_database(target, create=create)
    except PasswordNeededError as exc:
        password = ask_server_password(str(exc))
        db = open_database(target, create=create, password=password)
    try:
        with db.begin() as session:
            locked = is_locked(session)
    except Exception:
        db.close()
        raise
    if locked:
        print(_("Note: this file has a password, but the password only locks the program's window, it does not "
                "encrypt the file; the command line reads and changes the file without it."), file=sys.stderr)
    return db


def ask_server_password(reason: str) -> str:
    import getpass

    from ..server import PasswordNeededError

    if sys.stdin is None or not sys.stdin.isatty():
        raise PasswordNeededError(reason + " " + _(
            "Put it in the PostgreSQL password file (PGPASSFILE) or service file, or run the command "
            "at a keyboard to type it."))
    password = getpass.getpass(_("Password for the database server: "))
    if not password:
        raise PasswordNeededError(_("No password was given."))
    return password


def database_is_empty(target: Path | str) -> bool:
    """No data at `target` yet (no file; a server database without tables), asking a server's password
    once when it wants one."""
    from ..db import is_empty
    from ..server import PasswordNeededError

    try:
        return is_empty(target)
    except PasswordNeededError as exc:
        return is_empty(target, password=ask_server_password(str(exc)))
