"""The committee's summary of its branches: readable text, printed report (PDF) and workbook."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Spacer
from sqlalchemy.orm import Session

from .. import settings
from ..branch import header_parents, superior_committee
from ..errors import UserError
from ..i18n import _, format_number, format_pct, long_date
from ..pdf import (
    Annex,
    DocumentHeader,
    SignatureBlock,
    bar_chart,
    build_document,
    bullet,
    heading,
    para,
    table,
)
from .committee import COMMITTEE_SYMBOL, committee_tally, require_committee
from .source import LEVELS


def level_names(year: int) -> dict[str, str]:
    """The levels' wording as the regulation ``year`` falls under prints it (from its rule file)."""
    from ..review.rules import regulation_for

    reg = regulation_for(year)
    return {code: reg.level_name(code) for code in reg.level_codes}


def level_name(code: str | None, year: int) -> str:
    return level_names(year).get(code or "", "")


def _pct(value: float) -> str:
    return format_pct(value, 2)


def tally_text(t: dict[str, Any]) -> str:
    """The tally as a few readable Vietnamese lines (the `tally` command without --json)."""
    names = level_names(t["year"])
    lines = [_("{org}, year {year}").format(org=t["branch"], year=t["year"])]
    if "branches" in t:
        lines.append(_("Branches: {total}; sent their file: {sent}.").format(
            total=t["branches_total"], sent=t["branches_sent"]))
        for code in LEVELS:
            if t["collective_levels"][code]:
                lines.append("  " + _("Branches proposed \"{level}\": {n}").format(
                    level=names[code], n=t["collective_levels"][code]))
        if t["missing"]:
            lines.append(_("Not sent yet: {names}.").format(names=", ".join(t["missing"])))
        if t.get("held"):
            lines.append(_("Held, not counted until accepted (branches list): {names}.").format(
                names=", ".join(t["held"])))
    lines.append(_("Members: {total}; rated: {rated}; not rated: {not_rated}.").format(
        total=t["members_total"], rated=t["assessed"], not_rated=t["not_assessed"]))
    for reason, n in t["not_assessed_reasons"].items():
        lines.append(f"  - {reason}: {n}")
    for code in LEVELS:
        lines.append(f"  {names[code]} ({code}): {t['levels'][code]} ({_pct(t['percent'][code])})")
    lines.append(_quota_sentence(t))
    return "\n".join(lines)


def _quota_sentence(t: dict[str, Any]) -> str:
    q = t["quota"]
    n = t["levels"]["HTXSNV"]
    if q["ok"]:
        return _("HTXSNV: {n}, within the maximum of {max}.").format(n=n, max=q["max_HTXSNV"])
    return _("HTXSNV: {n}, {over} more than the maximum of {max}.").format(
        n=n, max=q["max_HTXSNV"], over=n - q["max_HTXSNV"])


def count(n: int) -> str:
    """A count in the report's sentences, written one way throughout: two digits under ten ("03 chi bộ",
    "07 đảng viên"), Vietnamese thousands above ("1.234")."""
    return f"{n:02d}" if 0 <= n < 10 else format_number(n)


def _branch_rows(t: dict[str, Any]) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for i, b in enumerate(t["branches"], 1):
        rows.append([i, b["branch"], b["members_total"], b["assessed"], b["not_assessed"],
                     *(b["levels"][k] for k in LEVELS), b["collective_level"] or "", b.get("decided_level") or ""])
    for j, name in enumerate(t["missing"], len(rows) + 1):
        rows.append([j, name, "", "", "", "", "", "", "", _("not sent"), ""])
    return rows


def _headers() -> list[str]:
    return ["STT", _("Branch"), _("Members"), _("Rated"), _("Not rated"), *LEVELS, _("Branch's proposed level"),
            _("Decided by the committee")]


def write_committee_report(session: Session, year: int, out: Path | str, on: dt.date | None = None) -> None:
    """The committee's summary for `year`, as PDF or .xlsx by the extension of `out`.

    The PDF is a report on A4 portrait, signed by the committee, with the table of the branches as an
    annex on A4 landscape (Phụ lục)."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in (".pdf", ".xlsx"):
        raise UserError(_("Unknown file type {suffix}: use .pdf or .xlsx.").format(suffix=out.suffix or "?"))
    committee = require_committee(session)
    t = committee_tally(session, year)
    if suffix == ".xlsx":
        _write_xlsx(out, t)
        return
    symbol = settings.get(session, COMMITTEE_SYMBOL.key)
    day = on or dt.date.today()
    number = "Số\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0-BC/" + symbol
    header = DocumentHeader(parents=header_parents(committee), issuer=committee.name, number=number,
                            place=committee.place, date=day)
    annex = Annex(_("Annex"), _("Results of the review and quality rating of the branches, year {year}").format(
        year=year), _annex_body(t), note=_("(Attached to report {number}, {date}, of the {committee})").format(
        number=number.removeprefix("Số").lstrip(" "), date=long_date(day), committee=committee.name),
        landscape=True)
    tmp = out.with_name(out.name + ".part")
    try:
        build_document(str(tmp), header, "Báo cáo",
                       _("Summary of the review and quality rating of Party members and branches, year {year}")
                       .format(year=year),
                       _pdf_body(t), signatures=[SignatureBlock(["T/M ĐẢNG ỦY", "BÍ THƯ"], committee.secretary)],
                       recipients=_recipients(committee), annexes=[annex])
        tmp.replace(out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UserError(_("Cannot write the file {path}: {error}").format(path=out, error=exc.strerror or exc)) \
            from exc


def _recipients(committee) -> list[str]:
    out = []
    if committee.parents:
        out.append(_("{body} (to report),").format(body=superior_committee(committee.parents[-1])))
    out.append(_("Branches under the committee,"))
    out.append(_("Filed."))
    return out


def _names_with(t: dict[str, Any], code: str, key: str = "collective_level") -> str:
    return ", ".join(b["branch"] for b in t["branches"] if b.get(key) == code)


def _pdf_body(t: dict[str, Any]) -> list:
    names = level_names(t["year"])
    body: list = [heading(_("I. BRANCHES"))]
    body.append(para(_("The Party organisation has {total} branches; {sent} of them have sent their results.")
                     .format(total=count(t["branches_total"]), sent=count(t["branches_sent"]))))
    decided = {k: sum(1 for b in t["branches"] if b.get("decided_level") == k) for k in LEVELS}
    for code in LEVELS:
        n = t["collective_levels"][code]
        if n:
            body.append(bullet(_("{n} branches proposed “{level}” ({names});").format(
                n=count(n), level=names[code], names=_names_with(t, code))))
    if t["collective_not_rated"]:
        body.append(bullet(_("{n} branches have not proposed a level yet.").format(n=count(t["collective_not_rated"]))))
    if any(decided.values()):
        body.append(para(_("The committee decided:")))
        for code in LEVELS:
            if decided[code]:
                body.append(bullet(_("“{level}”: {n} branches ({names});").format(
                    level=names[code], n=count(decided[code]),
                    names=_names_with(t, code, "decided_level"))))
    if t["missing"]:
        body.append(para(_("Branches that have not sent their results: {names}.").format(names=", ".join(t["missing"]))))
    body.append(heading(_("II. PARTY MEMBERS")))
    reasons = "; ".join(f"{r.lower()}: {count(n)}" for r, n in t["not_assessed_reasons"].items())
    body.append(para(_("Party members at the time of the review: {total}; members eligible for rating: {rated}; "
                       "not rated: {not_rated}{reasons}. Of those rated:").format(
        total=count(t["members_total"]), rated=count(t["assessed"]),
        not_rated=count(t["not_assessed"]), reasons=f" ({reasons})" if reasons else "")))
    for code in LEVELS:
        body.append(bullet(_("“{level}”: {n} members, {pct};").format(
            level=names[code], n=count(t["levels"][code]), pct=_pct(t["percent"][code]))))
    body.append(Spacer(1, 2 * mm))
    body.append(bar_chart([names[k] for k in LEVELS], [t["levels"][k] for k in LEVELS], 150, 55))
    body.append(Spacer(1, 2 * mm))
    q = t["quota"]
    share = format_number(round(q.get("share", 0.2) * 100, 2))
    if q["ok"]:
        body.append(para(_("Members rated “{best}”: {n}, within the maximum of {max} ({share}% of the {httnv} members "
                           "rated “{good}”).").format(
            n=count(t["levels"]["HTXSNV"]), max=count(q["max_HTXSNV"]), share=share, httnv=count(t["levels"]["HTTNV"]),
            best=names["HTXSNV"], good=names["HTTNV"])))
    else:
        body.append(para(_("Members proposed “{best}”: {n}, {over} more than the maximum of {max} ({share}% of the "
                           "{httnv} members rated “{good}”); the committee must reduce the number when it decides.")
                         .format(n=count(t["levels"]["HTXSNV"]), max=count(q["max_HTXSNV"]), share=share,
                                 httnv=count(t["levels"]["HTTNV"]), over=count(t["levels"]["HTXSNV"] - q["max_HTXSNV"]),
                                 best=names["HTXSNV"], good=names["HTTNV"])))
    body.append(para(_("The results of each branch are in the annex.")))
    return body


def _annex_body(t: dict[str, Any]) -> list:
    names = level_names(t["year"])
    rows: list[list[Any]] = [_headers(), *_branch_rows(t)]
    rows.append(["", _("Total"), t["members_total"], t["assessed"], t["not_assessed"],
                 *(t["levels"][k] for k in LEVELS), "", ""])
    rows.append(["", _("Share of those rated"), "", "", "", *(_pct(t["percent"][k]) for k in LEVELS), "", ""])
    tbl = table(rows, [13, 62, 19, 19, 19, 20, 20, 20, 20, 24, 26], numeric_cols=(2, 3, 4, 5, 6, 7, 8),
                center_cols=(0, 9, 10))
    legend = "; ".join(f"{k}: {names[k].lower()}" for k in LEVELS)
    return [tbl, Spacer(1, 2 * mm), para(legend[:1].upper() + legend[1:] + ".", align="left")]


def _write_xlsx(out: Path, t: dict[str, Any]) -> None:
    from ..member_export import write_xlsx

    rows: list[list[Any]] = [_headers()]
    for r in _branch_rows(t):
        rows.append([None if v == "" else v for v in r])
    rows.append([None, _("Total"), t["members_total"], t["assessed"], t["not_assessed"],
                 *(t["levels"][k] for k in LEVELS), None, None])
    rows.append([None, _("Share of those rated (%)"), None, None, None, *(t["percent"][k] for k in LEVELS), None,
                 None])
    rows.append([None, _quota_sentence(t), *([None] * 9)])
    write_xlsx(out, _("Summary {year}").format(year=t["year"]), rows,
               widths=[6, 40, 12, 12, 12, 10, 10, 10, 10, 22, 22])
