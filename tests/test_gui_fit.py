"""Every page fits a 1366×768 screen, at the normal text size and three steps larger (Ctrl++ three times):
no window wider than the screen, no button off the edge, the section list narrowed when the page needs
the room; at the normal size every column of the main tables shows in full."""
from __future__ import annotations

import datetime as dt

import pytest

from services.db import open_database
from services.demo import write_demo
from tests.gui_support import wait_ops
from ui.context import AppContext
from ui.main_window import PAGES, MainWindow
from ui.qt import Qt, QtWidgets

TODAY = dt.date(2025, 12, 15)
SCREEN = (1366, 768)


class FixedContext(AppContext):
    def today(self):
        return TODAY


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    write_demo(path, seed=1, year=2025, today=TODAY)
    return path


@pytest.fixture
def window(qtbot, demo_file):
    db = open_database(demo_file)
    win = MainWindow(FixedContext(db))
    qtbot.addWidget(win)
    win.settings.remove("nav_collapsed")
    win._nav_user_choice = None
    win.resize(*SCREEN)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.zoom(0)
    win.settings.remove("nav_collapsed")
    db.close()


def settle(qtbot) -> None:
    """Let the operations finish and the layouts (and the window's own fitting) settle."""
    wait_ops(qtbot)
    for _i in range(3):
        QtWidgets.QApplication.processEvents()


def zoom_to(win, qtbot, steps: int) -> None:
    win.zoom(0)
    for _i in range(steps):
        win.zoom(+1)
    settle(qtbot)


def outside(win, widget) -> bool:
    """Whether a button is (partly) beyond the window's right or bottom edge."""
    rect = widget.rect().translated(widget.mapTo(win, widget.rect().topLeft()))
    return rect.right() > win.width() or rect.bottom() > win.height()


def in_scroll_area(widget) -> bool:
    w = widget.parentWidget()
    while w is not None:
        if isinstance(w, QtWidgets.QAbstractScrollArea):
            return True
        w = w.parentWidget()
    return False


@pytest.mark.parametrize("steps", [0, 3])
def test_every_page_fits_the_screen_with_every_button_on_it(window, qtbot, steps):
    zoom_to(window, qtbot, steps)
    for key, _title, _ref in PAGES:
        window.show_page(key)
        settle(qtbot)
        page = window.pages[key]
        hint = window.minimumSizeHint()
        assert hint.width() <= SCREEN[0] and hint.height() <= SCREEN[1], (key, hint)
        assert window.width() <= SCREEN[0], key
        assert page.width() >= page.minimumSizeHint().width(), key      # nothing of the page cut off
        cut = [b.text() for b in page.findChildren(QtWidgets.QAbstractButton)
               if b.isVisibleTo(window) and not in_scroll_area(b) and outside(window, b)]
        assert cut == [], (key, cut)
        hidden = [b for b in page.findChildren(QtWidgets.QToolButton, "qt_toolbar_ext_button")
                  if b.isVisibleTo(window)]     # a tool bar hiding buttons behind "»"
        assert hidden == [], key
    if steps == 0:
        assert not window.nav_collapsed and window.nav.item(1).text() == "Đảng viên"


def test_the_list_of_sections_narrows_to_numbers_and_back(window, qtbot):
    zoom_to(window, qtbot, 0)
    qtbot.mouseClick(window.nav_toggle, Qt.MouseButton.LeftButton)
    assert window.nav_collapsed
    assert [window.nav.item(i).text() for i in range(3)] == ["1", "2", "3"]
    assert window.nav.item(1).toolTip() == "Đảng viên (Ctrl+2)"
    narrow = window.sidebar.width()
    qtbot.keyClick(window, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert not window.nav_collapsed and window.nav.item(1).text() == "Đảng viên"
    assert window.sidebar.width() > narrow
    zoom_to(window, qtbot, 3)       # the user's choice stays, even when the page would like the room
    assert not window.nav_collapsed
    window.settings.remove("nav_collapsed")
    window._nav_user_choice = None
    window.fit_to_screen()
    settle(qtbot)
    assert window.minimumSizeHint().width() <= SCREEN[0]


def test_every_column_of_the_main_tables_shows_at_the_normal_size(window, qtbot):
    zoom_to(window, qtbot, 0)
    tables = [("members", "table"), ("meetings", "list"), ("meetings", "att"), ("ratings", "table"),
              ("dues", "table"), ("dues", "payments"), ("review", "table")]
    for key, attr in tables:
        window.show_page(key)
        settle(qtbot)
        view = getattr(window.pages[key], attr)
        assert view.model().rowCount() > 0, key
        assert view.horizontalScrollBar().maximum() == 0, (key, attr, view.horizontalScrollBar().maximum())


def test_every_text_grows_with_ctrl_plus(window, qtbot):
    """Labels with a colour of their own (a style sheet) and the pages' titles take the larger text too."""
    zoom_to(window, qtbot, 0)
    for key, _title, _ref in PAGES:
        window.show_page(key)
        settle(qtbot)
    zoom_to(window, qtbot, 3)
    size = QtWidgets.QApplication.font().pointSizeF()
    for key, _title, _ref in PAGES:
        window.show_page(key)
        settle(qtbot)
        small = [(type(w).__name__, w.text()[:30]) for w in window.pages[key].findChildren(QtWidgets.QLabel)
                 if w.isVisibleTo(window) and w.text() and w.font().pointSizeF() < size - 0.01]
        assert small == [], key


@pytest.mark.parametrize("steps", [0, 3])
def test_the_dates_of_a_member_s_history_show_whole_at_any_text_size(window, qtbot, steps):
    zoom_to(window, qtbot, steps)
    page = window.show_page("members")
    settle(qtbot)
    history = page.history
    assert history.model().rowCount() > 0
    dates = [history.model().index(r, 0).data() for r in range(history.model().rowCount())]
    needed = max(history.fontMetrics().horizontalAdvance(d) for d in dates)
    assert history.columnWidth(0) >= needed, (history.columnWidth(0), needed, dates)


@pytest.mark.parametrize("steps", [0, 3])
def test_a_one_line_dialog_shows_its_question_and_its_refusal_whole(window, qtbot, steps):
    zoom_to(window, qtbot, steps)
    page = window.show_page("review")
    settle(qtbot)
    page.change_review_date()
    dlg = page.line_dialog
    qtbot.waitExposed(dlg)
    dlg.edit.selectAll()
    dlg.edit.insert("31/02/2025")
    dlg.accept()                                   # refused: the reason appears under the line
    settle(qtbot)
    assert dlg.isVisible() and "31/02/2025" in dlg.problems.plain_text()
    for label in (dlg.label, dlg.problems):
        assert label.height() >= label.heightForWidth(label.width()), label.text()
    assert dlg.width() <= SCREEN[0] and dlg.height() <= SCREEN[1]
