"""Each meeting reminder appears when the records call for it and disappears when they no longer do."""
from __future__ import annotations

import datetime as dt

import pytest

import services.meetings as mt
from services.reminders import reminders

from .meeting_fixtures import make_branch, new_meeting


@pytest.fixture
def branch(db):
    return db, make_branch(db)


def _of(db, rule, today):
    with db.begin() as s:
        return [r for r in reminders(s, today) if r.rule == rule]


def test_absent_without_reason_in_three_months(branch):
    db, ids = branch
    an = ids["Nguyễn Văn An"]
    rule, today = "meetings_unexcused_absences", dt.date(2025, 10, 1)
    jan = new_meeting(db, dt.date(2025, 1, 6), absences={an: ("unexcused", "")})
    new_meeting(db, dt.date(2025, 2, 6), absences={an: ("unexcused", "")})
    # two absences in one month count as one month
    new_meeting(db, dt.date(2025, 2, 20), kind="thematic", absences={an: ("unexcused", "")})
    assert _of(db, rule, today) == []
    new_meeting(db, dt.date(2025, 4, 7), absences={an: ("unexcused", "")})
    found = _of(db, rule, today)
    assert len(found) == 1 and found[0].ref == an and found[0].severity == "warning"
    assert "Nguyễn Văn An" in found[0].text and "06/01/2025" in found[0].text
    # an absence later given a reason no longer counts
    with db.begin() as s:
        mt.set_attendance(s, jan, an, "excused", "đi công tác, có giấy")
    assert _of(db, rule, today) == []
    # the year's absences are still shown in January of the next year, not later
    new_meeting(db, dt.date(2025, 5, 6), absences={an: ("unexcused", "")})
    assert len(_of(db, rule, dt.date(2026, 1, 15))) == 1
    assert _of(db, rule, dt.date(2026, 3, 1)) == []


def test_quarter_without_a_thematic_meeting(branch):
    db, _ids = branch
    rule = "meetings_no_thematic"
    new_meeting(db, dt.date(2025, 1, 6))
    found = _of(db, rule, dt.date(2025, 4, 10))
    assert len(found) == 1 and " I " in found[0].text + " " and "2025" in found[0].text
    new_meeting(db, dt.date(2025, 3, 20), kind="thematic")
    assert _of(db, rule, dt.date(2025, 4, 10)) == []
    # the current quarter is only mentioned in its last days, as a gentle note
    assert _of(db, rule, dt.date(2025, 6, 10)) == []
    nearing = _of(db, rule, dt.date(2025, 6, 20))
    assert len(nearing) == 1 and nearing[0].severity == "info" and "10" in nearing[0].text
    # a regular meeting held together with a thematic part counts
    new_meeting(db, dt.date(2025, 6, 5), topic="Học tập Nghị quyết", end_time=dt.time(16, 30))
    assert _of(db, rule, dt.date(2025, 6, 20)) == []


def test_a_month_without_a_regular_meeting(branch):
    db, _ids = branch
    rule = "meetings_month_without_meeting"
    assert _of(db, rule, dt.date(2025, 3, 10)) == []          # nothing recorded yet: nothing to say
    new_meeting(db, dt.date(2025, 1, 6))
    found = _of(db, rule, dt.date(2025, 3, 10))
    assert len(found) == 1 and "02" in found[0].text          # February; March has not ended
    new_meeting(db, dt.date(2025, 2, 20), kind="thematic")    # a thematic meeting does not replace it
    assert len(_of(db, rule, dt.date(2025, 3, 10))) == 1
    new_meeting(db, dt.date(2025, 2, 6))
    assert _of(db, rule, dt.date(2025, 3, 10)) == []


def test_minutes_not_finalised(branch):
    db, _ids = branch
    rule = "meetings_not_finalised"
    mid = new_meeting(db, dt.date(2025, 5, 6))
    assert _of(db, rule, dt.date(2025, 5, 6)) == []           # held today: not yet
    found = _of(db, rule, dt.date(2025, 5, 8))
    assert len(found) == 1 and found[0].ref == mid and found[0].severity == "info"
    assert _of(db, rule, dt.date(2025, 7, 1))[0].severity == "warning"
    with db.begin() as s:
        mt.finalise_meeting(s, mid, "Lê Thị Hồng Nhung", dt.datetime(2025, 5, 8, 9), dt.date(2025, 5, 8))
    assert _of(db, rule, dt.date(2025, 5, 8)) == []
