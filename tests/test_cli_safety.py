"""Command line: backup, restore, check, password; unexpected errors as one line and a log file."""
from __future__ import annotations

import datetime as dt
import io
import logging
import logging.handlers
import subprocess
import sys
from pathlib import Path

import pytest

import main
from services import access, backup, logs
from services import members as svc
from services.db import open_database
from tests.engines import member_names as names
from tests.engines import snapshot
from tests.test_backup import corrupt

ROOT = Path(__file__).resolve().parents[1]
TODAY = dt.date(2025, 12, 15)


def run(*args, stdin: str | None = None):
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *map(str, args)], input=stdin,
                          capture_output=True, text=True, encoding="utf-8", cwd=ROOT)


@pytest.fixture
def path(db):
    with db.begin() as s:
        for name in ("Nguyễn Văn An", "Lê Thị Bình"):
            svc.add_member(s, svc.MemberInput(name, dt.date(2010, 1, 1), dt.date(2011, 2, 1)), TODAY)
    db.close()
    return db.target


@pytest.mark.parametrize("sub", [["backup"], ["restore"], ["check"], ["password", "set"], ["password", "remove"]])
def test_each_subcommand_has_vietnamese_help(sub, capsys):
    with pytest.raises(SystemExit) as exc:
        main.main([*sub, "--help"])
    assert exc.value.code == 0
    assert "tùy chọn" in capsys.readouterr().out


def test_backup_to_a_chosen_file_and_to_the_backups_folder(path, tmp_path, capsys):
    # issue 15, item 9: --out FILE writes exactly FILE (nothing appended to its name)
    for name in ("chi-bo", "chi-bo.bak"):
        usb = tmp_path / "usb" / name
        assert main.main(["backup", "--db", str(path), "--out", str(usb)]) == 0
        assert usb.exists() and not (tmp_path / "usb" / (name + ".db")).exists()
        assert names(usb) == ["Lê Thị Bình", "Nguyễn Văn An"]
    out = capsys.readouterr().out
    assert str(tmp_path / "usb" / "chi-bo.bak") in out
    assert "Đã sao lưu" in out and "Chi bộ Văn phòng Sở" in out and "2 đảng viên" in out
    assert main.main(["backup", "--db", str(path)]) == 0
    [info] = backup.list_backups(path)
    assert info.reason == backup.ON_REQUEST and names(info.path) == ["Lê Thị Bình", "Nguyễn Văn An"]


@pytest.mark.sqlite_only
def test_backup_refuses_a_damaged_database(path, capsys):
    good = backup.backup_now(path)
    corrupt(path)
    assert main.main(["backup", "--db", str(path)]) == 1
    err = capsys.readouterr().err
    assert "bị hỏng" in err and str(good.path) in err
    assert [i.path for i in backup.list_backups(path)] == [good.path]  # no copy of the damaged file


def test_restore_needs_yes_shows_the_preview_then_restores(path, tmp_path, capsys):
    saved = backup.backup_now(path, tmp_path / "usb.db")
    db = open_database(path)
    with db.begin() as s:
        svc.add_member(s, svc.MemberInput("Trần Văn Cường", dt.date(2012, 1, 1)), TODAY)
    db.close()
    assert main.main(["restore", "--db", str(path), str(saved.path)]) == 1
    out = capsys.readouterr().out
    assert "Bản sao lưu: Chi bộ Văn phòng Sở, sao lưu lúc" in out and "2 đảng viên" in out
    assert "3 đảng viên" in out  # what the database holds now
    assert "Chưa thay đổi gì. Thêm --yes" in out
    assert len(names(path)) == 3
    assert main.main(["restore", "--db", str(path), str(saved.path), "--yes"]) == 0
    out = capsys.readouterr().out
    assert "Đã khôi phục" in out and "truoc-khoi-phuc" in out
    assert names(path) == ["Lê Thị Bình", "Nguyễn Văn An"]


def test_restore_refuses_a_file_that_is_not_ours(path, tmp_path):
    fake = tmp_path / "danh-sach.xlsx"
    fake.write_text("Họ và tên;Ngày sinh\n", encoding="utf-8")
    before = snapshot(path)
    out = run("restore", "--db", path, fake, "--yes")
    assert out.returncode == 1
    assert "không phải là dữ liệu của Sổ chi bộ" in out.stderr and "Traceback" not in out.stderr
    assert snapshot(path) == before


@pytest.mark.sqlite_only
def test_check_passes_then_reports_damage_with_the_newest_good_backup(path):
    out = run("check", "--db", path)
    assert out.returncode == 0
    assert "integrity_check" in out.stdout and "đạt" in out.stdout
    good = backup.backup_now(path)
    corrupt(path)
    before = path.read_bytes()
    out = run("check", "--db", path)
    assert out.returncode == 1
    assert "KHÔNG ĐẠT" in out.stdout and str(good.path) in out.stdout
    assert path.read_bytes() == before
    # Every other command refuses the damaged file with the same advice.
    out = run("members", "export", "--db", path, "--out", path.parent / "x.csv")
    assert out.returncode == 1 and "bị hỏng" in out.stderr and str(good.path) in out.stderr


def test_password_set_change_remove_from_standard_input(path, monkeypatch, capsys):
    monkeypatch.setattr(access, "SCRYPT_N", 2 ** 10)
    monkeypatch.setattr(sys, "stdin", io.StringIO("matkhau1\nmatkhau1\n"))
    assert main.main(["password", "set", "--db", str(path)]) == 0
    out = capsys.readouterr().out
    code = out.strip().splitlines()[-1].strip()
    assert access.looks_like_code(code) and "không mã hóa" in out
    db = open_database(path)
    with db.begin() as s:
        assert access.unlock(s, "matkhau1") == access.PASSWORD
    db.close()
    monkeypatch.setattr(sys, "stdin", io.StringIO("sai\nmoi-moi\nmoi-moi\n"))
    assert main.main(["password", "set", "--db", str(path)]) == 1
    assert "không đúng" in capsys.readouterr().err
    monkeypatch.setattr(sys, "stdin", io.StringIO(code + "\n"))
    assert main.main(["password", "remove", "--db", str(path)]) == 0
    db = open_database(path)
    with db.begin() as s:
        assert not access.is_locked(s)
    db.close()


def test_password_from_a_pipe_in_a_real_process(path):
    out = run("password", "set", "--db", path, stdin="ngan\nngan\n")
    assert out.returncode == 1 and "ít nhất 6 ký tự" in out.stderr
    out = run("password", "set", "--db", path, stdin="")
    assert out.returncode == 1 and "Chưa nhập mật khẩu" in out.stderr


def test_unexpected_error_prints_one_line_and_logs_the_traceback(path, monkeypatch, capsys):
    from services.cli import safety as cli_safety

    person = ("Nguyễn Văn An", "02/01/1980", "card 0123456")

    def broken(_args):  # a bug whose message carries a member's name, birth date and card number
        raise RuntimeError(f"hỏng ở {person[0]} sinh '{person[1]}' {person[2]}")

    monkeypatch.setattr(cli_safety, "cmd_check", broken)
    assert main.main(["check", "--db", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "Lỗi không mong đợi (RuntimeError)" in err and str(logs.log_path()) in err
    assert not any(part in err for part in person)
    text = logs.log_path().read_text(encoding="utf-8")
    # the place in the program is logged; the message (which may hold personal data) is not
    assert "Traceback" in text and "RuntimeError" in text and "in broken" in text
    assert not any(part in text for part in (*person, "Nguyễn", "1980", "0123456"))


def test_log_file_rotates_at_about_one_megabyte_keeping_five(tmp_path):
    path = logs.install_logging()
    assert path.parent == logs.log_dir() and path.name == "so-chi-bo.log"
    ours = [h for h in logging.getLogger().handlers if isinstance(h, logging.handlers.RotatingFileHandler)
            and Path(h.baseFilename) == path.resolve()]
    assert len(ours) == 1
    assert (ours[0].maxBytes, ours[0].backupCount) == (1_000_000, 5)
    assert logs.install_logging() == path  # installing twice adds nothing
    assert len([h for h in logging.getLogger().handlers if isinstance(h, logging.handlers.RotatingFileHandler)]) == 1
