"""Is the database file sound? SQLite's own checks, run read-only, before anything writes to it.

* `quick_check` (PRAGMA quick_check) at every opening (services/db.py calls `refuse_if_damaged`): it reads
  every page and checks the structure of the b-trees; fast enough for start-up.
* `integrity_check` (PRAGMA integrity_check) on demand (`python main.py check`, File menu): also checks
  that every index matches its table.
* `foreign_key_check` (PRAGMA foreign_key_check): rows pointing at rows that are not there. This is not
  damage of the file (the program never writes such rows with foreign keys on); it is reported, not
  refused.

A file that fails is never written to: opening it raises `DamagedDatabaseError`, whose message names
the newest backup that passes the check.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from .errors import UserError, ValidationError
from .i18n import _

# SQLite result codes (https://sqlite.org/rescode.html) that mean the file itself is bad.
SQLITE_READONLY = 8
SQLITE_CORRUPT = 11
SQLITE_NOTADB = 26
DAMAGE_CODES = {SQLITE_CORRUPT, SQLITE_NOTADB}
MAX_MESSAGES = 20


class DamagedDatabaseError(UserError):
    """The file fails SQLite's integrity check; nothing was written to it."""

    def __init__(self, message: str, path: Path, backup=None):
        super().__init__(message)
        self.path = path
        self.backup = backup  # services.backup.BackupInfo of the newest good backup, or None


class UnreadableDatabaseError(UserError):
    """The file cannot be read now (locked by another program, no permission): not damage."""


@dataclass
class IntegrityReport:
    path: Path
    full: bool                                   # integrity_check (True) or quick_check (False)
    ok: bool                                     # the structure of the file is sound
    problems: list[str] = field(default_factory=list)      # SQLite's own words, for the log
    foreign_key_problems: list[tuple[str, int | None, str]] = field(default_factory=list)  # (table, row, parent)
    not_sqlite: bool = False                     # not an SQLite file at all (a text file, a workbook)

    @property
    def clean(self) -> bool:
        """Sound, and no row points at a missing row."""
        return self.ok and not self.foreign_key_problems


def read_only_uri(path: Path | str) -> str:
    """A URI that opens the file read-only (also for names with spaces, #, ? or Vietnamese letters)."""
    return Path(path).resolve().as_uri() + "?mode=ro"


def connect_read_only(path: Path | str) -> sqlite3.Connection:
    con = sqlite3.connect(read_only_uri(path), uri=True)
    # A damaged file may hold bytes that are not UTF-8: read them, never fail on them.
    con.text_factory = lambda raw: raw.decode("utf-8", "replace")
    con.execute("PRAGMA busy_timeout=5000")
    return con


def is_damage(exc: BaseException) -> bool:
    """Whether an sqlite3 error says the file is corrupt or not a database (not just busy or locked)."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return (code & 0xFF) in DAMAGE_CODES
    text = str(exc).lower()
    return "malformed" in text or "not a database" in text


def _needs_recovery(exc: BaseException, path: Path) -> bool:
    """A read-only reader met what a program killed while writing left: a hot -journal to roll back
    (SQLITE_READONLY_ROLLBACK) or a -wal whose index must be rebuilt (SQLITE_READONLY_RECOVERY). Both
    are writes, which only a read-write opening may do (the next opening of the program does them)."""
    code = getattr(exc, "sqlite_errorcode", None)
    readonly = (code & 0xFF) == SQLITE_READONLY if code is not None else "readonly" in str(exc).lower()
    return readonly and any(Path(str(path) + s).exists() for s in ("-journal", "-wal"))


def recovered_copy(path: Path, folder: Path) -> Path:
    """A copy of the file and its -journal/-wal in `folder`, opened once read-write so that SQLite rolls
    back or recovers it as a normal opening would. The file itself is never written to by a check."""
    import shutil

    copy = Path(folder) / Path(path).name
    for suffix in ("", "-journal", "-wal"):
        if Path(str(path) + suffix).exists():
            shutil.copyfile(str(path) + suffix, str(copy) + suffix)
    con = sqlite3.connect(copy)
    try:
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()
    finally:
        con.close()
    return copy


def _check_recovered_copy(path: Path, full: bool, foreign_keys: bool) -> IntegrityReport:
    import tempfile

    with tempfile.TemporaryDirectory(prefix="so-chi-bo-check-") as tmp:
        report = check_file(recovered_copy(path, Path(tmp)), full=full, foreign_keys=foreign_keys)
    report.path = path
    return report


def check_file(path: Path | str, full: bool = False, foreign_keys: bool = True) -> IntegrityReport:
    """Check the file without writing to it. Raises UnreadableDatabaseError when it cannot be read now."""
    path = Path(path)
    try:
        return _check_file(path, full, foreign_keys)
    except UnreadableDatabaseError as exc:
        if exc.__cause__ is not None and _needs_recovery(exc.__cause__, path):
            return _check_recovered_copy(path, full, foreign_keys)
        raise


def _check_file(path: Path, full: bool, foreign_keys: bool) -> IntegrityReport:
    report = IntegrityReport(path=path, full=full, ok=False)
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        raise UnreadableDatabaseError(
            _("Cannot read the file {path}: {error}").format(path=path, error=exc)) from exc
    if not head:  # an empty file is an empty database to SQLite
        report.ok = True
        return report
    if head != b"SQLite format 3\x00":
        report.problems.append("not an SQLite database (header)")
        report.not_sqlite = True
        return report
    try:
        con = connect_read_only(path)
    except sqlite3.Error as exc:
        return _failed(report, exc, path)
    try:
        pragma = "integrity_check" if full else "quick_check"
        rows = [r[0] for r in con.execute(f"PRAGMA {pragma}({MAX_MESSAGES})")]
        report.ok = rows == ["ok"]
        if not report.ok:
            report.problems.extend(str(r) for r in rows)
        elif foreign_keys:
            report.foreign_key_problems = [
                (str(r[0]), r[1], str(r[2])) for r in con.execute("PRAGMA foreign_key_check")
            ][:1000]
    except sqlite3.Error as exc:
        return _failed(report, exc, path)
    except UnicodeDecodeError as exc:  # SQLite's own message quotes bytes of a garbled schema
        report.ok = False
        report.problems.append(f"unreadable text in the file: {exc}")
        return report
    finally:
        con.close()
    return report


def _disk_full(path: Path) -> bool:
    """Whether the disk that holds `path` has (almost) no free space left."""
    import shutil

    try:
        return shutil.disk_usage(Path(path).resolve().parent).free < 1024 * 1024
    except OSError:
        return False


def _failed(report: IntegrityReport, exc: sqlite3.Error, path: Path) -> IntegrityReport:
    if not is_damage(exc) and _disk_full(path):
        # Reading a database in WAL mode needs room for its -shm index: a full disk refuses even that.
        raise UnreadableDatabaseError(
            _("Cannot read the file {path} now: the disk that holds it is full. Free some space on that disk "
              "and open it again; nothing was changed.").format(path=path)) from exc
    if not is_damage(exc):
        raise UnreadableDatabaseError(
            _("Cannot read the file {path} now: {error}. Close other programs that use it and try again.")
            .format(path=path, error=exc)) from exc
    report.ok = False
    report.problems.append(str(exc))
    return report


def damaged_message(path: Path, backup, command: bool = True) -> str:
    """What to tell the user about a damaged file, naming the newest good backup.

    `command`: add the command line that restores it (for the command line; the window offers a button).
    """
    text = _("The data file {path} is damaged (it fails SQLite's integrity check). "
             "The program does not write to it.").format(path=path)
    if backup is None:
        return text + " " + _("No good backup of it was found; keep the file as it is and ask for help.")
    from .i18n import format_date

    when = format_date(backup.taken_at.date()) + backup.taken_at.strftime(" %H:%M") if backup.taken_at else "?"
    if not command:
        return text + " " + _("The newest good backup is {backup} (taken {when}).").format(
            backup=backup.path, when=when)
    return text + " " + _(
        "The newest good backup is {backup} (taken {when}). To restore it: "
        "python main.py restore --db \"{path}\" \"{backup}\" --yes"
    ).format(backup=backup.path, when=when, path=path)


def refuse_if_damaged(path: Path | str) -> None:
    """Quick check before opening: raise DamagedDatabaseError, naming the newest good backup, if it fails."""
    import logging

    path = Path(path)
    report = check_file(path, full=False, foreign_keys=False)
    if report.ok:
        return
    from .backup import newest_good_backup

    logging.getLogger("sochibo.integrity").error("Damaged database %s: %s", path, "; ".join(report.problems))
    good = newest_good_backup(path)
    raise DamagedDatabaseError(damaged_message(path, good), path, good)


def foreign_key_problems(path: Path | str) -> list[tuple[str, int | None, str]]:
    """Rows pointing at rows that do not exist (table, row id, parent table); empty when all is well."""
    try:
        con = connect_read_only(path)
        try:
            return [(str(r[0]), r[1], str(r[2])) for r in con.execute("PRAGMA foreign_key_check")][:1000]
        finally:
            con.close()
    except sqlite3.Error:
        return []


@dataclass
class StructureReport:
    """Beyond SQLite's own checks: the structure of the file against its version, and the history's chain."""

    revision: str | None = None
    schema_problems: list[str] = field(default_factory=list)
    trail_problems: list[str] = field(default_factory=list)
    trail_checked: bool = False

    @property
    def ok(self) -> bool:
        return not self.schema_problems and not self.trail_problems


def check_structure(path: Path | str) -> StructureReport:
    """Read-only: do the tables match the version the file is stamped with, is the history's chain whole,
    and were records of closed years changed since? (For `check`; the file must pass `check_file` first.)"""
    from sqlalchemy import create_engine, inspect, text

    from .audit import trail_problems
    from .db import head_revision, schema_problems

    report = StructureReport()
    engine = create_engine("sqlite://", creator=lambda: connect_read_only(path))
    try:
        with engine.connect() as conn:
            if "alembic_version" in inspect(conn).get_table_names():
                report.revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            report.schema_problems = schema_problems(conn)
            if not report.schema_problems and report.revision == head_revision():
                report.trail_problems = trail_problems(conn)
                report.trail_checked = True
    except Exception as exc:  # a hot journal or -wal left by a killed writer: check a recovered copy
        if not _needs_recovery(getattr(exc, "orig", None) or exc, Path(path)):
            raise
        import tempfile

        with tempfile.TemporaryDirectory(prefix="so-chi-bo-check-") as tmp:
            return check_structure(recovered_copy(Path(path), Path(tmp)))
    finally:
        engine.dispose()
    return report


class WritesBlockedError(ValidationError):
    """A write to a database found damaged while open."""


def block_writes(db) -> None:
    """After a failed check of an open database: every later write is refused with a clear message."""
    from sqlalchemy import event

    def refuse(_session, _context, _instances):
        raise WritesBlockedError(_("The data file is damaged, so changes are not saved. "
                                   "Restore a backup (File menu, Restore from a backup)."))

    def refuse_statement(_conn, _cursor, statement: str, _parameters, _context, _executemany):
        # Statements that bypass the flush: an import's rows written in bulk (`db.insert_many`).
        if statement.lstrip()[:7].upper() in ("INSERT ", "UPDATE ", "DELETE ", "REPLACE"):
            refuse(None, None, None)

    if not getattr(db, "writes_blocked", False):
        db.writes_blocked = True
        event.listen(db.Session, "before_flush", refuse)
        event.listen(db.engine, "before_cursor_execute", refuse_statement)
