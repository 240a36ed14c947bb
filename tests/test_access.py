"""The password for opening the program: scrypt hashes only, a recovery code that needs nobody."""
from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import unicodedata

import pytest

from models import AccessLock
from services import access
from services.errors import ValidationError
from tests.engines import snapshot


@pytest.fixture
def fast_scrypt(monkeypatch):
    """The parameters are stored with each hash; tests use a cheap N except where the default is checked."""
    monkeypatch.setattr(access, "SCRYPT_N", 2 ** 10)


def test_stored_only_as_slow_salted_scrypt_hashes(db):
    with db.begin() as s:
        code = access.set_password(s, "Chi bộ 2025!", "Chi bộ 2025!")
    with db.begin() as s:
        lock = s.query(AccessLock).one()
        stored = (lock.password_hash, lock.recovery_hash)
    for value in stored:
        scheme, n, r, p, salt, key = value.split("$")
        assert (scheme, int(n), int(r), int(p)) == ("scrypt", 2 ** 17, 8, 1)  # OWASP's recommendation
        assert len(salt) >= 20 and len(key) >= 40
    assert stored[0].split("$")[4] != stored[1].split("$")[4]  # a salt per hash
    db.close()
    if db.path is not None:  # the file and its journals, free pages included
        raw = b"".join(p.read_bytes() for p in db.path.parent.glob("chibo.db*"))
    else:  # every row of every table on the server
        raw = "\n".join(snapshot(db.target)).encode()
    assert "Chi bộ 2025!".encode() not in raw and code.encode() not in raw
    assert hashlib.scrypt  # standard library only


def test_password_opens_wrong_one_does_not(db, fast_scrypt):
    with db.begin() as s:
        assert not access.is_locked(s)
        access.set_password(s, "matkhau", "matkhau")
    with db.begin() as s:
        assert access.is_locked(s)
        assert access.unlock(s, "matkhau") == access.PASSWORD
        assert access.unlock(s, " matkhau ") == access.PASSWORD  # spaces around are ignored
        assert access.unlock(s, "MatKhau") is None
        assert access.unlock(s, "") is None


def test_vietnamese_password_typed_decomposed_still_opens(db, fast_scrypt):
    with db.begin() as s:
        access.set_password(s, "Hồ Chí Minh", "Hồ Chí Minh")
    with db.begin() as s:
        assert access.unlock(s, unicodedata.normalize("NFD", "Hồ Chí Minh")) == access.PASSWORD


def test_recovery_code_opens_once_then_a_new_password_and_code(db, fast_scrypt):
    with db.begin() as s:
        code = access.set_password(s, "matkhau", "matkhau")
    assert len(code) == 23 and code.count("-") == 3
    assert all(len(g) == 5 and set(g) <= set(access.RECOVERY_ALPHABET) for g in code.split("-"))
    typed = code.lower().replace("-", " ")  # as read from paper
    with db.begin() as s:
        assert access.unlock(s, typed) == access.RECOVERY
        new_code = access.set_password(s, "moi-hon", "moi-hon", current=typed)
    assert new_code != code
    with db.begin() as s:
        assert access.unlock(s, code) is None  # the old code no longer works
        assert access.unlock(s, "matkhau") is None
        assert access.unlock(s, new_code) == access.RECOVERY
        assert access.unlock(s, "moi-hon") == access.PASSWORD


def test_changing_or_removing_needs_the_current_password_or_code(db, fast_scrypt):
    with db.begin() as s:
        code = access.set_password(s, "matkhau", "matkhau")
    with pytest.raises(ValidationError) as err:
        with db.begin() as s:
            access.set_password(s, "khac-hon", "khac-hon", current="sai")
    assert "không đúng" in str(err.value)
    with pytest.raises(ValidationError):
        with db.begin() as s:
            access.remove_password(s, "sai")
    with db.begin() as s:
        access.remove_password(s, code)
    with db.begin() as s:
        assert not access.is_locked(s)


def test_new_password_rules_in_vietnamese(db, fast_scrypt):
    assert access.password_problems("abc", "abc") == ["Mật khẩu phải có ít nhất 6 ký tự."]
    assert access.password_problems("abcdef", "abcdeg") == ["Hai lần nhập mật khẩu không giống nhau."]
    assert access.password_problems("abcdef", "abcdef") == []
    with pytest.raises(ValidationError):
        with db.begin() as s:
            access.set_password(s, "      ", "      ")
    with db.begin() as s:
        assert not access.is_locked(s)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
def test_recovery_sheet_is_a_one_page_pdf_with_the_code(tmp_path):
    code = access.new_recovery_code()
    out = tmp_path / "ma.pdf"
    access.write_recovery_sheet(out, code, "Chi bộ Văn phòng Sở", tmp_path / "so-chi-bo.db")
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.M) and "(A4)" in info
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(out), "-"], capture_output=True, text=True,
                          encoding="utf-8").stdout
    assert code.replace("-", " - ") in text
    assert "Chi bộ Văn phòng Sở" in text and "không mã hóa" in text
