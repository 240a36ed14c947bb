"""Starting the window: `main.py --db NEW_FILE` names the commands that create the file; the setup wizard
is for the first start on the default data file only."""
from __future__ import annotations

import pytest

from services.paths import default_db_path
from ui import app as ui_app
from ui.dialogs import identity_dialog
from ui.qt import QtWidgets


@pytest.fixture
def seen(monkeypatch):
    shown: dict[str, list] = {"boxes": [], "wizard": []}

    def box_exec(box):
        shown["boxes"].append(box.text())
        return 0

    def wizard_exec(dlg):
        shown["wizard"].append(dlg)
        return QtWidgets.QDialog.DialogCode.Rejected

    monkeypatch.setattr(QtWidgets.QMessageBox, "exec", box_exec)
    monkeypatch.setattr(identity_dialog.IdentityDialog, "exec", wizard_exec)
    return shown


def test_a_db_file_that_does_not_exist_names_the_commands_and_no_wizard_opens(qtbot, tmp_path, seen):
    path = tmp_path / "chi-bo-moi.db"
    assert ui_app.load_database(path) is None
    assert seen["wizard"] == []
    [text] = seen["boxes"]
    assert text.startswith(f"Không có tệp dữ liệu {path}.")
    assert f'main.py init --db "{path}"' in text and f'main.py demo --db "{path}"' in text
    assert not path.exists()


def test_the_first_start_on_the_default_data_file_opens_the_setup_wizard(qtbot, seen):
    assert not default_db_path().exists()
    assert ui_app.load_database(None) is None     # the wizard was cancelled
    assert len(seen["wizard"]) == 1 and seen["boxes"] == []
    assert default_db_path().exists()


def test_a_new_empty_branch_overview_says_where_to_start(qtbot, db):
    import datetime as dt

    from services import meetings as mt
    from services import members as svc
    from tests.gui_support import wait_ops
    from ui.context import AppContext
    from ui.main_window import MainWindow

    today = dt.date(2025, 12, 15)

    class FixedContext(AppContext):
        def today(self):
            return today

    win = MainWindow(FixedContext(db))
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    home = win.show_page("home")
    wait_ops(qtbot)
    steps = home.first_steps
    assert steps.isVisible()
    text = steps.text()
    assert "Bắt đầu từ đâu" in text
    assert "✓ Kiểm tra thông tin chi bộ" in text           # the wizard has done it
    assert "2. <b>Nhập danh sách đảng viên</b>" in text     # the next step
    assert "«Thêm đảng viên» (Ctrl+N)" in text and "«Nhập từ Excel…» (Ctrl+I)" in text
    steps.linkActivated.emit("page:members")
    assert win.stack.currentWidget() is win.pages["members"]
    with db.begin() as s:
        svc.add_member(s, svc.MemberInput("Nguyễn Văn An", dt.date(2010, 1, 1), dt.date(2011, 1, 5)), today)
    win.ctx.notify_changed("members")
    win.show_page("home")
    assert "3. <b>Ghi buổi sinh hoạt chi bộ đầu tiên</b>" in home.first_steps.text()
    with db.begin() as s:
        mt.create_meeting(s, mt.MeetingInput(kind="regular", date=dt.date(2025, 12, 5)), today=today)
    win.ctx.notify_changed("meetings")
    assert not home.first_steps.isVisible()                # the branch has started: out of the way


def test_opening_every_section_shows_no_window_but_the_main_one(qtbot, tmp_path):
    """Building a page (the sections are built when first opened) never shows one of its buttons as a window
    of its own: a flash on the screen that takes the keyboard from the program (its shortcuts then do
    nothing until a click)."""
    import datetime as dt

    from services.db import open_database
    from services.demo import write_demo
    from tests.gui_support import wait_ops
    from ui.context import AppContext
    from ui.main_window import PAGES, MainWindow
    from ui.qt import QtCore

    write_demo(tmp_path / "demo.db", seed=1, year=2025, today=dt.date(2025, 12, 15))
    demo_db = open_database(tmp_path / "demo.db")
    shown: list[str] = []

    class Spy(QtCore.QObject):
        def eventFilter(self, obj, event):  # noqa: N802 - Qt's name
            if event.type() == QtCore.QEvent.Type.Show and isinstance(obj, QtWidgets.QWidget) and obj.isWindow() \
                    and not isinstance(obj, (MainWindow, QtWidgets.QMenu)):
                shown.append(type(obj).__name__)
            return False

    win = MainWindow(AppContext(demo_db))
    qtbot.addWidget(win)
    win.show()
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    spy = Spy()
    QtWidgets.QApplication.instance().installEventFilter(spy)
    try:
        for key, _title, _ref in PAGES:
            win.show_page(key)
            wait_ops(qtbot)
            QtWidgets.QApplication.processEvents()
    finally:
        QtWidgets.QApplication.instance().removeEventFilter(spy)
    assert shown == []
    assert win.isActiveWindow()
    demo_db.close()
