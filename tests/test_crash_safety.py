"""Crash safety: a long write is killed (SIGKILL) at random moments; the database must survive whole.

After every kill: PRAGMA integrity_check passes, foreign_key_check finds nothing, and the database holds
either the whole change or none of it (the audit trail likewise). Scenarios:

A. the program's own `members import FILE` of a 120-member list (the command line's code, whose write
   path is the import dialog's too), half of the rounds with a tiny page cache so that uncommitted
   pages reach the -wal file;
B. a batch of events: a sick leave recorded for every member and each member's note changed;
C. a restore of a backup over the database left by a killed import (with its -wal still there).

CI runs SOCHIBO_KILL_ROUNDS rounds of A (default 30), half as many of B and a third as many of C.
Run `SOCHIBO_KILL_ROUNDS=300 python -m pytest tests/test_crash_safety.py -s` for the long version;
with -s it prints its counts.
"""
from __future__ import annotations

import multiprocessing
import os
import random
import sqlite3
import sys
import time
from pathlib import Path

import pytest

from services.backup import online_backup
from services.integrity import check_file

pytestmark = pytest.mark.skipif(sys.platform.startswith("win"), reason="SIGKILL and forkserver are POSIX only")

ROUNDS = int(os.environ.get("SOCHIBO_KILL_ROUNDS", "30"))
BATCH = 120          # members per import
TIMEOUT = 60.0       # seconds a child may take before the test gives up on it


@pytest.fixture(scope="module")
def mp():
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["tests.crash_worker"])
    return ctx


@pytest.fixture(scope="module")
def bases(tmp_path_factory):
    """A branch with 40 members, and a backup of another branch to restore."""
    import datetime as dt

    from services import members as svc
    from services.branch import BranchIdentity, set_identity
    from services.db import open_database
    from tests.crash_worker import TODAY, batch_name

    folder = tmp_path_factory.mktemp("crash-bases")
    out = {}
    for key, name, count in (("main", "Chi bộ Thử Nghiệm", 40), ("other", "Chi bộ Khôi Phục", 3)):
        db = open_database(folder / f"{key}.db", create=True)
        with db.begin() as s:
            set_identity(s, BranchIdentity(name=name, parents=["ĐẢNG ỦY THỬ"], place="Trà Vinh"))
            for i in range(count):
                svc.add_member(s, svc.MemberInput(batch_name(1000 + i), dt.date(2005, 1, 1), dt.date(2006, 2, 1),
                                                  dt.date(1970, 1, 1) + dt.timedelta(days=i)), TODAY)
        db.close()
        out[key] = folder / f"{key}.db"
    return out


def _run(mp, target, args, kill: tuple[str, float] | None):
    """Start a child; `kill` = (message, delay): SIGKILL it `delay` seconds after it sends `message`.

    Returns (killed before it finished?, {message: time}).
    """
    parent, child = mp.Pipe(duplex=False)
    proc = mp.Process(target=target, args=(*args, child))
    proc.start()
    child.close()
    times: dict[str, float] = {}
    killed = False
    deadline = time.monotonic() + TIMEOUT
    try:
        while kill is not None and kill[0] not in times and "done" not in times:
            if not parent.poll(max(0.0, deadline - time.monotonic())):
                raise AssertionError("the child did not report in time")
            what, at = parent.recv()
            times[what] = at
        if kill is not None and "done" not in times:
            if kill[1] > 0:
                time.sleep(kill[1])
            if proc.is_alive():
                proc.kill()
                killed = True
        proc.join(max(0.0, deadline - time.monotonic()))
        while parent.poll():
            what, at = parent.recv()
            times[what] = at
    except EOFError:
        pass
    finally:
        if proc.is_alive():
            proc.kill()
            proc.join()
        parent.close()
    if not killed:
        assert proc.exitcode == 0, f"child failed with {proc.exitcode}"
    return killed and "done" not in times, times


def _fresh(base: Path, dest: Path) -> Path:
    for suffix in ("", "-wal", "-shm"):
        Path(str(dest) + suffix).unlink(missing_ok=True)
    return online_backup(base, dest, stamp=False)


def _count(path: Path, sql: str, *params) -> int:
    """Read-only, as the program's check reads: a kill in rollback-journal mode (a restored file before its
    first opening) can leave a hot journal that only an opening rolls back; then read a recovered copy."""
    import tempfile

    from services.integrity import recovered_copy

    try:
        con = sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True)
        try:
            return con.execute(sql, params).fetchone()[0]
        finally:
            con.close()
    except sqlite3.OperationalError as exc:
        if "readonly" not in str(exc):
            raise
        with tempfile.TemporaryDirectory() as tmp:
            con = sqlite3.connect(recovered_copy(Path(path), Path(tmp)))
            try:
                return con.execute(sql, params).fetchone()[0]
            finally:
                con.close()


def _assert_sound(path: Path) -> None:
    report = check_file(path, full=True, foreign_keys=True)
    assert report.ok, report.problems
    assert report.foreign_key_problems == []


def _kills(rng: random.Random, times: dict, rounds: int) -> list[tuple[str, float]]:
    """Kill moments: half spread over the whole write, half inside or just after the commit."""
    total = times["done"] - times["ready"]
    commit = max(times["done"] - times["committing"], 0.0005)
    return [("ready", rng.uniform(0, total)) if i % 2 == 0 else ("committing", rng.uniform(0, 2 * commit))
            for i in range(rounds)]


def test_killed_import_leaves_all_or_nothing(mp, bases, tmp_path):
    from tests import crash_worker as w

    rng = random.Random(int(os.environ.get("SOCHIBO_KILL_SEED", "6")))
    target = tmp_path / "import.db"
    base_members = _count(bases["main"], "SELECT count(*) FROM member")
    # One run to the end: measures how long the write takes, and must itself leave the whole batch.
    _fresh(bases["main"], target)
    lists = tmp_path / "lists"
    lists.mkdir()
    killed, times = _run(mp, w.import_members, (str(target), w.import_csv(str(lists), BATCH, "calibration"), False),
                         None)
    assert not killed
    assert _count(target, "SELECT count(*) FROM member WHERE note = 'calibration'") == BATCH
    outcomes = {"none": 0, "all": 0}
    restores = {"old": 0, "restored": 0}
    restore_time = _restore_time(mp, bases, tmp_path)
    for i, kill in enumerate(_kills(rng, times, ROUNDS)):
        tag = f"round-{i}"
        _fresh(bases["main"], target)
        _run(mp, w.import_members, (str(target), w.import_csv(str(lists), BATCH, tag), i % 4 < 2), kill)
        _assert_sound(target)
        added = _count(target, "SELECT count(*) FROM member WHERE note = ?", tag)
        assert added in (0, BATCH), f"round {i}: {added} of {BATCH} members written"
        assert _count(target, "SELECT count(*) FROM member") == base_members + added
        logged = _count(target, "SELECT count(*) FROM audit_entry WHERE table_name = 'member' "
                                "AND action = 'insert' AND new LIKE ?", f"%{tag}%")
        assert logged == added, "the audit trail commits with the change, never without it"
        outcomes["all" if added else "none"] += 1
        if i % 3 == 0:
            restores[_killed_restore(mp, rng.uniform(0, restore_time * 1.2), target, bases["other"], tag, added)] += 1
    print(f"\nscenario A: {ROUNDS} kills: none {outcomes['none']}, all {outcomes['all']}; "
          f"scenario C: restores killed: old kept {restores['old']}, restored {restores['restored']}")
    assert sum(outcomes.values()) == ROUNDS


def _restore_time(mp, bases, tmp_path) -> float:
    from tests import crash_worker as w

    scratch = _fresh(bases["main"], tmp_path / "scratch.db")
    killed, times = _run(mp, w.restore_backup, (str(scratch), str(bases["other"]), "", False), None)
    assert not killed and _count(scratch, "SELECT count(*) FROM member") == 3
    return times["done"] - times["ready"]


def _killed_restore(mp, delay: float, target: Path, source: Path, tag: str, added: int) -> str:
    """Scenario C on the database a killed import left (its -wal may still be there)."""
    from services.db import open_database
    from tests import crash_worker as w

    _run(mp, w.restore_backup, (str(target), str(source), tag, False), ("ready", delay))
    _assert_sound(target)
    name = _count(target, "SELECT count(*) FROM branch WHERE name = 'Chi bộ Khôi Phục'")
    if name:
        assert _count(target, "SELECT count(*) FROM member") == 3
        outcome = "restored"
    else:
        assert _count(target, "SELECT count(*) FROM member WHERE note = ?", tag) == added
        outcome = "old"
    open_database(target).close()  # and it opens for writing
    return outcome


def test_killed_batch_of_events_leaves_all_or_nothing(mp, bases, tmp_path):
    from tests import crash_worker as w

    rng = random.Random(int(os.environ.get("SOCHIBO_KILL_SEED", "6")) + 1)
    rounds = max(2, ROUNDS // 2)
    target = tmp_path / "events.db"
    members = _count(bases["main"], "SELECT count(*) FROM member")
    _fresh(bases["main"], target)
    killed, times = _run(mp, w.record_leave, (str(target), members, "calibration", False), None)
    assert not killed
    outcomes = {"none": 0, "all": 0}
    for i, kill in enumerate(_kills(rng, times, rounds)):
        tag = f"leave-{i}"
        _fresh(bases["main"], target)
        _run(mp, w.record_leave, (str(target), members, tag, i % 4 < 2), kill)
        _assert_sound(target)
        events = _count(target, "SELECT count(*) FROM member_event WHERE reason = ?", tag)
        notes = _count(target, "SELECT count(*) FROM member WHERE note = ?", tag)
        assert (events, notes) in ((0, 0), (members, members)), f"round {i}: {events} events, {notes} notes"
        outcomes["all" if events else "none"] += 1
    print(f"\nscenario B: {rounds} kills: none {outcomes['none']}, all {outcomes['all']}")
