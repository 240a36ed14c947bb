"""Where the program's resources and the user's data live."""
from __future__ import annotations

import sys
from pathlib import Path

import platformdirs

APP_NAME = "SoChiBo"
DB_FILENAME = "so-chi-bo.db"


def program_dir() -> Path:
    """Folder of main.py, or of the executable when frozen by PyInstaller."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    return Path(__file__).resolve().parents[1]


def resources_dir() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parents[1] / "resources"


def is_portable() -> bool:
    """A file named `portable` beside the program keeps the data beside it (USB stick)."""
    return (program_dir() / "portable").exists()


def data_dir() -> Path:
    if is_portable():
        path = program_dir() / "data"
    else:
        path = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=True))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_db_path() -> Path:
    return data_dir() / DB_FILENAME


def backups_dir_for(db_path: Path) -> Path:
    """Backups sit in a `backups` folder beside the database file."""
    path = Path(db_path).resolve().parent / "backups"
    path.mkdir(parents=True, exist_ok=True)
    return path
