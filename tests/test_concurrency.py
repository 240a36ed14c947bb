"""Issue 15, item 3: writes that check first hold the write lock first; one active file per branch and
period; a second window is told the file is open elsewhere; a save over a changed record is refused."""
from __future__ import annotations

import datetime as dt
import sqlite3
import threading
import time
import uuid

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy.exc import IntegrityError

from models import ReceivedFile
from services import backup, filelock
from services import members as svc
from services.db import open_database, take_write_lock
from services.exchange import committee as csvc
from services.exchange.committee import ReceiveStatus, accept_held, receive_bytes
from tests.exchange_support import dump, make_committee
from tests.test_exchange_identity import MADE, NAME, scb

TODAY = dt.date(2025, 12, 15)


@pytest.fixture
def office(new_target):
    db = make_committee(new_target("dang-uy"))
    key = Ed25519PrivateKey.generate()
    uid = str(uuid.uuid4())
    result = receive_bytes(db, scb(uid, NAME, key), "first.scb")
    with db.begin() as s:
        accept_held(s, result.file_id, result.fingerprint[:16])
    yield {"db": db, "key": key, "uid": uid}
    db.close()


def _active(db) -> list[int]:
    with db.begin() as s:
        return [f.id for f in s.query(ReceivedFile).filter(ReceivedFile.active.is_(True))]


def test_two_replacements_at_once_leave_one_active_file(office, monkeypatch):
    """Two `aggregate --replace` at the same moment (two programs on one committee database).

    The first is held inside its check (after reading the active file, before writing); the second
    starts meanwhile. Before: both replaced the same old file, leaving two active files."""
    path = office["db"].target
    first = scb(office["uid"], NAME, office["key"], n=24, now=MADE + dt.timedelta(days=1))
    second = scb(office["uid"], NAME, office["key"], n=23, now=MADE + dt.timedelta(days=2))
    inside, release = threading.Event(), threading.Event()
    real_assess = csvc._assess
    errors: list[BaseException] = []
    results: dict[str, object] = {}

    def slow_assess(session, c, now):
        plan = real_assess(session, c, now)
        if threading.current_thread().name == "A":
            inside.set()
            release.wait(10)
        return plan

    monkeypatch.setattr(csvc, "_assess", slow_assess)

    def run(name, raw):
        db = open_database(path)  # each thread is its own program, with its own connections
        try:
            results[name] = receive_bytes(db, raw, f"{name}.scb", replace=True).status
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)
        finally:
            db.close()

    a = threading.Thread(target=run, args=("A", first), name="A")
    a.start()
    assert inside.wait(10)
    b = threading.Thread(target=run, args=("B", second), name="B")
    b.start()
    time.sleep(0.3)          # B reaches the write lock (and waits there) while A holds it
    release.set()
    a.join(20)
    b.join(20)
    assert errors == []
    assert results == {"A": ReceiveStatus.REPLACED, "B": ReceiveStatus.REPLACED}
    db = office["db"]
    [active] = _active(db)
    with db.begin() as s:
        assert s.get(ReceivedFile, active).data["tally"]["members_total"] == 23
        assert csvc.committee_tally(s, 2020)["members_total"] == 23


def test_the_database_refuses_a_second_active_file_for_a_period(office):
    db = office["db"]
    with db.begin() as s:
        [f] = s.query(ReceivedFile).filter(ReceivedFile.active.is_(True)).all()
        branch_id = f.branch_id
    if db.path is not None:  # also outside the program
        con = sqlite3.connect(db.path)
        try:
            with pytest.raises(sqlite3.IntegrityError):
                con.execute("INSERT INTO received_file (branch_id, period_kind, period_year, period_number, sha256, "
                            "file_name, created_at, manifest, data, content, received_at, active, held) VALUES "
                            "(?, 'year', 2020, 0, 'x', 'x', '2021-01-01', '{}', '{}', x'00', '2021-01-01', 1, 0)",
                            (branch_id,))
        finally:
            con.close()
    with db.begin() as s, pytest.raises(IntegrityError):
        s.add(ReceivedFile(branch_id=branch_id, period_kind="year", period_year=2020, period_number=0, sha256="y",
                           file_name="y", created_at=dt.datetime(2021, 1, 1), manifest={}, data={}, content=b"",
                           received_at=dt.datetime(2021, 1, 1), active=True))
        s.flush()


def test_the_write_lock_keeps_another_writer_out_until_the_commit(db):
    other = open_database(db.target)
    try:
        other.engine.dispose()
        from sqlalchemy import event, text

        if db.path is not None:
            event.listen(other.engine, "connect", lambda con, _r: con.execute("PRAGMA busy_timeout=50"))
        with db.begin() as s:
            take_write_lock(s)
            take_write_lock(s)       # twice in one transaction: still one lock
            with pytest.raises(Exception) as err, other.begin() as s2:
                if db.path is None:  # the server waits for a lock up to lock_timeout
                    s2.execute(text("SET LOCAL lock_timeout = '50ms'"))
                take_write_lock(s2)
            assert "locked" in str(err.value) or "lock timeout" in str(err.value)
        with other.begin(write=True) as s2:
            svc.add_member(s2, svc.MemberInput("Nguyễn Văn An", dt.date(2010, 1, 1)), TODAY)
    finally:
        other.close()


# --- two windows on one file --------------------------------------------------------------------------

@pytest.mark.sqlite_only
def test_a_second_window_is_told_the_file_is_open_elsewhere(db):
    db.lock_file("Từ Minh Điền")
    second = open_database(db.path)
    try:
        with pytest.raises(filelock.FileInUseError) as err:
            second.lock_file("Nguyễn Văn Khiêm")
        assert err.value.holder.live and err.value.holder.user == "Từ Minh Điền"
        assert "đang được mở trong một cửa sổ Sổ chi bộ khác" in str(err.value) and "Từ Minh Điền" in str(err.value)
        holder = filelock.holder(db.path)
        assert holder is not None and holder.live
        # a restore is refused while another program holds the file: it would keep writing to the old one
        copy = backup.backup_now(db.path).path
        with pytest.raises(filelock.FileInUseError):
            backup.restore(db.path, copy)
        db.close()                          # the first window closes: the file is free
        assert filelock.holder(db.path) is None
        second.lock_file("Nguyễn Văn Khiêm")
        assert filelock.holder(db.path).user == "Nguyễn Văn Khiêm"
    finally:
        second.close()


@pytest.mark.sqlite_only
def test_a_lock_left_by_another_computer_is_shown_and_can_be_taken_over(db):
    filelock.lock_path(db.path).write_text(
        '{"user": "Lê Văn Tám", "computer": "MAY-VAN-PHONG", "pid": 4242, "since": "2025-12-14T08:15:00"}',
        encoding="utf-8")
    with pytest.raises(filelock.FileInUseError) as err:
        db.lock_file("Từ Minh Điền")
    assert not err.value.holder.live and "MAY-VAN-PHONG" in str(err.value) and "14/12/2025 08:15" in str(err.value)
    db.lock_file("Từ Minh Điền", force=True)
    assert filelock.holder(db.path).user == "Từ Minh Điền"


@pytest.mark.sqlite_only
def test_a_lock_left_by_a_crash_on_this_computer_is_not_a_holder(db):
    import json
    import os
    import socket

    filelock.lock_path(db.path).write_text(json.dumps(
        {"user": "x", "computer": socket.gethostname(), "pid": os.getpid() + 99999, "since": "2025-12-14T08:15:00"}),
        encoding="utf-8")
    assert filelock.holder(db.path) is None
    db.lock_file("Từ Minh Điền")


# --- a save over a record changed since the dialog opened ------------------------------------------------

def test_a_save_over_a_member_changed_elsewhere_is_refused_with_what_changed(db):
    with db.begin() as s:
        m = svc.add_member(s, svc.MemberInput("Nguyễn Văn An", dt.date(2010, 1, 1), birth_date=dt.date(1980, 1, 2)),
                           TODAY)
        member_id = m.id
    with db.begin() as s:                       # the dialog opens: what it shows
        member = s.get(svc.Member, member_id)
        seen, version = svc.member_input_of(member), member.version
    other = open_database(db.target)            # another window saves first
    try:
        with other.begin(write=True) as s:
            changed = svc.member_input_of(s.get(svc.Member, member_id))
            changed.note = "Chuyển công tác"
            changed.card_number = "001234"
            svc.update_member(s, member_id, changed, TODAY, seen=seen, seen_version=version)
    finally:
        other.close()
    rows = dump(db.engine)
    mine = svc.MemberInput("Nguyễn Văn Ân", dt.date(2010, 1, 1), birth_date=dt.date(1980, 1, 2))
    with db.begin(write=True) as s, pytest.raises(svc.ChangedElsewhereError) as err:
        svc.update_member(s, member_id, mine, TODAY, seen=seen, seen_version=version)
    text = "\n".join(err.value.problems)
    assert "đã được sửa ở nơi khác" in text and "Ghi chú: — → Chuyển công tác" in text and "001234" in text
    assert dump(db.engine) == rows
    # opened again, the save goes through
    with db.begin() as s:
        member = s.get(svc.Member, member_id)
        seen, version = svc.member_input_of(member), member.version
    with db.begin(write=True) as s:
        svc.update_member(s, member_id, mine, TODAY, seen=seen, seen_version=version)
    with db.begin() as s:
        assert s.get(svc.Member, member_id).full_name == "Nguyễn Văn Ân"


def test_the_row_version_is_raised_by_every_update(db):
    with db.begin() as s:
        m = svc.add_member(s, svc.MemberInput("Nguyễn Văn An", dt.date(2010, 1, 1)), TODAY)
        member_id, first = m.id, m.version
    with db.begin() as s:
        s.get(svc.Member, member_id).note = "a"
    with db.begin() as s:
        assert s.get(svc.Member, member_id).version == first + 1
