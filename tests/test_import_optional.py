"""Importing a list: a missing optional detail never refuses the file. The row is imported, the event that
cannot be recorded is left out with a warning, and what the row said is kept in the member's note."""
import datetime as dt

import openpyxl

from models import EventKind
from services import members as svc
from services.member_import import import_members, preview_import
from services.membership import state_on
from tests.gui_support import shown_window

TODAY = dt.date(2025, 12, 15)
HEADER = ["STT", "Họ và tên", "Ngày sinh", "Ngày vào Đảng", "Ngày chính thức", "Ngày chuyển đến",
          "Nơi chuyển đến từ", "Miễn sinh hoạt từ ngày", "Đến ngày", "Hình thức kỷ luật", "Ngày kỷ luật",
          "Lý do kỷ luật", "Ngày chuyển đi", "Nơi chuyển đi"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng"]
GIVEN = ["An", "Bình", "Cường", "Dũng"]


def sheet(path, rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def person(i, **cells):
    """Row i of the sheet: a member with every optional column blank unless given (by header)."""
    row = [i, f"{FAMILY[i % 10]} Văn {GIVEN[i // 10]}", f"0{1 + i % 9}/03/1980", "01/01/2010", "05/01/2011"]
    row += [cells.get(h) for h in HEADER[5:]]
    return row


def imported(db, path):
    with db.begin() as s:
        preview = preview_import(s, path, TODAY)
    assert preview.ok, preview.problem_lines()
    import_members(db, preview, TODAY)
    with db.begin() as s:
        people = {m.full_name: (m.note, [(e.kind, e.date, e.other_org) for e in m.events],
                                state_on(m.events, TODAY)) for m in svc.all_members(s)}
    return preview, people


def warnings_of(preview, row):
    return [p.text() for r in preview.rows if r.row == row for p in r.warnings]


def test_a_forty_row_file_with_a_transfer_date_but_no_origin_on_row_4_is_imported(tmp_path, db):
    rows = [person(i) for i in range(40)]
    rows[3] = person(3, **{"Ngày chuyển đến": "15/04/2025"})
    preview, people = imported(db, sheet(tmp_path / "ds.xlsx", rows))
    assert len(people) == 40
    assert warnings_of(preview, 5) == [
        "Dòng 5, cột Nơi chuyển đến từ: không ghi tổ chức đảng nơi đi hoặc nơi đến; việc chuyển sinh hoạt vẫn "
        "được ghi nhưng thiếu nội dung này (hãy bổ sung trong quá trình sinh hoạt của đảng viên)."]
    _note, events, state = people["Phạm Văn An"]
    assert (EventKind.TRANSFER_IN, dt.date(2025, 4, 15), "") in events
    assert state.in_branch and state.joined_branch == dt.date(2025, 4, 15)


def test_every_optional_column_missing_its_partner_is_a_warning_and_the_row_is_kept(tmp_path, db):
    cases = {
        1: {"Nơi chuyển đến từ": "Chi bộ Trường Tiểu học"},                           # origin, no date
        2: {"Ngày chuyển đến": "2015", "Nơi chuyển đến từ": "Chi bộ Xã Hòa Thuận"},   # a year only
        3: {"Ngày chuyển đi": "01/09/2025"},                                           # out, no destination
        4: {"Nơi chuyển đi": "Đảng bộ huyện Càng Long"},                               # destination, no date
        5: {"Đến ngày": "31/12/2026"},                                                 # exemption end only
        6: {"Miễn sinh hoạt từ ngày": "01/01/2020", "Đến ngày": "2021"},               # its end a year only
        7: {"Hình thức kỷ luật": "Khiển trách"},                                       # form, no date
        8: {"Ngày kỷ luật": "20/06/2025"},                                             # date, no form
        9: {"Lý do kỷ luật": "Vi phạm quy định"},                                      # reason only
    }
    preview, people = imported(db, sheet(tmp_path / "ds.xlsx", [person(i, **c) for i, c in cases.items()]))
    assert len(people) == 9
    by_row = {i: people[f"{FAMILY[i % 10]} Văn An"] for i in cases}
    for i in cases:
        assert warnings_of(preview, i + 1), i
    recorded = {i: [k for k, _d, _o in events if k not in (EventKind.ADMITTED, EventKind.MADE_FULL)]
                for i, (_n, events, _s) in by_row.items()}
    assert recorded == {1: [], 2: [], 3: [EventKind.TRANSFER_OUT], 4: [], 5: [], 6: [], 7: [], 8: [], 9: []}
    notes = {i: note for i, (note, _e, _s) in by_row.items()}
    assert notes[1] == "Nơi chuyển đến từ: Chi bộ Trường Tiểu học"
    assert notes[2] == "Ngày chuyển đến: 2015; Nơi chuyển đến từ: Chi bộ Xã Hòa Thuận"
    assert notes[3] == ""
    assert notes[4] == "Nơi chuyển đi: Đảng bộ huyện Càng Long"
    assert notes[6] == "Miễn sinh hoạt từ ngày: 01/01/2020; Đến ngày: 2021"
    assert notes[7] == "Hình thức kỷ luật: Khiển trách"
    assert notes[9] == "Lý do kỷ luật: Vi phạm quy định"
    states = {i: st for i, (_n, _e, st) in by_row.items()}
    assert not states[3].in_branch                    # transferred out on 01/09/2025
    assert states[4].in_branch and not states[6].exempt  # never recorded as exempt for ever
    assert "chỉ ghi năm («2015»)" in warnings_of(preview, 3)[0]
    assert "vẫn được tính là đang sinh hoạt tại chi bộ" in warnings_of(preview, 5)[0]
    assert "không ghi hình thức kỷ luật" in warnings_of(preview, 9)[0]
    assert "Dòng 2, cột Ngày chuyển đến:" in warnings_of(preview, 2)[0]


def test_a_wrong_detail_still_refuses_the_row(tmp_path, db):
    """Present but wrong (not missing) stays an error: a transfer dated before the admission."""
    path = sheet(tmp_path / "ds.xlsx", [person(1, **{"Ngày chuyển đến": "01/01/2009"})])
    with db.begin() as s:
        preview = preview_import(s, path, TODAY)
    assert not preview.ok
    assert preview.problem_lines() == [
        "Dòng 2, cột Ngày chuyển đến: ngày chuyển đến trước ngày vào Đảng (01/01/2010)."]


def test_the_import_window_shows_the_warning_and_imports_the_whole_file(qtbot, db, monkeypatch, tmp_path):
    """Ctrl+I on the register: the file with row 4's transfer date but no origin is importable at once."""
    from tests.gui_support import wait_ops
    from ui.context import AppContext
    from ui.qt import Qt, QtWidgets

    class FixedContext(AppContext):
        def today(self):
            return TODAY

    told = []
    import ui.dialogs.import_dialog
    import ui.pages.members

    for module in (ui.dialogs.import_dialog, ui.pages.members):
        monkeypatch.setattr(module, "inform", lambda _p, _t, text, error=False: told.append(text))
    rows = [person(i) for i in range(40)]
    rows[3] = person(3, **{"Ngày chuyển đến": "15/04/2025"})
    path = sheet(tmp_path / "ds.xlsx", rows)
    monkeypatch.setattr(QtWidgets.QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), "")))
    win = shown_window(qtbot, FixedContext(db))
    page = win.show_page("members")
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: page.import_dialog is not None and page.import_dialog.isVisible())
    dlg = page.import_dialog
    assert dlg.counts.text() == "40 dòng: 40 đúng, 0 có lỗi; 1 có cảnh báo"
    assert dlg.import_button.isEnabled()
    qtbot.mouseClick(dlg.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.import_dialog is None)
    wait_ops(qtbot)
    assert told[-1] == "Đã nhập 40 đảng viên từ tệp ds.xlsx."
    with db.begin() as s:
        assert len(svc.all_members(s)) == 40
