"""Printed forms of the year-end review (PDF in the Party document layout; tables also as .xlsx).

* ``bieu-tong-hop`` — biểu tổng hợp kết quả đánh giá, xếp loại chất lượng đảng viên (with last year);
* ``danh-sach`` — danh sách đảng viên và mức xếp loại (proposal and decision, reasons not rated);
* ``bao-cao`` — báo cáo kiểm điểm tập thể chi bộ in the shape of Mẫu 01-HD KĐ.ĐG: the narrative
  parts written in the program, the numbers filled in, a bar chart, the self-score;
* ``bien-ban`` — biên bản họp chi bộ đánh giá, xếp loại chất lượng đảng viên, with the votes;
* ``ban-kiem-diem`` — a blank bản kiểm điểm cá nhân pre-filled with a member's details, on the form
  of the year (Mẫu 02 / 02A / 02B / 2A / 2B / 2C).

Fixed wording of the regulation (form names, levels, the sections of the personal form) comes
from the rule files; the rest is the program's wording, translated through the catalog.
"""
from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from .. import settings as settings_mod
from ..branch import get_branch
from ..errors import UserError
from ..i18n import N_, _, format_date, long_date
from ..pdf import (
    DocumentHeader,
    SignatureBlock,
    bar_chart,
    build_document,
    bullet,
    format_number_vi,
    format_percent_vi,
    heading,
    para,
    table,
)
from ..pdf.fonts import FAMILY, register_fonts
from ..vntext import fold
from .eligibility import review_date
from .rules import Regulation, regulation_for
from .service import YearReview, branch_review, year_review
from .tally import LEVEL_KEYS, Tally, tally

NBSP = "\u00a0"
MARGINS = (20, 15, 20, 30)  # top, right, bottom, left (mm), as services.pdf.build_document
LEADER_WORDS = ("truong", "pho ", "giam doc", "chu tich", "chanh", "bi thu", "chu nhiem", "ke toan truong")
OUTSIDE_WORDS = ("nghi huu", "huu tri", "da nghi", "lao dong tu do", "kinh doanh")


@dataclass
class FormDoc:
    """One printed document, ready for services.pdf.build_document."""

    header: DocumentHeader
    title: str
    subtitle: str | None
    body: list[Flowable]
    signatures: list[SignatureBlock] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    corner: str = ""                                   # form code printed top right
    sheet: tuple[str, list[list[Any]], set[int]] | None = None   # (title, table, date columns) for .xlsx


# --- small flowables ---------------------------------------------------------------------------

class _Corner(Flowable):
    """The form's code ("Mẫu 01-HD KĐ.ĐG") top right of the first page, above the header."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text
        self.width = self.height = 0

    def wrap(self, availWidth, availHeight):
        return 0, 0

    def drawOn(self, canvas, x, y, _sW=0):
        register_fonts()
        width, height = getattr(canvas, "_pagesize", A4)
        canvas.saveState()
        canvas.setFont(FAMILY + "-Italic", 12)
        canvas.drawRightString(width - MARGINS[1] * mm, height - 12 * mm, self.text)
        canvas.restoreState()


class _DotLines(Flowable):
    """Dotted lines to write on by hand."""

    def __init__(self, lines: int = 3, leading: float = 8 * mm):
        super().__init__()
        self.lines = lines
        self.leading = leading

    def wrap(self, availWidth, availHeight):
        self.width = availWidth
        return availWidth, self.lines * self.leading

    def draw(self):
        c = self.canv
        c.saveState()
        c.setDash(1, 2.5)
        c.setLineWidth(0.6)
        for i in range(self.lines):
            y = (self.lines - i - 1) * self.leading + 2
            c.line(0, y, self.width, y)
        c.restoreState()


class _FormStart(Flowable):
    """Marks where a document starts in a PDF of several (page numbers restart from it)."""

    def wrap(self, availWidth, availHeight):
        return 0, 0

    def draw(self):
        self.canv._review_form_start = self.canv.getPageNumber()  # type: ignore[attr-defined]


def _texts(text: str, dots: int = 3) -> list[Flowable]:
    """A narrative part: one paragraph per line, or lines to write on when it is empty."""
    lines = [t.strip() for t in (text or "").splitlines() if t.strip()]
    return [para(t) for t in lines] if lines else [_DotLines(dots)]


def _cell_center():
    from ..pdf.layout import _styles

    return _styles()["cell_center"]


def _span(tbl: Table, commands: list[tuple]) -> Table:
    tbl.setStyle(TableStyle(commands))
    return tbl


# --- common parts ------------------------------------------------------------------------------

@dataclass
class _Context:
    year: int
    reg: Regulation
    review: YearReview                 # the members counted in the year
    branch_name: str
    parents: list[str]
    place: str
    secretary: str
    symbol: str
    on: dt.date
    session: Any = field(default=None, repr=False)
    full_review: YearReview | None = field(default=None, repr=False)  # with the members who left

    @functools.cached_property
    def tally(self) -> Tally:
        """The year's tally (with last year's), computed when a form first needs it, from the review
        already loaded."""
        return tally(self.session, self.year, review=self.full_review)

    def header(self, kind: str | None) -> DocumentHeader:
        number = f"Số {NBSP * 6}-{kind}/{self.symbol}" if kind else None
        return DocumentHeader(parents=self.parents, issuer=self.branch_name, number=number, place=self.place,
                              date=self.on)

    def level(self, code: str) -> str:
        return self.reg.level_name(code) if code else ""

    def sign(self) -> list[SignatureBlock]:
        return [SignatureBlock(["T/M CHI BỘ", "BÍ THƯ"], self.secretary)]

    def recipients(self) -> list[str]:
        return [_("The superior committee (to report),"), _("Branch records.")]


def _context(session, year: int) -> _Context:
    branch = get_branch(session)
    if branch is None:
        raise UserError(_("Enter the branch's details first (File, Branch details)."))
    full = year_review(session, year)
    counted = YearReview(full.year, full.regulation, full.review_date, full.closed_at,
                         [r for r in full.rows if r.elig.counted], full.quota)
    return _Context(
        year=year, reg=regulation_for(year), review=counted, branch_name=branch.name,
        parents=list(branch.parents or []), place=branch.place, secretary=branch.secretary,
        symbol=settings_mod.get(session, settings_mod.DOCUMENT_SYMBOL.key), on=review_date(session, year),
        session=session, full_review=full,
    )


def _share(value: float | None) -> str:
    """A share that may be undefined (HTXSNV as a share of no HTTNV): "—", never "0%"."""
    from .tally import share_text

    return share_text(value, lambda v: format_percent_vi(v, 2))


def _pct(n: int, of: int) -> str:
    from .tally import percent

    return format_percent_vi(percent(n, of), 2) if of else ""


def _reason_parts(c: _Context, t: Tally) -> str:
    labels = {r.code: r.label_for(None) for r in c.reg.not_rated}
    for row in c.review.rows:
        if row.elig.reason in labels:
            labels[row.elig.reason] = row.elig.reason_text
    return "; ".join(f"{labels.get(code, code).lower()}: {n}" for code, n in t.not_assessed_reasons.items())


def _numbers_paragraph(c: _Context, t: Tally) -> Paragraph:
    text = _("Members of the branch at the review: {total} (full: {full}, probationary: {prob}); rated: {rated}; "
             "not rated: {not_rated}").format(total=t.members_total, full=t.full_members, prob=t.probationary,
                                              rated=t.assessed, not_rated=t.not_assessed)
    if t.not_assessed:
        text += f" ({_reason_parts(c, t)})"
    return para(text + ".")


def _levels_table(c: _Context, t: Tally) -> Table:
    prev = t.previous
    head = [_("No."), _("Level"), _("Number"), _("Share")]
    widths = [12, 75, 30, 30]
    if prev:
        head += [_("Last year")]
        widths = [12, 65, 25, 25, 38]
    rows: list[list[Any]] = [head]
    for i, k in enumerate(LEVEL_KEYS, 1):
        row = [i, c.level(k), t.levels[k], _pct(t.levels[k], t.assessed)]
        if prev:
            row.append(f"{prev.levels[k]} ({_pct(prev.levels[k], prev.assessed)})")
        rows.append(row)
    total = ["", _("Total"), t.rated, _pct(t.rated, t.assessed)]
    if prev:
        total.append(f"{prev.rated}")
    rows.append(total)
    return table(rows, widths, numeric_cols=(2, 3, 4) if prev else (2, 3), center_cols=(0,))


def _chart(c: _Context, t: Tally) -> Flowable:
    return bar_chart([c.level(k) for k in LEVEL_KEYS], [t.levels[k] for k in LEVEL_KEYS], 150, 62)


def _quota_line(c: _Context, t: Tally) -> str:
    text = _("Members rated “{best}” are {pct} of those rated “{good}”; at most {max} allowed by the quota "
             "({share}, {cite}).").format(
        best=c.level("HTXSNV"), good=c.level("HTTNV"), pct=_share(t.htxsnv_of_httnv), max=t.quota_max,
        share=format_percent_vi(c.reg.quota.share * 100, 0), cite=c.reg.quota.ref.cite())
    if not t.quota_ok:
        text += " " + _("The number proposed is over the quota; the committee applies it.")
    return text


# --- the forms ---------------------------------------------------------------------------------

def summary(session, year: int, c: _Context | None = None) -> list[FormDoc]:
    """Biểu tổng hợp kết quả đánh giá, xếp loại chất lượng đảng viên."""
    c = c or _context(session, year)
    t, prev = c.tally, c.tally.previous
    reasons = {r.code: r.label_for(None) for r in c.reg.not_rated}
    for row in c.review.rows:
        if row.elig.reason in reasons:
            reasons[row.elig.reason] = row.elig.reason_text

    def line(no, label, n, of=None, pn=None, pof=None, sub=False):
        row = [no, ("- " if sub else "") + label, n, _pct(n, of) if of is not None and isinstance(n, int) else ""]
        if prev:
            row += [pn, _pct(pn, pof) if pof is not None and isinstance(pn, int) else ""]
        return row

    def wide(no, label, value):
        return [no, label, Paragraph(escape(str(value)), _cell_center())] + [""] * (3 if prev else 1)

    p = prev or t
    head = [_("No."), _("Item"), _("Year {year}").format(year=year), ""]
    sub_head = ["", "", _("Number"), _("Share")]
    if prev:
        head += [_("Year {year}").format(year=year - 1), ""]
        sub_head += [_("Number"), _("Share")]
    rows: list[list[Any]] = [
        head, sub_head,
        line(1, _("Members of the branch"), t.members_total, None, p.members_total),
        line("", _("full members"), t.full_members, None, p.full_members, sub=True),
        line("", _("probationary members"), t.probationary, None, p.probationary, sub=True),
        line(2, _("Not rated"), t.not_assessed, None, p.not_assessed),
    ]
    for code, label in reasons.items():
        rows.append(line("", label, t.not_assessed_reasons.get(code, 0), None,
                         p.not_assessed_reasons.get(code, 0), sub=True))
    rows.append(line(3, _("Members rated"), t.assessed, None, p.assessed))
    for k in LEVEL_KEYS:
        rows.append(line("", c.level(k), t.levels[k], t.assessed, p.levels[k], p.assessed, sub=True))
    if t.unrated:
        rows.append(line("", _("no level yet"), t.unrated, t.assessed, p.unrated, p.assessed, sub=True))
    quota_row = [4, _("“{best}” as a share of “{good}”").format(best="HTXSNV", good="HTTNV"),
                 "", _share(t.htxsnv_of_httnv)]
    if prev:
        quota_row += ["", _share(p.htxsnv_of_httnv)]
    rows.append(quota_row)
    rows.append(line("", _("most allowed by the quota"), t.quota_max, None, p.quota_max, sub=True))
    rows.append(line(5, _("Members disciplined in the year"), t.disciplined, None, p.disciplined))
    br = branch_review(session, year)
    score = f"{format_number_vi(br.self_score)}/{format_number_vi(br.max_points)}" if br.self_score is not None else ""
    first_wide = len(rows)
    rows.append(wide(6, _("The branch's self-score"), score))
    rows.append(wide(7, _("Level the branch proposes for itself"), c.level(br.proposed_level)))
    if br.decided_level:
        rows.append(wide(8, _("Level decided by the committee"), c.level(br.decided_level)))
    widths = [12, 68, 22, 22, 21, 20] if prev else [12, 99, 27, 27]
    tbl = table(rows, widths, header_rows=2, numeric_cols=(2, 3, 4, 5) if prev else (2, 3), center_cols=(0,))
    spans = [("SPAN", (2, 0), (3, 0)), ("SPAN", (0, 0), (0, 1)), ("SPAN", (1, 0), (1, 1))]
    if prev:
        spans.append(("SPAN", (4, 0), (5, 0)))
    for r in range(first_wide, len(rows)):
        spans.append(("SPAN", (2, r), (-1, r)))
    _span(tbl, spans)
    body: list[Flowable] = [tbl, Spacer(1, 3 * mm)]
    body.append(para(_("Shares are of the members rated. {quota}").format(quota=_quota_line(c, t))))
    sheet_head = [_("No."), _("Item"), _("Year {year}").format(year=year), _("Share")]
    if prev:
        sheet_head += [_("Year {year}").format(year=year - 1), _("Share")]
    sheet_rows = [sheet_head] + [
        [v.text if isinstance(v, Paragraph) else v.removeprefix("- ") if isinstance(v, str) else v for v in r]
        for r in rows[2:]]
    return [FormDoc(c.header(None), _("Summary table"),
                    _("Results of the review and quality rating of Party members, {year}").format(year=year),
                    body, c.sign(), c.recipients(),
                    sheet=(_("Summary {year}").format(year=year), sheet_rows, set()))]


def member_list(session, year: int, c: _Context | None = None) -> list[FormDoc]:
    """Danh sách đảng viên với mức xếp loại (đề nghị của chi bộ, quyết định của cấp trên)."""
    c = c or _context(session, year)
    scored = c.reg.scoring is not None
    head = [_("No."), _("Full name"), _("Date of birth")] + ([_("Points")] if scored else []) + [
        _("Branch proposes"), _("Committee decides"), _("Notes")]
    widths = [11, 42, 22] + ([13] if scored else []) + [20, 20, 37 if scored else 50]
    rows: list[list[Any]] = [head]
    sheet: list[list[Any]] = [[_("No."), _("Full name"), _("Date of birth"), _("Position"), _("Points"),
                               _("Branch proposes"), _("Committee decides"), _("Notes")]]
    for i, r in enumerate((r for r in c.review.rows if r.elig.counted), 1):
        note = r.elig.reason_text if not r.elig.rated else "; ".join(
            h.cap.label.split(" (")[0] for h in (r.limit.hits if r.limit else ()))
        score = format_number_vi(r.score) if r.score is not None else ""
        rows.append([i, r.full_name, format_date(r.elig.birth_date)] + ([score] if scored else []) + [
            r.proposed_level, r.decided_level, note])
        sheet.append([i, r.full_name, r.elig.birth_date, r.elig.position, r.score, c.level(r.proposed_level),
                      c.level(r.decided_level), note])
    tbl = table(rows, widths, numeric_cols=(3,) if scored else (), center_cols=(0, 2, 4, 5) if scored else (0, 2, 3, 4))
    legend = "; ".join(f"{k}: {c.level(k)}" for k in LEVEL_KEYS)
    body: list[Flowable] = [tbl, Spacer(1, 3 * mm), para(legend + ".")]
    return [FormDoc(c.header(None), _("List"),
                    _("Party members and their quality rating, {year}").format(year=year), body, c.sign(), [],
                    sheet=(_("Ratings {year}").format(year=year), sheet, {2}))]


def report(session, year: int, c: _Context | None = None) -> list[FormDoc]:
    """Báo cáo kiểm điểm tập thể chi bộ (the shape of Mẫu 01-HD KĐ.ĐG)."""
    c = c or _context(session, year)
    t = c.tally
    br = branch_review(session, year)
    body: list[Flowable] = [
        para(_("Carrying out {regulation} and the guidance {guidance}, {branch} reports the results of its review "
               "and quality rating for {year} as follows.").format(
            regulation=c.reg.title, guidance=c.reg.guidance_names, branch=c.branch_name, year=year)),
        heading(_("I. STRENGTHS AND RESULTS")), *_texts(br.strengths, 5),
        heading(_("II. SHORTCOMINGS AND THEIR CAUSES")),
        para(_("1. Shortcomings")), *_texts(br.weaknesses),
        para(_("2. Causes")), *_texts(br.causes),
        heading(_("III. REMEDYING THE SHORTCOMINGS POINTED OUT EARLIER")), *_texts(br.remedies),
        heading(_("IV. RESULTS OF THE MEMBERS' REVIEW AND RATING")),
        _numbers_paragraph(c, t), _levels_table(c, t), Spacer(1, 3 * mm), _chart(c, t),
        para(_quota_line(c, t)),
        para(_("Members disciplined in the year: {n}.").format(n=t.disciplined)),
        heading(_("V. DIRECTIONS AND MEASURES")), *_texts(br.directions),
        heading(_("VI. THE BRANCH'S SELF-ASSESSMENT")),
    ]
    rows: list[list[Any]] = [[_("No."), _("Criterion"), _("Maximum"), _("Self-score")]]
    for i, cr in enumerate(br.criteria, 1):
        rows.append([i, cr.name, cr.max_points, cr.points if cr.points is not None else ""])
    rows.append(["", _("Total"), br.max_points, br.self_score if br.self_score is not None else ""])
    body.append(table(rows, [12, 103, 25, 25], numeric_cols=(2, 3), center_cols=(0,)))
    body.append(Spacer(1, 3 * mm))
    if br.proposed_level:
        body.append(para(_("The branch proposes for itself the level: {level}.").format(level=c.level(br.proposed_level))))
    else:
        body.append(para(_("The branch proposes for itself the level:")))
        body.append(_DotLines(1))
    return [FormDoc(c.header("BC"), _("Report"),
                    _("Review and quality rating of the branch, {year}").format(year=year), body, c.sign(),
                    c.recipients(), corner=c.reg.collective_report.name)]


def minutes(session, year: int, c: _Context | None = None) -> list[FormDoc]:
    """Biên bản họp chi bộ kiểm điểm, đánh giá, xếp loại chất lượng đảng viên."""
    c = c or _context(session, year)
    t = c.tally
    counted = [r for r in c.review.rows if r.elig.counted]
    exempt = sum(1 for r in counted if r.elig.state.exempt)
    dots = "." * 12
    body: list[Flowable] = [
        para(_("At {dots} on {date}, at {place}, {branch} met to review and rate the quality of its members "
               "for {year}.").format(dots=dots, date=long_date(c.on), place="." * 30, branch=c.branch_name, year=year)),
        bullet(_("Chair: comrade {name}, secretary of the branch.").format(name=c.secretary or dots)),
        bullet(_("Minute-taker: comrade {dots}").format(dots="." * 40)),
        bullet(_("Members of the branch: {total} (full: {full}, probationary: {prob}); exempt from meetings: {exempt}.").format(
            total=t.members_total, full=t.full_members, prob=t.probationary, exempt=exempt)),
        bullet(_("Present: {dots}; absent: {dots} (with reason: {dots}; without reason: {dots}).").format(dots="." * 6)),
        heading(_("I. CONTENT")),
        para(_("Each member presented their personal self-review; the branch discussed it, commented and voted on "
               "the level to propose for each member. Only full members vote.")),
        heading(_("II. RESULTS OF THE VOTES")),
        para(_("The level the branch proposes for each member, with the votes in favour out of the full members "
               "voting:")),
    ]
    rows: list[list[Any]] = [[_("No."), _("Full name"), _("Self-assessed"), _("Branch proposes"), _("In favour"),
                              _("Against")]]
    for i, r in enumerate((r for r in counted if r.elig.rated), 1):
        rec = r.record
        votes_for = f"{rec.votes_for}/{rec.voters}" if rec and rec.votes_for is not None and rec.voters else ""
        rows.append([i, r.full_name, rec.self_level if rec else "", r.proposed_level, votes_for,
                     rec.votes_against if rec and rec.votes_against is not None else ""])
    body.append(table(rows, [11, 54, 25, 27, 25, 23], center_cols=(0, 2, 3, 4, 5)))
    body.append(Spacer(1, 2 * mm))
    not_rated = [r for r in counted if not r.elig.rated]
    if not_rated:
        body.append(para(_("Not rated this year:")))
        for r in not_rated:
            body.append(bullet(f"{r.full_name}: {r.elig.reason_text.lower()} ({r.elig.detail})."))
    body.append(heading(_("III. SUMMARY")))
    body.append(_numbers_paragraph(c, t))
    for k in LEVEL_KEYS:
        body.append(bullet(f"{c.level(k)}: {t.levels[k]} ({_pct(t.levels[k], t.assessed)})."))
    body.append(para(_quota_line(c, t)))
    body.append(para(_("The meeting ended at {dots} the same day; the minutes were read to the branch and adopted./.").format(
        dots=dots)))
    return [FormDoc(c.header("BB"), _("Minutes"),
                    _("Branch meeting to review and rate the quality of Party members, {year}").format(year=year),
                    body, [SignatureBlock([_("MINUTE-TAKER")], ""), SignatureBlock([_("CHAIR")], c.secretary)])]


def audience_of(position: str) -> str:
    """Which personal form fits a member, guessed from their position (the user may choose another)."""
    text = " " + fold(position) + " "
    if any(w in text for w in OUTSIDE_WORDS):
        return "outside_system"
    if any(f" {w}" in text for w in LEADER_WORDS):
        return "leader"
    return "no_post"


def self_reviews(session, year: int, c: _Context | None = None, member_ids: Sequence[int] | None = None,
                 audience: str | None = None) -> list[FormDoc]:
    """Bản kiểm điểm cá nhân: blank, pre-filled with each member's details, on the form of the year."""
    c = c or _context(session, year)
    rows = [r for r in c.review.rows if r.elig.counted and (member_ids is None or r.member_id in member_ids)]
    if member_ids is not None and len(rows) != len(set(member_ids)):
        raise UserError(_("Some of the members asked for are not in the branch's review of {year}.").format(year=year))
    docs = []
    for r in rows:
        form = c.reg.form_for(audience or audience_of(r.elig.position))
        body: list[Flowable] = [
            para(_("Full name: {name}").format(name=r.full_name), align="left"),
            para(_("Date of birth: {date}").format(date=format_date(r.elig.birth_date) or "." * 20), align="left"),
            para(_("Party post: {dots}").format(dots="." * 50), align="left"),
            para(_("Position, workplace: {position}").format(position=r.elig.position or "." * 50), align="left"),
            para(_("Member of: {branch}").format(branch=c.branch_name), align="left"),
        ]
        if not r.elig.rated:
            body.append(para(_("Note: not rated this year ({reason}, {detail}); the self-review is still written.").format(
                reason=r.elig.reason_text.lower(), detail=r.elig.detail), align="left"))
        roman = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
        for i, section in enumerate(c.reg.self_review_sections):
            body.append(heading(f"{roman[i]}. {section}"))
            if i == len(c.reg.self_review_sections) - 1:
                break
            body.append(_DotLines(4))
        if c.reg.scoring is not None:
            pts: list[list[Any]] = [[_("No."), _("Group of criteria"), _("Maximum"), _("Self-score")]]
            for n, cr in enumerate(c.reg.criteria, 1):
                pts.append([n, cr.name, cr.max_points, ""])
            pts.append(["", _("Total"), c.reg.scoring.max_points, ""])
            body.append(table(pts, [12, 103, 25, 25], numeric_cols=(2,), center_cols=(0,)))
            body.append(Spacer(1, 2 * mm))
        for k in LEVEL_KEYS:
            body.append(para(f"□  {c.level(k)}", align="left"))
        docs.append(FormDoc(c.header(None), form.title, _("Year {year}").format(year=year) + "\n" + form.subject,
                            body, [SignatureBlock([_("THE MEMBER")], r.full_name)], [], corner=form.name))
    return docs


FORMS: dict[str, Callable[..., list[FormDoc]]] = {
    "bieu-tong-hop": summary,
    "danh-sach": member_list,
    "bao-cao": report,
    "bien-ban": minutes,
    "ban-kiem-diem": self_reviews,
}
FORM_TITLES = {  # English msgids, shown translated
    "bieu-tong-hop": N_("Summary table of the ratings"),
    "danh-sach": N_("List of members with their levels"),
    "bao-cao": N_("The branch's review report (Mẫu 01)"),
    "bien-ban": N_("Minutes of the review meeting"),
    "ban-kiem-diem": N_("Blank personal self-reviews"),
}


# --- writing -----------------------------------------------------------------------------------

def _body_with_corner(doc: FormDoc) -> list[Flowable]:
    return ([_Corner(doc.corner)] if doc.corner else []) + list(doc.body)


def build(docs: Sequence[FormDoc], target: str | Path | IO[bytes]) -> None:
    """Write the documents to one PDF. One document goes through services.pdf.build_document; several
    are set one after the other, each starting on a new page with its own header and page numbers."""
    if len(docs) == 1:
        d = docs[0]
        build_document(str(target) if isinstance(target, Path) else target, d.header, d.title, d.subtitle,
                       _body_with_corner(d), d.signatures, d.recipients, margins_mm=MARGINS)
        return
    _build_many(docs, target)


def _build_many(docs: Sequence[FormDoc], target) -> None:
    # The layout helpers are those build_document uses, so every document looks the same either way.
    from xml.sax.saxutils import escape

    from reportlab.platypus import BaseDocTemplate, Frame, PageBreak, PageTemplate

    from ..pdf.layout import PAGE_NUMBER_SIZE, _closing, _header_table, _markup, _styles, upper_vi

    fonts = register_fonts()
    st = _styles()
    top, right, bottom, left = MARGINS
    doc = BaseDocTemplate(
        str(target) if isinstance(target, Path) else target, pagesize=A4, topMargin=top * mm,
        rightMargin=right * mm, bottomMargin=bottom * mm, leftMargin=left * mm,
        title=docs[0].subtitle or docs[0].title, author=docs[0].header.issuer, creator="Sổ chi bộ", invariant=1,
        lang="vi", initialFontName=fonts.regular,
    )

    def number(canvas, document):
        start = getattr(canvas, "_review_form_start", 1)
        page = canvas.getPageNumber() - start + 1
        if page < 2:
            return
        canvas.saveState()
        canvas.setFont(FAMILY, PAGE_NUMBER_SIZE)
        y = document.pagesize[1] - document.topMargin / 2 - PAGE_NUMBER_SIZE / 3
        canvas.drawCentredString(document.leftMargin + document.width / 2, y, str(page))
        canvas.restoreState()

    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="normal")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPageEnd=number)])
    story: list[Flowable] = []
    for i, d in enumerate(docs):
        if i:
            story.append(PageBreak())
        story.append(_FormStart())
        story += [c for c in _body_with_corner(d)[:1] if isinstance(c, _Corner)]
        story.append(_header_table(d.header, doc.width))
        story.append(Paragraph(escape(upper_vi(d.title)), st["title"]))
        if d.subtitle:
            story.append(Paragraph(_markup(d.subtitle, False), st["subtitle"]))
        story.append(Spacer(1, 8 * mm))
        body = list(d.body)
        if d.signatures or d.recipients:
            if body and isinstance(body[-1], Paragraph):
                body[-1].keepWithNext = 1
            body.append(_closing(d.signatures, d.recipients, doc.width))
        story += body
    doc.build(story)


def forms_for(session, year: int, form: str | None = None, member_ids: Sequence[int] | None = None,
              audience: str | None = None) -> list[tuple[str, list[FormDoc]]]:
    """(name, documents) of one form, or of all of them (the personal forms last)."""
    if form is not None and form not in FORMS:
        raise UserError(_("Unknown form {name}; the forms are: {names}.").format(name=form, names=", ".join(FORMS)))
    c = _context(session, year)
    names = [form] if form else list(FORMS)
    out = []
    for name in names:
        if name == "ban-kiem-diem":
            out.append((name, self_reviews(session, year, c, member_ids, audience)))
        else:
            out.append((name, FORMS[name](session, year, c)))
    return out


def write_year_end(session, year: int, out: str | Path, form: str | None = None,
                   member_ids: Sequence[int] | None = None, xlsx: bool = False,
                   audience: str | None = None) -> list[Path]:
    """Write the year-end forms to ``out`` (PDF); with ``xlsx``, the table forms also as workbooks
    beside it. Returns the files written."""
    from ..member_export import write_xlsx

    out = Path(out)
    if out.suffix.lower() != ".pdf":
        raise UserError(_("The output file must end in .pdf."))
    parts = forms_for(session, year, form, member_ids, audience)
    docs = [d for _name, ds in parts for d in ds]
    if not docs:
        raise UserError(_("There is nothing to print."))
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    build(docs, tmp)
    tmp.replace(out)
    written = [out]
    if xlsx:
        for name, ds in parts:
            for d in ds:
                if d.sheet:
                    title, rows, dates = d.sheet
                    path = out.with_name(f"{out.stem}-{name}.xlsx")
                    write_xlsx(path, title, rows, date_columns=dates)
                    written.append(path)
    return written
