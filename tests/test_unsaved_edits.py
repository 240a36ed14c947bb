"""Nothing a secretary types is lost (issue 14, items 1, 2, 3, 5), driven as the user does it: keys, the
mouse wheel, tabs, another member, another section, Ctrl+Q — on a real database, asserting what is stored."""
from __future__ import annotations

import datetime as dt

import pytest

from services import meetings as mt
from services import ratings as rsvc
from services.review import service as rv
from tests.gui_support import shown_window
from tests.review_helpers import add_member
from ui import widgets
from ui.context import AppContext
from ui.qt import Qt, QtCore, QtGui, QtWidgets

from .gui_support import wait_ops
from .meeting_fixtures import new_meeting

TODAY = dt.date(2025, 12, 15)


class FixedContext(AppContext):
    def today(self):
        return TODAY


@pytest.fixture
def window(qtbot, db):
    with db.begin() as s:
        for name in ("Nguyễn Văn An", "Lê Thị Bình", "Trần Văn Cường"):
            add_member(s, name)
    win = shown_window(qtbot, FixedContext(db))
    return win


def _ctrl(qtbot, window, key) -> None:
    qtbot.keyClick(window.focusWidget() or window, key, Qt.KeyboardModifier.ControlModifier)


def _review(window, qtbot):
    _ctrl(qtbot, window, Qt.Key.Key_6)
    page = window.stack.currentWidget()
    assert page is window.pages["review"] and page.year.value() == 2025
    return page


def _select(page, name: str) -> None:
    row = next(r for r in range(page.model.rowCount()) if page.model.index(r, 0).data() == name)
    page.table.setCurrentIndex(page.model.index(row, 0))


def _score(page, general: float, tasks: float) -> None:
    page.sheet.criteria_widgets["general"].setValue(general)
    page.sheet.criteria_widgets["tasks"].setValue(tasks)


def _stored(db, name: str) -> dict:
    with db.begin() as s:
        row = next(r for r in rv.year_review(s, 2025).rows if r.full_name == name)
    return dict(row.record.criteria) if row.record else {}


# --- 1. every editor saves as it goes or asks --------------------------------------------------------

def test_another_member_with_unsaved_scores_asks_and_save_stores_them(window, qtbot, save_questions):
    page = _review(window, qtbot)
    _select(page, "Nguyễn Văn An")
    _score(page, 25, 55)
    save_questions.answer = widgets.SAVE
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Down)          # the next member in the list
    assert len(save_questions.asked) == 1 and "Nguyễn Văn An" in save_questions.asked[0]
    wait_ops(qtbot)
    assert _stored(window.ctx.db, "Nguyễn Văn An") == {"general": 25, "tasks": 55}
    assert page.sheet.row.full_name != "Nguyễn Văn An" and not page.has_unsaved()


def test_cancel_stays_with_the_edits_and_dont_save_drops_them(window, qtbot, save_questions):
    page = _review(window, qtbot)
    _select(page, "Nguyễn Văn An")
    _score(page, 25, 55)
    save_questions.answer = widgets.CANCEL
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Down)
    assert page.sheet.row.full_name == "Nguyễn Văn An"
    assert page.table.currentIndex().data() == "Nguyễn Văn An"
    assert page.sheet.criteria_widgets["general"].value() == 25     # still there to save
    save_questions.answer = widgets.DISCARD
    qtbot.keyClick(page.table, Qt.Key.Key_Down)
    wait_ops(qtbot)
    assert page.sheet.row.full_name != "Nguyễn Văn An"
    assert _stored(window.ctx.db, "Nguyễn Văn An") == {}
    _select(page, "Nguyễn Văn An")
    assert page.sheet.criteria_widgets["general"].value() == -1      # "—": nothing was kept


def test_a_refused_save_keeps_the_member_and_the_edits(window, qtbot, save_questions):
    page = _review(window, qtbot)
    _select(page, "Nguyễn Văn An")
    _score(page, 25, 55)
    from ui.pages.review_sheet import set_level

    set_level(page.sheet.proposed, "HTXSNV")              # 80 points are not enough for it
    save_questions.answer = widgets.SAVE
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Down)
    wait_ops(qtbot)
    assert page.sheet.row.full_name == "Nguyễn Văn An" and page.sheet.problems.text()
    assert page.has_unsaved() and _stored(window.ctx.db, "Nguyễn Văn An") == {}


def test_switching_tab_with_the_branch_part_unsaved_asks(window, qtbot, save_questions):
    page = _review(window, qtbot)
    page.tabs.setCurrentIndex(1)
    page.narrative["strengths"].setPlainText("Hoàn thành tốt nhiệm vụ chính trị")
    save_questions.answer = widgets.SAVE
    page.tabs.setCurrentIndex(2)                           # the tally
    assert len(save_questions.asked) == 1 and "chi bộ tự đánh giá" in save_questions.asked[0]
    wait_ops(qtbot)
    assert page.tabs.currentIndex() == 2
    with window.ctx.db.begin() as s:
        assert rv.branch_review(s, 2025).strengths == "Hoàn thành tốt nhiệm vụ chính trị"


def test_switching_year_with_unsaved_scores_asks(window, qtbot, save_questions):
    page = _review(window, qtbot)
    _select(page, "Lê Thị Bình")
    _score(page, 25, 55)
    save_questions.answer = widgets.CANCEL
    page.year.setFocus()
    qtbot.keyClick(page.year, Qt.Key.Key_Down)
    assert save_questions.asked and page.year.value() == 2025 and page.has_unsaved()
    save_questions.answer = widgets.SAVE
    qtbot.keyClick(page.year, Qt.Key.Key_Down)
    wait_ops(qtbot)
    assert page.year.value() == 2024
    assert _stored(window.ctx.db, "Lê Thị Bình") == {"general": 25, "tasks": 55}


def test_another_section_asks_first(window, qtbot, save_questions):
    page = _review(window, qtbot)
    _select(page, "Nguyễn Văn An")
    _score(page, 25, 55)
    save_questions.answer = widgets.CANCEL
    _ctrl(qtbot, window, Qt.Key.Key_2)
    assert window.stack.currentWidget() is page and window.nav.currentRow() == 5
    save_questions.answer = widgets.SAVE
    _ctrl(qtbot, window, Qt.Key.Key_2)
    wait_ops(qtbot)
    assert window.stack.currentWidget() is window.pages["members"] and window.nav.currentRow() == 1
    assert _stored(window.ctx.db, "Nguyễn Văn An") == {"general": 25, "tasks": 55}


def test_ctrl_q_asks_before_closing_and_saves(window, qtbot, save_questions):
    page = _review(window, qtbot)
    _select(page, "Nguyễn Văn An")
    _score(page, 25, 55)
    save_questions.answer = widgets.CANCEL
    _ctrl(qtbot, window, Qt.Key.Key_Q)
    assert save_questions.asked and window.isVisible()     # "Hủy": the program stays open
    save_questions.answer = widgets.SAVE
    _ctrl(qtbot, window, Qt.Key.Key_Q)
    qtbot.waitUntil(lambda: not window.isVisible())
    assert _stored(window.ctx.db, "Nguyễn Văn An") == {"general": 25, "tasks": 55}


def test_the_minutes_save_without_a_question_when_the_window_closes(window, qtbot, save_questions, db):
    mid = new_meeting(db, dt.date(2025, 11, 5))
    _ctrl(qtbot, window, Qt.Key.Key_3)
    page = window.pages["meetings"]
    page.refresh()
    page.show_tab(1)
    page.editor.edits["news"].moveCursor(QtGui.QTextCursor.MoveOperation.End)
    page.editor.edits["news"].insertPlainText(" Tin mới nhất.")
    _ctrl(qtbot, window, Qt.Key.Key_Q)
    qtbot.waitUntil(lambda: not window.isVisible())
    assert save_questions.asked == []
    with db.begin() as s:
        news = next(x["text"] for x in mt.sections_of(mt.get_meeting(s, mid)) if x["key"] == "news")
    assert news.endswith("Tin mới nhất.")


def test_a_comment_being_typed_is_saved_when_another_section_is_chosen(window, qtbot, save_questions, db):
    _ctrl(qtbot, window, Qt.Key.Key_4)
    page = window.pages["ratings"]
    member = page.model.row_at(0).member_id
    page.table.setCurrentIndex(page.model.index(0, 10))     # November
    qtbot.keyClick(page.table, Qt.Key.Key_F2)
    page.comment.insertPlainText("Tích cực")
    _ctrl(qtbot, window, Qt.Key.Key_1)
    wait_ops(qtbot)
    assert window.stack.currentWidget() is window.pages["home"] and save_questions.asked == []
    with db.begin() as s:
        grid = rsvc.ratings_grid(s, 2025, TODAY)
    assert grid.rows[grid.row_of(member)].cell(11).comment == "Tích cực"


# --- 2. Ctrl+S saves what is on screen ---------------------------------------------------------------

def test_ctrl_s_on_the_branch_tab_saves_the_branch_and_keeps_what_is_typed(window, qtbot, save_questions):
    page = _review(window, qtbot)
    _select(page, "Nguyễn Văn An")
    page.tabs.setCurrentIndex(1)
    page.narrative["weaknesses"].setPlainText("Sinh hoạt chưa đều")
    page.narrative["strengths"].setFocus()
    page.narrative["strengths"].insertPlainText("Đoàn kết")
    _ctrl(qtbot, window, Qt.Key.Key_S)
    wait_ops(qtbot)
    with window.ctx.db.begin() as s:
        br = rv.branch_review(s, 2025)
        assert (br.strengths, br.weaknesses) == ("Đoàn kết", "Sinh hoạt chưa đều")
        assert not rv.records(s, 2025)                      # the hidden member sheet is not saved
    assert page.narrative["weaknesses"].toPlainText() == "Sinh hoạt chưa đều"
    assert page.tabs.currentIndex() == 1 and not page.has_unsaved() and save_questions.asked == []


def test_the_branch_save_button_is_in_sight_at_1366x768(window, qtbot):
    page = _review(window, qtbot)
    page.tabs.setCurrentIndex(1)
    button = page.btn_save_branch
    qtbot.waitUntil(button.isVisible)
    top_left = button.mapTo(window, QtCore.QPoint(0, 0))
    inside = QtCore.QRect(top_left, button.size())
    assert window.rect().contains(inside)                  # no scrolling needed to reach it
    assert not button.visibleRegion().isEmpty()
    assert "Ctrl+S" in button.text()


# --- 3. the mouse wheel changes a value only in the focused field ----------------------------------

def _wheel(widget, up: bool = True) -> None:
    pos = QtCore.QPointF(widget.rect().center())
    event = QtGui.QWheelEvent(pos, QtCore.QPointF(widget.mapToGlobal(pos.toPoint())), QtCore.QPoint(),
                              QtCore.QPoint(0, 120 if up else -120), Qt.MouseButton.NoButton,
                              Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QtWidgets.QApplication.sendEvent(widget, event)


def test_the_wheel_changes_no_field_it_passes_over(window, qtbot):
    page = _review(window, qtbot)
    _select(page, "Nguyễn Văn An")
    total = page.sheet.criteria_widgets["general"]
    proposed = page.sheet.proposed
    qtbot.waitUntil(lambda: total.isVisible() and proposed.isVisible())
    page.table.setFocus()
    for field, read in ((total, total.value), (proposed, proposed.currentIndex)):
        before = read()
        assert not field.hasFocus()
        _wheel(field, up=True)
        _wheel(field, up=False)
        assert read() == before
        assert field.focusPolicy() != Qt.FocusPolicy.WheelFocus   # a wheel turn does not give it the focus
    # the same everywhere in the program: the dues page's month and year
    _ctrl(qtbot, window, Qt.Key.Key_5)
    dues = window.pages["dues"]
    for field, read in ((dues.month, dues.month.currentIndex), (dues.year, dues.year.value)):
        before = read()
        _wheel(field, up=False)
        assert read() == before
    # ... and in a dialog
    from ui.dialogs.dues_dialogs import DuesSettingsDialog

    dlg = DuesSettingsDialog(window.ctx, parent=window)
    qtbot.addWidget(dlg)
    dlg.show()
    share = dlg.share.value()
    _wheel(dlg.share)
    assert dlg.share.value() == share


def test_the_wheel_still_changes_the_field_being_edited(window, qtbot):
    page = _review(window, qtbot)
    _select(page, "Nguyễn Văn An")
    field = page.sheet.criteria_widgets["general"]
    qtbot.waitUntil(field.isVisible)
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    before = field.value()
    _wheel(field, up=True)
    assert field.value() != before


# --- 5. the keys on the buttons work window-wide right after choosing the section -------------------

def test_keys_work_as_soon_as_the_section_is_chosen(window, qtbot, monkeypatch):
    from ui.dialogs.dues_dialogs import PaymentDialog, RateDialog
    from ui.dialogs.event_dialog import EventDialog
    from ui.dialogs.meeting_dialog import MeetingDialog
    from ui.dialogs.member_dialog import MemberDialog

    opened = []
    for cls in (MemberDialog, EventDialog, MeetingDialog, PaymentDialog, RateDialog):
        monkeypatch.setattr(cls, "exec", lambda dlg, name=cls.__name__: opened.append(name) or 0)
    said = []
    monkeypatch.setattr("ui.pages.ratings.inform", lambda parent, title, text, error=False: said.append(title))
    window.nav.setFocus()

    def section_then(number_key, key, modifiers=Qt.KeyboardModifier.ControlModifier):
        window.nav.setFocus()
        qtbot.keyClick(window.nav, number_key, Qt.KeyboardModifier.ControlModifier)
        assert window.nav.hasFocus()                        # nothing clicked inside the page
        qtbot.keyClick(window.nav, key, modifiers)

    section_then(Qt.Key.Key_2, Qt.Key.Key_N)
    section_then(Qt.Key.Key_2, Qt.Key.Key_E)
    section_then(Qt.Key.Key_2, Qt.Key.Key_F)
    assert window.pages["members"].search.hasFocus()
    section_then(Qt.Key.Key_3, Qt.Key.Key_N)
    section_then(Qt.Key.Key_4, Qt.Key.Key_D)
    section_then(Qt.Key.Key_5, Qt.Key.Key_N)
    section_then(Qt.Key.Key_5, Qt.Key.Key_M)
    assert opened == ["MemberDialog", "EventDialog", "MeetingDialog", "PaymentDialog", "RateDialog"]
    assert said == ["Chép mức đánh giá tháng trước"]
    # Ctrl+S on the review page saves the sheet on screen
    page = window.pages["review"]
    window.nav.setFocus()
    qtbot.keyClick(window.nav, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    _select(page, "Lê Thị Bình")
    _score(page, 25, 55)
    window.nav.setFocus()
    qtbot.keyClick(window.nav, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    wait_ops(qtbot)
    assert _stored(window.ctx.db, "Lê Thị Bình") == {"general": 25, "tasks": 55}


def test_a_dialog_with_edits_asks_before_closing(window, qtbot, save_questions, db):
    from services import members as msvc
    from ui.dialogs.member_dialog import MemberDialog

    dlg = MemberDialog(window.ctx, parent=window)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)                # nothing typed: closes at once
    assert not dlg.isVisible() and save_questions.asked == []
    dlg = MemberDialog(window.ctx, parent=window)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.name.insert("Đặng Văn Mới")
    qtbot.keyClicks(dlg.admitted, "01/02/2015")
    save_questions.answer = widgets.CANCEL
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)
    assert dlg.isVisible() and save_questions.asked and dlg.name.text() == "Đặng Văn Mới"
    save_questions.answer = widgets.SAVE
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)
    wait_ops(qtbot)
    assert not dlg.isVisible()
    with db.begin() as s:
        assert "Đặng Văn Mới" in [r.full_name for r in msvc.register(s, TODAY)]
