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
    # QĐ 366 Điều 11: HTTNV needs all tasks done on time, confirmed by the branch.
    assert "Hoàn thành 100% chỉ tiêu" in page.branch_problems.text() and "Điều 11" in page.branch_problems.text()
    page.branch_flag_boxes["cond:all_tasks_on_time"].setChecked(True)
    qtbot.mouseClick(page.btn_save_branch, Qt.MouseButton.LeftButton)
    assert page.branch_problems.text() == ""
    assert "Chi bộ tự chấm: 92/100 điểm" in page.tally_text.toPlainText()
    model.setData(model.index(0, 1), 40)
    qtbot.mouseClick(page.btn_save_branch, Qt.MouseButton.LeftButton)
    assert "chưa đúng 100 điểm" in page.branch_problems.text()


def test_close_and_reopen_the_year_with_confirmation(page, qtbot, monkeypatch):
    import ui.pages.review as review_page

    asked = []
    monkeypatch.setattr(review_page, "ask", lambda *a, **k: asked.append(a[2]) or True)
    monkeypatch.setattr(review_page, "inform", lambda *a, **k: None)
    qtbot.mouseClick(page.btn_close, Qt.MouseButton.LeftButton)
    assert asked and "sao lưu" in asked[0]
    assert "Đã khóa sổ" in page.closed_label.text()
    _select(page, "Nguyễn Văn An")
    assert not page.sheet.btn_save.isEnabled() and not page.btn_save_branch.isEnabled()
    assert page.btn_reopen.isVisible() and not page.btn_close.isVisible()
    monkeypatch.setattr(QtWidgets.QInputDialog, "exec", lambda self: QtWidgets.QDialog.DialogCode.Accepted)
    monkeypatch.setattr(QtWidgets.QInputDialog, "textValue", lambda self: "Cấp trên yêu cầu sửa")
    qtbot.mouseClick(page.btn_reopen, Qt.MouseButton.LeftButton)
    assert "Cấp trên yêu cầu sửa" in page.closed_label.text()
    assert page.sheet.btn_save.isEnabled()


def test_printing_writes_the_pdf_and_workbooks(page, tmp_path, monkeypatch):
    import ui.pages.review as review_page

    monkeypatch.setattr(review_page, "inform", lambda *a, **k: None)
    written = page.write_forms(tmp_path / "kd.pdf", "danh-sach")
    assert [p.name for p in written] == ["kd.pdf", "kd-danh-sach.xlsx"]


def test_changing_the_review_date(page, monkeypatch):
    monkeypatch.setattr(QtWidgets.QInputDialog, "exec", lambda self: QtWidgets.QDialog.DialogCode.Accepted)
    monkeypatch.setattr(QtWidgets.QInputDialog, "textValue", lambda self: "20/12/2025")
    page.btn_date.click()
    assert "20/12/2025" in page.regulation.text()
