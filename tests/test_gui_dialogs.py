"""Dialogs: fields that stay put when problems appear, a greyed "Lưu" that says why, a meeting dated far
ahead confirmed (2030 refused), the minutes saved by default in the user's Documents folder."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from services import meetings as mt
from services.meetings.attendance import load_meetings
from services.members import register
from services.paths import program_dir
from tests.gui_support import shown_window
from ui.context import AppContext
from ui.dialogs import meeting_dialog
from ui.dialogs.event_dialog import EventDialog
from ui.dialogs.meeting_dialog import MeetingDialog
from ui.dialogs.member_dialog import MemberDialog
from ui.qt import Qt, QtCore, QtWidgets

from .gui_support import wait_ops
from .meeting_fixtures import TODAY, make_branch, meeting_input


class FixedContext(AppContext):
    def today(self):
        return TODAY


@pytest.fixture
def ctx(db):
    make_branch(db)
    return FixedContext(db)


def ok_button(dlg) -> QtWidgets.QPushButton:
    return dlg.buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok)


def field_places(dlg) -> dict[str, QtCore.QRect]:
    """Where every field of the dialog is, in the dialog's coordinates."""
    fields = (QtWidgets.QLineEdit, QtWidgets.QComboBox, QtWidgets.QPlainTextEdit, QtWidgets.QAbstractSpinBox,
              QtWidgets.QCheckBox)
    return {f"{type(w).__name__}#{i}": QtCore.QRect(w.mapTo(dlg, QtCore.QPoint(0, 0)), w.size())
            for i, w in enumerate(dlg.findChildren(QtWidgets.QWidget))
            if isinstance(w, fields) and w.isVisible() and not isinstance(w.parent(), QtWidgets.QComboBox)}


def _member(ctx, qtbot):
    dlg = MemberDialog(ctx)
    return dlg, lambda: (qtbot.keyClicks(dlg.birth, "31/02/1980"), dlg.name.insert("Nguyễn Văn An"))


def _meeting(ctx, qtbot):
    dlg = MeetingDialog(ctx)
    return dlg, lambda: (dlg.date.clear(), qtbot.keyClicks(dlg.date, "05/12/2030"), qtbot.keyClicks(dlg.start, "25"))


def _event(ctx, qtbot):
    with ctx.db.begin() as s:
        member_id = min(r.id for r in register(s, TODAY))
    dlg = EventDialog(ctx, member_id)
    return dlg, lambda: qtbot.keyClicks(dlg.date, "01/01/2026")


@pytest.mark.parametrize("make", [_member, _meeting, _event], ids=["member", "meeting", "event"])
@pytest.mark.parametrize("extra_height", [0, 240])
def test_fields_stay_where_they_are_when_problems_appear(ctx, qtbot, make, extra_height):
    dlg, break_it = make(ctx, qtbot)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.resize(dlg.width(), dlg.height() + extra_height)   # a dialog taller than it needs (zoom, a large screen)
    qtbot.waitExposed(dlg)
    before = field_places(dlg)
    break_it()
    QtWidgets.QApplication.processEvents()
    assert dlg.problems.plain_text().strip(), "the problems are shown"
    assert not ok_button(dlg).isEnabled()
    assert field_places(dlg) == before


def test_a_greyed_save_button_says_why(ctx, qtbot):
    dlg = MemberDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.show()
    why = "Chưa lưu được: Hãy nhập họ và tên đảng viên. Hãy nhập ngày vào Đảng."
    assert not ok_button(dlg).isEnabled()
    assert ok_button(dlg).toolTip() == why
    assert dlg.problems.plain_text() == why          # said quietly before anything is typed
    dlg.name.insert("Trần Văn Tư")
    assert ok_button(dlg).toolTip() == "Chưa lưu được: Hãy nhập ngày vào Đảng."
    qtbot.keyClicks(dlg.admitted, "01/02/2015")
    assert ok_button(dlg).isEnabled() and ok_button(dlg).toolTip() == ""


@pytest.fixture
def window(qtbot, ctx):
    win = shown_window(qtbot, ctx)
    return win


def stored_dates(db):
    with db.begin() as s:
        return [m.date for m in load_meetings(s, None)]


def test_a_meeting_far_ahead_is_confirmed_and_2030_is_refused(window, qtbot, monkeypatch):
    page = window.show_page("meetings")
    asked: list[str] = []
    answers = [False, True]
    monkeypatch.setattr(meeting_dialog, "ask", lambda _p, _t, text, default_no=True: asked.append(text)
                        or answers.pop(0))

    def fill(dlg):
        dlg.show()
        dlg.date.clear()
        qtbot.keyClicks(dlg.date, "05/12/2030")
        assert not ok_button(dlg).isEnabled()
        assert "năm 2030, còn nhiều năm nữa" in ok_button(dlg).toolTip()
        assert "năm 2030, còn nhiều năm nữa" in dlg.problems.plain_text()
        dlg.date.clear()
        qtbot.keyClicks(dlg.date, "05/03/2026")
        assert ok_button(dlg).isEnabled()
        assert "còn 80 ngày nữa mới đến" in dlg.problems.plain_text()
        qtbot.keyClick(dlg.date, Qt.Key.Key_Return)        # "Không": stays open, nothing stored
        wait_ops(qtbot)
        assert dlg.isVisible() and stored_dates(window.ctx.db) == []
        qtbot.keyClick(dlg.date, Qt.Key.Key_Return)        # "Có"
        wait_ops(qtbot)
        return dlg.result()

    monkeypatch.setattr(MeetingDialog, "exec", fill)
    qtbot.keyClick(page.list, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert len(asked) == 2 and asked[0].endswith("Vẫn lưu buổi sinh hoạt với ngày này?")
    assert stored_dates(window.ctx.db) == [dt.date(2026, 3, 5)]


def test_the_minutes_are_saved_by_default_in_the_documents_folder(window, qtbot, monkeypatch):
    documents = Path.home() / "Documents"
    documents.mkdir(exist_ok=True)
    with window.ctx.db.begin() as s:
        mt.create_meeting(s, meeting_input(dt.date(2025, 12, 5)), today=TODAY)
    window.ctx.notify_changed("meetings")
    page = window.show_page("meetings")
    wait_ops(qtbot)
    page.list.setCurrentIndex(page.list_model.index(0, 0))
    proposed = []

    def accept_the_proposal(_parent, _title, start, filters):
        proposed.append(start)
        return start, filters.split(";;")[0]

    monkeypatch.setattr(QtWidgets.QFileDialog, "getSaveFileName", staticmethod(accept_the_proposal))
    qtbot.keyClick(page.list, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    wait_ops(qtbot)
    assert proposed == [str(documents / "bien-ban-2025-12-05.pdf")]
    written = documents / "bien-ban-2025-12-05.pdf"
    assert written.read_bytes().startswith(b"%PDF")
    assert not (program_dir() / "bien-ban-2025-12-05.pdf").exists()
    assert not (Path.cwd() / "bien-ban-2025-12-05.pdf").exists()


def test_a_meeting_changed_elsewhere_since_the_dialog_opened_is_not_overwritten(ctx, qtbot):
    """Issue 15: a save over a record changed since the dialog showed it is refused, with the dialog still open
    on what was typed; the change made elsewhere stays."""
    from services.db import open_database

    with ctx.db.begin() as s:
        meeting_id = mt.create_meeting(s, meeting_input(dt.date(2025, 11, 20)), TODAY).id
    dlg = MeetingDialog(ctx, meeting_id)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    other = open_database(ctx.db.target)          # another window (or computer) saves the meeting first
    try:
        with other.begin() as s:
            mt.update_meeting(s, meeting_id, meeting_input(dt.date(2025, 11, 20), place="Hội trường tầng 3"), TODAY)
    finally:
        other.close()
    dlg.topic.setText("Tổng kết năm")
    qtbot.mouseClick(ok_button(dlg), Qt.MouseButton.LeftButton)
    wait_ops(qtbot)
    assert dlg.isVisible() and "đã được sửa ở nơi khác" in dlg.problems.plain_text()
    assert dlg.topic.text() == "Tổng kết năm"
    with ctx.db.begin() as s:
        stored = mt.records.input_of(mt.get_meeting(s, meeting_id))
        assert (stored.place, stored.topic) == ("Hội trường tầng 3", "")
    again = MeetingDialog(ctx, meeting_id)        # opened again: the save goes through
    qtbot.addWidget(again)
    again.show()
    again.topic.setText("Tổng kết năm")
    qtbot.mouseClick(ok_button(again), Qt.MouseButton.LeftButton)
    wait_ops(qtbot)
    assert not again.isVisible()
    with ctx.db.begin() as s:
        stored = mt.records.input_of(mt.get_meeting(s, meeting_id))
        assert (stored.place, stored.topic) == ("Hội trường tầng 3", "Tổng kết năm")
