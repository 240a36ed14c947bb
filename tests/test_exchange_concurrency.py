"""Several office workers receive files at once (issue 16, item 2): on either engine, processes that
receive the same branches' files concurrently never leave two active files for one branch and period,
never lose a file, and the committee's totals are the sum of the files it accepted."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from services.db import open_database
from services.exchange.committee import committee_tally, read_received_file
from tests.engines import rows_of
from tests.exchange_support import export_branch, make_branch, make_committee, receive_accepted

ROOT = Path(__file__).resolve().parents[1]
BRANCHES = [
    ("Chi bộ Một", {"HTXSNV": 2, "HTTNV": 6}, 0, "HTTNV"),
    ("Chi bộ Hai", {"HTXSNV": 1, "HTTNV": 7, "HTNV": 1}, 1, "HTTNV"),
    ("Chi bộ Ba", {"HTTNV": 5, "KHTNV": 1}, 0, "HTNV"),
    ("Chi bộ Bốn", {"HTXSNV": 1, "HTTNV": 4}, 0, "HTTNV"),
]
FIRST = dt.datetime(2021, 1, 5, 8, 0, tzinfo=dt.UTC)
OLDER = dt.datetime(2021, 1, 10, 8, 0, tzinfo=dt.UTC)
NEWER = dt.datetime(2021, 1, 20, 8, 0, tzinfo=dt.UTC)
WORKERS = 4
ROUNDS = 3


@pytest.fixture(scope="module")
def versions(tmp_path_factory):
    """Each branch's first file (5 January), which the office accepts, then a file made on 10 January and a
    newer one made on 20 January (all signed by the branch)."""
    root = tmp_path_factory.mktemp("versions")
    first, older, newer = [], [], []
    for i, (name, levels, new, proposed) in enumerate(BRANCHES):
        path = root / f"cb{i}.db"
        make_branch(path, name, levels, new, proposed, offset=40 * i)
        key = Ed25519PrivateKey.generate()
        first.append(export_branch(path, root / f"cb{i}-dau.scb", None, key, now=FIRST))
        older.append(export_branch(path, root / f"cb{i}-cu.scb", None, key, now=OLDER))
        newer.append(export_branch(path, root / f"cb{i}-moi.scb", None, key, now=NEWER))
    return first, older, newer


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _worker_orders(older: list[Path], newer: list[Path]) -> list[list[Path]]:
    """Every worker gets every file, in its own order: older first, newer first, interleaved, reversed."""
    both = [f for pair in zip(older, newer, strict=True) for f in pair]
    return [older + newer, newer + older, both, list(reversed(both))][:WORKERS]


def test_concurrent_receiving_keeps_one_active_file_per_branch_and_loses_none(versions, new_target):
    first, older, newer = versions
    newest = {_sha(f) for f in newer}
    for round_ in range(ROUNDS):
        db = make_committee(new_target(f"dang-uy-{round_}"))
        for f in first:  # the branches the office knows, each with its key
            receive_accepted(db, f)
        target = str(db.target)
        db.close()
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        procs = [subprocess.Popen([sys.executable, str(ROOT / "main.py"), "aggregate", "--db", target, "--replace",
                                   *map(str, order)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                  encoding="utf-8", env=env, cwd=ROOT)
                 for order in _worker_orders(older, newer)]
        outputs = [p.communicate(timeout=300) for p in procs]
        for _out, err in outputs:
            # An older file arriving after the newer one is refused by rule; nothing else may fail.
            for line in err.splitlines():
                assert line.startswith("Lỗi: Không nhận tệp") and "cũ hơn nên không được nhận" in line, err
        files = rows_of(target, "received_file", "branch_id, period_kind, period_year, period_number, active, sha256")
        active = [f for f in files if f[4]]
        per_period = {}
        for f in active:
            per_period.setdefault(f[:4], []).append(f[5])
        assert len(per_period) == len(BRANCHES), per_period
        assert all(len(shas) == 1 for shas in per_period.values()), per_period   # one active file each
        assert {f[5] for f in active} == newest                                    # the newest of each
        stored = [f[5] for f in files]
        assert len(stored) == len(set(stored))                                     # none twice
        assert newest <= set(stored)                                               # none lost
        again = open_database(target)
        try:
            with again.begin() as s:
                t = committee_tally(s, 2020)
        finally:
            again.close()
        sums = {"members_total": 0, "assessed": 0}
        for f in newer:
            tally = read_received_file(f).data["tally"]
            for k in sums:
                sums[k] += tally[k]
        assert {k: t[k] for k in sums} == sums and t["branches_sent"] == len(BRANCHES), json.dumps(t)[:300]
