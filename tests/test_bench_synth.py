"""The benchmark's data generators: deterministic, and they make what they say (at a tiny size)."""
from __future__ import annotations

import datetime as dt
import zipfile
from collections import Counter
from xml.etree import ElementTree

import pytest
from sqlalchemy import func, select

from bench.committee import sizes
from bench.docx import W, write_docx
from bench.synth import make_branch_db
from models import Meeting, Member, MemberEvent, MemberReview, MonthlyRating
from models.meeting import Attendance
from services.db import open_database
from services.review.tally import tally


def _dump(path) -> list:
    db = open_database(path)
    try:
        with db.begin() as s:
            members = [(m.uid, m.full_name, m.birth_date, m.position) for m in s.scalars(select(Member).order_by(Member.id))]
            events = [(e.member_id, e.kind, e.date, e.end_date, e.form) for e in
                      s.scalars(select(MemberEvent).order_by(MemberEvent.id))]
            reviews = [(r.year, r.member_id, r.decided_level, r.criteria) for r in
                       s.scalars(select(MemberReview).order_by(MemberReview.id))]
            ratings = [(r.member_id, r.year, r.month, r.level) for r in
                       s.scalars(select(MonthlyRating).order_by(MonthlyRating.id))]
            meetings = [(m.date, m.kind, m.chair_name) for m in s.scalars(select(Meeting).order_by(Meeting.id))]
    finally:
        db.close()
    return [members, events, reviews, ratings, meetings]


@pytest.fixture(scope="module")
def branch(tmp_path_factory):
    return make_branch_db(tmp_path_factory.mktemp("synth") / "a.db", members=24, years=2, seed=7)


def test_same_seed_same_database_other_seed_another(branch, tmp_path):
    again = make_branch_db(tmp_path / "b.db", members=24, years=2, seed=7)
    assert _dump(again) == _dump(branch)
    other = make_branch_db(tmp_path / "c.db", members=24, years=2, seed=8, records="register")
    assert _dump(other)[0] != _dump(branch)[0]


def test_full_records_every_year_for_most_members(branch):
    db = open_database(branch)
    try:
        with db.begin() as s:
            for year in (2024, 2025):
                t = tally(s, year, with_previous=False)
                # a clean year: no level the rules forbid, within the quota, everyone eligible rated
                assert t.violations == []
                assert t.unrated == 0 and t.assessed >= 0.8 * t.members_total
                rated_monthly = s.scalar(select(func.count(func.distinct(MonthlyRating.member_id)))
                                         .where(MonthlyRating.year == year))
                assert rated_monthly >= 0.9 * t.members_total
                meetings = list(s.scalars(select(Meeting).where(func.strftime("%Y", Meeting.date) == str(year))))
                assert Counter(m.kind for m in meetings) == {"regular": 12, "thematic": 4}
                present = s.scalar(select(func.count(func.distinct(Attendance.member_id)))
                                   .join(Meeting).where(func.strftime("%Y", Meeting.date) == str(year)))
                assert present >= 0.9 * t.members_total
            # the size asked for is the branch at the end of the last year
            assert tally(s, 2025, with_previous=False).members_total == 24
    finally:
        db.close()


def test_review_only_records(tmp_path):
    path = make_branch_db(tmp_path / "r.db", members=40, years=1, seed=3, records="review")
    db = open_database(path)
    try:
        with db.begin() as s:
            assert s.scalar(select(func.count()).select_from(Meeting)) == 0
            assert s.scalar(select(func.count()).select_from(MonthlyRating)) == 0
            t = tally(s, 2025, with_previous=False)
            assert t.members_total == 40 and t.unrated == 0 and t.violations == []
            assert t.levels["HTXSNV"] <= t.quota_max
    finally:
        db.close()


def test_committee_sizes_add_up():
    s = sizes(3400, 30)
    assert sum(s) == 3400 and len(s) == 30 and min(s) > 0
    assert s == sizes(3400, 30)


def test_docx_holds_the_table(tmp_path):
    path = write_docx(tmp_path / "t.docx", "DANH SÁCH", ["STT", "Họ và tên"], [["1", "Nguyễn Văn An"], ["2", "Lê Thị Ý"]],
                      [700, 3000])
    with zipfile.ZipFile(path) as z:
        assert {"[Content_Types].xml", "_rels/.rels", "word/document.xml"} <= set(z.namelist())
        root = ElementTree.fromstring(z.read("word/document.xml"))
    rows = root.findall(f".//{{{W}}}tr")
    assert len(rows) == 3
    assert "".join(t.text for t in rows[2].iter(f"{{{W}}}t")) == "2Lê Thị Ý"


def test_import_sheet_is_a_good_member_list(tmp_path):
    """Every row of the benchmark's member list is a member the register accepts; same rows every time."""
    from bench.synth import write_import_sheet
    from services.member_import import read_import

    first = read_import(write_import_sheet(tmp_path / "a.xlsx", 120), today=dt.date(2025, 12, 31))
    again = read_import(write_import_sheet(tmp_path / "b.xlsx", 120), today=dt.date(2025, 12, 31))
    assert first.ok and len(first.rows) == 120 and first.skipped == [8 + 120, 8 + 121]
    assert [r.member for r in first.rows] == [r.member for r in again.rows]
    assert any(r.transfer_in for r in first.rows)


def test_the_scale_benchmark_s_files_are_received_and_counted(tmp_path, engine_name, request):
    """bench/scale.py's files are real branch files: the committee checks, takes and counts every one."""
    from types import SimpleNamespace

    from bench import scale

    ctx = SimpleNamespace(workdir=tmp_path, reuse=lambda _p: False, made=lambda *_a: None, quick=True, runs=1)
    files, members = scale.make_files(ctx, 3)
    assert members == sum(scale.SIZES[:3]) and len({f.read_bytes() for f in files}) == 3
    if engine_name == "sqlite":
        engine = scale.SqliteEngine(tmp_path)
    else:
        engine = scale.PostgresEngine(request.getfixturevalue("pg_server").target("postgres"))
    result = scale.measure(engine, files, members, 1, tmp_path)
    assert (result.files, result.members) == (3, members) and (tmp_path / "tong-hop-3.pdf").exists()


def test_the_committee_benchmark_receives_every_branch_file(tmp_path):
    """bench/committee.py (shared by the tally and aggregate benchmarks) gives the committee it made, with every
    branch's signed file received and counted."""
    from types import SimpleNamespace

    from bench.committee import committee
    from services.db import open_database
    from services.exchange.committee import committee_tally

    ctx = SimpleNamespace(workdir=tmp_path, reuse=lambda _p: False, made=lambda *_a: None, quick=True, runs=1,
                          cache={}, setup_seconds={})
    c = committee(ctx)
    assert len(c.branch_dbs) == len(c.files) == 6 and all(f.exists() for f in c.files)
    db = open_database(c.received)
    try:
        with db.begin() as s:
            summed = committee_tally(s, c.year)
        assert summed["members_total"] == c.members and len(summed["branches"]) == 6, summed
    finally:
        db.close()
    # The committee before the files arrive knows every branch (the normal year): nothing is held.
    from services.exchange.committee import ReceiveStatus, receive_file

    copy = tmp_path / "committee-copy.db"
    copy.write_bytes(c.template.read_bytes())
    db = open_database(copy)
    try:
        assert {receive_file(db, f).status for f in c.files} == {ReceiveStatus.ADDED}
    finally:
        db.close()


def test_the_launcher_times_a_program_to_the_moment_it_says_its_window_is_shown():
    """bench/launch.py: "shown" is the time from launch to the program's "shown-at" line, not to its exit
    (the start-up benchmark must not count the work a program finishes in the background after)."""
    import json
    import subprocess
    import sys

    script = "import time; print(f'shown-at {time.time():.6f}', flush=True); time.sleep(0.5)"
    out = subprocess.run([sys.executable, "-S", "-m", "bench.launch", sys.executable, "-c", script],
                         capture_output=True, text=True, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["code"] == 0 and result["seconds"] >= 0.5
    assert 0 < result["shown"] < result["seconds"] - 0.4
