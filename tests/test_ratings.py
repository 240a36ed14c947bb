"""Monthly member ratings: which months can be rated, validation, the grid, summaries for the year end."""
import datetime as dt
from collections import Counter

import pytest

from models import EventKind
from services import members as msvc
from services import ratings as svc
from services.errors import ValidationError
from services.ratings import Cell, MonthAttendance, MonthStatus

TODAY = dt.date(2025, 12, 15)


def add(s, name, admitted=dt.date(2010, 1, 1), made_full=dt.date(2011, 1, 5), birth=dt.date(1980, 1, 1)):
    return msvc.add_member(s, msvc.MemberInput(name, admitted, made_full, birth), TODAY).id


def event(s, member_id, kind, date, end=None, **kw):
    msvc.add_event(s, member_id, msvc.EventInput(kind, date, end, **kw), TODAY)


@pytest.fixture
def branch(db):
    """Five members with the cases the grid must handle."""
    with db.begin() as s:
        ids = {
            "an": add(s, "Nguyễn Văn An"),
            "dao": add(s, "Lê Thị Đào"),
            "dung": add(s, "Trần Văn Dũng"),
            "old": add(s, "Phạm Văn Cũ"),
            "new": add(s, "Võ Thị Yến", admitted=dt.date(2025, 8, 19), made_full=None, birth=dt.date(1998, 1, 1)),
        }
        event(s, ids["dao"], EventKind.EXEMPT, dt.date(2025, 3, 10), dt.date(2025, 6, 30), reason="Sức khỏe")
        event(s, ids["dung"], EventKind.TRANSFER_OUT, dt.date(2025, 9, 1), other_org="Đảng bộ huyện Càng Long")
        event(s, ids["old"], EventKind.TRANSFER_OUT, dt.date(2024, 5, 2), other_org="Chi bộ khác")
    return db, ids


def test_months_greyed_for_exemption_transfer_admission_and_future(branch):
    db, ids = branch
    with db.begin() as s:
        grid = svc.ratings_grid(s, 2025, TODAY)
    rows = {r.member_id: r for r in grid.rows}
    dao, dung, new = rows[ids["dao"]], rows[ids["dung"]], rows[ids["new"]]
    # Exempt from 10 March to 30 June: March still has active days; April–June are not rated.
    assert [dao.status(m) for m in (3, 4, 5, 6, 7)] == [MonthStatus.OPEN, MonthStatus.EXEMPT, MonthStatus.EXEMPT,
                                                        MonthStatus.EXEMPT, MonthStatus.OPEN]
    # Transferred out on 1 September: rated until August.
    assert dung.status(8) == MonthStatus.OPEN and dung.status(9) == MonthStatus.NOT_IN_BRANCH
    # Admitted on 19 August: rated from August.
    assert new.status(7) == MonthStatus.NOT_IN_BRANCH and new.editable(8)
    with db.begin() as s:
        next_year = svc.ratings_grid(s, 2026, TODAY)
    assert all(st == MonthStatus.FUTURE for r in next_year.rows for st in r.statuses)


def test_grid_lists_members_of_the_year_in_vietnamese_order(branch):
    db, ids = branch
    with db.begin() as s:
        names = [r.full_name for r in svc.ratings_grid(s, 2025, TODAY).rows]
        names_2024 = [r.full_name for r in svc.ratings_grid(s, 2024, TODAY).rows]
    # By given name: An, Dũng, Đào, Yến; the member who left in 2024 is not in the 2025 grid.
    assert names == ["Nguyễn Văn An", "Trần Văn Dũng", "Lê Thị Đào", "Võ Thị Yến"]
    assert "Phạm Văn Cũ" in names_2024 and "Võ Thị Yến" not in names_2024


def test_rating_is_refused_for_future_months_and_months_out_of_the_branch(branch):
    db, ids = branch
    with db.begin() as s:
        with pytest.raises(ValidationError) as err:
            svc.set_rating(s, ids["an"], 2026, 1, "HTTNV", TODAY)
        assert "chưa đến" in str(err.value)
        with pytest.raises(ValidationError) as err:
            svc.set_rating(s, ids["dung"], 2025, 10, "HTTNV", TODAY)
        assert "Trần Văn Dũng" in str(err.value) and "10/2025" in str(err.value)
        with pytest.raises(ValidationError) as err:
            svc.set_rating(s, ids["dao"], 2025, 5, "HTTNV", TODAY)
        assert "miễn" in str(err.value)
        with pytest.raises(ValidationError):
            svc.set_rating(s, ids["an"], 2025, 5, "GIOI", TODAY)
        with pytest.raises(ValidationError):
            svc.set_comment(s, ids["an"], 2025, 5, "x" * 1001, TODAY)
        # The current month can be rated (the meeting is held in it).
        svc.set_rating(s, ids["an"], 2025, 12, "HTTNV", TODAY)
    with db.begin() as s:
        assert svc.monthly_ratings(s, ids["an"], 2025) == {12: "HTTNV"}
        assert svc.monthly_ratings(s, ids["dao"], 2025) == {}


def test_level_and_comment_are_kept_apart_and_clearing_removes_the_row(branch):
    db, ids = branch
    with db.begin() as s:
        svc.set_rating(s, ids["an"], 2025, 3, "HTXSNV", TODAY)
        svc.set_comment(s, ids["an"], 2025, 3, "  Hoàn thành vượt tiến độ  ", TODAY)
        svc.set_rating(s, ids["an"], 2025, 3, "HTTNV", TODAY)
    with db.begin() as s:
        row = next(r for r in svc.ratings_grid(s, 2025, TODAY).rows if r.member_id == ids["an"])
        assert row.cell(3) == Cell("HTTNV", "Hoàn thành vượt tiến độ")
        svc.set_rating(s, ids["an"], 2025, 3, "", TODAY)
        assert svc.monthly_ratings(s, ids["an"], 2025) == {}
        svc.set_comment(s, ids["an"], 2025, 3, "", TODAY)
    from models import MonthlyRating
    with db.begin() as s:
        assert s.query(MonthlyRating).count() == 0


def test_a_rating_entered_before_an_exemption_was_recorded_can_still_be_removed(branch):
    db, ids = branch
    with db.begin() as s:
        svc.set_rating(s, ids["an"], 2025, 10, "HTTNV", TODAY)
        event(s, ids["an"], EventKind.EXEMPT, dt.date(2025, 10, 1), reason="Điều trị dài ngày")
    with db.begin() as s:
        with pytest.raises(ValidationError):
            svc.set_rating(s, ids["an"], 2025, 10, "HTXSNV", TODAY)
        svc.set_rating(s, ids["an"], 2025, 10, "", TODAY)
        assert svc.monthly_ratings(s, ids["an"], 2025) == {}


def test_summaries_for_the_year_end_review(branch):
    db, ids = branch
    with db.begin() as s:
        for month, level in [(1, "HTTNV"), (2, "HTTNV"), (3, "HTXSNV"), (4, "HTNV")]:
            svc.set_rating(s, ids["an"], 2025, month, level, TODAY)
        svc.set_rating(s, ids["new"], 2025, 9, "HTTNV", TODAY)
        svc.set_comment(s, ids["new"], 2025, 10, "Nghỉ ốm", TODAY)  # a comment alone is not a rating
        svc.set_rating(s, ids["an"], 2024, 12, "KHTNV", TODAY)
    with db.begin() as s:
        assert svc.monthly_ratings(s, ids["an"], 2025) == {1: "HTTNV", 2: "HTTNV", 3: "HTXSNV", 4: "HTNV"}
        summary = svc.ratings_summary(s, 2025)
        grid = svc.ratings_grid(s, 2025, TODAY)
    assert summary == {ids["an"]: Counter({"HTTNV": 2, "HTXSNV": 1, "HTNV": 1}), ids["new"]: Counter({"HTTNV": 1})}
    assert next(r for r in grid.rows if r.member_id == ids["an"]).counts == summary[ids["an"]]


def test_copy_last_month_fills_only_empty_cells_of_members_who_can_be_rated(branch):
    db, ids = branch
    with db.begin() as s:
        for key, level in (("an", "HTXSNV"), ("dao", "HTNV"), ("dung", "HTTNV"), ("new", "HTTNV")):
            svc.set_rating(s, ids[key], 2025, 8, level, TODAY)
        svc.set_rating(s, ids["new"], 2025, 9, "KHTNV", TODAY)
    with db.begin() as s:
        # An and Đào (her exemption ended in June) are filled; Dũng left on 1 September;
        # Yến already has a rating for September, which is kept.
        assert svc.copy_previous_month(s, 2025, 9, TODAY, dry_run=True) == 2
        assert svc.monthly_ratings(s, ids["an"], 2025) == {8: "HTXSNV"}
        assert svc.copy_previous_month(s, 2025, 9, TODAY) == 2
    with db.begin() as s:
        assert svc.monthly_ratings(s, ids["an"], 2025)[9] == "HTXSNV"
        assert svc.monthly_ratings(s, ids["dao"], 2025)[9] == "HTNV"
        assert 9 not in svc.monthly_ratings(s, ids["dung"], 2025)
        assert svc.monthly_ratings(s, ids["new"], 2025)[9] == "KHTNV"
        assert svc.copy_previous_month(s, 2025, 9, TODAY) == 0


def test_january_copies_from_december_of_the_year_before(branch):
    db, ids = branch
    with db.begin() as s:
        svc.set_rating(s, ids["an"], 2024, 12, "HTXSNV", TODAY)
        assert svc.copy_previous_month(s, 2025, 1, TODAY) == 1
        assert svc.monthly_ratings(s, ids["an"], 2025) == {1: "HTXSNV"}


def test_scale_is_data_and_a_setting_chooses_it(db):
    default_key, scales = svc.load_scales()
    assert default_key == "annual4"
    four = scales["annual4"]
    assert [lv.code for lv in four.levels] == ["HTXSNV", "HTTNV", "HTNV", "KHTNV"]
    assert four.level("HTTNV").label == "Hoàn thành tốt nhiệm vụ"
    assert [four.level_for_key(k).code for k in ("1", "2", "3", "4", "x", "T", "h", "K")] == \
        ["HTXSNV", "HTTNV", "HTNV", "KHTNV"] * 2
    assert four.level_for_key("5") is None and four.level_for_key("Q") is None
    with db.begin() as s:
        assert svc.current_scale(s).key == "annual4"
        svc.set_scale(s, "local3")
    with db.begin() as s:
        scale = svc.current_scale(s)
        assert [lv.label for lv in scale.levels] == ["Tốt", "Khá", "Trung bình"]
        with pytest.raises(ValidationError):
            svc.set_scale(s, "no-such-scale")


def test_grid_shows_attendance_given_by_the_meetings_area(branch, monkeypatch):
    db, ids = branch
    monkeypatch.setattr(svc, "_attendance_by_month", lambda session, year: {
        (ids["an"], 3): MonthAttendance(present=1, excused=1, unexcused=0),
        (ids["dao"], 1): MonthAttendance(present=0, excused=0, unexcused=1),
    })
    with db.begin() as s:
        rows = {r.member_id: r for r in svc.ratings_grid(s, 2025, TODAY).rows}
    assert rows[ids["an"]].attendance[3].short() == "1/2"
    assert rows[ids["dao"]].attendance[1].unexcused == 1
    assert "vắng không lý do 1" in rows[ids["dao"]].attendance[1].text()
    assert rows[ids["an"]].attendance.get(4) is None


def test_demo_ratings_are_varied_like_a_real_branch(tmp_path):
    from services.db import open_database
    from services.demo import write_demo

    path = tmp_path / "demo.db"
    write_demo(path, seed=3, year=2025, today=dt.date(2026, 1, 20))
    database = open_database(path)
    with database.begin() as s:
        summary = svc.ratings_summary(s, 2025)
        members = {m.id: m for m in msvc.all_members(s)}
        grid = svc.ratings_grid(s, 2025, dt.date(2026, 1, 20))
    database.close()
    total = sum(summary.values(), Counter())
    assert total["HTTNV"] > total["HTXSNV"] > 0 and total["HTNV"] > 0 and total["KHTNV"] >= 1
    exempt = [m for m in members.values() if any(e.kind == EventKind.EXEMPT for e in m.events)]
    assert exempt and all(m.id not in summary for m in exempt)
    disciplined = next(m for m in members.values() if any(e.kind == EventKind.DISCIPLINE for e in m.events))
    month = next(e.date.month for e in disciplined.events if e.kind == EventKind.DISCIPLINE)
    row = next(r for r in grid.rows if r.member_id == disciplined.id)
    assert row.cell(month).level == "KHTNV"
    assert all(row.cell(m).level in ("HTNV", "") for m in range(month + 1, 13))
    # Every open month of every member is rated or carries a comment (leave).
    for r in grid.rows:
        for m in range(1, 13):
            if r.editable(m):
                assert r.cell(m).level or r.cell(m).comment
