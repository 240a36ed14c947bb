"""Issue 15, item 1 and the exchange part of item 6: committee totals no one can forge.

Each test reproduces an attack on the committee's side and shows it refused (or held, counted nowhere)
with the committee's numbers unchanged.
"""
from __future__ import annotations

import datetime as dt
import io
import json
import struct
import uuid
import zipfile

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

import main
from services.errors import UserError, ValidationError
from services.exchange.committee import (
    ReceiveStatus,
    accept_held,
    branch_statuses,
    committee_tally,
    held_files,
    receive_bytes,
    refuse_held,
    register_branch,
    reset_key,
)
from services.exchange.container import DATA, ExchangeRefused, Period, build_container, read_container
from services.exchange.source import tally_from_members
from services.vntext import identity_key
from tests.exchange_support import dump, entries, make_committee, resign, zip_of

MADE = dt.datetime(2021, 1, 10, 8, 0, tzinfo=dt.UTC)
NAME = "Chi bộ Văn phòng Sở"
PARENTS = ["ĐẢNG ỦY SỞ LAO ĐỘNG - TBXH"]


def data_of(name: str, n: int, year: int = 2020, member_name=lambda i: f"Đảng Viên Số {i}") -> dict:
    members = [{"uid": f"m{i}", "name": member_name(i), "birth_year": 1960 + i % 40, "status": "full",
                "level": "HTTNV", "not_rated_reason": None, "score": None} for i in range(n)]
    return {"period": {"kind": "year", "year": year}, "members": members,
            "tally": tally_from_members(year, name, members, "132-QĐ/TW"),
            "collective": {"self_score": None, "self_score_max": None, "proposed_level": "HTTNV",
                           "self_assessment": ""},
            "meetings": {"held": {}, "average_attendance": None, "three_unexcused": []}}


def scb(uid: str, name: str, key, n: int = 25, now=MADE, year: int = 2020, data: dict | None = None) -> bytes:
    return build_container({"uid": uid, "name": name, "parents": PARENTS}, Period.of_year(year),
                           data or data_of(name, n, year), key, now=now, program_version="0.1.0")


@pytest.fixture
def office(new_target):
    """A committee that has accepted the real branch (25 members) after checking its key on the phone."""
    db = make_committee(new_target("dang-uy"))
    key = Ed25519PrivateKey.generate()
    uid = str(uuid.uuid4())
    result = receive_bytes(db, scb(uid, NAME, key), "that.scb")
    assert result.status == ReceiveStatus.HELD
    with db.begin() as s:
        accept_held(s, result.file_id, result.fingerprint[:16])
    yield {"db": db, "key": key, "uid": uid}
    db.close()


def members_total(db, year: int = 2020) -> int:
    with db.begin() as s:
        return committee_tally(s, year)["members_total"]


def test_a_file_with_a_fresh_id_and_the_real_name_is_held_and_counts_nowhere(office):
    """The attack: a new id, the real branch's name, any key. Before: counted as a second branch."""
    db = office["db"]
    assert members_total(db) == 25
    forger = Ed25519PrivateKey.generate()
    result = receive_bytes(db, scb(str(uuid.uuid4()), NAME, forger, n=5000), "forged.scb")
    assert result.status == ReceiveStatus.HELD
    assert "CẢNH BÁO" in result.message() and NAME in result.message()
    assert members_total(db) == 25
    with db.begin() as s:
        tally = committee_tally(s, 2020)
        [held] = held_files(s)
    assert tally["branches_sent"] == 1 and tally["held"] == [NAME]
    assert held.look_alikes and held.look_alikes[0][1] == NAME
    # accepting it needs the key's digits AND, since the name is taken, an explicit "another branch"
    with db.begin() as s, pytest.raises(ValidationError) as err:
        accept_held(s, held.id, "0000 0000 0000 0000")
    assert "không phải" in str(err.value)
    with db.begin() as s, pytest.raises(ValidationError) as err:
        accept_held(s, held.id, held.short_fingerprint)
    assert "--same-name" in str(err.value)
    assert members_total(db) == 25
    # the office throws it away: nothing of it is left
    with db.begin() as s:
        refuse_held(s, held.id)
    with db.begin() as s:
        assert held_files(s) == [] and committee_tally(s, 2020)["branches_total"] == 1


def test_a_known_branch_s_file_with_a_new_key_counts_nowhere_while_held(office):
    """The committee adds up only active files: a held file of a branch it knows (a new computer's key,
    another number of members) is read by neither the tally nor the list until the office accepts it."""
    db = office["db"]
    with db.begin() as s:
        [status] = branch_statuses(s, Period.of_year(2020))
        reset_key(s, status.id)             # the branch moved to a new computer
    result = receive_bytes(db, scb(office["uid"], NAME, Ed25519PrivateKey.generate(), n=40,
                                   now=MADE + dt.timedelta(days=3)), "may-moi.scb", replace=True)
    assert result.status == ReceiveStatus.HELD
    assert members_total(db) == 25
    with db.begin() as s:
        [again] = branch_statuses(s, Period.of_year(2020))
    assert (again.members, again.made_at) == (25, status.made_at) and again.held_file_id is not None


def test_a_tally_of_900029_members_is_refused_whatever_the_key():
    """The tally must be the count of the member list, which the schema caps at 5000 members."""
    key = Ed25519PrivateKey.generate()
    data = data_of(NAME, 3)
    data["tally"] = {**data["tally"], "members_total": 900_029, "assessed": 900_029,
                     "levels": {"HTXSNV": 0, "HTTNV": 900_029, "HTNV": 0, "KHTNV": 0}}
    with pytest.raises(ExchangeRefused) as err:
        read_container(scb(str(uuid.uuid4()), NAME, key, data=data), "big.scb")
    assert "900029 đảng viên" in str(err.value) and "3" in str(err.value)
    # a tally that adds up by itself but does not match the members listed
    data = data_of(NAME, 3)
    data["tally"]["levels"] = {"HTXSNV": 3, "HTTNV": 0, "HTNV": 0, "KHTNV": 0}
    data["tally"]["percent"] = {"HTXSNV": 100.0, "HTTNV": 0.0, "HTNV": 0.0, "KHTNV": 0.0}
    with pytest.raises(ExchangeRefused) as err:
        read_container(scb(str(uuid.uuid4()), NAME, key, data=data), "levels.scb")
    assert "HTXSNV" in str(err.value)


def test_the_name_in_the_tally_must_be_the_signed_name(office):
    db = office["db"]
    rows = dump(db.engine)
    data = data_of("Chi bộ Khác", 25)
    raw = scb(office["uid"], NAME, office["key"], data=data, now=MADE + dt.timedelta(days=1))
    with pytest.raises(ExchangeRefused) as err:
        receive_bytes(db, raw, "other-name.scb", replace=True)
    assert "Chi bộ Khác" in str(err.value) and NAME in str(err.value)
    assert dump(db.engine) == rows


@pytest.mark.parametrize("alike", [
    "chi bộ văn phòng sở",                 # case
    "Chi bo Van phong So",                 # no accents
    "Chi bộ Văn\u200b phòng Sở",           # a zero-width space
    "Chi bộ Văn phòng Sở\u202e",           # a bidirectional control (refused outright, see below)
    "Chі bộ Văn phòng Sở",                 # a Cyrillic і
    "Chi bộ Văn-phòng Sở",                 # punctuation
])
def test_look_alike_names_are_flagged(alike):
    assert identity_key(alike) == identity_key(NAME)


def test_a_branch_registered_by_name_is_not_captured_by_a_look_alike(new_target):
    db = make_committee(new_target("du"))
    try:
        with db.begin() as s:
            registered = register_branch(s, "Chi bộ II").id
        rows_before = members_total(db)
        # the first file whose name looks like it arrives: held, the registered branch keeps no identity
        result = receive_bytes(db, scb(str(uuid.uuid4()), "Chi bộ ІІ", Ed25519PrivateKey.generate()), "x.scb")
        assert result.status == ReceiveStatus.HELD
        with db.begin() as s:
            [held] = held_files(s)
            tally = committee_tally(s, 2020)
        assert held.registered == [(registered, "Chi bộ II")]      # offered, never applied by itself
        assert tally["missing"] == ["Chi bộ II"] and tally["members_total"] == rows_before == 0
        # registering a look-alike by hand is refused as the same branch
        with db.begin() as s, pytest.raises(ValidationError):
            register_branch(s, "CHI BO II")
        # once the office confirms it on the phone, it becomes the registered branch (one row, counted)
        with db.begin() as s:
            accept_held(s, held.id, held.short_fingerprint, as_branch_id=registered)
        with db.begin() as s:
            tally = committee_tally(s, 2020)
        assert tally["missing"] == [] and tally["members_total"] == 25 and tally["branches_total"] == 1
    finally:
        db.close()


def test_reset_key_takes_the_branch_number_not_a_name(office, capsys):
    db, path = office["db"], str(office["db"].target)
    with pytest.raises(SystemExit):
        main.main(["branches", "reset-key", "--db", path, "--name", NAME])
    capsys.readouterr()
    with db.begin() as s:
        [branch_id] = [b["branch_uid"] for b in committee_tally(s, 2020)["branches"]]
    assert main.main(["branches", "list", "--db", path, "--year", "2020"]) == 0
    listed = capsys.readouterr().out
    number = int(listed.split("#", 1)[1].split()[0])
    assert main.main(["branches", "reset-key", "--db", path, "--id", "999"]) == 1
    assert main.main(["branches", "reset-key", "--db", path, "--id", str(number)]) == 0
    # the branch's file with its new key: held until the new key is accepted; the old file still counts
    new_key = Ed25519PrivateKey.generate()
    result = receive_bytes(db, scb(branch_id, NAME, new_key, n=26, now=MADE + dt.timedelta(days=3)), "new.scb")
    assert result.status == ReceiveStatus.HELD and result.new_key
    assert members_total(db) == 25
    assert main.main(["branches", "accept", "--db", path, "--file", str(result.file_id),
                      "--fingerprint", result.fingerprint[:16].upper()]) == 0
    assert members_total(db) == 26


def test_a_file_dated_far_in_the_future_is_refused_and_blocks_nothing(office):
    db, key, uid = office["db"], office["key"], office["uid"]
    rows = dump(db.engine)
    dated_9999 = resign(scb(uid, NAME, key), key,
                        manifest_edit=lambda m: m.update(created_at="9999-12-31T23:59:59.000+00:00"))
    for raw, words in ((dated_9999, "tương lai"), (scb(uid, NAME, key, year=2199), "chưa đến")):
        with pytest.raises(ExchangeRefused) as err:
            receive_bytes(db, raw, "future.scb", replace=True)
        assert words in str(err.value)
    assert dump(db.engine) == rows
    later = receive_bytes(db, scb(uid, NAME, key, n=24, now=MADE + dt.timedelta(days=5)), "later.scb",
                          replace=True)
    assert later.status == ReceiveStatus.REPLACED and members_total(db) == 24


def _with_zip64_locator(raw: bytes, entries_claimed: int) -> bytes:
    """The container with a ZIP64 end record and locator slipped in before the end record: Python's ZIP
    reader would take the entry count and directory size from them instead of the checked end record."""
    end = raw.rfind(b"PK\x05\x06")
    cd_size, cd_offset = struct.unpack_from("<II", raw, end + 12)
    z64 = struct.pack("<4sQHHIIQQQQ", b"PK\x06\x06", 44, 45, 45, 0, 0, entries_claimed, entries_claimed,
                      10_000_000, cd_offset)
    locator = struct.pack("<4sIQI", b"PK\x06\x07", 0, end, 1)
    return raw[:end] + z64 + locator + raw[end:]


def test_a_zip64_record_does_not_bypass_the_pre_check(office):
    db = office["db"]
    rows = dump(db.engine)
    raw = _with_zip64_locator(scb(office["uid"], NAME, office["key"], now=MADE + dt.timedelta(days=1)), 1_000_000)
    with pytest.raises(ExchangeRefused) as err:
        receive_bytes(db, raw, "zip64.scb", replace=True)
    assert "ZIP64" in str(err.value)
    # bytes after the end record (another place to hide a second directory) are refused too
    with pytest.raises(ExchangeRefused):
        read_container(scb(office["uid"], NAME, office["key"]) + b"PK\x05\x06" + bytes(18), "tail.scb")
    assert dump(db.engine) == rows


@pytest.mark.parametrize("bad", ["Nguyễn Văn\u202e An", "Lê\u200b Thị Đào", "Trần\x07 Văn"])
def test_control_and_bidi_characters_in_names_are_refused(bad):
    key = Ed25519PrivateKey.generate()
    with pytest.raises(ExchangeRefused) as err:
        read_container(scb(str(uuid.uuid4()), NAME, key, data=data_of(NAME, 3, member_name=lambda i: bad)), "b.scb")
    assert "ký tự ẩn" in str(err.value)
    with pytest.raises(ExchangeRefused):
        read_container(scb(str(uuid.uuid4()), NAME + "\u2066", key, data=data_of(NAME + "\u2066", 3)), "c.scb")


def test_size_limits_per_file():
    """data.json over 4 MiB is refused from the ZIP directory, before it is read or stored."""
    key = Ed25519PrivateKey.generate()
    raw = scb(str(uuid.uuid4()), NAME, key)
    parts = entries(raw)
    blob = json.loads(parts[DATA])
    blob["collective"]["self_assessment"] = "x" * 100
    blob["tally"]["padding"] = ["y" * 1000] * 5000            # "other keys" of the tally: 5 MB
    huge = resign(raw, key, replace={DATA: json.dumps(blob).encode()})
    with pytest.raises(ExchangeRefused) as err:
        read_container(huge, "huge.scb")
    assert "quá lớn" in str(err.value) or "gấp" in str(err.value)
    stored = zip_of([(n, b) for n, b in entries(huge).items()])
    with zipfile.ZipFile(io.BytesIO(stored)) as zf:
        assert zf.getinfo(DATA).file_size > 4 * 1024 * 1024


def test_accepting_needs_a_held_file_and_the_committee(office, db):
    with office["db"].begin() as s, pytest.raises(ValidationError):
        accept_held(s, 12345, "0000000000000000")
    with db.begin() as s, pytest.raises(UserError):
        held_files(s)
