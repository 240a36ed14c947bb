"""An optional password that the program asks for before it shows anything (a lock, not encryption).

A branch's computer is often shared; the password keeps the register from casual eyes. It locks the
program's WINDOW only ("khóa cửa sổ chương trình, không mã hóa tệp"): the command line does not ask
for it, and whoever copies the database file can read it with other tools. The window, the recovery
sheet, `password --help`, every command run on a locked file, the guide and docs/reliability.md say so.
Why not encryption (SQLCipher): see docs/reliability.md, section 4.

Stored only as slow salted hashes: scrypt from Python's standard library (hashlib.scrypt), with the
parameters recommended by the OWASP Password Storage Cheat Sheet: N = 2^17, r = 8, p = 1 (128 MiB of
memory and about half a second per try on an office PC), a random 16-byte salt per hash, a 32-byte key.
The parameters are stored with each hash, so they can be raised later without breaking old hashes.

Recovery that does not depend on anyone: setting a password gives a recovery code of 4 groups of 5
letters and digits (about 99 bits), shown once to be printed and kept in the branch's files. The code
opens the program like the password and then a new password (and a new code) must be set. The code is
also stored only as an scrypt hash.
"""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import re
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import AccessLock

from .errors import ValidationError
from .i18n import _
from .vntext import nfc

SCRYPT_N = 2 ** 17
SCRYPT_R = 8
SCRYPT_P = 1
KEY_BYTES = 32
SALT_BYTES = 16
MAX_MEMORY = 512 * 1024 * 1024  # hashlib's limit must exceed 128 * N * r bytes

MIN_LENGTH = 6
RECOVERY_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no I, L, O, 0, 1: nothing to misread on paper
RECOVERY_GROUPS = 4
RECOVERY_GROUP_LENGTH = 5

PASSWORD = "password"
RECOVERY = "recovery"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _scrypt(secret: str, salt: bytes, n: int, r: int, p: int, length: int) -> bytes:
    return hashlib.scrypt(secret.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=length,
                          maxmem=max(MAX_MEMORY, 256 * n * r))


def hash_secret(secret: str) -> str:
    """'scrypt$N$r$p$salt$key' (salt and key in base64)."""
    salt = secrets.token_bytes(SALT_BYTES)
    key = _scrypt(secret, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P, KEY_BYTES)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(key)}"


def verify_secret(secret: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, key = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(key)
        got = _scrypt(secret, base64.b64decode(salt), int(n), int(r), int(p), len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, expected)


def normalise_password(text: str) -> str:
    """NFC without surrounding spaces, so that a password typed with another Vietnamese keyboard setting matches."""
    return nfc(text)


def normalise_code(text: str) -> str:
    """'abcde fghjk-mnpqr stuvw' -> 'ABCDEFGHJKMNPQRSTUVW'."""
    return re.sub(r"[^0-9A-Z]", "", (text or "").upper())


def looks_like_code(text: str) -> bool:
    code = normalise_code(text)
    return len(code) == RECOVERY_GROUPS * RECOVERY_GROUP_LENGTH and all(c in RECOVERY_ALPHABET for c in code)


def new_recovery_code() -> str:
    chars = [secrets.choice(RECOVERY_ALPHABET) for _i in range(RECOVERY_GROUPS * RECOVERY_GROUP_LENGTH)]
    return "-".join("".join(chars[i:i + RECOVERY_GROUP_LENGTH])
                    for i in range(0, len(chars), RECOVERY_GROUP_LENGTH))


def _lock(session: Session) -> AccessLock | None:
    return session.scalar(select(AccessLock).order_by(AccessLock.id).limit(1))


def is_locked(session: Session) -> bool:
    """Whether a password must be given to open the program on this database."""
    return _lock(session) is not None


def unlock(session: Session, secret: str) -> str | None:
    """PASSWORD or RECOVERY when `secret` opens the program, None when it does not (or no lock is set)."""
    lock = _lock(session)
    if lock is None or not secret:
        return None
    if verify_secret(normalise_password(secret), lock.password_hash):
        return PASSWORD
    if looks_like_code(secret) and verify_secret(normalise_code(secret), lock.recovery_hash):
        return RECOVERY
    return None


def password_problems(new: str, repeat: str) -> list[str]:
    new_n, repeat_n = normalise_password(new), normalise_password(repeat)
    problems = []
    if len(new_n) < MIN_LENGTH:
        problems.append(_("The password must have at least {n} characters.").format(n=MIN_LENGTH))
    elif new_n != repeat_n:
        problems.append(_("The two passwords are not the same."))
    return problems


def _require_current(session: Session, current: str | None) -> None:
    if is_locked(session) and unlock(session, current or "") is None:
        raise ValidationError(_("The current password (or the recovery code) is not right."))


def set_password(session: Session, new: str, repeat: str, current: str | None = None) -> str:
    """Set or change the password; returns the new recovery code, to be shown once and printed.

    When a password is set, `current` must be it or the recovery code. The old recovery code stops working.
    """
    _require_current(session, current)
    problems = password_problems(new, repeat)
    if problems:
        raise ValidationError(problems)
    code = new_recovery_code()
    lock = _lock(session)
    if lock is None:
        lock = AccessLock(password_hash="", recovery_hash="", changed_at=dt.datetime.now())
        session.add(lock)
    lock.password_hash = hash_secret(normalise_password(new))
    lock.recovery_hash = hash_secret(normalise_code(code))
    lock.changed_at = dt.datetime.now()
    session.flush()
    return code


def remove_password(session: Session, current: str) -> None:
    """Open the program without a password from now on; `current` is the password or the recovery code."""
    _require_current(session, current)
    for lock in session.scalars(select(AccessLock)):
        session.delete(lock)
    session.flush()


def write_recovery_sheet(target, code: str, branch_name: str, db_path, when: dt.date | None = None) -> None:
    """One A4 page with the recovery code, to print and keep with the branch's papers."""
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    from .pdf import bullet, heading, para, register_fonts
    from .pdf.layout import FAMILY

    register_fonts()
    when = when or dt.date.today()
    title = ParagraphStyle("recovery_title", fontName=FAMILY + "-Bold", fontSize=16, leading=20,
                           alignment=TA_CENTER, spaceAfter=6 * mm)
    code_style = ParagraphStyle("recovery_code", fontName=FAMILY + "-Bold", fontSize=26, leading=34,
                                alignment=TA_CENTER, spaceBefore=8 * mm, spaceAfter=8 * mm)
    doc = SimpleDocTemplate(str(target) if not hasattr(target, "write") else target, pagesize=A4,
                            topMargin=25 * mm, bottomMargin=20 * mm, leftMargin=30 * mm, rightMargin=20 * mm,
                            title=_("Recovery code"), creator="Sổ chi bộ", invariant=1, lang="vi",
                            initialFontName=FAMILY)   # else each page starts in Helvetica, which is not embedded
    story = [
        Paragraph(_("RECOVERY CODE OF THE PASSWORD OF SỔ CHI BỘ"), title),
        para(_("Branch: {name}").format(name=nfc(branch_name) or "…"), align="left"),
        para(_("Data file: {path}").format(path=db_path), align="left"),
        para(_("Password set on {date}.").format(date=when.strftime("%d/%m/%Y")), align="left"),
        Paragraph(nfc(code).replace("-", " - "), code_style),
        heading(_("How to use it")),
        bullet(_("If the password is forgotten: open Sổ chi bộ and type this code in place of the password. "
                 "The program opens and asks for a new password; it then gives a new recovery code, and this "
                 "one no longer works.")),
        bullet(_("Keep this page with the branch's papers, not beside the computer. Whoever has it can open "
                 "the program.")),
        bullet(_("The password locks the program's window; it does not encrypt the file. The command line and "
                 "other programs read the data file without it, and whoever copies the file "
                 "can read it with other tools.")),
        Spacer(1, 10 * mm),
    ]
    doc.build(story)
