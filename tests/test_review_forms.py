"""The printed year-end forms: PDF in the Party document layout, tables also as .xlsx."""
import datetime as dt
import shutil
import subprocess

import pytest

import main
from services.db import open_database
from services.demo import write_demo
from services.review.forms import write_year_end

needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


@pytest.fixture(scope="module")
def demo_2025(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    write_demo(path, seed=3, year=2025, today=dt.date(2026, 1, 10))
    return path


def _text(pdf, first=None, last=None):
    args = ["pdftotext", "-layout"] + (["-f", str(first), "-l", str(last)] if first else []) + [str(pdf), "-"]
    return subprocess.run(args, capture_output=True, text=True, encoding="utf-8", check=True).stdout


@needs_pdftotext
def test_all_year_end_forms_in_one_pdf_with_xlsx_tables(demo_2025, tmp_path):
    database = open_database(demo_2025)
    with database.begin() as s:
        written = write_year_end(s, 2025, tmp_path / "cuoi-nam.pdf", xlsx=True)
    database.close()
    assert [p.name for p in written] == ["cuoi-nam.pdf", "cuoi-nam-bieu-tong-hop.xlsx", "cuoi-nam-danh-sach.xlsx"]
    text = _text(written[0])
    for words in ("BIỂU TỔNG HỢP", "Kết quả đánh giá, xếp loại chất lượng đảng viên năm 2025", "DANH SÁCH",
                  "BÁO CÁO", "Mẫu 01-HD KĐ.ĐG", "VII. TỰ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG", "BIÊN BẢN",
                  "THƯ KÝ", "CHỦ TRÌ", "BẢN KIỂM ĐIỂM", "Mẫu 2A-HD KĐ.ĐG 2025", "T/M CHI BỘ",
                  "Mới chuyển đến dưới 6 tháng", "Trà Vinh, ngày 31 tháng 12 năm 2025"):
        assert words in text, words
    assert "Chi bộ tự nhận mức xếp loại: Hoàn thành tốt nhiệm vụ." in " ".join(text.split())
    assert "Trà Vinh, ngày 08 tháng 12 năm 2025" in text       # the minutes: the date of the review meeting
    from openpyxl import load_workbook

    ws = load_workbook(written[2]).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:3] == ("STT", "Họ và tên", "Ngày sinh")
    levels = [r[5] for r in rows[1:]]
    assert "Không hoàn thành nhiệm vụ" in levels and "Hoàn thành xuất sắc nhiệm vụ" in levels
    assert any(r[7] == "Miễn công tác và sinh hoạt đảng" for r in rows[1:])


@needs_pdftotext
def test_each_form_alone_and_page_numbers_restart(demo_2025, tmp_path):
    out = tmp_path / "bb.pdf"
    assert main.main(["report", "year-end", "--db", str(demo_2025), "--year", "2025", "--form", "bien-ban",
                      "--out", str(out)]) == 0
    first = _text(out, 1, 1)
    assert "BIÊN BẢN" in first and "Số" in first and "-BB/CB" in first
    assert "BÁO CÁO" not in _text(out)


@needs_pdftotext
def test_personal_self_review_form_follows_the_year_and_the_members_post(tmp_path):
    path = tmp_path / "demo.db"
    write_demo(path, seed=1, year=2023, today=dt.date(2024, 1, 10))
    database = open_database(path)
    with database.begin() as s:
        from services.review.service import year_review

        rows = {r.full_name: r for r in year_review(s, 2023).rows}
        secretary = rows["Từ Minh Điền"]
        write_year_end(s, 2023, tmp_path / "kd.pdf", form="ban-kiem-diem", member_ids=[secretary.member_id])
    database.close()
    text = _text(tmp_path / "kd.pdf")
    assert "Mẫu 02B-HD KĐ.ĐG 2023" in text and "BẢN KIỂM ĐIỂM CÁ NHÂN" in text
    assert "Họ và tên: Từ Minh Điền" in text and "Năm 2023" in text
    assert "Tự nhận mức xếp loại chất lượng" in text
    assert "Nhóm tiêu chí" not in text  # no points scale before 2025


def test_forms_refuse_a_wrong_output_or_form(demo_2025, tmp_path, capsys):
    assert main.main(["report", "year-end", "--db", str(demo_2025), "--year", "2025", "--out",
                      str(tmp_path / "x.docx")]) == 1
    assert ".pdf" in capsys.readouterr().err


def test_forms_printed_from_the_review_already_shown_are_the_same_and_not_recomputed(demo_2025, tmp_path, monkeypatch):
    """The review page hands the review and the tally it shows to the printing (issue 17): the same PDF,
    byte for byte, without computing the year's review or tally again."""
    from services.review import forms
    from services.review.service import year_review
    from services.review.tally import tally

    database = open_database(demo_2025)
    with database.begin() as s:
        computed = write_year_end(s, 2025, tmp_path / "computed.pdf")[0]
        review, shown_tally = year_review(s, 2025), tally(s, 2025)

    def not_again(*_args, **_kwargs):
        raise AssertionError("computed again")

    monkeypatch.setattr(forms, "year_review", not_again)
    monkeypatch.setattr(forms, "tally", not_again)
    with database.begin() as s:
        handed = write_year_end(s, 2025, tmp_path / "handed.pdf", review=review, year_tally=shown_tally)[0]
        with pytest.raises(ValueError):
            write_year_end(s, 2024, tmp_path / "wrong.pdf", review=review)
    database.close()
    assert handed.read_bytes() == computed.read_bytes()


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler's pdftoppm is not installed")
def test_year_end_forms_look_exactly_as_when_every_text_was_a_paragraph(demo_2025, tmp_path, monkeypatch):
    """Every form of the year (tables, the personal forms' lines and headings, headers and signatures) is the
    same, pixel for pixel, whether its one-line texts are drawn as strings or as Paragraphs."""
    from reportlab.platypus import Paragraph

    from services.pdf import layout

    database = open_database(demo_2025)
    with database.begin() as s:
        fast = write_year_end(s, 2025, tmp_path / "fast.pdf")[0]
        monkeypatch.setattr(layout, "_text", lambda text, style: Paragraph(layout._markup(text, False), style))
        monkeypatch.setattr(layout, "_lines", lambda text, style: [Paragraph(layout._markup(text, False), style)])
        monkeypatch.setattr(layout, "_fits", lambda *_args: False)
        monkeypatch.setattr(layout, "_marked", lambda text, style: Paragraph(layout._markup(text, True), style))
        monkeypatch.setattr(layout, "_blank", lambda cells: Paragraph("", layout._styles()["cell"]))
        slow = write_year_end(s, 2025, tmp_path / "slow.pdf")[0]
    database.close()

    def pages(pdf, name):
        subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf), str(tmp_path / name)], check=True)
        return [p.read_bytes() for p in sorted(tmp_path.glob(f"{name}-*.png"))]

    fast_pages = pages(fast, "fast")
    assert len(fast_pages) > 10 and fast_pages == pages(slow, "slow")


def _without_remembered_work(monkeypatch) -> None:
    """Printing as before the speed-ups of round 3 of issue 17: every paragraph's lines broken anew, ReportLab's
    own number formatting, its generic copy of the frame, citations looked for in every text."""
    import sys

    from reportlab.lib import rl_accel
    from reportlab.platypus import Paragraph

    from services.pdf import layout

    monkeypatch.setattr(layout._Line, "breakLines", Paragraph.breakLines)
    monkeypatch.delattr(layout._Frame, "__deepcopy__")
    monkeypatch.setattr(layout, "keep_citations", layout.keep_citations.__wrapped__)
    remembered = rl_accel.fp_str
    for name, module in list(sys.modules.items()):
        if name.startswith("reportlab") and getattr(module, "fp_str", None) is remembered:
            monkeypatch.setattr(module, "fp_str", getattr(remembered, "original", remembered))


def test_year_end_forms_are_the_same_bytes_as_without_what_the_printing_remembers(demo_2025, tmp_path, monkeypatch):
    """The printing remembers work it would do again for the same input (a text's lines for the same text,
    style and width; how a number is written into the PDF): every form of the year is the same PDF, byte for
    byte, as when nothing is remembered."""
    database = open_database(demo_2025)
    with database.begin() as s:
        fast = write_year_end(s, 2025, tmp_path / "fast.pdf")[0]
        _without_remembered_work(monkeypatch)
        slow = write_year_end(s, 2025, tmp_path / "slow.pdf")[0]
    database.close()
    assert fast.read_bytes() == slow.read_bytes()


@needs_pdftotext
def test_a_paper_printed_again_after_an_edit_shows_the_edit(demo_2025, tmp_path):
    """What the printing remembers is keyed by the text itself: a member's self-review printed, their post
    changed (a long one, broken over two lines, that differs only at its end), printed again, shows the new
    post and not the old one."""
    from models.member import Member
    from services.review.service import year_review

    def printed(post: str, name: str) -> str:
        with database.begin() as s:
            row = next(r for r in year_review(s, 2025).rows if r.elig.rated and r.elig.in_political_system is not False)
            s.get(Member, row.member_id).position = post
        with database.begin() as s:
            write_year_end(s, 2025, tmp_path / name, form="ban-kiem-diem", member_ids=[row.member_id])
        return " ".join(_text(tmp_path / name).split())

    start = "Phó Trưởng phòng Tổ chức cán bộ kiêm phụ trách công tác thi đua, khen thưởng của Sở và"
    copy = tmp_path / "demo.db"
    shutil.copyfile(demo_2025, copy)
    database = open_database(copy)
    try:
        first = printed(f"{start} văn phòng đoàn thể", "first.pdf")
        second = printed(f"{start} ban quản lý dự án", "second.pdf")
    finally:
        database.close()
    assert "văn phòng đoàn thể" in first and "ban quản lý dự án" not in first
    assert "ban quản lý dự án" in second and "văn phòng đoàn thể" not in second
