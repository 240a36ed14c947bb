"""A committee's database on a PostgreSQL server (docs/committee-server.md).

The same models and the same Alembic migrations as the SQLite file; this module holds only what differs
on a server:

* the engine: psycopg 3, the session's time zone UTC (as SQLite's CURRENT_TIMESTAMP), the program's name
  in the server's list of sessions, a connect timeout; errors of the connection in plain words
  (`connection_error`), and `PasswordNeededError` when the server asks for a password that neither the
  password file nor the service file holds;
* the copy (`export_to_file`): every table, read in one snapshot, into an SQLite file of the same
  version. That file is the program's backup of the server database: the backups list, the preview,
  `check` and `restore` read it like any backup, and it opens in the program as a database of its own;
* the restore (`import_from_file`): the rows of such a file (or of a committee's SQLite database that
  moves to the server) replace every row of the server database, in one transaction;
* the check (`check_server`): the version, the tables against the models, links between records, and
  the history of changes (its chain, and records of closed years changed since, services/audit.py).
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    MetaData,
    Table,
    create_engine,
    func,
    insert,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

from .errors import UserError
from .i18n import _

log = logging.getLogger("sochibo.server")

APPLICATION_NAME = "so-chi-bo"
CONNECT_TIMEOUT = 10  # seconds; a server that does not answer is reported instead of hanging the window


class PasswordNeededError(UserError):
    """The server wants a password and none was found (password file, service file) or given."""

    def __init__(self, message: str, wrong: bool = False):
        super().__init__(message)
        self.wrong = wrong  # a password was given and the server refused it


class ServerConnectionError(UserError):
    """The server cannot be reached, or refuses the user or the database."""


# Passwords typed by the user in this run of the program, by server address: asked once, kept in memory
# only, so that the backups, the restore and the preview that open their own connections need not ask again.
_PASSWORDS: dict[str, str] = {}


def remember_password(url: URL, password: str) -> None:
    _PASSWORDS[_key(url)] = password


def _key(url: URL) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=True)


def make_server_engine(url: URL, password: str | None = None) -> Engine:
    """An engine for the server database at `url` (no password in it; `password` when one was asked for,
    else one already typed in this run)."""
    password = password if password is not None else _PASSWORDS.get(_key(url))
    connect_args: dict[str, object] = {"application_name": APPLICATION_NAME}
    if "connect_timeout" not in url.query:
        connect_args["connect_timeout"] = CONNECT_TIMEOUT
    options = str(url.query.get("options", ""))
    connect_args["options"] = (options + " -c timezone=UTC").strip()
    if password is not None:
        connect_args["password"] = password
    # hide_parameters: an error's text never carries the values of a statement (members' names).
    return create_engine(url, connect_args=connect_args, pool_pre_ping=True, hide_parameters=True)


def connection_error(display: str, exc: BaseException, password_given: bool = False) -> UserError:
    """A plain message for a failed connection (the server's own words follow, for the IT person)."""
    raw = str(getattr(exc, "orig", None) or exc).strip()
    detail = raw.splitlines()[-1].strip() if raw else type(exc).__name__
    low = raw.lower()
    if "no password supplied" in low or ("password authentication failed" in low and not password_given):
        return PasswordNeededError(_("The server {server} asks for a password.").format(server=display))
    if "password authentication failed" in low:
        return PasswordNeededError(_("The server {server} refused the password.").format(server=display),
                                   wrong=True)
    if "does not exist" in low and "database" in low:
        return ServerConnectionError(_(
            "The database {server} does not exist on the server. The office's IT person creates it "
            "(docs/committee-server.md).").format(server=display))
    if "permission denied" in low or "not permitted to log in" in low or "no pg_hba.conf entry" in low:
        return ServerConnectionError(_(
            "The server {server} does not let this user in ({detail}). Ask the office's IT person.").format(
            server=display, detail=detail))
    return ServerConnectionError(_(
        "Cannot connect to the database server {server} ({detail}). Check that the server is on and the "
        "network works, or ask the office's IT person.").format(server=display, detail=detail))


def is_connection_failure(exc: BaseException) -> bool:
    """Whether `exc` is the failure to open a connection (not an error of a statement)."""
    import psycopg

    orig = getattr(exc, "orig", exc)
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    # A failed connection is psycopg's OperationalError itself, without a server error code; its
    # subclasses (a lock timeout, a serialization failure) are errors of statements.
    return type(orig) is psycopg.OperationalError and getattr(orig, "sqlstate", None) is None


def tls_in_use(engine: Engine) -> bool:
    """Whether the engine's connections to the server are encrypted."""
    with engine.connect() as conn:
        driver = conn.connection.driver_connection
        return bool(driver is not None and driver.pgconn.ssl_in_use)


@dataclass
class ServerReport:
    """`check` of a server database: what was found wrong (empty lists: all well)."""

    revision: str | None = None
    problems: list[str] = field(default_factory=list)
    foreign_key_problems: list[tuple[str, int | None, str]] = field(default_factory=list)
    trail_problems: list[str] = field(default_factory=list)   # the history's chain, closed years' seals
    trail_checked: bool = False
    tls: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems




# --- the program's copy of a server database: an SQLite file of the same version ------------------

BATCH = 500
ProgressFn = Callable[[str, int], None]


def _revision(conn: Connection) -> str | None:
    if "alembic_version" not in inspect(conn).get_table_names():
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _tables(conn: Connection) -> list[Table]:
    """The tables of the database the connection is on, parents before children."""
    meta = MetaData()
    meta.reflect(conn)
    return [t for t in meta.sorted_tables if t.name != "alembic_version"]


def _self_references(table: Table) -> list[str]:
    return [fk.parent.name for fk in table.foreign_keys if fk.column.table.name == table.name]


def copy_rows(source: Connection, target: Connection, progress: ProgressFn | None = None) -> dict[str, int]:
    """Copy every row of every table of `source` into the empty tables of the same names in `target`.

    Both are at the same schema version. A column that points at a row of its own table (a replaced
    file pointing at the file that replaced it) is filled in once all the table's rows are there.
    Returns the number of rows per table.
    """
    target_tables = {t.name: t for t in _tables(target)}
    counts: dict[str, int] = {}
    for table in _tables(source):
        dest = target_tables.get(table.name)
        if dest is None:
            raise UserError(_("The table {table} is missing in the copy.").format(table=table.name))
        columns = [c.name for c in table.columns if c.name in dest.c]
        later = _self_references(table)
        links: list[dict[str, Any]] = []
        n = 0
        result = source.execution_options(yield_per=BATCH).execute(select(*(table.c[c] for c in columns)))
        for rows in result.partitions():
            batch = [dict(r._mapping) for r in rows]
            if later:
                pk = [c.name for c in table.primary_key]
                for row in batch:
                    if any(row[c] is not None for c in later):
                        links.append({**{f"k_{c}": row[c] for c in pk}, **{c: row[c] for c in later}})
                        for c in later:
                            row[c] = None
            target.execute(insert(dest), batch)
            n += len(batch)
            if progress is not None:
                progress(table.name, n)
        if links:
            from sqlalchemy import bindparam

            pk = [c.name for c in dest.primary_key]
            stmt = update(dest).where(*(dest.c[c] == bindparam(f"k_{c}") for c in pk)) \
                .values({c: bindparam(c) for c in later})
            target.execute(stmt, links)
        counts[table.name] = n
    return counts


def export_to_file(engine: Engine, dest: Path, progress: ProgressFn | None = None) -> dict[str, int]:
    """Write every row of the server database into a new SQLite file `dest` of the same schema version.

    The rows are read in one snapshot (REPEATABLE READ, read only): the copy is consistent while other
    people keep working. The file's tables are made by the same migrations as any database file.
    """
    from .db import make_engine, migrate

    with engine.connect() as src:
        src = src.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        with src.begin():
            revision = _revision(src)
            if revision is None:
                raise UserError(_("The server database holds no Sổ chi bộ data."))
            target_engine = make_engine(dest)
            try:
                migrate(target_engine, revision)
                with target_engine.begin() as dst:
                    for table in reversed(_tables(dst)):  # whatever a migration may have put in
                        dst.execute(table.delete())
                    counts = copy_rows(src, dst, progress)
                with target_engine.connect() as dst:
                    dst.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
                    dst.exec_driver_sql("PRAGMA journal_mode=DELETE")
            finally:
                target_engine.dispose()
    return counts


def import_from_file(engine: Engine, source: Path, progress: ProgressFn | None = None) -> dict[str, int]:
    """Replace every row of the server database by the rows of the SQLite file `source`, in one transaction.

    Both must be at the same schema version (the caller upgrades the file first). Other sessions wait
    for the restore (their writes are locked out until it commits), then see the restored data. On any
    error nothing changes on the server.
    """
    from .integrity import connect_read_only

    src_engine = create_engine("sqlite://", creator=lambda: connect_read_only(source))
    try:
        with src_engine.connect() as src, engine.begin() as dst:
            if _revision(src) != _revision(dst):
                raise UserError(_("The backup and the server database are not of the same version."))
            from .db import take_write_lock

            take_write_lock(dst)  # after the writers that hold it; the ones that come later wait
            tables = _tables(dst)
            names = ", ".join(dst.dialect.identifier_preparer.quote(t.name) for t in tables)
            dst.exec_driver_sql(f"LOCK TABLE {names} IN EXCLUSIVE MODE")
            dst.exec_driver_sql(f"TRUNCATE {names} RESTART IDENTITY")
            counts = copy_rows(src, dst, progress)
            reset_sequences(dst, tables)
    finally:
        src_engine.dispose()
    return counts


def reset_sequences(conn: Connection, tables: Iterable[Table]) -> None:
    """After rows were written with their own keys: the next new row of each table gets the next key."""
    for table in tables:
        for column in table.primary_key:
            sequence = conn.execute(select(func.pg_get_serial_sequence(table.name, column.name))).scalar()
            if sequence is None:
                continue
            highest = conn.execute(select(func.coalesce(func.max(column), 0))).scalar() or 0
            conn.execute(select(func.setval(sequence, highest + 1, False)))


# --- check ------------------------------------------------------------------------------------------

MAX_LINK_PROBLEMS = 1000


def check_server(engine: Engine) -> ServerReport:
    """`check` of a server database, read-only in one snapshot: its version, its tables and columns
    against the program's, and rows pointing at rows that are not there.

    The server looks after its own storage (checksums, `pg_amcheck` for the IT person); what the program
    can see is whether its data is whole and of the shape it expects.
    """
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    import models

    from .db import known_revisions

    report = ServerReport(tls=tls_in_use(engine))
    known, head = known_revisions()
    with engine.connect() as conn:
        conn = conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        with conn.begin():
            report.revision = _revision(conn)
            if report.revision is None:
                report.problems.append(_("the database holds no Sổ chi bộ data"))
                return report
            if report.revision not in known:
                report.problems.append(_("the version {version} is newer than this program").format(
                    version=report.revision))
                return report
            if report.revision != head:
                report.problems.append(_("the version {version} is older than this program's {head}; it is "
                                         "upgraded when the program opens it").format(
                    version=report.revision, head=head))
                return report
            for diff in compare_metadata(MigrationContext.configure(conn), models.Base.metadata):
                report.problems.append(_describe_difference(diff))
            report.foreign_key_problems = link_problems(conn, models.Base.metadata.sorted_tables)
            if not report.problems:
                from .audit import trail_problems

                report.trail_problems = trail_problems(conn)
                report.trail_checked = True
    return report


def _describe_difference(diff: Any) -> str:
    """One line for a difference found by Alembic's comparison (e.g. ('remove_column', ..., 'member', col))."""
    first = diff[0] if isinstance(diff, list) else diff
    kind = str(first[0])
    names = []
    for part in first[1:]:
        name = getattr(part, "name", None)
        if isinstance(part, str):
            names.append(part)
        elif name:
            names.append(str(name))
    return f"{kind}: {' '.join(names)}"


def link_problems(conn: Connection, tables: Iterable[Table]) -> list[tuple[str, int | None, str]]:
    """(table, row id, parent table) for each row whose link points at a row that does not exist.

    The server enforces the links as the rows are written; this finds what was changed around it
    (constraints dropped by hand, data loaded with triggers off)."""
    found: list[tuple[str, int | None, str]] = []
    for table in tables:
        key = next(iter(table.primary_key.columns), None)
        for fk in table.foreign_keys:
            parent = fk.column.table.alias("parent")
            child_col, parent_col = fk.parent, parent.c[fk.column.name]
            query = (select(key if key is not None else child_col)
                     .select_from(table.outerjoin(parent, child_col == parent_col))
                     .where(child_col.is_not(None), parent_col.is_(None)).limit(MAX_LINK_PROBLEMS))
            try:
                with conn.begin_nested():  # a table or column missing (reported above) fails only this query
                    rows = list(conn.execute(query).scalars())
            except DBAPIError:
                continue
            found.extend((table.name, r if isinstance(r, int) else None, fk.column.table.name) for r in rows)
            if len(found) >= MAX_LINK_PROBLEMS:
                return found[:MAX_LINK_PROBLEMS]
    return found
