"""Issue 15's target figures, measured by hand (not in CI; the tests run small counts of the same).

    python -m bench.trust forged [N]        # forged and look-alike files thrown at a committee: counted?
    python -m bench.trust kills [N]         # SIGKILL at random moments during a schema upgrade
    python -m bench.trust full-disk [N]     # upgrades on a really full disk (a small tmpfs; root, Linux)
    python -m bench.trust concurrent [N]    # two programs at once: lost updates, two active files
    python -m bench.trust all               # each with its default count

Each prints one line of counts; docs/reliability.md records them. Seeds are fixed (SOCHIBO_TRUST_SEED).
"""
from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

SEED = int(os.environ.get("SOCHIBO_TRUST_SEED", "15"))


# --- forged and look-alike files -------------------------------------------------------------------------

def forged(n: int = 1000) -> str:
    """A committee with 5 accepted branches (25 members each); `n` hostile files: fresh ids with a real
    branch's name or a look-alike of it, real ids signed by another key, inflated or inconsistent tallies,
    future dates, hidden characters. Counted = the committee's totals moved."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from services.exchange.committee import accept_held, committee_tally, receive_bytes
    from services.exchange.container import ExchangeRefused
    from tests.exchange_support import make_committee, resign
    from tests.test_exchange_identity import MADE, data_of, scb

    rng = random.Random(SEED)
    names = ["Chi bộ Văn phòng Sở", "Chi bộ I", "Chi bộ Trung tâm Dịch vụ việc làm", "Chi bộ Thanh tra",
             "Chi bộ Phòng Kế hoạch - Tài chính"]
    alike = [lambda s: s.lower(), lambda s: s.upper(), lambda s: s.replace("ộ", "o").replace("ụ", "u"),
             lambda s: s.replace(" ", " \u200b", 1), lambda s: s.replace("i", "і"), lambda s: s.replace("o", "о"),
             lambda s: s + "\u202e", lambda s: s.replace(" ", "  "), lambda s: s.replace("-", "–"), lambda s: s]
    with tempfile.TemporaryDirectory() as tmp:
        db = make_committee(Path(tmp) / "du.db")
        real = []
        for name in names:
            key, uid = Ed25519PrivateKey.generate(), str(uuid.uuid4())
            r = receive_bytes(db, scb(uid, name, key), "real.scb")
            with db.begin() as s:
                accept_held(s, r.file_id, r.fingerprint[:16])
            real.append((uid, name, key))
        with db.begin() as s:
            before = committee_tally(s, 2020)
        kinds = {"held": 0, "refused": 0, "counted": 0}
        for i in range(n):
            uid, name, key = rng.choice(real)
            stranger = Ed25519PrivateKey.generate()
            when = MADE + dt.timedelta(days=1 + i)
            look = rng.choice(alike)(name)
            kind = i % 6
            if kind == 0:        # fresh id, the real name or a look-alike, a consistent file of 5000 members
                raw = scb(str(uuid.uuid4()), look, stranger, n=rng.choice([25, 500, 5000]), now=when)
            elif kind == 1:      # the real id, another key
                raw = scb(uid, name, stranger, n=900, now=when)
            elif kind == 2:      # the real id and key... in a file whose tally is not its member list
                data = data_of(name, 25)
                data["tally"]["members_total"] = data["tally"]["assessed"] = 900_029
                data["tally"]["levels"]["HTTNV"] = 900_029
                raw = scb(str(uuid.uuid4()), look, stranger, data=data, now=when)
            elif kind == 3:      # the tally of another name than the signed one
                raw = scb(str(uuid.uuid4()), look, stranger, data=data_of("Chi bộ Khác", 40), now=when)
            elif kind == 4:      # dated far in the future, re-signed by a stranger
                raw = resign(scb(str(uuid.uuid4()), look, stranger, now=when), stranger,
                             manifest_edit=lambda m: m.update(created_at="9999-12-31T23:59:59.000+00:00"))
            else:                # a look-alike of an accepted branch under its own new id
                raw = scb(str(uuid.uuid4()), look, stranger, n=60, now=when)
            try:
                result = receive_bytes(db, raw, f"f{i}.scb", replace=True)
                kinds["held" if result.status == "held" else "counted"] += 1
            except ExchangeRefused:
                kinds["refused"] += 1
        with db.begin() as s:
            after = committee_tally(s, 2020)
        db.close()
    moved = (after["members_total"], after["branches_sent"]) != (before["members_total"], before["branches_sent"])
    counted = kinds["counted"] + (1 if moved else 0)
    return (f"forged/look-alike files: {n}; held (counted nowhere) {kinds['held']}, refused {kinds['refused']}, "
            f"counted {counted}; committee total {before['members_total']} -> {after['members_total']}")


# --- kills during the upgrade ------------------------------------------------------------------------------

def kills(n: int = 200) -> str:
    from services.backup import online_backup
    from services.db import head_revision, open_database
    from services.integrity import check_file, check_structure
    from tests import crash_worker as w
    from tests.test_crash_safety import _run
    from tests.test_upgrade_safety import count, make_old_database, revision

    mp = multiprocessing.get_context("forkserver")
    mp.set_forkserver_preload(["tests.crash_worker"])
    rng = random.Random(SEED)
    with tempfile.TemporaryDirectory() as tmp:
        base = make_old_database(Path(tmp) / "base.db", members=200)
        target = Path(tmp) / "target.db"

        def fresh():
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(str(target) + suffix).unlink(missing_ok=True)
            shutil.rmtree(Path(tmp) / "backups", ignore_errors=True)
            online_backup(base, target, stamp=False)

        fresh()
        killed, times = _run(mp, w.upgrade_database, (str(target), "", False), None)
        total = times["done"] - times["ready"]
        outcomes = {"old": 0, "upgraded": 0, "broken": 0}
        t0 = time.monotonic()
        for _i in range(n):
            fresh()
            _run(mp, w.upgrade_database, (str(target), "", False), ("ready", rng.uniform(0, total * 1.1)))
            why = ""
            try:
                if not check_file(target, full=True).ok:
                    why = "integrity_check"
                # (read like the check does: a killed write may have left a hot journal to roll back)
                left_at = check_structure(target).revision
                outcomes["upgraded" if left_at == head_revision() else "old"] += 1
                open_database(target).close()
                if revision(target) != head_revision():
                    why = why or "not upgraded"
                elif not check_structure(target).ok:
                    why = why or f"structure {check_structure(target)}"
                elif count(target, "SELECT count(*) FROM member") != 200:
                    why = why or "members"
            except Exception as exc:  # noqa: BLE001 - counted
                why = f"{type(exc).__name__}: {exc}"[:300]
            if why:
                outcomes["broken"] += 1
                print(f"broken: {why}", file=sys.stderr)
    return (f"upgrades killed: {n} (upgrade takes {total:.2f} s); left at the old version {outcomes['old']}, "
            f"upgraded {outcomes['upgraded']}; broken files {outcomes['broken']} ({time.monotonic() - t0:.0f} s)")


# --- a really full disk ---------------------------------------------------------------------------------

def full_disk(n: int = 50) -> str:
    """Each round: a tmpfs just big enough for the old file and a random part of what the upgrade needs
    (its backup, the migration's pages, the WAL), the old database copied in, opened (upgraded)."""
    from services.db import head_revision, open_database
    from services.errors import UserError
    from services.integrity import check_file, check_structure
    from tests.test_upgrade_safety import OLD, count, make_old_database, revision

    if not sys.platform.startswith("linux") or os.geteuid() != 0:
        return "full disk: skipped (needs root on Linux to mount a small tmpfs)"
    rng = random.Random(SEED)
    outcomes = {"refused, unchanged": 0, "upgraded": 0, "broken": 0}
    reasons: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as tmp:
        base = make_old_database(Path(tmp) / "base.db", members=400)
        size = base.stat().st_size
        mnt = Path(tmp) / "mnt"
        mnt.mkdir()
        for _i in range(n):
            room = size + rng.randint(0, 3 * size)
            kb = (room + 4095) // 1024
            subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={kb}k", "tmpfs", str(mnt)], check=True)
            try:
                path = mnt / "chibo.db"
                shutil.copyfile(base, path)
                try:
                    open_database(path).close()
                    outcome = "upgraded"
                except UserError as exc:
                    outcome = "refused, unchanged"
                    key = "put back" if "đặt lại" in str(exc) else "verified unchanged" if "y như trước" in str(exc) \
                        else "no room for the backup" if "sao lưu trước khi nâng cấp" in str(exc) \
                        else "no room to read" if "đã đầy" in str(exc) else str(exc)[:60]
                    reasons[key] = reasons.get(key, 0) + 1
                # checked on the real disk: on the full one, even reading needs room for the -shm index
                check = Path(tmp) / "check"
                shutil.rmtree(check, ignore_errors=True)
                check.mkdir()
                for suffix in ("", "-wal", "-journal"):
                    if Path(str(path) + suffix).exists():
                        shutil.copyfile(str(path) + suffix, str(check / "chibo.db") + suffix)
                path = check / "chibo.db"
                ok = check_file(path, full=True).ok and count(path, "SELECT count(*) FROM member") == 400
                rev = revision(path)
                ok = ok and (rev == head_revision() if outcome == "upgraded" else rev == OLD)
                ok = ok and check_structure(path).ok
                if not ok:
                    outcome = "broken"
                outcomes[outcome] += 1
            finally:
                subprocess.run(["umount", str(mnt)], check=True)
    return (f"upgrades on a full disk: {n}; upgraded {outcomes['upgraded']}, refused with the file as before "
            f"{outcomes['refused, unchanged']} ({', '.join(f'{k} {v}' for k, v in sorted(reasons.items()))}); "
            f"broken files {outcomes['broken']}")


# --- two programs at once ---------------------------------------------------------------------------------

def _race_receive(path: str, raw: bytes, name: str, barrier) -> str:
    from services.db import open_database
    from services.exchange.committee import receive_bytes
    from services.exchange.container import ExchangeRefused

    db = open_database(path)
    try:
        barrier.wait()
        return str(receive_bytes(db, raw, name, replace=True).status)
    except ExchangeRefused as exc:
        return "refused as older" if "cũ hơn" in str(exc) else "refused: " + str(exc)[:80]
    except Exception as exc:  # noqa: BLE001 - reported
        return type(exc).__name__ + ": " + str(exc)[:80]
    finally:
        db.close()


def _race_edit(path: str, member_id: int, seen_version: int, note: str, barrier) -> str:
    from services import members as svc
    from services.db import open_database

    db = open_database(path)
    try:
        with db.begin() as s:
            data = svc.member_input_of(s.get(svc.Member, member_id))
        barrier.wait()
        with db.begin(write=True) as s:
            data.note = note
            svc.update_member(s, member_id, data, dt.date(2025, 12, 15), seen_version=seen_version)
        return "saved"
    except svc.ChangedElsewhereError:
        return "refused"
    except Exception as exc:  # noqa: BLE001 - reported
        return type(exc).__name__ + ": " + str(exc)[:80]
    finally:
        db.close()


def concurrent(n: int = 100) -> str:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from sqlalchemy import select

    from models import ReceivedFile
    from services import members as svc
    from services.exchange.committee import accept_held, receive_bytes
    from tests.exchange_support import make_committee
    from tests.test_exchange_identity import MADE, NAME, scb

    ctx = multiprocessing.get_context("spawn")
    two_active = lost = errors = 0
    refused_edits = 0
    with tempfile.TemporaryDirectory() as tmp, ctx.Pool(2) as pool:
        db = make_committee(Path(tmp) / "du.db")
        key, uid = Ed25519PrivateKey.generate(), str(uuid.uuid4())
        r = receive_bytes(db, scb(uid, NAME, key), "first.scb")
        with db.begin() as s:
            accept_held(s, r.file_id, r.fingerprint[:16])
            member_id = svc.add_member(s, svc.MemberInput("Nguyễn Văn An", dt.date(2010, 1, 1)),
                                       dt.date(2025, 12, 15)).id
        path = str(db.path)
        manager = ctx.Manager()
        for i in range(n):
            barrier = manager.Barrier(2)
            a = scb(uid, NAME, key, n=24, now=MADE + dt.timedelta(days=2 * i + 1))
            b = scb(uid, NAME, key, n=23, now=MADE + dt.timedelta(days=2 * i + 2))
            results = pool.starmap(_race_receive, [(path, a, f"a{i}.scb", barrier), (path, b, f"b{i}.scb", barrier)])
            # the newer file may win the race: the older one is then refused as older, which is right
            bad = [x for x in results if x not in ("replaced", "added", "refused as older")]
            errors += len(bad)
            if bad:
                print("receive:", results, file=sys.stderr)
            with db.begin() as s:
                active = s.scalars(select(ReceivedFile).where(ReceivedFile.active.is_(True))).all()
            if len(active) != 1 or active[0].data["tally"]["members_total"] != 23:
                two_active += 1
            with db.begin() as s:
                version = s.get(svc.Member, member_id).version
            barrier = manager.Barrier(2)
            results = pool.starmap(_race_edit, [(path, member_id, version, f"A{i}", barrier),
                                                (path, member_id, version, f"B{i}", barrier)])
            saved = results.count("saved")
            refused_edits += results.count("refused")
            bad = [x for x in results if x not in ("saved", "refused")]
            errors += len(bad)
            if bad:
                print("edit:", results, file=sys.stderr)
            with db.begin() as s:
                note = s.get(svc.Member, member_id).note
            # a lost update: both windows were told "saved", or the saved one is not what the file holds
            if saved != 1 or note not in (f"A{i}", f"B{i}"):
                lost += 1
        db.close()
    return (f"concurrent rounds: {n}; rounds with other than one active file (or not the newest) {two_active}; "
            f"lost updates {lost} (second save refused with what changed: {refused_edits}); errors {errors}")


def main(argv: list[str]) -> int:
    what = argv[0] if argv else "all"
    count = int(argv[1]) if len(argv) > 1 else None
    jobs = {"forged": forged, "kills": kills, "full-disk": full_disk, "concurrent": concurrent}
    for name in (jobs if what == "all" else [what]):
        t0 = time.monotonic()
        line = jobs[name](count) if count else jobs[name]()
        print(f"{line} [{time.monotonic() - t0:.0f} s]", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
