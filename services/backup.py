"""Consistent copies of a live database with SQLite's online backup API."""
from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from .paths import backups_dir_for


def online_backup(src: Path | str, dest: Path | str) -> Path:
    """Copy the database at `src` to `dest` page by page, consistent even while in use (WAL)."""
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".part")
    if tmp.exists():
        tmp.unlink()
    source = sqlite3.connect(f"file:{Path(src)}?mode=ro", uri=True)
    try:
        target = sqlite3.connect(tmp)
        try:
            source.backup(target)
            target.execute("PRAGMA journal_mode=DELETE")
        finally:
            target.close()
    finally:
        source.close()
    tmp.replace(dest)
    return dest


def backup_before(db_path: Path | str, reason: str) -> Path:
    """A dated backup beside the database, named after why it was taken (e.g. 'truoc-nang-cap')."""
    db_path = Path(db_path)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    dest = backups_dir_for(db_path) / f"{db_path.stem}-{stamp}-{reason}.db"
    n = 1
    while dest.exists():
        n += 1
        dest = dest.with_name(f"{db_path.stem}-{stamp}-{reason}-{n}.db")
    return online_backup(db_path, dest)
