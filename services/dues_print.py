"""The year's dues book (sổ theo dõi đảng phí) as PDF (official layout) and as an .xlsx workbook.

The branch's book is an A4 landscape table: members × 12 months with the amount paid for each
month, the year's total per member, and the branch's totals per month (collected, owed, kept by the
branch, remitted upward). A member's own book (one member) is A4 portrait: the amounts in force, the
twelve months and the payments.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from .branch import get_branch, header_parents, report_recipients
from .dues import DuesBook, format_money, months_text
from .i18n import _, format_date, format_number
from .pdf import DocumentHeader, SignatureBlock, build_document, heading, para, table
from .pdf.fonts import FAMILY, register_fonts
from .pdf.layout import format_percent_vi

NOT_OWED = "–"


def _styles(size: float) -> dict[str, ParagraphStyle]:
    register_fonts()
    lead = size * 1.2
    return {
        "left": ParagraphStyle(f"l{size}", fontName=FAMILY, fontSize=size, leading=lead, alignment=TA_LEFT),
        "right": ParagraphStyle(f"r{size}", fontName=FAMILY, fontSize=size, leading=lead, alignment=TA_RIGHT),
        "center": ParagraphStyle(f"c{size}", fontName=FAMILY, fontSize=size, leading=lead, alignment=TA_CENTER),
        "head": ParagraphStyle(f"h{size}", fontName=FAMILY + "-Bold", fontSize=size, leading=lead,
                               alignment=TA_CENTER),
        "bold": ParagraphStyle(f"b{size}", fontName=FAMILY + "-Bold", fontSize=size, leading=lead,
                               alignment=TA_LEFT),
        "bold_right": ParagraphStyle(f"br{size}", fontName=FAMILY + "-Bold", fontSize=size, leading=lead,
                                     alignment=TA_RIGHT),
        "unpaid": ParagraphStyle(f"u{size}", fontName=FAMILY + "-Italic", fontSize=size, leading=lead,
                                 alignment=TA_CENTER),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    from xml.sax.saxutils import escape

    return Paragraph(escape(text), style)


def _header(session, today: dt.date) -> tuple[DocumentHeader, str, list[str]]:
    branch = get_branch(session)
    if branch is None:
        return DocumentHeader([], "", None, "", today), "", []
    # The dues collected are remitted upward: the book goes to the superior committee too.
    return (DocumentHeader(header_parents(branch), branch.name, None, branch.place, today), branch.secretary,
            report_recipients(session, branch))


def _money(value: int) -> str:
    return format_number(value)


TABLE_SIZE = 11   # table text is never smaller than 11 pt


def _grid(rows: list[list], widths: Sequence[float], header_rows: int, extra: list[Any] | None = None) -> Table:
    result = Table(rows, colWidths=[w * mm for w in widths], repeatRows=header_rows, hAlign="CENTER")
    result.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("FONTNAME", (0, 0), (-1, -1), FAMILY),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        *(extra or []),
    ]))
    return result


def _branch_table(book: DuesBook) -> Table:
    """Members × months with each member's total; widths fit A4 landscape (252 mm between margins)."""
    st = _styles(TABLE_SIZE)
    widths = [9, 40] + [15] * 12 + [23]
    rows: list[list] = [
        [_p(_("No."), st["head"]), _p(_("Full name"), st["head"]),
         _p(_("Dues paid for each month of {year}").format(year=book.year), st["head"])] + [""] * 11
        + [_p(_("Total of the year"), st["head"])],
        ["", ""] + [_p(str(m), st["head"]) for m in range(1, 13)] + [""],
    ]
    for i, r in enumerate(book.rows, 1):
        line: list[Any] = [_p(str(i), st["center"]), _p(r.full_name, st["left"])]
        for c in r.cells:
            if c.paid is not None:
                line.append(_p(_money(c.paid), st["right"]))
            elif not c.owes:
                line.append(_p(NOT_OWED, st["center"]))
            elif c.due == 0:
                line.append(_p("0", st["right"]))
            elif c.past:
                line.append(_p(_("unpaid"), st["unpaid"]))
            else:
                line.append("")
        line.append(_p(_money(r.paid_total), st["bold_right"]))
        rows.append(line)
    spans = [("SPAN", (0, 0), (0, 1)), ("SPAN", (1, 0), (1, 1)), ("SPAN", (2, 0), (13, 0)),
             ("SPAN", (14, 0), (14, 1))]
    return _grid(rows, widths, 2, spans)


def _totals_table(book: DuesBook) -> Table:
    """The branch's totals month by month (collected, owed, kept, remitted): a row per month, so that the
    amounts of the whole branch fit their columns at 11 pt."""
    st = _styles(TABLE_SIZE)
    columns = [(_("Collected"), book.paid), (_("Owed (amounts set)"), book.due)]
    if book.branch_share_pct:
        columns.append((_("Kept by the branch ({pct})").format(pct=format_percent_vi(book.branch_share_pct)),
                        book.kept))
    columns.append((_("Remitted upward"), book.remitted))
    rows: list[list] = [[_p(_("Month"), st["head"])] + [_p(label, st["head"]) for label, _v in columns]]
    for m in range(12):
        rows.append([_p(f"{m + 1}/{book.year}", st["center"])] + [_p(_money(v[m]), st["right"]) for _l, v in columns])
    rows.append([_p(_("Year {year}").format(year=book.year), st["bold"])]
                + [_p(_money(sum(v)), st["bold_right"]) for _l, v in columns])
    widths = [30] + [44] * len(columns)
    # the year's total row never stands alone on a page
    return _grid(rows, widths, 1, [("NOSPLIT", (0, len(rows) - 3), (-1, len(rows) - 1))])


def _member_body(book: DuesBook) -> list:
    body: list = []
    for r in book.rows:
        body.append(heading(_("I. MONTHLY AMOUNT")))
        rates = [[_("From month"), _("Monthly amount (đồng)"), _("Salary for social insurance (đồng)"), _("Note")]]
        for rate in r.rates:
            rates.append([f"{rate.month}/{rate.year}", _money(rate.amount),
                          _money(rate.basis) if rate.basis else "", rate.note])
        if len(rates) == 1:
            rates.append([_("not set"), "", "", ""])
        body.append(table(rates, [28, 40, 45, 52], numeric_cols=(1, 2), center_cols=(0,)))
        body.append(heading(_("II. DUES OF EACH MONTH OF {year}").format(year=book.year)))
        months = [[_("Month"), _("To pay (đồng)"), _("Paid (đồng)"), _("Note")]]
        for m, c in enumerate(r.cells, 1):
            if not c.owes:
                note = _("not a member of the branch")
            elif c.paid is None and c.past and c.due != 0:
                note = _("unpaid")
            else:
                note = ""
            months.append([f"{m}/{book.year}", _money(c.due) if c.owes and c.due is not None else "",
                           _money(c.paid) if c.paid is not None else "", note])
        months.append([_("Total"), _money(r.due_total), _money(r.paid_total), ""])
        body.append(table(months, [28, 40, 40, 57], numeric_cols=(1, 2), center_cols=(0,)))
        body.append(heading(_("III. PAYMENTS")))
        pays: list[list[Any]] = [[_("No."), _("Date paid"), _("For months"), _("Amount (đồng)"), _("Note")]]
        for i, p in enumerate(r.payments, 1):
            pays.append([i, format_date(p.paid_on), months_text(p.months), _money(p.amount), p.note])
        if len(pays) == 1:
            pays.append(["", "", _("no payment"), "", ""])
        body.append(table(pays, [12, 28, 45, 32, 48], numeric_cols=(3,), center_cols=(0, 1)))
    return body


def write_pdf(session, book: DuesBook, out: Path, today: dt.date) -> None:
    header, secretary, recipients = _header(session, today)
    signatures = [SignatureBlock([_("BOOKKEEPER")], ""), SignatureBlock([_("ON BEHALF OF THE BRANCH"), _("SECRETARY")],
                                                                        secretary)]
    if book.single_member and book.rows:
        r = book.rows[0]
        unpaid = r.unpaid_months
        body = _member_body(book)
        body.append(Spacer(1, 3 * mm))
        body.append(para(_("Paid in {year}: {paid}. Months unpaid: {months}.").format(
            year=book.year, paid=format_money(r.paid_total),
            months=months_text([(book.year, m) for m in unpaid]) if unpaid else _("none"))))
        build_document(out, header, _("Party dues book"),
                       _("Comrade {name}, year {year}").format(name=r.full_name, year=book.year), body,
                       signatures=signatures, recipients=recipients[-1:])   # a member's own book stays here
        return
    behind = [r for r in book.rows if r.unpaid_months]
    body = [
        para(_("Amounts in đồng. “unpaid”: a month that has ended and is not paid; “{dash}”: not a member of the "
               "branch at the end of that month.").format(dash=NOT_OWED), align="left"),
        _branch_table(book),
        Spacer(1, 4 * mm),
        heading(_("The branch's totals by month")),
        _totals_table(book),
        Spacer(1, 4 * mm),
        para(_("Collected in {year}: {paid}; remitted upward: {remitted}.").format(
            year=book.year, paid=format_money(book.paid_total), remitted=format_money(sum(book.remitted)))),
    ]
    if behind:
        body.append(para(_("Members with unpaid months: {list}.").format(list="; ".join(
            f"{r.full_name} ({months_text([(book.year, m) for m in r.unpaid_months])})" for r in behind))))
    build_document(out, header, _("Party dues book"), _("Year {year}").format(year=book.year), body,
                   signatures=signatures, recipients=recipients, landscape=True, margins_mm=(15, 15, 15, 30))


def write_xlsx(book: DuesBook, out: Path) -> None:
    """Three sheets: the book (members × months), the payments, the amounts in force."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.worksheet import Worksheet

    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)  # a new workbook starts with one worksheet
    ws.title = _("Dues {year}").format(year=book.year)[:31]
    ws.append([_("No."), _("Full name")] + [_("Month {m}").format(m=m) for m in range(1, 13)]
              + [_("Total"), _("Months unpaid")])
    for i, r in enumerate(book.rows, 1):
        cells: list = []
        for c in r.cells:
            if c.paid is not None:
                cells.append(c.paid)
            elif not c.owes:
                cells.append(NOT_OWED)
            elif c.past and c.due != 0:
                cells.append(_("unpaid"))
            else:
                cells.append(None)
        ws.append([i, r.full_name, *cells, r.paid_total, len(r.unpaid_months) or None])
    totals = [(_("Collected"), book.paid), (_("Owed (amounts set)"), book.due)]
    if book.branch_share_pct:
        totals.append((_("Kept by the branch ({pct})").format(pct=format_percent_vi(book.branch_share_pct)),
                       book.kept))
    totals.append((_("Remitted upward"), book.remitted))
    for label, values in totals:
        ws.append([None, label, *values, sum(values), None])
        for cell in ws[ws.max_row]:
            cell.font = Font(bold=True)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in ws.iter_rows(min_row=2, min_col=3, max_col=15):
        for cell in row:
            cell.number_format = "#,##0"
            if isinstance(cell.value, str):
                cell.alignment = Alignment(horizontal="center")
    ws.column_dimensions["A"].width = 5
    ws.column_dimensions["B"].width = 28
    for col in range(3, 16):
        ws.column_dimensions[get_column_letter(col)].width = 10 if col < 15 else 12
    ws.column_dimensions["P"].width = 10
    ws.freeze_panes = "C2"

    pay = wb.create_sheet(_("Payments")[:31])
    pay.append([_("No."), _("Full name"), _("Date paid"), _("For months"), _("Amount (đồng)"), _("Note")])
    n = 0
    for r in book.rows:
        for p in r.payments:
            n += 1
            pay.append([n, r.full_name, p.paid_on, months_text(p.months), p.amount, p.note])
    for row in pay.iter_rows(min_row=2):
        row[2].number_format = "DD/MM/YYYY"
        row[4].number_format = "#,##0"
    rates = wb.create_sheet(_("Monthly amounts")[:31])
    rates.append([_("Full name"), _("From month"), _("Monthly amount (đồng)"),
                  _("Salary for social insurance (đồng)"), _("Note")])
    for r in book.rows:
        for rate in r.rates:
            rates.append([r.full_name, f"{rate.month}/{rate.year}", rate.amount, rate.basis, rate.note])
    for row in rates.iter_rows(min_row=2):
        row[2].number_format = "#,##0"
        row[3].number_format = "#,##0"
    for sheet, widths in ((pay, [5, 28, 12, 18, 14, 30]), (rates, [28, 12, 16, 18, 36])):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        for i, w in enumerate(widths, 1):
            sheet.column_dimensions[get_column_letter(i)].width = w
        sheet.freeze_panes = "A2"
    from .member_export import text_cells

    for sheet in wb.worksheets:
        text_cells(sheet)
    tmp = out.with_name(out.name + ".part")
    wb.save(tmp)
    tmp.replace(out)
