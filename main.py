"""Sổ chi bộ: starts the program window, or runs a subcommand (see `python main.py --help`)."""
from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from services.cli import build_parser, dispatch
    from services.logs import install_logging

    install_logging()

    parser = build_parser()
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    if args.command is None:
        from ui.app import run_gui

        return run_gui(args.db)
    code = dispatch(args)
    gui_path = getattr(args, "open_gui", None)
    if code == 0 and gui_path is not None:
        from ui.app import run_gui

        return run_gui(gui_path)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
