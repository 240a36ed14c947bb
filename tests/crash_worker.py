"""Work done in a child process that tests/test_crash_safety.py kills with SIGKILL at random moments.

Each function reports its progress on a pipe: ("ready", t) just before the long write starts,
("committing", t) just before the commit, ("done", t) after it. Imported once by the forkserver, so
that a child starts in milliseconds.
"""
from __future__ import annotations

import csv
import datetime as dt
import time

from alembic import command as _alembic_command  # noqa: F401  (preloaded: a child upgrades at once)
from sqlalchemy import event
from sqlalchemy.engine import Engine

# Imported here, once, by the forkserver: each child then starts without importing anything.
from models import EventKind, Member
from services import member_import
from services import members as svc
from services.backup import restore
from services.cli import build_parser, dispatch
from services.db import open_database
from services.members import EventInput

TODAY = dt.date(2025, 12, 15)
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Võ", "Đặng", "Bùi", "Đỗ"]
MIDDLE = ["Văn", "Thị", "Minh", "Hữu", "Ngọc", "Thanh", "Quốc", "Kim"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Đức", "Hà", "Hạnh", "Lan", "Long", "Mai", "Nam", "Phúc", "Ý"]


def batch_name(i: int) -> str:
    return f"{FAMILY[i % 10]} {MIDDLE[(i // 10) % 8]} {GIVEN[(i // 80) % 13]} {i}"


def _open(path: str, small_cache: bool):
    db = open_database(path)
    if small_cache:
        # A tiny page cache makes SQLite write uncommitted pages into the -wal file long before the
        # commit: a kill then leaves frames of a transaction that never committed.
        db.engine.dispose()
        event.listen(db.engine, "connect", lambda con, _r: con.execute("PRAGMA cache_size=8"))
    return db


def import_csv(folder: str, n: int, tag: str) -> str:
    """A member list as offices keep it: n members, each with `tag` in the note column."""
    path = f"{folder}/{tag}.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["STT", "Họ và tên", "Ngày sinh", "Ngày vào Đảng", "Ghi chú"])
        for i in range(n):
            writer.writerow([i + 1, list_name(i), (dt.date(1980, 1, 1) + dt.timedelta(days=3 * i)).strftime("%d/%m/%Y"),
                             (dt.date(2010, 1, 1) + dt.timedelta(days=i)).strftime("%d/%m/%Y"), tag])
    return path


def list_name(i: int) -> str:
    return f"{FAMILY[i % 10]} {MIDDLE[(i // 10) % 8]} {GIVEN[(i // 80) % 13]}"


def import_members(path: str, csv_path: str, small_cache: bool, conn) -> None:
    """Scenario A: the program's own `members import FILE` (services.cli, as main.py runs it), whose
    write path is the import dialog's too (services.member_import.import_members)."""
    if small_cache:
        # A tiny page cache makes SQLite write uncommitted pages into the -wal file long before the
        # commit: a kill then leaves frames of a transaction that never committed.
        event.listen(Engine, "connect", lambda con, _r: con.execute("PRAGMA cache_size=8"))
    written = member_import.apply_import

    def write_then_report(*args, **kwargs):  # the rows are written; the commit comes next
        ids = written(*args, **kwargs)
        conn.send(("committing", time.monotonic()))
        return ids

    member_import.apply_import = write_then_report
    conn.send(("ready", time.monotonic()))
    code = dispatch(build_parser().parse_args(["members", "import", "--db", path, csv_path]))
    conn.send(("done", time.monotonic()))
    if code != 0:
        raise SystemExit(code)


def record_leave(path: str, n: int, tag: str, small_cache: bool, conn) -> None:
    """Scenario B: a batch of events, a sick leave recorded for every member, and a note changed."""
    db = _open(path, small_cache)
    conn.send(("ready", time.monotonic()))
    with db.begin() as session:
        for member in session.query(Member).order_by(Member.id).all():
            svc.add_event(session, member.id, EventInput(EventKind.SICK_LEAVE, dt.date(2025, 3, 1),
                                                         dt.date(2025, 6, 30), reason=tag), TODAY)
            member.note = tag
            session.flush()
        conn.send(("committing", time.monotonic()))
    conn.send(("done", time.monotonic()))
    db.close()


def restore_backup(path: str, source: str, tag: str, small_cache: bool, conn) -> None:
    """Scenario C: a restore (safety copy, -wal/-shm removal, rename) killed half-way."""
    conn.send(("ready", time.monotonic()))
    conn.send(("committing", time.monotonic()))
    restore(path, source)
    conn.send(("done", time.monotonic()))


def upgrade_database(path: str, tag: str, small_cache: bool, conn) -> None:
    """Issue 15: the schema upgrade of an older database (backup, then the migrations in one transaction)."""
    conn.send(("ready", time.monotonic()))
    conn.send(("committing", time.monotonic()))
    db = open_database(path)
    conn.send(("done", time.monotonic()))
    db.close()
