"""Who has a database file open: a lock file beside it, `NAME.db.lock`, naming the holder.

The window takes the lock when it opens a file and gives it back when it closes it. A second window on
the same file (on this computer, or on another one through a shared folder) is told who holds it, so
that two people do not overwrite each other's work. The lock has two parts:

* an operating-system lock on the lock file (`flock` on POSIX, `msvcrt.locking` on Windows), held as
  long as the program runs: it disappears by itself when the program ends or crashes, so a lock left
  by a crash is never mistaken for a live one on the same computer;
* the holder written inside (user, computer, process, since when), to say who it is. Another computer
  on a network share may not see the operating-system lock; its holder is then shown as "perhaps still
  open", and the user decides.

The lock file is emptied, never deleted, when released (deleting it would let two programs each lock a
different file of the same name). A restore refuses to replace a file that another program holds.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import os
import socket
import sys
from dataclasses import dataclass
from pathlib import Path

from .errors import UserError
from .i18n import _, format_date

log = logging.getLogger("sochibo.filelock")
SUFFIX = ".lock"
_WINDOWS_LOCK_OFFSET = 1 << 20   # Windows locks a byte range; lock one far past the text, so it stays readable


def lock_path(db_path: Path | str) -> Path:
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + SUFFIX)


@dataclass
class Holder:
    """Who holds the file, as written in the lock file."""

    user: str
    computer: str
    pid: int
    since: dt.datetime | None
    live: bool = True        # the operating-system lock is held (False: another computer, perhaps closed)

    def text(self) -> str:
        since = f"{format_date(self.since.date())} {self.since:%H:%M}" if self.since else "?"
        return _("{user} on the computer {computer}, since {since}").format(
            user=self.user or "?", computer=self.computer or "?", since=since)


class FileInUseError(UserError):
    """The database is open in another window (or perhaps was, on another computer)."""

    def __init__(self, db_path: Path, holder: Holder):
        self.db_path = db_path
        self.holder = holder
        if holder.live:
            text = _("The data file {path} is open in another window of Sổ chi bộ: {holder}. Two windows on one "
                     "file could overwrite each other's changes; close the other window first.")
        else:
            text = _("The data file {path} may still be open on another computer: {holder}. If the program is "
                     "closed there, you can open the file anyway.")
        super().__init__(text.format(path=db_path, holder=holder.text()))


def _try_lock(fd: int) -> bool:
    if sys.platform.startswith("win"):
        import msvcrt

        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _unlock(fd: int) -> None:
    if sys.platform.startswith("win"):
        import msvcrt

        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        except OSError:
            pass
        return
    import fcntl

    fcntl.flock(fd, fcntl.LOCK_UN)


def _read(fd: int) -> dict | None:
    os.lseek(fd, 0, os.SEEK_SET)
    raw = b""
    while len(raw) < 4096:
        chunk = os.read(fd, 4096 - len(raw))
        if not chunk:
            break
        raw += chunk
    try:
        info = json.loads(raw.decode("utf-8")) if raw.strip() else None
    except (ValueError, UnicodeDecodeError):
        return None
    return info if isinstance(info, dict) else None


def _holder(info: dict, live: bool) -> Holder:
    try:
        since = dt.datetime.fromisoformat(str(info.get("since")))
    except ValueError:
        since = None
    try:
        pid = int(info.get("pid") or 0)
    except (TypeError, ValueError):
        pid = 0
    return Holder(str(info.get("user", ""))[:100], str(info.get("computer", ""))[:100], pid, since, live)


def _this_computer() -> str:
    try:
        return socket.gethostname()[:100]
    except OSError:
        return ""


class FileLock:
    """The lock of one open database, held until `release()` (or the end of the program)."""

    def __init__(self, db_path: Path, fd: int | None):
        self.db_path = db_path
        self.fd = fd

    def release(self) -> None:
        if self.fd is None:
            return
        fd, self.fd = self.fd, None
        try:
            os.ftruncate(fd, 0)
            _unlock(fd)
        except OSError as exc:
            log.warning("Releasing the lock of %s: %s", self.db_path, exc)
        finally:
            os.close(fd)


def acquire(db_path: Path | str, user: str = "", force: bool = False) -> FileLock:
    """Hold the lock of `db_path` for this program, or raise FileInUseError naming the holder.

    `force`: take the lock although the lock file names a holder on another computer (the user said
    that program is closed). A live holder on this computer (its operating-system lock) is never
    overridden. A lock file that cannot be made (read-only folder) is logged and ignored.
    """
    db_path = Path(db_path)
    path = lock_path(db_path)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o644)
    except OSError as exc:
        log.warning("No lock file for %s: %s", db_path, exc)
        return FileLock(db_path, None)
    if not _try_lock(fd):
        held = _read(fd) or {}
        os.close(fd)
        raise FileInUseError(db_path, _holder(held, live=True))
    info = _read(fd)
    if info and info.get("computer") != _this_computer() and not force:
        _unlock(fd)
        os.close(fd)
        raise FileInUseError(db_path, _holder(info, live=False))
    if info:
        log.info("Lock file of %s taken over from %s", db_path, info)
    mine = {"user": user, "computer": _this_computer(), "pid": os.getpid(),
            "since": dt.datetime.now().replace(microsecond=0).isoformat()}
    try:
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, json.dumps(mine, ensure_ascii=False).encode("utf-8"))
        os.fsync(fd)
    except OSError as exc:
        log.warning("Writing the lock file of %s: %s", db_path, exc)
    return FileLock(db_path, fd)


def holder(db_path: Path | str) -> Holder | None:
    """Who holds the file now (None: nobody). Does not take the lock."""
    path = lock_path(db_path)
    try:
        fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))
    except OSError:
        return None
    try:
        if not _try_lock(fd):
            return _holder(_read(fd) or {}, live=True)
        info = _read(fd)
        _unlock(fd)
        if info and info.get("computer") != _this_computer():
            return _holder(info, live=False)
        return None
    finally:
        os.close(fd)


def refuse_if_held(db_path: Path | str) -> None:
    """Raise FileInUseError when another program holds the file (for a restore from the command line)."""
    found = holder(db_path)
    if found is not None and found.live:
        raise FileInUseError(Path(db_path), found)
