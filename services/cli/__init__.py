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
    parser.add_argument("--db", type=Path, help=_("database file to open (default: the one in the user's data folder)"))
    parser.add_argument("--version", action=_VersionAction, help=_("show the program's version and exit"))
    # Hidden: quit as soon as the window is shown (installer/smoke_test.py times the start with it).
    parser.add_argument("--exit-after-show", action="store_true", help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", metavar=_("SUBCOMMAND"))
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def add_db_argument(parser: argparse.ArgumentParser, required: bool = True) -> None:
    parser.add_argument("--db", type=Path, required=required, help=_("database file"))


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


def open_existing(path: Path):
    """Open the database a subcommand works on; it must exist.

    When the file has a password, say (on standard error) that the command line does not ask for it:
    the password locks the program's window only (services/access.py).
    """
    from ..access import is_locked
    from ..db import open_database

    db = open_database(path, create=False)
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
