"""Importing a year's ratings from a spreadsheet (.xlsx) or a .csv file, all or nothing.

Columns (headers matched without regard to case or marks): "Họ và tên"; "Ngày sinh" and/or
"Số thẻ đảng viên" to tell namesakes apart; "Xếp loại" (full words or HTXSNV / HTTNV / HTNV /
KHTNV); optional "Điểm", "Ghi chú", "Đủ điều kiện" (Có / x: the branch confirms the conditions of
the level, QĐ 366 Điều 11, QĐ 124, HD 21 2.3.a) and "Số quyết định" (with --decision: the superior's
document, which lets it set a level whose conditions are not confirmed). Every row that breaks a
rule (unknown member, member not rated this year, a level the rules forbid for that member, a level
whose conditions are not confirmed) is listed with its reason and nothing is written. A quota
overflow is not an error: it comes back as a warning.
"""
from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from ..errors import UserError, ValidationError
from ..i18n import _, format_date, parse_date
from ..legacy_text import fix_legacy_column
from ..member_import import yes_no_cell
from ..vntext import clean_name, fold, nfc
from .engine import CONDITION_PREFIX, framework_of, level_conditions
from .service import ReviewInput, check_review, ensure_open, records, save_many, year_review

HEADERS = {
    "name": ("ho va ten", "ho ten", "ho va ten dang vien"),
    "birth": ("ngay sinh", "ngay thang nam sinh", "sinh ngay"),
    "card": ("so the dang vien", "so the", "so the dv", "the dang vien"),
    "level": ("xep loai", "muc xep loai", "xep loai chat luong", "ket qua xep loai"),
    "score": ("diem", "tong diem", "diem danh gia"),
    "note": ("ghi chu", "nhan xet"),
    "conditions": ("du dieu kien", "da xac nhan dieu kien", "xac nhan dieu kien", "dieu kien",
                   "dat dieu kien", "dap ung dieu kien"),
    "decision_ref": ("so quyet dinh", "quyet dinh so", "so van ban", "so thong bao", "can cu"),
}


@dataclass
class ImportResult:
    count: int
    warnings: list[str] = field(default_factory=list)


def read_table(path: Path) -> list[list[Any]]:
    """The cells of the first sheet (xlsx) or of the csv (UTF-8 with or without BOM, ',' or ';')."""
    suffix = path.suffix.lower()
    if not path.exists():
        raise UserError(_("There is no file {path}.").format(path=path))
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        try:
            wb = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # a damaged or foreign file
            raise UserError(_("Cannot read the workbook {path}: {error}").format(path=path.name, error=exc)) from exc
        try:
            from ..member_import import sheet_rows

            return sheet_rows(wb.worksheets[0], path.name)  # within the used cells, whatever size is declared
        finally:
            wb.close()
    if suffix == ".csv":
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1258", errors="replace")
        sample = text[:4096]
        delimiter = ";" if sample.count(";") > sample.count(",") else ","
        return [row for row in csv.reader(text.splitlines(), delimiter=delimiter)]
    raise UserError(_("Unknown file type {suffix}: use .xlsx or .csv.").format(suffix=path.suffix or "?"))


def _header_map(row: list[Any]) -> dict[str, int]:
    found: dict[str, int] = {}
    for i, cell in enumerate(row):
        key = fold(str(cell or "")).replace(":", "").strip()
        for field_name, names in HEADERS.items():
            if key in names and field_name not in found:
                found[field_name] = i
    return found


def _find_header(table: list[list[Any]]) -> tuple[int, dict[str, int]]:
    """The header row may come after a title or two."""
    for i, row in enumerate(table[:10]):
        cols = _header_map(row)
        if "name" in cols and "level" in cols:
            return i, cols
    raise ValidationError(_("The file needs the columns “Họ và tên” and “Xếp loại”, and “Ngày sinh” or "
                            "“Số thẻ đảng viên”."))


def _cell_date(value: Any) -> dt.date | None | str:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    parsed = parse_date(str(value))
    return parsed if parsed else str(value)


def _cell_number(value: Any) -> float | None | str:
    if value in (None, ""):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    text = str(value).strip().replace(" ", "")
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return str(value)


def import_ratings(session: Session, year: int, path: Path | str, stage: str = "proposal") -> ImportResult:
    """Record the levels of ``year`` from the file, as the branch's proposals (or the committee's
    decisions with ``stage="decision"``). All or nothing: raises ValidationError listing every bad row."""
    from ..members import all_members

    path = Path(path)
    ensure_open(session, year)
    table = read_table(path)
    head, cols = _find_header(table)
    if "birth" not in cols and "card" not in cols:
        raise ValidationError(_("The file needs a column “Ngày sinh” or “Số thẻ đảng viên” to tell namesakes apart."))
    body = [(head + i + 2, row) for i, row in enumerate(table[head + 1:])
            if any(c not in (None, "") for c in row)]
    names, _enc = fix_legacy_column([str(r[cols["name"]] or "") if cols["name"] < len(r) else "" for _n, r in body])
    members = all_members(session)
    review = year_review(session, year)
    counted_ids = {r.member_id for r in review.rows}
    existing = records(session, year)
    reg = review.regulation
    problems: list[str] = []
    items: dict[int, ReviewInput] = {}
    seen: dict[int, int] = {}

    def cell(row: list[Any], name: str) -> Any:
        i = cols.get(name)
        return row[i] if i is not None and i < len(row) else None

    for (line, row), raw_name in zip(body, names, strict=True):
        name = clean_name(raw_name)
        prefix = _("Row {n}: ").format(n=line)
        if not name:
            problems.append(prefix + _("the name is empty."))
            continue
        birth = _cell_date(cell(row, "birth"))
        if isinstance(birth, str):
            problems.append(prefix + _("the date of birth “{text}” is not a date (dd/mm/yyyy).").format(text=birth))
            continue
        card = nfc(str(cell(row, "card") or "")).removesuffix(".0")
        candidates = [m for m in members if fold(m.full_name) == fold(name)]
        if card:
            by_card = [m for m in members if m.card_number and m.card_number == card]
            candidates = [m for m in by_card if fold(m.full_name) == fold(name)] or by_card
        if birth is not None:
            candidates = [m for m in candidates if m.birth_date == birth]
        who = name + (" ({})".format(_("born {date}").format(date=format_date(birth))) if birth else "")
        if not candidates:
            problems.append(prefix + _("{who} is not in the register.").format(who=who))
            continue
        if len(candidates) > 1:
            problems.append(prefix + _("several members are called {who}; add the date of birth or the card number.").format(
                who=who))
            continue
        member = candidates[0]
        if member.id not in counted_ids:
            problems.append(prefix + _("Comrade {name} is not a member of the branch at the review of {year}.").format(
                name=member.full_name, year=year))
            continue
        if member.id in seen:
            problems.append(prefix + _("Comrade {name} is already on row {n}.").format(name=member.full_name, n=seen[member.id]))
            continue
        seen[member.id] = line
        level_text = nfc(str(cell(row, "level") or ""))
        level = reg.parse_level(level_text) if level_text else None
        if level_text and level is None:
            problems.append(prefix + _("“{text}” is not a level (write the full words or HTXSNV, HTTNV, HTNV, KHTNV).").format(
                text=level_text))
            continue
        if not level:
            problems.append(prefix + _("the level is empty."))
            continue
        score = _cell_number(cell(row, "score"))
        if isinstance(score, str):
            problems.append(prefix + _("the score “{text}” is not a number.").format(text=score))
            continue
        data = ReviewInput.of(existing.get(member.id))
        if stage == "decision":
            data.decided_level = level
        else:
            data.proposed_level = level
        if score is not None:
            data.score, data.criteria = score, {}
        note = nfc(str(cell(row, "note") or ""))
        if note:
            data.comment = note
        if "conditions" in cols:
            answer = yes_no_cell(cell(row, "conditions"))
            if isinstance(answer, str):
                problems.append(prefix + _("“{text}” in the column of the conditions is neither yes (Có, x) nor no "
                                           "(Không).").format(text=answer))
                continue
            review_row = review.row(member.id)
            framework = framework_of(reg, review_row.facts) if review_row is not None else None
            for c in level_conditions(reg, level, framework):
                data.flags[CONDITION_PREFIX + c.code] = bool(answer)
        ref = nfc(str(cell(row, "decision_ref") or "")).strip()
        if ref and stage != "decision":
            problems.append(prefix + _("a decision number is given, but the file is imported as the branch's "
                                       "proposals (use --decision for the superior's decisions)."))
            continue
        if ref:
            data.decision_ref = ref
        row_problems = check_review(session, year, member.id, data, review)
        problems += [prefix + p for p in row_problems]
        if not row_problems:
            items[member.id] = data
    if problems:
        raise ValidationError(problems)
    if not items:
        raise ValidationError(_("The file has no rows to import."))
    save_many(session, year, items)
    after = year_review(session, year)
    warnings = []
    if after.quota_current > after.quota_max:
        warnings.append(_("{current} members are rated “{level}”, more than the {max} the quota allows; "
                          "the branch proposes, the committee applies the quota.").format(
            current=after.quota_current, level=reg.level_name(reg.quota.level), max=after.quota_max))
    return ImportResult(len(items), warnings)
