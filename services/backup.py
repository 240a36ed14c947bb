"""Backups (sao lưu): consistent copies of a live database, their rotation, preview and restore.

Every copy is made with SQLite's online backup API (never a file copy of a database in WAL mode, whose
last changes may still be in the -wal file), written to `NAME.part`, checked with `PRAGMA quick_check`,
flushed to disk and only then renamed into place: a copy that exists is complete.

Backups sit in the `backups` folder beside the database (for the default database: the data folder),
named `<file>-<YYYYMMDD>-<HHMMSS>-<reason>.db`:

* `hang-ngay`: the automatic copy at the first start of each day (`daily_backup`);
* `sao-luu`: "Sao lưu ngay" without a chosen place, and `python main.py backup` without `--out`;
* `truoc-nang-cap`: before the schema of the database is upgraded (services.db);
* `truoc-khoa-so`: before a year is closed (`backup_before(path, "truoc-khoa-so")`);
* `truoc-khoi-phuc`: the current state, before a restore replaces it;
* `ban-hong`: a damaged file kept as it was (a raw copy) before a restore replaced it.

The first two are rotated: the last copy of each of the newest `backup.keep_daily` days (default 7) and
the last copy of each of the newest `backup.keep_monthly` months (default 12) are kept, older ones deleted.
Copies taken for a reason are never deleted by the program.

A database on a server (services/server.py) is backed up the same way, into an SQLite file of the same
version: its rows read in one snapshot (`server.export_to_file`). Its backups sit in the user's data
folder, `backups/<server>-<database>`; a restore puts the rows of such a file back on the server in one
transaction (`server.import_from_file`). There is no automatic daily copy of a server database on each
office computer: the server's own backups (pg_dump, docs/committee-server.md) cover it.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import shutil
import sqlite3
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

from .errors import UserError
from .i18n import N_, _, format_date
from .integrity import UnreadableDatabaseError, check_file, connect_read_only
from .location import Location, location_of
from .settings import declare

log = logging.getLogger("sochibo.backup")

KEEP_DAILY = declare(
    "backup.keep_daily", int, 7,
    N_("Automatic backups: for how many days the last backup of the day is kept."), minimum=1, maximum=366)
KEEP_MONTHLY = declare(
    "backup.keep_monthly", int, 12,
    N_("Automatic backups: for how many months the last backup of the month is kept."), minimum=0, maximum=240)

DAILY = "hang-ngay"
ON_REQUEST = "sao-luu"
BEFORE_UPGRADE = "truoc-nang-cap"
BEFORE_YEAR_CLOSE = "truoc-khoa-so"
BEFORE_RESTORE = "truoc-khoi-phuc"
DAMAGED_COPY = "ban-hong"
ROUTINE = {DAILY, ON_REQUEST}

REASON_LABELS = {
    DAILY: N_("Automatic (daily)"),
    ON_REQUEST: N_("Backup made on request"),
    BEFORE_UPGRADE: N_("Before an upgrade of the program"),
    BEFORE_YEAR_CLOSE: N_("Before closing the year"),
    BEFORE_RESTORE: N_("Before a restore"),
    DAMAGED_COPY: N_("Damaged file kept as it was"),
    "nang-cap-loi": N_("File of a failed upgrade, kept as it was"),
}

# Written into each copy (not into the database itself): when the copy was taken.
TAKEN_AT_KEY = "backup.taken_at"
STALE_PART_SECONDS = 3600

_NAME = re.compile(r"^(?P<stem>.+)-(?P<day>\d{8})-(?P<time>\d{6})-(?P<reason>[a-z]+(?:-[a-z]+)*?)(?:-(?P<n>\d+))?\.db$")


# --- making copies -----------------------------------------------------------------------------

def online_backup(src: Path | str | Location, dest: Path | str, taken_at: dt.datetime | None = None,
                  stamp: bool = True) -> Path:
    """Copy the database at `src` to `dest` page by page, consistent even while in use (WAL).

    The copy is in rollback-journal mode (one self-contained file), carries the time it was taken
    (`stamp`), and is checked before it replaces `dest`. Raises UserError when the copy fails its check.
    A server database is copied row by row from one snapshot into a file of the same version.
    """
    location = location_of(src)
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".part")
    tmp.unlink(missing_ok=True)
    taken_at = taken_at or dt.datetime.now()
    try:
        if location.path is not None:
            _page_copy(location.path, tmp)
        else:
            _server_copy(location, tmp)
        if stamp:
            target = sqlite3.connect(tmp)
            try:
                _stamp(target, taken_at)
            finally:
                target.close()
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    report = check_file(tmp, full=False, foreign_keys=False)
    if not report.ok:
        tmp.unlink(missing_ok=True)
        raise UserError(_("The copy of {path} fails the integrity check; the database itself may be damaged. "
                          "Run: python main.py check --db \"{path}\"").format(path=location.display))
    _fsync_file(tmp)
    tmp.replace(dest)
    _fsync_dir(dest.parent)
    log.info("Backup of %s written to %s", location.display, dest)
    return dest


def _page_copy(src: Path, dest: Path) -> None:
    source = connect_read_only(src)
    try:
        target = sqlite3.connect(dest)
        try:
            source.backup(target)
            target.execute("PRAGMA journal_mode=DELETE")
        finally:
            target.close()
    finally:
        source.close()


def _server_copy(location: Location, dest: Path) -> None:
    from .db import make_engine
    from .server import export_to_file

    engine = make_engine(location)
    try:
        export_to_file(engine, dest)
    finally:
        engine.dispose()


def _stamp(con: sqlite3.Connection, taken_at: dt.datetime) -> None:
    try:
        with con:
            con.execute("DELETE FROM setting WHERE key = ?", (TAKEN_AT_KEY,))
            con.execute("INSERT INTO setting (key, value) VALUES (?, ?)",
                        (TAKEN_AT_KEY, json.dumps(taken_at.isoformat(timespec="seconds"))))
    except sqlite3.OperationalError:  # not a Sổ chi bộ database: the copy is still a copy
        pass


def _fsync_file(path: Path) -> None:
    with path.open("rb+") as fh:
        os.fsync(fh.fileno())


def _fsync_dir(path: Path) -> None:
    if sys.platform.startswith("win"):
        return  # Windows has no directory handles to flush; NTFS journals the rename itself
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _new_name(db: Path | str | Location, reason: str, now: dt.datetime) -> Path:
    location = location_of(db)
    stamp = now.strftime("%Y%m%d-%H%M%S")
    folder = location.backups_folder()
    folder.mkdir(parents=True, exist_ok=True)
    dest = folder / f"{location.stem}-{stamp}-{reason}.db"
    n = 1
    while dest.exists():
        n += 1
        dest = folder / f"{location.stem}-{stamp}-{reason}-{n}.db"
    return dest


def backup_before(db_path: Path | str | Location, reason: str, now: dt.datetime | None = None) -> Path:
    """A dated backup beside the database, named after why it was taken (e.g. 'truoc-khoa-so')."""
    now = now or dt.datetime.now()
    return online_backup(db_path, _new_name(db_path, reason, now), taken_at=now)


def daily_backup(db_path: Path | str | Location, keep_daily: int = KEEP_DAILY.default,
                 keep_monthly: int = KEEP_MONTHLY.default, now: dt.datetime | None = None) -> Path | None:
    """The first start of a day makes a copy and rotates the old ones; later starts that day do nothing.

    A server database has none (its server is backed up by the office, docs/committee-server.md)."""
    if location_of(db_path).is_server:
        return None
    now = now or dt.datetime.now()
    if any(taken.date() == now.date() for taken, _p in _routine(db_path)):
        return None
    path = online_backup(db_path, _new_name(db_path, DAILY, now), taken_at=now)
    rotate(db_path, keep_daily, keep_monthly)
    return path


def backup_now(db_path: Path | str | Location, out: Path | str | None = None, keep_daily: int = KEEP_DAILY.default,
               keep_monthly: int = KEEP_MONTHLY.default, now: dt.datetime | None = None) -> BackupInfo:
    """"Sao lưu ngay": to `out` (a USB stick), or into the backups folder with rotation. The copy's preview."""
    location = location_of(db_path)
    now = now or dt.datetime.now()
    if out is not None:
        out = Path(out)  # exactly the file asked for (nothing appended to its name)
        if out.exists() and location.path is not None and out.resolve() == location.path.resolve():
            raise UserError(_("Choose another file: a backup cannot replace the database itself."))
        path = online_backup(db_path, out, taken_at=now)
    else:
        path = online_backup(db_path, _new_name(db_path, ON_REQUEST, now), taken_at=now)
        rotate(db_path, keep_daily, keep_monthly)
    return inspect_backup(path)


def rotation_counts(db_path: Path | str | Location) -> tuple[int, int]:
    """The database's settings (keep_daily, keep_monthly), read without opening it for writing."""
    values = {KEEP_DAILY.key: KEEP_DAILY.default, KEEP_MONTHLY.key: KEEP_MONTHLY.default}
    location = location_of(db_path)
    rows: list = []
    if location.path is not None:
        try:
            con = connect_read_only(location.path)
            try:
                rows = con.execute("SELECT key, value FROM setting WHERE key IN (?, ?)", tuple(values)).fetchall()
            finally:
                con.close()
        except sqlite3.Error:
            rows = []
    else:
        rows = _server_settings(location, list(values))
    for key, raw in rows:
        spec = KEEP_DAILY if key == KEEP_DAILY.key else KEEP_MONTHLY
        try:
            values[key] = spec.validate(json.loads(raw) if isinstance(raw, str) else raw)
        except (ValueError, TypeError, UserError):
            pass
    return values[KEEP_DAILY.key], values[KEEP_MONTHLY.key]


def _server_settings(location: Location, keys: list[str]) -> list:
    from sqlalchemy import JSON, Column, MetaData, String, Table, select

    from .db import make_engine

    setting = Table("setting", MetaData(), Column("key", String), Column("value", JSON))
    engine = make_engine(location)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(select(setting.c.key, setting.c.value)
                                                   .where(setting.c.key.in_(keys)))]
    finally:
        engine.dispose()


# --- which copies exist, rotation --------------------------------------------------------------

def parse_name(path: Path) -> tuple[str, dt.datetime, str] | None:
    """(database stem, time, reason) from a backup's file name, or None for a name we did not give."""
    m = _NAME.match(path.name)
    if not m:
        return None
    try:
        taken = dt.datetime.strptime(m["day"] + m["time"], "%Y%m%d%H%M%S")
    except ValueError:
        return None
    return m["stem"], taken, m["reason"]


def backups_folder(db_path: Path | str | Location) -> Path:
    """Where the backups of this database are (not created here)."""
    return location_of(db_path).backups_folder()


def _own_files(db_path: Path | str | Location) -> list[tuple[dt.datetime, str, Path]]:
    location = location_of(db_path)
    folder = location.backups_folder()
    if not folder.is_dir():
        return []
    out = []
    for path in folder.glob("*.db"):
        parsed = parse_name(path)
        if parsed and parsed[0] == location.stem:
            out.append((parsed[1], parsed[2], path))
    out.sort(key=lambda t: (t[0], t[2].name), reverse=True)
    return out


def _routine(db_path: Path | str | Location) -> list[tuple[dt.datetime, Path]]:
    return [(taken, path) for taken, reason, path in _own_files(db_path) if reason in ROUTINE]


def rotate(db_path: Path | str | Location, keep_daily: int = KEEP_DAILY.default,
           keep_monthly: int = KEEP_MONTHLY.default) -> list[Path]:
    """Delete routine copies beyond the last one of each of the newest days and months; returns them."""
    db_path = location_of(db_path)
    keep: set[Path] = set()
    days: list[dt.date] = []
    months: list[tuple[int, int]] = []
    for taken, path in _routine(db_path):  # newest first: the first seen of a day/month is its last copy
        day, month = taken.date(), (taken.year, taken.month)
        if day not in days:
            days.append(day)
            if len(days) <= keep_daily:
                keep.add(path)
        if month not in months:
            months.append(month)
            if len(months) <= keep_monthly:
                keep.add(path)
    deleted = []
    for _taken, path in _routine(db_path):
        if path not in keep:
            try:
                path.unlink()
                deleted.append(path)
            except OSError as exc:
                log.warning("Could not delete old backup %s: %s", path, exc)
    folder = backups_folder(db_path)
    now = dt.datetime.now().timestamp()
    for part in folder.glob("*.part"):  # left by a copy that was interrupted
        try:
            if now - part.stat().st_mtime > STALE_PART_SECONDS:
                part.unlink()
        except OSError:
            pass
    if deleted:
        log.info("Rotation deleted %d old backups of %s", len(deleted), db_path.display)
    return deleted


# --- what a copy holds -------------------------------------------------------------------------

@dataclass
class BackupInfo:
    """What a backup holds, for the restore preview. `problem` says why it cannot be restored."""

    path: Path
    taken_at: dt.datetime | None
    reason: str = ""
    ok: bool = False
    problem: str = ""
    branch_name: str = ""
    member_count: int | None = None
    schema_version: str = ""
    size: int = 0

    @property
    def reason_label(self) -> str:
        if self.reason in REASON_LABELS:
            return _(REASON_LABELS[self.reason])
        return self.reason or _("Chosen file")

    @property
    def taken_text(self) -> str:
        if self.taken_at is None:
            return ""
        return f"{format_date(self.taken_at.date())} {self.taken_at:%H:%M}"

    def summary(self) -> str:
        """One line: 'Chi bộ X, sao lưu lúc 02/03/2026 08:15, 25 đảng viên, phiên bản dữ liệu 0001'."""
        if not self.ok:
            return _("{file}: cannot be restored: {problem}").format(file=self.path.name, problem=self.problem)
        return _("{branch}, backup of {when}, {count} members, data version {version}").format(
            branch=self.branch_name or "?", when=self.taken_text or "?",
            count="?" if self.member_count is None else self.member_count, version=self.schema_version)

    def contents(self) -> str:
        """What a database (not a backup) holds: 'Chi bộ X, 25 đảng viên, phiên bản dữ liệu 0001'."""
        return _("{branch}, {count} members, data version {version}").format(
            branch=self.branch_name or "?", count="?" if self.member_count is None else self.member_count,
            version=self.schema_version)


def inspect_backup(path: Path | str, full: bool = False) -> BackupInfo:
    """Read a backup without writing to it: is it sound and ours, and what does it hold."""
    path = Path(path)
    parsed = parse_name(path)
    info = BackupInfo(path=path, taken_at=parsed[1] if parsed else None, reason=parsed[2] if parsed else "")
    try:
        info.size = path.stat().st_size
        report = check_file(path, full=full, foreign_keys=False)
    except (OSError, UnreadableDatabaseError) as exc:
        info.problem = str(exc) if isinstance(exc, UserError) else _("Cannot read the file: {error}").format(error=exc)
        return info
    if report.not_sqlite or info.size == 0:
        info.problem = _("the file is not a Sổ chi bộ database.")
        return info
    if not report.ok:
        info.problem = _("the file is damaged or is not a Sổ chi bộ database.")
        return info
    from sqlalchemy import create_engine

    engine = create_engine("sqlite://", creator=lambda: connect_read_only(path))
    try:
        _read_contents(engine, info, lambda: dt.datetime.fromtimestamp(path.stat().st_mtime))
    except Exception as exc:  # any SQL error: not one of ours, or damaged in a way the check missed
        log.info("Backup %s not readable: %s", path, exc)
        info.problem = info.problem or _("the file is damaged or is not a Sổ chi bộ database.")
        info.ok = False
    finally:
        engine.dispose()
    return info


def inspect_database(target: Path | str | Location) -> BackupInfo:
    """What a database holds (branch, members, version), read without writing: a file like a backup; a
    server database through its connection (its `path` is then where its backups go)."""
    location = location_of(target)
    if location.path is not None:
        return inspect_backup(location.path)
    from .db import make_engine

    info = BackupInfo(path=location.backups_folder(), taken_at=None)
    engine = make_engine(location)
    try:
        _read_contents(engine, info, dt.datetime.now)
    finally:
        engine.dispose()
    info.taken_at = None
    return info


def _read_contents(engine, info: BackupInfo, fallback_time: Callable[[], dt.datetime]) -> None:
    from sqlalchemy import Column, Date, Integer, MetaData, String, Table, inspect, select

    from .membership import state_on

    meta = MetaData()
    version = Table("alembic_version", meta, Column("version_num", String))
    branch = Table("branch", meta, Column("id", Integer), Column("name", String))
    member = Table("member", meta, Column("id", Integer))
    event = Table("member_event", meta, Column("id", Integer), Column("member_id", Integer),
                  Column("kind", String), Column("date", Date), Column("end_date", Date), Column("form", String))
    setting = Table("setting", meta, Column("key", String), Column("value", String))
    with engine.connect() as conn:
        names = set(inspect(conn).get_table_names())
        if not {"alembic_version", "branch", "member", "member_event", "setting"} <= names:
            info.problem = _("the file is not a Sổ chi bộ database.")
            return
        info.schema_version = conn.execute(select(version.c.version_num)).scalar() or ""
        if not _known_revision(info.schema_version):
            info.problem = _("it was written by a newer version of Sổ chi bộ.")
            return
        info.branch_name = conn.execute(select(branch.c.name).order_by(branch.c.id).limit(1)).scalar() or ""
        stamp = conn.execute(select(setting.c.value).where(setting.c.key == TAKEN_AT_KEY)).scalar()
        if stamp:
            try:
                info.taken_at = dt.datetime.fromisoformat(json.loads(stamp) if stamp.startswith('"') else stamp)
            except (ValueError, TypeError, AttributeError):
                pass
        if info.taken_at is None:
            info.taken_at = fallback_time().replace(microsecond=0)
        on = info.taken_at.date()
        events: dict[int, list] = {mid: [] for mid in conn.execute(select(member.c.id)).scalars()}
        for row in conn.execute(select(event)):
            events.setdefault(row.member_id, []).append(SimpleNamespace(**row._mapping))
        info.member_count = sum(1 for evs in events.values() if state_on(evs, on).in_branch)
    info.ok = True


def _known_revision(revision: str) -> bool:
    """Whether this version of the program knows the schema revision (older or current)."""
    from alembic.script import ScriptDirectory

    from .db import alembic_config

    try:
        return ScriptDirectory.from_config(alembic_config()).get_revision(revision) is not None
    except Exception:
        return False


def list_backups(db_path: Path | str | Location) -> list[BackupInfo]:
    """The backups of this database in its backups folder, newest first, each with its preview."""
    infos = [inspect_backup(path) for _t, _r, path in _own_files(db_path)]
    infos.sort(key=lambda i: i.taken_at or dt.datetime.min, reverse=True)
    return infos


def newest_good_backup(db_path: Path | str | Location, reason: str | None = None) -> BackupInfo | None:
    """The newest backup of the database that can be restored (of the given reason, if any)."""
    for info in list_backups(db_path):
        if info.ok and (reason is None or info.reason == reason):
            return info
    return None


FAILED_UPGRADE = "nang-cap-loi"


def put_back(db_path: Path | str, copy: Path | str, now: dt.datetime | None = None) -> Path:
    """After a failed upgrade: the copy taken just before it goes back in place of the database.

    The failed file is renamed (with its -wal and -journal) beside the backups, not deleted; the copy is
    prepared as `NAME.restoring` (checked, flushed) and renamed over the database, so at every moment
    the file at `db_path` is the failed one or the copy. Returns where the failed file is kept.
    """
    db_path, copy = Path(db_path), Path(copy)
    now = now or dt.datetime.now()
    tmp = db_path.with_name(db_path.name + ".restoring")
    online_backup(copy, tmp, stamp=False)
    con = sqlite3.connect(tmp)
    try:
        with con:
            con.execute("DELETE FROM setting WHERE key = ?", (TAKEN_AT_KEY,))
    except sqlite3.Error:
        pass
    finally:
        con.close()
    _fsync_file(tmp)
    kept = _new_name(db_path, FAILED_UPGRADE, now)
    kept.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(db_path, kept)          # the failed file stays, under another name, without a copy
    except OSError:
        shutil.copy2(db_path, kept)
    for suffix in ("-wal", "-journal"):
        extra = Path(str(db_path) + suffix)
        if extra.exists():
            shutil.copy2(extra, Path(str(kept) + suffix))
    if check_file(db_path, full=False, foreign_keys=False).ok:
        _checkpoint(db_path)
    for suffix in ("-wal", "-shm", "-journal"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    os.replace(tmp, db_path)
    _fsync_dir(db_path.parent)
    log.warning("Failed upgrade of %s: the copy %s was put back; the failed file is %s", db_path, copy, kept)
    return kept


# --- restore -----------------------------------------------------------------------------------

@dataclass
class RestoreResult:
    restored: BackupInfo        # what the database now holds
    safety_copy: Path | None    # the state before the restore


def restore(db_path: Path | str | Location, source: Path | str, now: dt.datetime | None = None) -> RestoreResult:
    """Replace the database at `db_path` by the backup `source`, after a copy of the current state.

    The backup must pass the full integrity check and be a Sổ chi bộ database this version can open.
    The database must not be open (the window closes its connections first). The old -wal and -shm
    files are removed before the new file is moved in, so that SQLite never replays them onto it; at
    every moment, the file at `db_path` is either the old database or the restored one.
    A server database gets the rows of the backup in one transaction (`_restore_server`).
    """
    from .filelock import refuse_if_held

    location = location_of(db_path)
    if location.url is not None:
        return _restore_server(location, Path(source), now or dt.datetime.now())
    assert location.path is not None
    db_path, source = location.path, Path(source)
    now = now or dt.datetime.now()
    if db_path.exists() and source.exists() and source.resolve() == db_path.resolve():
        raise UserError(_("Choose a backup: the file to restore is the database itself."))
    refuse_if_held(db_path)  # a window has the file open: it would go on writing to the old one
    info = inspect_backup(source, full=True)
    if not info.ok:
        raise UserError(_("The file {path} cannot be restored: {problem}").format(path=source, problem=info.problem))
    safety: Path | None = None
    sound = True
    if db_path.exists() and db_path.stat().st_size > 0:
        sound = check_file(db_path, full=False, foreign_keys=False).ok
        safety = _save_current(db_path, now, sound)
    tmp = db_path.with_name(db_path.name + ".restoring")
    try:
        online_backup(source, tmp, stamp=False)
        con = sqlite3.connect(tmp)
        try:
            with con:
                con.execute("DELETE FROM setting WHERE key = ?", (TAKEN_AT_KEY,))
        finally:
            con.close()
        _fsync_file(tmp)
        if sound and db_path.exists():
            _checkpoint(db_path)
        for suffix in ("-wal", "-shm", "-journal"):
            Path(str(db_path) + suffix).unlink(missing_ok=True)
        os.replace(tmp, db_path)
        _fsync_dir(db_path.parent)
    except PermissionError as exc:
        tmp.unlink(missing_ok=True)
        raise UserError(_("The database {path} is in use by another program; close it and try again. "
                          "Nothing was changed.").format(path=db_path)) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    log.info("Restored %s from %s (copy of the previous state: %s)", db_path, source, safety)
    _record_restore(db_path, source, info)
    return RestoreResult(restored=info, safety_copy=safety)


def _save_current(db_path: Path, now: dt.datetime, sound: bool) -> Path:
    if sound:
        try:
            return backup_before(db_path, BEFORE_RESTORE, now=now)
        except (sqlite3.Error, UserError) as exc:
            log.warning("Online backup of %s before restore failed (%s); keeping a raw copy", db_path, exc)
    # A damaged file is kept exactly as it is, with its journal files, for whoever can repair it.
    dest = _new_name(db_path, DAMAGED_COPY, now)
    shutil.copy2(db_path, dest)
    for suffix in ("-wal", "-journal"):
        extra = Path(str(db_path) + suffix)
        if extra.exists():
            shutil.copy2(extra, Path(str(dest) + suffix))
    return dest


def _checkpoint(db_path: Path) -> None:
    """Fold the -wal file into a sound database (its changes are already in the safety copy)."""
    try:
        con = sqlite3.connect(db_path)
        try:
            con.execute("PRAGMA busy_timeout=5000")
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            con.close()
    except sqlite3.Error as exc:
        log.warning("Checkpoint of %s before restore failed: %s", db_path, exc)


def _restore_server(location: Location, source: Path, now: dt.datetime) -> RestoreResult:
    """Put the rows of the backup `source` (or of a committee's database file moving to the server) in
    place of every row of the server database, in one transaction, after a copy of its current state.

    An empty server database gets the program's tables first. The backup is upgraded to this version of
    the program in a temporary copy; the file itself is never changed.
    """
    import tempfile

    from .db import make_engine, open_database
    from .server import import_from_file

    info = inspect_backup(source, full=True)
    if not info.ok:
        raise UserError(_("The file {path} cannot be restored: {problem}").format(path=source, problem=info.problem))
    open_database(location, create=True).close()  # reachable, and its tables at this version
    current = inspect_database(location)
    safety = backup_before(location, BEFORE_RESTORE, now=now) if current.ok and current.branch_name else None
    with tempfile.TemporaryDirectory(prefix="so-chi-bo-restore-") as tmp:
        work = Path(tmp) / "restore.db"
        online_backup(source, work, stamp=False)
        con = sqlite3.connect(work)
        try:
            with con:
                con.execute("DELETE FROM setting WHERE key = ?", (TAKEN_AT_KEY,))
        finally:
            con.close()
        open_database(work).close()  # the same version as the server's (upgraded if older)
        engine = make_engine(location)
        try:
            import_from_file(engine, work)
        finally:
            engine.dispose()
    log.info("Restored %s from %s (copy of the previous state: %s)", location.display, source, safety)
    _record_restore(location, source, info)
    return RestoreResult(restored=info, safety_copy=safety)


def _record_restore(db_path: Path | Location, source: Path, info: BackupInfo) -> None:
    """Write into the restored database that it was restored, and from what."""
    from . import audit
    from .db import open_database

    try:
        db = open_database(db_path)
    except Exception as exc:  # the restore itself is done; opening will say what is wrong
        log.error("Restored database %s does not open: %s", location_of(db_path).display, exc)
        return
    try:
        with db.begin() as session:
            audit.record(session, audit.RESTORE, "database", new=f"{source} ({info.taken_text})")
    finally:
        db.close()
