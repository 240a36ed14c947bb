"""Import the member register from an .xlsx or .csv file: read, preview every row, then write all or nothing.

Real sheets from Party offices are untidy: a title above the table, header names spelled many ways
("Họ và tên", "HO TEN", "Họ, tên"), a numbering row under the header, signatures below the table,
dates as Excel dates, serial numbers or dd/mm/yyyy text, and text typed in the legacy TCVN3 / VNI
encodings. `read_import` turns such a file into an `ImportPreview` (every row with its problems, per
column, in Vietnamese); `apply_import` writes the rows in the caller's transaction through the same
`services.members` functions the dialogs use, so the rules are checked in one place.
"""
from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from models import EventKind, Member, MemberEvent
from models.member import DisciplineForm

from . import legacy_text
from .errors import UserError, ValidationError
from .i18n import _, format_date, parse_date
from .members import (
    EventInput,
    MemberInput,
    NewMember,
    NewPerson,
    RegisterIndex,
    check_event,
    check_member,
    insert_members,
)
from .vntext import fold, nfc

Progress = Callable[[int, int], None]

if TYPE_CHECKING:
    from .db import Database

HEADER_SEARCH_ROWS = 20  # the header row is looked for in the first rows of each sheet

# --- header names ----------------------------------------------------------------------------
# Each field with the spellings seen in real sheets, after `_header_key` (no diacritics, lower case,
# punctuation and parenthesised notes removed). Matching is exact on these keys, so "Ngày vào Đảng
# chính thức" never passes for "Ngày vào Đảng".
HEADER_VARIANTS: dict[str, tuple[str, ...]] = {
    "stt": ("stt", "tt", "so tt", "so thu tu", "thu tu"),
    "full_name": ("ho va ten", "ho ten", "ho va ten dang vien", "ho ten dang vien", "ho va ten khai sinh",
                  "ten dang vien", "ho va ten dv"),
    "family": ("ho", "ho va dem", "ho dem", "ho va ten dem", "ho va chu dem", "ho lot", "ho va ten lot",
               "ho va chu lot", "ho va lot"),
    "given": ("ten",),
    "birth_date": ("ngay sinh", "nam sinh", "ngay thang nam sinh", "sinh ngay", "ngay sinh nam sinh"),
    "gender": ("gioi tinh", "nam nu", "nu nam", "gioi", "phai"),
    "male": ("nam", "ngay sinh nam", "nam sinh nam"),
    "female": ("nu", "ngay sinh nu", "nam sinh nu"),
    "ethnicity": ("dan toc",),
    "admitted": ("ngay vao dang", "ngay ket nap", "ngay ket nap dang", "ngay ket nap vao dang", "vao dang",
                 "ngay vao dang du bi", "ket nap", "ngay ket nap dang vien", "ngay vao dang cong san viet nam"),
    "made_full": ("ngay chinh thuc", "ngay cong nhan chinh thuc", "chinh thuc", "ngay vao dang chinh thuc",
                  "ngay chuyen chinh thuc", "ngay dang vien chinh thuc", "ngay cong nhan dang vien chinh thuc",
                  "ngay duoc cong nhan chinh thuc"),
    "card_number": ("so the", "so the dang vien", "so the dang", "so the dv", "the dang vien", "so the dang vien so"),
    "position": ("chuc vu", "chuc vu chinh quyen", "chuc danh", "chuc vu chuc danh",
                 "chuc vu hien nay", "chuc vu dang chinh quyen", "chuc vu chuyen mon", "chuc vu cong tac",
                 "chuc vu noi cong tac"),
    "party_post": ("chuc vu dang", "chuc vu trong dang", "chuc vu cap uy", "chuc vu dang uy", "chuc vu chi bo",
                   "chuc vu dang hien nay"),
    "holds_leadership_post": ("giu chuc vu lanh dao quan ly", "co giu chuc vu lanh dao quan ly",
                              "chuc vu lanh dao quan ly", "lanh dao quan ly", "giu chuc vu lanh dao",
                              "can bo lanh dao quan ly", "la can bo lanh dao quan ly", "lanh dao"),
    "in_political_system": ("cong tac trong he thong chinh tri", "lam viec trong he thong chinh tri",
                            "trong he thong chinh tri", "he thong chinh tri", "thuoc he thong chinh tri",
                            "co cong tac trong he thong chinh tri", "co lam viec trong he thong chinh tri"),
    # The same fact asked the other way round (as Mẫu 2C names its members): the answer is reversed.
    "outside_political_system": ("khong lam viec trong he thong chinh tri", "khong cong tac trong he thong chinh tri",
                                 "ngoai he thong chinh tri", "khong thuoc he thong chinh tri"),
    "note": ("ghi chu", "ghi chu khac"),
    "transfer_in_date": ("ngay chuyen den", "ngay chuyen sinh hoat den", "ngay chuyen sinh hoat dang den",
                         "chuyen den ngay", "ngay chuyen sinh hoat dang chinh thuc den"),
    "transfer_in_org": ("noi chuyen den tu", "chuyen tu", "chuyen den tu", "noi chuyen tu", "don vi chuyen den",
                        "chuyen sinh hoat tu"),
    "transfer_out_date": ("ngay chuyen di", "ngay chuyen sinh hoat di", "ngay chuyen sinh hoat dang di",
                          "chuyen di ngay"),
    "transfer_out_org": ("noi chuyen di", "chuyen di den", "noi chuyen di den", "chuyen sinh hoat den"),
    "exempt_from": ("mien sinh hoat tu ngay", "mien sinh hoat tu", "mien sinh hoat dang tu ngay",
                    "mien cong tac va sinh hoat dang tu ngay", "mien cong tac va sinh hoat tu ngay",
                    "ngay mien sinh hoat", "mien sinh hoat tu ngay ngay"),
    "exempt_to": ("den ngay", "mien sinh hoat den ngay", "mien sinh hoat den", "mien sinh hoat dang den ngay",
                  "mien cong tac va sinh hoat dang den ngay", "mien cong tac va sinh hoat den ngay"),
    "discipline_form": ("hinh thuc ky luat", "ky luat", "hinh thuc kl"),
    "discipline_date": ("ngay ky luat", "ngay bi ky luat", "ngay quyet dinh ky luat", "ngay kl"),
    "discipline_reason": ("ly do ky luat", "ly do", "noi dung vi pham", "ly do kl"),
}
_FIELD_OF_KEY = {key: name for name, keys in HEADER_VARIANTS.items() for key in keys}

DATE_FIELDS = ("birth_date", "admitted", "made_full", "transfer_in_date", "transfer_out_date",
               "exempt_from", "exempt_to", "discipline_date")
EVENT_FIELDS = ("transfer_in_date", "transfer_in_org", "transfer_out_date", "transfer_out_org", "exempt_from",
                "exempt_to", "discipline_form", "discipline_date", "discipline_reason")
# The dates of the optional events: one missing (or given as a year only) never refuses the file; the
# event is left out with a warning and what the row says is kept in the member's note.
OPTIONAL_EVENT_DATES = ("transfer_in_date", "transfer_out_date", "exempt_from", "exempt_to", "discipline_date")
# Columns that only make sense next to another one ("Đến ngày" beside "Miễn sinh hoạt từ ngày").
_NEEDS = {"exempt_to": "exempt_from", "discipline_reason": "discipline_form", "given": "family",
          "family": "given", "male": "female", "female": "male"}

_PAREN = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_NUMBERING = re.compile(r"^\(?\s*\d{1,3}\s*\)?$")      # "(1) (2) (3)" under a header
_ROW_NUMBER = re.compile(r"^\(?\s*\d{1,6}\s*\)?$")     # a member's number in the STT column
_DATE_LIKE = re.compile(r"^(\d{1,4})\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d{1,4})$")
_MONTH_YEAR = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{4})$")
_TIME_TAIL = re.compile(r"\s+\d{1,2}:\d{2}(:\d{2})?(\.\d+)?$")


@functools.lru_cache(maxsize=1024)
def _header_key(text: Any) -> str:
    """A header (or a short code such as a gender) without diacritics, punctuation and notes. Cached: the
    same few texts come back on every row ("Nam", "Nữ", "x")."""
    if text is None:
        return ""
    key = fold(nfc(str(text)))
    key = _PAREN.sub(" ", key)
    return _NOT_WORD.sub(" ", key).strip()


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _show(value: Any) -> str:
    """A cell as the user would read it."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return format_date(value.date())
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(nfc(str(value)).split())


# --- results ---------------------------------------------------------------------------------

ERROR, WARNING, NOTE = "error", "warning", "note"


@dataclass
class RowProblem:
    """One problem of one cell (row and column as in the sheet); `row` None for the whole file."""

    row: int | None
    column: str
    message: str
    level: str = ERROR
    duplicate: bool = False  # a probable duplicate of a member in the register or of another row

    def text(self) -> str:
        if self.row is None:
            return self.message
        if not self.column:
            return _("Row {row}: {message}").format(row=self.row, message=self.message)
        return _("Row {row}, column {column}: {message}").format(
            row=self.row, column=self.column, message=self.message)


@dataclass
class ImportColumn:
    field: str
    header: str   # as written in the sheet (converted to Unicode when it was TCVN3/VNI)
    index: int    # 0-based position in the sheet


@dataclass
class ImportRow:
    row: int                                   # row number as Excel shows it (1-based)
    cells: dict[str, str]                      # field -> text shown in the preview
    member: MemberInput
    transfer_in: tuple[dt.date, str] | None = None
    events: list[EventInput] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    converted: dict[str, str] = field(default_factory=dict)  # field -> legacy encoding it was converted from
    name_key: str = field(default="", repr=False)  # the name folded, for duplicates within the file

    @property
    def errors(self) -> list[RowProblem]:
        return [p for p in self.problems if p.level == ERROR]

    @property
    def warnings(self) -> list[RowProblem]:
        return [p for p in self.problems if p.level == WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class ImportPreview:
    """What the file would add to the register. Nothing is written until `apply_import`."""

    source: str
    sheet: str = ""
    header_row: int = 0
    columns: list[ImportColumn] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)      # headers of columns that are not imported
    rows: list[ImportRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)  # about the whole file
    legacy: dict[str, str] = field(default_factory=dict)  # column header -> "TCVN3" / "VNI"
    skipped: list[int] = field(default_factory=list)      # rows below the table that are not members

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not any(p.level == ERROR for p in self.problems) and all(r.ok for r in self.rows)

    @property
    def bad_rows(self) -> list[ImportRow]:
        return [r for r in self.rows if not r.ok]

    @property
    def duplicate_rows(self) -> list[ImportRow]:
        return [r for r in self.rows if any(p.duplicate for p in r.problems)]

    def summary(self) -> str:
        """"200 dòng: 197 đúng, 3 có lỗi" (and warnings when there are some)."""
        total, bad = len(self.rows), len(self.bad_rows)
        text = _("{total} rows: {good} correct, {bad} with errors").format(total=total, good=total - bad, bad=bad)
        warned = sum(1 for r in self.rows if r.warnings)
        if warned:
            text += "; " + _("{count} with warnings").format(count=warned)
        return text

    def legacy_notice(self) -> str:
        """A sentence saying which columns were typed in TCVN3/VNI and converted, or ""."""
        if not self.legacy:
            return ""
        parts = []
        for encoding in sorted(set(self.legacy.values())):
            cols = ", ".join(f"«{h}»" for h, e in self.legacy.items() if e == encoding)
            parts.append(_("Columns {columns} were typed in the old {encoding} encoding ({fonts} fonts) "
                           "and have been converted to Unicode; please check them.").format(
                columns=cols, encoding=encoding, fonts=_LEGACY_FONTS[encoding]))
        return " ".join(parts)

    def notices(self) -> list[str]:
        """Information about how the file was read (not problems)."""
        out = []
        if self.sheet:
            out.append(_("Sheet «{sheet}», header in row {row}.").format(sheet=self.sheet, row=self.header_row))
        elif self.header_row:
            out.append(_("Header in row {row}.").format(row=self.header_row))
        if self.legacy:
            out.append(self.legacy_notice())
        if self.ignored:
            out.append(_("Columns not imported: {columns}.").format(columns=", ".join(f"«{h}»" for h in self.ignored)))
        if self.skipped:
            out.append(_("Rows below the table that are not members were skipped: {rows}.").format(
                rows=_ranges(self.skipped)))
        return out

    def all_problems(self) -> list[RowProblem]:
        return [*self.problems, *(p for r in self.rows for p in r.problems)]

    def problem_lines(self, levels: Sequence[str] = (ERROR,)) -> list[str]:
        """One Vietnamese line per problem, e.g. "Dòng 14, cột Ngày vào Đảng: ngày 31/02/2010 không có thật."."""
        return [p.text() for p in self.all_problems() if p.level in levels]


_LEGACY_FONTS = {legacy_text.TCVN3: ".VnTime", legacy_text.VNI: "VNI-Times"}


def _ranges(numbers: list[int]) -> str:
    out: list[str] = []
    start: int | None = None
    prev = 0
    for n in sorted(numbers):
        if start is None:
            start = prev = n
        elif n == prev + 1:
            prev = n
        else:
            out.append(f"{start}–{prev}" if start != prev else str(start))
            start = prev = n
    if start is not None:
        out.append(f"{start}–{prev}" if start != prev else str(start))
    return ", ".join(out)


# --- reading files ---------------------------------------------------------------------------

@dataclass
class _Sheet:
    name: str
    rows: list[list[Any]]
    epoch: dt.datetime | None = None  # Excel's date epoch (1900 or 1904) for serial numbers


def read_rows(path: Path | str, progress: Progress | None = None) -> list[_Sheet]:
    """The cell values of every sheet of an .xlsx, or of a .csv as one sheet. Raises UserError."""
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.exists():
        raise UserError(_("The file {path} does not exist.").format(path=path))
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, progress)
    if suffix in (".csv", ".txt"):
        return [_Sheet(path.stem, _read_csv(path))]
    if suffix == ".xls":
        raise UserError(_("{name} is an old Excel 97-2003 workbook (.xls). Open it in Excel and save it as "
                          "an Excel Workbook (.xlsx), then import that file.").format(name=path.name))
    raise UserError(_("Only .xlsx and .csv files can be imported, not {suffix}.").format(suffix=path.suffix or "?"))


def _open_error(path: Path, exc: OSError) -> UserError:
    return UserError(_("Cannot open {name}: it may be open in another program (close it there and try "
                       "again), or you may not have permission to read it. ({detail})").format(
        name=path.name, detail=exc.strerror or exc.__class__.__name__))


def _read_xlsx(path: Path, progress: Progress | None) -> list[_Sheet]:
    from . import xlsx_values

    try:
        fast = xlsx_values.read_workbook(path, progress, max_rows=MAX_SHEET_ROWS, max_columns=MAX_SHEET_COLUMNS)
    except xlsx_values.TooManyRows as exc:
        raise UserError(_too_many_rows(path.name, str(exc))) from exc
    except Exception:  # noqa: BLE001 — anything unexpected: openpyxl reads it, or says what is wrong
        return _read_xlsx_openpyxl(path, progress)
    sheets = []
    for sheet in fast:
        rows = sheet.rows
        while rows and all(_is_blank(v) for v in rows[-1]):
            rows.pop()
        sheets.append(_Sheet(sheet.name, rows, sheet.epoch))
    return sheets


def _read_xlsx_openpyxl(path: Path, progress: Progress | None) -> list[_Sheet]:
    """openpyxl's reading (read-only, values only): slower, and the reference for `xlsx_values`."""
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, EOFError) as exc:
        raise UserError(_not_xlsx(path)) from exc
    except OSError as exc:
        raise _open_error(path, exc) from exc
    try:
        sheets = []
        worksheets = [ws for ws in wb.worksheets if ws.sheet_state == "visible"] or list(wb.worksheets)
        total = sum(min(ws.max_row or 0, MAX_SHEET_ROWS) for ws in worksheets)
        done = [0]

        def tick() -> None:
            done[0] += 1
            if progress and done[0] % 50 == 0:
                progress(done[0], 2 * max(total, done[0]))

        for ws in worksheets:
            sheets.append(_Sheet(ws.title, sheet_rows(ws, path.name, tick), wb.epoch))
    except (zipfile.BadZipFile, KeyError, ValueError, EOFError) as exc:
        raise UserError(_not_xlsx(path)) from exc
    finally:
        wb.close()
    return sheets


# A register has a few hundred rows and a few dozen columns. A sheet may *declare* any size (XFD1048576
# in a 5 KB file): only the cells really there are read, and no more than these.
MAX_SHEET_ROWS = 20_000
MAX_SHEET_COLUMNS = 200


def _too_many_rows(file_name: str, sheet: str) -> str:
    return _("{name} has more than {n} rows with values in the sheet \"{sheet}\"; a register "
             "is never that long. Import the list in a file of its own.").format(
        name=file_name, n=f"{MAX_SHEET_ROWS:,}".replace(",", "."), sheet=sheet)


def sheet_rows(ws, file_name: str, tick=None) -> list[list[Any]]:
    """The rows of an openpyxl (read-only) sheet within its used cells, whatever size it declares.

    Raises UserError for a sheet with values beyond MAX_SHEET_ROWS rows. Columns beyond
    MAX_SHEET_COLUMNS are not read. Rows are as wide as the widest row that has a value.
    """
    if hasattr(ws, "reset_dimensions"):
        ws.reset_dimensions()  # forget the declared size: iterate over the rows in the file only
    rows: list[list[Any]] = []
    width = 0
    filler = None
    for values in ws.iter_rows(values_only=True, max_col=MAX_SHEET_COLUMNS):
        if values is filler:           # openpyxl repeats one blank tuple for the rows missing in the file
            if len(rows) < MAX_SHEET_ROWS:
                rows.append([])
            continue
        row = list(values)
        while row and row[-1] is None:
            row.pop()
        if not row:
            filler = values
        if len(rows) >= MAX_SHEET_ROWS:
            if row:
                raise UserError(_too_many_rows(file_name, ws.title))
            continue
        width = max(width, len(row))
        rows.append(row)
        if tick:
            tick()
    while rows and all(_is_blank(v) for v in rows[-1]):
        rows.pop()
    return [r + [None] * (width - len(r)) for r in rows]


def _not_xlsx(path: Path) -> str:
    return _("{name} is not an Excel workbook that can be read (perhaps it is another kind of file renamed "
             "to .xlsx, or it is damaged or password-protected). Open it in Excel and save it as an Excel "
             "Workbook (.xlsx), or as CSV.").format(name=path.name)


def decode_text(raw: bytes) -> tuple[str, str]:
    """(text, encoding) of a text file: UTF-8 with or without BOM, UTF-16, or an 8-bit Windows code page.

    8-bit files are read as Windows-1258 (Vietnamese), unless read as Windows-1252 they are TCVN3 or VNI
    text: those encodings put Vietnamese letters on the Western letters' codes."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16", errors="replace"), "utf-16"
    if len(raw) >= 4 and raw.count(b"\x00") * 3 > len(raw):  # UTF-16 without a BOM
        le = raw[1::2].count(0) > raw[0::2].count(0)
        enc = "utf-16-le" if le else "utf-16-be"
        return raw.decode(enc, errors="replace"), enc
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    western = _cp1252(raw)
    cells = [c for line in western.splitlines() for c in re.split(r"[,;\t]", line)]
    if legacy_text.detect_legacy_column(cells):
        return western, "cp1252"
    try:
        return unicodedata.normalize("NFC", raw.decode("cp1258")), "cp1258"
    except UnicodeDecodeError:
        return western, "cp1252"


def _cp1252(raw: bytes) -> str:
    """Windows-1252, with its five undefined bytes read as Latin-1 (as Excel does)."""
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in raw)


def sniff_delimiter(text: str) -> str:
    """, ; or tab: the one that splits the most lines into the same number (at least 2) of fields."""
    lines = [line for line in text.splitlines()[:60] if line.strip()]
    best, best_score = ",", -1
    for delim in (",", ";", "\t"):
        counts: dict[int, int] = {}
        for fields in csv.reader(lines, delimiter=delim):
            if len(fields) >= 2:
                counts[len(fields)] = counts.get(len(fields), 0) + 1
        if not counts:
            continue
        width, lines_with_it = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
        score = lines_with_it * 1000 + width
        if score > best_score:
            best, best_score = delim, score
    return best


def _read_csv(path: Path) -> list[list[Any]]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise _open_error(path, exc) from exc
    if raw.startswith(b"PK\x03\x04"):
        raise UserError(_("{name} is an Excel workbook with the wrong extension; rename it to .xlsx.").format(
            name=path.name))
    text, _enc = decode_text(raw)
    if "\x00" in text:
        raise UserError(_("{name} is not a text (CSV) file.").format(name=path.name))
    delim = sniff_delimiter(text)
    rows: list[list[Any]] = [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delim)]
    while rows and all(_is_blank(v) for v in rows[-1]):
        rows.pop()
    return rows


# --- finding the header ----------------------------------------------------------------------

def _match_header(text: Any, parent: Any = None) -> str | None:
    """The field a header cell names, or None. `parent` is the cell above for a two-row header."""
    if _is_blank(text) or not isinstance(text, str):
        return None
    candidates = [nfc(text)]
    fixed, encoding = legacy_text.fix_legacy(nfc(text))
    if encoding:
        candidates.insert(0, fixed)
    for cand in candidates:
        key = _header_key(cand)
        if parent is not None and not _is_blank(parent):
            parent_fixed = legacy_text.fix_legacy(nfc(str(parent)))[0]
            both = _FIELD_OF_KEY.get(f"{_header_key(parent_fixed)} {key}")
            if both:
                return both
        if key in _FIELD_OF_KEY:
            return _FIELD_OF_KEY[key]
    return None


def _header_text(text: Any) -> str:
    return " ".join(legacy_text.fix_legacy(nfc(str(text)))[0].split())


def _score_row(row: list[Any]) -> int:
    found = {_match_header(v) for v in row} - {None, "stt"}
    if not found & {"full_name", "family", "given"}:
        return 0
    return len(found)


def _find_header(sheet: _Sheet) -> tuple[int, int]:
    """(index of the header row, score); score 0 when there is none."""
    best, best_score = -1, 0
    for i, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        score = _score_row(row)
        if score > best_score:
            best, best_score = i, score
    return best, best_score


def _columns(sheet: _Sheet, hi: int) -> tuple[list[ImportColumn], list[str], int]:
    """Columns of the table whose header is row `hi`; a second header row under it is used too.

    Returns (columns, ignored headers, index of the first row after the header)."""
    header = sheet.rows[hi]
    sub = sheet.rows[hi + 1] if hi + 1 < len(sheet.rows) else []
    width = max(len(header), len(sub))
    # Parent of each column for a merged cell spanning several columns ("Ngày sinh" over "Nam" | "Nữ").
    parents: list[Any] = []
    last = None
    for c in range(width):
        v = header[c] if c < len(header) else None
        if not _is_blank(v):
            last = v
        parents.append(v if not _is_blank(v) else last)
    sub_fields = {c: _match_header(sub[c], parents[c]) for c in range(len(sub)) if not _is_blank(sub[c])}
    name_cols = [c for c in range(len(header)) if _match_header(header[c]) in ("full_name", "family", "given")]
    two_rows = (
        any(sub_fields.values())
        and all(_is_blank(sub[c]) for c in name_cols if c < len(sub))  # nothing under "Họ và tên"
        and all(isinstance(v, str) and not parse_cell_date(v).value for v in sub if not _is_blank(v))
    )
    start = hi + 2 if two_rows else hi + 1
    found: list[ImportColumn] = []
    ignored: list[str] = []
    used: set[str] = set()
    for c in range(width):
        top = header[c] if c < len(header) else None
        name, text = None, top
        if two_rows and c in sub_fields:
            name, text = sub_fields[c], sub[c]
            if name is None:
                text = f"{_header_text(parents[c])} {_header_text(sub[c])}" if not _is_blank(parents[c]) else sub[c]
        elif not _is_blank(top):
            name = _match_header(top)
        if _is_blank(text):
            continue
        label = _header_text(text)
        if two_rows and c in sub_fields and name in ("male", "female") and not _is_blank(parents[c]):
            label = f"{_header_text(parents[c])} – {label}"
        if name is None or name == "stt":
            if name is None:
                ignored.append(label)
            continue
        if name in used:
            ignored.append(label)
            continue
        used.add(name)
        found.append(ImportColumn(name, label, c))
    # Drop columns that need a partner that is missing; "Tên" alone is the full name.
    names = {c.field for c in found}
    kept = []
    for col in found:
        partner = _NEEDS.get(col.field)
        if col.field == "given" and "full_name" in names:
            ignored.append(col.header)
        elif col.field == "given" and "family" not in names:
            kept.append(ImportColumn("full_name", col.header, col.index))
        elif col.field == "family" and ("full_name" in names or "given" not in names):
            ignored.append(col.header)
        elif partner and col.field not in ("given", "family") and partner not in names:
            ignored.append(col.header)
        else:
            kept.append(col)
    return kept, ignored, start


# --- parsing cells ---------------------------------------------------------------------------

@dataclass
class _Date:
    value: dt.date | None = None
    year_only: int | None = None
    error: str = ""


def parse_cell_date(value: Any, epoch: dt.datetime | None = None) -> _Date:
    """A date cell: a real Excel date, an Excel serial number, or dd/mm/yyyy text."""
    if _is_blank(value):
        return _Date()
    if isinstance(value, dt.datetime):
        return _Date(value.date())
    if isinstance(value, dt.date):
        return _Date(value)
    if isinstance(value, bool) or isinstance(value, dt.time):
        return _Date(error=_("«{text}» is not a date.").format(text=_show(value)))
    if isinstance(value, int | float):
        return _serial(float(value), epoch, _show(value))
    text = nfc(str(value))
    text = _TIME_TAIL.sub("", text).strip().rstrip(".")
    if re.fullmatch(r"\d{4}", text):
        return _serial(float(text), epoch, text)
    if re.fullmatch(r"\d{5}(\.\d+)?", text):
        return _serial(float(text), epoch, text)
    parsed = parse_date(text)
    if parsed is not None:
        return _Date(parsed)
    m = _DATE_LIKE.match(text)
    if m:
        a, c = m.group(1), m.group(4)
        if len(a) != 4 and len(c) != 4:
            return _Date(error=_("write the year with 4 digits: «{text}».").format(text=text))
        return _Date(error=_("the date {text} does not exist.").format(text=text))
    m = _MONTH_YEAR.match(text)
    if m:
        return _Date(error=_("only the month and year are given ({text}); write the full date "
                             "(day/month/year).").format(text=text))
    return _Date(error=_("«{text}» is not a date; write it as day/month/year, e.g. 22/12/2020.").format(text=text))


def _serial(number: float, epoch: dt.datetime | None, shown: str) -> _Date:
    if number.is_integer() and 1900 <= number <= 2100:
        return _Date(year_only=int(number))
    if 2 <= number < 2958466:
        from openpyxl.utils.datetime import CALENDAR_WINDOWS_1900, from_excel

        try:
            return _Date(from_excel(number, epoch or CALENDAR_WINDOWS_1900).date())
        except (ValueError, OverflowError):
            pass
    return _Date(error=_("«{text}» is not a date; write it as day/month/year, e.g. 22/12/2020.").format(text=shown))


_GENDERS = {"nam": "Nam", "nu": "Nữ", "m": "Nam", "f": "Nữ", "male": "Nam", "female": "Nữ", "trai": "Nam",
            "gai": "Nữ"}
_MARKS = {"x", "v", "1", "co", "✓", "✔", "+", "*"}


# --- building the preview --------------------------------------------------------------------

def read_import(path: Path | str, existing: Sequence[Member] | RegisterIndex = (), today: dt.date | None = None,
                progress: Progress | None = None) -> ImportPreview:
    """Read `path` (.xlsx or .csv) into a preview. `existing`: the register's members, for duplicates.

    Time in proportion to the rows: the register is indexed once, each row's name is folded once.

    Raises UserError when the file cannot be read at all; every other problem is in the preview."""
    today = today or dt.date.today()
    path = Path(path)
    sheets = read_rows(path, progress)
    preview = ImportPreview(source=path.name)
    scored = [(sheet, *_find_header(sheet)) for sheet in sheets]
    scored = [s for s in scored if s[2] > 0]
    if not scored:
        if not any(any(not _is_blank(v) for v in row) for sheet in sheets for row in sheet.rows):
            raise UserError(_("{name} is empty.").format(name=path.name))
        raise UserError(_("No header row with a «Họ và tên» column was found in the first {n} rows of {name}. "
                          "The table needs a header row naming its columns (Họ và tên, Ngày sinh, "
                          "Ngày vào Đảng, …).").format(n=HEADER_SEARCH_ROWS, name=path.name))
    sheet, hi, _score = max(scored, key=lambda s: s[2])
    columns, ignored, start = _columns(sheet, hi)
    if len(sheets) > 1:
        preview.sheet = sheet.name
    preview.header_row = hi + 1
    preview.columns, preview.ignored = columns, ignored
    by_field = {c.field: c for c in columns}
    if "admitted" not in by_field:
        preview.problems.append(RowProblem(None, "", _(
            "The file has no «Ngày vào Đảng» (date of admission) column; it is required.")))

    data = _data_rows(sheet, start, by_field, preview)
    _fix_legacy_columns(data, columns, preview)
    register = existing if isinstance(existing, RegisterIndex) else RegisterIndex(existing)
    seen_names: dict[tuple[str, dt.date | None], int] = {}
    seen_cards: dict[str, int] = {}
    for i, (rownum, cells) in enumerate(data):
        row = _build_row(rownum, cells, by_field, sheet.epoch, today, register)
        _check_within_file(row, by_field, seen_names, seen_cards)
        preview.rows.append(row)
        if progress and i % 50 == 0:
            progress(len(data) + i, 2 * len(data))
    if not preview.rows and not preview.problems:
        preview.problems.append(RowProblem(None, "", _("There are no members under the header row.")))
    return preview


def preview_import(session: Session, path: Path | str, today: dt.date | None = None,
                   progress: Progress | None = None) -> ImportPreview:
    """`read_import` against the members already in the register."""
    return read_import(path, RegisterIndex.of_session(session), today, progress)


def _cell(row: list[Any], col: ImportColumn | None) -> Any:
    if col is None or col.index >= len(row):
        return None
    value = row[col.index]
    return None if _is_blank(value) else value


def _data_rows(sheet: _Sheet, start: int, by_field: dict[str, ImportColumn],
               preview: ImportPreview) -> list[tuple[int, dict[str, Any]]]:
    """(sheet row number, field -> raw value) of the member rows under the header."""
    out: list[tuple[int, dict[str, Any]]] = []
    gap = False
    stt = _stt_column(sheet, start)
    for i in range(start, len(sheet.rows)):
        row = sheet.rows[i]
        rownum = i + 1
        cells = {f: _cell(row, c) for f, c in by_field.items()}
        number = row[stt] if stt is not None and stt < len(row) else None
        if all(v is None for v in cells.values()):
            gap = gap or bool(out)
            continue
        values = [v for v in cells.values() if v is not None]
        if not out and all(_NUMBERING.match(_show(v)) for v in values) and len(values) >= 2:
            continue  # the "(1) (2) (3)" row under a header
        numbered = number is not None and _ROW_NUMBER.match(_show(number)) is not None
        if not numbered and not _has_date(cells, sheet.epoch) and (gap or _total_row(row)):
            preview.skipped.append(rownum)
            continue
        out.append((rownum, cells))
    return out


def _has_date(cells: dict[str, Any], epoch: dt.datetime | None) -> bool:
    return any(cells.get(f) is not None and parse_cell_date(cells[f], epoch).value for f in DATE_FIELDS)


def _total_row(row: list[Any]) -> bool:
    """A "Tổng cộng: 25 đồng chí" row under the table."""
    return any(isinstance(v, str) and fold(v).startswith(("tong cong", "tong so", "cong:", "cong ")) for v in row)


def _stt_column(sheet: _Sheet, start: int) -> int | None:
    """The "STT" (row number) column: ignored, but a number there marks a member row."""
    for rows in sheet.rows[max(0, start - 2):start]:
        for c, v in enumerate(rows):
            if _match_header(v) == "stt":
                return c
    return None


def _fix_legacy_columns(data: list[tuple[int, dict[str, Any]]], columns: list[ImportColumn],
                        preview: ImportPreview) -> None:
    """Convert TCVN3/VNI text column by column (the column decides cells that read both ways)."""
    for col in columns:
        if col.field in DATE_FIELDS:
            continue
        texts = [cells for _r, cells in data if isinstance(cells.get(col.field), str)]
        results, encoding = legacy_text.fix_legacy_cells([cells[col.field] for cells in texts])
        converted = 0
        for cells, (fixed, used) in zip(texts, results, strict=True):
            if used:
                converted += 1
                cells.setdefault("_converted", {})[col.field] = (used, cells[col.field])
            cells[col.field] = fixed
        if converted:
            preview.legacy[col.header] = encoding or _majority(data, col.field)


def _majority(data, field_name: str) -> str:
    votes: dict[str, int] = {}
    for _r, cells in data:
        used = cells.get("_converted", {}).get(field_name)
        if used:
            votes[used[0]] = votes.get(used[0], 0) + 1
    return max(votes, key=lambda enc: votes[enc])


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return _show(value)
    return " ".join(nfc(str(value)).split())


def _build_row(rownum: int, cells: dict[str, Any], by_field: dict[str, ImportColumn],
               epoch: dt.datetime | None, today: dt.date, existing: RegisterIndex) -> ImportRow:
    header = {f: c.header for f, c in by_field.items()}
    problems: list[RowProblem] = []

    def problem(field_name: str, message: str, level: str = ERROR) -> None:
        problems.append(RowProblem(rownum, header.get(field_name, ""), message, level))

    shown = {f: _show(cells.get(f)) for f in by_field}
    text = shown.get   # a text cell as shown is its text (`_text`): read once
    converted = {f: used for f, (used, _old) in cells.get("_converted", {}).items()}
    for f, (used, old) in cells.get("_converted", {}).items():
        problem(f, _("converted from {encoding}: «{old}» → «{new}».").format(
            encoding=used, old=" ".join(old.split()), new=shown[f]), NOTE)

    dates: dict[str, dt.date | None] = {}
    bad_fields: set[str] = set()
    note_extra = ""
    for f in DATE_FIELDS:
        if f not in by_field:
            continue
        parsed = parse_cell_date(cells.get(f), epoch)
        if parsed.error:
            problem(f, parsed.error)
            bad_fields.add(f)
        elif parsed.year_only is not None:
            if f == "birth_date":
                problem(f, _("only the year of birth ({year}) is given: the date of birth is left empty and the "
                             "year is kept in the note.").format(year=parsed.year_only), WARNING)
                note_extra = _("Year of birth: {year}").format(year=parsed.year_only)
            elif f in OPTIONAL_EVENT_DATES:
                pass  # an optional detail: its event is left out with a warning (_build_events)
            else:
                problem(f, _("only the year {year} is given; write the full date (day/month/year).").format(
                    year=parsed.year_only))
                bad_fields.add(f)
        dates[f] = parsed.value
        if parsed.value is not None:
            shown[f] = format_date(parsed.value)

    # Name: one column, or "Họ (và tên đệm)" + "Tên".
    if "family" in by_field:
        name = " ".join(p for p in (text("family", ""), text("given", "")) if p)
        name_field = "given" if not cells.get("given") else "family"
    else:
        name = text("full_name", "")
        name_field = "full_name"

    gender = text("gender", "")
    if gender:
        gender = _GENDERS.get(_header_key(gender), gender)
    for mark_field, value in (("male", "Nam"), ("female", "Nữ")):
        mark = cells.get(mark_field)
        if mark is None:
            continue
        if gender and gender != value:
            problem(mark_field, _("both «Nam» and «Nữ» are marked."))
            bad_fields.add("gender")
            continue
        gender = value
        if "birth_date" not in by_field and _header_key(_show(mark)) not in _MARKS:
            parsed = parse_cell_date(mark, epoch)
            if parsed.error:
                problem(mark_field, parsed.error)
                bad_fields.add("birth_date")
            elif parsed.year_only is not None:
                problem(mark_field, _("only the year of birth ({year}) is given: the date of birth is left empty "
                                      "and the year is kept in the note.").format(year=parsed.year_only), WARNING)
                note_extra = _("Year of birth: {year}").format(year=parsed.year_only)
            else:
                dates["birth_date"] = parsed.value
                shown[mark_field] = format_date(parsed.value)

    attributes = _attributes(cells, header, problem)
    note = text("note", "")
    if note_extra:
        note = f"{note}; {note_extra}" if note else note_extra
    member = MemberInput(
        full_name=name, admitted=dates.get("admitted"), made_full=dates.get("made_full"),
        birth_date=dates.get("birth_date"), gender=gender, ethnicity=text("ethnicity", "") or "Kinh",
        card_number=text("card_number", ""), position=text("position", ""), note=note,
        party_post=text("party_post", ""), holds_leadership_post=attributes["holds_leadership_post"],
        in_political_system=attributes["in_political_system"],
    ).normalised()

    # The register's rules, from the same function the member dialog uses.
    field_of = {"full_name": name_field, "birth_date": "birth_date", "admitted": "admitted",
                "made_full": "made_full", "gender": "gender", "card_number": "card_number",
                "party_post": "party_post"}
    if "birth_date" not in by_field:
        field_of["birth_date"] = "male" if "male" in by_field else "birth_date"
    check = check_member(member, today, existing)
    for p in check.errors:
        if p.field in bad_fields or (p.field == "gender" and "gender" in bad_fields):
            continue  # already said why the cell cannot be read
        problem(field_of.get(p.field, name_field), p.message)
    for p in check.warnings:
        problem(field_of.get(p.field, name_field), p.message, WARNING)
        problems[-1].duplicate = p.field == "full_name"

    row = ImportRow(rownum, shown, member, problems=problems, converted=converted, name_key=check.name_key)
    if member.admitted is not None and not (set(EVENT_FIELDS) & bad_fields):
        _build_events(row, cells, dates, by_field, today, problem)
    return row


_YES = {"co", "x", "v", "1", "yes", "y", "c", "dung", "phai", "true", "co giu", "co lam viec", "co cong tac"}
_NO = {"khong", "k", "ko", "kh", "0", "no", "n", "false", "khong giu", "khong lam viec", "khong cong tac"}
_YES_MARKS = {"✓", "✔", "☑", "+", "*"}
_NO_MARKS = {"-", "–", "—", "✗", "✘"}


def yes_no_cell(value: Any) -> bool | None | str:
    """A yes-or-no cell: True / False, None when blank, or the text itself when it reads neither way."""
    if _is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        if value in (0, 1):
            return bool(value)
        return _show(value)
    raw = _show(value).strip()
    key = _header_key(raw)
    if key in _YES or raw in _YES_MARKS:
        return True
    if key in _NO or raw in _NO_MARKS:
        return False
    return raw


def _attributes(cells: dict[str, Any], header: dict[str, str], problem) -> dict[str, bool | None]:
    """The member's attributes that choose the review framework and personal form. A blank cell, or a
    column the file does not have, leaves the attribute "not stated" (it never refuses the file);
    a cell that reads neither yes nor no is left not stated with a warning."""
    out: dict[str, bool | None] = {"holds_leadership_post": None, "in_political_system": None}
    unreadable = _("«{text}» is neither yes (Có, x) nor no (Không); it is left not stated, to be chosen in the "
                   "member's details.")
    read: dict[str, bool | None] = {}
    for field_name in ("holds_leadership_post", "in_political_system", "outside_political_system"):
        value = yes_no_cell(cells.get(field_name))
        if isinstance(value, str):
            problem(field_name, unreadable.format(text=value), WARNING)
            value = None
        read[field_name] = value
    out["holds_leadership_post"] = read["holds_leadership_post"]
    inside, outside = read["in_political_system"], read["outside_political_system"]
    if outside is not None:
        outside = not outside
    if inside is not None and outside is not None and inside != outside:
        problem("outside_political_system", _("this column and «{other}» say opposite things; it is left not "
                                              "stated.").format(other=header.get("in_political_system", "")),
                WARNING)
        out["in_political_system"] = None
    else:
        out["in_political_system"] = inside if inside is not None else outside
    return out


def _build_events(row: ImportRow, cells: dict[str, Any], dates: dict[str, dt.date | None],
                  by_field: dict[str, ImportColumn], today: dt.date, problem) -> None:
    """The optional event columns become dated events, checked in date order with `check_event`.

    A detail the row leaves out never refuses the file: a transfer without the other organisation is
    recorded without it; an event whose date (or form of discipline) is missing is left out, and what the
    row says about it is kept in the member's note. Each case is a warning naming what to complete."""
    if all(cells.get(f) is None for f in EVENT_FIELDS):
        return   # most rows: nothing more than the admission
    m = row.member
    person = Member(full_name=m.full_name)
    person.events.append(MemberEvent(kind=EventKind.ADMITTED, date=m.admitted))
    if m.made_full:
        person.events.append(MemberEvent(kind=EventKind.MADE_FULL, date=m.made_full))
    kept: list[str] = []   # what the row says of events left out, for the member's note

    def present(*fields: str) -> bool:
        return any(f in by_field and cells.get(f) is not None for f in fields)

    def report(problems: list[str], date_field: str, other: dict[str, str]) -> None:
        for message in problems:
            target = next((f for text, f in other.items() if message == text), date_field)
            problem(target if target in by_field else date_field, message)

    def leave_out(fields: tuple[str, ...], date_field: str, warning: str | None = None, extra: str = "") -> None:
        """The event cannot be recorded for want of a detail: warn, keep the row's cells in the note.
        Without `warning`, the detail missing is the date in `date_field` (empty, or only a year)."""
        said = [f"{by_field[f].header}: {row.cells.get(f) or _show(cells.get(f))}" for f in fields
                if f in by_field and cells.get(f) is not None]
        kept.append("; ".join(said))
        if warning is None:
            given = cells.get(date_field)
            warning = no_date if given is None else _(
                "only the year is given («{text}»), so this event is not recorded; add the full date in the "
                "member's history.").format(text=_show(given))
        text = " ".join(t for t in (warning, extra, _("What the row says is kept in the note: «{text}».").format(
            text="; ".join(said))) if t)
        problem(date_field if date_field in by_field else next(f for f in fields if f in by_field), text, WARNING)

    org_msg = _("Enter the name of the other Party organisation.")
    end_msg = _("The end date cannot be before the start date.")
    no_date = _("the date is not given, so this event is not recorded; add it in the member's history.")
    no_org = _("the other Party organisation is not given; the transfer is recorded without it (add it in the "
               "member's history).")

    if present("transfer_in_date", "transfer_in_org"):
        ev = EventInput(EventKind.TRANSFER_IN, dates.get("transfer_in_date"),
                        other_org=_text(cells.get("transfer_in_org")))
        if ev.date is None:
            leave_out(("transfer_in_date", "transfer_in_org"), "transfer_in_date")
        else:
            # Checked as for someone not yet in the branch: the admission happened elsewhere.
            problems = [p for p in check_event(Member(full_name=m.full_name), ev, today) if p != org_msg]
            if m.admitted and ev.date < m.admitted:
                problems.append(_("the date transferred in is before the date of admission ({date}).").format(
                    date=format_date(m.admitted)))
            report(problems, "transfer_in_date", {})
            if not problems:
                if not nfc(ev.other_org):
                    problem("transfer_in_org" if "transfer_in_org" in by_field else "transfer_in_date", no_org,
                            WARNING)
                row.transfer_in = (ev.date, nfc(ev.other_org))
                person.events.append(MemberEvent(kind=EventKind.TRANSFER_IN, date=ev.date, other_org=ev.other_org))

    pending: list[tuple[EventInput, str, dict[str, str]]] = []
    if present("exempt_from", "exempt_to"):
        if dates.get("exempt_from") is None:
            leave_out(("exempt_from", "exempt_to"), "exempt_from")
        elif cells.get("exempt_to") is not None and dates.get("exempt_to") is None:
            leave_out(("exempt_from", "exempt_to"), "exempt_to")   # not recorded as still in effect
        else:
            pending.append((EventInput(EventKind.EXEMPT, dates.get("exempt_from"), end_date=dates.get("exempt_to")),
                            "exempt_from", {end_msg: "exempt_to"}))
    if present("discipline_form", "discipline_date", "discipline_reason"):
        raw_form = _text(cells.get("discipline_form"))
        form = _discipline_forms().get(fold(raw_form), "") if raw_form else ""
        group = ("discipline_form", "discipline_date", "discipline_reason")
        if raw_form and not form:
            problem("discipline_form", _("«{text}» is not a form of discipline (khiển trách, cảnh cáo, cách chức, "
                                         "khai trừ).").format(text=raw_form))
        elif dates.get("discipline_date") is None:
            leave_out(group, "discipline_date")
        elif not form:
            leave_out(group, "discipline_form", _(
                "the form of discipline is not given, so the discipline is not recorded; add it in the member's "
                "history."))
        else:
            pending.append((EventInput(EventKind.DISCIPLINE, dates.get("discipline_date"), form=form,
                                       reason=_text(cells.get("discipline_reason"))), "discipline_date", {}))
    if present("transfer_out_date", "transfer_out_org"):
        if dates.get("transfer_out_date") is None:
            leave_out(("transfer_out_date", "transfer_out_org"), "transfer_out_date",
                      extra=_("Until then the member counts as still in the branch."))
        else:
            pending.append((EventInput(EventKind.TRANSFER_OUT, dates.get("transfer_out_date"),
                                       other_org=_text(cells.get("transfer_out_org"))), "transfer_out_date", {}))
    pending.sort(key=lambda item: item[0].date or dt.date.max)
    for ev, date_field, other in pending:
        problems = check_event(person, ev, today)
        missing_org = ev.kind == EventKind.TRANSFER_OUT and org_msg in problems
        problems = [p for p in problems if p != org_msg]
        report(problems, date_field, other)
        if not problems:
            if missing_org:
                problem("transfer_out_org" if "transfer_out_org" in by_field else date_field, no_org, WARNING)
            row.events.append(ev)
            person.events.append(MemberEvent(kind=ev.kind, date=ev.date, end_date=ev.end_date,
                                             other_org=ev.other_org, form=ev.form, reason=ev.reason))
    if kept:
        note = "; ".join([row.member.note, *kept]) if row.member.note else "; ".join(kept)
        row.member.note = nfc(note)


@functools.cache
def _discipline_forms() -> dict[str, str]:
    """Each form of discipline by its folded name ("khien trach" -> "khiển trách")."""
    return {fold(f.value): f.value for f in DisciplineForm}


def _check_within_file(row: ImportRow, by_field: dict[str, ImportColumn],
                       seen_names: dict[tuple[str, dt.date | None], int], seen_cards: dict[str, int]) -> None:
    m = row.member
    name_col = by_field.get("full_name") or by_field.get("family") or by_field.get("given")
    name_header = name_col.header if name_col else ""
    if m.full_name:
        key = (row.name_key, m.birth_date)
        if key in seen_names:
            row.problems.append(RowProblem(row.row, name_header, _(
                "Probably a duplicate: row {other} has the same name and date of birth.").format(
                other=seen_names[key]), WARNING, duplicate=True))
        else:
            seen_names[key] = row.row
    if m.card_number:
        if m.card_number in seen_cards:
            row.problems.append(RowProblem(row.row, by_field["card_number"].header, _(
                "Party card number {number} is also in row {other}.").format(
                number=m.card_number, other=seen_cards[m.card_number])))
        else:
            seen_cards[m.card_number] = row.row


# --- writing ---------------------------------------------------------------------------------

def apply_import(session: Session, preview: ImportPreview, today: dt.date | None = None,
                 progress: Progress | None = None) -> list[int]:
    """Write every row of a good preview in the caller's transaction (all or nothing). Returns the new ids.

    Each row is checked again against the register as it is now with `members.check_member` (the register
    indexed once: time in proportion to the rows); any problem raises ValidationError naming the row, and the
    caller's transaction is rolled back. A row's later events were checked against the row's own history
    when the preview was made (`check_event`), which the register cannot change. Then every row is written
    in one statement per table (`members.insert_members`)."""
    if not preview.ok:
        raise ValidationError(preview.problem_lines() or [_("There are no members to import.")])
    from .db import take_write_lock

    today = today or dt.date.today()
    take_write_lock(session)   # the register read next is what the rows are checked against until the commit
    register = RegisterIndex.of_session(session)
    batch: list[NewMember] = []
    for i, row in enumerate(preview.rows):
        check = check_member(row.member, today, register, name_key=row.name_key or None)
        if not check.ok:
            raise ValidationError([RowProblem(row.row, "", p.message).text() for p in check.errors])
        m = row.member
        register.add(NewPerson(0, m.full_name, m.birth_date, m.card_number), check.name_key)
        batch.append(NewMember(m, row.transfer_in, row.events))
        if progress and i % 50 == 0:
            progress(i, len(preview.rows))
    return insert_members(session, batch)


def import_members(db: Database, preview: ImportPreview, today: dt.date | None = None,
                   progress: Progress | None = None) -> list[int]:
    """Write a good preview into the register in one transaction: every row or none. The path of both
    `members import` and the import dialog, so that what the crash tests kill is what users run."""
    with db.begin() as session:
        return apply_import(session, preview, today, progress)


def write_problems_csv(preview: ImportPreview, out: Path | str) -> int:
    """Save the preview's problems (errors, warnings, conversions) as a CSV Excel opens. Returns the count."""
    out = Path(out)
    labels = {ERROR: _("Error"), WARNING: _("Warning"), NOTE: _("Note")}
    problems = preview.all_problems()
    from .member_export import write_csv_rows

    write_csv_rows(out, [[_("Row"), _("Column"), _("Kind"), _("Problem")]] + [
        ["" if p.row is None else p.row, p.column, labels[p.level], p.message] for p in problems])
    return len(problems)
