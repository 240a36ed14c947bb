"""Builders shared by the exchange tests: branch databases reviewed with the real year-end review,
and tools to take a container apart and put it back together (re-signed or not)."""
from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from services import members as msvc
from services.branch import BranchIdentity, set_identity
from services.db import open_database
from services.exchange import keys
from services.exchange.container import MANIFEST, PUBLIC_KEY, SIGNATURE
from tests.engines import snapshot

COMMITTEE_PARENTS = ["ĐẢNG BỘ TỈNH TRÀ VINH", "ĐẢNG ỦY KHỐI CÁC CƠ QUAN VÀ DOANH NGHIỆP"]
COMMITTEE = "Đảng ủy Sở Lao động - TBXH"
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương"]
MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Thanh", "Hữu", "Kim", "Quốc"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Đức", "Hà", "Hạnh", "Hương", "Lan", "Long", "Mai", "Nam", "Phúc",
         "Quang", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Uyên", "Vinh", "Yến", "Ánh", "Ơn"]


def make_branch(path: Path, name: str, levels: dict[str, int], new_members: int, proposed: str | None,
                year: int = 2020, offset: int = 0) -> None:
    """A branch database built from scratch and reviewed with the program's own year-end review:
    members decided at the given levels, newly admitted members (within 6 months of the review) whom
    the review does not rate, and the branch's proposed collective level. Returns no provider: the
    export reads the real review."""
    from services.review.service import ReviewInput, branch_review, save_branch_review, save_review
    from tests.review_helpers import branch_confirmed, confirmed

    db = open_database(path, create=True)
    today = dt.date(year + 1, 1, 5)
    try:
        with db.begin() as s:
            set_identity(s, BranchIdentity(name=name, parents=[*COMMITTEE_PARENTS, COMMITTEE], place="Trà Vinh",
                                           secretary="Từ Minh Điền"))
            n = offset
            plan = [lvl for lvl, count in levels.items() for _ in range(count)] + [None] * new_members
            for level in plan:
                n += 1
                full = " ".join([FAMILY[n % len(FAMILY)], MIDDLE[(n // 3) % len(MIDDLE)], GIVEN[n % len(GIVEN)]])
                birth = dt.date(1955 + n % 30, 1 + n % 12, 1 + n % 28)
                if level is None:
                    msvc.add_member(s, msvc.MemberInput(full, dt.date(year, 9, 1), None, birth), today)
                else:
                    m = msvc.add_member(s, msvc.MemberInput(full, dt.date(2005, 3, 1), dt.date(2006, 3, 2), birth),
                                        today)
                    save_review(s, year, m.id, ReviewInput(decided_level=level, flags=confirmed(year, level)))
            br = branch_review(s, year)
            br.proposed_level = proposed or ""
            br.flags = branch_confirmed(year, proposed) if proposed else {}
            save_branch_review(s, br)
    finally:
        db.close()
    return None


def export_branch(path: Path, out: Path, provider, key: Ed25519PrivateKey, year: int = 2020,
                  now: dt.datetime | None = None) -> Path:
    from services.exchange.export import export_year

    db = open_database(path)
    try:
        with db.begin() as s:
            export_year(s, year, out, provider=provider, key=key, now=now)
    finally:
        db.close()
    return out


def make_committee(path: Path | str, expected: list[str] = ()):
    """A committee's database at `path`: a file, or a database on the test server."""
    from services.exchange.committee import register_branch

    db = open_database(path, create=True)
    with db.begin() as s:
        set_identity(s, BranchIdentity(name=COMMITTEE, parents=COMMITTEE_PARENTS, place="Trà Vinh",
                                       secretary="Nguyễn Văn Khiêm", kind="committee"))
        for name in expected:
            register_branch(s, name)
    return db


def dump(target) -> list[str]:
    """Every row of every table, read with a separate connection (committed state, WAL included)."""
    return snapshot(target)


def entries(raw: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def zip_of(items: list[tuple[str | zipfile.ZipInfo, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, blob in items:
            zf.writestr(name, blob)
    return buf.getvalue()


def resign(raw: bytes, key: Ed25519PrivateKey, manifest_edit=None, replace: dict[str, bytes] | None = None,
           rehash: bool = True) -> bytes:
    """Take a container apart, change entries and/or the manifest, sign again with `key`.

    With `rehash`, the manifest's hashes follow the changed entries (so only the change itself is wrong)."""
    parts = entries(raw)
    parts.update(replace or {})
    parts[PUBLIC_KEY] = keys.b64(keys.public_raw(key)).encode()
    manifest = json.loads(parts[MANIFEST])
    if rehash:
        import hashlib

        for name in list(manifest["files"]):
            if name in parts:
                manifest["files"][name]["sha256"] = hashlib.sha256(parts[name]).hexdigest()
                manifest["files"][name]["size"] = len(parts[name])
    if manifest_edit:
        manifest_edit(manifest)
    mbytes = json.dumps(manifest, ensure_ascii=False).encode()
    parts[MANIFEST] = mbytes
    parts[SIGNATURE] = keys.b64(key.sign(mbytes)).encode()
    return zip_of(list(parts.items()))


def accept_all_held(db) -> list[str]:
    """The office accepts every held file, typing each key's digits as the branch reads them out."""
    from services.exchange.committee import accept_held, held_files

    names = []
    with db.begin() as s:
        files = held_files(s)
    for h in files:
        with db.begin() as s:
            names.append(accept_held(s, h.id, h.short_fingerprint).name)
    return names


def receive_accepted(db, path, **kw):
    """Receive a file and, when it is held, accept it as the office would after the phone call."""
    from services.exchange.committee import ReceiveStatus, accept_held, receive_file

    result = receive_file(db, path, **kw)
    if result.status == ReceiveStatus.HELD:
        with db.begin() as s:
            accept_held(s, result.file_id, result.fingerprint[:16])
    return result
