"""The cell values of an .xlsx workbook, read straight from its XML: what an import needs, quickly.

openpyxl (read-only, values only) spends about 15 µs a cell building its objects, which is most of the
time of importing a list of thousands of members; this reads the same values at a fraction of that,
with Python's own XML parser. Only values: no formatting, no formulas (their last computed values are
read, as openpyxl's `data_only=True` does). Values are those openpyxl gives: str, int, float, bool,
`datetime.datetime` (or `datetime.time`, `datetime.timedelta`) for numbers with a date or time format,
and None for an empty cell.

Anything this module does not expect (a damaged or encrypted file, Strict Open XML, a missing part)
raises an exception: the caller then reads the file with openpyxl, which names the problem.
"""
from __future__ import annotations

import datetime as dt
import posixpath
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from xml.etree.ElementTree import Element, iterparse

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_OFFICE_DOC = "/officeDocument"
_ROW, _C, _V, _IS, _T, _R = MAIN + "row", MAIN + "c", MAIN + "v", MAIN + "is", MAIN + "t", MAIN + "r"
_SI, _SHEET_DATA, _DIMENSION = MAIN + "si", MAIN + "sheetData", MAIN + "dimension"
_DIGITS = "0123456789"
_REF = re.compile(r"^([A-Z]+)(\d+)$")


class NotReadable(Exception):
    """The workbook has something this reader does not handle: read it with openpyxl instead."""


class TooManyRows(Exception):
    """A sheet has values beyond the rows asked for (`max_rows`); its name is the argument."""


@dataclass
class SheetValues:
    name: str
    state: str                    # "visible", "hidden" or "veryHidden"
    rows: list[list[Any]]         # every row from the first, each as long as the widest row
    epoch: dt.datetime


def read_workbook(path: Path | str, progress: Callable[[int, int], None] | None = None,
                  visible_only: bool = True, max_rows: int = 1_048_576, max_columns: int = 16_384) -> list[SheetValues]:
    """The worksheets' cell values, in the workbook's order (chart sheets left out). `visible_only`: the
    visible sheets, or every sheet when none is visible.

    Only the cells in the file are read, whatever size a sheet declares: columns from `max_columns` on are
    not read; a value in a row past `max_rows` raises TooManyRows. Rows end at their last value and are
    then made as long as the longest."""
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900

    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        workbook_path = _office_document(archive)
        rels = _relationships(archive, workbook_path, names)
        root = _parse(archive, workbook_path)
        if root.tag != MAIN + "workbook":
            raise NotReadable(root.tag)
        pr = root.find(MAIN + "workbookPr")
        epoch = CALENDAR_MAC_1904 if pr is not None and pr.get("date1904") in ("1", "true") else CALENDAR_WINDOWS_1900
        by_type: dict[str, str] = {}
        for _id, (kind, target) in rels.items():
            by_type.setdefault(kind, target)
        strings = _shared_strings(archive, by_type["sharedStrings"]) if "sharedStrings" in by_type else []
        dates, durations = _date_styles(archive, by_type["styles"]) if "styles" in by_type else (set(), set())
        sheets_el = root.find(MAIN + "sheets")
        if sheets_el is None:
            raise NotReadable("no sheets")
        found = []
        for sheet in sheets_el.iter(MAIN + "sheet"):
            kind, target = rels[sheet.get(REL + "id", "")]
            if kind == "worksheet":
                found.append((sheet.get("name", ""), sheet.get("state", "visible"), target))
        if visible_only:
            found = [f for f in found if f[1] == "visible"] or found
        sheets = []
        for name, state, target in found:
            reader = _SheetReader(strings, dates, durations, epoch, max_rows, max_columns)
            with archive.open(target) as fh:
                rows = reader.read(fh, progress, name)
            sheets.append(SheetValues(name, state, rows, epoch))
    return sheets


def _parse(archive: zipfile.ZipFile, name: str) -> Element:
    with archive.open(name) as fh:
        return _whole(fh)


def _whole(fh: IO[bytes]) -> Element:
    root = None
    for _event, el in iterparse(fh, events=("end",)):
        root = el
    if root is None:
        raise NotReadable("empty part")
    return root


def _office_document(archive: zipfile.ZipFile) -> str:
    root = _parse(archive, "_rels/.rels")
    for rel in root.iter(PKG_REL + "Relationship"):
        if rel.get("Type", "").endswith(_OFFICE_DOC):
            return rel.get("Target", "").lstrip("/")
    raise NotReadable("no office document")


def _relationships(archive: zipfile.ZipFile, part: str, names: set[str]) -> dict[str, tuple[str, str]]:
    """Id -> (last word of the relationship's type, path of its target in the archive)."""
    folder, name = posixpath.split(part)
    rels_path = posixpath.join(folder, "_rels", name + ".rels")
    out = {}
    for rel in _parse(archive, rels_path).iter(PKG_REL + "Relationship"):
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External":
            continue
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        if path not in names:
            continue
        out[rel.get("Id", "")] = (rel.get("Type", "").rsplit("/", 1)[-1], path)
    return out


def _text_of(el: Element) -> str:
    """The plain text of a string item (<si> or <is>): its <t>, or its runs' <t>; phonetic runs left out."""
    parts = []
    for child in el:
        if child.tag == _T:
            parts.append(child.text or "")
        elif child.tag == _R:
            t = child.find(_T)
            if t is not None:
                parts.append(t.text or "")
    return "".join(parts)


def _shared_strings(archive: zipfile.ZipFile, name: str) -> list[str]:
    strings = []
    with archive.open(name) as fh:
        for _event, el in iterparse(fh, events=("end",)):
            if el.tag == _SI:
                strings.append(_text_of(el).replace("x005F_", ""))   # as openpyxl reads them
                el.clear()
    return strings


def _date_styles(archive: zipfile.ZipFile, name: str) -> tuple[set[int], set[int]]:
    """The cell styles (indexes into cellXfs) whose number format is a date, and those that are a duration."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format

    root = _parse(archive, name)
    custom = {}
    fmts = root.find(MAIN + "numFmts")
    if fmts is not None:
        for f in fmts.iter(MAIN + "numFmt"):
            custom[int(f.get("numFmtId", "0"))] = f.get("formatCode", "")
    dates, durations = set(), set()
    xfs = root.find(MAIN + "cellXfs")
    for i, xf in enumerate(xfs.iter(MAIN + "xf") if xfs is not None else ()):
        fmt_id = int(xf.get("numFmtId", "0"))
        fmt = custom.get(fmt_id) or BUILTIN_FORMATS.get(fmt_id) or ""
        if is_date_format(fmt):
            dates.add(i)
        if is_timedelta_format(fmt):
            durations.add(i)
    return dates, durations


class _SheetReader:
    def __init__(self, strings: list[str], dates: set[int], durations: set[int], epoch: dt.datetime,
                 max_rows: int, max_columns: int):
        self.strings, self.dates, self.durations, self.epoch = strings, dates, durations, epoch
        self.max_rows, self.max_columns = max_rows, max_columns
        self.columns: dict[str, int] = {}

    def column(self, letters: str) -> int:
        """0-based index of a column's letters ("A" -> 0, "AB" -> 27)."""
        index = self.columns.get(letters)
        if index is None:
            index = 0
            for ch in letters:
                index = index * 26 + ord(ch) - 64
            index -= 1
            self.columns[letters] = index
        return index

    def read(self, fh: IO[bytes], progress: Callable[[int, int], None] | None, name: str) -> list[list[Any]]:
        rows: list[list[Any]] = []
        total = 0
        seen_data = False
        number = 0
        for _event, el in iterparse(fh, events=("end",)):
            tag = el.tag
            if tag != _ROW:
                if tag == _DIMENSION:
                    total = _dimension_rows(el.get("ref", ""))
                elif tag == _SHEET_DATA:
                    seen_data = True
                continue
            r = el.get("r")
            previous, number = number, int(r) if r else number + 1
            if number <= previous:
                raise NotReadable("rows out of order")
            values = self.row(el)
            el.clear()   # the row's cells are not kept as XML
            while values and values[-1] is None:
                values.pop()
            if number > self.max_rows:
                if values:
                    raise TooManyRows(name)
                continue
            while len(rows) < number - 1:
                rows.append([])
            rows.append(values)
            if progress and len(rows) % 200 == 0:
                progress(len(rows), 2 * max(total, len(rows)))
        if not seen_data:
            raise NotReadable("no sheetData")
        width = max((len(r) for r in rows), default=0)
        for r in rows:
            if len(r) < width:
                r.extend([None] * (width - len(r)))
        return rows

    def row(self, el: Element) -> list[Any]:
        values: list[Any] = []
        for c in el:
            if c.tag != _C:
                continue
            ref = c.get("r")
            index = self.column(ref.rstrip(_DIGITS)) if ref else len(values)
            if index >= self.max_columns:
                continue   # beyond the columns read (and nothing after it is nearer)
            if index < len(values):
                raise NotReadable("cells out of order")
            while len(values) < index:
                values.append(None)
            values.append(self.value(c))
        return values

    def value(self, c: Element) -> Any:
        kind = c.get("t", "n")
        if kind == "inlineStr":
            inline = c.find(_IS)
            return None if inline is None else _text_of(inline)
        text = c.findtext(_V)
        if not text:
            return None
        if kind == "n":
            number: int | float = float(text) if ("." in text or "E" in text or "e" in text) else int(text)
            style = c.get("s")
            if style and int(style) in self.dates:
                return self.date(number, int(style) in self.durations)
            return number
        if kind == "s":
            return self.strings[int(text)]
        if kind == "b":
            return bool(int(text))
        if kind == "d":
            from openpyxl.utils.datetime import from_ISO8601

            return from_ISO8601(text)
        return text    # "str" (a formula's text), "e" (an error such as #N/A)

    def date(self, number: float, duration: bool) -> Any:
        from openpyxl.utils.datetime import from_excel

        try:
            return from_excel(number, self.epoch, timedelta=duration)
        except (OverflowError, ValueError):
            return "#VALUE!"   # as openpyxl: a date outside the calendar reads as an error value


def _dimension_rows(ref: str) -> int:
    last = ref.split(":")[-1]
    m = _REF.match(last)
    return int(m.group(2)) if m else 0
