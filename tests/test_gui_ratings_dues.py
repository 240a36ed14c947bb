"""The ratings and dues pages, driven from the keyboard like a secretary would."""
import datetime as dt

import pytest

from models import EventKind
from services import dues as dsvc
from services import members as msvc
from services import ratings as rsvc
from services.ratings import MonthAttendance
from tests.gui_support import shown_window
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.models.dues import DuesMonthModel, PaymentsModel, RateHistoryModel
from ui.models.ratings import ATTENDANCE_ALERT_ROLE, ATTENDANCE_ROLE, RatingsModel, column_of
from ui.qt import Qt, QtWidgets

from .gui_support import wait_ops

TODAY = dt.date(2025, 12, 15)


class FixedContext(AppContext):
    def today(self):
        return TODAY


@pytest.fixture
def filled(db):
    with db.begin() as s:
        ids = {}
        for key, name in [("an", "Nguyễn Văn An"), ("dao", "Lê Thị Đào"), ("dung", "Trần Văn Dũng")]:
            ids[key] = msvc.add_member(s, msvc.MemberInput(name, dt.date(2010, 1, 1), dt.date(2011, 1, 5),
                                                           dt.date(1980, 1, 1)), TODAY).id
        msvc.add_event(s, ids["dao"], msvc.EventInput(EventKind.EXEMPT, dt.date(2025, 2, 1), reason="Sức khỏe"),
                       TODAY)
        for key, amount in (("an", 50_000), ("dao", 30_000), ("dung", 82_000)):
            dsvc.set_rate(s, ids[key], 2025, 1, amount, TODAY)
        dsvc.record_payment(s, dsvc.PaymentInput(ids["an"], dt.date(2025, 1, 5), [(2025, 1), (2025, 2)]), TODAY)
    return db, ids


@pytest.fixture
def window(qtbot, filled):
    db, ids = filled
    win = shown_window(qtbot, FixedContext(db))
    return win, db, ids


def test_models_pass_qt_model_tester(qtmodeltester, filled, monkeypatch):
    db, ids = filled
    monkeypatch.setattr(rsvc, "_attendance_by_month",
                        lambda s, y: {(ids["an"], 3): MonthAttendance(1, 0, 1)})
    with db.begin() as s:
        rsvc.set_rating(s, ids["an"], 2025, 3, "HTTNV", TODAY)
        grid = rsvc.ratings_grid(s, 2025, TODAY)
        sheet = dsvc.month_sheet(s, 2025, 1, TODAY)
        rates = dsvc.rates_of(s, ids["an"])
        payments = dsvc.payments_of(s, ids["an"], 2025)
    ratings = RatingsModel()
    ratings.set_grid(grid)
    qtmodeltester.check(ratings)
    month = DuesMonthModel()
    month.set_lines(2025, 1, sheet.lines)
    qtmodeltester.check(month)
    history = RateHistoryModel()
    history.set_rates(rates)
    qtmodeltester.check(history)
    paid = PaymentsModel()
    paid.set_payments(payments)
    qtmodeltester.check(paid)


def _ratings_page(window, qtbot):
    win, db, ids = window
    qtbot.keyClick(win, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    page = win.stack.currentWidget()
    assert page is win.pages["ratings"]
    return page


def _go(page, member_id, month):
    row = page.model.row_of_id(member_id)
    page.table.setCurrentIndex(page.model.index(row, column_of(month)))
    page.table.setFocus()


def test_rate_members_for_a_month_from_the_keyboard(window, qtbot):
    win, db, ids = window
    page = _ratings_page(window, qtbot)
    assert page.year.value() == 2025
    names = [page.model.headerData(r, Qt.Orientation.Vertical) for r in range(page.model.rowCount())]
    assert names == ["Nguyễn Văn An", "Trần Văn Dũng", "Lê Thị Đào"]
    _go(page, ids["an"], 3)
    qtbot.keyClick(page.table, Qt.Key.Key_2)         # HTTNV, then down to Dũng
    qtbot.keyClick(page.table, Qt.Key.Key_X)         # HTXSNV for Dũng, then down to Đào
    assert page.table.currentIndex().row() == page.model.row_of_id(ids["dao"])
    qtbot.keyClick(page.table, Qt.Key.Key_1)         # Đào is exempt since February: refused
    assert "miễn" in page.message.text()
    wait_ops(qtbot)
    with db.begin() as s:
        assert rsvc.monthly_ratings(s, ids["an"], 2025) == {3: "HTTNV"}
        assert rsvc.monthly_ratings(s, ids["dung"], 2025) == {3: "HTXSNV"}
        assert rsvc.monthly_ratings(s, ids["dao"], 2025) == {}
    assert page.model.index(0, column_of(3)).data() == "HTT"
    assert page.model.index(0, 12 + 1).data() == "1"    # An: one month HTTNV in the count column
    # Delete clears, Ctrl+Z puts it back.
    _go(page, ids["an"], 3)
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    wait_ops(qtbot)
    with db.begin() as s:
        assert rsvc.monthly_ratings(s, ids["an"], 2025) == {}
    qtbot.keyClick(page.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    wait_ops(qtbot)
    with db.begin() as s:
        assert rsvc.monthly_ratings(s, ids["an"], 2025) == {3: "HTTNV"}
    # A month to come cannot be rated.
    page.year.setValue(2026)
    _go(page, ids["an"], 1)
    qtbot.keyClick(page.table, Qt.Key.Key_2)
    wait_ops(qtbot)
    with db.begin() as s:
        assert rsvc.monthly_ratings(s, ids["an"], 2026) == {}


def test_comment_with_f2_and_ctrl_enter(window, qtbot):
    win, db, ids = window
    page = _ratings_page(window, qtbot)
    _go(page, ids["dung"], 11)
    qtbot.keyClick(page.table, Qt.Key.Key_F2)
    assert page.comment.hasFocus()
    page.comment.insertPlainText("Hoàn thành tốt việc được giao")
    qtbot.keyClick(page.comment, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert page.table.hasFocus()
    wait_ops(qtbot)
    with db.begin() as s:
        grid = rsvc.ratings_grid(s, 2025, TODAY)
    assert grid.rows[grid.row_of(ids["dung"])].cell(11).comment == "Hoàn thành tốt việc được giao"
    index = page.model.index(page.model.row_of_id(ids["dung"]), column_of(11))
    assert "Hoàn thành tốt việc được giao" in index.data(Qt.ItemDataRole.ToolTipRole)


def test_copy_last_month_asks_first(window, qtbot, monkeypatch):
    win, db, ids = window
    page = _ratings_page(window, qtbot)
    with db.begin() as s:
        rsvc.set_rating(s, ids["an"], 2025, 10, "HTXSNV", TODAY)
        rsvc.set_rating(s, ids["dung"], 2025, 10, "HTNV", TODAY)
        rsvc.set_rating(s, ids["dung"], 2025, 11, "HTTNV", TODAY)
    page.refresh()
    questions = []
    monkeypatch.setattr("ui.pages.ratings.ask", lambda parent, title, text, default_no=True:
                        questions.append(text) or True)
    _go(page, ids["an"], 11)
    qtbot.keyClick(page.table, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert questions and "1" in questions[0]
    wait_ops(qtbot)
    with db.begin() as s:
        assert rsvc.monthly_ratings(s, ids["an"], 2025)[11] == "HTXSNV"
        assert rsvc.monthly_ratings(s, ids["dung"], 2025)[11] == "HTTNV"   # kept
    qtbot.keyClick(page.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    wait_ops(qtbot)
    with db.begin() as s:
        assert 11 not in rsvc.monthly_ratings(s, ids["an"], 2025)


def test_attendance_beside_the_rating(window, qtbot, monkeypatch):
    win, db, ids = window
    monkeypatch.setattr(rsvc, "_attendance_by_month", lambda s, y: {
        (ids["an"], 4): MonthAttendance(present=0, excused=0, unexcused=1),
        (ids["dung"], 4): MonthAttendance(present=2, excused=0, unexcused=0)})
    page = _ratings_page(window, qtbot)
    page.refresh()
    an = page.model.index(page.model.row_of_id(ids["an"]), column_of(4))
    dung = page.model.index(page.model.row_of_id(ids["dung"]), column_of(4))
    assert an.data(ATTENDANCE_ROLE) == "0/1" and an.data(ATTENDANCE_ALERT_ROLE) == 2
    assert dung.data(ATTENDANCE_ROLE) == "2/2" and dung.data(ATTENDANCE_ALERT_ROLE) == 0
    assert "vắng không lý do 1" in an.data(Qt.ItemDataRole.ToolTipRole)
    _go(page, ids["an"], 4)
    assert "vắng không lý do 1" in page.cell_info.text()


def _dues_page(window, qtbot):
    win, db, ids = window
    qtbot.keyClick(win, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    page = win.stack.currentWidget()
    assert page is win.pages["dues"]
    return page


def test_mark_dues_paid_with_space(window, qtbot, monkeypatch):
    win, db, ids = window
    page = _dues_page(window, qtbot)
    assert (page.year.value(), page.month.currentData()) == (2025, 12)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    assert page.month.currentData() == 11
    row = page.model.row_of_id(ids["dung"])
    page.table.setCurrentIndex(page.model.index(row, 1))
    assert "0 / 3" not in page.totals.text()
    qtbot.keyClick(page.table, Qt.Key.Key_Space)
    wait_ops(qtbot)
    with db.begin() as s:
        d = dsvc.member_dues(s, ids["dung"])
    assert (2025, 11) in d.paid and d.paid[(2025, 11)].amount == 82_000 and d.paid[(2025, 11)].paid_on == TODAY
    assert page.model.index(row, DuesMonthModel.PAID_COLUMN).data(Qt.ItemDataRole.CheckStateRole) == \
        Qt.CheckState.Checked
    assert "82.000 đ" in page.totals.text()
    # Space again asks, then takes the month out.
    monkeypatch.setattr("ui.pages.dues.ask", lambda *a, **k: True)
    qtbot.keyClick(page.table, Qt.Key.Key_Space)
    wait_ops(qtbot)
    with db.begin() as s:
        assert (2025, 11) not in dsvc.member_dues(s, ids["dung"]).paid


def test_record_a_payment_of_several_months(window, qtbot, monkeypatch):
    from ui.dialogs.dues_dialogs import PaymentDialog

    win, db, ids = window
    page = _dues_page(window, qtbot)
    page.table.setCurrentIndex(page.model.index(page.model.row_of_id(ids["an"]), 1))

    def fake_exec(dlg):
        assert not dlg.boxes[0].isEnabled()             # January already paid
        qtbot.mouseClick(dlg.all_unpaid, Qt.MouseButton.LeftButton)
        assert [b.isChecked() for b in dlg.boxes][2:11] == [True] * 9
        dlg.boxes[11].setChecked(False)
        assert dlg.amount.text() == "450.000"
        ok = dlg.buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        wait_ops(qtbot)
        return dlg.result()

    monkeypatch.setattr(PaymentDialog, "exec", fake_exec)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    with db.begin() as s:
        assert sorted(dsvc.member_dues(s, ids["an"]).paid) == [(2025, m) for m in range(1, 12)]
        assert dsvc.payments_of(s, ids["an"])[-1].amount == 450_000
    assert page.payments_model.rowCount() == 2


def test_set_an_amount_from_the_salary(window, qtbot, monkeypatch):
    from ui.dialogs.dues_dialogs import RateDialog

    win, db, ids = window
    page = _dues_page(window, qtbot)
    page.table.setCurrentIndex(page.model.index(page.model.row_of_id(ids["dung"]), 1))

    def fake_exec(dlg):
        assert dlg.history.rowCount() == 1
        qtbot.keyClicks(dlg.salary, "6.350.000")
        assert dlg.amount.text() == "64.000"          # 1% = 63.500, rounded to 1.000
        ok = dlg.buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        wait_ops(qtbot)
        return dlg.result()

    monkeypatch.setattr(RateDialog, "exec", fake_exec)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    with db.begin() as s:
        rates = dsvc.rates_of(s, ids["dung"])
    assert [(r.year, r.month, r.amount, r.basis) for r in rates] == [(2025, 1, 82_000, None),
                                                                      (2025, 12, 64_000, 6_350_000)]


def test_export_the_year_book(window, qtbot, monkeypatch, tmp_path):
    win, db, ids = window
    page = _dues_page(window, qtbot)
    target = tmp_path / "so-dang-phi"
    monkeypatch.setattr(QtWidgets.QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(target), "Excel (*.xlsx)"))
    monkeypatch.setattr("ui.pages.dues.ask", lambda *a, **k: False)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    wait_ops(qtbot)
    assert (tmp_path / "so-dang-phi.xlsx").exists()


def test_home_shows_the_unpaid_dues_reminder(qtbot, filled):
    db, ids = filled
    win = MainWindow(FixedContext(db))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: not win.pages["home"].loading)   # reminders come after the figures
    text = win.pages["home"].list.toPlainText()
    # Dũng has paid nothing this year; An paid January and February only.
    assert "Trần Văn Dũng" in text and "Nguyễn Văn An" in text and "Lê Thị Đào" in text


def test_dues_settings_change_the_share_remitted(window, qtbot, monkeypatch):
    from ui.dialogs.dues_dialogs import DuesSettingsDialog

    win, db, ids = window
    page = _dues_page(window, qtbot)
    page.month.setCurrentIndex(0)                     # January: An paid 50.000 đ
    assert "Nộp cấp trên: 50.000 đ" in page.totals.text()

    def fake_exec(dlg):
        dlg.share.setValue(30)
        dlg.accept()
        wait_ops(qtbot)
        return dlg.result()

    monkeypatch.setattr(DuesSettingsDialog, "exec", fake_exec)
    page.edit_settings()
    assert "Chi bộ giữ lại: 15.000 đ; nộp cấp trên: 35.000 đ" in page.totals.text()
