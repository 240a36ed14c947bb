"""Subcommand group `report NAME ...`: printed documents and sheets.

Areas add a report without touching this file's logic: a module listed in REPORT_MODULES calls
`add_report(name, help, configure, handler)` at import time, where `configure(parser)` adds the
report's arguments and `handler(args) -> int` writes it. For example (services/cli/report_meetings.py):

    add_report("minutes", _("the minutes of a meeting as PDF"), configure_minutes, run_minutes)

`python main.py report --help` then lists it, and `python main.py report minutes --help` explains it.
"""
from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..errors import UserError
from ..i18n import _

# Modules that register reports, imported when the parser is built. Add yours on its own line.
REPORT_MODULES = [
    "services.cli.report_meetings",
    "services.cli.exchange",
    "services.cli.review",
]


@dataclass(frozen=True)
class Report:
    name: str
    help: str
    configure: Callable[[argparse.ArgumentParser], None]
    handler: Callable[[argparse.Namespace], int]
    description: str = ""


REPORTS: dict[str, Report] = {}


def add_report(name: str, help: str, configure: Callable[[argparse.ArgumentParser], None],
               handler: Callable[[argparse.Namespace], int], description: str = "") -> None:
    """Register a report; registering the same name twice with another handler is a programming error."""
    if name in REPORTS and REPORTS[name].handler is not handler:
        raise RuntimeError(f"report {name} registered twice")
    REPORTS[name] = Report(name, help, configure, handler, description)


def output_path(text: str, allowed: tuple[str, ...]) -> Path:
    """The --out file, checked against the formats the report can write."""
    path = Path(text)
    if path.suffix.lower() not in allowed:
        raise UserError(_("Unknown file type {suffix}: use {allowed}.").format(
            suffix=path.suffix or "?", allowed=" / ".join(allowed)))
    if not path.parent.exists():
        raise UserError(_("The folder {path} does not exist.").format(path=path.parent))
    return path


def register(sub: argparse._SubParsersAction) -> None:
    for module in REPORT_MODULES:
        importlib.import_module(module)
    p = sub.add_parser("report", help=_("print a document or a sheet (minutes, attendance, …)"),
                       description=_("Write a printed document or a sheet to a file."))
    rsub = p.add_subparsers(dest="report_name", metavar=_("REPORT"), required=True)
    for report in REPORTS.values():
        rp = rsub.add_parser(report.name, help=report.help, description=report.description or report.help)
        report.configure(rp)
        rp.set_defaults(func=report.handler)
