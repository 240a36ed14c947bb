"""Opening a Sổ chi bộ database: engine settings, schema check, upgrade after a backup.

* `take_write_lock(session)`: a write that checks something first (is there already an active file for
  this branch and period? has this member been changed since the dialog opened?) takes the database's
  write lock before it reads what it checks, so that no other program can write in between. On SQLite
  this is `BEGIN IMMEDIATE`; on PostgreSQL a transaction-scoped advisory lock; `db.begin(write=True)`
  takes it at the start of the unit of work.
* The schema upgrade runs in ONE transaction (SQLite allows DDL inside a transaction), with foreign
  keys off during the table rebuilds and `PRAGMA foreign_key_check` before the commit. On any failure
  the transaction is rolled back; the file is then checked (sound, its old version, the structure of
  that version), and if it is not exactly as before, the copy taken before the upgrade is put back.
* `schema_problems(connection)`: whether the tables, columns and indexes of the file are those of the
  version it is stamped with (used by `check`, and before an upgrade).

A database is an SQLite file (the embedded default) or, for a large committee, a database on a
PostgreSQL server (`services.location` for how --db names it, `services.server` for what differs there).
Both go through the same models and the same migrations; on a server the upgrade is one transaction too
(PostgreSQL's DDL is transactional), so a failed upgrade leaves it as it was, with nothing to put back.
"""
from __future__ import annotations

import ast
import contextlib
import errno
import functools
import logging
import re
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, cast

from sqlalchemy import Connection, Engine, Table, create_engine, event, func, insert, inspect, select, text
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.schema import ColumnDefault

from . import audit, backup, integrity
from .errors import UserError
from .i18n import _
from .location import Location, location_of

if TYPE_CHECKING:
    from .filelock import FileLock

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
log = logging.getLogger("sochibo.db")

# PostgreSQL: the key of the transaction-scoped advisory lock that stands for SQLite's write lock.
WRITE_LOCK_KEY = 0x5C0C41B0


class NoDatabaseError(UserError):
    pass


def program_command() -> str:
    """How the user starts the program from a command line ("main.py", or the installed program's name)."""
    import sys

    return Path(sys.executable).stem if getattr(sys, "frozen", False) else "main.py"


def no_database_message(path: Path | str) -> str:
    """There is no file at `path`: the commands that create it (a new branch, or a demo to try)."""
    prog = program_command()
    return _("There is no database at {path}. To create it, run «{init}» for a new branch (with its name, "
             "its superior organisation and the place name), or «{demo}» for a demo branch to try the program."
             ).format(path=path, init=f'{prog} init --db "{path}" --branch "…" --parent "…" --place "…"',
                      demo=f'{prog} demo --db "{path}"')


class NotOurDatabaseError(UserError):
    pass


class NewerDatabaseError(UserError):
    pass


class UpgradeFailedError(UserError):
    """The schema upgrade failed; the file was verified unchanged or the pre-upgrade copy put back."""


class SchemaMismatchError(UserError):
    """The tables of the file are not those of the version it is stamped with."""


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    # FULL: a power cut never loses a committed transaction.
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


def make_engine(target: Path | str | Location, password: str | None = None) -> Engine:
    """The engine of a database file, or of a server database (`password` when one was asked for)."""
    location = location_of(target)
    if location.url is not None:
        from .server import make_server_engine

        return make_server_engine(location.url, password)
    # hide_parameters: an error's text (shown, and written to the log) never carries the values of a
    # statement, which are members' names and birth dates.
    engine = create_engine(f"sqlite:///{location.path}", hide_parameters=True)
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def take_write_lock(target: Session | Connection) -> None:
    """Hold the database's write lock from now until the end of the transaction.

    Call it before reading what a write depends on. SQLite: `BEGIN IMMEDIATE` unless the transaction
    already holds the lock (the driver only opens a transaction for a write, so an open transaction
    has written, and holds it). PostgreSQL: `pg_advisory_xact_lock`, which serialises writers the same
    way. Other engines: nothing (their unique constraints still refuse a duplicate).
    Waits for another writer up to the busy timeout, then raises "database is locked".
    """
    conn = target.connection() if isinstance(target, Session) else target
    name = conn.dialect.name
    if name == "sqlite":
        driver = conn.connection.driver_connection
        if driver is not None and not driver.in_transaction:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
    elif name == "postgresql":
        conn.execute(select(func.pg_advisory_xact_lock(WRITE_LOCK_KEY)))


def table_of(model: type) -> Table:
    """The table of a mapped class (typed as a Table: the declarative base types it as a FromClause)."""
    return cast(Table, model.__table__)  # type: ignore[attr-defined]


def with_defaults(table: Table, rows: Sequence[dict]) -> list[dict]:
    """`rows` with the columns they leave out filled with the columns' Python defaults (`default=`: a value
    or a function of no arguments), as `insert()` would fill them; the database's own defaults
    (`server_default`) are left to it."""
    if not rows:
        return []
    keys = set(rows[0])
    defaults = [(c.key, c.default) for c in table.c if c.key not in keys and isinstance(c.default, ColumnDefault)
                and (c.default.is_scalar or c.default.is_callable)]
    if not defaults:
        return list(rows)
    return [{**row, **{k: d.arg(None) if d.is_callable else d.arg for k, d in defaults}} for row in rows]


def insert_many(target: Session | Connection, table: Table, rows: Sequence[dict]) -> None:
    """INSERT `rows` (dicts with the same keys) into `table` in the transaction of `target`, as one executemany.

    `execute(insert(table), rows)` prepares every row's parameters in Python (about 10 µs a row); this
    compiles the statement once and converts only the values whose column type asks for it (dates), so
    that an import of tens of thousands of rows does not spend seconds there. Columns left out get their
    defaults (`with_defaults`). Drivers with named parameters (not SQLite's) take the ordinary path."""
    if not rows:
        return
    conn = target.connection() if isinstance(target, Session) else target
    dialect = conn.dialect
    rows = with_defaults(table, rows)
    keys = list(rows[0])
    compiled = insert(table).compile(dialect=dialect, column_keys=keys)
    order = compiled.positiontup
    if order is None or set(order) != set(keys):
        conn.execute(insert(table), rows)
        return
    processors = [table.c[k].type.dialect_impl(dialect).bind_processor(dialect) for k in order]
    conn.exec_driver_sql(compiled.string, [
        tuple(v if f is None or v is None else f(v) for f, v in zip(processors, (row[k] for k in order), strict=True))
        for row in rows
    ])


def insert_keyed(target: Session | Connection, table: Table, rows: Sequence[dict]) -> list[dict]:
    """INSERT `rows` into `table` (whose key is one integer column) and return them with their defaults and
    their keys. SQLite: the keys are given here, following the largest, and the rows go in one executemany
    (SQLite hands back the keys of a multi-row INSERT without promising their order); the write lock is
    taken first, so that no other program takes them meanwhile. Other databases: the keys come back from
    the INSERT (RETURNING, in the order of the rows)."""
    if not rows:
        return []
    conn = target.connection() if isinstance(target, Session) else target
    key = table.primary_key.columns.values()[0]
    rows = with_defaults(table, rows)
    if conn.dialect.name == "sqlite":
        take_write_lock(conn)
        first = (conn.execute(select(func.max(key))).scalar() or 0) + 1
        for i, row in enumerate(rows):
            row[key.name] = first + i
        insert_many(conn, table, rows)
    else:
        keys = conn.execute(insert(table).returning(key, sort_by_parameter_order=True), rows).scalars().all()
        for row, value in zip(rows, keys, strict=True):
            row[key.name] = value
    return rows


def alembic_config():
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


_REVISION_LINE = re.compile(r"^(revision|down_revision)\s*(?::[^=]*)?=\s*(.+)$", re.M)


def known_revisions() -> tuple[set[str], str]:
    """(every revision this program knows, the head), read from the migration files' headers.

    Importing Alembic costs a noticeable part of start-up, so opening an up-to-date database
    only reads these lines; Alembic is loaded when a migration actually has to run.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        found = dict(_REVISION_LINE.findall(path.read_text(encoding="utf-8")))
        rev = ast.literal_eval(found["revision"])
        down = ast.literal_eval(found.get("down_revision", "None"))
        revisions.add(rev)
        parents.update(down if isinstance(down, tuple) else [down] if down else [])
    heads = revisions - parents
    assert len(heads) == 1, heads
    return revisions, heads.pop()


def head_revision() -> str:
    return known_revisions()[1]


class Database:
    """An open database (a file, or a database on a server) with a session factory."""

    def __init__(self, target: Path | Location, engine: Engine):
        self.location = location_of(target)
        self.path: Path | None = self.location.path  # None for a server database
        self.engine = engine
        self.Session = sessionmaker(engine, expire_on_commit=False)
        self.upgrade_backup: Path | None = None
        self.file_lock: FileLock | None = None  # while a window holds the file (services.filelock)
        audit.install(self)  # data safety: every change is logged (services/audit.py)

    @contextlib.contextmanager
    def begin(self, write: bool = False) -> Iterator[Session]:
        """One unit of work: committed on success, rolled back on any error.

        `write`: take the write lock first (`take_write_lock`), for a unit of work that reads what it
        then writes and must not let another program write in between.
        """
        with self.Session.begin() as session:
            if write:
                take_write_lock(session)
            yield session

    @property
    def is_server(self) -> bool:
        return self.location.is_server

    @property
    def target(self) -> Path | str:
        """What `open_database` (and --db) takes to open this database again."""
        return self.path if self.path is not None else self.location.display

    @property
    def display(self) -> str:
        """The file, or the server's address, as the user is shown it."""
        return self.location.display

    def close(self) -> None:
        self.engine.dispose()
        if self.file_lock is not None:
            self.file_lock.release()
            self.file_lock = None

    def lock_file(self, user: str = "", force: bool = False) -> None:
        """Hold the file's lock (services.filelock) until `close()`; raises FileInUseError.

        A server database has no such lock: several office workers use it at once, and the server's own
        locks (`take_write_lock`) keep their writes apart."""
        from . import filelock

        if self.path is None:
            return
        if self.file_lock is None:
            self.file_lock = filelock.acquire(self.path, user, force=force)


def _check_sqlite_file(path: Path) -> None:
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        raise NotOurDatabaseError(_("Cannot read the file {path}: {error}").format(path=path, error=exc)) from exc
    if head and head != b"SQLite format 3\x00":
        raise NotOurDatabaseError(_("The file {path} is not a Sổ chi bộ database.").format(path=path))


def open_database(target: Path | str | Location, create: bool = False, password: str | None = None) -> Database:
    """Open (or with `create`, make) the database at `target` and bring its schema up to date.

    An older schema is upgraded in place after a dated backup; a schema written by a newer
    version of the program is refused, so that this version never damages it.
    `target` is a file or a server's URL; on a server, `create` lets the program create its tables in
    an empty database (the database itself is made by the server's administrator), and `password` is
    used when the server asks for one (`server.PasswordNeededError`).
    """
    location = location_of(target)
    if location.is_server:
        return _open_server_database(location, create, password)
    assert location.path is not None
    path = location.path
    if not path.exists():
        if not create:
            raise NoDatabaseError(no_database_message(path))
        path.parent.mkdir(parents=True, exist_ok=True)
    else:
        _check_sqlite_file(path)
        integrity.refuse_if_damaged(path)  # data safety: a damaged file is never written to
    engine = make_engine(path)
    db = Database(path, engine)
    try:
        _upgrade_schema(db)
    except SADatabaseError as exc:
        engine.dispose()
        plain = as_user_error(exc, path)  # locked by another program, a full disk, a read-only file
        if plain is not None:
            raise plain from exc
        raise NotOurDatabaseError(
            _("The file {path} is damaged or is not a Sổ chi bộ database.").format(path=path)
        ) from exc
    except Exception:
        engine.dispose()
        raise
    return db


def _open_server_database(location: Location, create: bool, password: str | None) -> Database:
    from .server import connection_error, is_connection_failure

    engine = make_engine(location, password)
    db = Database(location, engine)
    try:
        with engine.connect() as conn:
            empty = not inspect(conn).get_table_names()
        if empty and not create:
            raise NoDatabaseError(_("The database {server} is empty. Create the committee's tables in it with "
                                    "the command 'init --committee'.").format(server=location.display))
        _upgrade_schema(db)
        if password is not None:
            from .server import remember_password

            assert location.url is not None
            remember_password(location.url, password)
    except SADatabaseError as exc:
        engine.dispose()
        if is_connection_failure(exc):
            raise connection_error(location.display, exc, password_given=password is not None) from exc
        raise
    except BaseException:
        engine.dispose()
        raise
    return db


def is_empty(target: Path | str | Location, password: str | None = None) -> bool:
    """Whether there is no Sổ chi bộ data at `target` yet: no file, or a server database without tables."""
    location = location_of(target)
    if location.path is not None:
        return not location.path.exists()
    from .server import connection_error

    engine = make_engine(location, password)
    try:
        with engine.connect() as conn:
            empty = not inspect(conn).get_table_names()
    except SADatabaseError as exc:
        raise connection_error(location.display, exc, password_given=password is not None) from exc
    finally:
        engine.dispose()
    if password is not None:
        from .server import remember_password

        assert location.url is not None
        remember_password(location.url, password)
    return empty


def _stamped_revision(conn: Connection) -> tuple[set[str], str | None]:
    tables = set(inspect(conn).get_table_names())
    current = None
    if "alembic_version" in tables:
        current = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return tables, current


def _upgrade_schema(db: Database) -> None:
    with db.engine.connect() as conn:
        tables, current = _stamped_revision(conn)
    known, head = known_revisions()
    if current == head:
        return
    if current is None:
        if tables - {"alembic_version"}:
            raise NotOurDatabaseError(_("The file {path} is not a Sổ chi bộ database.").format(path=db.display))
    else:
        if current not in known:
            raise NewerDatabaseError(
                _("This database was written by a newer version of Sổ chi bộ. "
                  "Install the newer version to open it; nothing was changed.")
            )
        with db.engine.connect() as conn:
            # The expected tables come from the migrations run on SQLite: compared on SQLite only.
            problems = schema_problems(conn) if conn.dialect.name == "sqlite" else []
        if problems:
            assert db.path is not None
            log.error("Schema of %s does not match its version %s: %s", db.path, current, problems)
            raise SchemaMismatchError(_mismatch_message(db.path, current))
        try:
            db.upgrade_backup = backup.backup_before(db.location, "truoc-nang-cap")
        except (OSError, sqlite3.Error, SADatabaseError) as exc:
            raise UpgradeFailedError(
                _("The program must upgrade the data file {path}, but could not first make the copy it takes "
                  "before an upgrade ({reason}). Nothing was changed. Free some space on the disk and open "
                  "the file again.").format(path=db.display, reason=plain_reason(exc))) from exc
    try:
        migrate(db.engine, "head")
    except BaseException as exc:
        db.engine.dispose()
        if current is None:  # a new, empty file: nothing to keep
            if error_kind(exc) in ("full", "readonly", "locked"):
                raise UserError(_("The data file {path} cannot be created: {reason}.").format(
                    path=db.display, reason=plain_reason(exc))) from exc
            raise
        if db.path is None:  # a server rolled the whole upgrade back: it is as it was
            log.error("Upgrade of %s from %s failed: %s", db.display, current, type(exc).__name__)
            raise UpgradeFailedError(_(
                "The upgrade of the database {path} to this version of the program failed ({reason}). The "
                "server undid all of it; nothing was lost.").format(path=db.display,
                                                                    reason=plain_reason(exc))) from exc
        _after_failed_upgrade(db, current, exc)
        raise
    finally:
        db.engine.dispose()  # the upgrade's connection had foreign keys off: start again with fresh ones


def migrate(engine: Engine, target: str, downgrade: bool = False) -> None:
    """Run the migrations to `target` in one transaction on one connection.

    Foreign keys are off while tables are rebuilt (SQLite's procedure for changing a table), and
    `PRAGMA foreign_key_check` must find nothing before the commit. Any failure rolls back everything.
    Developers and tests: `downgrade=True` goes back to an older revision the same way.
    """
    from alembic import command

    cfg = alembic_config()
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")  # only takes effect outside a transaction
        try:
            take_write_lock(conn)
            cfg.attributes["connection"] = conn
            if downgrade:
                command.downgrade(cfg, target)
            else:
                command.upgrade(cfg, target)
            if sqlite:
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"foreign_key_check after migration: {len(broken)} rows")
            conn.commit()
        except BaseException:
            conn.rollback()
            raise
        finally:
            if sqlite:
                with contextlib.suppress(Exception):
                    conn.exec_driver_sql("PRAGMA foreign_keys=ON")


def _after_failed_upgrade(db: Database, old_revision: str, exc: BaseException) -> None:
    """The upgrade failed and was rolled back. Make sure the file is as it was; else put the copy back."""
    assert db.path is not None  # a file: a server's failed upgrade is rolled back by the server
    reason = plain_reason(exc)
    log.error("Upgrade of %s from %s failed: %s", db.path, old_revision, type(exc).__name__)
    if _unchanged(db.path, old_revision):
        raise UpgradeFailedError(
            _("The upgrade of the data file {path} to this version of the program failed ({reason}). The "
              "file was checked and is exactly as before the upgrade; nothing was lost. Free some space on "
              "the disk (if it is full) and open the file again.").format(path=db.path, reason=reason)) from exc
    copy = db.upgrade_backup
    try:
        assert copy is not None
        kept = backup.put_back(db.path, copy)
    except Exception as put_exc:  # noqa: BLE001 - every failure here ends in the same message
        log.error("Putting back %s over %s failed: %s", copy, db.path, type(put_exc).__name__)
        raise UpgradeFailedError(
            _("The upgrade of the data file {path} failed ({reason}), and the copy taken before the upgrade "
              "could not be put back. The copy is {copy}. Free some space on the disk, then restore it: "
              "python main.py restore --db \"{path}\" \"{copy}\" --yes").format(
                path=db.path, reason=reason, copy=copy)) from exc
    raise UpgradeFailedError(
        _("The upgrade of the data file {path} failed ({reason}). The copy taken just before the upgrade was "
          "put back, so the file is as it was; the failed file is kept as {kept}.").format(
            path=db.path, reason=reason, kept=kept)) from exc


def _unchanged(path: Path, old_revision: str) -> bool:
    """Sound, still at `old_revision`, with exactly that revision's tables (checked read-only)."""
    try:
        report = integrity.check_file(path, full=False, foreign_keys=False)
        if not report.ok:
            return False
        engine = create_engine("sqlite://", creator=lambda: integrity.connect_read_only(path))
        try:
            with engine.connect() as conn:
                _tables, current = _stamped_revision(conn)
                return current == old_revision and not schema_problems(conn)
        finally:
            engine.dispose()
    except Exception:  # noqa: BLE001 - cannot tell: treat as changed, so that the copy is put back
        return False


def _mismatch_message(path: Path, revision: str | None) -> str:
    good = backup.newest_good_backup(path, reason=backup.BEFORE_UPGRADE)
    text_ = _("The structure of the data file {path} does not match its version ({version}): an earlier "
              "upgrade was interrupted half-way by an older version of the program. Nothing was changed.").format(
        path=path, version=revision or "?")
    if good is None:
        return text_ + " " + _("No copy taken before an upgrade was found; keep the file as it is and ask for help.")
    return text_ + " " + _("Restore the copy taken before that upgrade: python main.py restore --db \"{path}\" "
                           "\"{copy}\" --yes").format(path=path, copy=good.path)


# --- is the structure of the file that of its version? --------------------------------------------

@functools.cache
def expected_schema(revision: str) -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    """{table: (columns, index names)} that the migrations create up to `revision` (a scratch database)."""
    from sqlalchemy.pool import StaticPool

    engine = create_engine("sqlite://", poolclass=StaticPool)
    event.listen(engine, "connect", _sqlite_pragmas)
    try:
        migrate(engine, revision)
        with engine.connect() as conn:
            return _schema_of(conn)
    finally:
        engine.dispose()


def _schema_of(conn: Connection) -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    insp = inspect(conn)
    out = {}
    for table in insp.get_table_names():
        if table.startswith("sqlite_"):
            continue
        columns = frozenset(c["name"] for c in insp.get_columns(table))
        indexes = frozenset(str(i["name"]) for i in insp.get_indexes(table)
                            if i.get("name") and not i.get("duplicates_constraint"))
        out[table] = (columns, indexes)
    return out


def schema_problems(conn: Connection) -> list[str]:
    """What differs between the file's tables and those of the revision it is stamped with (empty: none).

    A revision this program does not know cannot be compared: that is reported as such.
    """
    _tables, current = _stamped_revision(conn)
    if current is None:
        return [_("the file has no version stamp")]
    known, _head = known_revisions()
    if current not in known:
        return [_("the version {version} is newer than this program").format(version=current)]
    expected = expected_schema(current)
    actual = _schema_of(conn)
    problems = []
    for table in sorted(set(actual) - set(expected)):
        problems.append(_("table {table} should not exist in version {version}").format(table=table, version=current))
    for table in sorted(set(expected) - set(actual)):
        problems.append(_("table {table} is missing").format(table=table))
    for table in sorted(set(expected) & set(actual)):
        (want_cols, want_idx), (have_cols, have_idx) = expected[table], actual[table]
        for col in sorted(have_cols - want_cols):
            problems.append(_("column {table}.{column} should not exist in version {version}").format(
                table=table, column=col, version=current))
        for col in sorted(want_cols - have_cols):
            problems.append(_("column {table}.{column} is missing").format(table=table, column=col))
        for idx in sorted(want_idx ^ have_idx):
            problems.append(_("index {index} of {table} differs").format(index=idx, table=table))
    return problems


# --- errors in plain words ----------------------------------------------------------------------------

def plain_reason(exc: BaseException) -> str:
    """A short Vietnamese reason for a failed write: disk full, locked, read-only, or generic."""
    kind = error_kind(exc)
    if kind == "full":
        return _("the disk is full")
    if kind == "locked":
        return _("the file is being written by another program")
    if kind == "readonly":
        return _("the file or its folder cannot be written to")
    if kind == "interrupted":
        return _("the program was stopped")
    return _("error {name}").format(name=type(exc).__name__)


def as_user_error(exc: BaseException, path: Path | str | None = None) -> UserError | None:
    """A plain Vietnamese message for a database that is locked, a full disk or a read-only file
    (None for any other error). Nothing of the failed statement is shown: it was rolled back."""
    kind = error_kind(exc)
    where = str(path) if path else _("the data file")
    if kind == "locked":
        return UserError(_("The data file is being written by another program (another window of Sổ chi bộ, or a "
                           "backup program) and did not become free in time. What you just did was not saved; "
                           "wait a moment and do it again."))
    if kind == "full":
        return UserError(_("The disk that holds {where} is full, so what you just did was not saved. Delete files "
                           "you no longer need from that disk, then do it again.").format(where=where))
    if kind == "readonly":
        return UserError(_("Cannot write to {where}: the file or its folder can only be read (a CD, a locked memory "
                           "card, a shared folder without the right to write, or the file marked read-only). "
                           "What you just did was not saved. Copy the file to a folder you can write to, or ask "
                           "whoever manages the computer for the right to write.").format(where=where))
    return None


def error_kind(exc: BaseException) -> str | None:
    """'full', 'locked', 'readonly', 'interrupted' or None, from an exception or its causes."""
    seen = 0
    cur: BaseException | None = exc
    while cur is not None and seen < 10:
        seen += 1
        if isinstance(cur, KeyboardInterrupt | SystemExit):
            return "interrupted"
        if isinstance(cur, OSError) and not isinstance(cur, sqlite3.Error):
            if cur.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
                return "full"
            if cur.errno in (errno.EROFS, errno.EACCES, errno.EPERM) or isinstance(cur, PermissionError):
                return "readonly"
        text_ = str(getattr(cur, "orig", None) or cur).lower()
        if "database or disk is full" in text_ or "disk i/o error" in text_ and "full" in text_:
            return "full"
        if "database is locked" in text_ or "database table is locked" in text_ or "database is busy" in text_:
            return "locked"
        if "readonly database" in text_ or "read-only" in text_ or "unable to open database file" in text_:
            return "readonly"
        cur = getattr(cur, "orig", None) if getattr(cur, "orig", None) is not None else (cur.__cause__ or cur.__context__)
    return None


def _main(argv: list[str]) -> int:
    """Developers: `python -m services.db revision REV_ID "message"` autogenerates a migration
    from the difference between models/ and a scratch database at the current head."""
    import tempfile

    from alembic import command

    if len(argv) != 3 or argv[0] != "revision":
        print(_main.__doc__)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(Path(tmp) / "scratch.db", create=True)
        cfg = alembic_config()
        with db.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.revision(cfg, message=argv[2], autogenerate=True, rev_id=argv[1])
        db.close()
    return 0


if __name__ == "__main__":
    import sys

    raise SystemExit(_main(sys.argv[1:]))
