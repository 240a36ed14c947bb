"""Where a database is: an SQLite file on this computer, or a database on a PostgreSQL server.

`--db` (and the window's "Open") takes either a file or a server URL:

* a file: `so-chi-bo.db`, `D:\\Chi bo\\so-chi-bo.db` (SQLite, the embedded default);
* a server: `postgresql://USER@HOST[:PORT]/DBNAME`, or `postgresql:///?service=NAME` for an entry of the
  libpq service file (`pg_service.conf`). `postgres://` and `postgresql+psycopg://` are the same thing.
  Query options of libpq pass through: `?sslmode=require`, `?connect_timeout=5`, ...

A URL never carries a password: a command line is visible to every user of the computer (and stays in
the shell's history). The password comes from libpq's password file (`PGPASSFILE`, by default
`~/.pgpass` or `%APPDATA%\\postgresql\\pgpass.conf`), the service file, or is asked for when the server
wants one and none is found (`services.db.PasswordNeededError`).

TLS: libpq's default `sslmode=prefer` (TLS whenever the server offers it) unless the URL, the service
file or `PGSSLMODE` says otherwise (`require`, `verify-full` to also check the server's certificate).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import UserError
from .i18n import _

if TYPE_CHECKING:  # SQLAlchemy is imported only when a server is named (the window starts without it)
    from sqlalchemy.engine import URL

SERVER_DRIVER = "postgresql+psycopg"
_SERVER_URL = re.compile(r"^\s*postgres(?:ql)?(?:\+[a-z0-9_]+)?://", re.I)
_SQLITE_URL = re.compile(r"^\s*sqlite:///", re.I)


def is_server_target(target: object) -> bool:
    """Whether `target` (a --db value) names a database on a server rather than a file."""
    if isinstance(target, Location):
        return target.is_server
    return isinstance(target, str) and bool(_SERVER_URL.match(target))


def server_url(text: str) -> URL:
    """The SQLAlchemy URL of a server database, checked: PostgreSQL through psycopg, no password in it."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        url = make_url(text.strip())
    except ArgumentError as exc:
        raise UserError(_("Cannot read the database address {url}: {error}").format(url=text, error=exc)) from exc
    if url.password is not None:
        raise UserError(_(
            "Do not write the password in the database address: other users of the computer can see it. "
            "Put it in the PostgreSQL password file (pgpass) or service file, or leave it out and the program "
            "asks for it."))
    if not url.database and "service" not in url.query:
        raise UserError(_("The database address {url} names no database: add /DBNAME at the end, e.g. "
                          "postgresql://sochibo@server/dangbo.").format(url=text.strip()))
    return url.set(drivername=SERVER_DRIVER)


def db_target(value: str) -> Path | str:
    """argparse type of --db: a file as a Path, a server as its URL text (checked)."""
    if is_server_target(value):
        server_url(value)
        return value.strip()
    if _SQLITE_URL.match(value):
        return Path(value.strip()[len("sqlite:///"):])
    return Path(value)


@dataclass(frozen=True)
class Location:
    """A database's place: `path` for a file, `url` for a server (exactly one is set)."""

    path: Path | None = None
    url: URL | None = None

    @property
    def is_server(self) -> bool:
        return self.url is not None

    @property
    def display(self) -> str:
        """What the user is shown: the file, or the server's address (never a password)."""
        if self.url is not None:
            shown = self.url.set(drivername="postgresql")
            return shown.render_as_string(hide_password=True)
        return str(self.path)

    @property
    def stem(self) -> str:
        """The start of its backups' names: the file's name, or 'server-database' for a server."""
        if self.path is not None:
            return self.path.stem
        assert self.url is not None
        parts = [self.url.host or self.url.query.get("service") or "local", self.url.database or ""]
        raw = "-".join(str(p) for p in parts if p)
        return re.sub(r"[^A-Za-z0-9_.]+", "_", raw).strip("_.") or "server"

    def backups_folder(self) -> Path:
        """Where its backups are kept (not created here): beside a file; in the user's data folder for a
        server (one folder per server and database)."""
        if self.path is not None:
            return self.path.resolve().parent / "backups"
        from .paths import data_dir

        return data_dir() / "backups" / self.stem


def location_of(target: Path | str | Location) -> Location:
    if isinstance(target, Location):
        return target
    if is_server_target(target):
        return Location(url=server_url(str(target)))
    if isinstance(target, str) and _SQLITE_URL.match(target):
        return Location(path=Path(target.strip()[len("sqlite:///"):]))
    return Location(path=Path(target))


def display(target: Path | str | Location) -> str:
    """A --db value as it is shown to the user (a server's address without any password)."""
    try:
        return location_of(target).display
    except UserError:
        return "?"
