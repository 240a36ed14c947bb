"""Sổ chi bộ: starts the program window, or runs a subcommand (see `python main.py --help`)."""
from __future__ import annotations

import argparse
import sys


def _window_only(argv: list[str]) -> argparse.Namespace | None:
    """The options of a plain start of the window, or None when argv names a subcommand or asks for help.

    Building the full parser imports every area's command module; a plain start does not need them.
    """
    from services.location import db_target, is_server_target

    quick = argparse.ArgumentParser(add_help=False)
    quick.add_argument("--db")
    quick.add_argument("--exit-after-show", action="store_true")
    args, rest = quick.parse_known_args(argv)
    if rest:
        return None
    if args.db is not None:
        if is_server_target(args.db):
            return None  # a server's address is checked by the full parser
        args.db = db_target(args.db)
    return args


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    window = _window_only(argv)
    if window is not None:
        from ui.app import run_gui

        return run_gui(window.db, exit_after_show=window.exit_after_show)
    from services.cli import build_parser, dispatch
    from services.logs import install_logging

    install_logging()

    args = build_parser().parse_args(argv)
    if args.command is None:
        from ui.app import run_gui

        return run_gui(args.db, exit_after_show=args.exit_after_show)
    code = dispatch(args)
    gui_path = getattr(args, "open_gui", None)
    if code == 0 and gui_path is not None:
        from ui.app import run_gui

        return run_gui(gui_path)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
