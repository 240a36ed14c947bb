"""The member's attributes that choose the personal form and the framework: stated, never guessed.

HD 43-HD/BTCTW (2025): Mẫu 2A (no leadership post), 2B (leadership or management post), 2C (member not
working in the political system); HD 25-HD/BTCTW (2023–2024): Mẫu 02A / 02B; HD 21 (until 2022): Mẫu 02.
"""
import datetime as dt
import json
import sqlite3

import openpyxl
import pytest

from models import Member
from services import members as svc
from services.errors import ValidationError
from services.member_import import apply_import, preview_import, read_import, yes_no_cell
from services.paths import resources_dir
from services.review.frameworks import personal_form_for
from services.review.rules import RuleFileError, load_file, regulation_for

TODAY = dt.date(2025, 12, 15)
RULES = resources_dir() / "rules" / "review"


def _input(**kw) -> svc.MemberInput:
    return svc.MemberInput(kw.pop("name", "Nguyễn Văn An"), dt.date(2010, 1, 1), dt.date(2011, 1, 5),
                           dt.date(1980, 1, 2), **kw)


# --- stored through the services -------------------------------------------------------------

def test_attributes_are_not_stated_until_the_secretary_states_them(db):
    with db.begin() as s:
        m = svc.add_member(s, _input(position="Hiệu trưởng Trường THCS"), TODAY)
        assert (m.holds_leadership_post, m.in_political_system, m.party_post) == (None, None, "")
    with db.begin() as s:
        svc.update_member(s, m.id, _input(position="Hiệu trưởng Trường THCS", holds_leadership_post=True,
                                          in_political_system=True, party_post="  Bí thư   chi bộ "), TODAY)
    with db.begin() as s:
        data = svc.member_input_of(s.get(Member, m.id))
        assert (data.holds_leadership_post, data.in_political_system, data.party_post) == (True, True, "Bí thư chi bộ")
        # Editing other details keeps them; stating "not stated" again clears them.
        svc.update_member(s, m.id, _input(position="Chuyên viên", holds_leadership_post=False,
                                          in_political_system=True, party_post="Bí thư chi bộ"), TODAY)
        svc.update_member(s, m.id, _input(holds_leadership_post=None, in_political_system=True), TODAY)
        m = s.get(Member, m.id)
        assert (m.holds_leadership_post, m.in_political_system, m.party_post) == (None, True, "")


def test_a_party_post_longer_than_100_characters_is_refused(db):
    with db.begin() as s, pytest.raises(ValidationError) as err:
        svc.add_member(s, _input(party_post="Chi ủy viên " * 10), TODAY)
    assert "Chức vụ đảng quá dài (tối đa 100 ký tự)" in str(err.value)
    with db.begin() as s:
        svc.add_member(s, _input(party_post="x" * 100), TODAY)


def test_register_rows_carry_the_attributes(db):
    with db.begin() as s:
        svc.add_member(s, _input(holds_leadership_post=False, in_political_system=False, party_post="Chi ủy viên"),
                       TODAY)
        (row,) = svc.register(s, TODAY)
    assert (row.holds_leadership_post, row.in_political_system, row.party_post) == (False, False, "Chi ủy viên")


def test_the_history_names_the_attributes_in_vietnamese(db):
    from services.audit import audit_rows

    with db.begin() as s:
        m = svc.add_member(s, _input(), TODAY)
    with db.begin() as s:
        svc.update_member(s, m.id, _input(holds_leadership_post=True), TODAY)
    with db.begin() as s:
        rows = [r for r in audit_rows(s) if r.field == "Giữ chức vụ lãnh đạo, quản lý"]
    assert [(r.old, r.new) for r in rows] == [("", "Có")]


def test_an_older_database_is_upgraded_with_the_attributes_not_stated(tmp_path):
    from alembic import command

    from services import db as dbmod

    path = tmp_path / "old.db"
    engine = dbmod.make_engine(path)
    cfg = dbmod.alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0006")
    engine.dispose()
    con = sqlite3.connect(path)
    con.execute("INSERT INTO member (uid, full_name, gender, ethnicity, card_number, position, note) "
                "VALUES ('u1', 'Lê Thị Đào', 'Nữ', 'Kinh', '', 'Giáo viên', '')")
    con.commit()
    con.close()
    database = dbmod.open_database(path)
    try:
        with database.begin() as s:
            m = s.query(Member).one()
            assert (m.full_name, m.holds_leadership_post, m.in_political_system, m.party_post) == (
                "Lê Thị Đào", None, None, "")
    finally:
        database.close()


# --- the personal form: HD 43, HD 25, HD 21 ----------------------------------------------------

@pytest.mark.parametrize("leader, inside, code", [
    (False, True, "2A"), (True, True, "2B"), (False, False, "2C"), (True, False, "2C"), (None, False, "2C"),
])
def test_hd43_personal_form_2a_2b_2c_from_the_stated_attributes(leader, inside, code):
    choice = personal_form_for(_input(holds_leadership_post=leader, in_political_system=inside), regulation_for(2025))
    assert choice.form.code == code and choice.decided and choice.missing == () and choice.note() == ""


@pytest.mark.parametrize("leader, inside, missing", [
    (None, None, ("holds_leadership_post", "in_political_system")),
    (None, True, ("holds_leadership_post",)),
    (True, None, ("in_political_system",)),
    (False, None, ("in_political_system",)),
])
def test_hd43_personal_form_undecided_names_what_to_state(leader, inside, missing):
    choice = personal_form_for(_input(holds_leadership_post=leader, in_political_system=inside), regulation_for(2025))
    assert choice.form is None and choice.missing == missing
    note = choice.note("Nguyễn Văn An")
    assert note.startswith("Để chọn mẫu bản kiểm điểm của đồng chí Nguyễn Văn An (")
    assert "Sửa thông tin đảng viên" in note
    if "in_political_system" in missing:
        assert "công tác trong hệ thống chính trị" in note
    if "holds_leadership_post" in missing:
        assert "giữ chức vụ lãnh đạo, quản lý" in note


@pytest.mark.parametrize("year", [2023, 2024])
@pytest.mark.parametrize("leader, inside, code", [(False, True, "02A"), (True, True, "02B"), (False, False, "02A"),
                                                 (True, None, "02B"), (False, None, "02A")])
def test_hd25_personal_form_02a_02b_by_the_leadership_post(year, leader, inside, code):
    choice = personal_form_for(_input(holds_leadership_post=leader, in_political_system=inside), regulation_for(year))
    assert choice.form.code == code


@pytest.mark.parametrize("inside", [None, True, False])
def test_hd25_personal_form_needs_the_leadership_post_stated(inside):
    choice = personal_form_for(_input(in_political_system=inside), regulation_for(2024))
    assert choice.form is None and choice.missing == ("holds_leadership_post",)
    assert [f.code for f in choice.candidates] == ["02A", "02B"]


@pytest.mark.parametrize("leader", [None, True, False])
def test_hd21_one_personal_form_02_for_everyone(leader):
    choice = personal_form_for(_input(holds_leadership_post=leader), regulation_for(2021))
    assert choice.form.name == "Mẫu 02-HD KĐ.ĐG 2019"


def test_the_form_is_never_guessed_from_the_job_title():
    """A teacher at a "Trường" is not a leader; a headmaster is one only when the secretary says so."""
    reg = regulation_for(2025)
    teacher = _input(position="Giáo viên Trường THCS Long Đức", holds_leadership_post=False, in_political_system=True)
    assert personal_form_for(teacher, reg).form.code == "2A"
    headmaster = _input(position="Hiệu trưởng Trường THCS Long Đức")
    assert personal_form_for(headmaster, reg).form is None
    retired = _input(position="Nghỉ hưu")
    assert personal_form_for(retired, reg).form is None


def test_the_forms_choice_is_read_from_the_rule_file(tmp_path):
    data = json.loads((RULES / "qd124.json").read_text(encoding="utf-8"))
    # A province whose guidance gives members outside the political system their own form.
    data["forms"]["self_review"][0]["when"] = {"holds_leadership_post": False, "in_political_system": True}
    data["forms"]["self_review"][1]["when"] = {"holds_leadership_post": True, "in_political_system": True}
    data["forms"]["self_review"].append({"code": "02C", "name": "Mẫu 02C (tỉnh)", "for": "outside_system",
                                         "when": {"in_political_system": False}, "title": "BẢN KIỂM ĐIỂM"})
    path = tmp_path / "qd124.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    reg = load_file(path)
    assert personal_form_for(_input(holds_leadership_post=False, in_political_system=False), reg).form.code == "02C"


def test_a_rule_file_whose_forms_overlap_is_refused_saying_where(tmp_path):
    data = json.loads((RULES / "qd366.json").read_text(encoding="utf-8"))
    data["forms"]["self_review"][0]["when"] = {"holds_leadership_post": False}  # 2A would also take 2C's members
    path = tmp_path / "qd366.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(RuleFileError) as err:
        load_file(path)
    assert "forms.self_review" in str(err.value) and "2 mục áp dụng" in str(err.value)
    data["forms"]["self_review"][0]["when"] = {"title": True}
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(RuleFileError) as err:
        load_file(path)
    assert "forms.self_review[0].when.title" in str(err.value)


def test_a_rule_file_without_when_chooses_by_its_for_codes(tmp_path):
    """Rule files copied into the user's folder before "when" existed still choose the same forms."""
    data = json.loads((RULES / "qd366.json").read_text(encoding="utf-8"))
    for f in data["forms"]["self_review"]:
        f.pop("when")
    path = tmp_path / "qd366.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    reg = load_file(path)
    for leader, inside, code in [(False, True, "2A"), (True, True, "2B"), (True, False, "2C")]:
        assert personal_form_for(_input(holds_leadership_post=leader, in_political_system=inside), reg).form.code == code


# --- import and export -------------------------------------------------------------------------

def _xlsx(path, rows):
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return path


@pytest.mark.parametrize("text, value", [("Có", True), ("có", True), ("x", True), ("X", True), ("✓", True), (1, True),
                                         ("Không", False), ("KHÔNG", False), ("k", False), (0, False), ("-", False),
                                         (None, None), ("  ", None), ("chưa rõ", "chưa rõ")])
def test_yes_no_cells_are_read_tolerantly(text, value):
    assert yes_no_cell(text) == value


def test_import_reads_the_attributes_with_tolerant_headers(tmp_path):
    path = _xlsx(tmp_path / "ds.xlsx", [
        ["Họ và tên", "Ngày vào Đảng", "Chức vụ", "Chức vụ Đảng", "Giữ chức vụ lãnh đạo, quản lý",
         "Làm việc trong hệ thống chính trị"],
        ["Nguyễn Văn An", "01/01/2010", "Hiệu trưởng", "Bí thư chi bộ", "Có", "x"],
        ["Lê Thị Đào", "01/01/2012", "Giáo viên", "", "Không", "Có"],
        ["Trần Văn Dũng", "01/01/2001", "Nghỉ hưu", "Chi ủy viên", "", "không"],
        ["Phạm Minh Đức", "01/01/2015", "Kế toán", "", "chưa rõ", ""],
    ])
    p = read_import(path, today=TODAY)
    assert {c.field for c in p.columns} >= {"position", "party_post", "holds_leadership_post", "in_political_system"}
    got = [(r.member.position, r.member.party_post, r.member.holds_leadership_post, r.member.in_political_system)
           for r in p.rows]
    assert got == [("Hiệu trưởng", "Bí thư chi bộ", True, True), ("Giáo viên", "", False, True),
                   ("Nghỉ hưu", "Chi ủy viên", None, False), ("Kế toán", "", None, None)]
    assert p.ok  # a blank or unreadable optional value never refuses the file
    (warning,) = p.rows[3].warnings
    assert warning.column == "Giữ chức vụ lãnh đạo, quản lý" and "«chưa rõ»" in warning.message


def test_import_reads_the_political_system_asked_the_other_way_round(tmp_path):
    path = _xlsx(tmp_path / "ds.xlsx", [
        ["Họ và tên", "Ngày vào Đảng", "Không làm việc trong hệ thống chính trị"],
        ["Trần Văn Dũng", "01/01/2001", "x"],
        ["Lê Thị Đào", "01/01/2012", "Không"],
    ])
    p = read_import(path, today=TODAY)
    assert [r.member.in_political_system for r in p.rows] == [False, True]


def test_import_without_the_attribute_columns_leaves_them_not_stated(tmp_path, db):
    path = _xlsx(tmp_path / "ds.xlsx", [["Họ và tên", "Ngày vào Đảng"], ["Nguyễn Văn An", "01/01/2010"]])
    with db.begin() as s:
        apply_import(s, preview_import(s, path, TODAY), TODAY)
        m = s.query(Member).one()
    assert (m.holds_leadership_post, m.in_political_system, m.party_post) == (None, None, "")


@pytest.mark.parametrize("suffix", ["xlsx", "csv"])
def test_export_then_import_keeps_the_attributes(tmp_path, db, suffix):
    from services.db import open_database
    from services.member_export import export_register, register_table

    with db.begin() as s:
        svc.add_member(s, _input(holds_leadership_post=True, in_political_system=True, party_post="Bí thư chi bộ"),
                       TODAY)
        svc.add_member(s, _input(name="Trần Văn Dũng", in_political_system=False), TODAY)
        svc.add_member(s, _input(name="Lê Thị Đào"), TODAY)
        header = register_table(s, TODAY)[0]
    assert header[9:12] == ["Chức vụ đảng", "Giữ chức vụ lãnh đạo, quản lý", "Công tác trong hệ thống chính trị"]
    out = tmp_path / f"ds.{suffix}"
    with db.begin() as s:
        export_register(s, out, TODAY)
    other = open_database(tmp_path / "other.db", create=True)
    try:
        with other.begin() as s:
            apply_import(s, preview_import(s, out, TODAY), TODAY)
            got = {m.full_name: (m.holds_leadership_post, m.in_political_system, m.party_post)
                   for m in svc.all_members(s)}
    finally:
        other.close()
    assert got == {"Nguyễn Văn An": (True, True, "Bí thư chi bộ"), "Trần Văn Dũng": (None, False, ""),
                   "Lê Thị Đào": (None, None, "")}


# --- the member card -----------------------------------------------------------------------------

def test_member_dialog_states_the_attributes_and_shows_the_form_they_choose(qtbot, db):
    from ui.context import AppContext
    from ui.dialogs.member_dialog import MemberDialog
    from ui.qt import QtWidgets

    from .gui_support import wait_ops

    class Ctx(AppContext):
        def today(self):
            return TODAY

    with db.begin() as s:
        m = svc.add_member(s, _input(position="Giáo viên Trường THCS"), TODAY)
    dlg = MemberDialog(Ctx(db), m.id)
    qtbot.addWidget(dlg)
    assert dlg.leader.currentText() == "— chưa xác định —" and dlg.in_system.currentText() == "— chưa xác định —"
    assert "Để chọn mẫu bản kiểm điểm" in dlg.form_hint.text()  # asked, not guessed from "Trường"
    dlg.in_system.setCurrentIndex(dlg.in_system.findText("Có"))
    dlg.leader.setCurrentIndex(dlg.leader.findText("Không"))
    assert dlg.form_hint.text() == "Mẫu bản kiểm điểm năm 2025: Mẫu 2A-HD KĐ.ĐG 2025"
    dlg.party_post.setCurrentText("Chi ủy viên")
    dlg.buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok).click()
    wait_ops(qtbot)
    with db.begin() as s:
        m = s.get(Member, m.id)
        assert (m.holds_leadership_post, m.in_political_system, m.party_post) == (False, True, "Chi ủy viên")
    again = MemberDialog(Ctx(db), m.id)
    qtbot.addWidget(again)
    assert (again.leader.currentData(), again.in_system.currentData(), again.party_post.currentText()) == (
        False, True, "Chi ủy viên")
    again.in_system.setCurrentIndex(again.in_system.findText("Không"))
    assert again.form_hint.text().endswith("Mẫu 2C-HD KĐ.ĐG 2025")
