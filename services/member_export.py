"""Export the member register to .xlsx or .csv (UTF-8 with BOM, so Excel shows Vietnamese).

Every writer of a workbook or a CSV file in the program stores text as text: a name or a note that
starts like a formula (= + - @, or a tab or carriage return) is never run by the spreadsheet program.
In a workbook such a cell is written as a text cell with Excel's "quote prefix" (shown as typed, and
kept as text if edited); in a CSV file it gets a leading apostrophe (`neutralise_csv`).
"""
from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Set
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Member

from .errors import UserError
from .i18n import N_, _, format_date
from .members import ATTRIBUTE_LABELS, RegisterFilter, register, yes_no

EXPORT_COLUMNS = [
    N_("No."), N_("Full name"), N_("Date of birth"), N_("Gender"), N_("Ethnicity"), N_("Date of admission"),
    N_("Date made full member"), N_("Party card no."), N_("Position"), N_("Party post"),
    ATTRIBUTE_LABELS["holds_leadership_post"], ATTRIBUTE_LABELS["in_political_system"], N_("Status"), N_("Note"),
]


def register_table(session: Session, on: dt.date | None = None,
                   which: RegisterFilter = RegisterFilter.ALL) -> list[list]:
    """Header and rows of the register, in Vietnamese name order; dates as dates."""
    rows = [r for r in register(session, on) if r.in_filter(which)]
    notes = {member_id: note for member_id, note in session.execute(select(Member.id, Member.note))}
    table: list[list] = [[_(c) for c in EXPORT_COLUMNS]]
    for i, r in enumerate(rows, 1):
        table.append([i, r.full_name, r.birth_date, r.gender, r.ethnicity, r.admitted, r.made_full,
                      r.card_number, r.position, r.party_post, yes_no(r.holds_leadership_post),
                      yes_no(r.in_political_system), r.status_text, notes.get(r.id, "")])
    return table


def export_register(session: Session, out: Path | str, on: dt.date | None = None,
                    which: RegisterFilter = RegisterFilter.ALL) -> int:
    """Write the register to `out` (.xlsx or .csv by extension). Returns the number of members written."""
    out = Path(out)
    table = register_table(session, on, which)
    suffix = out.suffix.lower()
    try:
        _write(out, suffix, table)
    except OSError as exc:
        raise UserError(_("Cannot write {path}: it may be open in Excel (close it there and try again), "
                          "or the folder may be read-only. ({detail})").format(
            path=out, detail=exc.strerror or exc.__class__.__name__)) from exc
    return len(table) - 1


# What a spreadsheet program takes as the start of a formula (or of a cell it re-parses).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_csv(value):
    """A CSV cell that cannot be run as a formula: text starting like one gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def text_cells(ws) -> None:
    """Every text cell of an openpyxl sheet stays text: openpyxl would write "=…" as a live formula."""
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and (cell.data_type == "f" or cell.value.startswith(FORMULA_START)):
                cell.data_type = "s"
                cell.quotePrefix = True


def write_csv_rows(out: Path, rows: list[list]) -> None:
    """A CSV file Excel opens (UTF-8 with BOM), dates as dd/mm/yyyy, text neutralised, via a .part file."""
    tmp = out.with_name(out.name + ".part")
    with tmp.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        for row in rows:
            writer.writerow([format_date(v) if isinstance(v, dt.date) else ("" if v is None else neutralise_csv(v))
                             for v in row])
    tmp.replace(out)


def _write(out: Path, suffix: str, table: list[list]) -> None:
    if suffix == ".csv":
        write_csv_rows(out, table)
    elif suffix == ".xlsx":
        write_xlsx(out, _("Party members"), table, date_columns={2, 5, 6})
    else:
        raise UserError(_("Unknown file type {suffix}: use .xlsx or .csv.").format(suffix=out.suffix or "?"))


def write_xlsx(out: Path, title: str, table: list[list], date_columns: Set[int] = frozenset(),
               widths: list[int] | None = None) -> None:
    """A plain, readable workbook: bold header, dates formatted dd/mm/yyyy, sensible widths."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.worksheet import Worksheet

    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)  # a new workbook starts with one worksheet
    ws.title = title[:31]
    for row in table:
        ws.append(row)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for col in date_columns:
        for (cell,) in ws.iter_rows(min_row=2, min_col=col + 1, max_col=col + 1):
            cell.number_format = "DD/MM/YYYY"
    from openpyxl.utils import get_column_letter

    for i in range(len(table[0])):
        width = widths[i] if widths else min(40, max(6, *(len(str(r[i] or "")) + 2 for r in table)))
        if i in date_columns:
            width = 12
        ws.column_dimensions[get_column_letter(i + 1)].width = width
    ws.freeze_panes = "A2"
    text_cells(ws)
    tmp = out.with_name(out.name + ".part")
    wb.save(tmp)
    tmp.replace(out)
