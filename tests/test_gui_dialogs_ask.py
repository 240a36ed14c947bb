"""Every editing dialog asks before its edits are dropped (Esc, "Hủy", the window's close button): "Lưu"
stores, "Không lưu" drops, "Hủy" stays with what is typed; a dialog left untouched closes at once.
Driven with keys and clicks on a real database; the question is answered by the `save_questions` fixture."""
from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil

import pytest

from services import access
from services import dues as dsvc
from services import members as msvc
from ui import widgets
from ui.context import AppContext
from ui.dialogs.base import OpDialog
from ui.dialogs.dues_dialogs import DuesSettingsDialog, RateDialog
from ui.dialogs.password_dialogs import PasswordDialog
from ui.main_window import MainWindow
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
def window(qtbot, db):
    with db.begin() as s:
        member_id = msvc.add_member(s, msvc.MemberInput("Nguyễn Văn An", dt.date(2010, 1, 1), dt.date(2011, 1, 5),
                                                        dt.date(1980, 1, 1)), TODAY).id
        dsvc.set_rate(s, member_id, 2025, 1, 50_000, TODAY)
    win = MainWindow(FixedContext(db))
    win.member_id = member_id
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    return win


def _open(qtbot, dlg):
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg


def _cancel_button(dlg) -> QtWidgets.QPushButton:
    return next(b for b in dlg.findChildren(QtWidgets.QPushButton) if b.text() == "Hủy")


def _rates(db, member_id):
    with db.begin() as s:
        return [(r.year, r.month, r.amount) for r in dsvc.rates_of(s, member_id)]


def _settings(db):
    with db.begin() as s:
        return dsvc.dues_settings(s)


def test_the_rate_dialog_asks_before_a_typed_amount_is_dropped(window, qtbot, save_questions):
    db, member_id = window.ctx.db, window.member_id
    before = _rates(db, member_id)
    dlg = _open(qtbot, RateDialog(window.ctx, member_id, 2025, 12, parent=window))
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)                 # nothing typed: closes at once
    assert not dlg.isVisible() and save_questions.asked == []

    dlg = _open(qtbot, RateDialog(window.ctx, member_id, 2025, 12, parent=window))
    qtbot.keyClicks(dlg.salary, "6.350.000")
    assert dlg.amount.text() == "64.000"
    save_questions.answer = widgets.CANCEL                 # "Hủy": stays, with what is typed
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)
    assert dlg.isVisible() and len(save_questions.asked) == 1
    qtbot.mouseClick(_cancel_button(dlg), Qt.MouseButton.LeftButton)     # the dialog's own "Hủy" button
    assert dlg.isVisible() and len(save_questions.asked) == 2
    dlg.close()                                            # the window's close button
    assert dlg.isVisible() and len(save_questions.asked) == 3
    assert dlg.salary.text() == "6.350.000" and dlg.amount.text() == "64.000"
    save_questions.answer = widgets.DISCARD                # "Không lưu": closes, nothing stored
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)
    wait_ops(qtbot)
    assert not dlg.isVisible() and _rates(db, member_id) == before

    dlg = _open(qtbot, RateDialog(window.ctx, member_id, 2025, 12, parent=window))
    qtbot.keyClicks(dlg.amount, "70.000")
    save_questions.answer = widgets.SAVE                   # "Lưu": stored as if "Lưu" had been pressed
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)
    wait_ops(qtbot)
    assert not dlg.isVisible() and len(save_questions.asked) == 5
    assert _rates(db, member_id) == [(2025, 1, 50_000), (2025, 12, 70_000)]


def test_the_dues_settings_dialog_asks_before_a_changed_figure_is_dropped(window, qtbot, save_questions):
    db = window.ctx.db
    before = _settings(db)
    assert before.branch_share != 30
    dlg = _open(qtbot, DuesSettingsDialog(window.ctx, parent=window))
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)
    assert not dlg.isVisible() and save_questions.asked == []

    def type_share(dlg, text: str) -> None:
        dlg.share.setFocus()
        dlg.share.selectAll()
        qtbot.keyClicks(dlg.share, text)

    dlg = _open(qtbot, DuesSettingsDialog(window.ctx, parent=window))
    type_share(dlg, "30")
    assert dlg.share.value() == 30
    save_questions.answer = widgets.CANCEL
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)
    assert dlg.isVisible() and dlg.share.value() == 30 and len(save_questions.asked) == 1
    save_questions.answer = widgets.DISCARD
    qtbot.mouseClick(_cancel_button(dlg), Qt.MouseButton.LeftButton)
    wait_ops(qtbot)
    assert not dlg.isVisible() and _settings(db) == before

    dlg = _open(qtbot, DuesSettingsDialog(window.ctx, parent=window))
    type_share(dlg, "30")
    dlg.limit.setFocus()
    qtbot.keyClick(dlg.limit, Qt.Key.Key_Up)               # 3 → 4 unpaid months
    save_questions.answer = widgets.SAVE
    dlg.close()
    wait_ops(qtbot)
    assert not dlg.isVisible() and len(save_questions.asked) == 3
    after = _settings(db)
    assert (after.branch_share, after.unpaid_limit) == (30, before.unpaid_limit + 1)
    assert (after.rounding, after.salary_rate) == (before.rounding, before.salary_rate)


def test_the_password_dialog_asks_before_a_new_password_is_dropped(window, qtbot, save_questions):
    db = window.ctx.db
    dlg = _open(qtbot, PasswordDialog(db, window))
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)
    assert not dlg.isVisible() and save_questions.asked == []

    dlg = _open(qtbot, PasswordDialog(db, window))
    qtbot.keyClicks(dlg.new, "matkhau")
    qtbot.keyClicks(dlg.repeat, "matkhau")
    save_questions.answer = widgets.CANCEL
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)
    assert dlg.isVisible() and dlg.new.text() == "matkhau" and len(save_questions.asked) == 1
    save_questions.answer = widgets.DISCARD
    qtbot.mouseClick(_cancel_button(dlg), Qt.MouseButton.LeftButton)
    assert not dlg.isVisible()
    with db.begin() as s:
        assert not access.is_locked(s)

    dlg = _open(qtbot, PasswordDialog(db, window))
    qtbot.keyClicks(dlg.new, "matkhau")
    qtbot.keyClicks(dlg.repeat, "matkhau")
    save_questions.answer = widgets.SAVE
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)
    wait_ops(qtbot)
    assert not dlg.isVisible() and dlg.result() == QtWidgets.QDialog.DialogCode.Accepted
    assert access.looks_like_code(dlg.code)              # the caller shows the new recovery code
    with db.begin() as s:
        assert access.unlock(s, "matkhau") == access.PASSWORD


def _op_dialogs() -> list[type]:
    import ui.dialogs

    for info in pkgutil.iter_modules(ui.dialogs.__path__):
        importlib.import_module(f"ui.dialogs.{info.name}")
    found, todo = [], list(OpDialog.__subclasses__())
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return sorted({c for c in found if c.__module__.startswith("ui.")}, key=lambda c: c.__name__)


def test_every_dialog_that_stores_can_tell_it_was_edited():
    """An OpDialog without `value()` (nor its own `has_unsaved`) would drop typed edits on Esc silently."""
    dialogs = _op_dialogs()
    assert {"RateDialog", "DuesSettingsDialog", "MemberDialog", "MeetingDialog"} <= {c.__name__ for c in dialogs}
    blind = [c.__name__ for c in dialogs
             if not callable(getattr(c, "value", None)) and c.has_unsaved is OpDialog.has_unsaved]
    assert blind == []
    for cls in dialogs:
        if callable(getattr(cls, "value", None)):
            assert not inspect.signature(cls.value).parameters.keys() - {"self"}, cls.__name__
