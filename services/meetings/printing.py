"""Printed documents of the meetings area: the biên bản of a meeting and the year's attendance sheet.

The minutes are first assembled as a `MinutesDocument` (header, title, a list of blocks, signatures);
the same document is written to PDF in the HD 36 layout (`services.pdf`) and to HTML for the preview
in the program, so what is previewed is what is printed.
"""
from __future__ import annotations

import datetime as dt
import difflib
import html
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import IO, Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle
from sqlalchemy.orm import Session

from models import AttendanceStatus, Meeting

from ..branch import get_branch, header_parents, report_recipients
from ..errors import UserError, ValidationError
from ..i18n import N_, _, format_date
from ..member_export import write_xlsx
from ..pdf import DocumentHeader, SignatureBlock, build_document, bullet, heading, para, recipient_lines
from ..pdf.fonts import FAMILY, register_fonts
from ..pdf.layout import format_number_vi, format_percent_vi, nfc, upper_vi
from .attendance import Roster, Tally, YearBook, quorum_share
from .records import (
    fill,
    fill_values,
    minutes_title,
    printed_number,
    section_label,
    sections_of,
)
from .rules import vote_rule


@dataclass
class Block:
    kind: str    # "part" (I. PHẦN MỞ ĐẦU) | "heading" (1. Thu đảng phí) | "para" | "bullet"
    text: str


@dataclass
class MinutesDocument:
    header: DocumentHeader
    title: str
    subtitle: str
    blocks: list[Block] = field(default_factory=list)
    signatures: list[SignatureBlock] = field(default_factory=list)
    file_name: str = ""
    recipients: list[str] = field(default_factory=list)


def _comrade(name: str, title: str = "") -> str:
    return f"đồng chí {name}" + (f", {title}" if title else "")


def _names_with_reasons(rows: list[Any]) -> str:
    parts = []
    for r in rows:
        reason = getattr(r, "reason", "")
        parts.append(f"đồng chí {r.full_name}" + (f" ({reason})" if reason else ""))
    return "; ".join(parts)


SPEAKER_SECTIONS = ("opinions", "discussion")   # the section the named speakers are printed under
CONCLUSION_SECTION = "conclusion"                # a template's own section for the chair's conclusion


def temporary_names(meeting: Meeting) -> list[str]:
    """Đảng viên sinh hoạt tạm thời who attended (not members of the branch)."""
    return [n.strip() for n in (meeting.temporary_members or "").splitlines() if n.strip()]


def attendance_lines(roster: Roster, tally: Tally, share: float, temporary: list[str] | None = None) -> list[str]:
    """The attendance report as the minutes state it (Vietnamese sentences): the branch's members, full and
    probationary; those apart; those present, full and probationary; the absent with and without reason,
    by name; members attending temporarily; whether the meeting is valid."""
    lines = [_("Members of the branch: {total} (full: {full}, probationary: {prob}).").format(
        total=tally.total, full=tally.full, prob=tally.probationary)]
    if roster.exempt:
        lines.append(_("Exempt from Party work and meetings: {n} ({names}).").format(
            n=tally.exempt, names="; ".join(f"đồng chí {r.full_name}" for r in roster.exempt)))
    if roster.suspended:
        lines.append(_("Suspended from Party activity: {n} ({names}).").format(
            n=tally.suspended, names="; ".join(f"đồng chí {r.full_name}" for r in roster.suspended)))
    pct = tally.attendance_pct
    lines.append(_("Members expected at the meeting: {expected}; present: {present} (full: {full}, probationary: "
                   "{prob}), {pct} of those expected; absent: {absent} (with reason: {excused}, without reason: "
                   "{unexcused}).").format(
        expected=tally.expected, present=tally.present, full=tally.full_present,
        prob=tally.present - tally.full_present, pct=format_percent_vi(pct if pct is not None else 0),
        absent=tally.absent, excused=tally.excused, unexcused=tally.unexcused))
    excused = [r for r in roster.expected if r.status == AttendanceStatus.EXCUSED]
    unexcused = [r for r in roster.expected if r.status == AttendanceStatus.UNEXCUSED]
    if excused:
        lines.append(_("Absent with reason: {names}.").format(names=_names_with_reasons(excused)))
    if unexcused:
        lines.append(_("Absent without reason: {names}.").format(names=_names_with_reasons(unexcused)))
    if tally.unrecorded:
        lines.append(_("Attendance not yet recorded: {n}.").format(n=tally.unrecorded))
    if temporary:
        lines.append(_("Members attending temporarily (members of other branches): {n} ({names}).").format(
            n=len(temporary), names="; ".join(f"đồng chí {n}" for n in temporary)))
    limit = format_percent_vi(share * 100)
    if tally.valid(share):
        lines.append(_("The members present are more than {share} of the members expected: the meeting is "
                       "valid.").format(share=limit))
    else:
        lines.append(_("The members present are not more than {share} of the members expected: the meeting "
                       "is not valid.").format(share=limit))
    return lines


def vote_line(session: Session, tally: Tally, kind: str, in_favour: int, against: int, other: int,
              other_opinions: str = "") -> tuple[str, bool]:
    """The result of a vote with its base stated: "Tán thành: 2/4 đảng viên chính thức (50%), chưa đủ quá
    nửa số đảng viên chính thức; …". Returns (sentence, passed)."""
    rule = vote_rule(session, kind)
    base = rule.base_count(tally)
    passed = rule.passes(in_favour, tally)
    pct = format_percent_vi(100 * in_favour / base if base else 0)
    if rule.base == "all_full":
        of = _("{in_favour}/{base} full members of the branch").format(in_favour=in_favour, base=base)
    else:
        of = _("{in_favour}/{base} full members present").format(in_favour=in_favour, base=base)
    reached = (_("that is {threshold} of the full members") if passed
               else _("not yet {threshold} of the full members")).format(threshold=rule.threshold)
    text = _("In favour: {of} ({pct}), {reached}; against: {against}; other opinions: {other}").format(
        of=of, pct=pct, reached=reached, against=against, other=other)
    if other_opinions:
        text += f" ({other_opinions})"
    return text + ".", passed


def resolution_lines(session: Session, meeting: Meeting, tally: Tally) -> list[tuple[str, str]]:
    """(kind, text) lines for the votes: what was put to the vote, the result against its base, the outcome."""
    out: list[tuple[str, str]] = []
    many = len(meeting.resolutions) > 1
    outcome = {
        "resolution": (N_("The resolution is adopted."), N_("The resolution is not adopted.")),
        "make_full": (N_("The branch proposes that the comrade be recognised as a full member."),
                      N_("The branch does not propose recognising the comrade as a full member.")),
        "admission": (N_("The branch proposes admitting the comrade to the Party."),
                      N_("The branch does not propose admitting the comrade.")),
    }
    for i, r in enumerate(meeting.resolutions, 1):
        kind = r.kind or "resolution"
        label = _("Put to the vote ({n}): {text}") if many else _("Put to the vote: {text}")
        out.append(("para", label.format(n=i, text=r.text)))
        line, passed = vote_line(session, tally, kind, r.in_favour, r.against, r.other, r.other_opinions)
        out.append(("bullet", line))
        yes, no = outcome.get(kind, outcome["resolution"])
        out.append(("bullet", _(yes) if passed else _(no)))
    return out


def _text_blocks(text: str) -> list[Block]:
    """A section's text: lines starting with "-" or "+" become list items, other lines paragraphs."""
    out = []
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        if line[:1] in "-+•" and len(line) > 1:
            out.append(Block("bullet", line.lstrip("-+• ").strip()))
        else:
            out.append(Block("para", line))
    return out


def describe_change(old: str, new: str) -> list[str]:
    """What an amendment changed in a section, line by line: "thêm “…”", "bỏ “…”", "“…” sửa thành “…”"."""
    a = [x.strip() for x in old.split("\n") if x.strip()]
    b = [x.strip() for x in new.split("\n") if x.strip()]
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        before, after = " / ".join(a[i1:i2]), " / ".join(b[j1:j2])
        if tag == "replace":
            out.append(_("“{old}” corrected to “{new}”").format(old=before, new=after))
        elif tag == "delete":
            out.append(_("removed “{old}”").format(old=before))
        elif tag == "insert":
            out.append(_("added “{new}”").format(new=after))
    return out


def minutes_document(session: Session, meeting_id: int) -> MinutesDocument:
    """The biên bản of a meeting, ready to be written as PDF or HTML.

    A draft (minutes not finalised) is marked "DỰ THẢO" and has no number yet."""
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise ValidationError(_("This meeting no longer exists."))
    branch = get_branch(session)
    if branch is None:
        raise UserError(_("Enter the branch's details first (File menu)."))
    book = YearBook(session, meeting.date.year)
    m = book.meeting(meeting_id)
    assert m is not None
    roster, tally = book.roster(m), book.tally(m)
    draft = m.finalized_at is None
    header = DocumentHeader(parents=header_parents(branch), issuer=branch.name,
                            number=printed_number(session, m), place=branch.place, date=m.date, draft=draft)
    mins = m.minutes or {}
    values = fill_values(session, m)
    values["start"] = values["start"] or "…"
    values["place"] = values["place"] or "…"
    blocks: list[Block] = []
    intro = mins.get("intro_with_topic") if m.topic else mins.get("intro")
    if intro:
        blocks.append(Block("para", fill(intro, values)))
    blocks.append(Block("bullet", _("Presiding: {who}.").format(who=_comrade(m.chair_name, m.chair_title))))
    blocks.append(Block("bullet", _("Minute-taker: {who}.").format(who=_comrade(m.secretary_name, m.secretary_title))))
    if m.representative:
        blocks.append(Block("bullet", _("Representing the superior committee: {who}.").format(
            who=m.representative.rstrip("."))))
    if m.guests:
        blocks.append(Block("bullet", _("Invited guests: {guests}.").format(guests=m.guests.rstrip("."))))
    part = None
    number = 0
    share = quorum_share(session)
    sections = sections_of(m)
    keys = [s.get("key") for s in sections]
    speakers = [sp for sp in (m.speakers or []) if sp.get("text") or sp.get("name")]
    conclusion = (m.conclusion or "").strip()
    conclusion_title = mins.get("conclusion_title") or _("Conclusion of the presiding comrade")
    # Where the speakers and the conclusion go: under "opinions" (a thematic meeting: "discussion"); in the
    # template's own "conclusion" section when it has one, else as a section before the votes.
    speakers_at = next((k for k in SPEAKER_SECTIONS if k in keys), None)
    conclusion_in = CONCLUSION_SECTION if CONCLUSION_SECTION in keys else None
    conclusion_before = "resolutions" if "resolutions" in keys and conclusion_in is None else None

    def heading_for(s: dict) -> None:
        nonlocal part, number
        if s.get("part", "") != part:
            part = s.get("part", "")
            number = 0
            if part:
                blocks.append(Block("part", part))
        number += 1
        blocks.append(Block("heading", f"{number}. {s.get('title', '')}"))

    def conclusion_blocks(s: dict) -> None:
        heading_for({"part": s.get("part", ""), "title": conclusion_title})
        blocks.extend(_text_blocks(conclusion))

    for s in sections:
        text = s.get("text", "").strip()
        block = s.get("block", "")
        content: list[Block] = []
        if block == "attendance":
            content = [Block("bullet", line) for line in attendance_lines(roster, tally, share, temporary_names(m))]
        elif block == "resolutions":
            content = [Block(kind, line) for kind, line in resolution_lines(session, m, tally)]
        if s.get("key") == speakers_at and speakers:
            content += [Block("bullet", _speaker_line(sp)) for sp in speakers]
        if s.get("key") == conclusion_in and conclusion:
            content += _text_blocks(conclusion)
        content += _text_blocks(text)
        if conclusion and s.get("key") == conclusion_before:
            conclusion_blocks(s)
        if not content:
            continue
        heading_for(s)
        blocks.extend(content)
    if speakers and speakers_at is None:
        heading_for({"part": part or "", "title": _("Opinions of the members")})
        blocks.extend(Block("bullet", _speaker_line(sp)) for sp in speakers)
    if conclusion and conclusion_before is None and conclusion_in is None:
        conclusion_blocks({"part": part or ""})
    closing = mins.get("closing")
    if closing and m.end_time is not None:
        blocks.append(Block("para", fill(closing, values)))
    if m.amendments:
        blocks.append(Block("part", _("AMENDMENTS TO THE MINUTES")))
        for a in m.amendments:
            blocks.append(Block("para", _("On {date}, comrade {who} amended the minutes. Reason: {reason}").format(
                date=format_date(a.date), who=a.made_by, reason=a.reason.rstrip(".") + ".")))
            for c in a.changes:
                blocks.append(Block("bullet", _("Section “{title}”: {changes}.").format(
                    title=c.get("title") or section_label(m, c.get("key", "")),
                    changes="; ".join(describe_change(c.get("old", ""), c.get("new", ""))))))
    file_name = f"bien-ban-{m.date.isoformat()}-{m.kind}" + ("-du-thao" if draft else "") + ".pdf"
    return MinutesDocument(
        header=header, title="Biên bản", subtitle=minutes_title(m), blocks=blocks,
        signatures=[SignatureBlock(["THƯ KÝ"], m.secretary_name), SignatureBlock(["CHỦ TRÌ"], m.chair_name)],
        file_name=file_name, recipients=report_recipients(session, branch, to_superior=False),
    )


def _speaker_line(speaker: dict) -> str:
    name, words = speaker.get("name", ""), (speaker.get("text") or "").strip()
    if not name:
        return words
    return _("Comrade {name}: {words}").format(name=name, words=words) if words else _("Comrade {name}.").format(
        name=name)


def write_minutes_pdf(session: Session, meeting_id: int, target: str | PathLike[str] | IO[bytes]) -> None:
    doc = minutes_document(session, meeting_id)
    body = []
    for b in doc.blocks:
        if b.kind == "part":
            body.append(heading(upper_vi(b.text)))
        elif b.kind == "heading":
            body.append(heading(b.text))
        elif b.kind == "bullet":
            body.append(bullet(b.text))
        else:
            body.append(para(b.text))
    _write_atomically(target, lambda out: build_document(out, doc.header, doc.title, doc.subtitle, body,
                                                          signatures=doc.signatures, recipients=doc.recipients))


def _write_atomically(target: Any, write) -> None:
    """Write to `target.part`, then rename: a failed print never leaves half a file."""
    if isinstance(target, str | PathLike):
        path = Path(target)
        tmp = path.with_name(path.name + ".part")
        try:
            write(str(tmp))
            tmp.replace(path)
        except PermissionError as exc:
            tmp.unlink(missing_ok=True)
            raise UserError(_("Cannot write {path}: is it open in another program?").format(path=path)) from exc
    else:
        write(target)


def minutes_html(doc: MinutesDocument) -> str:
    """The minutes as HTML for the preview in the program (same text as the PDF)."""
    e = html.escape
    h = doc.header
    parent = e(upper_vi(h.parents[-1])) + "<br>" if h.parents else ""
    from ..pdf.layout import format_long_date

    out = []
    if h.draft:
        out.append('<p align="right"><b><span style="border:1px solid black">&nbsp;DỰ THẢO&nbsp;</span></b></p>')
    out += [
        '<table width="100%" cellspacing="0"><tr>',
        f'<td width="47%" align="center">{parent}<b>{e(upper_vi(h.issuer))}</b><br>*<br>{e(h.number or "")}</td>',
        '<td align="center"><b><u>ĐẢNG CỘNG SẢN VIỆT NAM</u></b><br><br>'
        f'<i>{e(format_long_date(h.place, h.date) if h.date else h.place)}</i></td>',
        "</tr></table>",
        f'<h2 align="center" style="margin-top:18px">{e(upper_vi(doc.title))}</h2>',
        f'<p align="center"><b>{e(nfc(doc.subtitle))}</b></p>',
    ]
    for b in doc.blocks:
        text = e(nfc(b.text))
        if b.kind == "part":
            out.append(f"<p><b>{e(upper_vi(b.text))}</b></p>")
        elif b.kind == "heading":
            out.append(f"<p><b>{text}</b></p>")
        elif b.kind == "bullet":
            out.append(f'<p style="margin-left:24px">- {text}</p>')
        else:
            out.append(f'<p style="text-indent:24px">{text}</p>')
    out.append('<table width="100%" style="margin-top:18px"><tr>')
    for s in doc.signatures:
        out.append(f'<td align="center"><b>{e(" ".join(s.title_lines))}</b><br><br><br><br>'
                   f'<b>{e(s.name)}</b></td>')
    out.append("</tr></table>")
    if doc.recipients:
        out.append("<p><u>Nơi nhận:</u><br>" + "<br>".join(e(line) for line in recipient_lines(doc.recipients))
                   + "</p>")
    return "\n".join(out)


# --- the year's attendance sheet ---------------------------------------------------------------

SHEET_SYMBOLS = {
    AttendanceStatus.PRESENT: "x",
    AttendanceStatus.EXCUSED: "P",
    AttendanceStatus.UNEXCUSED: "K",
}
KIND_SHORT = {"regular": "TK", "thematic": "CĐ", "extraordinary": "BT"}


@dataclass
class SheetRow:
    member_id: int
    full_name: str
    cells: list[str]
    present: int
    excused: int
    unexcused: int
    expected: int

    @property
    def pct(self) -> float | None:
        return 100.0 * self.present / self.expected if self.expected else None


@dataclass
class AttendanceSheet:
    year: int
    meetings: list[Meeting]
    rows: list[SheetRow]
    present_per_meeting: list[int]
    expected_per_meeting: list[int]


def attendance_sheet(session: Session, year: int) -> AttendanceSheet:
    """Members x meetings of a year: x present, P absent with reason, K without, M exempt,
    Đ suspended, – not in the branch that day, blank not recorded."""
    from ..vntext import name_key

    book = YearBook(session, year)
    rows: dict[int, SheetRow] = {}
    present_per, expected_per = [], []
    n = len(book.meetings)
    for col, m in enumerate(book.meetings):
        roster = book.roster(m)
        present_per.append(sum(1 for r in roster.expected if r.status == AttendanceStatus.PRESENT))
        expected_per.append(len(roster.expected))
        for r in roster.expected:
            row = rows.setdefault(r.member_id, SheetRow(r.member_id, r.full_name, ["–"] * n, 0, 0, 0, 0))
            row.cells[col] = SHEET_SYMBOLS.get(AttendanceStatus(r.status), "") if r.status else ""
            row.expected += 1
            row.present += r.status == AttendanceStatus.PRESENT
            row.excused += r.status == AttendanceStatus.EXCUSED
            row.unexcused += r.status == AttendanceStatus.UNEXCUSED
        for apart in roster.exempt + roster.suspended:
            row = rows.setdefault(apart.member_id, SheetRow(apart.member_id, apart.full_name, ["–"] * n, 0, 0, 0, 0))
            row.cells[col] = "M" if apart.why == "exempt" else "Đ"
    ordered = sorted(rows.values(), key=lambda r: (name_key(r.full_name), r.member_id))
    return AttendanceSheet(year, book.meetings, ordered, present_per, expected_per)


def _sheet_table(sheet: AttendanceSheet) -> list[list[Any]]:
    head = [_("No."), _("Full name")]
    head += [f"{m.date.day:02d}/{m.date.month:02d} {KIND_SHORT.get(m.kind, '')}" for m in sheet.meetings]
    head += [_("Present"), _("Absent with reason"), _("Absent without reason"), _("Attendance rate")]
    table: list[list[Any]] = [head]
    for i, r in enumerate(sheet.rows, 1):
        table.append([i, r.full_name, *r.cells, r.present, r.excused, r.unexcused,
                      format_percent_vi(r.pct) if r.pct is not None else ""])
    return table


def write_attendance_xlsx(session: Session, year: int, out: Path) -> int:
    sheet = attendance_sheet(session, year)
    table = _sheet_table(sheet)
    table.append(["", _("Present"), *sheet.present_per_meeting, "", "", "", ""])
    table.append(["", _("Members expected"), *sheet.expected_per_meeting, "", "", "", ""])
    widths = [5, 28] + [8] * len(sheet.meetings) + [9, 11, 11, 10]
    write_xlsx(out, _("Attendance {year}").format(year=year), table, widths=widths)
    return len(sheet.rows)


SHEET_SIZE = 11                 # table text is never smaller than 11 pt
SHEET_MARGINS = (12, 12, 12, 20)  # top, right, bottom, left (mm), A4 landscape
SHEET_FIXED = (9.5, 38.5)         # No., name (mm)
SHEET_TAIL = (12.0, 12.0, 13.0, 13.0)  # present, with reason, without reason, rate (mm)
SHEET_MEETING_COL = 10.4        # a meeting's column: "06/05" in 11 pt bold with its padding


def sheet_chunks(n: int) -> list[range]:
    """The meetings' columns split into tables that fit the page at 11 pt (one table for up to 16)."""
    usable = 297 - SHEET_MARGINS[1] - SHEET_MARGINS[3] - sum(SHEET_FIXED) - sum(SHEET_TAIL)
    per = max(1, int(usable // SHEET_MEETING_COL))
    parts = -(-n // per) if n else 1
    size = -(-n // parts) if n else 0
    return [range(i, min(n, i + size)) for i in range(0, n, size)] if n else [range(0)]


def write_attendance_pdf(session: Session, year: int, target: str | PathLike[str] | IO[bytes],
                         today: dt.date) -> int:
    """The attendance sheet on A4 landscape, one row per member, one column per meeting (11 pt); a year of
    more meetings than fit across the page is printed in several tables, the totals in the last."""
    branch = get_branch(session)
    if branch is None:
        raise UserError(_("Enter the branch's details first (File menu)."))
    register_fonts()   # the cell styles below name the document font directly
    sheet = attendance_sheet(session, year)
    n = len(sheet.meetings)
    if n == 0:
        raise UserError(_("No meetings are recorded in {year}.").format(year=year))
    size = SHEET_SIZE
    cell = ParagraphStyle("att_cell", fontName=FAMILY, fontSize=size, leading=size + 2, alignment=TA_CENTER)
    name = ParagraphStyle("att_name", parent=cell, alignment=TA_LEFT)
    head = ParagraphStyle("att_head", parent=cell, fontName=FAMILY + "-Bold")
    head_left = ParagraphStyle("att_head_left", parent=head, alignment=TA_LEFT)

    def p(text: Any, style=cell) -> Paragraph:
        return Paragraph(html.escape(nfc(str(text))), style)

    chunks = sheet_chunks(n)
    usable = 297 - SHEET_MARGINS[1] - SHEET_MARGINS[3]
    body: list[Any] = []
    for c, cols in enumerate(chunks):
        last = c == len(chunks) - 1
        tail = SHEET_TAIL if last else ()
        col = min(14.0, (usable - sum(SHEET_FIXED) - sum(tail)) / len(cols))
        meetings = [sheet.meetings[i] for i in cols]
        header_row = [p(_("No."), head), p(_("Full name"), head)]
        header_row += [Paragraph(f"{m.date.day:02d}/{m.date.month:02d}<br/>{KIND_SHORT.get(m.kind, '')}", head)
                       for m in meetings]
        if last:
            header_row += [p(t, head) for t in (_("Present"), _("With reason"), _("Without reason"), _("Rate"))]
        data: list[list[Any]] = [header_row]
        for i, r in enumerate(sheet.rows, 1):
            row = [p(i), p(r.full_name, name), *[p(r.cells[j]) for j in cols]]
            if last:
                row += [p(r.present), p(r.excused), p(r.unexcused),
                        p(format_percent_vi(r.pct) if r.pct is not None else "")]
            data.append(row)
        blank = [p("") for _t in tail]
        first_total = len(data)
        data.append([p(""), p(_("Present"), head_left), *[p(sheet.present_per_meeting[j]) for j in cols], *blank])
        data.append([p(""), p(_("Members expected"), head_left), *[p(sheet.expected_per_meeting[j]) for j in cols],
                     *blank])
        # The rate without its "%" (in the row's label), so that "90,9" fits the column at 11 pt.
        data.append([p(""), p(_("Attendance rate (%)"), head_left),
                     *[p(format_number_vi(100 * sheet.present_per_meeting[j] / sheet.expected_per_meeting[j], 1)
                         if sheet.expected_per_meeting[j] else "") for j in cols], *blank])
        widths = [w * mm for w in SHEET_FIXED] + [col * mm] * len(cols) + [w * mm for w in tail]
        table = Table(data, colWidths=widths, repeatRows=1, hAlign="CENTER")
        table.setStyle(TableStyle([
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("FONTNAME", (0, 0), (-1, -1), FAMILY),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 2),
            ("RIGHTPADDING", (0, 0), (-1, -1), 2),
            ("TOPPADDING", (0, 0), (-1, -1), 1),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
            # the totals never stand alone at the top of a page: the last members' rows go with them
            ("NOSPLIT", (0, max(1, first_total - 2)), (-1, -1)),
        ]))
        if len(chunks) > 1:
            body.append(para(_("Meetings from {first} to {last}:").format(
                first=format_date(meetings[0].date), last=format_date(meetings[-1].date)), align="left"))
        body += [table, Spacer(1, 3 * mm)]
    legend_style = ParagraphStyle("att_legend", fontName=FAMILY, fontSize=11, leading=13)
    body.append(Paragraph(html.escape(_("x: present; P: absent with reason; K: absent without reason; M: exempt "
                                        "from Party work and meetings; Đ: suspended; –: not a member of the branch on "
                                        "that day. TK: regular, CĐ: thematic, BT: extraordinary meeting.")),
                          legend_style))
    header = DocumentHeader(parents=header_parents(branch), issuer=branch.name, number=None,
                            place=branch.place, date=today)
    _write_atomically(target, lambda out: build_document(
        out, header, _("Attendance sheet"), _("Members' attendance at branch meetings in {year}").format(year=year),
        body, signatures=[SignatureBlock(["T/M CHI BỘ", "BÍ THƯ"], branch.secretary)],
        recipients=report_recipients(session, branch, to_superior=False),
        landscape=True, margins_mm=SHEET_MARGINS))
    return len(sheet.rows)
