"""The printing foundation: Party document layout, fonts, Vietnamese text and number formats.

The PDF checks read the output back with poppler-utils (pdftotext, pdffonts, pdfinfo); they are
skipped when those programs are not installed.
"""
from __future__ import annotations

import datetime
import io
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.pdfbase import pdfmetrics

from services.pdf import fonts as pdf_fonts
from services.pdf.layout import (
    NATIONAL_TITLE,
    Document,
    DocumentHeader,
    SignatureBlock,
    bar_chart,
    build_document,
    build_documents,
    bullet,
    format_long_date,
    format_number_vi,
    format_percent_vi,
    heading,
    para,
    table,
    upper_vi,
)
from services.pdf.sample import (
    ABSENT_NFD,
    CHAIR,
    MEMBERS,
    SECRETARY,
    build_sample_minutes,
    build_sample_report,
)

POPPLER = ("pdftotext", "pdffonts", "pdfinfo")
needs_poppler = pytest.mark.skipif(
    any(shutil.which(tool) is None for tool in POPPLER),
    reason="poppler-utils (pdftotext, pdffonts, pdfinfo) is not installed: cannot read the PDF back",
)


def _run(*args: str | Path) -> str:
    return subprocess.run([str(a) for a in args], check=True, capture_output=True, text=True,
                          encoding="utf-8").stdout


def _text(pdf: Path, first: int | None = None, last: int | None = None) -> str:
    pages = []
    if first is not None:
        pages += ["-f", str(first)]
    if last is not None:
        pages += ["-l", str(last)]
    return _run("pdftotext", "-enc", "UTF-8", *pages, pdf, "-")


def _pages(pdf: Path) -> int:
    for line in _run("pdfinfo", pdf).splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    raise AssertionError("pdfinfo gave no page count")


@pytest.fixture(scope="module")
def minutes_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "bien-ban.pdf"
    build_sample_minutes(path)
    return path


@pytest.fixture(scope="module")
def report_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "bao-cao.pdf"
    build_sample_report(path)
    return path


# ----------------------------------------------------------------------------------------------
# Formats
# ----------------------------------------------------------------------------------------------


def test_long_date_pads_day_and_months_1_2():
    assert format_long_date("Trà Vinh", datetime.date(2020, 12, 22)) == "Trà Vinh, ngày 22 tháng 12 năm 2020"
    assert format_long_date("Trà Vinh", datetime.date(2018, 2, 5)) == "Trà Vinh, ngày 05 tháng 02 năm 2018"
    assert format_long_date("Hà Nội", datetime.date(2018, 4, 3)) == "Hà Nội, ngày 03 tháng 4 năm 2018"
    assert format_long_date("Hạ Long", datetime.date(2018, 1, 20)) == "Hạ Long, ngày 20 tháng 01 năm 2018"
    assert format_long_date("", datetime.date(2021, 3, 9)) == "ngày 09 tháng 3 năm 2021"


def test_long_date_is_nfc():
    nfd_place = unicodedata.normalize("NFD", "Trà Vinh")
    result = format_long_date(nfd_place, datetime.date(2020, 12, 22))
    assert result == "Trà Vinh, ngày 22 tháng 12 năm 2020"
    assert unicodedata.is_normalized("NFC", result)


def test_number_format():
    assert format_number_vi(1234) == "1.234"
    assert format_number_vi(1234567) == "1.234.567"
    assert format_number_vi(0) == "0"
    assert format_number_vi(12.5) == "12,5"
    assert format_number_vi(1240000) == "1.240.000"
    assert format_number_vi(2.25, 1) == "2,3"  # half up, not half even
    assert format_number_vi(7, 2) == "7,00"


def test_percent_format():
    assert format_percent_vi(67.5) == "67,5%"
    assert format_percent_vi(20) == "20%"
    assert format_percent_vi(100) == "100%"
    assert format_percent_vi(100 / 3) == "33,3%"
    assert format_percent_vi(12.25) == "12,3%"
    assert format_percent_vi(71.428, 2) == "71,43%"


def test_upper_vi():
    assert upper_vi("chi bộ văn phòng sở") == "CHI BỘ VĂN PHÒNG SỞ"
    assert upper_vi(unicodedata.normalize("NFD", "đảng ủy")) == "ĐẢNG ỦY"


# ----------------------------------------------------------------------------------------------
# Fonts
# ----------------------------------------------------------------------------------------------


def _vietnamese_letters() -> set[str]:
    letters = set("abcdefghijklmnopqrstuvwxyzđ")
    for vowel in "aăâeêioôơuưy":
        for tone in ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"):
            letters.add(unicodedata.normalize("NFC", vowel + tone))
    return letters | {c.upper() for c in letters}


def test_fonts_register_once_and_cover_vietnamese():
    first = pdf_fonts.register_fonts()
    assert pdf_fonts.register_fonts() is first
    letters = _vietnamese_letters()
    assert len(letters) == 2 * (26 + 1 + 12 * 6 - 6)  # a-z, đ, 12 vowels x 6 tones; a e i o u y counted once
    for name in (first.regular, first.bold, first.italic, first.bold_italic):
        cmap = pdfmetrics.getFont(name).face.charToGlyph
        missing = sorted(c for c in letters if ord(c) not in cmap)
        assert not missing, f"{name} ({first.source}) lacks {missing}"


def test_shipped_liberation_files_and_licence():
    folder = pdf_fonts.resources_dir() / "fonts"
    for face in ("Regular", "Bold", "Italic", "BoldItalic"):
        assert (folder / f"LiberationSerif-{face}.ttf").is_file()
    licence = (folder / "LICENSE-LiberationSerif.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence
    assert "Reserved Font Name Liberation" in licence


def test_resources_dir_in_pyinstaller_bundle(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setattr("sys._MEIPASS", str(tmp_path), raising=False)
    assert pdf_fonts.resources_dir() == tmp_path / "resources"


def test_resources_dir_in_source_tree():
    assert pdf_fonts.resources_dir() == Path(__file__).resolve().parents[1] / "resources"


def test_times_new_roman_preferred_when_installed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    for name in ("times.ttf", "timesbd.ttf", "timesi.ttf", "timesbi.ttf"):
        (tmp_path / name).write_bytes(b"")
    monkeypatch.setattr(pdf_fonts, "windows_fonts_dir", lambda: tmp_path)
    sources = [source for source, _ in pdf_fonts.font_candidates()]
    assert sources == ["Times New Roman", "Liberation Serif"]

    (tmp_path / "timesbi.ttf").unlink()  # an incomplete set is not used
    assert [source for source, _ in pdf_fonts.font_candidates()] == ["Liberation Serif"]


def test_no_windows_fonts_elsewhere(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(pdf_fonts.sys, "platform", "linux")
    assert pdf_fonts.windows_fonts_dir() is None
    assert [source for source, _ in pdf_fonts.font_candidates()] == ["Liberation Serif"]


# ----------------------------------------------------------------------------------------------
# Flowables
# ----------------------------------------------------------------------------------------------


def test_para_escapes_text_unless_markup_is_allowed():
    assert para("A & B <b>").text == "A &amp; B &lt;b&gt;"
    assert para("dòng 1\ndòng 2").text == "dòng 1<br/>dòng 2"
    assert para("<b>Đảng</b>", markup=True).text == "<b>Đảng</b>"
    assert heading("I. <X>").text == "I. &lt;X&gt;"
    assert bullet("a < b").text == "- a &lt; b"


def test_para_normalises_to_nfc():
    nfd = unicodedata.normalize("NFD", "Nguyễn Thị Hồng Nhung")
    assert para(nfd).text == "Nguyễn Thị Hồng Nhung"


def test_table_checks_row_length():
    with pytest.raises(ValueError):
        table([["a", "b"], ["c"]], [20, 20])


def test_bar_chart_checks_lengths():
    with pytest.raises(ValueError):
        bar_chart(["a", "b"], [1], 100, 50)


# ----------------------------------------------------------------------------------------------
# The built PDF
# ----------------------------------------------------------------------------------------------


def _minutes_bytes() -> bytes:
    out = io.BytesIO()
    build_sample_minutes(out)
    return out.getvalue()


def test_pdf_is_deterministic():
    assert _minutes_bytes() == _minutes_bytes()


@needs_poppler
def test_minutes_has_two_pages(minutes_pdf: Path):
    assert _pages(minutes_pdf) == 2


@needs_poppler
def test_vietnamese_text_extracts_exactly(minutes_pdf: Path):
    text = _text(minutes_pdf)
    assert unicodedata.is_normalized("NFC", text)
    for expected in (
        NATIONAL_TITLE,
        "ĐẢNG BỘ SỞ LAO ĐỘNG - TBXH",
        "CHI BỘ VĂN PHÒNG SỞ",
        "Số 05-BB/CB",
        "Trà Vinh, ngày 22 tháng 12 năm 2020",
        "BIÊN BẢN",
        "Sinh hoạt chi bộ thường kỳ tháng 12 năm 2020",
        "THƯ KÝ",
        "CHỦ TRÌ",
        "97,3%",
        "12.500.000 đồng",
        # user text containing & < > printed literally
        "& đúng quy định",
        "<không vượt định mức>",
        *MEMBERS,
    ):
        assert expected in text, expected
    # Only the directly superior body is printed.
    assert "ĐẢNG BỘ TỈNH TRÀ VINH" not in text
    # A name given decomposed (NFD) prints composed.
    assert unicodedata.normalize("NFC", ABSENT_NFD) in text
    assert ABSENT_NFD not in text


@needs_poppler
def test_fonts_are_embedded(minutes_pdf: Path, report_pdf: Path):
    for pdf in (minutes_pdf, report_pdf):
        rows = _run("pdffonts", pdf).splitlines()[2:]
        assert rows, "no fonts listed"
        for row in rows:
            name, emb = row.split()[0], row.split()[-5]
            assert "LiberationSerif" in name or "Times" in name, row
            assert emb == "yes", row


@needs_poppler
def test_page_number_from_page_two(minutes_pdf: Path):
    first_lines = [line.strip() for line in _text(minutes_pdf, 1, 1).splitlines() if line.strip()]
    second_lines = [line.strip() for line in _text(minutes_pdf, 2, 2).splitlines() if line.strip()]
    assert second_lines[0] == "2"
    assert first_lines[0] == "ĐẢNG BỘ SỞ LAO ĐỘNG - TBXH"  # no number at the top of page 1


@needs_poppler
def test_page_numbers_restart_with_each_document_of_a_pdf(tmp_path: Path):
    """Several papers printed together (all the year-end forms): each starts without a number at the top
    of its first page and counts its own pages from 2."""
    header = DocumentHeader(parents=["ĐẢNG BỘ SỞ LAO ĐỘNG - TBXH"], issuer="CHI BỘ VĂN PHÒNG SỞ",
                            number="Số 01-BC/CB", place="Trà Vinh", date=datetime.date(2025, 12, 31))
    def long_body():
        return [para(f"Đoạn thứ {i}: chi bộ thảo luận, thống nhất nội dung kiểm điểm của năm.") for i in range(60)]

    docs = [Document(header, title, None, long_body()) for title in ("BÁO CÁO", "BIÊN BẢN")]
    out = tmp_path / "hai-van-ban.pdf"
    build_documents(out, docs)
    pages = _pages(out)
    firsts = [p for p in range(1, pages + 1) if "ĐẢNG CỘNG SẢN VIỆT NAM" in _text(out, p, p)]
    assert len(firsts) == 2 and firsts[0] == 1
    for page in range(1, pages + 1):
        top = next(line.strip() for line in _text(out, page, page).splitlines() if line.strip())
        start = max(f for f in firsts if f <= page)
        expected = "ĐẢNG BỘ SỞ LAO ĐỘNG - TBXH" if page == start else str(page - start + 1)
        assert top == expected, f"page {page}"


@needs_poppler
def test_signatures_on_the_last_page(minutes_pdf: Path):
    last = _text(minutes_pdf, 2, 2)
    for expected in ("THƯ KÝ", "CHỦ TRÌ", SECRETARY, CHAIR, "Biên bản được thông qua"):
        assert expected in last


@needs_poppler
def test_report_with_recipients_table_and_chart(report_pdf: Path):
    assert _pages(report_pdf) == 1
    text = _text(report_pdf)
    for expected in ("BÁO CÁO", "Nơi nhận:", "- Đảng ủy Sở (để báo cáo),", "T/M CHI BỘ", "BÍ THƯ",
                     "71,4%", "Hoàn thành tốt nhiệm vụ", "Số 12-BC/CB"):
        assert expected in text, expected


@needs_poppler
def test_landscape_and_header_without_number(tmp_path: Path):
    path = tmp_path / "ngang.pdf"
    header = DocumentHeader(parents=[], issuer="Chi bộ Văn phòng Sở", number=None, place="Trà Vinh",
                            date=datetime.date(2021, 1, 5))
    build_document(path, header, "Danh sách", None, [para("Nội dung")], landscape=True,
                   signatures=[SignatureBlock(["T/M CHI BỘ", "BÍ THƯ"], "Nguyễn Văn A")])
    info = _run("pdfinfo", path)
    assert "841.89 x 595.276 pts (A4)" in info  # landscape: wider than high
    text = _text(path)
    assert "CHI BỘ VĂN PHÒNG SỞ" in text
    assert "Trà Vinh, ngày 05 tháng 01 năm 2021" in text


# ----------------------------------------------------------------------------------------------
# One-line texts drawn as strings look exactly like Paragraphs
# ----------------------------------------------------------------------------------------------

needs_pdftoppm = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler's pdftoppm is not installed")


def _as_paragraphs(monkeypatch: pytest.MonkeyPatch) -> None:
    """The layout as it was before issue 17: every text a Paragraph, every table cell too."""
    from reportlab.platypus import Paragraph

    from services.pdf import layout

    monkeypatch.setattr(layout, "_text", lambda text, style: Paragraph(layout._markup(text, False), style))
    monkeypatch.setattr(layout, "_lines", lambda text, style: [Paragraph(layout._markup(text, False), style)])
    monkeypatch.setattr(layout, "_fits", lambda *_args: False)
    monkeypatch.setattr(layout, "_marked", lambda text, style: Paragraph(layout._markup(text, True), style))
    monkeypatch.setattr(layout, "_blank", lambda cells: Paragraph("", layout._styles()["cell"]))


def _pixels(pdf: Path, folder: Path) -> list[bytes]:
    folder.mkdir()
    subprocess.run(["pdftoppm", "-r", "90", "-png", str(pdf), str(folder / "p")], check=True)
    return [p.read_bytes() for p in sorted(folder.glob("p-*.png"))]


@needs_pdftoppm
def test_lines_and_cells_drawn_as_strings_look_exactly_like_paragraphs(tmp_path: Path, monkeypatch):
    """Headings, the header, one-line paragraphs, signatures and table cells that fit on one line are drawn
    as strings (issue 17, printing in a blink); the pages are the same, pixel for pixel, as when every one
    of them was a Paragraph (wrapped cells, justified and centred text, indents, NFD input included)."""
    fast, slow = tmp_path / "fast.pdf", tmp_path / "slow.pdf"
    build_sample_minutes(fast)
    build_sample_report(tmp_path / "fast-report.pdf")
    _as_paragraphs(monkeypatch)
    build_sample_minutes(slow)
    build_sample_report(tmp_path / "slow-report.pdf")
    monkeypatch.undo()
    assert _pixels(fast, tmp_path / "a") == _pixels(slow, tmp_path / "b")
    assert _pixels(tmp_path / "fast-report.pdf", tmp_path / "c") == _pixels(tmp_path / "slow-report.pdf", tmp_path / "d")


@needs_pdftoppm
def test_empty_cells_and_entity_markup_drawn_as_strings_look_exactly_like_paragraphs(tmp_path: Path, monkeypatch):
    """Empty table cells (a box to tick, a score to write by hand, a whole blank row) and markup that is only
    entities ("□&nbsp;&nbsp;Hoàn thành tốt nhiệm vụ") print as they did when each was a Paragraph: rows no
    higher, a blank row as low as before, the spaces kept."""
    def build(path: Path) -> None:
        header = DocumentHeader(parents=["Đảng bộ Sở"], issuer="Chi bộ Văn phòng", number=None, place="Trà Vinh",
                                date=datetime.date(2025, 12, 22))
        rows = [["STT", "Nhóm tiêu chí", "Điểm tối đa", "Tự chấm"],
                [1, "Nhóm tiêu chí chung", 30, None],
                [2, "Nhóm tiêu chí về kết quả thực hiện nhiệm vụ, dài hơn một dòng của ô này", 70, ""],
                [None, "", " ", None],
                ["", " ", "", ""],
                ["", "Cộng", 100, ""]]
        body = [table(rows, [12, 80, 30, 30], center_cols=[0]),
                para("□&nbsp;&nbsp;Hoàn thành tốt nhiệm vụ", markup=True, align="left"),
                heading("A &amp; B&nbsp;&lt;C&gt;", markup=True),
                bullet("Quy định số 366-QĐ/TW ngày 30/8/2025&nbsp;đã có", markup=True),
                para("dòng một\ndòng hai, &nbsp;cách", markup=True)]
        build_document(path, header, "Phiếu", None, body)

    build(tmp_path / "fast.pdf")
    _as_paragraphs(monkeypatch)
    build(tmp_path / "slow.pdf")
    monkeypatch.undo()
    assert "Hoàn thành tốt nhiệm vụ" in _text(tmp_path / "fast.pdf")
    assert _pixels(tmp_path / "fast.pdf", tmp_path / "a") == _pixels(tmp_path / "slow.pdf", tmp_path / "b")


# ----------------------------------------------------------------------------------------------
# What the printing remembers (issue 17, round 3)
# ----------------------------------------------------------------------------------------------

_numbers = st.one_of(st.integers(-10**9, 10**9), st.floats(-1e9, 1e9, allow_nan=False, allow_infinity=False))


@settings(max_examples=300, deadline=None)
@given(st.lists(_numbers, min_size=1, max_size=6), st.booleans())
def test_numbers_are_written_into_the_pdf_as_reportlab_writes_them(numbers, as_tuple):
    """ReportLab's number formatting remembers what it wrote: the same text as ReportLab's own, the first
    time and from memory, for separate numbers or one tuple of them (a colour); a list is not kept."""
    from reportlab.lib import rl_accel
    from reportlab.pdfgen import canvas, textobject

    fast = rl_accel.fp_str
    original = getattr(fast, "original", fast)
    assert canvas.fp_str is fast and textobject.fp_str is fast
    args = (tuple(numbers),) if as_tuple else tuple(numbers)
    assert fast(*args) == original(*args)
    assert fast(*args) == original(*args)
    assert fast(list(numbers)) == original(list(numbers))


def test_lines_of_the_same_long_text_are_each_paragraphs_own():
    """Two paragraphs of the same long text are broken into the same lines, each with its own copy."""
    first, second = para("Nội dung kiểm điểm " * 12), para("Nội dung kiểm điểm " * 12)
    assert first.wrap(400, 1000) == second.wrap(400, 1000) and first.height > 18
    assert first.blPara.lines == second.blPara.lines and first.blPara.lines is not second.blPara.lines
    first.blPara.lines[0][1].append("thêm")
    assert "thêm" not in second.blPara.lines[0][1]
    other = para("Nội dung kiểm điểm " * 11 + "khác hẳn")
    other.wrap(400, 1000)
    assert other.blPara.lines[-1][1][-2:] == ["khác", "hẳn"]
