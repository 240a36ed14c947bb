"""The program's log: errors the user could not cause, written to a rotating file in the data folder.

`install_logging()` is called once at start (main.py, ui/app.py); it is safe to call again. The
window and the command line tell the user where the file is (`log_path()`) when something
unexpected happens, so that it can be sent to whoever helps them.
"""
from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from .paths import data_dir

LOG_FILENAME = "so-chi-bo.log"
MAX_BYTES = 1_000_000   # one file is at most about 1 MB ...
BACKUP_COUNT = 5        # ... and five older files are kept (so-chi-bo.log.1 … .5)
FORMAT = "%(asctime)s %(levelname)s %(name)s [pid %(process)d]: %(message)s"

logger = logging.getLogger("sochibo")


class _OurHandler(logging.handlers.RotatingFileHandler):
    """Marks the handler this module installed, so that installing twice replaces it."""


def log_dir() -> Path:
    return data_dir() / "logs"


def log_path() -> Path:
    return log_dir() / LOG_FILENAME


def install_logging(level: int = logging.INFO) -> Path:
    """Send the program's log records to the rotating file in the data folder; returns its path.

    Never fails: when the data folder cannot be written, the log goes nowhere but the program runs.
    """
    path = log_path()
    root = logging.getLogger()
    for handler in list(root.handlers):
        if isinstance(handler, _OurHandler):
            if Path(handler.baseFilename) == path.resolve():
                return path
            root.removeHandler(handler)
            handler.close()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = _OurHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8", delay=True)
    except OSError:
        return path
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.setLevel(level)
    root.addHandler(handler)
    if root.level > level or root.level == logging.NOTSET:
        root.setLevel(level)
    return path


def log_unexpected(exc: BaseException, where: str = "") -> Path:
    """Write an unexpected error with its traceback to the log; returns the log's path."""
    path = install_logging()
    logger.error("Unexpected error%s", f" in {where}" if where else "",
                 exc_info=(type(exc), exc, exc.__traceback__))
    flush()
    return path


def flush() -> None:
    for handler in logging.getLogger().handlers:
        if isinstance(handler, _OurHandler):
            handler.flush()
