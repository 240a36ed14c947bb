"""The year-end papers as the superior committee's office reads them (issue 13): the report on Mẫu 01
with its annex, the review minutes from the meeting recorded for it, the personal self-reviews on the
form the member's attributes choose, the one-page summary, the committee's report. Each is read back
from the PDF (pdftotext, pdfinfo, pdffonts)."""
from __future__ import annotations

import datetime as dt
import re
import shutil

import pytest

from services.db import open_database
from services.demo import write_demo
from services.errors import UserError, ValidationError
from services.review.forms import write_year_end
from services.review.meeting import review_meeting
from services.review.service import year_review
from services.review.tally import tally

from .papers_support import assert_clean, assert_in_order, needs_poppler, page_size, pages, run, text

pytestmark = needs_poppler


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    write_demo(path, seed=3, year=2025, today=dt.date(2026, 1, 10))
    return path


@pytest.fixture
def database(demo, tmp_path):
    path = tmp_path / "demo.db"
    shutil.copy(demo, path)
    db = open_database(path)
    yield db
    db.close()


def _print(db, tmp_path, form, **kw):
    out = tmp_path / f"{form}.pdf"
    with db.begin() as s:
        write_year_end(s, 2025, out, form=form, **kw)
    return out


# --- the collective report (Mẫu 01-HD KĐ.ĐG) ---------------------------------------------------------

def test_report_follows_the_template_with_the_tally_in_an_annex(database, tmp_path):
    pdf = _print(database, tmp_path, "bao-cao")
    words = text(pdf)
    assert_in_order(words, "Mẫu 01-HD KĐ.ĐG", "ĐẢNG BỘ SỞ LAO ĐỘNG - TBXH", "CHI BỘ VĂN PHÒNG SỞ", "BÁO CÁO",
                    "I. ƯU ĐIỂM, KẾT QUẢ ĐẠT ĐƯỢC", "II. HẠN CHẾ, KHUYẾT ĐIỂM VÀ NGUYÊN NHÂN",
                    "1. Hạn chế, khuyết điểm", "2. Nguyên nhân",
                    "III. KẾT QUẢ KHẮC PHỤC NHỮNG HẠN CHẾ, KHUYẾT ĐIỂM ĐÃ ĐƯỢC CẤP CÓ THẨM QUYỀN KẾT LUẬN HOẶC "
                    "ĐƯỢC CHỈ RA Ở CÁC KỲ KIỂM ĐIỂM TRƯỚC",
                    "IV. GIẢI TRÌNH NHỮNG VẤN ĐỀ ĐƯỢC GỢI Ý KIỂM ĐIỂM (NẾU CÓ)", "Không có.",
                    "V. LÀM RÕ TRÁCH NHIỆM CỦA TẬP THỂ VÀ CÁ NHÂN",
                    "VI. PHƯƠNG HƯỚNG, BIỆN PHÁP KHẮC PHỤC HẠN CHẾ, KHUYẾT ĐIỂM",
                    "VII. TỰ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG", "T/M CHI BỘ", "PHỤ LỤC",
                    "KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG ĐẢNG VIÊN NĂM 2025")
    # the documents cited in full, each citation on one line
    lines = run("pdftotext", "-layout", pdf, "-").replace("\u00a0", " ")
    for cite in ("Quy định số 366-QĐ/TW ngày 30/8/2025", "Hướng dẫn số 43-HD/BTCTW ngày 31/10/2025",
                 "Công văn số 10072-CV/BTCTW ngày 06/11/2025"):
        assert cite in lines, f"“{cite}” split across lines"
    assert "Hướng dẫn số 43-HD/BTCTW ngày 31/10/2025 của Ban Tổ chức Trung ương" in words
    # the members' tally and chart are in the annex, after the signature, not in the report's body
    body, annex = words.split("PHỤ LỤC", 1)
    assert "Mức xếp loại" not in body and "Mức xếp loại" in annex
    with database.begin() as s:
        t = tally(s, 2025)
    assert f"số đảng viên được đánh giá, xếp loại: {t.assessed}" in annex
    assert f"Tổng số đảng viên của chi bộ tại thời điểm đánh giá: {t.members_total} đồng chí" in annex
    # 92 points is in the HTXSNV band; the branch proposes HTTNV and says why
    assert "Tổng số điểm tự chấm 92 điểm thuộc khung “Hoàn thành xuất sắc nhiệm vụ”" in words
    assert "nhưng chi bộ chưa đạt điều kiện:" in words  # each condition the branch has not confirmed, named
    assert "Chi bộ tự nhận mức xếp loại: Hoàn thành tốt nhiệm vụ." in words
    # the annex is a page of its own, after the signature
    last = text(pdf, pages(pdf), pages(pdf))
    assert last.split()[1:3] == ["PHỤ", "LỤC"] or "PHỤ LỤC" in last[:40]
    assert "Nơi nhận: - Đảng ủy Sở Lao động - TBXH (để báo cáo), - Lưu chi bộ." in words
    assert_clean(pdf)


# --- the minutes of the review -----------------------------------------------------------------------

def test_minutes_come_from_the_meeting_recorded_for_the_review(database, tmp_path):
    pdf = _print(database, tmp_path, "bien-ban")
    words = text(pdf)
    with database.begin() as s:
        rm = review_meeting(s, 2025)
        assert rm is not None
        day, present, voters = rm.meeting.date, rm.tally.present, rm.voters
        full_members = rm.tally.full
    assert f"ngày {day.day:02d} tháng {day.month} năm 2025" in words                 # the meeting's real date
    assert f"có mặt: {present} đồng chí (chính thức: {voters}, dự bị: {present - voters})" in words
    assert f"chính thức: {full_members}" in words
    assert_in_order(words, "I. KIỂM ĐIỂM TẬP THỂ CHI BỘ", "biểu quyết thông qua báo cáo",
                    f"Tán thành: {voters}/{voters} đảng viên chính thức có mặt",
                    "Chi bộ biểu quyết tự nhận mức xếp loại chất lượng: Hoàn thành tốt nhiệm vụ",
                    f"Tán thành: {voters - 1}/{voters} đảng viên chính thức có mặt",
                    "II. KIỂM ĐIỂM, ĐÁNH GIÁ, XẾP LOẠI ĐẢNG VIÊN",
                    f"Biểu quyết tính trên {voters} đảng viên chính thức có mặt.", "III. TỔNG HỢP KẾT QUẢ",
                    "THƯ KÝ", "CHỦ TRÌ")
    # every member's votes are counted among those present and entitled
    member_votes = re.findall(r"(?:HTXSNV|HTTNV|HTNV|KHTNV) (\d+)/(\d+)", words)
    assert len(member_votes) >= 20 and {base for _n, base in member_votes} == {str(voters)}
    assert_clean(pdf)


def test_minutes_refuse_votes_that_disagree_with_the_meeting(database, tmp_path):
    from models import MemberReview

    with database.begin() as s:
        voters = review_meeting(s, 2025).voters
        rec = s.query(MemberReview).filter_by(year=2025).first()
        rec.voters = voters + 3
        rec.votes_for = voters + 3
    with pytest.raises(ValidationError) as exc:
        _print(database, tmp_path, "bien-ban")
    assert f"{voters} đảng viên chính thức" in str(exc.value)


# --- the personal self-reviews ------------------------------------------------------------------------

def _member(db, name):
    with db.begin() as s:
        return next(r for r in year_review(s, 2025).rows if r.full_name == name)


def test_personal_form_follows_the_members_attributes(database, tmp_path):
    with database.begin() as s:
        rows = [r for r in year_review(s, 2025).rows if r.elig.counted]
        secretary = next(r for r in rows if r.elig.party_post == "Bí thư chi bộ")
        plain = next(r for r in rows if r.elig.rated and not r.elig.holds_leadership_post
                     and r.elig.in_political_system and not r.elig.party_post)
        retired = next(r for r in rows if r.elig.in_political_system is False and r.elig.rated)
    for row, form, own in ((secretary, "Mẫu 2B-HD KĐ.ĐG 2025", "4. Kết quả đánh giá, xếp loại chất lượng của tập thể"),
                           (plain, "Mẫu 2A-HD KĐ.ĐG 2025", "2. Về tư duy đổi mới, sáng tạo"),
                           (retired, "Mẫu 2C-HD KĐ.ĐG 2025", "nơi cư trú")):
        pdf = _print(database, tmp_path, "ban-kiem-diem", member_ids=[row.member_id])
        words = text(pdf)
        assert form in words and own in words, form
        assert f"Họ và tên: {row.full_name}" in words
        assert pages(pdf) == 2, f"{form}: {pages(pdf)} pages"
        # the header of a personal paper: no issuing body, no "*"
        first = text(pdf, 1, 1).split("BẢN KIỂM ĐIỂM")[0]
        assert "CHI BỘ VĂN PHÒNG SỞ" not in first and "*" not in first and "ĐẢNG CỘNG SẢN VIỆT NAM" in first
        # the levels to tick and the signature are on one page
        last = text(pdf, 2, 2)
        assert "□ Hoàn thành xuất sắc nhiệm vụ" in last and "NGƯỜI TỰ KIỂM ĐIỂM" in last
        assert_clean(pdf)
    words = text(tmp_path / "ban-kiem-diem.pdf")   # the last one printed: the retired member
    assert "Chức vụ đảng: Đảng viên" in words
    secretary_pdf = _print(database, tmp_path, "ban-kiem-diem", member_ids=[secretary.member_id])
    assert "Chức vụ đảng: Bí thư chi bộ" in text(secretary_pdf)
    assert "GIẢI TRÌNH" in text(secretary_pdf)
    assert "GIẢI TRÌNH" not in words                # Mẫu 2C has no such part


def test_no_self_review_for_exempt_or_suspended_members(database, tmp_path):
    with database.begin() as s:
        rows = [r for r in year_review(s, 2025).rows if r.elig.counted]
    apart = [r for r in rows if r.elig.reason in ("exempt", "suspended")]
    assert len(apart) == 2
    with pytest.raises(UserError):
        _print(database, tmp_path, "ban-kiem-diem", member_ids=[apart[0].member_id])
    words = text(_print(database, tmp_path, "ban-kiem-diem"))
    for r in apart:
        assert f"Họ và tên: {r.full_name}" not in words
    new = [r for r in rows if r.elig.reason in ("new_admission", "new_transfer")]
    for r in new:                                    # not rated, but still write their self-review
        assert f"Họ và tên: {r.full_name}" in words


def test_a_member_whose_attributes_are_not_stated_gets_no_guessed_form(database, tmp_path):
    from models import Member

    row = _member(database, "Dương Quốc An")
    with database.begin() as s:
        s.get(Member, row.member_id).holds_leadership_post = None
    with pytest.raises(ValidationError) as exc:
        _print(database, tmp_path, "ban-kiem-diem", member_ids=[row.member_id])
    assert "Dương Quốc An" in str(exc.value) and "giữ chức vụ lãnh đạo" in str(exc.value)


# --- the summary and the list ----------------------------------------------------------------------

def test_summary_with_last_year_fits_one_page(database, tmp_path):
    from services.review.service import set_level

    with database.begin() as s:
        for r in year_review(s, 2024).rows:
            if r.elig.rated:
                set_level(s, 2024, r.member_id, "HTTNV")
    pdf = _print(database, tmp_path, "bieu-tong-hop")
    words = text(pdf)
    assert "Năm 2024" in words and "Năm 2025" in words
    assert pages(pdf) == 1
    assert "T/M CHI BỘ" in words and "Nơi nhận:" in words
    assert_clean(pdf)


def test_every_year_end_paper_is_clean(database, tmp_path):
    for form in ("bieu-tong-hop", "danh-sach", "bao-cao", "bien-ban", "ban-kiem-diem"):
        assert_clean(_print(database, tmp_path, form))


# --- the committee's report ---------------------------------------------------------------------------

def test_committee_report_portrait_with_a_landscape_annex(tmp_path):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from services.exchange.committee import decide_level
    from services.exchange.report import write_committee_report
    from tests.exchange_support import export_branch, make_branch, make_committee, receive_accepted

    branches = [("Chi bộ I", {"HTXSNV": 2, "HTTNV": 8}, 0, "HTXSNV"), ("Chi bộ II", {"HTTNV": 5, "HTNV": 1}, 1, "HTNV"),
                ("Chi bộ III", {"HTTNV": 4}, 0, "HTTNV")]
    files = []
    for i, (name, levels, new, proposed) in enumerate(branches):
        path = tmp_path / f"cb{i}.db"
        provider = make_branch(path, name, levels, new, proposed, offset=30 * i)
        files.append(export_branch(path, tmp_path / f"cb{i}.scb", provider, Ed25519PrivateKey.generate()))
    db = make_committee(tmp_path / "du.db", expected=["Chi bộ Kế hoạch"])
    try:
        for f in files:
            receive_accepted(db, f)   # first files are held until the office accepts each branch's key
        with db.begin() as s:
            decide_level(s, "Chi bộ I", 2020, "HTTNV")
            write_committee_report(s, 2020, tmp_path / "bc.pdf", on=dt.date(2021, 1, 15))
    finally:
        db.close()
    pdf = tmp_path / "bc.pdf"
    n = pages(pdf)
    width, height = page_size(pdf, 1)
    assert width < height                                      # the report itself: portrait
    width, height = page_size(pdf, n)
    assert width > height                                      # the annex: landscape
    words = text(pdf)
    body, annex = words.split("PHỤ LỤC", 1)
    assert "T/M ĐẢNG ỦY" in body and "Nơi nhận:" in body and "Đảng ủy quyết định" in annex
    rows = run("pdftotext", "-layout", "-f", str(n), "-l", str(n), pdf, "-").splitlines()
    first = next(line for line in rows if re.search(r"Chi bộ I\b(?!I)", line))
    assert first.split()[-2:] == ["HTXSNV", "HTTNV"]          # proposed HTXSNV, decided HTTNV
    assert "Đảng bộ có 04 chi bộ trực thuộc; 03 chi bộ đã gửi" in body
    assert not re.search(r"(?<![\d.])\d (chi bộ|đồng chí)", body), "a count under ten without its leading zero"
    assert '"' not in words                                    # Vietnamese quotation marks only
    signature_page = text(pdf, n - 1, n - 1)
    assert len(signature_page.split("Nơi nhận")[0].split()) > 15, "a signature page without text"
    assert_clean(pdf)


def test_dues_book_at_11_pt_with_every_font_embedded(database, tmp_path):
    from services.dues import export_book

    with database.begin() as s:
        export_book(s, 2025, tmp_path / "dp.pdf", dt.date(2026, 1, 10))
    assert_clean(tmp_path / "dp.pdf")
    assert "Nơi nhận: - Đảng ủy Sở Lao động - TBXH (để báo cáo), - Lưu chi bộ." in text(tmp_path / "dp.pdf")


def test_attendance_sheet_at_11_pt_with_its_totals_kept_with_the_last_members(database, tmp_path):
    from services import members as msvc
    from services.meetings import printing

    # 48 members: the member rows fill page 2 exactly, so that the totals would go alone to page 3
    with database.begin() as s:
        for i in range(23):
            msvc.add_member(s, msvc.MemberInput(f"Phan Văn Thêm {chr(65 + i)}", dt.date(2010, 1, 1),
                                                dt.date(2011, 1, 1), dt.date(1980, 1, 1)), dt.date(2026, 1, 10))
    path = tmp_path / "dd.pdf"
    with database.begin() as s:
        printing.write_attendance_pdf(s, 2025, path, dt.date(2026, 1, 10))
    assert_clean(path)
    n = pages(path)
    assert n >= 2
    # the page with the totals also holds numbered member rows: the totals never stand alone
    page = next(i for i in range(1, n + 1) if "Tỷ lệ dự (%)" in text(path, i, i))
    lines = run("pdftotext", "-layout", "-f", str(page), "-l", str(page), path, "-").splitlines()
    totals = next(i for i, line in enumerate(lines) if re.match(r"\s*Có mặt\s+\d", line))
    assert sum(1 for line in lines[:totals] if re.match(r"\s*\d+\s+\S", line)) >= 2
