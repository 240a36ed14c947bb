"""The .scb container: what is written, and every kind of hostile or broken file refused by name."""
from __future__ import annotations

import datetime as dt
import json
import os
import stat
import struct
import warnings
import zipfile

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from services.exchange import keys
from services.exchange.container import (
    DATA,
    MANIFEST,
    ExchangeRefused,
    Period,
    build_container,
    read_container,
)
from services.exchange.schema import SUPPORTED, schema_v1, used_keywords, validate
from services.exchange.source import tally_from_members
from tests.exchange_support import entries, resign, zip_of

KEY = Ed25519PrivateKey.generate()
BRANCH = {"uid": "3f0e7a4c-0000-4000-8000-000000000001", "name": "Chi bộ Văn phòng Sở",
          "parents": ["ĐẢNG ỦY SỞ LAO ĐỘNG - TBXH"]}


def sample_data(year=2020):
    members = [
        {"uid": f"m{i}", "name": name, "birth_year": 1970 + i, "status": "full", "level": level,
         "not_rated_reason": None if level else "mới kết nạp", "score": None}
        for i, (name, level) in enumerate([("Nguyễn Văn An", "HTXSNV"), ("Lê Thị Đào", "HTTNV"),
                                           ("Trần Văn Dũng", "HTTNV"), ("Võ Thị Yến", None)])
    ]
    return {
        "period": {"kind": "year", "year": year},
        "members": members,
        "tally": tally_from_members(year, BRANCH["name"], members, "132-QĐ/TW"),
        "collective": {"self_score": 94, "self_score_max": 100, "proposed_level": "HTTNV", "self_assessment": "…"},
        "meetings": {"held": {"regular": 12, "thematic": 4}, "average_attendance": 92.5,
                     "three_unexcused": []},
    }


def good(attachments=None):
    return build_container(BRANCH, Period.of_year(2020), sample_data(), KEY, attachments,
                           now=dt.datetime(2021, 1, 10, 8, 0, tzinfo=dt.UTC), program_version="0.1.0")


def refused(raw, *words):
    with pytest.raises(ExchangeRefused) as err:
        read_container(raw, "chi-bo.scb")
    message = str(err.value)
    assert message.startswith("Không nhận tệp chi-bo.scb: "), message
    for w in words:
        assert w in message, message
    return message


def test_round_trip_holds_the_manifest_the_data_and_the_attachments():
    pdf, xlsx = b"%PDF-1.4 forms", zip_of([("x", b"y")])
    raw = good({"forms_pdf": pdf, "tally_xlsx": xlsx})
    c = read_container(raw, "chi-bo.scb")
    assert c.branch_uid == BRANCH["uid"] and c.branch_name == "Chi bộ Văn phòng Sở"
    assert c.period == Period.of_year(2020) and c.period.text() == "năm 2020"
    assert c.created_at == dt.datetime(2021, 1, 10, 8, 0)
    assert c.data == sample_data()
    assert c.attachments == {"forms_pdf": pdf, "tally_xlsx": xlsx}
    m = c.manifest
    assert (m["format"], m["format_version"], m["signature_algorithm"]) == ("so-chi-bo-exchange", 1, "Ed25519")
    assert set(m["files"]) == {"data.json", "public_key", "bieu-mau-cuoi-nam.pdf", "bang-tong-hop.xlsx"}
    assert c.public_key == keys.public_raw(KEY)
    # the documented schema accepts what the program writes
    assert validate(m, "manifest") == [] and validate(c.data, "data") == []


def test_the_validator_knows_every_keyword_the_schema_uses():
    assert used_keywords(schema_v1()) <= SUPPORTED


def test_a_damaged_or_foreign_file_is_refused():
    raw = good()
    refused(b"", "không phải tệp nén ZIP")
    refused("Họ và tên\nNguyễn Văn A".encode(), "không phải tệp nén ZIP")
    refused(raw[: len(raw) // 2], "hỏng")
    refused(zip_of([("manifest.json", b"{}")]), "thiếu")


@pytest.mark.parametrize("name, words", [
    ("../../etc/passwd", ["trỏ ra ngoài", "../../etc/passwd"]),
    ("..\\..\\Windows\\win.ini", ["trỏ ra ngoài"]),
    ("/etc/cron.d/x", ["đường dẫn tuyệt đối"]),
    ("C:/Windows/x.dll", ["đường dẫn tuyệt đối"]),
    ("\\\\server\\share\\x", ["đường dẫn tuyệt đối"]),
    ("sub/data.json", ["thư mục"]),
    ("autorun.inf", ["không được phép", "autorun.inf"]),
])
def test_path_traversal_absolute_and_unexpected_names_are_refused(name, words):
    parts = entries(good())
    refused(zip_of([*parts.items(), (name, b"x")]), *words)


def test_symbolic_links_duplicates_and_too_many_entries_are_refused():
    parts = list(entries(good()).items())
    link = zipfile.ZipInfo("bieu-mau-cuoi-nam.pdf")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    refused(zip_of([*parts, (link, b"/etc/passwd")]), "liên kết tượng trưng")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate it is asked to write
        refused(zip_of([*parts, (DATA, b"{}")]), "data.json hai lần")
    refused(zip_of([*parts, *[(f"x{i}", b"") for i in range(8)]]), "quá nhiều mục")
    # a directory claiming 60 000 entries is refused from its end record, before it is parsed
    many = zip_of([(f"{i}", b"") for i in range(60000)])
    refused(many, "quá nhiều mục (60000)")


def test_a_zip_bomb_is_refused_before_it_is_expanded():
    parts = entries(good())
    # 3 MiB of spaces (within data.json's 4 MiB) compress to a few kilobytes: refused on the declared
    # sizes, never inflated
    parts[DATA] = b" " * (3 * 1024 * 1024)
    bomb = zip_of(list(parts.items()))
    assert len(bomb) < 100_000
    refused(bomb, "data.json", "gấp")
    # an entry declared larger than its limit
    parts = entries(good())
    parts[MANIFEST] = b" " * (65 * 1024)
    refused(zip_of(list(parts.items())), "manifest.json", "quá lớn")
    # too big a file altogether
    refused(b"PK\x03\x04" + bytes(65 * 1024 * 1024), "quá lớn")


def _header_offsets(raw: bytes, signature: bytes, name_at: int, name_len_at: int, name: bytes):
    pos = 0
    while True:
        at = raw.index(signature, pos)
        (length,) = struct.unpack_from("<H", raw, at + name_len_at)
        if raw[at + name_at: at + name_at + length] == name:
            return at
        pos = at + 4


def test_an_entry_larger_than_it_declares_is_read_with_a_hard_cap():
    raw = bytearray(good())
    # declare data.json as 10 bytes in both headers: the reader stops there and the CRC check fails
    local = _header_offsets(raw, b"PK\x03\x04", 30, 26, DATA.encode())
    central = _header_offsets(raw, b"PK\x01\x02", 46, 28, DATA.encode())
    struct.pack_into("<I", raw, local + 22, 10)
    struct.pack_into("<I", raw, central + 24, 10)
    refused(bytes(raw), "hỏng")


def test_hashes_signature_and_version_are_checked():
    raw = good()
    parts = entries(raw)
    # data.json changed, the manifest left as it was
    changed = dict(parts)
    changed[DATA] = parts[DATA].replace(b'"HTXSNV": 1', b'"HTXSNV": 2', 1)
    refused(zip_of(list(changed.items())), "data.json", "SHA-256")
    # an entry the manifest does not list
    refused(zip_of([*parts.items(), ("bieu-mau-cuoi-nam.pdf", b"%PDF-1.4")]), "không có trong manifest.json")
    # the manifest changed after signing
    changed = dict(parts)
    changed[MANIFEST] = parts[MANIFEST].replace("Văn phòng".encode(), "Văn phỏng".encode())
    refused(zip_of(list(changed.items())), "chữ ký số không khớp")
    # a damaged signature entry
    changed = dict(parts)
    changed["signature"] = b"not base64!"
    refused(zip_of(list(changed.items())), "signature", "hỏng")
    # a newer format version, properly signed
    newer = resign(raw, KEY, manifest_edit=lambda m: m.update(format_version=2))
    refused(newer, "phiên bản 2", "phiên bản 1")


@pytest.mark.parametrize("name", ["bieu-mau-cuoi-nam.pdf", "bang-tong-hop.xlsx"])
def test_an_attached_entry_changed_after_signing_is_refused_by_its_sha256(name):
    """The forms PDF and the workbook travel with the tally: a changed byte in either is refused."""
    raw = good({"forms_pdf": b"%PDF-1.4 forms", "tally_xlsx": zip_of([("x", b"y")])})
    parts = dict(entries(raw))
    blob = parts[name]
    parts[name] = blob[:-1] + bytes([blob[-1] ^ 1])  # same size, one bit changed
    refused(zip_of(list(parts.items())), name, "SHA-256")


@pytest.mark.parametrize("blob, words", [
    (b"{not json", ["data.json", "không đúng định dạng JSON"]),
    (b"\xff\xfe{}", ["không phải văn bản UTF-8"]),
    (b'{"a": 1, "a": 2}', ["hai lần"]),
    (b"[" * 5000 + b"]" * 5000, ["không đúng định dạng JSON"]),
    (b'{"period": NaN}', ["không đúng định dạng JSON"]),
], ids=["broken", "not-utf8", "duplicate-key", "deep-nesting", "nan"])
def test_malformed_json_is_refused(blob, words):
    refused(resign(good(), KEY, replace={DATA: blob}), *words)


def _with_data(edit):
    data = sample_data()
    edit(data)
    return resign(good(), KEY, replace={DATA: json.dumps(data, ensure_ascii=False).encode()})


def test_wrong_types_and_values_are_refused_with_the_place():
    refused(_with_data(lambda d: d["tally"].update(members_total="4")), "tally.members_total", "số nguyên")
    refused(_with_data(lambda d: d["members"][0].update(level="XUATSAC")), "members[0].level")
    refused(_with_data(lambda d: d["members"][1].update(birth_year=True)), "members[1].birth_year")
    refused(_with_data(lambda d: d.update(extra=1)), "extra")
    refused(_with_data(lambda d: d["tally"]["levels"].update(HTTNV=5)), "không bằng số đảng viên được xếp loại")
    refused(_with_data(lambda d: d["period"].update(year=2021)), "kỳ báo cáo không khớp")
    refused(_with_data(lambda d: d["members"].append(dict(d["members"][0]))), "hai lần")
    refused(resign(good(), KEY, manifest_edit=lambda m: m["period"].update(month=3)), "manifest.json")
    refused(resign(good(), KEY, manifest_edit=lambda m: m.update(created_at="2021-02-30T08:00:00Z")), "ngày lập")


def test_the_installation_key_is_made_once_and_private(tmp_path):
    path = tmp_path / "key.pem"
    key = keys.load_or_create_key(path)
    again = keys.load_or_create_key(path)
    assert keys.public_raw(key) == keys.public_raw(again)
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    path.write_bytes(b"garbage")
    with pytest.raises(Exception, match="bị hỏng"):
        keys.load_or_create_key(path)


def test_a_branch_exports_its_year_with_the_installation_key(db, tmp_path):
    """Through the real review: an unfinished review is refused; a finished one is sent and signed."""
    import main
    from services import members as msvc
    from services.review.service import ReviewInput, save_review
    from tests.review_helpers import confirmed

    with db.begin() as s:
        member_id = msvc.add_member(s, msvc.MemberInput("Nguyễn Văn An", dt.date(2010, 1, 1), dt.date(2011, 1, 5),
                                                        dt.date(1980, 1, 1)), dt.date(2025, 12, 15)).id
    out = tmp_path / "gui.scb"
    assert main.main(["export", "--db", str(db.target), "--year", "2025", "--out", str(out)]) == 1
    assert not out.exists()
    with db.begin() as s:
        save_review(s, 2025, member_id, ReviewInput(proposed_level="HTTNV", flags=confirmed(2025, "HTTNV")))
    assert main.main(["export", "--db", str(db.target), "--year", "2025", "--out", str(out)]) == 0
    c = read_container(out.read_bytes(), out.name)
    assert c.branch_name == "Chi bộ Văn phòng Sở" and c.period == Period.of_year(2025)
    assert [m["name"] for m in c.data["members"]] == ["Nguyễn Văn An"]
    assert c.data["members"][0]["level"] == "HTTNV"
    assert c.data["tally"]["members_total"] == 1 and c.data["tally"]["assessed"] == 1
    assert c.public_key == keys.public_raw(keys.load_or_create_key())
    assert main.main(["export", "--db", str(db.target), "--year", "2025", "--out", str(tmp_path / "x.zip")]) == 1
    assert not (tmp_path / "x.zip").exists()
