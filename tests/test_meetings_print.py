"""Printed minutes and the attendance sheet, read back from the PDF; the CLI that writes them."""
from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import unicodedata

import openpyxl
import pytest

import main
from services import meetings as mt
from services.meetings import printing

from .meeting_fixtures import TODAY, make_branch, new_meeting

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("pdffonts") is None,
                                   reason="poppler-utils is needed to read the PDF back")


def _text(pdf) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                         text=True, encoding="utf-8").stdout
    return unicodedata.normalize("NFC", " ".join(out.split()))


@pytest.fixture
def held(db):
    """A meeting with an absence with reason, one without, a guest, a vote, finalised then amended."""
    ids = make_branch(db)
    mid = new_meeting(db, dt.date(2025, 5, 6), absences={
        ids["Nguyễn Văn An"]: ("excused", "đi công tác tại Hà Nội"),
        ids["Phạm Quốc Cường"]: ("unexcused", ""),
    }, guests="đồng chí Kiều Thị Thủy, Đảng ủy viên Đảng bộ Sở")
    with db.begin() as s:
        mt.set_sections(s, mid, {"news": "Thông tin về kỷ niệm ngày sinh Chủ tịch Hồ Chí Minh 19/5.",
                                 "next_tasks": "- Hoàn thành báo cáo quý II; giao đồng chí Trần Thị Bích.\n"
                                               "- Chuẩn bị sinh hoạt chuyên đề."})
        mt.save_resolution(s, mid, mt.ResolutionInput("Thông qua phương hướng, nhiệm vụ tháng 6 năm 2025.", 3, 0, 0))
        mt.finalise_meeting(s, mid, "Lê Thị Hồng Nhung", dt.datetime(2025, 5, 8, 9), TODAY)
    return db, ids, mid


@needs_poppler
def test_minutes_read_like_the_official_form(held, tmp_path):
    db, _ids, mid = held
    pdf = tmp_path / "bb.pdf"
    with db.begin() as s:
        printing.write_minutes_pdf(s, mid, pdf)
    text = _text(pdf)
    for expected in ("ĐẢNG BỘ SỞ LAO ĐỘNG - TBXH", "CHI BỘ VĂN PHÒNG SỞ", "ĐẢNG CỘNG SẢN VIỆT NAM", "Số 01-BB/CB",
                     "Trà Vinh, ngày 06 tháng 5 năm 2025", "BIÊN BẢN", "Sinh hoạt chi bộ thường kỳ tháng 5 năm 2025",
                     "I. PHẦN MỞ ĐẦU", "II. NỘI DUNG SINH HOẠT", "III. PHẦN KẾT THÚC",
                     "Nguyễn Văn An (đi công tác tại Hà Nội)", "Phạm Quốc Cường", "Kiều Thị Thủy",
                     "kỷ niệm ngày sinh Chủ tịch Hồ Chí Minh", "Hoàn thành báo cáo quý II",
                     "THƯ KÝ", "CHỦ TRÌ", "Lê Thị Hồng Nhung", "Từ Minh Điền"):
        assert expected in text, expected
    # the figures the minutes state: 7 in the branch (6 full, 1 probationary), 1 exempt, 6 expected, 4 present
    assert "7" in text and "Hồ Văn Em" in text
    assert text.index("I. PHẦN MỞ ĐẦU") < text.index("II. NỘI DUNG SINH HOẠT") < text.index("III. PHẦN KẾT THÚC")
    assert text.index("THƯ KÝ") < text.index("CHỦ TRÌ")   # minute-taker left, chair right
    fonts = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert "Serif" in fonts and all(" yes " in line for line in fonts.splitlines()[2:])   # embedded


@needs_poppler
def test_amendments_are_printed_on_reprint(held, tmp_path):
    db, _ids, mid = held
    with db.begin() as s:
        mt.amend_minutes(s, mid, mt.AmendmentInput(dt.date(2025, 5, 12), "Ghi nhầm người được giao",
                                                    "Lê Thị Hồng Nhung",
                                                    {"next_tasks": "- Hoàn thành báo cáo quý II; giao đồng chí "
                                                                   "Võ Thị Dung.\n- Chuẩn bị sinh hoạt chuyên đề."}),
                         TODAY)
        printing.write_minutes_pdf(s, mid, tmp_path / "bb.pdf")
        doc = printing.minutes_document(s, mid)
    text = _text(tmp_path / "bb.pdf")
    assert "Ghi nhầm người được giao" in text and "12/05/2025" in text
    assert "giao đồng chí Võ Thị Dung" in text and "giao đồng chí Trần Thị Bích" in text   # new and old
    html = printing.minutes_html(doc)
    assert "Ghi nhầm người được giao" in html and "BIÊN BẢN" in html


@needs_poppler
def test_attendance_sheet_pdf_and_xlsx(held, tmp_path):
    db, ids, _mid = held
    new_meeting(db, dt.date(2025, 6, 5))
    with db.begin() as s:
        sheet = printing.attendance_sheet(s, 2025)
        printing.write_attendance_pdf(s, 2025, tmp_path / "dd.pdf", TODAY)
        printing.write_attendance_xlsx(s, 2025, tmp_path / "dd.xlsx")
    rows = {r.full_name: r.cells for r in sheet.rows}
    assert rows["Nguyễn Văn An"] == ["P", "x"]
    assert rows["Phạm Quốc Cường"] == ["K", "x"]
    assert rows["Hồ Văn Em"] == ["M", "M"]
    assert rows["Đặng Văn Phúc"] == ["–", "x"]          # transferred in on 01/06
    text = _text(tmp_path / "dd.pdf")
    assert "Đặng Văn Phúc" in text and "06/05" in text and "05/06" in text
    info = subprocess.run(["pdfinfo", str(tmp_path / "dd.pdf")], check=True, capture_output=True, text=True).stdout
    assert "landscape" in info or "841.89 x 595.276" in info
    ws = openpyxl.load_workbook(tmp_path / "dd.xlsx").active
    values = list(ws.values)
    header = values[0]
    assert header[1] == "Họ và tên" and header[2].startswith("06/05")
    an = next(v for v in values if v[1] == "Nguyễn Văn An")
    assert an[2:4] == ("P", "x")


def test_cli_lists_meetings_as_json(held, tmp_path, capsys):
    db, _ids, _mid = held
    new_meeting(db, dt.date(2025, 6, 5), kind="thematic")
    path = db.target
    assert main.main(["meetings", "list", "--db", str(path), "--year", "2025", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(d["date"], d["kind"]) for d in data] == [("2025-05-06", "regular"), ("2025-06-05", "thematic")]
    first = data[0]
    assert (first["members_total"], first["present"], first["absent_excused"], first["absent_unexcused"]) == (7, 4, 1, 1)
    assert first["valid"] is True and first["finalized"] is True and data[1]["finalized"] is False
    assert main.main(["meetings", "list", "--db", str(path), "--year", "2025"]) == 0
    out = capsys.readouterr().out
    assert "06/05/2025" in out and "Chuyên đề" in out and "đã hoàn tất" in out


def test_cli_reports(held, tmp_path, capsys):
    db, _ids, _mid = held
    path = str(db.target)
    assert main.main(["report", "minutes", "--db", path, "--date", "2025-05-06", "--out", str(tmp_path / "a.pdf")]) == 0
    assert (tmp_path / "a.pdf").read_bytes().startswith(b"%PDF")
    assert main.main(["report", "attendance", "--db", path, "--year", "2025", "--out", str(tmp_path / "b.xlsx")]) == 0
    assert main.main(["report", "attendance", "--db", path, "--year", "2025", "--out", str(tmp_path / "b.pdf")]) == 0
    assert (tmp_path / "b.xlsx").exists() and (tmp_path / "b.pdf").exists()
    capsys.readouterr()
    assert main.main(["report", "minutes", "--db", path, "--date", "2025-05-07", "--out", str(tmp_path / "c.pdf")]) == 1
    assert "07/05/2025" in capsys.readouterr().err
    assert main.main(["report", "attendance", "--db", path, "--year", "2025", "--out", str(tmp_path / "c.doc")]) == 1
    assert not (tmp_path / "c.pdf").exists()


def test_report_registry_lists_every_report(capsys):
    from services.cli.reports import REPORTS

    assert {"minutes", "attendance"} <= set(REPORTS)
    with pytest.raises(SystemExit):
        main.main(["report", "--help"])
    out = capsys.readouterr().out
    assert "minutes" in out and "attendance" in out


def test_attendance_sheet_in_a_fresh_process(held, tmp_path):
    """The sheet names the document font in its own styles: it must work as the first thing printed."""
    import sys
    from pathlib import Path

    db, _ids, _mid = held
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, str(root / "main.py"), "report", "attendance", "--db", str(db.target),
                          "--year", "2025", "--out", str(tmp_path / "dd.pdf")],
                         capture_output=True, text=True, encoding="utf-8", cwd=root)
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "dd.pdf").read_bytes().startswith(b"%PDF")


def test_demo_holds_a_year_of_meetings_varied_like_a_real_branch(tmp_path):
    from services.db import open_database
    from services.demo import write_demo
    from services.meetings.attendance import YearBook
    from services.reminders import reminders

    write_demo(tmp_path / "demo.db", seed=5, year=2025, today=dt.date(2026, 1, 10))
    db = open_database(tmp_path / "demo.db")
    try:
        with db.begin() as s:
            rows = mt.meetings_of_year(s, 2025)
            kinds = [r.kind for r in rows]
            assert (kinds.count("regular"), kinds.count("thematic")) == (12, 4)
            assert {r.date.month for r in rows if r.kind == "regular"} == set(range(1, 13))
            assert {(r.date.month - 1) // 3 for r in rows if r.kind == "thematic"} == {0, 1, 2, 3}
            assert all(r.tally.unrecorded == 0 and r.resolutions >= 1 for r in rows)
            assert [r.finalized for r in rows][-2:] == [False, False] and all(r.finalized for r in rows[:-2])
            assert sum(r.amendments for r in rows) == 1
            book = YearBook(s, 2025)
            visited = [m for m in book.meetings if m.representative]
            assert len(visited) == 1 and "Đảng ủy" in visited[0].representative
            assert all(m.speakers for m in book.meetings)          # named speakers in every minutes
            assert all(m.conclusion for m in book.meetings if m.kind == "regular")
            made_full = [r for m in book.meetings for r in m.resolutions if r.kind == "make_full"]
            assert len(made_full) == 1                                # the member made full in March
            excused = [r for m in book.meetings for r in book.roster(m).expected if r.status == "excused"]
            assert excused and all(r.reason for r in excused)
            truants = [m for m in book.members if len(book.member_year(m.id).unexcused_months) >= 3]
            assert len(truants) == 1
            assert all(book.roster(m).exempt for m in book.meetings)     # the exempt member is listed apart
            found = {r.rule for r in reminders(s, dt.date(2026, 1, 10))}
            assert {"meetings_unexcused_absences", "meetings_not_finalised"} <= found
            # the minutes are written, and last month's tasks are carried into the review
            texts = {x["key"]: x["text"] for x in mt.sections_of(book.meetings[-1])}
            assert texts["news"] and texts["next_tasks"] and "Nhiệm vụ đề ra tại buổi sinh hoạt ngày" in texts["review"]
    finally:
        db.close()
