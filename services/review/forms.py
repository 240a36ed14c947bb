"""Printed forms of the year-end review (PDF in the Party document layout; tables also as .xlsx).

* ``bieu-tong-hop`` — biểu tổng hợp kết quả đánh giá, xếp loại chất lượng đảng viên (with last year);
* ``danh-sach`` — danh sách đảng viên và mức xếp loại (proposal and decision, reasons not rated);
* ``bao-cao`` — báo cáo kiểm điểm tập thể chi bộ, Mẫu 01-HD KĐ.ĐG: the template's parts in its order,
  the branch's texts, the self-assessment; the members' tally and chart in an annex (Phụ lục);
* ``bien-ban`` — biên bản họp chi bộ kiểm điểm, đánh giá, xếp loại: the date, attendance and votes of the
  meeting recorded for the review, the votes on each member, on the report and on the branch's level;
* ``ban-kiem-diem`` — a blank bản kiểm điểm cá nhân pre-filled with a member's details, on the form the
  member's stated attributes choose (Mẫu 02 / 02A / 02B / 2A / 2B / 2C); none for exempt or suspended members.

Fixed wording of a regulation or a template (form names, levels, the parts of each form, the documents
cited) comes from the rule files and ``resources/templates/review_forms.json``; the rest is the program's
wording, translated through the catalog. What the program is not sure of never appears on a paper.
"""
from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, cast

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from .. import settings as settings_mod
from ..branch import get_branch, header_parents, report_recipients
from ..errors import UserError, ValidationError
from ..i18n import N_, _, format_date, long_date
from ..paths import data_dir, resources_dir
from ..pdf import (
    Annex,
    Document,
    DocumentHeader,
    SignatureBlock,
    bar_chart,
    build_documents,
    bullet,
    format_number_vi,
    format_percent_vi,
    heading,
    para,
    table,
)
from ..pdf.fonts import FAMILY, register_fonts
from ..pdf.layout import escape
from .eligibility import review_date
from .frameworks import PersonalForm, personal_form_for
from .meeting import ReviewMeeting, collective_votes, review_meeting, vote_problems
from .rules import Regulation, regulation_for
from .service import BranchReview, YearReview, branch_review, year_review
from .tally import LEVEL_KEYS, Tally, tally

NBSP = "\u00a0"
MARGINS = (20, 15, 20, 30)  # top, right, bottom, left (mm), as services.pdf.build_document


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
    annexes: list[Annex] = field(default_factory=list)  # phụ lục, each from a new page
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


# --- the fixed wording of the forms (resources/templates/review_forms.json) -------------------------

WORDING_FILE = "review_forms.json"


def _wording_path() -> Path:
    own = data_dir() / "templates" / WORDING_FILE
    return own if own.is_file() else resources_dir() / "templates" / WORDING_FILE


@functools.lru_cache(maxsize=4)
def _load_wording(path: Path, stamp: float) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UserError(_("The forms template {path} is missing or damaged.").format(path=path)) from exc


@dataclass(frozen=True)
class Wording:
    """The fixed wording of one regulation's forms: the documents cited, the report's parts, the
    personal forms' parts by form code."""

    data: dict[str, Any]
    reg_code: str

    @property
    def _reg(self) -> dict[str, Any]:
        regs = self.data.get("regulations", {})
        if self.reg_code not in regs:
            raise UserError(_("The forms template has no wording for {code}.").format(code=self.reg_code))
        return regs[self.reg_code]

    def part(self, name: str) -> dict[str, Any]:
        ref = self._reg.get(name, name)
        return self.data[ref] if isinstance(ref, str) else ref

    @property
    def basis(self) -> list[str]:
        return list(self._reg.get("basis", []))

    @property
    def report(self) -> dict[str, Any]:
        return self.part("report")

    @property
    def self_assessment_title(self) -> str:
        return self._reg.get("report_self_assessment", "")

    def personal(self, form_code: str) -> dict[str, Any] | None:
        ref = self._reg.get("personal", {}).get(form_code)
        return self.data[ref] if isinstance(ref, str) else ref

    @property
    def personal_common(self) -> dict[str, Any]:
        return self.data.get("personal_common", {})


def wording(reg: Regulation) -> Wording:
    path = _wording_path()
    return Wording(_load_wording(path, path.stat().st_mtime if path.exists() else 0.0), reg.code)


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
    recipients_list: list[str]
    words: Wording
    session: Any = field(default=None, repr=False)
    full_review: YearReview | None = field(default=None, repr=False)  # with the members who left
    given_tally: Tally | None = field(default=None, repr=False)       # the caller's, when it has one

    @functools.cached_property
    def tally(self) -> Tally:
        """The year's tally (with last year's): the caller's, or computed when a form first needs it, from
        the review already loaded."""
        if self.given_tally is not None:
            return self.given_tally
        return tally(self.session, self.year, review=self.full_review)

    @functools.cached_property
    def meeting(self) -> ReviewMeeting | None:
        return review_meeting(self.session, self.year)

    def header(self, kind: str | None, on: dt.date | None = None) -> DocumentHeader:
        return DocumentHeader(parents=self.parents, issuer=self.branch_name, number=self.number(kind) if kind else None,
                              place=self.place, date=on or self.on)

    def number(self, kind: str) -> str:
        return f"Số {NBSP * 6}-{kind}/{self.symbol}"

    def level(self, code: str) -> str:
        return self.reg.level_name(code) if code else ""

    def sign(self) -> list[SignatureBlock]:
        return [SignatureBlock(["T/M CHI BỘ", "BÍ THƯ"], self.secretary)]

    def recipients(self) -> list[str]:
        return list(self.recipients_list)


def _context(session, year: int, review: YearReview | None = None, year_tally: Tally | None = None) -> _Context:
    branch = get_branch(session)
    if branch is None:
        raise UserError(_("Enter the branch's details first (File, Branch details)."))
    if review is not None and review.year != year or year_tally is not None and year_tally.year != year:
        raise ValueError(f"the review or tally given is not of {year}")
    full = review if review is not None else year_review(session, year)
    counted = YearReview(full.year, full.regulation, full.review_date, full.closed_at,
                         [r for r in full.rows if r.elig.counted], full.quota)
    reg = regulation_for(year)
    return _Context(
        year=year, reg=reg, review=counted, branch_name=branch.name,
        parents=header_parents(branch), place=branch.place, secretary=branch.secretary,
        symbol=settings_mod.get(session, settings_mod.DOCUMENT_SYMBOL.key), on=review_date(session, year),
        recipients_list=report_recipients(session, branch), words=wording(reg),
        session=session, full_review=full, given_tally=year_tally,
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


def quota_rule(c: _Context) -> str:
    """The quota as a paper states it: the share, and the document only when the rule is confirmed in it
    (an unconfirmed value is a setting of the program, never cited as if the regulation said it)."""
    q = c.reg.quota
    share = format_percent_vi(q.share * 100, 0)
    if q.confidence == "C" and q.ref.doc:
        return _("{share}, {cite}").format(share=share, cite=q.ref.cite())
    return share


def _quota_line(c: _Context, t: Tally) -> str:
    text = _("Members rated “{best}” are {pct} of those rated “{good}”; with the share of {rule}, at most {max} "
             "may be rated “{best}”.").format(
        best=c.level("HTXSNV"), good=c.level("HTTNV"), pct=_share(t.htxsnv_of_httnv), max=t.quota_max,
        rule=quota_rule(c))
    if not t.quota_ok:
        text += " " + _("The number proposed is over the quota; the committee applies it.")
    return text


def _keep_with_next(*flowables: Flowable) -> list[Flowable]:
    for f in flowables:
        f.keepWithNext = 1
    return list(flowables)


# --- the forms ---------------------------------------------------------------------------------

def summary(session, year: int, c: _Context | None = None) -> list[FormDoc]:
    """Biểu tổng hợp kết quả đánh giá, xếp loại chất lượng đảng viên (one page)."""
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
    spans: list[tuple] = [("SPAN", (2, 0), (3, 0)), ("SPAN", (0, 0), (0, 1)), ("SPAN", (1, 0), (1, 1)),
                          ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]
    if prev:
        spans.append(("SPAN", (4, 0), (5, 0)))
    for r in range(first_wide, len(rows)):
        spans.append(("SPAN", (2, r), (-1, r)))
    _span(tbl, spans)
    body: list[Flowable] = [tbl, Spacer(1, 2 * mm)]
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
                    _("Party members and their quality rating, {year}").format(year=year), body, c.sign(),
                    c.recipients(), sheet=(_("Ratings {year}").format(year=year), sheet, {2}))]


def _band_note(c: _Context, br: BranchReview) -> str:
    """When the self-score is in a higher band than the level proposed: which of the band's conditions the
    branch does not meet (the paper must say why the level is lower than the points)."""
    scoring = c.reg.collective.scoring
    if scoring is None or br.self_score is None or not br.proposed_level:
        return ""
    band = scoring.band_for(br.self_score)
    if c.reg.rank(br.proposed_level) >= c.reg.rank(band.level):
        return ""
    from .service import branch_condition_failures, leadership_discipline

    failures = branch_condition_failures(c.reg, band.level, br.flags, leadership_discipline(c.session, c.year, c.reg))
    if not failures:
        return ""
    unmet = [f.text for f in failures]
    message = _("The self-score of {score} points is in the band of “{band}” ({label}), but the branch does not "
                "meet the condition: {conditions}; it therefore proposes “{level}”.")
    return message.format(score=format_number_vi(br.self_score), band=c.level(band.level), label=band.label.lower(),
                          conditions="; ".join(t[:1].lower() + t[1:] for t in unmet),
                          level=c.level(br.proposed_level))


def _self_assessment(c: _Context, br: BranchReview) -> list[Flowable]:
    out: list[Flowable] = []
    rows: list[list[Any]] = [[_("No."), _("Criterion"), _("Maximum"), _("Self-score")]]
    for i, cr in enumerate(br.criteria, 1):
        rows.append([i, cr.name, cr.max_points, cr.points if cr.points is not None else ""])
    rows.append(["", _("Total"), br.max_points, br.self_score if br.self_score is not None else ""])
    if c.reg.collective.scoring is not None or any(cr.points is not None for cr in br.criteria):
        out += [table(rows, [12, 103, 25, 25], numeric_cols=(2, 3), center_cols=(0,)), Spacer(1, 3 * mm)]
    note = _band_note(c, br)
    if note:
        out.append(para(note))
    if br.proposed_level:
        out.append(para(_("The branch proposes for itself the level: {level}.").format(level=c.level(br.proposed_level))))
    else:
        out.append(para(_("The branch proposes for itself the level:")))
        out.append(_DotLines(1))
    return out


def report(session, year: int, c: _Context | None = None) -> list[FormDoc]:
    """Báo cáo kiểm điểm tập thể chi bộ, Mẫu 01-HD KĐ.ĐG: the template's parts in its order, the documents
    cited in full, the self-assessment; the members' tally and chart in an annex."""
    c = c or _context(session, year)
    t = c.tally
    br = branch_review(session, year)
    w = c.words.report
    fill = {"branch": c.branch_name, "year": str(year), "self_assessment": c.words.self_assessment_title}
    basis = c.words.basis
    body: list[Flowable] = [para(_("Carrying out {documents}, {branch} reports the results of its review and quality "
                                   "rating for {year} as follows:").format(
        documents="; ".join(basis), branch=c.branch_name, year=year))]
    none = w.get("none", "")

    def texts(key: str, optional: bool) -> list[Flowable]:
        value = getattr(br, key, "") or ""
        if not value.strip() and optional and none:
            return [para(none)]
        return _texts(value, 5 if key == "strengths" else 3)

    for section in w["sections"]:
        title = section["title"].format(**fill)
        optional = "(NẾU CÓ)" in title.upper()
        body.append(heading(title))
        key = section.get("key")
        if key == "self_assessment":
            # the self-assessment, its table and the level stay together with the signature
            body += _keep_with_next(body.pop(), *_self_assessment(c, br))
        elif key:
            body += texts(key, optional)
            if key == "strengths" and w.get("annex_reference"):
                body.append(para(w["annex_reference"].format(**fill)))
        for item in section.get("items", []):
            body.append(heading(item["title"].format(**fill)))
            if item.get("key"):
                body += texts(item["key"], optional)
    number = c.number("BC")
    annex_body: list[Flowable] = [
        _numbers_paragraph(c, t), _levels_table(c, t), Spacer(1, 3 * mm), _chart(c, t), Spacer(1, 2 * mm),
        para(_quota_line(c, t)), para(_("Members disciplined in the year: {n}.").format(n=t.disciplined)),
    ]
    annex = Annex(w.get("annex_title", ""), w.get("annex_subject", "").format(**fill), annex_body,
                  note=w.get("annex_note", "").format(number=f"{number.removeprefix('Số ')}, {long_date(c.on)}",
                                                      **fill))
    return [FormDoc(c.header("BC"), w.get("title", _("Report")), w.get("subject", "").format(**fill), body, c.sign(),
                    c.recipients(), corner=c.reg.collective_report.name, annexes=[annex])]


def _attendance_bullets(c: _Context) -> list[Flowable]:
    """Who attended the review meeting, as recorded in the meetings area; lines to fill in without one."""
    t = c.tally
    rm = c.meeting
    if rm is None:
        counted = [r for r in c.review.rows if r.elig.counted]
        exempt = sum(1 for r in counted if r.elig.state.exempt)
        return [
            bullet(_("Members of the branch: {total} (full: {full}, probationary: {prob}); exempt from meetings: "
                     "{exempt}.").format(total=t.members_total, full=t.full_members, prob=t.probationary,
                                         exempt=exempt)),
            bullet(_("Present: {dots}; absent: {dots} (with reason: {dots}; without reason: {dots}).").format(
                dots="." * 6)),
        ]
    from ..meetings.printing import attendance_lines, temporary_names
    from ..meetings.rules import QUORUM_SHARE

    share = settings_mod.get(c.session, QUORUM_SHARE.key)
    return [bullet(line) for line in attendance_lines(rm.roster, rm.tally, share, temporary_names(rm.meeting))]


def minutes(session, year: int, c: _Context | None = None) -> list[FormDoc]:
    """Biên bản họp chi bộ kiểm điểm, đánh giá, xếp loại chất lượng: the meeting recorded for the review (its
    date, times, place, chair, minute-taker, attendance), the votes on each member among the full members
    present, and the items and votes on the collective report and the branch's proposed level."""
    from ..meetings.records import spoken_time

    c = c or _context(session, year)
    problems = vote_problems(session, year)
    if problems:
        raise ValidationError([_("The minutes of the review cannot be printed until the votes agree with the "
                                 "meeting:"), *problems])
    t = c.tally
    rm = c.meeting
    dots = "." * 12
    counted = [r for r in c.review.rows if r.elig.counted]
    br = branch_review(session, year)
    if rm is not None:
        m = rm.meeting
        on = m.date
        intro = _("At {start} on {date}, at {place}, {branch} met to review and rate the quality of the collective and "
                  "of its members for {year}.").format(start=spoken_time(m.start_time) or dots, date=long_date(m.date),
                                                       place=m.place or "." * 30, branch=c.branch_name, year=year)
        chair = ", ".join(x for x in (m.chair_name, m.chair_title) if x) or dots
        taker = ", ".join(x for x in (m.secretary_name, m.secretary_title) if x) or "." * 40
        end = spoken_time(m.end_time) or dots
        chair_name, taker_name = m.chair_name, m.secretary_name
        voters: int | None = rm.voters
    else:
        on = c.on
        intro = _("At {start} on {date}, at {place}, {branch} met to review and rate the quality of the collective and "
                  "of its members for {year}.").format(start=dots, date=long_date(c.on), place="." * 30,
                                                       branch=c.branch_name, year=year)
        chair, taker, end = (f"{c.secretary}, " + _("secretary of the branch")) if c.secretary else dots, "." * 40, dots
        chair_name, taker_name, voters = c.secretary, "", None
    body: list[Flowable] = [para(intro), bullet(_("Presiding: comrade {who}.").format(who=chair)),
                            bullet(_("Minute-taker: comrade {who}.").format(who=taker))]
    if rm is not None and rm.meeting.representative:
        body.append(bullet(_("Representing the superior committee: {who}.").format(
            who=rm.meeting.representative.rstrip("."))))
    body += _attendance_bullets(c)
    base = (_("Votes are counted among the {n} full members present.").format(n=voters) if voters is not None
            else _("Only full members vote."))
    votes = collective_votes(session, year)

    def vote_text(topic: str) -> str:
        v = votes.get(topic)
        if v is None or voters is None:
            return _("Votes in favour: {dots}/{dots}; against: {dots}.").format(dots="." * 6)
        return _("Votes in favour: {n}/{voters} full members present ({pct}); against: {against}; other opinions: "
                 "{other}.").format(n=v.votes_for, voters=voters, pct=_pct(v.votes_for, voters), against=v.against,
                                    other=v.other)

    body += [
        heading(_("I. THE COLLECTIVE'S REVIEW")),
        para(_("The branch committee presented the collective's review report for {year}; the branch discussed it and "
               "voted to adopt it.").format(year=year)),
        bullet(vote_text("report")),
        para(_("The level the branch proposes for itself: {level}.").format(
            level=c.level(br.proposed_level) or dots) + " " + (
            _("Self-score: {score}/{max} points.").format(score=format_number_vi(br.self_score),
                                                         max=format_number_vi(br.max_points))
            if br.self_score is not None and c.reg.collective.scoring is not None else "")),
        bullet(vote_text("level")),
        heading(_("II. THE MEMBERS' REVIEW AND RATING")),
        para(_("Each member presented their personal self-review; the branch discussed it, commented and voted on the "
               "level to propose for each member.") + " " + base),
    ]
    rows: list[list[Any]] = [[_("No."), _("Full name"), _("Self-assessed"), _("Branch proposes"), _("In favour"),
                              _("Against")]]
    for i, r in enumerate((r for r in counted if r.elig.rated), 1):
        rec = r.record
        n = voters if voters is not None else (rec.voters if rec else None)
        votes_for = f"{rec.votes_for}/{n}" if rec and rec.votes_for is not None and n else ""
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
    body.append(para(_("The meeting ended at {end} the same day; the minutes were read to the branch and "
                       "adopted./.").format(end=end)))
    return [FormDoc(c.header("BB", on), _("Minutes"),
                    _("Branch meeting to review and rate the quality of the collective and of Party members, {year}")
                    .format(year=year),
                    body, [SignatureBlock([_("MINUTE-TAKER")], taker_name), SignatureBlock([_("CHAIR")], chair_name)],
                    c.recipients())]


def _writes_self_review(row) -> bool:
    """Rated members, and those not rated who still write a self-review (newly admitted or transferred in);
    exempt and suspended members write none."""
    if row.elig.rated:
        return True
    return row.elig.reason in ("new_admission", "new_transfer") and row.elig.self_review


def self_reviews(session, year: int, c: _Context | None = None, member_ids: Sequence[int] | None = None,
                 audience: str | None = None) -> list[FormDoc]:
    """Bản kiểm điểm cá nhân: blank, pre-filled with each member's details, on the form the member's stated
    attributes choose (``audience`` forces one: "no_post", "leader", "outside_system")."""
    c = c or _context(session, year)
    rows = [r for r in c.review.rows if r.elig.counted and (member_ids is None or r.member_id in member_ids)]
    if member_ids is not None and len(rows) != len(set(member_ids)):
        raise UserError(_("Some of the members asked for are not in the branch's review of {year}.").format(year=year))
    refused = [r for r in rows if not _writes_self_review(r)]
    if member_ids is not None and refused:
        raise ValidationError([_("Comrade {name} writes no self-review this year: {reason}.").format(
            name=r.full_name, reason=r.elig.reason_text.lower()) for r in refused])
    rows = [r for r in rows if _writes_self_review(r)]
    choices = {r.member_id: (c.reg.form_for(audience) if audience else personal_form_for(cast(Any, r.elig), c.reg)) for r in rows}
    undecided = [PersonalForm.note(choice, r.full_name) for r in rows
                 if isinstance(choice := choices[r.member_id], PersonalForm) and not choice.decided]
    if undecided:
        raise ValidationError(undecided)
    common = c.words.personal_common
    fields = common.get("fields", {})
    docs = []
    for r in rows:
        choice = choices[r.member_id]
        form = choice.form if isinstance(choice, PersonalForm) else choice
        assert form is not None
        layout = c.words.personal(form.code) or {"sections": [{"title": s} for s in c.reg.self_review_sections]}
        position = r.elig.position if r.elig.in_political_system is not False else ""
        lines = [
            (fields.get("name", ""), r.full_name),
            (fields.get("birth", ""), format_date(r.elig.birth_date)),
            (fields.get("party_post", ""), r.elig.party_post or "Đảng viên"),
        ]
        if form.audience != "outside_system":
            lines.append((fields.get("position", ""), position))
        lines.append((fields.get("branch", ""), c.branch_name))
        body: list[Flowable] = [
            para(f"{label}: {value or '.' * 50}", align="left") for label, value in lines if label]
        if not r.elig.rated:
            body.append(para(_("Note: not rated this year ({reason}, {detail}); the self-review is still written.").format(
                reason=r.elig.reason_text.lower(), detail=r.elig.detail), align="left"))
        sections = layout["sections"]
        for i, section in enumerate(sections):
            last = i == len(sections) - 1
            title = heading(section["title"])
            if section.get("key") == "self_rating" or last:
                body += _keep_with_next(title, *_self_rating(c, common))
                continue
            items = section.get("items", [])
            body.append(title)
            # room to write by hand, as much as keeps the form on two sheets (more may be attached)
            for item in items:
                body.append(heading(item))
                body.append(_DotLines(2, 7 * mm))
            if not items:
                body.append(_DotLines(3 if len(sections) <= 6 else 2, 7 * mm))
        docs.append(FormDoc(DocumentHeader([], "", None, c.place, None), form.title,
                            _("Year {year}").format(year=year) + "\n" + form.subject, body,
                            [SignatureBlock([common.get("signature", _("THE MEMBER"))], r.full_name, space_mm=16,
                                            note=common.get("signature_note", ""))], [], corner=form.name))
    return docs


def _self_rating(c: _Context, common: dict[str, Any]) -> list[Flowable]:
    """The self-score (a points scale) and the levels to tick, as one block kept with the signature."""
    out: list[Flowable] = []
    if c.reg.scoring is not None:
        pts: list[list[Any]] = [[_("No."), _("Group of criteria"), _("Maximum"), _("Self-score")]]
        for n, cr in enumerate(c.reg.criteria, 1):
            pts.append([n, cr.name, cr.max_points, ""])
        pts.append(["", _("Total"), c.reg.scoring.max_points, ""])
        out.append(table(pts, [12, 103, 25, 25], numeric_cols=(2,), center_cols=(0,)))
        out.append(Spacer(1, 2 * mm))
    out.append(para(common.get("rating_line", ""), align="left"))
    # the four levels to tick, two a line
    boxes = [para(f"□&nbsp;&nbsp;{escape(c.level(k))}", markup=True, align="left") for k in LEVEL_KEYS]
    grid = Table([boxes[:2], boxes[2:]], colWidths=[82 * mm, 82 * mm], hAlign="LEFT")
    grid.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FAMILY), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                              ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
    out.append(grid)
    return out


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
    """Write the documents to one PDF, each from a new page with its own header and page numbers."""
    build_documents(str(target) if isinstance(target, Path) else target,
                    [Document(d.header, d.title, d.subtitle, _body_with_corner(d), d.signatures, d.recipients,
                              d.annexes) for d in docs], margins_mm=MARGINS)


# The papers the branch sends up with its file (the personal self-reviews are written by hand and stay).
SUBMITTED_FORMS = ("bieu-tong-hop", "danh-sach", "bao-cao", "bien-ban")


def forms_for(session, year: int, form: str | None = None, member_ids: Sequence[int] | None = None,
              audience: str | None = None, forms: Sequence[str] | None = None, review: YearReview | None = None,
              year_tally: Tally | None = None) -> list[tuple[str, list[FormDoc]]]:
    """(name, documents) of one form, of the ``forms`` named, or of all of them (the personal forms last).

    ``review``: the year's ``year_review(session, year)`` (with the members who left) and ``year_tally``
    its ``tally(session, year)``, when the caller already has them (the review page shows both), so that
    they are not computed again; they must be of the data as it is now."""
    for name in [form] if form is not None else list(forms or ()):
        if name not in FORMS:
            raise UserError(_("Unknown form {name}; the forms are: {names}.").format(name=name, names=", ".join(FORMS)))
    c = _context(session, year, review, year_tally)
    names = [form] if form else [n for n in FORMS if forms is None or n in forms]
    out = []
    for name in names:
        if name == "ban-kiem-diem":
            out.append((name, self_reviews(session, year, c, member_ids, audience)))
        else:
            out.append((name, FORMS[name](session, year, c)))
    return out


def write_year_end(session, year: int, out: str | Path, form: str | None = None,
                   member_ids: Sequence[int] | None = None, xlsx: bool = False,
                   audience: str | None = None, forms: Sequence[str] | None = None, review: YearReview | None = None,
                   year_tally: Tally | None = None) -> list[Path]:
    """Write the year-end forms to ``out`` (PDF); with ``xlsx``, the table forms also as workbooks
    beside it. Returns the files written. ``review``, ``year_tally``: see `forms_for` (the review page
    hands over the review and tally it shows instead of having them computed again)."""
    from ..member_export import write_xlsx

    out = Path(out)
    if out.suffix.lower() != ".pdf":
        raise UserError(_("The output file must end in .pdf."))
    parts = forms_for(session, year, form, member_ids, audience, forms, review, year_tally)
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
