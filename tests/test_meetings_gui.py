"""The "Sinh hoạt chi bộ" page driven from the keyboard: one meeting from creation to the printed PDF."""
from __future__ import annotations

import datetime as dt
import tempfile

import pytest

from services import meetings as mt
from tests.gui_support import shown_window
from ui.context import AppContext
from ui.dialogs.meeting_dialog import AmendmentDialog, MeetingDialog, ResolutionDialog
from ui.qt import Qt, QtGui, QtWidgets

from .gui_support import wait_ops
from .meeting_fixtures import TODAY, make_branch, new_meeting


class FixedContext(AppContext):
    def today(self):
        return TODAY


@pytest.fixture
def window(qtbot, db):
    make_branch(db)
    win = shown_window(qtbot, FixedContext(db))
    return win


def _ok(dialog) -> QtWidgets.QPushButton:
    return dialog.buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok)


def _back_to(window, qtbot) -> None:
    """The offscreen platform does not give the focus back to the window when a dialog closes; a desktop does."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def _cell(page, name: str, column: int) -> str:
    model = page.att_model
    row = next(r for r in range(model.rowCount()) if model.index(r, 1).data() == name)
    return model.index(row, column).data()


def test_one_meeting_end_to_end_from_the_keyboard(window, qtbot, monkeypatch, tmp_path):
    import ui.pages.meetings as page_module

    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    page = window.pages["meetings"]
    assert window.stack.currentWidget() is page
    assert page.list_model.rowCount() == 0

    # 1. Ctrl+N: the new-meeting dialog, filled from the keyboard
    def fill_meeting(dlg):
        dlg.show()
        assert dlg.kind.currentData() == "regular"
        dlg.date.clear()
        qtbot.keyClicks(dlg.date, "05/12/2025")
        dlg.start.clear()
        qtbot.keyClicks(dlg.start, "14h")
        dlg.end.clear()
        qtbot.keyClicks(dlg.end, "1530")
        dlg.place.insert("Phòng họp Văn phòng Sở")
        dlg.secretary.setEditText("Lê Thị Hồng Nhung")  # (typing would open the name completer)
        assert dlg.chair.currentText() == "Từ Minh Điền"     # the branch secretary presides by default
        assert _ok(dlg).isEnabled()
        qtbot.keyClick(dlg.place, Qt.Key.Key_Return)
        wait_ops(qtbot)
        return dlg.result()

    monkeypatch.setattr(MeetingDialog, "exec", fill_meeting)
    page.list.setFocus()
    qtbot.keyClick(page.list, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert page.list_model.rowCount() == 1
    _back_to(window, qtbot)
    assert page.tabs.currentIndex() == 0 and page.att.hasFocus()

    # 2. attendance: everyone present, then the exceptions, one key each
    qtbot.keyClick(page.att, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    wait_ops(qtbot)
    assert _cell(page, "Nguyễn Văn An", 3).startswith("C")
    page.att.go_to(0, 3)                                  # Nguyễn Văn An
    qtbot.keyClick(page.att, Qt.Key.Key_P)
    editor = QtWidgets.QApplication.focusWidget()
    assert isinstance(editor, QtWidgets.QLineEdit)        # the reason cell opens at once
    editor.insert("đi công tác")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: _cell(page, "Nguyễn Văn An", 4) == "đi công tác")
    assert page.att.currentIndex().row() == 1             # on to the next member
    page.att.go_to(2, 3)                                  # Phạm Quốc Cường
    qtbot.keyClick(page.att, Qt.Key.Key_K)
    assert _cell(page, "Phạm Quốc Cường", 3).startswith("K")
    wait_ops(qtbot)
    assert "Có mặt 5 (71,4%)" in page.counts.text()
    assert "vắng có lý do 1" in page.counts.text() and "vắng không lý do 1" in page.counts.text()
    assert "hợp lệ" in page.counts.text()                       # 5 of 7: more than half
    assert "không có đảng viên vắng không lý do: <b>chưa đạt</b>" in page.quality.text()

    # 3. minutes: F7, type in a section, Ctrl+S
    qtbot.keyClick(page.att, Qt.Key.Key_F7)
    assert page.tabs.currentIndex() == 1
    news = page.editor.edits["news"]
    news.moveCursor(QtGui.QTextCursor.MoveOperation.End)
    news.insertPlainText("kỷ niệm ngày thành lập Quân đội nhân dân Việt Nam 22/12.")
    page.editor.edits["next_tasks"].insertPlainText("- Chuẩn bị kiểm điểm cuối năm.")
    qtbot.keyClick(news, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    wait_ops(qtbot)
    with window.ctx.db.begin() as s:
        meeting_id = mt.meetings_of_year(s, 2025)[0].id
        texts = {x["key"]: x["text"] for x in mt.sections_of(mt.get_meeting(s, meeting_id))}
    assert texts["news"].endswith("Quân đội nhân dân Việt Nam 22/12.")
    assert texts["next_tasks"] == "- Chuẩn bị kiểm điểm cuối năm."

    # 4. a vote: Ctrl+R, the full members present are counted in favour by default
    def fill_vote(dlg):
        assert dlg.voters == 4                                 # 5 present, one of them probationary
        assert dlg.in_favour.value() == 4
        dlg.text.insertPlainText("Thông qua phương hướng, nhiệm vụ tháng 01 năm 2026.")
        dlg.in_favour.setValue(3)
        dlg.other.setValue(1)
        dlg.other_opinions.insert("đề nghị thêm thời hạn")
        qtbot.mouseClick(_ok(dlg), Qt.MouseButton.LeftButton)
        wait_ops(qtbot)
        return dlg.result()

    monkeypatch.setattr(ResolutionDialog, "exec", fill_vote)
    qtbot.keyClick(news, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert page.res_model.rowCount() == 1
    _back_to(window, qtbot)
    assert page.res_model.index(0, 1).data() == "3"

    # 5. finalise with Ctrl+Shift+K (after the confirmation), then everything is read-only
    questions = []
    monkeypatch.setattr(page_module, "ask", lambda parent, title, text, default_no=True: questions.append(text) or True)
    qtbot.keyClick(news, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    wait_ops(qtbot)
    assert len(questions) == 1 and "đính chính" in questions[0]
    with window.ctx.db.begin() as s:
        assert mt.get_meeting(s, meeting_id).finalized_at is not None
    assert page.finalized and page.editor.edits["news"].isReadOnly()
    assert not page.act_finalise.isEnabled() and page.act_amend.isEnabled()
    page.show_tab(0)
    page.att.go_to(0, 3)
    qtbot.keyClick(page.att, Qt.Key.Key_C)
    assert _cell(page, "Nguyễn Văn An", 3).startswith("P")     # unchanged

    # 6. print: Ctrl+P opens the PDF in the system viewer; "Save as PDF" writes where asked
    opened = []
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(QtGui.QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    qtbot.keyClick(page.list, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    wait_ops(qtbot)
    assert opened and open(opened[0], "rb").read(4) == b"%PDF"
    out = page.save_pdf(tmp_path / "bien-ban.pdf")
    wait_ops(qtbot)
    assert out is not None and out.read_bytes().startswith(b"%PDF")
    # the preview in the program shows the same minutes
    qtbot.keyClick(page.list, Qt.Key.Key_F8)
    wait_ops(qtbot)
    assert "BIÊN BẢN" in page.preview.toPlainText() and "Số 01-BB/CB" in page.preview.toPlainText()


def test_amend_a_finalised_meeting_from_the_page(window, qtbot, monkeypatch, db):
    mid = new_meeting(db, dt.date(2025, 11, 5))
    with db.begin() as s:
        mt.finalise_meeting(s, mid, "Lê Thị Hồng Nhung", dt.datetime(2025, 11, 6, 9), TODAY)
    page = window.show_page("meetings")
    page.refresh()

    def amend(dlg):
        dlg.reason.insert("Bổ sung nội dung thảo luận")
        dlg.section.setCurrentIndex(dlg.section.findData("opinions"))
        dlg.text.insertPlainText("- Đồng chí Nguyễn Văn An đề nghị rà soát hồ sơ.")
        qtbot.mouseClick(_ok(dlg), Qt.MouseButton.LeftButton)
        wait_ops(qtbot)
        return dlg.result()

    monkeypatch.setattr(AmendmentDialog, "exec", amend)
    page.list.setFocus()
    qtbot.keyClick(page.list, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    assert page.am_model.rowCount() == 1
    assert page.tabs.currentIndex() == 3
    assert "Nguyễn Văn An đề nghị" in page.editor.edits["opinions"].toPlainText()


def test_deleting_a_draft_asks_first(window, qtbot, monkeypatch, db):
    import ui.pages.meetings as page_module

    new_meeting(db, dt.date(2025, 11, 5))
    page = window.show_page("meetings")
    page.refresh()
    answers = [False]
    monkeypatch.setattr(page_module, "ask", lambda *a, **k: answers[0])
    page.list.setFocus()
    qtbot.keyClick(page.list, Qt.Key.Key_Delete, Qt.KeyboardModifier.ControlModifier)
    assert page.list_model.rowCount() == 1
    answers[0] = True
    qtbot.keyClick(page.list, Qt.Key.Key_Delete, Qt.KeyboardModifier.ControlModifier)
    wait_ops(qtbot)
    assert page.list_model.rowCount() == 0


def test_meeting_models_pass_the_qt_model_tester(window, qtmodeltester, db):
    mid = new_meeting(db, dt.date(2025, 11, 5))
    with db.begin() as s:
        mt.save_resolution(s, mid, mt.ResolutionInput("Thông qua nghị quyết", 4))
        mt.finalise_meeting(s, mid, "X", dt.datetime(2025, 11, 6), TODAY)
        mt.amend_minutes(s, mid, mt.AmendmentInput(dt.date(2025, 11, 7), "Sửa", "X", {"opinions": "- Ý kiến"}),
                         TODAY)
    page = window.show_page("meetings")
    page.refresh()
    for model in (page.list_model, page.att_model, page.res_model, page.am_model):
        assert model.rowCount() > 0
        qtmodeltester.check(model)


def test_years_are_browsed_from_the_keyboard(window, qtbot, db):
    new_meeting(db, dt.date(2024, 11, 5))
    new_meeting(db, dt.date(2025, 3, 5))
    page = window.show_page("meetings")
    page.refresh()
    assert page.year.value() == 2025 and page.list_model.rowCount() == 1
    page.list.setFocus()
    qtbot.keyClick(page.list, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)   # "&Năm"
    assert page.year.hasFocus()
    qtbot.keyClick(page.year, Qt.Key.Key_Down)
    assert page.year.value() == 2024
    assert page.list_model.row_at(0).date == dt.date(2024, 11, 5)
    assert "11/2024" in page.banner.text() or "05/11/2024" in page.banner.text()
