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
