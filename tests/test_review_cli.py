"""The review's subcommands: ratings import (all or nothing), tally, year close / reopen."""
import csv
import datetime as dt
import json

import pytest

import main
from services.db import open_database
from services.review import service as svc
from tests.review_helpers import add_member, discipline


@pytest.fixture
def branch_db(db):
    with db.begin() as s:
        add_member(s, "Nguyễn Văn An", birth=dt.date(1980, 1, 1))
        add_member(s, "Nguyễn Văn An", birth=dt.date(1990, 2, 2))   # a namesake
        add_member(s, "Lê Thị Bình", birth=dt.date(1985, 3, 3))
        add_member(s, "Trần Văn Cường", birth=dt.date(1975, 4, 4), events=[discipline(dt.date(2024, 5, 5))])
        add_member(s, "Phạm Thị Dung", birth=dt.date(1995, 5, 5), admitted=dt.date(2024, 10, 1), full=False)
        m = add_member(s, "Võ Văn Em", birth=dt.date(1970, 6, 6))
        m.card_number = "79123456"
    path = db.target
    db.close()
    return path


def _csv(tmp_path, rows, name="xl.csv", delimiter=","):
    path = tmp_path / name
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh, delimiter=delimiter).writerows(rows)
    return path


def _levels(path, year=2024):
    database = open_database(path)
    with database.begin() as s:
        out = {(r.full_name, r.elig.birth_date): r.proposed_level for r in svc.year_review(s, year).rows if r.level}
    database.close()
    return out


def test_ratings_import_lists_every_bad_row_and_writes_nothing(branch_db, tmp_path, capsys):
    path = _csv(tmp_path, [
        ["Họ và tên", "Ngày sinh", "Số thẻ đảng viên", "Xếp loại", "Ghi chú"],
        ["Nguyễn Văn An", "01/01/1980", "", "HTTNV", ""],
        ["Nguyễn Văn An", "", "", "HTTNV", ""],                          # namesakes
        ["Hoàng Văn Lạ", "01/01/1960", "", "HTTNV", ""],                 # unknown
        ["Trần Văn Cường", "04/04/1975", "", "Hoàn thành tốt nhiệm vụ", ""],  # disciplined in 2024
        ["Phạm Thị Dung", "05/05/1995", "", "HTNV", ""],                  # admitted under 6 months
        ["Lê Thị Bình", "03/03/1985", "", "Tốt lắm", ""],                 # not a level
    ])
    code = main.main(["ratings", "import", "--db", str(branch_db), "--year", "2024", str(path)])
    err = capsys.readouterr().err
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 5
    assert lines[0].startswith("Lỗi: Dòng 3: có nhiều đảng viên tên Nguyễn Văn An")
    assert "Dòng 4: Hoàng Văn Lạ (sinh ngày 01/01/1960) không có trong sổ đảng viên." in lines[1]
    assert "Dòng 5: Không thể xếp loại đồng chí Trần Văn Cường" in lines[2] and "mục II.B.2" in lines[2]
    assert "Dòng 6: Đồng chí Phạm Thị Dung không thuộc diện đánh giá" in lines[3]
    assert "Dòng 7: “Tốt lắm” không phải là mức xếp loại" in lines[4]
    assert _levels(branch_db) == {}


def test_ratings_import_of_good_rows_with_namesakes_card_numbers_and_quota_warning(branch_db, tmp_path, capsys):
    path = _csv(tmp_path, [
        ["DANH SÁCH XẾP LOẠI ĐẢNG VIÊN NĂM 2024", "", "", "", ""],
        ["Họ và tên", "Ngày sinh", "Số thẻ đảng viên", "Xếp loại", "Đủ điều kiện"],
        ["nguyễn văn an", "1/1/1980", "", "Hoàn thành xuất sắc nhiệm vụ", "x"],
        ["Nguyễn Văn An", "02/02/1990", "", "httnv", ""],
        ["Võ Văn Em", "", "79123456", "HTXSNV", "Có"],
        ["Trần Văn Cường", "04/04/1975", "", "KHTNV", ""],
    ], delimiter=";")
    assert main.main(["ratings", "import", "--db", str(branch_db), "--year", "2024", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Đã nhập mức xếp loại của 4 đảng viên năm 2024." in out
    assert "Cảnh báo:" in out and "vượt" in out  # 2 HTXSNV > floor(20% × 1) = 0: a warning, not an error
    assert _levels(branch_db) == {("Nguyễn Văn An", dt.date(1980, 1, 1)): "HTXSNV",
                                  ("Nguyễn Văn An", dt.date(1990, 2, 2)): "HTTNV",
                                  ("Võ Văn Em", dt.date(1970, 6, 6)): "HTXSNV",
                                  ("Trần Văn Cường", dt.date(1975, 4, 4)): "KHTNV"}


def test_ratings_import_from_xlsx_with_scores_and_decisions(branch_db, tmp_path, capsys):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["STT", "Họ và tên", "Ngày sinh", "Điểm", "Xếp loại", "Ghi chú", "Số quyết định"])
    ws.append([1, "Lê Thị Bình", dt.datetime(1985, 3, 3), 82.5, "Hoàn thành tốt nhiệm vụ", "Đảng ủy quyết định",
               "Thông báo số 125-TB/ĐU"])
    path = tmp_path / "xl.xlsx"
    wb.save(path)
    assert main.main(["ratings", "import", "--db", str(branch_db), "--year", "2025", "--decision", str(path)]) == 0
    database = open_database(branch_db)
    with database.begin() as s:
        row = next(r for r in svc.year_review(s, 2025).rows if r.full_name == "Lê Thị Bình")
        assert (row.decided_level, row.proposed_level, row.score, row.record.comment) == (
            "HTTNV", "", 82.5, "Đảng ủy quyết định")
    database.close()
    ws.append([2, "Võ Văn Em", dt.datetime(1970, 6, 6), 85, "HTXSNV", "", ""])  # above the band of 85 points
    wb.save(path)
    capsys.readouterr()
    assert main.main(["ratings", "import", "--db", str(branch_db), "--year", "2025", "--decision", str(path)]) == 1
    assert "Dòng 3:" in capsys.readouterr().err


def test_ratings_import_needs_the_columns(branch_db, tmp_path, capsys):
    path = _csv(tmp_path, [["Họ và tên", "Xếp loại"], ["Lê Thị Bình", "HTTNV"]])
    assert main.main(["ratings", "import", "--db", str(branch_db), "--year", "2024", str(path)]) == 1
    assert "Ngày sinh" in capsys.readouterr().err


def test_tally_json_and_table(branch_db, tmp_path, capsys):
    database = open_database(branch_db)
    with database.begin() as s:
        rows = svc.year_review(s, 2024).rows
        svc.save_many(s, 2024, {r.member_id: svc.ReviewInput(proposed_level="KHTNV" if r.full_name == "Trần Văn Cường"
                                                             else "HTTNV") for r in rows if r.elig.rated})
    database.close()
    assert main.main(["tally", "--db", str(branch_db), "--year", "2024", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["members_total"] == 6 and data["assessed"] == 5
    assert data["not_assessed_reasons"] == {"new_admission": 1}
    assert data["levels"] == {"HTXSNV": 0, "HTTNV": 4, "HTNV": 0, "KHTNV": 1}
    assert data["percent"] == {"HTXSNV": 0.0, "HTTNV": 80.0, "HTNV": 0.0, "KHTNV": 20.0}
    assert main.main(["tally", "--db", str(branch_db), "--year", "2024"]) == 0
    out = capsys.readouterr().out
    assert "KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG ĐẢNG VIÊN NĂM 2024" in out and "80%" in out


def test_year_close_and_reopen(branch_db, capsys):
    assert main.main(["year", "close", "--db", str(branch_db), "--year", "2024"]) == 0
    assert "truoc-khoa-so-2024" in capsys.readouterr().out
    assert main.main(["year", "close", "--db", str(branch_db), "--year", "2024"]) == 1
    assert "đã khóa sổ" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main.main(["year", "reopen", "--db", str(branch_db), "--year", "2024"])  # the reason is required
    capsys.readouterr()
    assert main.main(["year", "reopen", "--db", str(branch_db), "--year", "2024", "--reason", "Sửa sai sót"]) == 0
    database = open_database(branch_db)
    with database.begin() as s:
        assert [e.action for e in svc.year_log(s, 2024)] == ["close", "reopen"]
    database.close()


@pytest.mark.parametrize("sub", [["ratings", "import"], ["tally"], ["year", "close"], ["year", "reopen"],
                                 ["report", "year-end"]])
def test_review_subcommands_have_vietnamese_help(sub, capsys):
    with pytest.raises(SystemExit) as exc:
        main.main([*sub, "--help"])
    assert exc.value.code == 0
    assert "tùy chọn" in capsys.readouterr().out


def test_every_area_adds_its_report_to_the_one_report_group():
    from services.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    report = sub.choices["report"]
    names = next(a for a in report._actions if a.dest == "report_name").choices
    assert {"minutes", "attendance", "committee", "year-end"} <= set(names)
