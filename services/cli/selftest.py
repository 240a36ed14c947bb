"""Subcommand: selftest (is the installation complete, do the database, export and printing work?)."""
from __future__ import annotations

import argparse
from pathlib import Path

from ..i18n import _


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("selftest", help=_("check that the program is complete and works (for support)"),
                       description=_("Check that every file of the program is present and that a database, "
                                     "an Excel export and a PDF can be made. The test files are written to "
                                     "the folder given with --out; the user's data is not touched."))
    p.add_argument("--out", type=Path,
                   help=_("folder for the test files (default: 'tu-kiem-tra' in the data folder)"))
    p.set_defaults(func=cmd_selftest)


def cmd_selftest(args: argparse.Namespace) -> int:
    from ..paths import data_dir, program_dir, resources_dir
    from ..selftest import run_checks
    from ..version import app_version

    out = args.out or data_dir() / "tu-kiem-tra"
    print(_("Sổ chi bộ {version}: program in {program}, files in {resources}").format(
        version=app_version(), program=program_dir(), resources=resources_dir()))
    results = run_checks(out)
    width = max(len(r.name) for r in results)
    for r in results:
        mark = _("OK") if r.ok else _("FAILED")
        print(f"[{mark}] {r.name.ljust(width)}  {r.detail}")
    failed = [r for r in results if not r.ok]
    if failed:
        print(_("{failed} of {total} checks failed. Reinstall the program, or send this text to whoever "
                "supports you.").format(failed=len(failed), total=len(results)))
        return 1
    print(_("All {total} checks passed. Test files are in {path}.").format(total=len(results), path=out))
    return 0
