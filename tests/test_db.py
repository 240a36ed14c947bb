import sqlite3

import pytest
from alembic import command
from alembic.script import ScriptDirectory

from services import db as dbmod
from services.db import NewerDatabaseError, NoDatabaseError, NotOurDatabaseError, open_database


@pytest.mark.sqlite_only
def test_connection_settings_protect_committed_data(db):
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL


def test_missing_file_is_not_created_unless_asked(tmp_path):
    with pytest.raises(NoDatabaseError) as err:
        open_database(tmp_path / "none.db")
    assert "Không có tệp dữ liệu" in str(err.value)
    assert not (tmp_path / "none.db").exists()


def test_other_files_are_refused(tmp_path):
    text = tmp_path / "list.db"
    text.write_text("Họ và tên\nNguyễn Văn A\n", encoding="utf-8")
    with pytest.raises(NotOurDatabaseError):
        open_database(text)
    assert text.read_text(encoding="utf-8") == "Họ và tên\nNguyễn Văn A\n"
    other = tmp_path / "other.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    with pytest.raises(NotOurDatabaseError):
        open_database(other)


def test_database_from_a_newer_version_is_refused_untouched(tmp_path):
    path = tmp_path / "newer.db"
    open_database(path, create=True).close()
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num='9999_future'")
    con.commit()
    con.close()
    before = path.read_bytes()
    with pytest.raises(NewerDatabaseError) as err:
        open_database(path)
    assert "phiên bản Sổ chi bộ mới hơn" in str(err.value)
    assert path.read_bytes() == before


def _older_revisions():
    script = ScriptDirectory.from_config(dbmod.alembic_config())
    revs = [r.revision for r in script.walk_revisions()]
    return revs[1:]  # every revision except the head


@pytest.mark.parametrize("revision", _older_revisions())
def test_older_database_is_backed_up_then_upgraded(tmp_path, revision):
    path = tmp_path / "old.db"
    engine = dbmod.make_engine(path)
    cfg = dbmod.alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    engine.dispose()
    database = open_database(path)
    try:
        assert database.upgrade_backup is not None and database.upgrade_backup.exists()
        with database.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == dbmod.head_revision()
        con = sqlite3.connect(database.upgrade_backup)
        assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == revision
        con.close()
    finally:
        database.close()


def test_schema_matches_models(new_target):
    """The migrations create exactly what models/ declares (no forgotten migration), on either engine."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    import models

    database = open_database(new_target("x", empty=True), create=True)
    with database.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), models.Base.metadata)
    database.close()
    assert diff == []


def test_revision_headers_read_without_alembic_agree_with_alembic():
    script = ScriptDirectory.from_config(dbmod.alembic_config())
    known, head = dbmod.known_revisions()
    assert known == {r.revision for r in script.walk_revisions()}
    assert [head] == script.get_heads()
