"""A meeting dated far ahead: confirmed by the user beyond six weeks, refused after next year (2030 typed
for 2025); what stops a save is available as one sentence for the greyed "Lưu" button."""
import datetime as dt

import pytest

from services import meetings as mt
from services.errors import ValidationError
from services.meetings.attendance import load_meetings
from tests.meeting_fixtures import meeting_input

TODAY = dt.date(2025, 12, 15)


def check(db, day, editing_id=None):
    with db.begin() as s:
        return mt.check_meeting(s, meeting_input(day), editing_id=editing_id, today=TODAY)


def stored(db):
    with db.begin() as s:
        return [m.date for m in load_meetings(s, None)]


def test_the_coming_weeks_are_accepted_further_ahead_is_asked_after_next_year_refused(db):
    soon = check(db, TODAY + dt.timedelta(days=42))
    assert soon.ok and soon.confirm == []
    far = check(db, dt.date(2026, 3, 5))
    assert far.ok and [p.message for p in far.confirm] == [
        "Ngày 05/03/2026 còn 80 ngày nữa mới đến. Buổi sinh hoạt có thật được dự kiến xa như vậy không? "
        "Hãy kiểm tra lại tháng và năm."]
    typo = check(db, dt.date(2030, 12, 5))
    assert not typo.ok and typo.confirm == []
    assert [p.message for p in typo.errors] == [
        "Ngày 05/12/2030 thuộc năm 2030, còn nhiều năm nữa: hãy kiểm tra lại năm (buổi sinh hoạt được ghi vào "
        "đúng ngày họp hoặc dự kiến trong vài tuần tới)."]
    assert typo.blocked_reason() == "Chưa lưu được: " + typo.errors[0].message
    assert soon.blocked_reason() == ""
    # The past is always fine: meetings are entered afterwards, even years afterwards.
    assert check(db, dt.date(2019, 1, 7)).ok and check(db, dt.date(2019, 1, 7)).confirm == []


def test_a_meeting_far_ahead_is_saved_only_when_confirmed_and_2030_never(db):
    with pytest.raises(ValidationError) as err, db.begin() as s:
        mt.create_meeting(s, meeting_input(dt.date(2026, 3, 5)), today=TODAY)
    assert "còn 80 ngày nữa" in str(err.value)
    assert stored(db) == []
    with db.begin() as s:
        mid = mt.create_meeting(s, meeting_input(dt.date(2026, 3, 5)), today=TODAY, confirmed=True).id
    assert stored(db) == [dt.date(2026, 3, 5)]
    with pytest.raises(ValidationError) as err, db.begin() as s:
        mt.create_meeting(s, meeting_input(dt.date(2030, 12, 5)), today=TODAY, confirmed=True)
    assert "năm 2030" in str(err.value)
    with pytest.raises(ValidationError), db.begin() as s:
        mt.update_meeting(s, mid, meeting_input(dt.date(2030, 3, 5)), today=TODAY, confirmed=True)
    with pytest.raises(ValidationError), db.begin() as s:
        mt.update_meeting(s, mid, meeting_input(dt.date(2026, 4, 5)), today=TODAY)
    assert stored(db) == [dt.date(2026, 3, 5)]
    with db.begin() as s:
        mt.update_meeting(s, mid, meeting_input(dt.date(2025, 12, 20)), today=TODAY)
    assert stored(db) == [dt.date(2025, 12, 20)]


def test_without_today_the_computers_date_decides(db):
    with pytest.raises(ValidationError), db.begin() as s:
        mt.create_meeting(s, meeting_input(dt.date(dt.date.today().year + 2, 1, 5)))
    assert stored(db) == []
