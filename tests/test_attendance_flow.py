"""Absences recorded at a meeting reach the monthly ratings grid and the year-end review as they were
recorded: with reason stays with reason, without reason stays without reason (no fakes of either area)."""
from __future__ import annotations

import datetime as dt

import pytest

from models.meeting import AttendanceStatus
from services import ratings
from services.review import service as review
from tests.meeting_fixtures import TODAY, make_branch, new_meeting


@pytest.fixture
def branch_with_absences(db):
    ids = make_branch(db)
    an, bich = ids["Nguyễn Văn An"], ids["Trần Thị Bích"]
    # March: An absent with reason, Bích without. April: Bích without reason again, An present.
    new_meeting(db, dt.date(2025, 3, 20), absences={an: (AttendanceStatus.EXCUSED, "Đi công tác"),
                                                      bich: (AttendanceStatus.UNEXCUSED, "")})
    new_meeting(db, dt.date(2025, 4, 18), absences={bich: (AttendanceStatus.UNEXCUSED, "")})
    return db, an, bich


def test_the_monthly_grid_shows_each_absence_as_recorded(branch_with_absences):
    db, an, bich = branch_with_absences
    with db.begin() as s:
        rows = {r.member_id: r for r in ratings.ratings_grid(s, 2025, TODAY).rows}
    march_an, march_bich = rows[an].attendance[3], rows[bich].attendance[3]
    assert (march_an.present, march_an.excused, march_an.unexcused) == (0, 1, 0)
    assert (march_bich.present, march_bich.excused, march_bich.unexcused) == (0, 0, 1)
    assert rows[an].attendance[4].present == 1


def test_the_year_end_review_counts_absences_with_and_without_reason_apart(branch_with_absences):
    db, an, bich = branch_with_absences
    with db.begin() as s:
        year = review.year_review(s, 2025)
    att_an, att_bich = year.row(an).facts.attendance, year.row(bich).facts.attendance
    assert (att_an["absent_excused"], att_an["absent_unexcused"]) == (1, 0)
    assert (att_bich["absent_excused"], att_bich["absent_unexcused"]) == (0, 2)
    assert att_an["meetings"] == att_bich["meetings"] == 2
    assert any("không lý do 2" in w for w in year.row(bich).proposal.warnings)
    assert not any("không lý do" in w for w in year.row(an).proposal.warnings)
