"""Issue 15, item 2: the schema upgrade runs in one transaction; on any failure the file is verified
unchanged or the copy taken before the upgrade is put back; `check` detects a file whose tables are not
those of its version. Killed upgrades (SIGKILL at random moments) leave a sound file that opens.

CI kills SOCHIBO_UPGRADE_KILLS upgrades (default 8); `bench/upgrade_safety.py` runs the long counts
(200 kills, 50 upgrades on a really full disk) and docs/reliability.md records them.
"""
from __future__ import annotations

import datetime as dt
import os
import random
import sqlite3
import sys
from pathlib import Path

import pytest
from sqlalchemy import event

import main
from services import backup
from services import db as dbmod
from services import members as svc
from services.branch import BranchIdentity, set_identity
from services.db import SchemaMismatchError, UpgradeFailedError, head_revision, migrate, open_database
from services.integrity import check_file, check_structure

OLD = "0009b"       # the revision before this issue's
TODAY = dt.date(2025, 12, 15)
KILLS = int(os.environ.get("SOCHIBO_UPGRADE_KILLS", "8"))


def make_old_database(path: Path, members: int = 30) -> Path:
    """A branch database with members, events and history, taken back to revision OLD."""
    db = open_database(path, create=True)
    with db.begin() as s:
        set_identity(s, BranchIdentity(name="Chi bộ Nâng Cấp", parents=["ĐẢNG ỦY THỬ"], place="Trà Vinh"))
        for i in range(members):
            svc.add_member(s, svc.MemberInput(f"Đảng Viên Số {i}", dt.date(2005, 1, 1) + dt.timedelta(days=i),
                                              dt.date(2006, 2, 1) + dt.timedelta(days=i),
                                              dt.date(1950, 1, 1) + dt.timedelta(days=20 * i)), TODAY)
    migrate(db.engine, OLD, downgrade=True)
    db.close()
    con = sqlite3.connect(path)
    con.execute("VACUUM")       # no free pages left by the downgrade: the upgrade must grow the file
    con.close()
    return path


def revision(path: Path) -> str:
    return count(path, "SELECT version_num FROM alembic_version")


def count(path: Path, sql: str):
    from tests.test_crash_safety import _count

    return _count(path, sql)


def assert_as_before(path: Path, members: int = 30) -> None:
    assert check_file(path, full=True).ok
    assert revision(path) == OLD
    structure = check_structure(path)
    assert structure.schema_problems == [] and structure.revision == OLD
    assert count(path, "SELECT count(*) FROM member") == members


@pytest.fixture
def old(tmp_path):
    return make_old_database(tmp_path / "cu.db")


def _failing_engine(monkeypatch, when):
    """Engines made by services.db fail the first statement for which `when(statement)` is true."""
    real = dbmod.make_engine

    def make(path):
        engine = real(path)

        def before(conn, cursor, statement, params, context, executemany):
            if when(statement):
                raise sqlite3.OperationalError("database or disk is full")

        event.listen(engine, "before_cursor_execute", before)
        return engine

    monkeypatch.setattr(dbmod, "make_engine", make)


def test_a_failure_late_in_the_upgrade_leaves_the_file_exactly_as_before(old, monkeypatch):
    """Before: each statement committed on its own; a failure here left new columns and tables with the
    old version number, and the file never opened again while `check` said it was sound."""
    _failing_engine(monkeypatch, lambda sql: "uq_received_file_active_period" in sql)
    with pytest.raises(UpgradeFailedError) as err:
        open_database(old)
    assert "y như trước khi nâng cấp" in str(err.value) and "ổ đĩa đã đầy" in str(err.value)
    assert_as_before(old)
    monkeypatch.undo()
    db = open_database(old)        # space freed: the next opening upgrades it
    db.close()
    assert revision(old) == head_revision() and check_structure(old).ok


def test_an_upgrade_that_runs_out_of_pages_is_rolled_back(old, monkeypatch):
    """A really full database (SQLite's page limit stands for the disk): SQLITE_FULL in the middle."""
    real = dbmod.make_engine
    pages = count(old, "PRAGMA page_count")

    def make(path):
        engine = real(path)
        event.listen(engine, "connect", lambda con, _r: con.execute(f"PRAGMA max_page_count = {pages + 3}"))
        return engine

    monkeypatch.setattr(dbmod, "make_engine", make)
    with pytest.raises(UpgradeFailedError) as err:
        open_database(old)
    assert "ổ đĩa đã đầy" in str(err.value)
    assert_as_before(old)


def test_when_the_file_is_not_as_before_the_copy_is_put_back(old, monkeypatch):
    _failing_engine(monkeypatch, lambda sql: "uq_received_file_active_period" in sql)
    monkeypatch.setattr(dbmod, "_unchanged", lambda path, rev: False)
    with pytest.raises(UpgradeFailedError) as err:
        open_database(old)
    assert "đã được đặt lại" in str(err.value)
    assert_as_before(old)
    kept = list(backup.backups_folder(old).glob("*-nang-cap-loi.db"))
    assert len(kept) == 1 and str(kept[0]) in str(err.value)


def test_check_detects_tables_of_another_version_and_opening_names_the_copy(old, capsys):
    """What an interrupted upgrade of the older program left: a new column, a new table, the old number."""
    copy = backup.backup_before(old, backup.BEFORE_UPGRADE)
    con = sqlite3.connect(old)
    con.execute("ALTER TABLE member ADD COLUMN version INTEGER NOT NULL DEFAULT 1")
    con.execute("CREATE TABLE trust_extra (id INTEGER PRIMARY KEY)")
    con.commit()
    con.close()
    assert check_file(old, full=True).ok          # SQLite's own check finds nothing wrong...
    assert main.main(["check", "--db", str(old)]) == 1
    out = capsys.readouterr().out
    assert "KHÔNG KHỚP" in out and "member.version" in out and "trust_extra" in out
    before = old.read_bytes()
    with pytest.raises(SchemaMismatchError) as err:
        open_database(old)
    assert str(copy) in str(err.value) and "restore" in str(err.value)
    assert old.read_bytes() == before


def test_check_passes_on_an_upgraded_file(old, capsys):
    open_database(old).close()
    assert main.main(["check", "--db", str(old)]) == 0
    out = capsys.readouterr().out
    assert f"({head_revision()}): đạt" in out and "liền mạch" in out


@pytest.mark.skipif(sys.platform.startswith("win"), reason="SIGKILL and forkserver are POSIX only")
def test_killed_upgrades_leave_a_sound_file_that_opens(tmp_path):
    import multiprocessing

    from services.backup import online_backup
    from tests import crash_worker as w
    from tests.test_crash_safety import _run

    mp = multiprocessing.get_context("forkserver")
    mp.set_forkserver_preload(["tests.crash_worker"])
    base = make_old_database(tmp_path / "base.db")
    target = tmp_path / "target.db"
    rng = random.Random(int(os.environ.get("SOCHIBO_KILL_SEED", "15")))

    def fresh():
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(target) + suffix).unlink(missing_ok=True)
        online_backup(base, target, stamp=False)

    fresh()
    killed, times = _run(mp, w.upgrade_database, (str(target), "", False), None)
    assert not killed and revision(target) == head_revision()
    total = times["done"] - times["ready"]
    outcomes = {"old": 0, "upgraded": 0}
    for _i in range(KILLS):
        fresh()
        _run(mp, w.upgrade_database, (str(target), "", False), ("ready", rng.uniform(0, total)))
        assert check_file(target, full=True).ok
        # read as the check reads (a killed write may leave a hot journal only an opening rolls back)
        outcomes["upgraded" if check_structure(target).revision == head_revision() else "old"] += 1
        db = open_database(target)     # opens (upgrading what the kill left at the old version)
        db.close()
        assert revision(target) == head_revision() and check_structure(target).ok
        assert count(target, "SELECT count(*) FROM member") == 30
    print(f"\n{KILLS} upgrades killed: left at the old version {outcomes['old']}, upgraded {outcomes['upgraded']}")


def test_a_write_killed_in_rollback_journal_mode_leaves_a_file_that_checks_and_opens(old, tmp_path):
    """Backups (and so restored files) are in rollback-journal mode until their first opening. A write
    killed there leaves a hot -journal that a read-only reader may not roll back: the check used to say
    'cannot read now, close other programs' at every start, and the file never opened again."""
    import subprocess

    from services.backup import online_backup

    target = online_backup(old, tmp_path / "khoi-phuc.db", stamp=False)
    code = (
        "import sqlite3, os, sys\n"
        "c = sqlite3.connect(sys.argv[1]); c.execute('PRAGMA cache_size=8'); c.execute('BEGIN IMMEDIATE')\n"
        "for i in range(3000): c.execute('INSERT INTO setting (key, value) VALUES (?, ?)', (f'k{i}', 'x' * 500))\n"
        "c.execute('DELETE FROM member_event')\n"
        "os._exit(0)\n")
    subprocess.run([sys.executable, "-c", code, str(target)], check=True)
    journal = Path(str(target) + "-journal")
    assert journal.exists()
    before = (target.read_bytes(), journal.read_bytes())
    report = check_file(target, full=True)
    assert report.ok and report.path == target
    assert check_structure(target).schema_problems == []
    assert (target.read_bytes(), journal.read_bytes()) == before       # the check wrote nothing
    db = open_database(target)       # SQLite rolls the killed write back; the upgrade follows
    db.close()
    assert count(target, "SELECT count(*) FROM member_event") > 0
    assert count(target, "SELECT count(*) FROM setting WHERE key LIKE 'k%'") == 0
