"""The engines the suite runs on: SQLite always; PostgreSQL too when SOCHIBO_TEST_PG names a server.

SOCHIBO_TEST_PG is the URL of a role that may create databases (`.ci/pg-cluster start DIR` starts a
throwaway server and writes it, with the password file, to DIR/env). Each test on PostgreSQL gets a
database of its own, copied from a template that the migrations brought to the head once per run, and
dropped after the test.

Tests that take the engine (the `db` fixture, `new_target`, the committee's tests) run once per engine:
their ids end in [sqlite] or [postgresql]. A test about SQLite files by nature (a page-by-page backup
copy, WAL, killing an SQLite writer, opening a damaged file) that still takes the engine is marked
`sqlite_only`: its PostgreSQL variant is deselected, not skipped (docs/DEVELOPING.md).
"""
from __future__ import annotations

import itertools
import os
from pathlib import Path

PG_ENV = "SOCHIBO_TEST_PG"
SQLITE, POSTGRESQL = "sqlite", "postgresql"


def engines() -> list[str]:
    return [SQLITE, POSTGRESQL] if os.environ.get(PG_ENV) else [SQLITE]


class PgServer:
    """Makes and drops the per-test databases on the test server."""

    def __init__(self, admin_url: str):
        import psycopg
        from sqlalchemy.engine import make_url

        self.url = make_url(admin_url).set(drivername="postgresql+psycopg")
        params = {"host": self.url.host, "port": self.url.port, "user": self.url.username,
                  "dbname": self.url.database or "postgres"}
        self.admin = psycopg.connect(**{k: v for k, v in params.items() if v is not None}, autocommit=True)
        self.prefix = f"scb_t{os.getpid()}"
        self.template = f"{self.prefix}_tpl"
        self._names = itertools.count(1)
        self._made: list[str] = []
        self._template_ready = False

    def target(self, name: str) -> str:
        return self.url.set(database=name).render_as_string(hide_password=False).replace(
            "postgresql+psycopg://", "postgresql://", 1)

    def _ensure_template(self) -> None:
        if self._template_ready:
            return
        from services.db import make_engine, migrate

        self.admin.execute(f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)')
        self.admin.execute(f'CREATE DATABASE "{self.template}"')
        engine = make_engine(self.target(self.template))
        try:
            migrate(engine, "head")
        finally:
            engine.dispose()
        self._template_ready = True

    def new_database(self, empty: bool = False) -> str:
        """A fresh database: with the program's tables at the head revision, or `empty` (no tables)."""
        name = f"{self.prefix}_{next(self._names)}"
        if empty:
            self.admin.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
        else:
            self._ensure_template()
            self.admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}" STRATEGY FILE_COPY')
        self._made.append(name)
        return self.target(name)

    def drop(self, target: str) -> None:
        from sqlalchemy.engine import make_url

        name = make_url(target).database
        self._drop(name)
        if name in self._made:
            self._made.remove(name)

    def _drop(self, name: str) -> None:
        """DROP ... WITH (FORCE) ends our own sessions on it, not an autovacuum worker (a superuser's):
        wait for that one to finish."""
        import time

        import psycopg

        for attempt in range(50):
            try:
                self.admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                return
            except (psycopg.errors.InsufficientPrivilege, psycopg.errors.ObjectInUse):
                if attempt == 49:
                    raise
                time.sleep(0.1)

    def close(self) -> None:
        for name in [*self._made, self.template]:
            self._drop(name)
        self.admin.close()


class Targets:
    """`new_target("name")`: a new database for one test, a file on SQLite, a database on PostgreSQL."""

    def __init__(self, engine: str, tmp_path: Path, server: PgServer | None):
        self.engine = engine
        self.tmp_path = tmp_path
        self.server = server
        self._made: list[str] = []

    def __call__(self, name: str = "chibo", empty: bool = False) -> Path | str:
        if self.server is None:
            return self.tmp_path / f"{name}.db"
        target = self.server.new_database(empty=empty)
        self._made.append(target)
        return target

    def cleanup(self) -> None:
        if self.server is not None:
            for target in self._made:
                self.server.drop(target)


# --- reading a database in tests, on either engine --------------------------------------------------

class _Borrowed:
    """An engine passed in by the caller: used, not disposed."""

    def __init__(self, engine):
        self.engine = engine

    def connect(self):
        return self.engine.connect()

    def dispose(self):
        pass


def _engine_of(target):
    """A new engine for a file or a URL; an Engine given is used as it is."""
    from sqlalchemy import Engine

    from services.db import make_engine

    return _Borrowed(target) if isinstance(target, Engine) else make_engine(target)


def rows_of(target, table: str, columns: str = "*", order: str | None = None) -> list[tuple]:
    """Every row of a table (committed state), read with a connection of its own."""
    from sqlalchemy import text

    engine = _engine_of(target)
    try:
        with engine.connect() as conn:
            sql = f"SELECT {columns} FROM {table}" + (f" ORDER BY {order}" if order else "")
            return [tuple(r) for r in conn.execute(text(sql))]
    finally:
        engine.dispose()


def member_names(target) -> list[str]:
    return sorted(r[0] for r in rows_of(target, "member", "full_name"))


def counts(target, tables) -> list[int]:
    """The number of rows of each table (that exists)."""
    from sqlalchemy import func, inspect, select, table

    engine = _engine_of(target)
    try:
        with engine.connect() as conn:
            present = set(inspect(conn).get_table_names())
            return [conn.execute(select(func.count()).select_from(table(t))).scalar_one()
                    for t in tables if t in present]
    finally:
        engine.dispose()


def snapshot(target) -> list[str]:
    """Every row of every table of the program, in a stable order: equal snapshots, nothing changed."""
    from sqlalchemy import select, text

    import models

    engine = _engine_of(target)
    try:
        with engine.connect() as conn:
            out = [f"alembic_version {tuple(r)!r}" for r in conn.execute(text("SELECT version_num FROM alembic_version"))]
            for t in sorted(models.Base.metadata.tables.values(), key=lambda t: t.name):
                order = list(t.primary_key.columns) or list(t.columns)
                out.extend(f"{t.name} {tuple(r)!r}" for r in conn.execute(select(t).order_by(*order)))
            return out
    finally:
        engine.dispose()
