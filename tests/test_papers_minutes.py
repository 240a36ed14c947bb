"""The monthly minutes as the superior committee's office reads them (issue 13, item 5): who attended,
split as the minutes state it; the representative, guests, speakers and the chair's conclusion; each vote
with its base; a draft marked as such and without a number."""
from __future__ import annotations

import datetime as dt

import pytest

from services import meetings as mt
from services.meetings import printing

from .meeting_fixtures import TODAY, make_branch, new_meeting
from .papers_support import assert_clean, assert_in_order, needs_poppler, pages, text


@pytest.fixture
def branch(db):
    return db, make_branch(db)


def _print(db, mid, path):
    with db.begin() as s:
        printing.write_minutes_pdf(s, mid, path)
    return text(path)


@needs_poppler
def test_draft_is_marked_and_has_no_number_until_finalised(branch, tmp_path):
    db, _ids = branch
    mid = new_meeting(db, dt.date(2025, 5, 6))
    draft = _print(db, mid, tmp_path / "nhap.pdf")
    assert "DỰ THẢO" in draft
    assert "-BB/CB" in draft and "Số 01-BB/CB" not in draft
    with db.begin() as s:
        mt.finalise_meeting(s, mid, "Lê Thị Hồng Nhung", dt.datetime(2025, 5, 8, 9), TODAY)
    final = _print(db, mid, tmp_path / "chinh-thuc.pdf")
    assert "DỰ THẢO" not in final and "Số 01-BB/CB" in final
    assert_clean(tmp_path / "chinh-thuc.pdf")


@needs_poppler
def test_attendance_representative_guests_temporary_members_speakers_and_conclusion(branch, tmp_path):
    db, ids = branch
    # 2025-05-06: 7 members (6 full, Võ Thị Dung probationary), Hồ Văn Em exempt: 6 expected
    mid = new_meeting(db, dt.date(2025, 5, 6), absences={ids["Nguyễn Văn An"]: ("excused", "đi công tác")},
                      representative="đồng chí Kiều Thị Thủy, Đảng ủy viên Đảng ủy Sở",
                      guests="đồng chí Lâm Văn Tư, Giám đốc Trung tâm",
                      temporary_members="Trịnh Văn Khải\nLý Thị Hoa")
    with db.begin() as s:
        mt.set_meeting_notes(s, mid, "Trần Thị Bích: thống nhất với báo cáo; đề nghị bổ sung thời hạn.\n"
                                     "Đồng chí Phạm Quốc Cường: đề nghị phân công rõ người phụ trách.",
                             "Chi bộ thống nhất thực hiện các nhiệm vụ tháng 6.")
        mt.save_resolution(s, mid, mt.ResolutionInput("Thông qua phương hướng tháng 6.", 4, 0, 0))
    words = _print(db, mid, tmp_path / "bb.pdf")
    assert "Đại diện cấp ủy cấp trên: đồng chí Kiều Thị Thủy, Đảng ủy viên Đảng ủy Sở." in words
    assert "Khách mời: đồng chí Lâm Văn Tư, Giám đốc Trung tâm." in words
    assert "Tổng số đảng viên của chi bộ: 7 đồng chí (chính thức: 6, dự bị: 1)." in words
    # 5 present, of whom the probationary member: 4 full and 1 probationary
    assert "có mặt: 5 đồng chí (chính thức: 4, dự bị: 1)" in words
    assert "vắng: 1 đồng chí (có lý do: 1, không lý do: 0)" in words
    assert "Đảng viên sinh hoạt tạm thời dự: 2 đồng chí (đồng chí Trịnh Văn Khải; đồng chí Lý Thị Hoa)." in words
    assert_in_order(words, "Ý kiến thảo luận của đảng viên",
                    "Đồng chí Trần Thị Bích: thống nhất với báo cáo; đề nghị bổ sung thời hạn.",
                    "Đồng chí Phạm Quốc Cường: đề nghị phân công rõ người phụ trách.",
                    "Kết luận của đồng chí chủ trì", "Chi bộ thống nhất thực hiện các nhiệm vụ tháng 6.",
                    "Biểu quyết", "III. PHẦN KẾT THÚC")
    assert_clean(tmp_path / "bb.pdf")


@needs_poppler
def test_each_vote_states_its_base(branch, tmp_path, db):
    db, ids = branch
    # 6 full members expected (Hồ Văn Em exempt); 3 of them absent
    absent = {ids[n]: ("excused", "ốm") for n in ("Nguyễn Văn An", "Trần Thị Bích", "Đặng Văn Phúc")}
    mid = new_meeting(db, dt.date(2025, 6, 5), absences=absent)
    with db.begin() as s:
        voters = mt.YearBook(s, 2025).tally(mt.get_meeting(s, mid)).full_present
        assert voters == 3
        mt.save_resolution(s, mid, mt.ResolutionInput("Nghị quyết A.", 3, 0, 0))
        mt.save_resolution(s, mid, mt.ResolutionInput("Công nhận đảng viên chính thức cho đồng chí Võ Thị Dung.",
                                                      3, 0, 0, kind="make_full"))
    words = _print(db, mid, tmp_path / "bb.pdf")
    # all three present in favour is 100% of those present, yet half of the six full members: not adopted
    assert "Tán thành: 3/6 đảng viên chính thức của chi bộ (50%), chưa đủ quá nửa số đảng viên chính thức" in words
    assert "Nội dung không được thông qua." in words or "không được thông qua" in words
    assert "100%" not in words.split("Biểu quyết")[-1]
    assert "Tán thành: 3/6 đảng viên chính thức của chi bộ (50%), chưa đủ hai phần ba số đảng viên chính thức" \
        in words
    assert "chi bộ chưa đề nghị công nhận đảng viên chính thức" in words


def test_two_thirds_is_reached_at_two_thirds_and_more_than_half_is_strict(branch, db):
    db, _ids = branch
    mid = new_meeting(db, dt.date(2025, 6, 5))
    with db.begin() as s:
        tally = mt.YearBook(s, 2025).tally(mt.get_meeting(s, mid))
        assert tally.full_expected == 6
        assert mt.records.adopted(s, tally, 4, "make_full")          # 4/6 = two thirds: enough
        assert not mt.records.adopted(s, tally, 3, "make_full")
        assert not mt.records.adopted(s, tally, 3)                   # 3/6 is not more than half
        assert mt.records.adopted(s, tally, 4)


def test_speakers_are_read_one_a_line():
    assert mt.parse_speakers("Đồng chí Nguyễn Văn An: đồng ý.\n- Lê Thị Bé: đề nghị\nthêm thời hạn.") == [
        {"name": "Nguyễn Văn An", "text": "đồng ý."}, {"name": "Lê Thị Bé", "text": "đề nghị thêm thời hạn."}]
    assert mt.speakers_text(mt.parse_speakers("an: ý kiến")) == "An: ý kiến"


@needs_poppler
def test_short_minutes_fit_and_the_signatures_have_text_above_them(branch, tmp_path):
    db, _ids = branch
    mid = new_meeting(db, dt.date(2025, 7, 3), kind="extraordinary", topic="Xét đề nghị khen thưởng")
    path = tmp_path / "bt.pdf"
    _print(db, mid, path)
    last = text(path, pages(path), pages(path))
    assert "THƯ KÝ" in last
    before = last.split("THƯ KÝ")[0]
    assert len(before.split()) > 12, "the signatures stand almost alone on the last page"


def test_gui_fields_reach_the_minutes(qtbot, db, monkeypatch):
    from ui.context import AppContext
    from ui.dialogs.meeting_dialog import MeetingDialog
    from ui.main_window import MainWindow

    from .gui_support import wait_ops

    class Ctx(AppContext):
        def today(self):
            return TODAY

    make_branch(db)
    mid = new_meeting(db, dt.date(2025, 11, 5))
    win = MainWindow(Ctx(db))
    qtbot.addWidget(win)
    page = win.show_page("meetings")
    page.refresh()
    page.show_tab(1)
    page.editor.notes["speakers"].insertPlainText("Nguyễn Văn An: đề nghị rà soát hồ sơ.")
    page.editor.notes["conclusion"].insertPlainText("Giao chi ủy theo dõi.")
    assert page.save_minutes()
    wait_ops(qtbot)
    with db.begin() as s:
        m = mt.get_meeting(s, mid)
        assert m.speakers == [{"name": "Nguyễn Văn An", "text": "đề nghị rà soát hồ sơ."}]
        assert m.conclusion == "Giao chi ủy theo dõi."

    dlg = MeetingDialog(win.ctx, mid, parent=win)
    qtbot.addWidget(dlg)
    dlg.representative.insert("đồng chí Kiều Thị Thủy")
    dlg.temporary.insertPlainText("Trịnh Văn Khải")
    dlg.accept()
    wait_ops(qtbot)
    with db.begin() as s:
        m = mt.get_meeting(s, mid)
        assert (m.representative, m.temporary_members) == ("đồng chí Kiều Thị Thủy", "Trịnh Văn Khải")


def test_recipients_in_the_hd36_style():
    from services.pdf import recipient_lines

    assert recipient_lines(["Đảng ủy Sở (để báo cáo)", "- Các đồng chí đảng viên,", "Lưu chi bộ"]) == [
        "- Đảng ủy Sở (để báo cáo),", "- Các đồng chí đảng viên,", "- Lưu chi bộ."]


def test_the_superior_line_names_the_organisation_and_the_papers_go_to_its_committee():
    from services.branch import superior_committee, superior_organisation

    assert superior_organisation("ĐẢNG ỦY SỞ LAO ĐỘNG - TBXH") == "ĐẢNG BỘ SỞ LAO ĐỘNG - TBXH"
    assert superior_organisation("Tỉnh ủy Trà Vinh") == "Đảng bộ tỉnh Trà Vinh"
    assert superior_organisation("Đảng bộ xã La Bằng") == "Đảng bộ xã La Bằng"
    assert superior_committee("Đảng bộ Sở Lao động - TBXH") == "Đảng ủy Sở Lao động - TBXH"
    assert superior_committee("Đảng bộ huyện Đại Từ") == "Huyện ủy Đại Từ"


@needs_poppler
def test_the_recovery_sheet_embeds_its_fonts(tmp_path):
    from services.access import write_recovery_sheet

    from .papers_support import unembedded_fonts

    write_recovery_sheet(tmp_path / "ma.pdf", "ABCD-EFGH", "Chi bộ Văn phòng Sở", tmp_path / "x.db")
    assert unembedded_fonts(tmp_path / "ma.pdf") == []
