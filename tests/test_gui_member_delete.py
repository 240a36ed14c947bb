"""The register: a record entered twice is flagged, and deleted with Ctrl+Del after a question; a member
that other records refer to is not deleted, and the window says what refers to it."""
import datetime as dt

import pytest
from sqlalchemy import select

from models import Member
from services import meetings as mt
from services import members as svc
from tests.gui_support import shown_window, wait_ops
from ui.context import AppContext
from ui.models.members import DUPLICATE_ROLE
from ui.pages import members as members_page
from ui.qt import Qt, QtGui

TODAY = dt.date(2025, 12, 15)


class FixedContext(AppContext):
    def today(self):
        return TODAY


def add(s, name, birth=dt.date(1980, 1, 2)):
    return svc.add_member(s, svc.MemberInput(name, dt.date(2010, 1, 1), dt.date(2011, 1, 5), birth), TODAY).id


@pytest.fixture
def register(db):
    with db.begin() as s:
        ids = {"an": add(s, "Nguyễn Văn An"), "an2": add(s, "Nguyễn văn  An"), "binh": add(s, "Trần Thị Bình"),
               "cuong": add(s, "Lê Văn Cường", dt.date(1975, 3, 3))}
        meeting = mt.create_meeting(s, mt.MeetingInput(kind="regular", date=dt.date(2025, 12, 5)), today=TODAY)
        mt.set_attendance(s, meeting.id, ids["binh"], "present")
    return db, ids


@pytest.fixture
def page(qtbot, register):
    db, _ids = register
    win = shown_window(qtbot, FixedContext(db))
    page = win.show_page("members")
    wait_ops(qtbot)
    return page


@pytest.fixture
def dialogs(monkeypatch):
    said = {"asked": [], "told": [], "answer": True}

    def ask(_parent, title, text, default_no=True):
        said["asked"].append(text)
        return said["answer"]

    monkeypatch.setattr(members_page, "ask", ask)
    monkeypatch.setattr(members_page, "inform", lambda _p, title, text, error=False: said["told"].append(text))
    return said


def names_in(db):
    with db.begin() as s:
        return sorted(s.scalars(select(Member.full_name)))


def shown_names(page):
    return [page.proxy.index(r, 0).data() for r in range(page.proxy.rowCount())]


def choose(page, name):
    row = next(r for r in range(page.proxy.rowCount()) if page.proxy.index(r, 0).data() == name)
    page.table.setCurrentIndex(page.proxy.index(row, 0))
    return row


def test_records_entered_twice_are_flagged_and_one_click_shows_them(page, qtbot, qtmodeltester):
    qtmodeltester.check(page.model)
    assert page.duplicates_notice.isVisible()
    assert page.duplicates_notice.text() == "2 bản ghi có thể bị nhập trùng: xem các bản ghi này"
    reasons = {page.proxy.index(r, 0).data(): page.proxy.index(r, 0).data(DUPLICATE_ROLE)
               for r in range(page.proxy.rowCount())}
    assert reasons["Trần Thị Bình"] == "" and reasons["Lê Văn Cường"] == ""
    assert reasons["Nguyễn Văn An"] == ("Có thể nhập trùng: cùng họ tên và ngày sinh (02/01/1980) với 1 bản ghi "
                                        "khác.")
    status_col = [k for k, _l in page.model.COLUMNS].index("status")
    row = choose(page, "Nguyễn Văn An")
    assert page.proxy.index(row, status_col).data() == "Chính thức · có thể nhập trùng"
    assert page.proxy.index(row, 0).data(Qt.ItemDataRole.BackgroundRole).color() == QtGui.QColor("#fff1cc")
    qtbot.mouseClick(page.duplicates_notice, Qt.MouseButton.LeftButton)
    assert page.filter.currentText() == "Có thể nhập trùng"
    assert shown_names(page) == ["Nguyễn Văn An", "Nguyễn Văn An"]


def test_ctrl_del_asks_then_deletes_the_record_entered_twice(page, qtbot, register, dialogs):
    db, ids = register
    page.select_member(ids["an2"])
    qtbot.keyClick(page.table, Qt.Key.Key_Delete, Qt.KeyboardModifier.ControlModifier)
    wait_ops(qtbot)
    assert len(dialogs["asked"]) == 1 and "Xóa hẳn Nguyễn Văn An khỏi danh sách" in dialogs["asked"][0]
    assert "cùng họ tên và ngày sinh" in dialogs["asked"][0]
    assert names_in(db) == ["Lê Văn Cường", "Nguyễn Văn An", "Trần Thị Bình"]
    assert not page.duplicates_notice.isVisible()          # the register was refreshed
    assert page.window().statusBar().currentMessage() == "Đã xóa Nguyễn Văn An khỏi danh sách đảng viên."
    with db.begin() as s:
        assert s.get(Member, ids["an"]) is not None and s.get(Member, ids["an2"]) is None


def test_answering_no_deletes_nothing(page, qtbot, register, dialogs):
    db, ids = register
    dialogs["answer"] = False
    page.select_member(ids["cuong"])
    qtbot.keyClick(page.table, Qt.Key.Key_Delete, Qt.KeyboardModifier.ControlModifier)
    wait_ops(qtbot)
    assert dialogs["asked"] and len(names_in(db)) == 4


def test_a_member_with_attendance_is_not_deleted_and_the_window_says_why(page, qtbot, register, dialogs):
    db, ids = register
    page.select_member(ids["binh"])
    page.act_delete.trigger()
    wait_ops(qtbot)
    assert dialogs["asked"] == []
    [told] = dialogs["told"]
    assert told.startswith("Không xóa được Trần Thị Bình: các dữ liệu sau có liên quan đến đồng chí này.")
    assert "• điểm danh ở 1 buổi sinh hoạt" in told
    assert "ghi sự kiện chuyển sinh hoạt, từ trần hoặc xóa tên" in told
    assert len(names_in(db)) == 4
