"""The year-end review page, driven like a user would, on a real temporary database."""
import datetime as dt

import pytest

from models import EventKind
from services.review import service as svc
from tests.review_helpers import add_member, discipline, period
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.models.review import CriteriaModel, ReviewTableModel, TallyModel
from ui.pages.review_sheet import set_level
from ui.qt import Qt, QtWidgets

from .gui_support import wait_ops


class FixedContext(AppContext):
    def today(self):
        return dt.date(2025, 12, 15)


@pytest.fixture
def register(db):
    with db.begin() as s:
        add_member(s, "Nguyễn Văn An")
        add_member(s, "Lê Thị Bình")
        add_member(s, "Trần Văn Cường", events=[discipline(dt.date(2025, 6, 20))])
        add_member(s, "Phạm Thị Dung", admitted=dt.date(2025, 9, 1), full=False)
        add_member(s, "Võ Văn Em", events=[period(EventKind.EXEMPT, dt.date(2024, 1, 1))])
        for name in ("Đỗ Văn Giang", "Hồ Thị Hạnh", "Ngô Văn Khánh"):
            add_member(s, name)
    return db


@pytest.fixture
def page(qtbot, register):
    win = MainWindow(FixedContext(register))
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    page = win.show_page("review")
    assert page.year.value() == 2025
    return page


def _select(page, name):
    for row in range(page.model.rowCount()):
        if page.model.index(row, 0).data() == name:
            page.table.setCurrentIndex(page.model.index(row, 0))
            return
    raise AssertionError(name)


def _rate(page, qtbot, name, level, general, tasks, confirm=True):
    _select(page, name)
    sheet = page.sheet
    sheet.criteria_widgets["general"].setValue(general)
    sheet.criteria_widgets["tasks"].setValue(tasks)
    if confirm:
        for key, box in sheet.flag_boxes.items():
            if key.startswith("cond:"):
                box.setChecked(True)
    set_level(sheet.proposed, level)
    qtbot.mouseClick(sheet.btn_save, Qt.MouseButton.LeftButton)
    wait_ops(qtbot)


def test_models_pass_qt_model_tester(qtmodeltester, register):
    with register.begin() as s:
        review = svc.year_review(s, 2025)
        from services.review.tally import tally

        t = tally(s, 2025)
        br = svc.branch_review(s, 2025)
    model = ReviewTableModel()
    model.set_rows(review.rows)
    qtmodeltester.check(model)
    criteria = CriteriaModel()
    criteria.set_criteria(br.criteria)
    qtmodeltester.check(criteria)
    tally_model = TallyModel()
    tally_model.set_tally(t, review.regulation)
    qtmodeltester.check(tally_model)


def test_eligibility_list_shows_who_is_rated_and_why_not(page):
    rows = {page.model.index(r, 0).data(): page.model.index(r, 1).data() for r in range(page.model.rowCount())}
    assert rows["Phạm Thị Dung"] == "Mới kết nạp dưới 6 tháng"
    assert rows["Võ Văn Em"] == "Miễn công tác và sinh hoạt đảng"
    assert rows["Nguyễn Văn An"] == "Được xếp loại"
    assert "QĐ 366-QĐ/TW" in page.regulation.text() and "31/12/2025" in page.regulation.text()


def test_rating_members_on_the_sheet_and_the_quota_warning(page, qtbot):
    _rate(page, qtbot, "Nguyễn Văn An", "HTXSNV", 28, 64)
    _rate(page, qtbot, "Lê Thị Bình", "HTTNV", 25, 55)
    assert "tối đa 0 đồng chí" in page.quota.text()  # 1 HTTNV: 20% rounds down to 0
    assert "Vượt tỷ lệ" in page.quota.text()        # a warning, the level is still recorded
    with page.ctx.db.begin() as s:
        levels = {r.full_name: r.proposed_level for r in svc.year_review(s, 2025).rows}
    assert levels["Nguyễn Văn An"] == "HTXSNV" and levels["Lê Thị Bình"] == "HTTNV"
    for name in ("Đỗ Văn Giang", "Hồ Thị Hạnh", "Ngô Văn Khánh"):
        _rate(page, qtbot, name, "HTTNV", 25, 55)
    assert "tối đa 0" in page.quota.text()
    _rate(page, qtbot, "Trần Văn Cường", "KHTNV", 15, 30, confirm=False)
    assert page.model.index(page.model.row_of_id(page.selected_id()), 4).data() == "KHTNV"
    assert page.chart.values() == [1, 4, 0, 1]


def test_a_level_above_the_cap_is_refused_with_the_article(page, qtbot):
    _rate(page, qtbot, "Trần Văn Cường", "HTTNV", 25, 55, confirm=False)
    text = page.sheet.problems.text()
    assert "Không thể xếp loại đồng chí Trần Văn Cường" in text and "mục II.B.2" in text
    assert "Mức cao nhất được xếp: KHTNV" in page.sheet.limit_label.text()
    with page.ctx.db.begin() as s:
        assert not svc.records(s, 2025)


def test_the_score_band_limits_the_level(page, qtbot):
    _rate(page, qtbot, "Lê Thị Bình", "HTXSNV", 25, 60)  # 85 points
    assert "Điều 11" in page.sheet.problems.text()


def test_use_the_suggested_level(page, qtbot):
    _select(page, "Trần Văn Cường")
    qtbot.mouseClick(page.sheet.btn_use, Qt.MouseButton.LeftButton)
    assert page.sheet.proposed.currentData() == "KHTNV"


def test_branch_self_assessment_saved_and_shown_in_the_tally(page, qtbot):
    page.tabs.setCurrentIndex(1)
    model = page.criteria
    model.setData(model.index(0, 2), 28)
    model.setData(model.index(1, 2), 64)
    assert "92/100" in page.branch_total.text() and "Hoàn thành xuất sắc nhiệm vụ" in page.branch_total.text()
    set_level(page.branch_proposed, "HTTNV")
    page.narrative["strengths"].setPlainText("Hoàn thành tốt nhiệm vụ chính trị")
    qtbot.mouseClick(page.btn_save_branch, Qt.MouseButton.LeftButton)
    wait_ops(qtbot)
    # QĐ 366 Điều 11: HTTNV needs all tasks done on time, confirmed by the branch.
    assert "Hoàn thành 100% chỉ tiêu" in page.branch_problems.text() and "Điều 11" in page.branch_problems.text()
    page.branch_flag_boxes["cond:all_tasks_on_time"].setChecked(True)
    qtbot.mouseClick(page.btn_save_branch, Qt.MouseButton.LeftButton)
    wait_ops(qtbot)
    assert page.branch_problems.text() == ""
    assert "Chi bộ tự chấm: 92/100 điểm" in page.tally_text.toPlainText()
    model.setData(model.index(0, 1), 40)
    qtbot.mouseClick(page.btn_save_branch, Qt.MouseButton.LeftButton)
    wait_ops(qtbot)
    assert "chưa đúng 100 điểm" in page.branch_problems.text()


def test_close_and_reopen_the_year_with_confirmation(page, qtbot, monkeypatch):
    import ui.pages.review as review_page

    asked = []
    monkeypatch.setattr(review_page, "ask", lambda *a, **k: asked.append(a[2]) or True)
    monkeypatch.setattr(review_page, "inform", lambda *a, **k: None)
    qtbot.mouseClick(page.btn_close, Qt.MouseButton.LeftButton)
    wait_ops(qtbot)
    assert asked and "sao lưu" in asked[0]
    assert "Đã khóa sổ" in page.closed_label.text()
    _select(page, "Nguyễn Văn An")
    assert not page.sheet.btn_save.isEnabled() and not page.btn_save_branch.isEnabled()
    assert page.btn_reopen.isVisible() and not page.btn_close.isVisible()
    qtbot.mouseClick(page.btn_reopen, Qt.MouseButton.LeftButton)
    dlg = page.line_dialog
    qtbot.waitExposed(dlg)
    qtbot.keyClick(dlg.edit, Qt.Key.Key_Return)          # no reason: refused beside the line, still open
    wait_ops(qtbot)
    assert dlg.isVisible() and "lý do" in dlg.problems.plain_text()
    assert "Đã khóa sổ" in page.closed_label.text()
    dlg.edit.insert("Cấp trên yêu cầu sửa")   # typed (QTest types ASCII only)
    qtbot.keyClick(dlg.edit, Qt.Key.Key_Return)
    wait_ops(qtbot)
    assert not dlg.isVisible()
    assert "Cấp trên yêu cầu sửa" in page.closed_label.text()
    assert page.sheet.btn_save.isEnabled()


def test_printing_writes_the_pdf_and_workbooks(page, qtbot, tmp_path, monkeypatch):
    import ui.pages.review as review_page

    said = []
    monkeypatch.setattr(review_page, "inform", lambda *a, **k: said.append(a[2]))
    out = tmp_path / "in"
    out.mkdir()
    page.write_forms(out / "kd.pdf", "danh-sach")
    wait_ops(qtbot)
    assert sorted(p.name for p in out.iterdir()) == ["kd-danh-sach.xlsx", "kd.pdf"]
    assert said and str(out / "kd.pdf") in said[0] and str(out / "kd-danh-sach.xlsx") in said[0]


def _date_dialog(page, qtbot):
    page.btn_date.click()
    dlg = page.line_dialog
    qtbot.waitExposed(dlg)
    dlg.edit.selectAll()
    return dlg


def test_changing_the_review_date(page, qtbot):
    dlg = _date_dialog(page, qtbot)
    qtbot.keyClicks(dlg.edit, "20/12/2025")
    qtbot.keyClick(dlg.edit, Qt.Key.Key_Return)
    wait_ops(qtbot)
    assert not dlg.isVisible()
    assert "20/12/2025" in page.regulation.text()


def test_a_review_date_that_is_not_a_date_keeps_what_was_typed(page, qtbot):
    dlg = _date_dialog(page, qtbot)
    qtbot.keyClicks(dlg.edit, "31/02/2025")
    qtbot.keyClick(dlg.edit, Qt.Key.Key_Return)
    wait_ops(qtbot)
    assert dlg.isVisible() and dlg.edit.text() == "31/02/2025"
    assert dlg.problems.plain_text() == "• “31/02/2025” không phải là ngày (dd/mm/yyyy)."
    assert "31/02/2025" not in page.regulation.text()


def test_a_typed_review_date_is_not_dropped_by_escape_without_a_question(page, qtbot, save_questions):
    from ui import widgets

    dlg = _date_dialog(page, qtbot)
    qtbot.keyClicks(dlg.edit, "20/12/2025")
    save_questions.answer = widgets.CANCEL
    qtbot.keyClick(dlg.edit, Qt.Key.Key_Escape)         # "Hủy": stays, with what is typed
    assert len(save_questions.asked) == 1 and dlg.isVisible() and dlg.edit.text() == "20/12/2025"
    save_questions.answer = widgets.SAVE
    qtbot.keyClick(dlg.edit, Qt.Key.Key_Escape)         # "Lưu": stored
    wait_ops(qtbot)
    assert not dlg.isVisible() and "20/12/2025" in page.regulation.text()


# --- round 2: conditions, overrides, quarters, the quota's base, the rules not confirmed ----------

def test_sheet_refuses_an_unconfirmed_level_and_records_the_superiors_decision_with_its_number(page, qtbot):
    _select(page, "Lê Thị Bình")
    sheet = page.sheet
    sheet.criteria_widgets["general"].setValue(28)
    sheet.criteria_widgets["tasks"].setValue(64)
    set_level(sheet.proposed, "HTXSNV")
    assert "Chưa xác nhận điều kiện của mức “Hoàn thành xuất sắc nhiệm vụ”" in sheet.limit_label.text()
    qtbot.mouseClick(sheet.btn_save, Qt.MouseButton.LeftButton)
    wait_ops(qtbot)
    assert "chưa được xác nhận" in sheet.problems.text() and "Điều 11" in sheet.problems.text()
    set_level(sheet.proposed, "")
    set_level(sheet.decided, "HTXSNV")
    sheet.decision_ref.setText("Thông báo số 125-TB/ĐU")
    assert "Chưa xác nhận điều kiện" not in sheet.limit_label.text()
    qtbot.mouseClick(sheet.btn_save, Qt.MouseButton.LeftButton)
    wait_ops(qtbot)
    with page.ctx.db.begin() as s:
        row = svc.member_row(s, 2025, sheet.row.member_id if sheet.row else 0)
    assert (row.decided_level, row.record.decision_ref) == ("HTXSNV", "Thông báo số 125-TB/ĐU")


def test_sheet_shows_the_quarters_for_a_leader_only(page, qtbot, register):
    from models import Member

    with register.begin() as s:
        boss = s.query(Member).filter_by(full_name="Đỗ Văn Giang").one()
        boss.holds_leadership_post, boss.in_political_system = True, True
    page.refresh()
    _select(page, "Hồ Thị Hạnh")
    assert not page.sheet.quarters_box.isVisible()
    _select(page, "Đỗ Văn Giang")
    sheet = page.sheet
    assert sheet.quarters_box.isVisible() and "hằng quý" in sheet.quarters_note.text()
    # The leader's framework adds the unit's conditions to the boxes the branch ticks.
    assert "cond:unit_tasks_exceeded_30" in sheet.flag_boxes
    for q, level in ((1, "HTTNV"), (2, "HTTNV"), (3, "HTNV")):
        set_level(sheet.quarter_combos[q], level)
    qtbot.mouseClick(sheet.btn_save, Qt.MouseButton.LeftButton)
    wait_ops(qtbot)
    assert sheet.problems.text() == ""
    with page.ctx.db.begin() as s:
        row = svc.member_row(s, 2025, boss.id)
    assert svc.quarters_of(row.record) == {1: "HTTNV", 2: "HTTNV", 3: "HTNV"}
    assert "quý 1 HTTNV, quý 2 HTTNV, quý 3 HTNV" in page.sheet.reasons.text()
    _select(page, "Hồ Thị Hạnh")
    assert "cond:unit_tasks_exceeded_30" not in page.sheet.flag_boxes


def test_page_names_the_quota_reading_and_lists_the_rules_not_confirmed(page, qtbot, monkeypatch):
    assert "Cách tính tỷ lệ: Số lượng “Hoàn thành xuất sắc nhiệm vụ”" in page.quota.text()
    assert page.btn_doubts.isVisible() and "chưa đối chiếu được" in page.btn_doubts.text()
    text = page.doubts_text()
    assert "Nghỉ ốm từ 03 tháng trở lên" in text and "chưa xác nhận" in text
    assert "không bao giờ được in" in text
    page.quota_reading.setCurrentIndex(page.quota_reading.findData("htxsnv_and_httnv"))
    page.quota_reading.activated.emit(page.quota_reading.currentIndex())
    wait_ops(qtbot)
    assert "tổng số được xếp loại" in page.quota.text() and "khác với lời văn" in page.quota.text()
    page.year.setValue(2020)
    assert page.quota_reading.currentData() == "htxsnv_and_httnv"  # a setting of the database, every year


def test_event_dialog_records_discipline_at_the_previous_organisation(qtbot, db):
    from services import members as msvc
    from ui.dialogs.event_dialog import EventDialog

    with db.begin() as s:
        m = msvc.add_member(s, msvc.MemberInput("Đặng Văn Phúc", dt.date(2008, 8, 8), dt.date(2009, 8, 10),
                                                dt.date(1970, 1, 1)), dt.date(2025, 12, 15),
                            admitted_elsewhere=(dt.date(2025, 6, 1), "Chi bộ Trung tâm Dịch vụ việc làm"))
    dlg = EventDialog(FixedContext(db), m.id)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.kind.setCurrentIndex(dlg.kind.findData(EventKind.DISCIPLINE))
    assert dlg.elsewhere.isVisible() and not dlg.other_org.isVisible()
    dlg.date.set_date(dt.date(2025, 3, 10))
    dlg.form.setCurrentIndex(dlg.form.findData("khiển trách"))
    ok = dlg.buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled() and "ghi tên tổ chức đó" in dlg.problems.text()
    dlg.elsewhere.setChecked(True)
    assert dlg.other_org.isVisible()
    dlg.other_org.insert("Chi bộ Trung tâm Dịch vụ việc làm")
    assert ok.isEnabled()
    ok.click()
    wait_ops(qtbot)
    with db.begin() as s:
        assert svc.member_row(s, 2025, m.id).limit.level == "KHTNV"
    # The admission: only where it took place, on its recorded date.
    again = EventDialog(FixedContext(db), m.id)
    qtbot.addWidget(again)
    again.kind.setCurrentIndex(again.kind.findData(EventKind.ADMITTED))
    assert again.elsewhere.isChecked() and not again.elsewhere.isEnabled()
    assert again.date.date() == dt.date(2008, 8, 8)


def test_printing_hands_over_the_review_the_page_shows_when_it_is_current(page, qtbot, tmp_path, monkeypatch):
    """Issue 17: the forms printed from the page are made from the review and tally it shows, not computed
    again; a page that has not reloaded what changed (hidden when it changed) lets the printing compute."""
    import ui.pages.review as review_page
    from services.review import forms

    monkeypatch.setattr(review_page, "inform", lambda *a, **k: None)
    computed = []
    real = forms.year_review
    monkeypatch.setattr(forms, "year_review", lambda *a, **k: computed.append(1) or real(*a, **k))
    page.write_forms(tmp_path / "shown.pdf", "bieu-tong-hop")
    wait_ops(qtbot)
    assert (tmp_path / "shown.pdf").exists() and computed == []
    page._stale = True                      # as after a change made while the page was hidden
    page.write_forms(tmp_path / "stale.pdf", "danh-sach")
    wait_ops(qtbot)
    assert (tmp_path / "stale.pdf").exists() and computed == [1]


def test_a_sheet_saved_over_a_review_changed_elsewhere_is_refused_and_the_typed_scores_stay(page, qtbot):
    """Issue 15: a save over a record changed since the editor showed it is refused (as the member dialog's)."""
    from services.db import open_database

    _select(page, "Nguyễn Văn An")
    member_id = page.sheet.row.member_id
    other = open_database(page.ctx.db.target)        # another window (or computer) saves this member first
    try:
        with other.begin() as s:
            svc.save_review(s, 2025, member_id, svc.ReviewInput(comment="Sửa ở máy khác"))
    finally:
        other.close()
    sheet = page.sheet
    sheet.criteria_widgets["general"].setValue(28)
    sheet.criteria_widgets["tasks"].setValue(64)
    qtbot.mouseClick(sheet.btn_save, Qt.MouseButton.LeftButton)
    wait_ops(qtbot)
    assert "đã được sửa ở nơi khác" in sheet.problems.text()
    assert sheet.criteria_widgets["general"].value() == 28 and page.has_unsaved()    # what was typed stays
    with page.ctx.db.begin() as s:
        stored = svc.member_row(s, 2025, member_id).record
        assert (stored.comment, stored.criteria) == ("Sửa ở máy khác", {})
    page.discard()                                    # chosen again: what is stored, and the save goes through
    _select(page, "Nguyễn Văn An")
    assert sheet.comment.toPlainText() == "Sửa ở máy khác"
    sheet.criteria_widgets["general"].setValue(28)
    sheet.criteria_widgets["tasks"].setValue(64)
    qtbot.mouseClick(sheet.btn_save, Qt.MouseButton.LeftButton)
    sheet.comment.setPlainText("Sửa ở máy khác; đã xem lại")      # typed while it is stored
    wait_ops(qtbot)
    assert sheet.problems.text() == "" and page.has_unsaved()
    with page.ctx.db.begin() as s:
        stored = svc.member_row(s, 2025, member_id).record
        assert stored.comment == "Sửa ở máy khác" and stored.criteria["general"] == 28
    qtbot.mouseClick(sheet.btn_save, Qt.MouseButton.LeftButton)   # the page's own save is no change elsewhere
    wait_ops(qtbot)
    assert sheet.problems.text() == ""
    with page.ctx.db.begin() as s:
        assert svc.member_row(s, 2025, member_id).record.comment == "Sửa ở máy khác; đã xem lại"


def test_the_branch_self_assessment_saved_over_a_change_made_elsewhere_is_refused_and_what_was_typed_stays(page, qtbot):
    """Issue 15: the branch's part of the page refuses a save over a change made since it was shown."""
    from services.db import open_database
    from services.review import meeting as review_meeting

    page.tabs.setCurrentIndex(1)
    other = open_database(page.ctx.db.target)        # another window (or computer) saves the branch's part first
    try:
        with other.begin() as s:
            br = svc.branch_review(s, 2025)
            br.strengths = "Sửa ở máy khác"
            review_meeting.save_branch_assessment(s, br, None, {})
    finally:
        other.close()
    page.narrative["weaknesses"].setPlainText("Còn chậm nộp báo cáo")
    page.criteria.setData(page.criteria.index(0, 2), 28)
    qtbot.mouseClick(page.btn_save_branch, Qt.MouseButton.LeftButton)
    wait_ops(qtbot)
    assert "đã được sửa ở nơi khác" in page.branch_problems.text()
    assert page.narrative["weaknesses"].toPlainText() == "Còn chậm nộp báo cáo" and page.branch_dirty()
    assert page.narrative["strengths"].toPlainText() == ""             # what was typed stays, nothing mixed in
    with page.ctx.db.begin() as s:
        stored = svc.branch_review(s, 2025)
        assert (stored.strengths, stored.weaknesses, stored.criteria[0].points) == ("Sửa ở máy khác", "", None)
    page.discard()                                    # left without saving and opened again: what is stored
    wait_ops(qtbot)
    assert page.narrative["strengths"].toPlainText() == "Sửa ở máy khác"
    page.narrative["weaknesses"].setPlainText("Còn chậm nộp báo cáo")
    qtbot.mouseClick(page.btn_save_branch, Qt.MouseButton.LeftButton)
    page.narrative["directions"].setPlainText("Nâng cao chất lượng sinh hoạt")    # typed while it is stored
    wait_ops(qtbot)
    assert page.branch_problems.text() == "" and page.branch_dirty()
    qtbot.mouseClick(page.btn_save_branch, Qt.MouseButton.LeftButton)   # the page's own save is no change elsewhere
    wait_ops(qtbot)
    assert page.branch_problems.text() == ""
    with page.ctx.db.begin() as s:
        stored = svc.branch_review(s, 2025)
        assert (stored.strengths, stored.weaknesses, stored.directions) == (
            "Sửa ở máy khác", "Còn chậm nộp báo cáo", "Nâng cao chất lượng sinh hoạt")


def test_the_branch_votes_recorded_elsewhere_since_the_page_showed_them_are_not_overwritten(page, qtbot):
    from services.db import open_database
    from services.review import meeting as review_meeting

    page.tabs.setCurrentIndex(1)
    other = open_database(page.ctx.db.target)
    try:
        with other.begin() as s:
            review_meeting.set_collective_votes(s, 2025, {"report": review_meeting.Vote(6, 1)})
    finally:
        other.close()
    page.narrative["strengths"].setPlainText("Hoàn thành tốt nhiệm vụ chính trị")
    qtbot.mouseClick(page.btn_save_branch, Qt.MouseButton.LeftButton)
    wait_ops(qtbot)
    assert "đã được sửa ở nơi khác" in page.branch_problems.text() and page.branch_dirty()
    with page.ctx.db.begin() as s:
        assert review_meeting.collective_votes(s, 2025) == {"report": review_meeting.Vote(6, 1)}
        assert svc.branch_review(s, 2025).strengths == ""
