"""The main window and the register, driven like a user would."""
import datetime as dt

import pytest

from services import members as svc
from tests.gui_support import shown_window
from ui.context import AppContext
from ui.main_window import PAGES, MainWindow
from ui.models.members import HistoryModel, MemberFilterProxy, MemberTableModel
from ui.qt import Qt, QtWidgets

from .gui_support import wait_ops


class FixedContext(AppContext):
    def today(self):
        return dt.date(2025, 12, 15)


@pytest.fixture
def filled(db):
    with db.begin() as s:
        for name, birth in [("Nguyễn Văn An", dt.date(1980, 1, 1)), ("Lê Thị Đào", dt.date(1985, 2, 2)),
                            ("Trần Văn Dũng", dt.date(1975, 3, 3)), ("Phạm Minh Đức", dt.date(1990, 4, 4))]:
            svc.add_member(s, svc.MemberInput(name, dt.date(2010, 1, 1), dt.date(2011, 1, 5), birth),
                           dt.date(2025, 12, 15))
    return db


@pytest.fixture
def window(qtbot, filled):
    ctx = FixedContext(filled)
    win = shown_window(qtbot, ctx)
    return win


def test_models_pass_qt_model_tester(qtmodeltester, filled):
    with filled.begin() as s:
        rows = svc.register(s, dt.date(2025, 12, 15))
        events = list(svc.member_view(s, rows[0].id).events)
    model = MemberTableModel()
    model.set_rows(rows)
    qtmodeltester.check(model)
    proxy = MemberFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_search("duc")
    qtmodeltester.check(proxy)
    history = HistoryModel()
    history.set_events(events)
    qtmodeltester.check(history)


def test_window_title_and_navigation_in_vietnamese(window):
    assert window.windowTitle() == "Sổ chi bộ"
    labels = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert labels == ["Tổng quan", "Đảng viên", "Sinh hoạt chi bộ", "Đánh giá hằng tháng", "Đảng phí",
                      "Kiểm điểm cuối năm", "Gửi cấp trên"]
    assert len(PAGES) == 7


def test_ctrl_number_switches_page(window, qtbot):
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.pages["members"]


def _names(page):
    return [page.proxy.index(r, 0).data() for r in range(page.proxy.rowCount())]


def test_register_in_vietnamese_order_and_diacritic_free_search(window, qtbot):
    page = window.show_page("members")
    # by given name; D before Đ
    assert _names(page) == ["Nguyễn Văn An", "Trần Văn Dũng", "Lê Thị Đào", "Phạm Minh Đức"]
    qtbot.keyClicks(page.search, "duc")
    assert _names(page) == ["Phạm Minh Đức"]
    page.search.clear()
    qtbot.keyClicks(page.search, "NGUYEN VAN A")
    assert _names(page) == ["Nguyễn Văn An"]


def test_add_member_through_the_dialog(window, qtbot, monkeypatch):
    from ui.dialogs.member_dialog import MemberDialog

    page = window.show_page("members")
    dialogs = []

    def fake_exec(dlg):
        dialogs.append(dlg)
        ok = dlg.buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok)
        assert not ok.isEnabled()  # empty form
        dlg.name.insert("hoàng văn ư")  # as an input method (Unikey) delivers it
        qtbot.keyClicks(dlg.admitted, "01/02/2026")  # in the future
        assert not ok.isEnabled()
        assert "Ngày vào Đảng không được sau ngày hôm nay." in dlg.problems.text()
        dlg.admitted.clear()
        qtbot.keyClicks(dlg.admitted, "01/02/2015")
        qtbot.keyClicks(dlg.birth, "3/4/1980")
        assert ok.isEnabled()
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        wait_ops(qtbot)
        return dlg.result()

    monkeypatch.setattr(MemberDialog, "exec", fake_exec)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert dialogs, "Ctrl+N opens the dialog"
    assert "Hoàng Văn Ư" in _names(page)
    assert _names(page)[-1] == "Hoàng Văn Ư"  # Ư sorts last
    assert page.table.currentIndex().data() == "Hoàng Văn Ư"


def test_zoom_with_ctrl_plus_and_minus(window, qtbot):
    app = QtWidgets.QApplication.instance()
    size = app.font().pointSizeF()
    window.zoom(+1)
    assert app.font().pointSizeF() > size
    window.zoom(-1)
    window.zoom(-1)
    assert app.font().pointSizeF() < size
    window.zoom(0)
    assert app.font().pointSizeF() == pytest.approx(11.0)


def test_home_shows_reminder_for_due_probation(qtbot, db):
    with db.begin() as s:
        svc.add_member(s, svc.MemberInput("Võ Thị Yến", dt.date(2025, 1, 10), None, dt.date(1995, 1, 1)),
                       dt.date(2025, 12, 15))
    win = MainWindow(FixedContext(db))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: not win.pages["home"].loading)   # reminders come after the figures
    text = win.pages["home"].list.toPlainText()
    assert "Võ Thị Yến" in text and "10/01/2026" in text


def test_f1_opens_vietnamese_guide(window, qtbot):
    from ui.help import HelpDialog, guide_html
    assert "Hướng dẫn sử dụng Sổ chi bộ" in guide_html()
    text = guide_html()
    assert "Một năm của chi bộ, từng bước" in text
    steps = ["Chuẩn bị", "Danh sách đảng viên", "buổi sinh hoạt chi bộ", "đánh giá đảng viên", "thu đảng phí",
             "Cuối năm", "Gửi kết quả lên cấp trên", "Sao lưu"]
    where = [text.index(s) for s in steps]
    assert where == sorted(where)          # in the order of the year
    assert "Lưu / Không lưu / Hủy" in text
    window.show_help()
    dialogs = [w for w in QtWidgets.QApplication.topLevelWidgets() if isinstance(w, HelpDialog)]
    assert dialogs and dialogs[-1].isVisible()
    dialogs[-1].close()


def test_editing_details_keeps_a_committee_database_a_committee(qtbot, tmp_path):
    from services.branch import BranchIdentity, get_branch, set_identity
    from services.db import open_database
    from ui.dialogs.identity_dialog import IdentityDialog

    database = open_database(tmp_path / "du.db", create=True)
    with database.begin() as s:
        set_identity(s, BranchIdentity("Đảng ủy Sở", ["ĐẢNG ỦY KHỐI"], "Trà Vinh", kind="committee"))
    dlg = IdentityDialog(FixedContext(database))
    qtbot.addWidget(dlg)
    dlg.place.setText("Tp. Trà Vinh")
    dlg.accept()
    wait_ops(qtbot)
    with database.begin() as s:
        assert (get_branch(s).kind, get_branch(s).place) == ("committee", "Tp. Trà Vinh")
    database.close()


def test_window_shows_before_the_data_and_fills_in_when_attached(qtbot, filled):
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    assert win.nav.count() == 7 and win.pages == {}
    assert win.stack.currentWidget().text() == "Đang mở dữ liệu…"
    win.nav.setCurrentRow(1)
    win.attach(FixedContext(filled))
    assert win.stack.currentWidget() is win.pages["members"]
    assert "Phạm Minh Đức" in [win.pages["members"].proxy.index(r, 0).data()
                               for r in range(win.pages["members"].proxy.rowCount())]


def test_file_menu_gets_the_data_safety_actions_above_quit_once_data_is_open(qtbot, filled):
    win = MainWindow()
    qtbot.addWidget(win)
    before = [a.text() for a in win.file_menu.actions() if a.text()]
    assert before == ["Thông tin chi bộ…", "Mở dữ liệu khác…", "Thoát"]
    win.attach(FixedContext(filled))
    after = [a.text() for a in win.file_menu.actions() if a.text()]
    assert after[0] == "Thông tin chi bộ…" and after[-1] == "Thoát"
    assert "Sao lưu ngay…" in after


def test_the_empty_window_needs_no_database_layer():
    """The window shows before the database is opened: building it must not import SQLAlchemy."""
    import subprocess
    import sys

    code = ("import sys; from ui.app import make_app; from ui.main_window import MainWindow; "
            "app = make_app(); w = MainWindow(); w.show(); "
            "print('sqlalchemy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                         env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


def test_opening_builds_the_page_shown_and_the_others_when_first_shown(qtbot, filled):
    """Issue 17: the window with the data is up after one page, not seven with their services."""
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    win.attach(FixedContext(filled))
    assert set(win.pages) == {"home"} and win.stack.currentWidget() is win.pages["home"]
    waiting = win.stack.widget(PAGES.index(next(p for p in PAGES if p[0] == "dues")))
    assert waiting.text() == "Đang mở dữ liệu…"
    page = win.show_page("members")
    assert set(win.pages) == {"home", "members"} and win.stack.currentWidget() is page
    assert "Phạm Minh Đức" in [page.proxy.index(r, 0).data() for r in range(page.proxy.rowCount())]
    assert win.pages["dues"] is win.stack.widget(4)            # asked for: built, not shown


def test_the_overview_shows_its_figures_before_its_reminders(qtbot, db):
    """The branch's figures are painted first; the reminders, which read every area, come just after."""
    with db.begin() as s:
        svc.add_member(s, svc.MemberInput("Võ Thị Yến", dt.date(2025, 1, 10), None, dt.date(1995, 1, 1)),
                       dt.date(2025, 12, 15))
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    win.attach(FixedContext(db))
    home = win.pages["home"]
    assert "1 đảng viên" in home.summary.text() and home.loading
    assert "Võ Thị Yến" not in home.list.toPlainText()
    qtbot.waitUntil(lambda: not home.loading)
    assert "Võ Thị Yến" in home.list.toPlainText()
