"""A committee's office receives its branches' files and adds them up (issue 5)."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

import main
from services.db import open_database
from services.exchange.committee import (
    ReceiveStatus,
    accept_held,
    branch_statuses,
    committee_tally,
    file_history,
    held_files,
    receive_bytes,
    receive_file,
    receive_files,
    register_branch,
    reset_key,
)
from services.exchange.container import DATA, ExchangeRefused, Period
from tests.exchange_support import (
    COMMITTEE,
    accept_all_held,
    dump,
    entries,
    export_branch,
    make_branch,
    make_committee,
    receive_accepted,
    resign,
    zip_of,
)

# The Đảng bộ Sở Lao động - TBXH in 2020 (seeds/000): 7 chi bộ, 137 members, 134 rated (3 newly admitted
# or transferred in), 24 / 102 / 1 / 7; the branches rated 1 HTXSNV, 2 HTTNV, 4 HTNV. How the members
# were spread over the branches is not in the report; this spread is invented and adds up to it.
SEVEN = [
    ("Chi bộ I Văn phòng Sở", {"HTXSNV": 6, "HTTNV": 18}, 0, "HTXSNV"),
    ("Chi bộ II", {"HTXSNV": 4, "HTTNV": 15}, 1, "HTTNV"),
    ("Chi bộ Chi cục Phòng, chống tệ nạn xã hội", {"HTXSNV": 3, "HTTNV": 12}, 0, "HTTNV"),
    ("Chi bộ III", {"HTXSNV": 3, "HTTNV": 14, "KHTNV": 1}, 0, "HTNV"),
    ("Chi bộ Trung tâm Bảo trợ xã hội", {"HTXSNV": 3, "HTTNV": 16, "HTNV": 1, "KHTNV": 1}, 1, "HTNV"),
    ("Chi bộ Trung tâm Dịch vụ việc làm", {"HTXSNV": 3, "HTTNV": 13, "KHTNV": 2}, 1, "HTNV"),
    ("Chi bộ Cơ sở cai nghiện ma túy", {"HTXSNV": 2, "HTTNV": 14, "KHTNV": 3}, 0, "HTNV"),
]
MADE = dt.datetime(2021, 1, 10, 8, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def seven(tmp_path_factory):
    """Seven branch databases built from scratch, each exported with its own installation's key."""
    root = tmp_path_factory.mktemp("seven")
    files, dbs, providers, branch_keys = [], [], [], []
    offset = 0
    for i, (name, levels, new, proposed) in enumerate(SEVEN):
        path = root / f"cb{i}.db"
        provider = make_branch(path, name, levels, new, proposed, offset=offset)
        offset += 40
        key = Ed25519PrivateKey.generate()
        files.append(export_branch(path, root / f"cb{i}.scb", provider, key, now=MADE))
        dbs.append(path)
        providers.append(provider)
        branch_keys.append(key)
    return {"files": files, "dbs": dbs, "providers": providers, "keys": branch_keys, "root": root}


@pytest.fixture
def committee(new_target):
    db = make_committee(new_target("dang-uy"))
    yield db
    db.close()


def test_seven_branches_exported_and_aggregated_reproduce_the_report(seven, committee, capsys):
    # first files of branches the committee does not know yet: held (exit 1), counted once accepted
    assert main.main(["aggregate", "--db", str(committee.target), *map(str, seven["files"])]) == 1
    assert "giữ lại" in capsys.readouterr().err
    assert len(accept_all_held(committee)) == 7
    assert main.main(["tally", "--db", str(committee.target), "--year", "2020", "--json"]) == 0
    t = json.loads(capsys.readouterr().out)
    assert t["branches_total"] == 7 and t["branches_sent"] == 7 and t["missing"] == []
    assert t["members_total"] == 137
    assert t["assessed"] == 134
    assert t["not_assessed"] == 3 and t["not_assessed_reasons"] == {"Mới kết nạp dưới 6 tháng": 3}
    assert t["levels"] == {"HTXSNV": 24, "HTTNV": 102, "HTNV": 1, "KHTNV": 7}
    assert t["collective_levels"] == {"HTXSNV": 1, "HTTNV": 2, "HTNV": 4, "KHTNV": 0}
    # percentages of the 134 rated, recomputed from the sums
    assert t["percent"] == {"HTXSNV": 17.91, "HTTNV": 76.12, "HTNV": 0.75, "KHTNV": 5.22}
    # the committee applies the cap: at most floor(20% of 102) = 20 HTXSNV; 24 were proposed
    assert t["quota"]["max_HTXSNV"] == 20 and t["quota"]["ok"] is False
    assert any(v["rule"] == "quota" and v["member"] is None for v in t["violations"])
    assert t["regulation"] == "QD132" and t["branch"] == COMMITTEE and t["year"] == 2020
    # every branch's own tally is there, as it sent it
    by_name = {b["branch"]: b for b in t["branches"]}
    assert set(by_name) == {s[0] for s in SEVEN}
    assert by_name["Chi bộ II"]["members_total"] == 20 and by_name["Chi bộ II"]["not_assessed"] == 1
    assert by_name["Chi bộ I Văn phòng Sở"]["collective_level"] == "HTXSNV"


def _numbers(db):
    with db.begin() as s:
        t = committee_tally(s, 2020)
    return t["members_total"], t["assessed"], t["levels"], t["branches_sent"]


def test_a_file_changed_by_one_byte_is_refused_and_nothing_moves(seven, committee):
    for f in seven["files"][:3]:
        receive_accepted(committee, f)
    before_numbers, before_rows = _numbers(committee), dump(committee.engine)
    raw = seven["files"][3].read_bytes()
    # one byte of the ZIP itself
    for pos in (len(raw) // 2, 40, len(raw) - 30):
        changed = bytearray(raw)
        changed[pos] ^= 0x01
        with pytest.raises(ExchangeRefused):
            receive_bytes(committee, bytes(changed), "cb3.scb")
    # one byte of data.json, the ZIP rebuilt around it: the hash in the manifest gives it away
    parts = entries(raw)
    data = bytearray(parts[DATA])
    at = data.index(b'"members_total": ') + len(b'"members_total": ')
    data[at] = ord("9")
    parts[DATA] = bytes(data)
    with pytest.raises(ExchangeRefused) as err:
        receive_bytes(committee, zip_of(list(parts.items())), "cb3.scb")
    assert "cb3.scb" in str(err.value) and "SHA-256" in str(err.value)
    assert _numbers(committee) == before_numbers
    assert dump(committee.engine) == before_rows


def test_a_file_signed_by_another_key_is_refused(seven, committee, tmp_path):
    receive_accepted(committee, seven["files"][0])
    before_numbers, before_rows = _numbers(committee), dump(committee.engine)
    stranger = Ed25519PrivateKey.generate()
    # the same branch, a newer file, but signed on another computer: the recorded key does not match
    later = export_branch(seven["dbs"][0], tmp_path / "later.scb", seven["providers"][0], stranger,
                          now=MADE + dt.timedelta(days=1))
    with pytest.raises(ExchangeRefused) as err:
        receive_file(committee, later, replace=True)
    assert "later.scb" in str(err.value) and "khóa" in str(err.value)
    # the signature made by another key than the one in the file
    raw = seven["files"][0].read_bytes()
    forged = entries(resign(raw, stranger))
    forged["public_key"] = entries(raw)["public_key"]
    with pytest.raises(ExchangeRefused) as err:
        receive_bytes(committee, zip_of(list(forged.items())), "forged.scb")
    assert "chữ ký" in str(err.value)
    assert _numbers(committee) == before_numbers
    assert dump(committee.engine) == before_rows
    # after the committee deliberately resets the key (by the branch's number), the file with the new key
    # is held until accepted with the new key's digits; then it replaces the old one
    with committee.begin() as s:
        branch_id = [b.id for b in branch_statuses(s, Period.of_year(2020)) if b.name == SEVEN[0][0]][0]
        reset_key(s, branch_id)
    result = receive_file(committee, later, replace=True)
    assert result.status == ReceiveStatus.HELD and result.new_key
    assert _numbers(committee) == before_numbers
    accept_all_held(committee)
    with committee.begin() as s:
        assert [f.active for f in file_history(s, branch_id)] == [False, True]


def test_same_file_twice_changes_nothing(seven, committee):
    assert receive_file(committee, seven["files"][1]).status == ReceiveStatus.HELD
    rows = dump(committee.engine)
    result = receive_file(committee, seven["files"][1])
    assert result.status == ReceiveStatus.DUPLICATE
    assert "không có gì thay đổi" in result.message()
    assert dump(committee.engine) == rows


def test_files_received_in_batches_are_taken_or_refused_each_on_its_own(seven, committee, tmp_path):
    """`aggregate` records many files per transaction; a damaged file or a duplicate in the middle of a batch
    changes nothing and stops nothing."""
    damaged = tmp_path / "hong.scb"
    raw = bytearray(seven["files"][3].read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    damaged.write_bytes(bytes(raw))
    paths = [*seven["files"][:3], damaged, seven["files"][0], *seven["files"][3:]]
    results = list(receive_files(committee, paths, batch=2))
    assert [p for p, _r in results] == paths
    statuses = [r if isinstance(r, ExchangeRefused) else r.status for _p, r in results]
    assert isinstance(statuses[3], ExchangeRefused) and statuses[4] == ReceiveStatus.DUPLICATE
    # branches the committee does not know yet: held until the office accepts them, then counted
    assert [s for i, s in enumerate(statuses) if i not in (3, 4)] == [ReceiveStatus.HELD] * 7
    assert len(accept_all_held(committee)) == 7
    with committee.begin() as s:
        t = committee_tally(s, 2020)
    assert (t["branches_sent"], t["members_total"], t["assessed"]) == (7, 137, 134)


def test_a_committee_s_backup_restores_its_files_their_history_and_its_totals(seven, committee, tmp_path):
    """On either engine (a server's backup is a file of the same version): every file received, the one a
    newer file replaced pointing at it, the held one, and the totals, all come back."""
    from services import backup

    for f in seven["files"][:4]:
        receive_accepted(committee, f)
    newer = export_branch(seven["dbs"][1], tmp_path / "newer.scb", seven["providers"][1], seven["keys"][1],
                          now=MADE + dt.timedelta(days=2))
    assert receive_file(committee, newer, replace=True).status == ReceiveStatus.REPLACED
    assert receive_file(committee, seven["files"][4]).status == ReceiveStatus.HELD
    before_rows, before_numbers = dump(committee.engine), _numbers(committee)
    saved = backup.backup_now(committee.location, tmp_path / "usb" / "dang-uy.db")
    assert saved.ok
    for f in seven["files"][5:]:            # more work after the backup, undone by the restore
        receive_file(committee, f)
    committee.close()
    backup.restore(committee.location, saved.path)
    after = [r for r in dump(committee.target) if not r.startswith("audit_entry")]
    assert after == [r for r in before_rows if not r.startswith("audit_entry")]
    db = open_database(committee.target)
    try:
        assert _numbers(db) == before_numbers
        assert receive_file(db, seven["files"][6]).status == ReceiveStatus.HELD   # new rows get new keys
    finally:
        db.close()


def test_newer_file_replaces_after_confirmation_and_history_keeps_both(seven, committee, tmp_path, capsys):
    first = seven["files"][2]
    receive_accepted(committee, first)
    newer = export_branch(seven["dbs"][2], tmp_path / "newer.scb", seven["providers"][2], seven["keys"][2],
                          now=MADE + dt.timedelta(days=2))
    rows = dump(committee.engine)
    # without --replace: exit non-zero, explained, nothing written
    assert main.main(["aggregate", "--db", str(committee.target), str(newer)]) == 1
    err = capsys.readouterr().err
    assert "--replace" in err and SEVEN[2][0] in err
    assert dump(committee.engine) == rows
    assert main.main(["aggregate", "--db", str(committee.target), "--replace", str(newer)]) == 0
    with committee.begin() as s:
        status = [b for b in branch_statuses(s, Period.of_year(2020)) if b.name == SEVEN[2][0]][0]
        assert status.sent and status.versions == 2
        history = file_history(s, status.id)
        assert [f.active for f in history] == [False, True]
        assert history[0].superseded_by_id == history[1].id
        assert history[0].content == first.read_bytes()
    # the first file, sent again, was received already: nothing changes
    rows = dump(committee.engine)
    assert receive_file(committee, first).status == ReceiveStatus.DUPLICATE
    # a file made between the two is older than the active one: refused
    between = export_branch(seven["dbs"][2], tmp_path / "between.scb", seven["providers"][2], seven["keys"][2],
                            now=MADE + dt.timedelta(days=1))
    with pytest.raises(ExchangeRefused) as exc:
        receive_file(committee, between, replace=True)
    assert "cũ hơn" in str(exc.value)
    assert dump(committee.engine) == rows


def test_missing_are_the_expected_branches_without_a_file(seven, committee):
    with committee.begin() as s:
        registered = register_branch(s, "Chi bộ II").id           # registered by hand, before its first file
        register_branch(s, "Chi bộ Kế hoạch - Tài chính")
    first = receive_file(committee, seven["files"][0])
    second = receive_file(committee, seven["files"][1])
    with committee.begin() as s:
        # the file of "Chi bộ II" is held; the office sees it may be the branch registered by that name
        held = {h.id: h for h in held_files(s)}
        assert held[second.file_id].registered == [(registered, "Chi bộ II")]
        accept_held(s, first.file_id, first.fingerprint[:16])
        accept_held(s, second.file_id, second.fingerprint[:16], as_branch_id=registered)
    with committee.begin() as s:
        t = committee_tally(s, 2020)
        statuses = branch_statuses(s, Period.of_year(2020))
    assert t["missing"] == ["Chi bộ Kế hoạch - Tài chính"]
    assert t["branches_total"] == 3 and t["branches_sent"] == 2
    # the branch registered by name took the identity of its first file: it is listed once
    assert sorted(b.name for b in statuses) == ["Chi bộ I Văn phòng Sở", "Chi bộ II", "Chi bộ Kế hoạch - Tài chính"]
    assert [b.sent for b in statuses if b.name == "Chi bộ Kế hoạch - Tài chính"] == [False]
    # another year: nobody has sent
    with committee.begin() as s:
        assert len(committee_tally(s, 2021)["missing"]) == 3


def test_a_branch_database_does_not_receive_files(seven, db):
    with pytest.raises(Exception) as err:
        receive_file(db, seven["files"][0])
    assert "cơ sở dữ liệu của chi bộ" in str(err.value)


def test_cli_branches_and_reports(seven, committee, tmp_path, capsys):
    path = str(committee.target)
    assert main.main(["branches", "add", "--db", path, "--name", "Chi bộ Kế hoạch"]) == 0
    assert main.main(["aggregate", "--db", path, *map(str, seven["files"])]) == 1
    capsys.readouterr()
    with committee.begin() as s:
        held = held_files(s)
    assert len(held) == 7
    # wrong digits: refused, nothing accepted
    assert main.main(["branches", "accept", "--db", path, "--file", str(held[0].id),
                      "--fingerprint", "0000 0000 0000 0000"]) == 1
    assert "không phải" in capsys.readouterr().err
    for h in held:
        assert main.main(["branches", "accept", "--db", path, "--file", str(h.id),
                          "--fingerprint", h.short_fingerprint]) == 0
    assert main.main(["branches", "list", "--db", path, "--year", "2020"]) == 0
    out = capsys.readouterr().out
    assert "Chi bộ Kế hoạch: chưa gửi" in out and "Chi bộ II: đã gửi" in out
    assert main.main(["tally", "--db", path, "--year", "2020"]) == 0
    text = capsys.readouterr().out
    assert "Đảng viên: 137" in text and "Chưa gửi: Chi bộ Kế hoạch." in text
    pdf, xlsx = tmp_path / "tong-hop.pdf", tmp_path / "tong-hop.xlsx"
    assert main.main(["report", "committee", "--db", path, "--year", "2020", "--out", str(pdf)]) == 0
    assert main.main(["report", "committee", "--db", path, "--year", "2020", "--out", str(xlsx)]) == 0
    assert pdf.read_bytes().startswith(b"%PDF-")
    import openpyxl

    ws = openpyxl.load_workbook(xlsx).active
    values = [list(r) for r in ws.values]
    total = [r for r in values if r[1] == "Cộng"][0]
    assert total[2:9] == [137, 134, 3, 24, 102, 1, 7]
    assert any(r[1] == "Chi bộ Kế hoạch" and r[9] == "chưa gửi" for r in values)
