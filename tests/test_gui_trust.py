"""Issue 15 in the window: the file open elsewhere, a save refused over a change made elsewhere, the
plain message for a locked database."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.exc import OperationalError

from services import members as svc
from services.db import open_database
from ui import app as ui_app
from ui import safety as ui_safety
from ui.context import AppContext
from ui.dialogs import member_dialog
from ui.dialogs.member_dialog import MemberDialog

from .gui_support import wait_ops

TODAY = dt.date(2025, 12, 15)


class FixedContext(AppContext):
    def today(self):
        return TODAY


@pytest.fixture
def shown(monkeypatch):
    seen: list[tuple[str, str]] = []
    fake = lambda _parent, title, text, error=False: seen.append((title, text))  # noqa: E731
    monkeypatch.setattr(ui_safety, "inform", fake)
    monkeypatch.setattr(member_dialog, "inform", fake)
    monkeypatch.setattr(ui_safety, "show_error", lambda text, path: seen.append(("error", text)))
    return seen


@pytest.mark.sqlite_only
def test_a_second_window_on_the_same_file_is_told_it_is_open_elsewhere(qtbot, db, shown):
    path = db.path
    db.close()
    first = ui_app.load_database(path)
    try:
        assert first is not None
        assert ui_app.load_database(path) is None
        title, text = shown[-1]
        assert title == "Tệp đang được mở ở nơi khác" and str(path) in text
    finally:
        first.db.close()
    second = ui_app.load_database(path)     # the first window closed: the file opens
    assert second is not None
    second.db.close()


def test_the_member_dialog_refuses_to_save_over_a_change_made_elsewhere(qtbot, db, shown):
    with db.begin() as s:
        member_id = svc.add_member(s, svc.MemberInput("Nguyễn Văn An", dt.date(2010, 1, 1)), TODAY).id
    dlg = MemberDialog(FixedContext(db), member_id)
    qtbot.addWidget(dlg)
    other = open_database(db.target)        # meanwhile, another window changes the note
    try:
        with other.begin(write=True) as s:
            data = svc.member_input_of(s.get(svc.Member, member_id))
            data.note = "Đã chuyển sinh hoạt"
            svc.update_member(s, member_id, data, TODAY)
    finally:
        other.close()
    dlg.position.setText("Chuyen vien")
    dlg.accept()
    wait_ops(qtbot)
    title, text = shown[-1]
    assert title == "Chưa lưu" and "đã được sửa ở nơi khác" in text and "Đã chuyển sinh hoạt" in text
    assert dlg.isVisible() or dlg.result() == 0
    with db.begin() as s:
        member = s.get(svc.Member, member_id)
        assert member.position == "" and member.note == "Đã chuyển sinh hoạt"


def test_a_locked_database_is_told_plainly_without_sql(qtbot, shown):
    exc = OperationalError("UPDATE member SET full_name=? WHERE member.id = ?", ("Nguyễn Văn An", 1),
                           Exception("database is locked"))
    ui_safety.handle_exception(OperationalError, exc, None)
    title, text = shown[-1]
    assert "đang được một chương trình khác ghi" in text
    assert "UPDATE" not in text and "Nguyễn Văn An" not in text
