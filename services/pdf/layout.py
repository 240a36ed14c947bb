"""Page layout of Party documents (thể thức văn bản của Đảng, HD 36-HD/VPTW, 03/4/2018).

Every printed form (biên bản, báo cáo, nghị quyết) is built with :func:`build_document`:

* A4 portrait (or landscape), margins top/right/bottom/left = 20/15/20/30 mm by default;
* the header, in two columns. Left: the directly superior body (capitals 14), the issuer
  (capitals 14 bold), a centred "*", and the number and symbol (14). Right: "ĐẢNG CỘNG SẢN VIỆT
  NAM" (capitals 15 bold) with a line under it as long as the text, and the place and date
  (14 italic) on the same line as the number;
* the document type (capitals 16 bold, centred) and the subject line (14 bold, centred);
* the body: flowables made with :func:`para`, :func:`heading`, :func:`bullet`, :func:`table`,
  :func:`bar_chart`, or any ReportLab flowable;
* the signatures side by side, and "Nơi nhận:" at the bottom left;
* the page number, centred at the top, from page 2 on (the first page has none).

Text: every string is converted to Unicode NFC before it reaches ReportLab (decomposed tone
marks print misplaced) and, unless ``markup=True`` is given, ``& < >`` are escaped, so user text
never turns into Paragraph markup. A line break in the text is printed as a line break.

Dates: :func:`format_long_date` writes the day with two digits and the month with two digits
only for January and February: "Trà Vinh, ngày 05 tháng 02 năm 2018" but "Hà Nội, ngày 03
tháng 4 năm 2018". That is how HD 36 dates itself ("Hà Nội, ngày 03 tháng 4 năm 2018") and its
Phụ lục 3 example ("Hạ Long, ngày 20 tháng 02 năm 2018"), and it is the rule written out in NĐ
30/2020 for state documents (a 0 before days under 10 and months 1 and 2, so that a digit cannot
be added in front later). Babel's ``MM`` would print "tháng 04", so the date is not formatted
with Babel.

The PDF is deterministic: built twice from the same input, the bytes are the same (ReportLab's
``invariant`` mode: fixed creation date and document id).
"""
from __future__ import annotations

import copy
import datetime
import functools
import math
import re
import sys
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from os import PathLike
from typing import IO, TYPE_CHECKING, Any

from babel.numbers import format_decimal
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.pagesizes import landscape as to_landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.paragraph import cleanBlockQuotedText
from reportlab.platypus.tables import CellStyle
from reportlab.rl_config import paraFontSizeHeightOffset

from ..i18n import long_date
from .fonts import FAMILY, register_fonts

# Compressed streams are written as binary, not also encoded in ASCII85 (ReportLab's default, meant for
# channels that are not 8-bit clean): the same pages a quarter smaller, and ReportLab encodes ASCII85 in
# pure Python, about a tenth of the time of writing the year-end forms.
rl_config.useA85 = 0


def _remembered(original: Callable[..., str]) -> Callable[..., str]:
    """ReportLab's `fp_str` (numbers written into the PDF: "85.03937 0 Td"), remembering what it wrote for
    the same numbers. Without its C accelerator ReportLab formats every coordinate in pure Python (a fifth of
    the time of printing the year-end forms), and the same few hundred positions, sizes and colours come back
    on every page. What is written is the original's, character for character (tests/test_pdf_layout.py)."""
    known: dict[tuple, str] = {}

    def fp_str(*numbers: Any) -> str:
        try:
            return known[numbers]
        except KeyError:
            pass
        except TypeError:   # a list of numbers (a dash pattern): not kept
            return original(*numbers)
        text = original(*numbers)
        if all(type(n) in (int, float) for n in (numbers[0] if len(numbers) == 1 and type(numbers[0]) is tuple
                                                 else numbers)):
            if len(known) >= 50_000:
                known.clear()
            known[numbers] = text
        return text

    fp_str.original = original  # type: ignore[attr-defined]
    return fp_str


def _remember_number_formats() -> None:
    """Installs `_remembered` where ReportLab's modules call `fp_str` (those imported later take it from
    rl_accel), unless ReportLab runs its C accelerator, which needs no help."""
    from reportlab.lib import rl_accel

    original = rl_accel.fp_str
    if getattr(original, "original", None) is not None or "fp_str" in getattr(rl_accel, "_c_funcs", {}):
        return
    fast = _remembered(original)
    for module in [rl_accel, *(m for name, m in list(sys.modules.items()) if name.startswith("reportlab."))]:
        if getattr(module, "fp_str", None) is original:
            module.fp_str = fast  # type: ignore[attr-defined]


_remember_number_formats()

if TYPE_CHECKING:
    from reportlab.graphics.shapes import Drawing

NATIONAL_TITLE = "ĐẢNG CỘNG SẢN VIỆT NAM"
"""The title "Đảng Cộng sản Việt Nam", printed top right on the first page."""

BODY_SIZE = 14
TABLE_SIZE = 12
PAGE_NUMBER_SIZE = 12
CREATOR = "Sổ chi bộ"

# --------------------------------------------------------------------------------------------
# Text and number helpers
# --------------------------------------------------------------------------------------------


def escape(text: str) -> str:
    """& < > written as entities, so that text is never read as Paragraph markup (as
    xml.sax.saxutils.escape, which imports urllib and http for nothing here)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def nfc(text: str) -> str:
    """The text in Unicode NFC (composed tone marks)."""
    return unicodedata.normalize("NFC", text)


def upper_vi(text: str) -> str:
    """Vietnamese capitals, in NFC ("Chi bộ Văn phòng" -> "CHI BỘ VĂN PHÒNG")."""
    return nfc(nfc(text).upper())


# A document cited by its number and date is never split across lines: "Hướng dẫn số 43-HD/BTCTW ngày
# 31/10/2025", "QĐ 366-QĐ/TW" (the spaces inside become non-breaking).
_CITATION = re.compile(
    r"\b(?:Quy định|Hướng dẫn|Công văn|Kết luận|Chỉ thị|Nghị quyết|Quyết định|Thông báo|Nghị định|Báo cáo) "
    r"số \S+(?: ngày \d{1,2}/\d{1,2}/\d{4})?"
    r"|\b(?:QĐ|HD|CV|KL|CT|NQ|NĐ|TB) \d+(?:/\d{4})?-[A-ZĐ]+(?:/[A-ZĐ]+)+")


@functools.lru_cache(maxsize=8192)
def keep_citations(text: str) -> str:
    """The spaces inside document citations made non-breaking (see _CITATION). Remembered: the same names,
    labels and headings come back on every form (a function of the text alone)."""
    return _CITATION.sub(lambda m: m.group(0).replace(" ", "\u00a0"), text)


def _markup(text: str, markup: bool) -> str:
    """NFC text, ready for a Paragraph. Without ``markup``, ``& < >`` are escaped and line breaks kept.
    Document citations are kept on one line."""
    text = keep_citations(nfc(text))
    if markup:
        return text
    return escape(text).replace("\r\n", "\n").replace("\n", "<br/>")


def format_long_date(place: str, date: datetime.date) -> str:
    """Place and date as printed under the title: "Trà Vinh, ngày 22 tháng 12 năm 2020".

    The day always has two digits. The month has two digits only for January and February
    ("ngày 05 tháng 02 năm 2018", "ngày 03 tháng 4 năm 2018"); see the module docstring.
    Without a place, only "ngày … tháng … năm …" is returned.
    """
    text = long_date(date)
    place = nfc(place).strip()
    return f"{place}, {text}" if place else text


def _decimal(value: float | int | Decimal) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def format_number_vi(value: float | int | Decimal, decimals: int | None = None) -> str:
    """A number in Vietnamese style: 1234 -> "1.234", 12.5 -> "12,5", 1234567 -> "1.234.567".

    With ``decimals``, exactly that many decimals are printed, rounded half up
    (``format_number_vi(2.25, 1)`` -> "2,3"). Without it, up to 3 decimals are printed.
    """
    if decimals is None and type(value) is int and 0 <= value < 1000:
        return str(value)   # what Babel writes for these, at a fraction of the cost (table numbers, counts)
    number = _decimal(value)
    if decimals is None:
        number = number.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)
        return format_decimal(number, format="#,##0.###", locale="vi")
    number = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(number, format=pattern, locale="vi")


def format_percent_vi(percent: float | int | Decimal, decimals: int = 1) -> str:
    """A percentage, given in percent (not as a fraction): 67.5 -> "67,5%", 20 -> "20%".

    Rounded half up to at most ``decimals`` decimals (33.333 -> "33,3%"). Trailing zeros are
    left out, and there is no space before "%".
    """
    number = _decimal(percent).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    pattern = "#,##0" + ("." + "#" * decimals if decimals > 0 else "")
    return format_decimal(number, format=pattern, locale="vi") + "%"


# --------------------------------------------------------------------------------------------
# Styles
# --------------------------------------------------------------------------------------------


def _style(name: str, *, size: float = BODY_SIZE, face: str = "", leading: float | None = None,
           **kwargs: Any) -> ParagraphStyle:
    return ParagraphStyle(
        name,
        fontName=FAMILY + face,
        fontSize=size,
        leading=leading if leading is not None else round(size * 1.25, 1),
        **kwargs,
    )


@functools.cache
def _styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    indent = 10 * mm
    return {
        # Header (thể thức)
        "parent": _style("parent", alignment=TA_CENTER, leading=17),
        "issuer": _style("issuer", face="-Bold", alignment=TA_CENTER, leading=17),
        "star": _style("star", alignment=TA_CENTER, leading=15),
        "number": _style("number", alignment=TA_CENTER, leading=17),
        "national": _style("national", size=15, face="-Bold", alignment=TA_CENTER, leading=17),
        "date": _style("date", face="-Italic", alignment=TA_CENTER, leading=17),
        "title": _style("title", size=16, face="-Bold", alignment=TA_CENTER, leading=20,
                        spaceBefore=18),
        "subtitle": _style("subtitle", face="-Bold", alignment=TA_CENTER, leading=18),
        # Body
        "body": _style("body", alignment=TA_JUSTIFY, firstLineIndent=indent, leading=18, spaceAfter=6),
        "body_center": _style("body_center", alignment=TA_CENTER, leading=18, spaceAfter=6),
        "body_left": _style("body_left", alignment=TA_LEFT, leading=18, spaceAfter=6),
        "body_right": _style("body_right", alignment=TA_RIGHT, leading=18, spaceAfter=6),
        "heading": _style("heading", face="-Bold", alignment=TA_JUSTIFY, firstLineIndent=indent,
                          leading=18, spaceBefore=6, spaceAfter=6, keepWithNext=1),
        "cell": _style("cell", size=TABLE_SIZE, alignment=TA_LEFT, leading=14),
        "cell_right": _style("cell_right", size=TABLE_SIZE, alignment=TA_RIGHT, leading=14),
        "cell_center": _style("cell_center", size=TABLE_SIZE, alignment=TA_CENTER, leading=14),
        "cell_head": _style("cell_head", size=TABLE_SIZE, face="-Bold", alignment=TA_CENTER, leading=14),
        # Closing
        "sig_title": _style("sig_title", face="-Bold", alignment=TA_CENTER, leading=17),
        "sig_name": _style("sig_name", face="-Bold", alignment=TA_CENTER, leading=17),
        "sig_note": _style("sig_note", face="-Italic", alignment=TA_CENTER, leading=17),
        # "Nơi nhận:" in Party documents (HD 36, Phụ lục 3): lower case 14, upright, underlined;
        # the recipients 12, upright, one a line.
        "recipients_head": _style("recipients_head", size=14, leading=17),
        "recipients_item": _style("recipients_item", size=12, leading=14.5),
        # Chỉ dẫn về dự thảo văn bản and the annex heading
        "draft": _style("draft", face="-Bold", alignment=TA_CENTER, leading=17),
        "annex_title": _style("annex_title", face="-Bold", alignment=TA_CENTER, leading=18),
        "annex_subtitle": _style("annex_subtitle", face="-Bold", alignment=TA_CENTER, leading=18),
        "annex_note": _style("annex_note", face="-Italic", alignment=TA_CENTER, leading=18, spaceAfter=6),
    }


_ALIGNS = {"justify": "body", "center": "body_center", "left": "body_left", "right": "body_right"}


class _Line(Paragraph):
    """A Paragraph of plain text that, while it fits on one line, is measured and drawn as one string.

    ReportLab parses a Paragraph's text as markup when it is made, then breaks it into lines and draws it
    word by word; most texts of the forms are one line (headings, the header, names, "□ level"). This one
    draws such a line where a Paragraph of the same style draws it: the same font, baseline, indents and
    alignment (a single line is never stretched when justified). When the text does not fit, or ReportLab
    needs the Paragraph's own workings (splitting, `frags`), it parses the text and is that Paragraph."""

    def __init__(self, text, style=None, bulletText=None, frags=None, caseSensitive=1, encoding="utf8",
                 line: str | None = None):
        self._one: float | None = None   # the space left on the line while drawn as one string
        if line is None:   # made by Paragraph.split, or by ReportLab from markup: an ordinary Paragraph
            self._line = None
            super().__init__(text, style, bulletText, frags, caseSensitive, encoding)
            return
        self._line = line
        self._width = _width(line, style.fontName, style.fontSize)
        self.caseSensitive, self.encoding = caseSensitive, encoding
        self.text, self.style, self.bulletText, self.debug = escape(line), style, None, 0

    @property
    def frags(self):
        frags = self.__dict__.get("_frags")
        if frags is None:
            self._setup(self.text, self.style, None, None, cleanBlockQuotedText)  # type: ignore[attr-defined]
            frags = self.__dict__["_frags"]
        return frags

    @frags.setter
    def frags(self, value) -> None:
        self.__dict__["_frags"] = value

    def breakLines(self, width):
        """ReportLab's line breaking, remembered for plain text: the lines of a text depend only on the text,
        the style and the widths, and the same headings and notes come back on every member's form (and a
        flowable kept with the next is broken twice, once to measure the group). Each call gets its own
        copy of the lines, and the attributes ReportLab sets while breaking them."""
        if self._line is None or not isinstance(width, list | tuple):
            return super().breakLines(width)
        key = (self._line, self.style, tuple(width), self.encoding)
        known = _BROKEN.get(key)
        if known is None:
            before = dict(self.__dict__)
            result = super().breakLines(width)
            lines = getattr(result, "lines", None)
            if getattr(result, "kind", None) != 0 or not isinstance(lines, list) or not all(
                    type(line) is tuple and len(line) == 2 and type(line[1]) is list
                    and all(type(w) is str for w in line[1]) for line in lines):
                return result   # only the simple kind, of plain words, is kept (and copied) here
            changed = {k: v for k, v in self.__dict__.items()
                       if k != "_frags" and (k not in before or before[k] is not v)}
            if len(_BROKEN) >= _BROKEN_MAX:
                _BROKEN.clear()
            _BROKEN[key] = known = (result, changed)
        result, changed = known
        self.__dict__.update(changed)
        return result.clone(lines=[(space, list(words)) for space, words in result.lines])

    def wrap(self, availWidth, availHeight):
        st = self.style
        if self._line is not None and availWidth >= _FUZZ:
            room = availWidth - st.leftIndent - st.rightIndent - st.firstLineIndent
            if self._width <= room:
                self._one = room - self._width
                self.width, self.height = availWidth, st.leading
                return self.width, self.height
        self._one = None
        return super().wrap(availWidth, availHeight)

    def split(self, availWidth, availHeight):
        if self._one is None or availWidth < _FUZZ or availHeight < _FUZZ:
            self._one = None
            if not hasattr(self, "blPara"):
                super().wrap(availWidth, availHeight)
            return super().split(availWidth, availHeight)
        lines = int(availHeight / float(self.style.leading))   # as Paragraph.split, for one line
        if (not getattr(self.style, "allowOrphans", 0) and lines <= 1) or lines == 0:
            return []
        return [self]

    def draw(self):
        if self._one is None:
            return super().draw()
        st, canvas = self.style, self.canv
        x = st.firstLineIndent
        if st.alignment == TA_CENTER:
            x += 0.5 * self._one
        elif st.alignment == TA_RIGHT:
            x += self._one
        # drawOn has saved the canvas's state and restores it after: no need to do it again here.
        canvas.setFillColor(st.textColor)
        tx = canvas.beginText(st.leftIndent, self.height - (st.fontSize if paraFontSizeHeightOffset else
                                                           getattr(st, "ascent", st.fontSize)))
        tx.setFont(st.fontName, st.fontSize, st.leading)
        if x > 1e-6 or x < -1e-6:
            tx.setXPos(x)
        tx._textOut(self._line, 1)  # type: ignore[attr-defined]  # as Paragraph draws a line
        canvas.drawText(tx)


_FUZZ = 1e-6   # reportlab.platypus.paragraph's: narrower than this, nothing fits
# The lines of plain texts broken by ReportLab, by (text, style, widths, encoding) (see _Line.breakLines).
_BROKEN: dict[tuple, tuple[Any, dict[str, Any]]] = {}
_BROKEN_MAX = 4096
_PLAIN_STYLE = {"bulletText": None, "textTransform": None, "backColor": None, "borderWidth": 0,
                "justifyLastLine": 0, "autoLeading": "", "wordWrap": None, "underline": 0, "strike": 0}


def _lines(text: str, style: ParagraphStyle) -> list[Paragraph]:
    """`text` with line breaks as one paragraph per line, as a Paragraph prints its forced line breaks
    (each line wrapped on its own, one leading apart) when the style adds no space around paragraphs;
    else one Paragraph."""
    lines = nfc(text).replace("\r\n", "\n").split("\n")
    if len(lines) > 1 and not style.spaceBefore and not style.spaceAfter and all(line.strip() for line in lines):
        return [_text(line, style) for line in lines]
    return [_text(text, style)]


@functools.lru_cache(maxsize=64)
def _plain(style: ParagraphStyle) -> bool:
    """Whether a style draws a line of words as they are (no bullet, case change, border, stretching...)."""
    return all(getattr(style, k, v) in (v, None, "", 0, "off", "none") for k, v in _PLAIN_STYLE.items())


@functools.lru_cache(maxsize=8192)
def _width(text: str, font: str, size: float) -> float:
    """`stringWidth`, remembered: the same names, levels and labels come back on every form of the year."""
    return stringWidth(text, font, size)


def _text(text: str, style: ParagraphStyle) -> Paragraph:
    """A Paragraph of plain `text` (not markup): a `_Line` when it is one run of words in a plain style.

    The line is the text as a Paragraph prints it: citations kept whole (`keep_citations`), words apart by
    one space. Texts with other kinds of white space than spaces go to ReportLab as they are."""
    text = keep_citations(nfc(text))
    line = _as_line(text)
    if line is not None and _plain(style):
        return _Line(None, style, line=line)
    return Paragraph(_markup(text, False), style)


# The entities a text written by the program may hold without any tag ("□&nbsp;&nbsp;Hoàn thành tốt").
_ENTITIES = {"&nbsp;": "\xa0", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&amp;": "&"}
_OTHER_ENTITY = re.compile(r"&(?!(?:nbsp|lt|gt|quot|amp);)")


def _marked(text: str, style: ParagraphStyle) -> Paragraph:
    """A Paragraph of markup `text` (citations kept whole): when the markup is only entities, no tag, the
    plain text they stand for (`_text`, drawn as one string when it is one line)."""
    if "<" not in text and not _OTHER_ENTITY.search(text):
        plain = text
        for entity, char in _ENTITIES.items():   # &amp; last: "&amp;lt;" is the text "&lt;"
            plain = plain.replace(entity, char)
        if _as_line(plain) is not None:   # a line break in markup is a space: left to ReportLab
            return _text(plain, style)
    return Paragraph(_markup(text, True), style)


def _as_line(text: str) -> str | None:
    """The words of `text` one space apart, as a Paragraph prints them on a line, or None when the text has
    line breaks or white space other than spaces (left to ReportLab), or nothing printable."""
    # Every white space but the space and the no-break space is unprintable: one test covers both.
    if not text.replace("\xa0", " ").isprintable():
        return None
    if "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text or None
    words = [w for w in text.split(" ") if w]
    return " ".join(words) if words else None


# --------------------------------------------------------------------------------------------
# Body flowables
# --------------------------------------------------------------------------------------------


def para(text: str, markup: bool = False, *, align: str = "justify") -> Paragraph:
    """A body paragraph: 14 pt, justified, first line indented 10 mm.

    ``markup=True`` lets ReportLab markup through (``<b>``, ``<i>``, ``<br/>``); only use it for
    text the program writes itself. ``align`` is "justify", "center", "left" or "right" (only
    "justify" indents the first line).
    """
    return _marked(text, _styles()[_ALIGNS[align]]) if markup else _text(text, _styles()[_ALIGNS[align]])


def heading(text: str, markup: bool = False) -> Paragraph:
    """A section heading, e.g. "I. TÌNH HÌNH CHUNG": 14 bold, kept on the page of what follows."""
    return _marked(text, _styles()["heading"]) if markup else _text(text, _styles()["heading"])


def bullet(text: str, markup: bool = False, *, symbol: str = "-") -> Paragraph:
    """A list item as Party documents write it: "- text", indented like a paragraph.

    Later lines start at the left margin, as in the documents typed in Word. ``symbol`` may be
    "+" for a second level.
    """
    if markup:
        return _marked(escape(nfc(symbol)) + " " + text, _styles()["body"])
    return _text(nfc(symbol) + " " + text, _styles()["body"])


_CELL_PADDING = (3, 3, 2, 3)   # left, right, top, bottom (points)
_CELL_LEADING = 14


def _fits(line: str, font: str, size: float, room: float) -> bool:
    return _width(line, font, size) <= room


def _cell(value: Any, face: str, align: str, width: float) -> tuple[Flowable | str | None, str]:
    """A table cell and its alignment ("LEFT", "RIGHT", "CENTER"): ``align`` "right", "center" or None (left
    for text, right for numbers).

    Text that fits on one line is a plain string, which the table draws itself in its font (set for the
    cell by `table`): placed exactly where a one-line Paragraph of the same style puts it, at a fraction
    of the cost (a Paragraph parses its text as markup, then breaks it into lines, for each cell). Longer
    text, or text with line breaks, is a Paragraph that wraps. Empty text is None."""
    if isinstance(value, Flowable):
        return value, "LEFT"
    if value is None:
        return "", "LEFT"
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        text = format_number_vi(value)
        align = align or "right"
    else:
        text = keep_citations(nfc(str(value)))
    just = {"right": "RIGHT", "center": "CENTER"}.get(align or "", "LEFT")
    if not text.strip(" "):
        return None, just   # `table` decides (see there)
    line = _as_line(text)
    if line is not None and _fits(line, FAMILY + face, TABLE_SIZE, width - _CELL_PADDING[0] - _CELL_PADDING[1]):
        return line, just
    st = _styles()
    style = st["cell_head"] if face else st["cell_right"] if just == "RIGHT" else \
        st["cell_center"] if just == "CENTER" else st["cell"]
    return Paragraph(_markup(text, False), style), just


class _TableCell(CellStyle):
    """The style a cell of `table` starts with: the table's font, size and leading, centred vertically, padded."""

    fontname = FAMILY
    fontsize = TABLE_SIZE
    leading = _CELL_LEADING
    valign = "MIDDLE"
    leftPadding, rightPadding, topPadding, bottomPadding = _CELL_PADDING


def _blank(cells: Sequence[Flowable | str | None]) -> Flowable | str:
    """The empty cells of a row: an empty string (one line high, as the table draws strings) when the row has
    text of at least one line in another cell, so that the row is no higher; else an empty Paragraph, which
    lets the row be as low as its other cells (an empty row: only its padding)."""
    if any(isinstance(cell, Paragraph) or (isinstance(cell, str) and cell) for cell in cells):
        return ""
    return Paragraph("", _styles()["cell"])


def table(
    rows: Sequence[Sequence[Any]],
    col_widths: Sequence[float],
    header_rows: int = 1,
    repeat_header: bool = True,
    *,
    numeric_cols: Sequence[int] = (),
    center_cols: Sequence[int] = (),
) -> Table:
    """A ruled table, 12 pt, centred on the page.

    ``col_widths`` are in millimetres. The first ``header_rows`` rows are bold and centred, and
    are printed again at the top of each page when ``repeat_header`` is true. Long cells wrap.
    Numbers (int, float, Decimal) are printed Vietnamese style ("1.234") and right-aligned; the
    cells of ``numeric_cols`` are right-aligned even when they are text ("67,5%"), those of
    ``center_cols`` centred (e.g. the "STT" column). A cell may also be any flowable.
    """
    register_fonts()
    widths = [w * mm for w in col_widths]
    data: list[list[Flowable | str | None]] = []
    aligns: list[tuple[int, int, str]] = []   # (column, row, alignment) of every text cell
    for r, row in enumerate(rows):
        if len(row) != len(col_widths):
            raise ValueError(f"Dòng {r + 1} của bảng có {len(row)} ô, cần {len(col_widths)} ô")
        cells: list[Flowable | str | None] = []
        for c, v in enumerate(row):
            if r < header_rows:
                cell, just = _cell(v, "-Bold", "center", widths[c])
            else:
                cell, just = _cell(v, "", "right" if c in numeric_cols else "center" if c in center_cols else "",
                                   widths[c])
            cells.append(cell)
            if just != "LEFT":
                aligns.append((c, r, just))
        if None in cells:
            empty = _blank(cells)
            data.append([empty if cell is None else cell for cell in cells])
        else:
            data.append(cells)
    # Every cell starts in the table's font, size, leading, alignment and padding (_TableCell): as the commands
    # FONTNAME, FONTSIZE, LEADING, VALIGN and the four PADDINGs over the whole table would set them, without
    # ReportLab visiting each cell once for each of these commands.
    result = Table(
        data,
        colWidths=widths,
        repeatRows=header_rows if repeat_header else 0,
        hAlign="CENTER",
        cellStyles=[[_TableCell(repr((i, j))) for j in range(len(widths))] for i in range(len(data))],
    )
    commands: list[tuple] = [("GRID", (0, 0), (-1, -1), 0.5, colors.black)]
    if header_rows:
        commands.append(("FONTNAME", (0, 0), (-1, header_rows - 1), FAMILY + "-Bold"))
    runs: list[list] = []   # one ALIGN command for each run of cells aligned alike down a column
    for c, r, just in sorted(aligns):
        if runs and runs[-1][0] == c and runs[-1][2] == r - 1 and runs[-1][3] == just:
            runs[-1][2] = r
        else:
            runs.append([c, r, r, just])
    commands += [("ALIGN", (c, first), (c, last), just) for c, first, last, just in runs]
    result.setStyle(TableStyle(commands))
    return result


def _nice_step(top: float, max_ticks: int = 6) -> float:
    """A step of 1, 2 or 5 times a power of ten giving at most ``max_ticks`` intervals up to ``top``."""
    if top <= 0:
        return 1
    raw = top / max_ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if factor * power >= raw:
            return factor * power
    return 10 * power  # pragma: no cover


def bar_chart(
    labels: Sequence[str],
    values: Sequence[float],
    width_mm: float,
    height_mm: float,
    *,
    value_format: Callable[[float], str] | None = None,
    integer_axis: bool = True,
) -> Drawing:
    """A vertical bar chart (a flowable), e.g. the member ratings of the year-end report.

    Category labels (Vietnamese, 11 pt) wrap under their bar; each bar carries its value above
    it. ``value_format`` formats those values (default: :func:`format_number_vi`; give
    :func:`format_percent_vi` for percentages). The value axis starts at 0 and, with
    ``integer_axis``, has whole-number steps. Bars are grey, so the chart prints well in black
    and white.
    """
    if len(labels) != len(values):
        raise ValueError("Số nhãn và số giá trị của biểu đồ phải bằng nhau")
    register_fonts()
    fmt = value_format or format_number_vi
    width, height = width_mm * mm, height_mm * mm
    label_size, axis_size = 11, 11   # no text under 11 pt on a paper
    left_pad, right_pad, top_pad = 14 * mm, 2 * mm, 7 * mm

    plot_width = width - left_pad - right_pad
    slot = plot_width / max(len(labels), 1)
    texts = [nfc(t) for t in labels]
    lines = max((len(simpleSplit(t, FAMILY, label_size, slot - 4)) for t in texts), default=1)
    bottom_pad = lines * label_size * 1.2 + 8

    from reportlab.graphics.charts.barcharts import VerticalBarChart  # only the forms with a chart need it
    from reportlab.graphics.shapes import Drawing

    chart = VerticalBarChart()
    # the stubs declare ints; ReportLab takes any number of points
    chart.x, chart.y = left_pad, bottom_pad  # type: ignore[assignment]
    chart.width, chart.height = plot_width, height - bottom_pad - top_pad  # type: ignore[assignment]
    chart.data = [list(values)]
    chart.barWidth = 10
    chart.groupSpacing = 10
    chart.bars[0].fillColor = colors.HexColor("#8c8c8c")
    chart.bars[0].strokeColor = colors.black
    chart.bars[0].strokeWidth = 0.5

    axis = chart.categoryAxis
    axis.categoryNames = texts
    axis.labels.fontName = FAMILY
    axis.labels.fontSize = label_size
    axis.labels.boxAnchor = "n"
    axis.labels.dy = -4
    axis.labels.maxWidth = slot - 4
    axis.labels.leading = label_size * 1.2
    axis.labels.textAnchor = "middle"

    top = max([0, *values])
    step = _nice_step(top)
    if integer_axis:
        step = max(1, round(step))
    values_axis = chart.valueAxis
    values_axis.valueMin = min(0, *values) if values else 0
    values_axis.valueMax = step * max(1, math.ceil(top / step))
    values_axis.valueStep = step
    values_axis.labels.fontName = FAMILY
    values_axis.labels.fontSize = axis_size
    values_axis.labelTextFormat = format_number_vi
    values_axis.visibleGrid = True
    values_axis.gridStrokeColor = colors.HexColor("#cccccc")
    values_axis.gridStrokeWidth = 0.3

    chart.barLabelFormat = fmt
    chart.barLabels.fontName = FAMILY
    chart.barLabels.fontSize = axis_size
    chart.barLabels.nudge = 6

    drawing = Drawing(width, height)
    drawing.initialFontName = FAMILY  # type: ignore[attr-defined]  # else the renderer selects Helvetica, which is not embedded
    drawing.add(chart)
    drawing.hAlign = "CENTER"
    return drawing


# --------------------------------------------------------------------------------------------
# Header, title and closing
# --------------------------------------------------------------------------------------------


@dataclass
class DocumentHeader:
    """The header elements (thể thức) of a Party document.

    ``parents`` lists the superior bodies top-down, e.g. ["ĐẢNG BỘ TỈNH TRÀ VINH", "ĐẢNG BỘ SỞ LAO
    ĐỘNG - TBXH"]. Only the directly superior body, the last one, is printed (HD 36 names only
    "cấp trên trực tiếp"); the others are kept for callers that need the full chain. An empty
    list prints no superior body.
    ``issuer`` is the body issuing the document, e.g. "CHI BỘ VĂN PHÒNG SỞ". An empty issuer prints
    no left column at all (no superior body, no "*"): a personal paper such as a member's
    self-review has only the title and the place and date. ``number`` is the number and symbol
    as printed, e.g. "Số 05-BB/CB", or None. Names are printed in capitals whatever case they are
    given in. ``date`` None prints "ngày …… tháng …… năm ……" to fill in by hand. ``draft`` prints
    "DỰ THẢO" in a box at the top right (chỉ dẫn về dự thảo văn bản).
    """

    parents: list[str]
    issuer: str
    number: str | None
    place: str
    date: datetime.date | None
    draft: bool = False


@dataclass
class Annex:
    """A part printed after the signatures, from a new page: a phụ lục, e.g. the table of a report.

    ``title`` ("Phụ lục") and ``subtitle`` are printed centred in bold, ``note`` ("(Kèm theo Báo
    cáo số …)") centred in italics under them. With ``landscape`` the annex is on A4 landscape
    whatever the document's orientation.
    """

    title: str
    subtitle: str
    body: list[Flowable]
    note: str = ""
    landscape: bool = False


@dataclass
class SignatureBlock:
    """A signature: title lines in bold capitals, room to sign, then the name in bold.

    E.g. ``SignatureBlock(["T/M CHI BỘ", "BÍ THƯ"], "Nguyễn Văn A")``, or for minutes
    ``SignatureBlock(["THƯ KÝ"], ...)`` and ``SignatureBlock(["CHỦ TRÌ"], ...)``.
    """

    title_lines: list[str]
    name: str = ""
    space_mm: float = 25.0
    note: str = ""        # printed as written, in italics, under the title: "(Ký, ghi rõ họ tên)"


class _Rule(Flowable):
    """A horizontal line of a fixed width (the line under "ĐẢNG CỘNG SẢN VIỆT NAM")."""

    def __init__(self, width: float, thickness: float = 0.6, space_before: float = 2.5):
        super().__init__()
        self.width = width
        self.thickness = thickness
        self.height = space_before + thickness
        self.hAlign = "CENTER"

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        self.canv.setLineWidth(self.thickness)
        self.canv.line(0, self.thickness / 2, self.width, self.thickness / 2)


class _TopMark(Flowable):
    """Text drawn in the top margin of the page it is on (takes no room in the text): "DỰ THẢO" in a
    box at the top right of a draft."""

    def __init__(self, text: str, boxed: bool = True, size: float = 14):
        super().__init__()
        self.text = nfc(text)
        self.boxed = boxed
        self.size = size
        self.width = self.height = 0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0, 0

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        page_width, page_height = canvas._pagesize
        font = FAMILY + "-Bold"
        text_width = stringWidth(self.text, font, self.size)
        right = page_width - 15 * mm
        base = page_height - 13 * mm
        canvas.saveState()
        canvas.setFont(font, self.size)
        canvas.drawRightString(right - 2 * mm, base, self.text)
        if self.boxed:
            canvas.setLineWidth(0.8)
            canvas.rect(right - text_width - 4 * mm, base - 2 * mm, text_width + 4 * mm, self.size + 3 * mm)
        canvas.restoreState()


def _date_text(header: DocumentHeader) -> str:
    if header.date is not None:
        return format_long_date(header.place, header.date)
    blank = "ngày …… tháng …… năm ……"
    place = nfc(header.place).strip()
    return f"{place}, {blank}" if place else f"……, {blank}"


def _header_table(header: DocumentHeader, width: float) -> Table:
    st = _styles()
    left: list[Flowable] = []
    if header.issuer:
        if header.parents:
            left.append(_text(upper_vi(header.parents[-1]), st["parent"]))
        left.append(_text(upper_vi(header.issuer), st["issuer"]))
        left.append(_text("*", st["star"]))
        if header.number:
            left.append(_text(header.number, st["number"]))

    national = _text(NATIONAL_TITLE, st["national"])
    rule = _Rule(stringWidth(NATIONAL_TITLE, FAMILY + "-Bold", 15))
    date = _text(_date_text(header), st["date"])

    # The date sits on the line of the number (or of the "*"), below the title and its rule.
    date_row = max(len(left) - 1, 1)
    n_rows = max(len(left), date_row + 1)
    rows: list[list[Any]] = [["", ""] for _ in range(n_rows)]
    for i, item in enumerate(left):
        rows[i][0] = item
    rows[0][1] = [national, rule]
    rows[date_row][1] = date

    left_width = width * 0.47
    result = Table(rows, colWidths=[left_width, width - left_width], hAlign="CENTER")
    result.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTNAME", (0, 0), (-1, -1), FAMILY),
        ("ALIGN", (0, 0), (-1, -1), "CENTER"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    ]))
    return result


def _signature_cell(block: SignatureBlock, n_lines: int) -> list[Flowable]:
    st = _styles()
    lines = [upper_vi(t) for t in block.title_lines]
    # Pad so that the names of blocks side by side print on the same line.
    lines += [""] * (n_lines - len(lines))
    cell: list[Flowable] = [_text(t, st["sig_title"]) if t else Paragraph("&nbsp;", st["sig_title"]) for t in lines]
    if block.note:
        cell.append(_text(block.note, st["sig_note"]))
    cell.append(Spacer(1, block.space_mm * mm))
    name = nfc(block.name)
    cell.append(_text(name, st["sig_name"]) if name else Paragraph("&nbsp;", st["sig_name"]))
    return cell


def recipient_lines(recipients: Sequence[str]) -> list[str]:
    """The recipients as printed under "Nơi nhận:": "- " before each, "," after each but the last,
    "." after the last ("- Đảng ủy Sở (để báo cáo),", "- Lưu chi bộ.")."""
    items = [nfc(r).strip() for r in recipients if nfc(r).strip()]
    out = []
    for i, text in enumerate(items):
        if text.startswith(("-", "+")):
            text = text[1:].strip()
        text = text.rstrip(" ,.;")
        out.append(f"- {text}{'.' if i == len(items) - 1 else ','}")
    return out


def _recipients_cell(recipients: Sequence[str]) -> list[Flowable]:
    st = _styles()
    cell: list[Flowable] = [Paragraph("<u>Nơi nhận:</u>", st["recipients_head"])]
    cell += [_text(line, st["recipients_item"]) for line in recipient_lines(recipients)]
    return cell


def _closing(signatures: Sequence[SignatureBlock], recipients: Sequence[str], width: float) -> Table:
    """Signatures side by side and "Nơi nhận:" bottom left.

    All in a one-cell table, which ReportLab never splits, so the block stays on one page.
    """
    n_lines = max((len(s.title_lines) for s in signatures), default=0)
    cells = [_signature_cell(s, n_lines) for s in signatures]
    plain = TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTNAME", (0, 0), (-1, -1), FAMILY),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    ])
    parts: list[Flowable] = []
    if len(cells) <= 1:
        # One signer: the recipients on the left, the signature on the right, both at the top.
        left = _recipients_cell(recipients) if recipients else ""
        right = cells[0] if cells else ""
        t = Table([[left, right]], colWidths=[width * 0.5, width * 0.5])
        t.setStyle(plain)
        parts.append(t)
    else:
        t = Table([cells], colWidths=[width / len(cells)] * len(cells))
        t.setStyle(plain)
        parts.append(t)
        if recipients:
            r = Table([[_recipients_cell(recipients), ""]], colWidths=[width * 0.5, width * 0.5])
            r.setStyle(plain)
            parts.extend([Spacer(1, 6 * mm), r])
    block = Table([[[Spacer(1, 4 * mm), *parts]]], colWidths=[width])
    block.setStyle(plain)
    return block


def _page_number(canvas: Any, doc: BaseDocTemplate) -> None:
    """Page number centred in the top margin, from page 2 of each document on (drawn when the page is
    finished, so that a document starting on this page has already reset the count)."""
    page = canvas.getPageNumber() - getattr(canvas, "_document_start", 1) + 1
    if page < 2:
        return
    frame = doc.pageTemplate.frames[0]
    page_height = canvas._pagesize[1]
    top = page_height - (frame.y1 + frame.height)
    canvas.saveState()
    canvas.setFont(FAMILY, PAGE_NUMBER_SIZE)
    y = page_height - top / 2 - PAGE_NUMBER_SIZE / 3
    canvas.drawCentredString(frame.x1 + frame.width / 2, y, str(page))
    canvas.restoreState()


class _DocumentStart(Flowable):
    """Where a document starts in a PDF of several: page numbers restart from its first page."""

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv._document_start = self.canv.getPageNumber()  # type: ignore[attr-defined]


@dataclass
class Document:
    """One document as :func:`build_document` takes it; :func:`build_documents` prints several."""

    header: DocumentHeader
    title: str
    subtitle: str | None
    body: Sequence[Flowable]
    signatures: Sequence[SignatureBlock] | None = None
    recipients: Sequence[str] | None = None
    annexes: Sequence[Annex] = ()
    landscape: bool = False


class _Frame(Frame):
    """A Frame copied quickly. ReportLab deep-copies the frame each time it measures a group of flowables kept
    together (every heading with what follows it, the closing with the last lines), through the generic
    `copy.deepcopy`, which visits each of the frame's two dozen attributes; numbers and strings are shared
    as `deepcopy` shares them, anything else is deep-copied as before."""

    def __deepcopy__(self, memo: dict[int, Any]) -> _Frame:
        new = self.__class__.__new__(self.__class__)
        memo[id(self)] = new
        new.__dict__.update({k: v if type(v) in _ATOMIC else copy.deepcopy(v, memo) for k, v in self.__dict__.items()})
        return new


_ATOMIC = (int, float, str, bool, type(None))
PORTRAIT_MARGINS = (20.0, 15.0, 20.0, 30.0)
LANDSCAPE_ANNEX_MARGINS = (20.0, 15.0, 15.0, 20.0)


def _is_drawing(item: Any) -> bool:
    """Whether `item` is a chart (ReportLab's graphics are imported only when a chart is drawn)."""
    shapes = sys.modules.get("reportlab.graphics.shapes")
    return shapes is not None and isinstance(item, shapes.Drawing)


def _keep_with_closing(body: list[Flowable]) -> None:
    """The signatures never stand alone on a page: the last lines of text go with them.

    The last two paragraphs (and any heading or spacing between them) are kept with the closing;
    a chart at the end is kept with it too. A table at the end is left free to split."""
    kept = 0
    for item in reversed(body):
        if isinstance(item, Spacer):
            item.keepWithNext = 1
            continue
        drawing = _is_drawing(item)
        if isinstance(item, Paragraph) or drawing:
            item.keepWithNext = 1
            kept += 1
            if kept >= 2 or drawing:
                break
            continue
        break


def _story(doc: Document, width_for: Callable[[bool], float]) -> list[Flowable]:
    st = _styles()
    story: list[Flowable] = [_DocumentStart()]
    if doc.header.draft:
        story.append(_TopMark("DỰ THẢO"))
    story.append(_header_table(doc.header, width_for(doc.landscape)))
    story.append(_text(upper_vi(doc.title), st["title"]))
    if doc.subtitle:
        story.extend(_lines(doc.subtitle, st["subtitle"]))
    story.append(Spacer(1, 8 * mm))
    body = list(doc.body)
    if doc.signatures or doc.recipients:
        _keep_with_closing(body)
        body.append(_closing(doc.signatures or [], doc.recipients or [], width_for(doc.landscape)))
    story.extend(body)
    main = "landscape" if doc.landscape else "portrait"
    for annex in doc.annexes:
        story.append(NextPageTemplate("annex_landscape" if annex.landscape else main))
        story.append(PageBreak())
        story.append(_text(upper_vi(annex.title), st["annex_title"]))
        if annex.subtitle:
            story.append(_text(upper_vi(annex.subtitle), st["annex_subtitle"]))
        if annex.note:
            story.append(_text(annex.note, st["annex_note"]))
        story.append(Spacer(1, 4 * mm))
        story.extend(annex.body)
    return story


def build_documents(
    path_or_file: str | PathLike[str] | IO[bytes],
    docs: Sequence[Document],
    margins_mm: tuple[float, float, float, float] = PORTRAIT_MARGINS,
) -> None:
    """Write several documents to one PDF, each from a new page with its own header and page
    numbers (restarting at 1). The first document gives the PDF's title and author."""
    if not docs:
        raise ValueError("no document to print")
    fonts = register_fonts()
    first = docs[0]
    target = str(path_or_file) if isinstance(path_or_file, str | PathLike) else path_or_file
    top, right, bottom, left = margins_mm

    def frame(size: tuple[float, float], margins: tuple[float, float, float, float], name: str) -> Frame:
        t, r, b, lm = margins
        # ReportLab's default 6 pt padding inside the margins, as SimpleDocTemplate; the header and
        # closing tables take the width between the margins.
        return _Frame(lm * mm, b * mm, size[0] - (lm + r) * mm, size[1] - (t + b) * mm, id=name)

    portrait, wide = A4, to_landscape(A4)
    doc_title = nfc(first.title if not first.subtitle else f"{first.title} {first.subtitle}")
    doc = BaseDocTemplate(
        target,
        pagesize=wide if first.landscape else portrait,
        topMargin=top * mm, rightMargin=right * mm, bottomMargin=bottom * mm, leftMargin=left * mm,
        title=doc_title, author=nfc(first.header.issuer), subject=nfc(first.subtitle or ""),
        creator=CREATOR, invariant=1, lang="vi", initialFontName=fonts.regular, initialFontSize=BODY_SIZE,
    )
    frames = {
        "portrait": frame(portrait, margins_mm, "portrait"),
        "landscape": frame(wide, margins_mm, "landscape"),
        "annex_landscape": frame(wide, LANDSCAPE_ANNEX_MARGINS, "annex_landscape"),
    }
    sizes = {"portrait": portrait, "landscape": wide, "annex_landscape": wide}
    order = ["landscape", "portrait", "annex_landscape"] if first.landscape else \
        ["portrait", "landscape", "annex_landscape"]
    doc.addPageTemplates([PageTemplate(id=name, frames=[frames[name]], onPageEnd=_page_number, pagesize=sizes[name])
                          for name in order])

    def width_for(landscape: bool) -> float:
        return frames["landscape" if landscape else "portrait"].width

    story: list[Flowable] = []
    for i, d in enumerate(docs):
        if i:
            story.append(NextPageTemplate("landscape" if d.landscape else "portrait"))
            story.append(PageBreak())
        story.extend(_story(d, width_for))
    doc.build(story)


def build_document(
    path_or_file: str | PathLike[str] | IO[bytes],
    header: DocumentHeader,
    title: str,
    subtitle: str | None,
    body: Sequence[Flowable],
    signatures: Sequence[SignatureBlock] | None = None,
    recipients: Sequence[str] | None = None,
    landscape: bool = False,
    margins_mm: tuple[float, float, float, float] = PORTRAIT_MARGINS,
    annexes: Sequence[Annex] = (),
) -> None:
    """Write a Party document to a PDF file (a path, or a binary file object).

    ``title`` is the document type ("Biên bản" prints "BIÊN BẢN"); ``subtitle`` the subject line,
    printed as given. ``margins_mm`` is (top, right, bottom, left) in millimetres; HD 36 uses a
    wide left margin for binding. Signatures are printed side by side in the order given (for
    minutes: the secretary on the left, the chair on the right); a single signature goes on the
    right, beside "Nơi nhận:". The signature block is never split across pages, and the last
    lines of the body go with it, so the signatures never stand alone on a page. ``annexes`` are
    printed after the signatures, each from a new page (A4 landscape when the annex asks for it).
    """
    build_documents(path_or_file, [Document(header, title, subtitle, body, signatures, recipients, annexes,
                                            landscape)], margins_mm)
