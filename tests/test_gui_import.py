"""Importing and exporting the register from the Đảng viên page, driven like a user would."""
import datetime as dt
import threading

import pytest

from services import members as svc
from services.errors import UserError
from services.legacy_text import to_tcvn3
from tests.gui_support import shown_window
from tests.test_member_import import _two_hundred, xlsx
from ui.context import AppContext
from ui.models.member_import import COLOURS, STATE_ROLE, ImportPreviewModel, ProblemRowsProxy
from ui.qt import Qt, QtGui, QtWidgets
from ui.worker import run_in_background


class FixedContext(AppContext):
    def today(self):
        return dt.date(2025, 12, 15)


@pytest.fixture
def window(qtbot, db):
    win = shown_window(qtbot, FixedContext(db))
    return win


@pytest.fixture
def messages(monkeypatch):
    """Message boxes are recorded instead of waiting for a click."""
    shown = []

    def fake_inform(parent, title, text, error=False):
        shown.append((title, text, error))

    import ui.dialogs.import_dialog
    import ui.pages.members
    import ui.widgets

    for module in (ui.dialogs.import_dialog, ui.pages.members, ui.widgets):
        monkeypatch.setattr(module, "inform", fake_inform)
    return shown


def open_file(monkeypatch, path):
    monkeypatch.setattr(QtWidgets.QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(path), "")))


def press_ctrl_i(qtbot, page):
    page.window().activateWindow()  # offscreen has no window manager to do it when a dialog closes
    qtbot.waitUntil(page.window().isActiveWindow)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: page.import_dialog is not None and page.import_dialog.isVisible())
    return page.import_dialog


def test_import_shows_the_bad_rows_writes_nothing_then_imports_all(window, qtbot, monkeypatch, tmp_path,
                                                                     messages, qtmodeltester):
    page = window.show_page("members")
    path = xlsx(tmp_path / "ds.xlsx", _two_hundred(bad=True))
    open_file(monkeypatch, path)
    dlg = press_ctrl_i(qtbot, page)
    qtmodeltester.check(dlg.model)
    qtmodeltester.check(dlg.proxy)
    assert dlg.counts.text() == "200 dòng: 197 đúng, 3 có lỗi"
    assert not dlg.import_button.isEnabled()
    # only the bad rows are listed, each with its reason; the whole list is one click away
    assert dlg.only_problems.isChecked()
    rows = [dlg.proxy.index(r, 0).data() for r in range(dlg.proxy.rowCount())]
    assert rows == ["17 ✖", "103 ✖", "153 ✖"]
    last = dlg.proxy.columnCount() - 1
    assert dlg.proxy.index(1, last).data() == "ngày 31/02/2010 không có thật."
    admitted_col = [dlg.model.headerData(c, Qt.Orientation.Horizontal) for c in range(last + 1)].index("Ngày vào Đảng")
    cell = dlg.proxy.index(1, admitted_col)
    assert cell.data() == "31/02/2010"
    assert cell.data(Qt.ItemDataRole.BackgroundRole).color() == QtGui.QColor(COLOURS["error"])
    assert "không có thật" in cell.data(Qt.ItemDataRole.ToolTipRole)
    dlg.table.setCurrentIndex(dlg.proxy.index(0, 0))
    assert "Hãy nhập họ và tên đảng viên." in dlg.detail.text()
    dlg.only_problems.setChecked(False)
    assert dlg.proxy.rowCount() == 200

    # the problems can be saved for whoever corrects the sheet
    saved = tmp_path / "loi"
    monkeypatch.setattr(QtWidgets.QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(saved), "")))
    qtbot.mouseClick(dlg.save_problems, Qt.MouseButton.LeftButton)
    assert (tmp_path / "loi.csv").read_text(encoding="utf-8-sig").count("Lỗi") == 3
    assert messages[-1][1].startswith("Đã lưu 3 lỗi và cảnh báo")

    dlg.reject()
    qtbot.waitUntil(lambda: page.import_dialog is None)
    assert page.model.rowCount() == 0

    xlsx(path, _two_hundred(bad=False))
    dlg = press_ctrl_i(qtbot, page)
    assert dlg.counts.text() == "200 dòng: 200 đúng, 0 có lỗi"
    assert dlg.import_button.isEnabled() and dlg.import_button.text() == "Nhập 200 đảng viên"
    qtbot.mouseClick(dlg.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.import_dialog is None)
    assert messages[-1][1] == "Đã nhập 200 đảng viên từ tệp ds.xlsx."
    assert page.model.rowCount() == 200
    assert page.table.currentIndex().isValid()  # the first imported member is selected


def test_import_of_an_old_tcvn3_sheet_says_so(window, qtbot, monkeypatch, tmp_path, messages):
    page = window.show_page("members")
    path = xlsx(tmp_path / "cu.xlsx", [["Họ và tên", "Ngày vào Đảng"], [to_tcvn3("Đặng Thị Hồng"), "01/01/2015"]])
    open_file(monkeypatch, path)
    dlg = press_ctrl_i(qtbot, page)
    assert dlg.legacy.isVisible() and "TCVN3" in dlg.legacy.text()
    cell = dlg.proxy.index(0, 1)
    assert cell.data() == "Đặng Thị Hồng"
    assert cell.data(Qt.ItemDataRole.BackgroundRole).color() == QtGui.QColor(COLOURS["note"])
    assert "§Æng ThÞ Hång" in cell.data(Qt.ItemDataRole.ToolTipRole)
    dlg.reject()


def test_import_of_a_file_that_is_not_a_workbook_says_so(window, qtbot, monkeypatch, tmp_path, messages):
    page = window.show_page("members")
    fake = tmp_path / "ds.xlsx"
    fake.write_text("không phải Excel", encoding="utf-8")
    open_file(monkeypatch, fake)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(messages))
    title, text, error = messages[-1]
    assert error and title == "Nhập đảng viên" and "không phải là bảng tính Excel đọc được" in text
    assert page.import_dialog is None


def test_the_dialog_writes_the_whole_file_in_one_transaction(window, qtbot, monkeypatch, tmp_path, messages):
    """A row that fails only when written (row 180 of 200) leaves the register as it was: the dialog's
    write path is the one `members import` uses, all or nothing."""
    page = window.show_page("members")
    open_file(monkeypatch, xlsx(tmp_path / "ds.xlsx", _two_hundred(bad=False)))
    dlg = press_ctrl_i(qtbot, page)
    assert dlg.counts.text() == "200 dòng: 200 đúng, 0 có lỗi"
    with window.ctx.db.begin() as s:  # the card number of row 180 is taken while the dialog is open
        svc.add_member(s, svc.MemberInput("Hồ Văn Trước", dt.date(2000, 1, 1), card_number="79000176"),
                       dt.date(2025, 12, 15))
    qtbot.mouseClick(dlg.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.task is None)
    assert messages and messages[-1][2] is True and "Dòng 180" in messages[-1][1]
    with window.ctx.db.begin() as s:
        assert [r.full_name for r in svc.register(s, dt.date(2025, 12, 15))] == ["Hồ Văn Trước"]
    dlg.reject()


def test_probable_duplicates_are_confirmed_before_import(window, qtbot, monkeypatch, tmp_path, messages):
    import ui.dialogs.import_dialog

    with window.ctx.db.begin() as s:
        svc.add_member(s, svc.MemberInput("Nguyễn Văn An", dt.date(2010, 1, 1), birth_date=dt.date(1980, 1, 2)),
                       dt.date(2025, 12, 15))
    window.ctx.notify_changed("members")
    page = window.show_page("members")
    path = xlsx(tmp_path / "ds.xlsx", [["Họ và tên", "Ngày sinh", "Ngày vào Đảng"],
                                       ["Nguyễn Văn An", "02/01/1980", "01/01/2010"]])
    open_file(monkeypatch, path)
    questions = []
    monkeypatch.setattr(ui.dialogs.import_dialog, "ask", lambda parent, title, text: questions.append(text) or False)
    dlg = press_ctrl_i(qtbot, page)
    assert dlg.import_button.isEnabled()
    qtbot.mouseClick(dlg.import_button, Qt.MouseButton.LeftButton)
    assert questions and "có vẻ trùng" in questions[0]
    assert dlg.isVisible() and page.model.rowCount() == 1
    dlg.reject()


def test_export_writes_the_shown_list(window, qtbot, monkeypatch, tmp_path, messages):
    with window.ctx.db.begin() as s:
        svc.add_member(s, svc.MemberInput("Nguyễn Văn An", dt.date(2010, 1, 1)), dt.date(2025, 12, 15))
        svc.add_member(s, svc.MemberInput("Lê Thị Đào", dt.date(2011, 1, 1)), dt.date(2025, 12, 15))
    window.ctx.notify_changed("members")
    page = window.show_page("members")
    chosen = {}

    def fake_save(parent, caption, directory, filters):
        chosen.update(caption=caption, directory=directory, filters=filters)
        return str(tmp_path / "danh sach"), filters.split(";;")[1]

    monkeypatch.setattr(QtWidgets.QFileDialog, "getSaveFileName", staticmethod(fake_save))
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: bool(messages))
    assert chosen["caption"] == "Xuất danh sách đảng viên"
    assert chosen["directory"].endswith("Danh sách đảng viên 15-12-2025.xlsx")
    out = tmp_path / "danh sach.csv"
    assert messages[-1][1] == f"Đã xuất 2 đảng viên ra tệp {out}."
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert [line.split(",")[1] for line in lines[1:]] == ["Nguyễn Văn An", "Lê Thị Đào"]


def test_toolbar_has_the_import_and_export_actions(window):
    page = window.show_page("members")
    actions = {a.text(): a for a in page.actions_bar.actions()}
    assert actions["Nhập từ Excel…"].toolTip() == "Nhập từ Excel… (Ctrl+I)"
    assert actions["Xuất danh sách…"].toolTip() == "Xuất danh sách… (Ctrl+Shift+S)"
    assert actions["Nhập từ Excel…"].shortcut().toString() == "Ctrl+I"


def test_register_columns_show_full_names_and_fit_the_screen(window, qtbot):
    with window.ctx.db.begin() as s:
        for name in ("Nguyễn Thị Thanh Hương Giang", "Thạch Thị Sa Rươne", "Lê Văn Ư"):
            svc.add_member(s, svc.MemberInput(name, dt.date(2010, 1, 1), position="Phó Bí thư chi bộ, Phó Chánh "
                                              "Văn phòng Sở Lao động - Thương binh và Xã hội"), dt.date(2025, 12, 15))
    window.ctx.notify_changed("members")
    page = window.show_page("members")
    table = page.table
    fm = table.fontMetrics()
    assert table.columnWidth(0) > fm.horizontalAdvance("Nguyễn Thị Thanh Hương Giang")
    header = table.horizontalHeader()
    for col in range(page.model.columnCount()):  # every header word readable: nothing cut
        words = page.model.headerData(col, Qt.Orientation.Horizontal).split()
        assert all(header.fontMetrics().horizontalAdvance(w) < table.columnWidth(col) for w in words)
    assert sum(table.columnWidth(c) for c in range(page.model.columnCount())) <= table.viewport().width()
    assert page.table.currentIndex().isValid()  # someone's history is shown, not an empty pane


def test_empty_preview_model_passes_the_model_tester(qtmodeltester):
    model = ImportPreviewModel()
    qtmodeltester.check(model)
    proxy = ProblemRowsProxy()
    proxy.setSourceModel(model)
    proxy.set_only_problems(True)
    qtmodeltester.check(proxy)
    assert STATE_ROLE > Qt.ItemDataRole.UserRole


# --- the background worker -------------------------------------------------------------------

def test_worker_returns_the_result_on_the_gui_thread(qtbot):
    got = []
    gui_thread = threading.current_thread()

    def work(progress):
        progress(1, 2)
        return threading.current_thread() is not gui_thread

    task = run_in_background(None, work, label="…", on_done=lambda r: got.append((r, threading.current_thread())))
    qtbot.waitUntil(lambda: task.finished)
    assert got == [(True, gui_thread)]


def test_worker_shows_a_user_error_as_its_message(qtbot, messages):
    def work(progress):
        raise UserError("Không mở được tệp.")

    task = run_in_background(None, work, label="…", title="Nhập đảng viên")
    qtbot.waitUntil(lambda: task.finished)
    assert messages == [("Nhập đảng viên", "Không mở được tệp.", True)]


def test_worker_stops_when_cancelled(qtbot):
    started, results = threading.Event(), []

    def work(progress):
        started.set()
        for i in range(10_000):
            progress(i, 10_000)
            threading.Event().wait(0.01)
        return "finished"

    task = run_in_background(None, work, label="…", on_done=results.append,
                             on_cancel=lambda: results.append("cancelled"))
    started.wait(5)
    task.cancel()
    qtbot.waitUntil(lambda: task.finished)
    assert results == ["cancelled"]
