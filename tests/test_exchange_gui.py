"""The "Gửi cấp trên" page, in a branch's database and in a committee's, driven like a user would."""
from __future__ import annotations

import datetime as dt

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

import ui.pages.exchange as page_mod
from services import members as msvc
from services.exchange.committee import committee_tally, held_files
from services.exchange.container import read_container
from tests.exchange_support import dump, export_branch, make_branch, make_committee
from tests.gui_support import shown_window
from ui.context import AppContext
from ui.models.exchange import BranchStatusModel, CommitteeTallyModel
from ui.qt import Qt, QtCore, QtGui, QtWidgets

from .gui_support import wait_ops


class FixedContext(AppContext):
    def today(self):
        return dt.date(2025, 12, 15)


def _window(qtbot, db):
    win = shown_window(qtbot, FixedContext(db))
    return win


@pytest.fixture
def dialogs(monkeypatch):
    """Records the message boxes instead of showing them; answers questions from `answers`."""
    seen = {"inform": [], "ask": [], "answers": []}
    monkeypatch.setattr(page_mod, "inform", lambda parent, title, text, error=False:
                        seen["inform"].append((title, text, error)))

    def ask(parent, title, text, default_no=True):
        seen["ask"].append(text)
        return seen["answers"].pop(0)

    monkeypatch.setattr(page_mod, "ask", ask)
    return seen


def test_branch_page_shows_what_will_be_sent_and_makes_the_file(qtbot, db, tmp_path, monkeypatch, dialogs):
    from services.review.service import ReviewInput, save_review
    from tests.review_helpers import confirmed

    with db.begin() as s:
        an = msvc.add_member(s, msvc.MemberInput("Nguyễn Văn An", dt.date(2010, 1, 1), dt.date(2011, 1, 5),
                                                 dt.date(1980, 1, 1)), dt.date(2025, 12, 15))
        save_review(s, 2025, an.id, ReviewInput(proposed_level="HTTNV", flags=confirmed(2025, "HTTNV")))
        msvc.add_member(s, msvc.MemberInput("Lê Thị Đào", dt.date(2025, 9, 1), None, dt.date(1999, 1, 1)),
                        dt.date(2025, 12, 15))
    win = _window(qtbot, db)
    page = win.show_page("exchange")
    view = page.branch_view
    assert page.stack.currentWidget() is view
    assert view.year.value() == 2025
    text = view.summary.text()
    assert "Đảng viên tại thời điểm đánh giá: 2" in text
    assert "ĐẢNG ỦY SỞ LAO ĐỘNG - TBXH" in view.intro.text()
    out = tmp_path / "gui-len"
    asked = []

    def save_dialog(parent, title, start, filters):
        asked.append(start)
        return str(out), filters

    monkeypatch.setattr(QtWidgets.QFileDialog, "getSaveFileName", save_dialog)
    view.year.setFocus()
    qtbot.keyClick(view.year, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert asked and asked[0].endswith("chi-bo-van-phong-so-2025.scb")
    qtbot.waitUntil(lambda: view.job is None and view.last_path is not None, timeout=10000)
    made = tmp_path / "gui-len.scb"          # the extension is added when the user leaves it out
    c = read_container(made.read_bytes(), made.name)
    assert sorted(m["name"] for m in c.data["members"]) == ["Lê Thị Đào", "Nguyễn Văn An"]
    assert "gui-len.scb" in view.result.text()
    assert dialogs["inform"] == []


@pytest.fixture
def two_branches(tmp_path_factory):
    root = tmp_path_factory.mktemp("cb")
    made = dt.datetime(2026, 1, 10, 8, 0, tzinfo=dt.UTC)
    out = []
    for i, (name, levels, proposed) in enumerate([("Chi bộ I", {"HTXSNV": 2, "HTTNV": 8}, "HTXSNV"),
                                                  ("Chi bộ II", {"HTTNV": 5, "HTNV": 1}, "HTNV")]):
        provider = make_branch(root / f"{i}.db", name, levels, 1, proposed, year=2025, offset=30 * i)
        key = Ed25519PrivateKey.generate()
        out.append((root / f"{i}.db", provider, key,
                    export_branch(root / f"{i}.db", root / f"{i}.scb", provider, key, 2025, made)))
    return out


def _drop(widget, paths):
    mime = QtCore.QMimeData()
    mime.setUrls([QtCore.QUrl.fromLocalFile(str(p)) for p in paths])
    pos = QtCore.QPointF(widget.rect().center())
    args = (Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    try:
        enter = QtGui.QDragEnterEvent(pos, *args)             # Qt 6.12 and later
    except TypeError:
        enter = QtGui.QDragEnterEvent(pos.toPoint(), *args)
    widget.dragEnterEvent(enter)
    assert enter.isAccepted()
    drop = QtGui.QDropEvent(pos, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    widget.dropEvent(drop)


def test_committee_page_receives_dropped_files_and_adds_them_up(qtbot, tmp_path, two_branches, dialogs,
                                                                  qtmodeltester, monkeypatch, new_target):
    db = make_committee(new_target("du"), expected=["Chi bộ III"])
    try:
        win = _window(qtbot, db)
        page = win.show_page("exchange")
        view = page.committee_view
        assert page.stack.currentWidget() is view and view.year.value() == 2025
        assert [view.branch_model.index(r, 1).data() for r in range(view.branch_model.rowCount())] == ["chưa gửi"]
        _drop(view, [b[3] for b in two_branches])
        wait_ops(qtbot)
        assert dialogs["inform"][-1][0] == "Đã nhận tệp" and "Nhận tệp đang giữ lại" in dialogs["inform"][-1][1]
        # first files of branches the committee does not know: held, counted nowhere
        names = {view.branch_model.index(r, 0).data(): view.branch_model.index(r, 1).data()
                 for r in range(view.branch_model.rowCount())}
        assert names == {"Chi bộ I": "tệp đang giữ lại, chưa tính", "Chi bộ II": "tệp đang giữ lại, chưa tính",
                         "Chi bộ III": "chưa gửi"}
        assert view.counts.text().startswith("0 trên 1")
        # the office accepts each after the branch read out its key's digits on the phone
        typed: list[str] = []

        def run_dialog(dlg):
            dlg.digits_edit.setText(typed.pop(0))
            dlg._accept()
            return dlg.result()

        monkeypatch.setattr(page_mod.HeldFileDialog, "exec", run_dialog)
        for name in ("Chi bộ I", "Chi bộ II"):
            row = [r for r in range(view.branch_model.rowCount()) if view.branch_model.index(r, 0).data() == name][0]
            view.branches.setCurrentIndex(view.branch_model.index(row, 0))
            assert view.key_button.text() == "Nhận tệp đang giữ lại…"
            with db.begin() as s:
                held = [h for h in held_files(s) if h.branch == name][0]
            typed[:] = ["0000 1111 2222 3333"]      # wrong digits: refused, still held
            qtbot.mouseClick(view.key_button, Qt.MouseButton.LeftButton)
            wait_ops(qtbot)
            assert "không phải" in dialogs["inform"][-1][1]
            with db.begin() as s:
                assert [h.id for h in held_files(s) if h.branch == name] == [held.id]
            typed[:] = [held.short_fingerprint.lower()]
            qtbot.mouseClick(view.key_button, Qt.MouseButton.LeftButton)
            wait_ops(qtbot)
        names = {view.branch_model.index(r, 0).data(): view.branch_model.index(r, 1).data()
                 for r in range(view.branch_model.rowCount())}
        assert names == {"Chi bộ I": "đã gửi", "Chi bộ II": "đã gửi", "Chi bộ III": "chưa gửi"}
        assert view.counts.text().startswith("2 trên 3 chi bộ đã gửi tệp năm 2025")
        # the tally table: two branches, the total and the shares
        m = view.tally_model
        total = [m.index(m.rowCount() - 2, c).data() for c in range(m.columnCount())]
        assert total[:8] == ["Cộng", 18, 16, 2, 2, 13, 1, 0]
        assert m.index(m.rowCount() - 1, 4).data() == "12,5%"
        qtmodeltester.check(view.branch_model)
        qtmodeltester.check(m)
        # a damaged file: refused in a dialog naming it, nothing moves
        bad = tmp_path / "hong.scb"
        raw = bytearray(two_branches[0][3].read_bytes())
        raw[len(raw) // 2] ^= 0xFF
        bad.write_bytes(bytes(raw))
        rows = dump(db.engine)
        view.receive_paths([bad])
        wait_ops(qtbot)
        title, text, error = dialogs["inform"][-1]
        assert error and "hong.scb" in text and title == "Không nhận tệp"
        assert dump(db.engine) == rows
        # a newer file from Chi bộ I: the user is asked; "no" keeps the old one, "yes" replaces it
        path, provider, key, _old = two_branches[0]
        newer = export_branch(path, tmp_path / "moi.scb", provider, key, 2025,
                              dt.datetime(2026, 1, 12, 8, 0, tzinfo=dt.UTC))
        dialogs["answers"] = [False]
        view.receive_paths([newer])
        wait_ops(qtbot)
        assert dump(db.engine) == rows and "Chi bộ I" in dialogs["ask"][-1]
        dialogs["answers"] = [True]
        view.receive_paths([newer])
        wait_ops(qtbot)
        row = [r for r in range(view.branch_model.rowCount()) if view.branch_model.index(r, 0).data() == "Chi bộ I"]
        assert view.branch_model.index(row[0], 4).data() == 2
        with db.begin() as s:
            assert committee_tally(s, 2025)["members_total"] == 18
        # the selected branch's buttons: accept a new key (after a question), stop expecting a branch
        view.branches.setCurrentIndex(view.branch_model.index(row[0], 0))
        assert view.key_button.isEnabled() and view.key_button.text() == "Chấp nhận khóa mới…"
        dialogs["answers"] = [True]
        qtbot.mouseClick(view.key_button, Qt.MouseButton.LeftButton)
        wait_ops(qtbot)
        assert "Chi bộ I" in dialogs["ask"][-1] and "giữ lại" in dialogs["ask"][-1]
        assert view.branch_model.index(row[0], 7).data() == ""
        missing = [r for r in range(view.branch_model.rowCount()) if view.branch_model.index(r, 0).data() == "Chi bộ III"]
        view.branches.setCurrentIndex(view.branch_model.index(missing[0], 0))
        dialogs["answers"] = [True]
        qtbot.mouseClick(view.expect_button, Qt.MouseButton.LeftButton)
        wait_ops(qtbot)
        assert "Chi bộ III" not in [view.branch_model.index(r, 0).data() for r in range(view.branch_model.rowCount())]
        assert view.counts.text().startswith("2 trên 2")
    finally:
        db.close()


def test_empty_models_pass_the_model_tester(qtmodeltester):
    qtmodeltester.check(BranchStatusModel())
    empty = CommitteeTallyModel()
    empty.set_tally(None)
    qtmodeltester.check(empty)


def test_adding_a_branch_by_name_refuses_a_duplicate_beside_the_name_and_keeps_it(qtbot, new_target, save_questions):
    from ui import widgets

    db = make_committee(new_target("du"), expected=["Chi bộ III"])
    try:
        view = _window(qtbot, db).show_page("exchange").committee_view
        qtbot.mouseClick(view.add_button, Qt.MouseButton.LeftButton)
        dlg = view.line_dialog
        qtbot.waitExposed(dlg)
        dlg.edit.insert("Chi bộ III")   # typed (QTest types ASCII only)
        qtbot.keyClick(dlg.edit, Qt.Key.Key_Return)
        wait_ops(qtbot)
        assert dlg.isVisible() and dlg.edit.text() == "Chi bộ III"
        assert dlg.problems.plain_text() == '• Chi bộ "Chi bộ III" đã có trong danh sách.'
        dlg.edit.setText("Chi bộ IV")
        save_questions.answer = widgets.SAVE             # Esc on a typed name asks; "Lưu" adds it
        qtbot.keyClick(dlg.edit, Qt.Key.Key_Escape)
        wait_ops(qtbot)
        assert save_questions.asked and not dlg.isVisible()
        names = [view.branch_model.index(r, 0).data() for r in range(view.branch_model.rowCount())]
        assert sorted(names) == ["Chi bộ III", "Chi bộ IV"]
    finally:
        db.close()
