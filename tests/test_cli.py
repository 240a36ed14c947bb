import subprocess
import sys
from pathlib import Path

import pytest

import main
from services.db import open_database
from services.members import register

ROOT = Path(__file__).resolve().parents[1]


def run(*args):
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *map(str, args)],
                          capture_output=True, text=True, encoding="utf-8", cwd=ROOT)


def test_help_lists_every_subcommand_in_vietnamese():
    out = run("--help")
    assert out.returncode == 0
    assert "cách dùng:" in out.stdout
    for name in ("init", "demo", "members"):
        assert name in out.stdout


@pytest.mark.parametrize("sub", [["init"], ["demo"], ["members", "import"], ["members", "export"]])
def test_each_subcommand_has_help(sub, capsys):
    with pytest.raises(SystemExit) as exc:
        main.main([*sub, "--help"])
    assert exc.value.code == 0
    assert "tùy chọn" in capsys.readouterr().out


def test_init_creates_branch_and_refuses_to_overwrite(tmp_path, capsys):
    path = tmp_path / "cb.db"
    args = ["init", "--db", str(path), "--branch", "Chi bộ Văn phòng Sở", "--parent", "ĐẢNG BỘ TỈNH TRÀ VINH",
            "--parent", "ĐẢNG ỦY SỞ LAO ĐỘNG - TBXH", "--place", "Trà Vinh", "--secretary", "từ minh điền"]
    assert main.main(args) == 0
    database = open_database(path)
    with database.begin() as s:
        from services.branch import get_branch
        b = get_branch(s)
        # The superior line names the organisation (Đảng bộ), not its committee (Đảng ủy): HD 36.
        assert (b.name, b.parents, b.place, b.secretary) == (
            "Chi bộ Văn phòng Sở", ["ĐẢNG BỘ TỈNH TRÀ VINH", "ĐẢNG BỘ SỞ LAO ĐỘNG - TBXH"], "Trà Vinh", "Từ Minh Điền")
    database.close()
    assert main.main(args) == 1
    assert "đã có" in capsys.readouterr().err


def test_init_help_says_the_superior_line_is_an_organisation(capsys):
    with pytest.raises(SystemExit):
        main.main(["init", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "Đảng bộ Sở Lao động - TBXH" in text and "không phải cấp ủy" in text


def test_subcommand_on_missing_database_fails_clearly(tmp_path):
    out = run("members", "export", "--db", tmp_path / "none.db", "--out", tmp_path / "x.csv")
    assert out.returncode == 1
    assert "Không có tệp dữ liệu" in out.stderr
    assert not (tmp_path / "none.db").exists()


def test_demo_is_deterministic_and_has_the_required_cases(tmp_path):
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    assert main.main(["demo", "--db", str(a), "--seed", "7", "--year", "2025"]) == 0
    assert main.main(["demo", "--db", str(b), "--seed", "7", "--year", "2025"]) == 0
    rows = []
    for path in (a, b):
        database = open_database(path)
        with database.begin() as s:
            rows.append([(r.full_name, r.birth_date, r.admitted, r.status_text) for r in register(s)])
        database.close()
    assert rows[0] == rows[1]
    assert 23 <= len(rows[0]) <= 27
    database = open_database(a)
    import datetime as dt
    with database.begin() as s:
        regs = register(s, dt.date(2025, 12, 31))
        from models import Member
        members = {m.id: m for m in s.query(Member).all()}
        kinds = {e.kind for m in members.values() for e in m.events}
        genders = {r.gender for r in regs}
        ethnic = {r.ethnicity for r in regs}
        assert any(r.state.status == "probationary" and r.state.in_branch for r in regs)
        assert any(r.state.exempt for r in regs)
        assert {"transfer_in", "discipline", "transfer_out"} <= kinds
        assert genders == {"Nam", "Nữ"}
        assert "Kinh" in ethnic and len(ethnic) >= 2
    database.close()


def test_export_csv_and_xlsx_in_vietnamese_order(tmp_path):
    import csv
    import datetime as dt

    import openpyxl

    db = tmp_path / "d.db"
    assert main.main(["demo", "--db", str(db), "--year", "2025"]) == 0
    csv_path, xlsx_path = tmp_path / "ds.csv", tmp_path / "ds.xlsx"
    assert main.main(["members", "export", "--db", str(db), "--out", str(csv_path)]) == 0
    assert main.main(["members", "export", "--db", str(db), "--out", str(xlsx_path)]) == 0
    raw = csv_path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM for Excel
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0][:3] == ["STT", "Họ và tên", "Ngày sinh"]
    from services.vntext import name_key
    names = [r[1] for r in rows[1:]]
    assert names == sorted(names, key=name_key)
    ws = openpyxl.load_workbook(xlsx_path).active
    values = list(ws.values)
    assert [v[1] for v in values[1:]] == names
    assert isinstance(values[1][2], dt.datetime)  # a real Excel date
    assert ws.cell(2, 3).number_format == "DD/MM/YYYY"


def test_year_end_form_names_in_help_match_the_printed_forms():
    from services.cli.review import FORM_NAMES
    from services.review.forms import FORMS

    assert FORM_NAMES == list(FORMS)


def test_a_plain_start_does_not_build_the_command_line(monkeypatch):
    """`python main.py [--db F]` opens the window without importing every area's command module."""
    calls = []
    monkeypatch.setattr("ui.app.run_gui", lambda db, exit_after_show=False: calls.append((db, exit_after_show)) or 0)
    monkeypatch.setattr("services.cli.build_parser", lambda: (_ for _ in ()).throw(AssertionError("built")))
    assert main.main(["--db", "x.db"]) == 0
    assert calls == [(Path("x.db"), False)]
