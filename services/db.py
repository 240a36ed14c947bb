"""Opening a Sổ chi bộ database: engine settings, schema check, upgrade after a backup."""
from __future__ import annotations

import ast
import contextlib
import re
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.orm import Session, sessionmaker

from . import audit, backup, integrity
from .errors import UserError
from .i18n import _

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


class NoDatabaseError(UserError):
    pass


class NotOurDatabaseError(UserError):
    pass


class NewerDatabaseError(UserError):
    pass


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    # FULL: a power cut never loses a committed transaction.
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


def make_engine(path: Path | str) -> Engine:
    engine = create_engine(f"sqlite:///{Path(path)}")
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


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
    """An open database file with a session factory."""

    def __init__(self, path: Path, engine: Engine):
        self.path = path
        self.engine = engine
        self.Session = sessionmaker(engine, expire_on_commit=False)
        self.upgrade_backup: Path | None = None
        audit.install(self)  # data safety: every change is logged (services/audit.py)

    @contextlib.contextmanager
    def begin(self) -> Iterator[Session]:
        """One unit of work: committed on success, rolled back on any error."""
        with self.Session.begin() as session:
            yield session

    def close(self) -> None:
        self.engine.dispose()


def _check_sqlite_file(path: Path) -> None:
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        raise NotOurDatabaseError(_("Cannot read the file {path}: {error}").format(path=path, error=exc)) from exc
    if head and head != b"SQLite format 3\x00":
        raise NotOurDatabaseError(_("The file {path} is not a Sổ chi bộ database.").format(path=path))


def open_database(path: Path | str, create: bool = False) -> Database:
    """Open (or with `create`, make) the database at `path` and bring its schema up to date.

    An older schema is upgraded in place after a dated backup; a schema written by a newer
    version of the program is refused, so that this version never damages it.
    """
    path = Path(path)
    if not path.exists():
        if not create:
            raise NoDatabaseError(
                _("There is no database at {path}. Create one with the command 'init'.").format(path=path)
            )
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
        raise NotOurDatabaseError(
            _("The file {path} is damaged or is not a Sổ chi bộ database.").format(path=path)
        ) from exc
    except Exception:
        engine.dispose()
        raise
    return db


def _upgrade_schema(db: Database) -> None:
    with db.engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        current = None
        if "alembic_version" in tables:
            current = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    known, head = known_revisions()
    if current == head:
        return
    if current is None:
        if tables - {"alembic_version"}:
            raise NotOurDatabaseError(_("The file {path} is not a Sổ chi bộ database.").format(path=db.path))
    else:
        if current not in known:
            raise NewerDatabaseError(
                _("This database was written by a newer version of Sổ chi bộ. "
                  "Install the newer version to open it; nothing was changed.")
            )
        db.upgrade_backup = backup.backup_before(db.path, "truoc-nang-cap")
    from alembic import command

    cfg = alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


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
