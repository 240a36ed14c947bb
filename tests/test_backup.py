"""Backups: consistent copies, rotation, preview, restore; integrity checks before anything writes."""
from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic import command

from services import audit, backup, integrity
from services import members as svc
from services.branch import BranchIdentity, set_identity
from services.db import alembic_config, head_revision, make_engine, open_database
from services.errors import UserError

TODAY = dt.date(2025, 12, 15)
# SQLite files by nature: page copies, WAL, damaged files. Backups of a server: tests/test_server.py.
pytestmark = pytest.mark.sqlite_only


def add(db, name: str, birth=dt.date(1980, 1, 1)) -> int:
    with db.begin() as s:
        return svc.add_member(s, svc.MemberInput(name, dt.date(2010, 1, 1), dt.date(2011, 2, 1), birth), TODAY).id


def names(path: Path) -> list[str]:
    con = sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True)
    try:
        return sorted(r[0] for r in con.execute("SELECT full_name FROM member"))
    finally:
        con.close()


def corrupt(path: Path) -> None:
    """Overwrite the start of the last page: a b-tree page no longer parses (as a failing disk would)."""
    size = path.stat().st_size
    with path.open("r+b") as fh:
        fh.seek(size - 4096)
        fh.write(b"\xff" * 64)


def test_backup_of_a_live_database_holds_changes_still_in_the_wal(db, tmp_path):
    add(db, "Nguyễn Văn An")
    # Keep a connection open so SQLite cannot fold the -wal file into the database file.
    with db.engine.connect() as holder:
        holder.exec_driver_sql("PRAGMA wal_autocheckpoint=0")
        add(db, "Lê Thị Bình")
        assert Path(str(db.path) + "-wal").stat().st_size > 0
        copy = backup.online_backup(db.path, tmp_path / "usb" / "copy.db")
    assert names(copy) == ["Lê Thị Bình", "Nguyễn Văn An"]
    assert not Path(str(copy) + "-wal").exists()
    con = sqlite3.connect(copy)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one self-contained file
    con.close()
    assert not list(copy.parent.glob("*.part"))


def test_backup_before_names_the_reason_for_other_areas(db):
    add(db, "Nguyễn Văn An")
    path = backup.backup_before(db.path, "truoc-khoa-so")
    assert path.parent == db.path.parent / "backups"
    assert path.name.startswith("chibo-") and path.name.endswith("-truoc-khoa-so.db")
    info = backup.inspect_backup(path)
    assert info.ok and info.reason_label == "Trước khi khóa sổ"


def test_preview_shows_branch_date_members_and_version(db):
    for name in ("Nguyễn Văn An", "Lê Thị Bình", "Trần Văn Cường"):
        add(db, name)
    when = dt.datetime(2026, 2, 3, 8, 15)
    info = backup.backup_now(db.path, now=when)
    assert info.ok
    assert info.branch_name == "Chi bộ Văn phòng Sở"
    assert info.taken_at == when
    assert info.member_count == 3
    assert info.schema_version == head_revision()
    assert info.summary() == (f"Chi bộ Văn phòng Sở, sao lưu lúc 03/02/2026 08:15, 3 đảng viên, "
                              f"phiên bản dữ liệu {info.schema_version}")
    # Copied elsewhere (USB stick) under another name, the preview still knows the date.
    usb = shutil.copy(info.path, db.path.parent / "mang-ve.db")
    assert backup.inspect_backup(Path(usb)).taken_at == when


def test_member_count_is_of_members_in_the_branch_on_the_backup_date(db):
    keep = add(db, "Nguyễn Văn An")
    gone = add(db, "Lê Thị Bình")
    with db.begin() as s:
        svc.add_event(s, gone, svc.EventInput(svc.EventKind.TRANSFER_OUT, dt.date(2024, 5, 1),
                                              other_org="Chi bộ khác"), TODAY)
    assert keep
    info = backup.backup_now(db.path, now=dt.datetime(2025, 1, 1, 9, 0))
    assert info.member_count == 1


def test_daily_backup_once_a_day_and_rotation_keeps_days_and_months(db):
    add(db, "Nguyễn Văn An")
    start = dt.datetime(2025, 1, 1, 8, 0)
    made = []
    for day in range(120):  # four months of daily starts, two starts a day
        for hour in (8, 14):
            made.append(backup.daily_backup(db.path, keep_daily=7, keep_monthly=12,
                                            now=start + dt.timedelta(days=day, hours=hour - 8)))
    assert sum(p is not None for p in made) == 120  # the second start of a day makes nothing
    upgrade = backup.backup_before(db.path, "truoc-nang-cap", now=start)  # never rotated away
    backup.rotate(db.path, 7, 12)
    kept = sorted(i.taken_at for i in backup.list_backups(db.path) if i.reason == backup.DAILY)
    last = start + dt.timedelta(days=119)
    days = [last - dt.timedelta(days=d) for d in range(7)]
    month_ends = [dt.datetime(2025, 1, 31, 8), dt.datetime(2025, 2, 28, 8), dt.datetime(2025, 3, 31, 8)]
    assert kept == sorted(month_ends + days)
    assert upgrade.exists()


def test_rotation_counts_are_settings_of_the_database(db):
    from services import settings

    with db.begin() as s:
        settings.put(s, backup.KEEP_DAILY.key, 2)
        settings.put(s, backup.KEEP_MONTHLY.key, 0)
    assert backup.rotation_counts(db.path) == (2, 0)
    for day in range(5):
        backup.daily_backup(db.path, *backup.rotation_counts(db.path), now=dt.datetime(2025, 3, 1 + day, 9))
    assert len(backup.list_backups(db.path)) == 2
    with pytest.raises(UserError):
        with db.begin() as s:
            settings.put(s, backup.KEEP_DAILY.key, 0)


def test_restore_replaces_content_after_a_copy_of_the_current_state(db):
    add(db, "Nguyễn Văn An")
    saved = backup.backup_now(db.path)
    add(db, "Lê Thị Bình")
    path = db.path
    db.close()
    result = backup.restore(path, saved.path)
    for suffix in ("-wal", "-shm", "-journal"):
        assert not Path(str(path) + suffix).exists()
    assert names(path) == ["Nguyễn Văn An"]
    assert names(result.safety_copy) == ["Lê Thị Bình", "Nguyễn Văn An"]
    assert result.safety_copy.name.endswith("-truoc-khoi-phuc.db")
    again = open_database(path)
    with again.begin() as s:
        latest = audit.audit_entries(s, limit=1)[0]
        assert latest.action == audit.RESTORE and saved.path.name in latest.new
        from services import settings
        assert s.get(settings.Setting, backup.TAKEN_AT_KEY) is None  # the copy's stamp is not kept
    again.close()


def test_restore_never_replays_a_stale_wal_onto_the_restored_file(db, tmp_path):
    add(db, "Nguyễn Văn An")
    saved = backup.backup_now(db.path)
    # A crash leaves the database with committed changes still in its -wal file.
    with db.engine.connect() as holder:
        holder.exec_driver_sql("PRAGMA wal_autocheckpoint=0")
        for name in ("Lê Thị Bình", "Trần Văn Cường", "Phạm Thị Dung"):
            add(db, name)
        crashed = tmp_path / "crashed"
        crashed.mkdir()
        for suffix in ("", "-wal"):
            shutil.copy(str(db.path) + suffix, str(crashed / "chibo.db") + suffix)
    db.close()
    target = crashed / "chibo.db"
    assert Path(str(target) + "-wal").stat().st_size > 0
    result = backup.restore(target, saved.path)
    assert integrity.check_file(target, full=True).clean
    assert names(target) == ["Nguyễn Văn An"]
    # The crashed state, with what was in its -wal, is in the safety copy.
    assert names(result.safety_copy) == ["Lê Thị Bình", "Nguyễn Văn An", "Phạm Thị Dung", "Trần Văn Cường"]


def test_restore_stopped_before_the_new_file_is_in_place_keeps_every_committed_change(db, tmp_path, monkeypatch):
    """The old -wal is removed before the restored file is moved in; a restore stopped between the two
    (power cut, crash) must leave the old database whole, so its -wal is folded in first (checkpoint)."""
    add(db, "Nguyễn Văn An")
    saved = backup.backup_now(db.path)
    with db.engine.connect() as holder:
        holder.exec_driver_sql("PRAGMA wal_autocheckpoint=0")
        add(db, "Lê Thị Bình")  # committed, still only in the -wal file
        crashed = tmp_path / "crashed"
        crashed.mkdir()
        for suffix in ("", "-wal"):
            shutil.copy(str(db.path) + suffix, str(crashed / "chibo.db") + suffix)
    db.close()
    target = crashed / "chibo.db"

    real_replace = backup.os.replace

    def power_cut(src, dst):
        if Path(dst) == target:
            raise OSError("the machine stopped here, before the restored file was moved in")
        real_replace(src, dst)

    monkeypatch.setattr(backup.os, "replace", power_cut)
    with pytest.raises(OSError):
        backup.restore(target, saved.path)
    assert not Path(str(target) + "-wal").exists()
    assert integrity.check_file(target, full=True).clean
    assert names(target) == ["Lê Thị Bình", "Nguyễn Văn An"]


def test_restore_refuses_bad_files_and_changes_nothing(db, tmp_path):
    add(db, "Nguyễn Văn An")
    db.close()
    before = db.path.read_bytes()
    text = tmp_path / "danh-sach.db"
    text.write_text("Họ và tên\nNguyễn Văn A\n", encoding="utf-8")
    other = tmp_path / "other.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    damaged = backup.backup_before(db.path, "sao-luu")
    corrupt(damaged)
    newer = backup.backup_before(db.path, "sao-luu")
    con = sqlite3.connect(newer)
    con.execute("UPDATE alembic_version SET version_num = '9999_future'")
    con.commit()
    con.close()
    expected = {text: "không phải là dữ liệu của Sổ chi bộ", other: "không phải là dữ liệu của Sổ chi bộ",
                damaged: "bị hỏng", newer: "phiên bản Sổ chi bộ mới hơn"}
    for bad, words in expected.items():
        info = backup.inspect_backup(bad)
        assert not info.ok and words in info.problem
        with pytest.raises(UserError) as err:
            backup.restore(db.path, bad)
        assert words in str(err.value)
    with pytest.raises(UserError):
        backup.restore(db.path, db.path)
    assert db.path.read_bytes() == before
    assert not list(tmp_path.glob("*.restoring*"))


def test_restore_of_an_older_backup_upgrades_it(tmp_path):
    old = tmp_path / "old.db"
    engine = make_engine(old)
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        conn.exec_driver_sql("INSERT INTO branch (uid, kind, name, parents, place, secretary, deputy_secretary) "
                             "VALUES ('u', 'branch', 'Chi bộ Cũ', '[]', 'Huế', '', '')")
    engine.dispose()
    current = open_database(tmp_path / "now.db", create=True)
    current.close()
    result = backup.restore(current.path, old)
    assert result.restored.schema_version == "0001"
    db = open_database(current.path)  # already upgraded by the restore
    assert db.upgrade_backup is None
    db.close()


def test_damaged_database_is_refused_untouched_naming_the_newest_good_backup(db):
    add(db, "Nguyễn Văn An")
    older = backup.backup_before(db.path, "sao-luu", now=dt.datetime(2025, 1, 1, 8))
    good = backup.backup_before(db.path, "sao-luu", now=dt.datetime(2025, 2, 1, 8))
    bad = backup.backup_before(db.path, "sao-luu", now=dt.datetime(2025, 3, 1, 8))
    corrupt(bad)
    assert older.exists()
    db.close()
    corrupt(db.path)
    before = db.path.read_bytes()
    with pytest.raises(integrity.DamagedDatabaseError) as err:
        open_database(db.path)
    assert db.path.read_bytes() == before
    assert err.value.backup.path == good
    message = str(err.value)
    assert "bị hỏng" in message and str(good) in message and "restore --db" in message


def test_restore_over_a_damaged_database_keeps_it_as_it_was(db):
    add(db, "Nguyễn Văn An")
    good = backup.backup_now(db.path)
    db.close()
    corrupt(db.path)
    damaged_bytes = db.path.read_bytes()
    result = backup.restore(db.path, good.path)
    assert result.safety_copy.name.endswith("-ban-hong.db")
    assert result.safety_copy.read_bytes() == damaged_bytes
    assert names(db.path) == ["Nguyễn Văn An"]
    open_database(db.path).close()


def test_foreign_key_problems_are_found_but_are_not_damage(db):
    member = add(db, "Nguyễn Văn An")
    db.close()
    con = sqlite3.connect(db.path)
    con.execute("PRAGMA foreign_keys=OFF")
    con.execute("DELETE FROM member WHERE id = ?", (member,))
    con.commit()
    con.close()
    report = integrity.check_file(db.path, full=True)
    assert report.ok and not report.clean
    assert {(t, p) for t, _r, p in report.foreign_key_problems} == {("member_event", "member")}
    assert integrity.foreign_key_problems(db.path)
    open_database(db.path).close()  # still opens: the file itself is sound


def test_a_database_found_damaged_while_open_refuses_writes(db):
    integrity.block_writes(db)
    with pytest.raises(integrity.WritesBlockedError) as err:
        add(db, "Nguyễn Văn An")
    assert "bị hỏng" in str(err.value)
    assert names(db.path) == []


def test_a_database_found_damaged_while_open_refuses_an_import(db, tmp_path):
    """An import writes its rows in bulk statements, not through the flush: refused all the same."""
    from services.member_import import apply_import, read_import

    sheet = tmp_path / "ds.csv"
    sheet.write_text("Họ và tên;Ngày vào Đảng\nNguyễn Văn An;01/01/2010\n", encoding="utf-8")
    preview = read_import(sheet, today=dt.date(2025, 1, 1))
    integrity.block_writes(db)
    with pytest.raises(integrity.WritesBlockedError), db.begin() as s:
        apply_import(s, preview, dt.date(2025, 1, 1))
    assert names(db.path) == []


def test_busy_or_missing_is_not_called_damage(tmp_path):
    assert not integrity.is_damage(sqlite3.OperationalError("database is locked"))
    with pytest.raises(integrity.UnreadableDatabaseError):
        integrity.check_file(tmp_path / "none.db")


def test_fresh_database_from_init_is_sound(tmp_path):
    database = open_database(tmp_path / "new.db", create=True)
    with database.begin() as s:
        set_identity(s, BranchIdentity(name="Chi bộ A", parents=["ĐU"], place="Huế"))
    database.close()
    assert integrity.check_file(tmp_path / "new.db", full=True).clean
