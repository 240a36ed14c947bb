"""A committee's database on a PostgreSQL server (issue 16): the address, credentials, TLS, init, backup,
restore and check on a server. The rest of the suite runs on the server too (tests/engines.py)."""
from __future__ import annotations

import datetime as dt
import getpass
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

import main
from models import Member
from services import backup
from services import members as svc
from services.db import make_engine, open_database
from services.location import db_target, location_of
from services.server import PasswordNeededError, tls_in_use
from tests.engines import PG_ENV, member_names, snapshot

ROOT = Path(__file__).resolve().parents[1]
TODAY = dt.date(2025, 12, 15)
server_only = pytest.mark.server_only


def run(*args, env=None, stdin=""):
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *map(str, args)], input=stdin,
                          capture_output=True, text=True, encoding="utf-8", cwd=ROOT, env=env)


def test_ci_runs_the_suite_on_postgresql_too():
    """CI (.ci/run) starts a throwaway server and names it: without it the server half would vanish."""
    if os.environ.get("CI") != "true":
        pytest.skip("only CI must run on both engines")
    assert os.environ.get(PG_ENV), f"{PG_ENV} is not set: .ci/run starts the server and sets it"


def test_a_password_in_the_address_is_refused_and_never_repeated(tmp_path):
    out = run("tally", "--db", "postgresql://sochibo:bi-mat-123@db.example/dangbo", "--year", "2025")
    assert out.returncode == 2
    assert "mật khẩu" in out.stderr and "bi-mat-123" not in out.stderr + out.stdout


def test_addresses_and_files_are_told_apart():
    assert db_target("so-chi-bo.db") == Path("so-chi-bo.db")
    assert db_target(r"D:\Chi bo\so-chi-bo.db") == Path(r"D:\Chi bo\so-chi-bo.db")
    for text in ("postgresql://u@h/db", "postgres://u@h:5433/db", "postgresql+psycopg://u@h/db",
                 "postgresql:///?service=dangbo"):
        location = location_of(db_target(text))
        assert location.is_server and location.url.drivername == "postgresql+psycopg"
    assert location_of("postgresql://u@h:5433/dang bo").display == "postgresql://u@h:5433/dang bo"
    with pytest.raises(Exception, match="không có tên cơ sở dữ liệu|names no database"):
        db_target("postgresql://u@h")


@server_only
def test_sessions_on_the_server_are_utc_and_named(db):
    """As SQLite's CURRENT_TIMESTAMP: the server's clock read in UTC; the IT person sees who is connected."""
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("SHOW TimeZone").scalar() == "UTC"
        assert conn.exec_driver_sql("SHOW application_name").scalar() == "so-chi-bo"


@server_only
def test_tls_is_used_when_the_server_offers_it_and_the_address_may_turn_it_off(db):
    assert tls_in_use(db.engine)  # libpq's default, sslmode=prefer (the test server offers TLS)
    plain = make_engine(str(db.target) + "?sslmode=disable")
    try:
        assert not tls_in_use(plain)
    finally:
        plain.dispose()


@server_only
def test_init_makes_the_tables_in_an_empty_server_database_once(new_target, capsys):
    target = new_target("trong", empty=True)
    with pytest.raises(Exception, match="init --committee"):
        open_database(target)  # an empty database is not opened as if it were one of ours
    args = ["init", "--committee", "--db", str(target), "--branch", "Đảng ủy Sở Tổng hợp",
            "--parent", "ĐẢNG BỘ TỈNH TRÀ VINH", "--place", "Trà Vinh"]
    assert main.main(args) == 0
    assert "Đã tạo" in capsys.readouterr().out
    before = snapshot(target)
    assert main.main(args) == 1
    assert "đã có dữ liệu" in capsys.readouterr().err
    assert snapshot(target) == before
    assert main.main(["branches", "add", "--db", str(target), "--name", "Chi bộ I"]) == 0


def _password_of(target: str) -> str:
    url = make_url(target)
    for line in Path(os.environ["PGPASSFILE"]).read_text().splitlines():
        host, port, _db, user, password = line.split(":", 4)
        if (host, port, user) == (url.host, str(url.port), url.username):
            return password
    raise AssertionError("no password for the test server")


@server_only
def test_a_password_the_password_file_lacks_is_asked_at_the_keyboard(db, tmp_path, monkeypatch, capsys):
    target = str(db.target)
    password = _password_of(target)
    db.close()
    empty = tmp_path / "pgpass"
    empty.write_text("")
    empty.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(empty))
    # Without a keyboard: the message says where the password goes, nothing hangs.
    out = run("tally", "--db", target, "--year", "2025", env={**os.environ, "PGPASSFILE": str(empty)})
    assert out.returncode == 1 and "PGPASSFILE" in out.stderr and "Traceback" not in out.stderr
    # At a keyboard: asked once, without echo; a wrong one is refused in plain words.
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    asked = []
    monkeypatch.setattr(getpass, "getpass", lambda prompt: asked.append(prompt) or "sai-mat-khau")
    assert main.main(["tally", "--db", target, "--year", "2025"]) == 1
    assert "từ chối mật khẩu" in capsys.readouterr().err
    monkeypatch.setattr(getpass, "getpass", lambda prompt: asked.append(prompt) or password)
    assert main.main(["tally", "--db", target, "--year", "2025", "--json"]) == 0
    assert len(asked) == 2


@server_only
def test_the_window_asks_for_the_server_password(qtbot, db, tmp_path, monkeypatch):
    from ui import app as ui_app
    from ui.qt import QtWidgets

    target = str(db.target)
    password = _password_of(target)
    db.close()
    empty = tmp_path / "pgpass"
    empty.write_text("")
    empty.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(empty))
    answers = ["sai", password]
    asked = []

    def get_text(_parent, title, label, echo):
        asked.append((label, echo))
        return answers.pop(0), True

    monkeypatch.setattr(QtWidgets.QInputDialog, "getText", get_text)
    win = ui_app.open_window(target)
    qtbot.addWidget(win)
    assert win is not None and len(asked) == 2
    assert all(echo == QtWidgets.QLineEdit.EchoMode.Password for _l, echo in asked)
    assert "từ chối mật khẩu" in asked[1][0]
    assert target in win.statusBar().currentMessage()
    win.ctx.db.close()


@server_only
@pytest.mark.parametrize("revision", ["0005", "0010"])
def test_an_older_server_database_is_copied_then_upgraded_in_one_transaction(new_target, revision):
    from services.db import head_revision, migrate

    target = new_target("cu", empty=True)
    engine = make_engine(target)
    try:
        migrate(engine, revision)
    finally:
        engine.dispose()
    db = open_database(target)
    try:
        assert db.upgrade_backup is not None
        assert backup.inspect_backup(db.upgrade_backup).schema_version == revision
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == head_revision()
            kind = conn.exec_driver_sql("SELECT data_type FROM information_schema.columns "
                                        "WHERE table_name = 'received_file' AND column_name = 'data'").scalar()
            assert kind == "jsonb"
    finally:
        db.close()


@server_only
def test_a_failed_upgrade_on_a_server_is_undone_by_the_server(new_target, monkeypatch):
    from sqlalchemy import event

    import services.db as dbmod
    from services.db import UpgradeFailedError, head_revision, migrate

    target = new_target("cu", empty=True)
    engine = make_engine(target)
    try:
        migrate(engine, "0009b")
    finally:
        engine.dispose()
    real = dbmod.make_engine

    def failing(location, password=None):
        made = real(location, password)

        def before(conn, cursor, statement, params, context, executemany):
            if "uq_received_file_active_period" in statement:   # late in the upgrade (0010)
                raise OSError("mất kết nối tới máy chủ")

        event.listen(made, "before_cursor_execute", before)
        return made

    monkeypatch.setattr(dbmod, "make_engine", failing)
    with pytest.raises(UpgradeFailedError) as err:
        open_database(target)
    assert "hoàn tác" in str(err.value)
    monkeypatch.undo()
    engine = make_engine(target)
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == "0009b"
            columns = {r[0] for r in conn.exec_driver_sql(
                "SELECT column_name FROM information_schema.columns WHERE table_name = 'received_file'")}
            assert "held" not in columns     # nothing of the failed upgrade is left
    finally:
        engine.dispose()
    db = open_database(target)    # the next opening upgrades it
    try:
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == head_revision()
    finally:
        db.close()


@server_only
def test_an_unreachable_server_is_told_plainly(new_target):
    url = make_url(new_target("x", empty=True)).set(port=9)  # nothing listens there
    with pytest.raises(Exception) as err:
        open_database(url.render_as_string(hide_password=False))
    assert "Không kết nối được" in str(err.value) and not isinstance(err.value, PasswordNeededError)


def _add(db, name: str) -> int:
    with db.begin() as s:
        return svc.add_member(s, svc.MemberInput(name, dt.date(2010, 1, 1), dt.date(2011, 2, 1)), TODAY).id


@server_only
def test_backup_of_a_server_database_is_a_database_file_of_the_same_version(db, tmp_path, capsys):
    _add(db, "Nguyễn Văn An")
    _add(db, "Lê Thị Bình")
    assert main.main(["backup", "--db", str(db.target), "--out", str(tmp_path / "usb" / "dang-uy.db")]) == 0
    assert "2 đảng viên" in capsys.readouterr().out
    copy = tmp_path / "usb" / "dang-uy.db"
    info = backup.inspect_backup(copy, full=True)
    assert info.ok and info.branch_name == "Chi bộ Văn phòng Sở" and info.member_count == 2
    assert member_names(copy) == ["Lê Thị Bình", "Nguyễn Văn An"]
    open_database(copy).close()  # and the program opens it as a database of its own
    assert main.main(["backup", "--db", str(db.target)]) == 0
    [kept] = backup.list_backups(db.location)
    assert kept.reason == backup.ON_REQUEST and kept.path.parent == db.location.backups_folder()


@server_only
def test_restore_on_a_server_puts_back_every_row_and_new_rows_get_new_keys(db, tmp_path, capsys):
    first = _add(db, "Nguyễn Văn An")
    saved = backup.backup_now(db.location, tmp_path / "sao-luu.db")
    before = snapshot(db.engine)
    _add(db, "Lê Thị Bình")
    with db.begin() as s:
        s.get(Member, first).note = "đã sửa"
    db.close()
    assert main.main(["restore", "--db", str(db.target), str(saved.path)]) == 1  # preview only
    assert "2 đảng viên" in capsys.readouterr().out
    assert main.main(["restore", "--db", str(db.target), str(saved.path), "--yes"]) == 0
    out = capsys.readouterr().out
    assert "Đã khôi phục" in out and "truoc-khoi-phuc" in out
    after = [row for row in snapshot(db.target) if not row.startswith("audit_entry")]
    assert after == [row for row in before if not row.startswith("audit_entry")]
    again = open_database(db.target)
    try:
        third = _add(again, "Trần Văn Cường")  # the keys go on after the restored rows
        assert third > first
    finally:
        again.close()
    [safety] = [i for i in backup.list_backups(db.location) if i.reason == backup.BEFORE_RESTORE]
    assert member_names(safety.path) == ["Lê Thị Bình", "Nguyễn Văn An"]


@server_only
def test_a_failed_restore_changes_nothing_on_the_server(db, tmp_path, monkeypatch):
    from services import server

    _add(db, "Nguyễn Văn An")
    saved = backup.backup_now(db.location, tmp_path / "sao-luu.db")
    _add(db, "Lê Thị Bình")
    before = snapshot(db.engine)
    real = server.copy_rows

    def fail_half_way(source, target, progress=None):
        real(source, target, progress)
        raise OSError("mất kết nối")

    monkeypatch.setattr(server, "copy_rows", fail_half_way)
    with pytest.raises(OSError):
        backup.restore(db.location, saved.path)
    assert snapshot(db.engine) == before


@server_only
def test_check_of_a_server_database(db, pg_server):
    out = run("check", "--db", db.target)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "mã hóa (TLS)" in out.stdout and "đạt" in out.stdout
    _add(db, "Nguyễn Văn An")
    # Someone works around the program: an entry of the history changed, a link removed, a row pointing
    # at nothing, a column dropped.
    with db.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE audit_entry SET \"user\" = 'người khác' WHERE id = (SELECT max(id) FROM audit_entry)")
    out = run("check", "--db", db.target)
    assert out.returncode == 1 and "Lịch sử thay đổi" in out.stdout, out.stdout
    with db.engine.begin() as conn:
        conn.exec_driver_sql("ALTER TABLE member_event DROP CONSTRAINT fk_member_event_member_id_member")
        conn.exec_driver_sql("UPDATE member_event SET member_id = 999")
    out = run("check", "--db", db.target)
    assert out.returncode == 1 and "member_event #" in out.stdout and "-> member" in out.stdout
    assert "fk_member_event_member_id_member" in out.stdout  # the link itself is missing too
    with db.engine.begin() as conn:
        conn.exec_driver_sql("ALTER TABLE member DROP COLUMN note")
    out = run("check", "--db", db.target)
    assert out.returncode == 1 and "KHÔNG KHỚP" in out.stdout and "note" in out.stdout


def test_open_another_database_from_the_window(qtbot, tmp_path, monkeypatch):
    from ui.dialogs import open_dialog
    from ui.qt import QtCore

    dlg = open_dialog.OpenDatabaseDialog()
    qtbot.addWidget(dlg)
    dlg.server.clear()
    dlg.server.insert("postgresql://sochibo:bi-mat@may-chu/dangbo")
    dlg.server_choice.setChecked(True)
    dlg.accept()
    assert dlg.target is None and "mật khẩu" in dlg.problems.text() and "bi-mat" not in dlg.problems.text()
    dlg.server.clear()
    dlg.server.insert("may-chu/dangbo")
    dlg.accept()
    assert dlg.target is None and "postgresql://" in dlg.problems.text()
    dlg.file_choice.setChecked(True)
    dlg.file.setText(str(tmp_path / "khong-co.db"))
    dlg.accept()
    assert dlg.target is None and dlg.problems.isVisibleTo(dlg) and dlg.problems.text()
    started = []
    monkeypatch.setattr(QtCore.QProcess, "startDetached", lambda program, args: started.append(args) or True)

    def fill(d):
        d.server.clear()
        d.server.insert("postgresql://sochibo@may-chu/dangbo")
        d.server_choice.setChecked(True)
        d.accept()
        return d.result()

    monkeypatch.setattr(open_dialog.OpenDatabaseDialog, "exec", fill)
    assert open_dialog.open_other() == "postgresql://sochibo@may-chu/dangbo"
    assert started and started[0][-2:] == ["--db", "postgresql://sochibo@may-chu/dangbo"]
