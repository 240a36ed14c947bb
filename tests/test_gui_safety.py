"""Data safety in the window: start-up lock and checks, backup, restore, check, history, error dialog."""
from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from pathlib import Path

import pytest

from services import access, audit, backup, integrity, logs
from services import members as svc
from services.errors import UserError
from tests.engines import member_names as names
from tests.test_backup import corrupt
from ui import app as ui_app
from ui import safety as ui_safety
from ui.context import AppContext
from ui.dialogs import restore_dialog
from ui.dialogs.audit_dialog import AuditDialog
from ui.dialogs.password_dialogs import LoginDialog, PasswordDialog, RecoveryCodeDialog
from ui.dialogs.restore_dialog import RestoreDialog
from ui.main_window import MainWindow
from ui.models.safety import AuditTableModel, BackupTableModel
from ui.qt import Qt, QtWidgets

from .gui_support import wait_ops

TODAY = dt.date(2025, 12, 15)


class FixedContext(AppContext):
    def today(self):
        return TODAY


@pytest.fixture(autouse=True)
def fast_scrypt(monkeypatch):
    monkeypatch.setattr(access, "SCRYPT_N", 2 ** 10)


@pytest.fixture
def messages(monkeypatch):
    """Message boxes are recorded instead of shown: (title, text, error)."""
    shown = []

    def fake(_parent, title, text, error=False):
        shown.append((title, text, error))

    monkeypatch.setattr(ui_safety, "inform", fake)
    monkeypatch.setattr("ui.pages.members.inform", fake)
    return shown


def add(db, name: str) -> int:
    with db.begin() as s:
        return svc.add_member(s, svc.MemberInput(name, dt.date(2010, 1, 1), dt.date(2011, 2, 1)), TODAY).id


@pytest.fixture
def threads(monkeypatch):
    """The threads on which the slow data-safety work ran: {name: [thread, ...]}."""
    seen: dict[str, list[threading.Thread]] = {}

    def record(module, name: str) -> None:
        original = getattr(module, name)

        def recorded(*args, **kwargs):
            seen.setdefault(name, []).append(threading.current_thread())
            return original(*args, **kwargs)

        monkeypatch.setattr(module, name, recorded)

    record(integrity, "check_file")
    record(integrity, "foreign_key_problems")
    record(backup, "restore")
    record(backup, "daily_backup")
    record(backup, "list_backups")
    return seen


def off_the_gui_thread(threads: list[threading.Thread]) -> bool:
    return bool(threads) and all(t is not threading.main_thread() for t in threads)


def menu_action(window, text: str):
    file_menu = window.menuBar().actions()[0].menu()
    return next(a for a in file_menu.actions() if a.text() == text)


@pytest.fixture
def window(qtbot, db):
    add(db, "Nguyễn Văn An")
    win = MainWindow(FixedContext(db))
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    return win


def test_models_pass_qt_model_tester(qtmodeltester, db, tmp_path):
    add(db, "Nguyễn Văn An")
    good = backup.backup_now(db.location)
    bad = tmp_path / "x.db"
    bad.write_text("không phải dữ liệu", encoding="utf-8")
    model = BackupTableModel()
    model.set_rows([good, backup.inspect_backup(bad)])
    qtmodeltester.check(model)
    assert model.first_good_row() == 0
    assert model.index(1, 5).data() == "tệp không phải là dữ liệu của Sổ chi bộ."
    with db.begin() as s:
        rows = audit.audit_rows(s)
    history = AuditTableModel()
    history.set_rows(rows)
    qtmodeltester.check(history)
    assert history.headerData(0, Qt.Orientation.Horizontal) == "Thời gian"


def test_file_menu_offers_backup_restore_check_and_password(window):
    file_menu = window.menuBar().actions()[0].menu()
    texts = [a.text() for a in file_menu.actions()]
    for text in ("Sao lưu ngay…", "Khôi phục từ bản sao lưu…", "Kiểm tra dữ liệu", "Mật khẩu mở chương trình…"):
        assert text in texts


def test_back_up_now_to_a_chosen_place(window, qtbot, tmp_path, messages):
    ui_safety.backup_now(window, str(tmp_path / "usb" / "sao-luu.db"))
    wait_ops(qtbot)
    made = tmp_path / "usb" / "sao-luu.db"
    assert backup.inspect_backup(made).ok
    assert names(made) == ["Nguyễn Văn An"]
    assert str(made) in messages[-1][1]
    assert "Đã sao lưu vào" in messages[-1][1] and "1 đảng viên" in messages[-1][1]


def test_restore_dialog_lists_backups_with_preview_newest_good_first(qtbot, db, monkeypatch, tmp_path, threads):
    add(db, "Nguyễn Văn An")
    older = backup.backup_now(db.location, now=dt.datetime(2025, 1, 5, 9, 0))
    bad = backup.backup_before(db.location, "sao-luu", now=dt.datetime(2025, 6, 1, 9, 0))
    corrupt(bad)
    dlg = RestoreDialog(db.location)
    qtbot.addWidget(dlg)
    assert "Đang đọc" in dlg.empty.text()       # the list is read off the GUI thread
    qtbot.waitUntil(lambda: dlg.loaded)
    assert dlg.model.rowCount() == 2 and not dlg.empty.isVisibleTo(dlg)
    assert off_the_gui_thread(threads["list_backups"])
    assert dlg.selected().path == older.path  # the damaged newer one is not offered first
    assert dlg.restore_button.isEnabled()
    assert "05/01/2025 09:00" in dlg.preview.text() and "1 đảng viên" in dlg.preview.text()
    dlg.table.setCurrentIndex(dlg.model.index(0, 0))
    assert not dlg.restore_button.isEnabled() and "không khôi phục được" in dlg.preview.text()
    usb = Path(backup.online_backup(older.path, tmp_path / "usb" / "mang-ve.db"))
    dlg.add_file(usb)
    assert dlg.selected().path == usb and dlg.restore_button.isEnabled()
    monkeypatch.setattr(restore_dialog, "ask", lambda *_a, **_k: True)
    qtbot.mouseClick(dlg.restore_button, Qt.MouseButton.LeftButton)
    assert dlg.result() == QtWidgets.QDialog.DialogCode.Accepted and dlg.chosen.path == usb


def test_restore_from_the_menu_reopens_and_refreshes_the_window(window, qtbot, monkeypatch, messages):
    db = window.ctx.db
    saved = backup.backup_now(db.location)
    add(db, "Lê Thị Bình")
    window.ctx.notify_changed("members")
    page = window.show_page("members")
    assert page.model.rowCount() == 2

    def choose(dlg):
        qtbot.waitUntil(lambda: dlg.loaded)
        dlg.chosen = next(i for i in dlg.model._rows if i.path == saved.path)
        return QtWidgets.QDialog.DialogCode.Accepted

    monkeypatch.setattr(RestoreDialog, "exec", choose)
    ui_safety.restore_from_backup(window)
    wait_ops(qtbot)
    assert window.ctx.db is not db
    assert page.model.rowCount() == 1
    assert "Đã khôi phục" in messages[-1][1] and "truoc-khoi-phuc" in messages[-1][1]
    add(window.ctx.db, "Trần Văn Cường")  # the reopened database is writable
    assert len(names(window.ctx.db.target)) == 2


def test_a_restore_first_saves_or_asks_about_what_is_typed_on_the_pages(window, qtbot, monkeypatch, messages,
                                                                          save_questions):
    """The review sheet's typed scores are not replaced by the backup without a question: "Hủy" keeps them
    and restores nothing, "Lưu" stores them (into the state kept before the restore) and goes on."""
    from services.review import service as rsvc
    from ui import widgets

    db = window.ctx.db
    member_id = names_to_ids(db)["Nguyễn Văn An"]
    backup.backup_now(db.location)
    page = window.show_page("review")
    page.table.setCurrentIndex(page.model.index(0, 0))
    typed = {}
    for key, box in page.sheet.criteria_widgets.items():   # every criterion's points
        box.setValue(box.maximum() - 1)
        typed[key] = box.value()
    assert page.has_unsaved()
    offered = []
    monkeypatch.setattr(RestoreDialog, "exec", lambda dlg: offered.append(dlg) or 0)   # then picks none
    save_questions.answer = widgets.CANCEL
    ui_safety.restore_from_backup(window)
    wait_ops(qtbot)
    assert len(save_questions.asked) == 1 and offered == []
    assert window.stack.currentWidget() is page and page.has_unsaved()   # still there, as typed
    save_questions.answer = widgets.SAVE
    ui_safety.restore_from_backup(window)
    wait_ops(qtbot)
    assert page.sheet.problems.text() == "" and len(save_questions.asked) == 2
    assert len(offered) == 1 and not page.has_unsaved()
    with db.begin() as s:
        assert rsvc.member_row(s, 2025, member_id).record.criteria == typed


def names_to_ids(db) -> dict[str, int]:
    with db.begin() as s:
        return {m.full_name: m.id for m in svc.register(s, TODAY)}


@pytest.mark.sqlite_only
def test_check_on_demand_passes_and_a_damaged_file_blocks_writes(window, qtbot, monkeypatch, messages):
    reports = []
    ui_safety.check_data(window, reports.append)
    wait_ops(qtbot)
    assert reports[-1].clean and "đạt" in messages[-1][1]
    db = window.ctx.db
    backup.backup_now(db.path)
    db.engine.dispose()
    corrupt(db.path)
    offered = []
    monkeypatch.setattr(RestoreDialog, "exec", lambda dlg: offered.append(dlg) or 0)
    ui_safety.check_data(window, reports.append)
    wait_ops(qtbot)
    assert not reports[-1].ok and offered
    assert "bị hỏng" in messages[-1][1]
    with pytest.raises(integrity.WritesBlockedError):
        add(db, "Lê Thị Bình")


def test_the_check_runs_off_the_gui_thread_and_tells_the_result(window, qtbot, threads, messages):
    menu_action(window, "Kiểm tra dữ liệu").trigger()
    wait_ops(qtbot)
    assert messages[-1][0] == "Kiểm tra dữ liệu" and not messages[-1][2]
    assert "đạt" in messages[-1][1]
    if window.ctx.db.path is not None:
        assert off_the_gui_thread(threads["check_file"])


def test_the_restore_runs_off_the_gui_thread_while_nothing_else_uses_the_database(window, qtbot, monkeypatch,
                                                                                  threads, messages):
    db = window.ctx.db
    saved = backup.backup_now(db.location)
    add(db, "Lê Thị Bình")
    window.ctx.notify_changed("members")
    page = window.show_page("members")
    assert page.model.rowCount() == 2
    started, go_on = threading.Event(), threading.Event()
    restore = backup.restore

    def slow_restore(*args, **kwargs):
        started.set()
        go_on.wait(20)
        return restore(*args, **kwargs)

    monkeypatch.setattr(backup, "restore", slow_restore)

    def choose(dlg):
        qtbot.waitUntil(lambda: dlg.loaded)
        dlg.chosen = next(i for i in dlg.model._rows if i.path == saved.path)
        return QtWidgets.QDialog.DialogCode.Accepted

    monkeypatch.setattr(RestoreDialog, "exec", choose)
    menu_action(window, "Khôi phục từ bản sao lưu…").trigger()
    qtbot.waitUntil(started.is_set)
    # meanwhile: the progress dialog keeps the window still, and nothing reads the file being replaced
    assert [d.labelText() for d in window.findChildren(QtWidgets.QProgressDialog) if d.isVisible()] == [
        "Đang khôi phục từ bản sao lưu…"]
    with pytest.raises(UserError, match="đang được khôi phục"):
        window.ctx.read(lambda s: svc.register(s, TODAY))
    go_on.set()
    wait_ops(qtbot)
    assert off_the_gui_thread(threads["restore"])
    assert messages[-1][0] == "Khôi phục từ bản sao lưu" and not messages[-1][2]
    assert "Đã khôi phục" in messages[-1][1] and "1 đảng viên" in messages[-1][1]
    assert window.ctx.db is not db and page.model.rowCount() == 1
    add(window.ctx.db, "Trần Văn Cường")                 # the reopened database is writable
    assert names(window.ctx.db.target) == ["Nguyễn Văn An", "Trần Văn Cường"]


def test_a_refused_restore_reopens_the_database_untouched_and_says_why(window, qtbot, tmp_path, messages):
    bad = tmp_path / "khong-phai.db"
    bad.write_text("không phải dữ liệu", encoding="utf-8")
    done = []
    ui_safety.restore_into(window, bad, done.append)
    wait_ops(qtbot)
    assert done == [False]
    title, text, error = messages[-1]
    assert title == "Khôi phục từ bản sao lưu" and error and text.startswith("Không khôi phục được từ tệp")
    add(window.ctx.db, "Lê Thị Bình")
    assert names(window.ctx.db.target) == ["Lê Thị Bình", "Nguyễn Văn An"]


@pytest.mark.sqlite_only
def test_the_daily_backup_and_the_link_check_run_after_the_window_is_built(qtbot, db, threads, messages):
    add(db, "Nguyễn Văn An")
    db.close()
    con = sqlite3.connect(db.path)      # a life event whose member is gone (foreign keys off)
    with con:
        con.execute("INSERT INTO member_event (member_id, kind, date, other_org, form, reason) "
                    "VALUES (999, 'admitted', '2010-01-01', '', '', '')")
    con.close()
    win = ui_app.open_window(db.path)
    qtbot.addWidget(win)
    wait_ops(qtbot)
    assert off_the_gui_thread(threads["daily_backup"]) and off_the_gui_thread(threads["foreign_key_problems"])
    assert [i.reason for i in backup.list_backups(db.path)] == [backup.DAILY]
    title, text, error = messages[-1]
    assert title == "Kiểm tra dữ liệu" and error and text.startswith("Có 1 bản ghi trỏ tới bản ghi không còn nữa")
    win.ctx.db.close()


@pytest.mark.sqlite_only
def test_open_window_makes_the_daily_backup(qtbot, db, messages):
    add(db, "Nguyễn Văn An")
    db.close()
    win = ui_app.open_window(db.path)
    qtbot.addWidget(win)
    wait_ops(qtbot)
    assert [i.reason for i in backup.list_backups(db.path)] == [backup.DAILY]
    win.ctx.db.close()
    win2 = ui_app.open_window(db.path)  # the same day: no second copy
    qtbot.addWidget(win2)
    wait_ops(qtbot)
    assert len(backup.list_backups(db.path)) == 1
    win2.ctx.db.close()


def test_password_is_asked_before_anything_shows(qtbot, db, monkeypatch, messages):
    add(db, "Nguyễn Văn An")
    with db.begin() as s:
        access.set_password(s, "matkhau", "matkhau")
    db.close()
    seen = []

    def fake_exec(dlg):
        seen.append(dlg)
        assert not [w for w in QtWidgets.QApplication.topLevelWidgets() if isinstance(w, MainWindow)
                    and w.isVisible() and w.ctx.db.display == db.display]
        dlg.user.clear()
        dlg.user.insert("Lê Thị Hồng Nhung")
        qtbot.keyClicks(dlg.password, "sai-roi")
        qtbot.mouseClick(dlg.open_button, Qt.MouseButton.LeftButton)
        wait_ops(qtbot)
        assert dlg.result() != QtWidgets.QDialog.DialogCode.Accepted
        assert "Mật khẩu không đúng" in dlg.problems.text()
        qtbot.keyClicks(dlg.password, "matkhau")
        qtbot.mouseClick(dlg.open_button, Qt.MouseButton.LeftButton)
        wait_ops(qtbot)
        return dlg.result()

    monkeypatch.setattr(LoginDialog, "exec", fake_exec)
    win = ui_app.open_window(db.target)
    qtbot.addWidget(win)
    assert seen and win is not None
    assert win.ctx.user == "Lê Thị Hồng Nhung"
    add(win.ctx.db, "Lê Thị Bình")
    with win.ctx.db.begin() as s:
        assert audit.audit_entries(s, limit=1)[0].user == "Lê Thị Hồng Nhung"
    win.ctx.db.close()


def test_giving_up_at_the_password_opens_nothing(db, monkeypatch, messages):
    with db.begin() as s:
        access.set_password(s, "matkhau", "matkhau")
    db.close()
    monkeypatch.setattr(LoginDialog, "exec", lambda dlg: QtWidgets.QDialog.DialogCode.Rejected)
    assert ui_app.open_window(db.target) is None


def test_recovery_code_opens_and_a_new_password_is_set(qtbot, db, monkeypatch, messages):
    with db.begin() as s:
        code = access.set_password(s, "matkhau", "matkhau")
    db.close()

    def login(dlg):
        dlg.forgot.click()
        assert dlg.help.isVisibleTo(dlg)
        qtbot.keyClicks(dlg.password, code.lower())
        dlg.try_open()
        wait_ops(qtbot)
        return dlg.result()

    new_codes = []

    def new_password(dlg):
        assert not dlg.current.isVisibleTo(dlg)  # the code already proved who it is
        qtbot.keyClicks(dlg.new, "mat-khau-moi")
        qtbot.keyClicks(dlg.repeat, "mat-khau-moi")
        qtbot.mouseClick(dlg.set_button, Qt.MouseButton.LeftButton)
        wait_ops(qtbot)
        new_codes.append(dlg.code)
        return dlg.result()

    shown = []
    monkeypatch.setattr(LoginDialog, "exec", login)
    monkeypatch.setattr(PasswordDialog, "exec", new_password)
    monkeypatch.setattr(RecoveryCodeDialog, "exec", lambda dlg: shown.append(dlg.code_label.text()) or 1)
    win = ui_app.open_window(db.target)
    qtbot.addWidget(win)
    assert win is not None and shown == new_codes and new_codes[0] != code
    with win.ctx.db.begin() as s:
        assert access.unlock(s, "mat-khau-moi") == access.PASSWORD
        assert access.unlock(s, code) is None
    win.ctx.db.close()


def test_set_password_from_the_menu_shows_the_code_until_it_is_kept(qtbot, window, monkeypatch, tmp_path):
    def fill(dlg):
        qtbot.keyClicks(dlg.new, "abc")
        qtbot.keyClicks(dlg.repeat, "abc")
        qtbot.mouseClick(dlg.set_button, Qt.MouseButton.LeftButton)
        assert "ít nhất 6 ký tự" in dlg.problems.text()
        dlg.new.clear()
        dlg.repeat.clear()
        qtbot.keyClicks(dlg.new, "matkhau")
        qtbot.keyClicks(dlg.repeat, "matkhau")
        qtbot.mouseClick(dlg.set_button, Qt.MouseButton.LeftButton)
        wait_ops(qtbot)
        return dlg.result()

    codes = []

    def keep(dlg):
        codes.append(dlg)
        assert not dlg.close_button.isEnabled()
        with qtbot.assertNotEmitted(dlg.rejected):
            dlg.reject()  # Esc does not lose the code before it is kept
        opened = []
        monkeypatch.setattr("ui.dialogs.password_dialogs.open_file", opened.append)
        pdf = dlg.save_pdf(str(tmp_path / "ma.pdf"))
        assert pdf.exists() and opened == [pdf]
        dlg.kept.setChecked(True)
        assert dlg.close_button.isEnabled()
        return 1

    monkeypatch.setattr(PasswordDialog, "exec", fill)
    monkeypatch.setattr(RecoveryCodeDialog, "exec", keep)
    ui_safety.change_password(window)
    assert codes and access.looks_like_code(codes[0].code)
    with window.ctx.db.begin() as s:
        assert access.unlock(s, "matkhau") == access.PASSWORD


@pytest.mark.sqlite_only
def test_damaged_file_at_start_offers_the_newest_good_backup(qtbot, db, monkeypatch, threads, messages):
    add(db, "Nguyễn Văn An")
    good = backup.backup_now(db.path)
    add(db, "Lê Thị Bình")
    db.close()
    corrupt(db.path)
    offered = []

    def choose(dlg):
        offered.append(dlg)
        qtbot.waitUntil(lambda: dlg.loaded)
        intro = dlg.findChildren(QtWidgets.QLabel)[0].text()
        assert "bị hỏng" in intro and str(good.path) in intro and "main.py" not in intro
        assert dlg.selected().path == good.path
        dlg.chosen = dlg.selected()
        return QtWidgets.QDialog.DialogCode.Accepted

    monkeypatch.setattr(RestoreDialog, "exec", choose)
    win = ui_app.open_window(db.path)
    qtbot.addWidget(win)
    assert offered and win is not None
    assert off_the_gui_thread(threads["restore"])
    assert "Đã khôi phục" in messages[-1][1]
    assert names(db.path) == ["Nguyễn Văn An"]
    assert [i.reason for i in backup.list_backups(db.path) if i.reason == backup.DAMAGED_COPY]
    win.ctx.db.close()


@pytest.mark.sqlite_only
def test_damaged_file_without_a_backup_is_refused_untouched(qtbot, db, monkeypatch, messages):
    add(db, "Nguyễn Văn An")
    db.close()
    corrupt(db.path)
    before = db.path.read_bytes()
    offered = []

    def cancel(dlg):  # nothing in the backups folder; the user could still pick a file from a USB stick
        offered.append(dlg)
        qtbot.waitUntil(lambda: dlg.loaded)
        assert dlg.empty.isVisibleTo(dlg) and not dlg.restore_button.isEnabled()
        assert dlg.empty.text().startswith("Không tìm thấy")
        return QtWidgets.QDialog.DialogCode.Rejected

    monkeypatch.setattr(RestoreDialog, "exec", cancel)
    assert ui_app.open_window(db.path) is None
    assert offered
    assert db.path.read_bytes() == before


def test_members_page_shows_the_change_history_of_the_member(window, qtbot, monkeypatch, messages):
    page = window.show_page("members")
    member_id = page.model.row_at(0).id
    with window.ctx.db.begin() as s:
        svc.update_member(s, member_id, svc.MemberInput("Nguyễn Văn Ân", dt.date(2010, 1, 1), dt.date(2011, 2, 1)),
                          TODAY)
    window.ctx.notify_changed("members")
    page.select_member(member_id)
    dialogs = []
    monkeypatch.setattr(AuditDialog, "exec", lambda dlg: dialogs.append(dlg) or 1)
    page.act_audit.trigger()
    [dlg] = dialogs
    assert dlg.windowTitle() == "Lịch sử thay đổi của đồng chí Nguyễn Văn Ân"
    rows = [[dlg.model.index(r, c).data() for c in range(7)] for r in range(dlg.model.rowCount())]
    assert rows[0][2:] == ["Sửa", "Đảng viên: Nguyễn Văn Ân", "Họ và tên", "Nguyễn Văn An", "Nguyễn Văn Ân"]
    assert {r[2] for r in rows[1:]} == {"Thêm"}
    page.table.clearSelection()
    page.table.setCurrentIndex(page.proxy.index(-1, -1))
    page.act_audit.trigger()
    assert messages and messages[-1][1] == "Hãy chọn một đảng viên trước."


def test_unexpected_error_dialog_says_where_the_log_is(monkeypatch, qapp):
    shown = []
    monkeypatch.setattr(ui_safety, "show_error", lambda text, path: shown.append((text, path)))
    try:
        raise RuntimeError("lỗi lập trình")
    except RuntimeError as exc:
        ui_safety.handle_exception(type(exc), exc, exc.__traceback__)
    text, path = shown[-1]
    assert path == logs.log_path() and str(path) in text
    assert text.startswith("Chương trình gặp lỗi không mong đợi")
    logged = path.read_text(encoding="utf-8")  # where it happened, never the message (personal data)
    assert "RuntimeError" in logged and "test_unexpected_error_dialog_says_where_the_log_is" in logged
    from services.errors import UserError
    ui_safety.handle_exception(UserError, UserError("Tệp đang bận."), None)
    assert shown[-1] == ("Tệp đang bận.", None)


def test_error_dialog_is_vietnamese(qtbot, monkeypatch, tmp_path):
    boxes = []
    monkeypatch.setattr(QtWidgets.QMessageBox, "exec", lambda box: boxes.append(box) or 0)
    ui_safety.show_error(ui_safety.unexpected_text(tmp_path / "so-chi-bo.log"), tmp_path / "so-chi-bo.log")
    [box] = boxes
    assert sorted(b.text() for b in box.buttons()) == ["Mở thư mục nhật ký", "Đóng"]
    assert str(tmp_path / "so-chi-bo.log") in box.text()
