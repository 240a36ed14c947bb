"""The program's log: errors the user could not cause, written to a rotating file in the data folder.

`install_logging()` is called once at start (main.py, ui/app.py); it is safe to call again. The
window and the command line tell the user where the file is (`log_path()`) when something
unexpected happens, so that it can be sent to whoever helps them.

The log is sent to other people, so it never holds personal data: an unexpected error is written as
its type and the place in the program (the traceback's file, line and code), with its message
`redact`ed: quoted text, numbers (dates, card numbers) and words with Vietnamese letters are replaced
by "…". The database engine is made with `hide_parameters=True`, so SQL errors carry no values either.
"""
from __future__ import annotations

import logging
import logging.handlers
import re
import traceback
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


_QUOTED = re.compile(r"'[^'\n]*'|\"[^\"\n]*\"")
_NUMBER = re.compile(r"\d+")
_NON_ASCII_WORD = re.compile(r"\S*[^\x00-\x7f]\S*")


def redact(text: str) -> str:
    """Text without what could be personal data: quoted text, numbers, words with non-ASCII letters."""
    text = _QUOTED.sub("'…'", text)
    text = _NON_ASCII_WORD.sub("…", text)
    return _NUMBER.sub("0", text)


def safe_traceback(exc: BaseException) -> str:
    """The traceback of `exc` (and of the exceptions it came from), messages redacted."""
    parts: list[str] = []
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen and len(seen) < 10:
        seen.add(id(cur))
        block = "Traceback (most recent call last):\n" + "".join(traceback.format_tb(cur.__traceback__))
        block += f"{type(cur).__module__}.{type(cur).__qualname__}: {redact(str(cur))}\n"
        parts.append(block)
        cur = cur.__cause__ or (None if cur.__suppress_context__ else cur.__context__)
    return "\nThe above was caused by:\n".join(reversed(parts))


def log_unexpected(exc: BaseException, where: str = "") -> Path:
    """Write an unexpected error with its traceback (messages redacted) to the log; returns the log's path."""
    path = install_logging()
    logger.error("Unexpected error%s: %s", f" in {where}" if where else "", safe_traceback(exc))
    flush()
    return path


def flush() -> None:
    for handler in logging.getLogger().handlers:
        if isinstance(handler, _OurHandler):
            handler.flush()
