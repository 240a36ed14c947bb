"""`python main.py dues book|unpaid`."""
import datetime as dt

import pytest

import main
from services import dues as svc
from services import members as msvc

TODAY = dt.date(2025, 12, 15)


@pytest.fixture
def dbfile(db):
    with db.begin() as s:
        an = msvc.add_member(s, msvc.MemberInput("Nguyễn Văn An", dt.date(2010, 1, 1), dt.date(2011, 1, 5)), TODAY).id
        binh = msvc.add_member(s, msvc.MemberInput("Trần Thị Bình", dt.date(2010, 1, 1), dt.date(2011, 1, 5)),
                               TODAY).id
        for mid in (an, binh):
            svc.set_rate(s, mid, 2025, 1, 60_000, TODAY)
        svc.record_payment(s, svc.PaymentInput(an, dt.date(2025, 12, 5), [(2025, m) for m in range(1, 12)]), TODAY)
        svc.record_payment(s, svc.PaymentInput(binh, dt.date(2025, 8, 5), [(2025, m) for m in range(1, 9)]), TODAY)
    return db.target


@pytest.mark.parametrize("sub", [["dues"], ["dues", "book"], ["dues", "unpaid"]])
def test_help_in_vietnamese(sub, capsys):
    with pytest.raises(SystemExit) as exc:
        main.main([*sub, "--help"])
    assert exc.value.code == 0
    assert "tùy chọn" in capsys.readouterr().out


def test_unpaid_lists_members_and_flags_three_months(dbfile, capsys):
    assert main.main(["dues", "unpaid", "--db", str(dbfile), "--on", "2025-12-15"]) == 0
    out = capsys.readouterr().out
    assert "Trần Thị Bình: chưa nộp 3 tháng (tháng 9, 10, 11/2025)" in out
    assert "chi bộ cần xem xét" in out
    assert "Nguyễn Văn An" not in out
    assert main.main(["dues", "unpaid", "--db", str(dbfile), "--on", "2025-10-20"]) == 0
    out = capsys.readouterr().out
    assert "Trần Thị Bình: chưa nộp 1 tháng (tháng 9/2025)" in out and "xem xét" not in out
    assert main.main(["dues", "unpaid", "--db", str(dbfile), "--on", "2025-09-01"]) == 0
    assert "Tất cả đảng viên đã nộp" in capsys.readouterr().out


def test_unpaid_rejects_a_bad_date(dbfile, capsys):
    with pytest.raises(SystemExit) as exc:
        main.main(["dues", "unpaid", "--db", str(dbfile), "--on", "15/12/2025"])
    assert exc.value.code == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_book_to_pdf_and_xlsx(dbfile, tmp_path, capsys):
    import openpyxl

    pdf, xlsx = tmp_path / "so.pdf", tmp_path / "so.xlsx"
    assert main.main(["dues", "book", "--db", str(dbfile), "--year", "2025", "--out", str(pdf)]) == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    assert "Đã ghi sổ đảng phí năm 2025" in capsys.readouterr().out
    assert main.main(["dues", "book", "--db", str(dbfile), "--year", "2025", "--out", str(xlsx)]) == 0
    rows = list(openpyxl.load_workbook(xlsx).worksheets[0].values)
    assert [r[1] for r in rows[1:3]] == ["Nguyễn Văn An", "Trần Thị Bình"]
    assert rows[1][14] == 660_000 and rows[2][14] == 480_000
    assert rows[2][2:13] == (60_000,) * 8 + ("chưa nộp",) * 3


def test_book_refuses_unknown_file_types_and_missing_databases(dbfile, tmp_path, capsys):
    assert main.main(["dues", "book", "--db", str(dbfile), "--year", "2025", "--out", str(tmp_path / "so.doc")]) == 1
    assert "Lỗi:" in capsys.readouterr().err and not (tmp_path / "so.doc").exists()
    assert main.main(["dues", "book", "--db", str(tmp_path / "none.db"), "--year", "2025",
                      "--out", str(tmp_path / "so.pdf")]) == 1
    assert "Không có tệp dữ liệu" in capsys.readouterr().err
