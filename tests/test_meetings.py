"""Meetings: who is expected, the counts the minutes state, validity, quality, votes, minutes,
finalising and amending, and what other areas read (attendance by month and by year)."""
from __future__ import annotations

import datetime as dt

import pytest

from models import EventKind, Member, MemberEvent
from services import meetings as mt
from services import settings
from services.errors import UserError, ValidationError
from services.meetings.attendance import YearBook
from services.meetings.records import sections_of

from .meeting_fixtures import TODAY, make_branch, meeting_input, new_meeting


@pytest.fixture
def branch(db):
    return db, make_branch(db)


def _book(db, meeting_id):
    with db.begin() as s:
        m = mt.get_meeting(s, meeting_id)
        book = YearBook(s, m.date.year)
        m = book.meeting(meeting_id)
        return book.roster(m), book.tally(m), book.quality(m)


def test_attendance_is_for_exactly_the_members_of_the_branch_on_that_day(branch):
    db, ids = branch
    before = new_meeting(db, dt.date(2025, 5, 6), all_present=False)
    after = new_meeting(db, dt.date(2025, 6, 5), all_present=False)
    roster, tally, _q = _book(db, before)
    names = [r.full_name for r in roster.expected]
    assert "Đặng Văn Phúc" not in names           # transferred in on 01/06
    assert "Hồ Văn Em" not in names               # exempt: listed apart
    assert [r.full_name for r in roster.exempt] == ["Hồ Văn Em"]
    assert (tally.total, tally.full, tally.probationary, tally.exempt, tally.expected) == (7, 6, 1, 1, 6)
    assert tally.unrecorded == 6
    roster, tally, _q = _book(db, after)
    assert "Đặng Văn Phúc" in [r.full_name for r in roster.expected]
    assert (tally.total, tally.expected) == (8, 7)
    # names in Vietnamese order (by given name)
    assert [r.full_name for r in roster.expected] == ["Nguyễn Văn An", "Trần Thị Bích", "Phạm Quốc Cường",
                                                       "Võ Thị Dung", "Từ Minh Điền", "Lê Thị Hồng Nhung",
                                                       "Đặng Văn Phúc"]


def test_an_exempt_member_cannot_be_marked_absent(branch):
    db, ids = branch
    mid = new_meeting(db, dt.date(2025, 5, 6), all_present=False)
    with db.begin() as s, pytest.raises(ValidationError) as err:
        mt.set_attendance(s, mid, ids["Hồ Văn Em"], "unexcused")
    assert "Hồ Văn Em" in str(err.value)


def test_everyone_present_keeps_exceptions_and_excuses_members_on_leave(branch):
    db, ids = branch
    with db.begin() as s:
        bich = s.get(Member, ids["Trần Thị Bích"])
        bich.events.append(MemberEvent(kind=EventKind.MATERNITY_LEAVE, date=dt.date(2025, 4, 1),
                                       end_date=dt.date(2025, 9, 30)))
    mid = new_meeting(db, dt.date(2025, 5, 6), all_present=False)
    with db.begin() as s:
        mt.set_attendance(s, mid, ids["Nguyễn Văn An"], "unexcused")
        assert mt.mark_all_present(s, mid) == 5
    roster, tally, _q = _book(db, mid)
    by_name = {r.full_name: r for r in roster.expected}
    assert by_name["Nguyễn Văn An"].status == "unexcused"
    assert (by_name["Trần Thị Bích"].status, by_name["Trần Thị Bích"].reason) == ("excused", "Nghỉ thai sản")
    assert (tally.present, tally.excused, tally.unexcused, tally.unrecorded) == (4, 1, 1, 0)
    assert tally.full_present == 3   # the probationary member present does not vote


def test_validity_follows_the_quorum_setting(branch):
    db, ids = branch
    absent = {ids[n]: ("excused", "đi công tác") for n in ("Nguyễn Văn An", "Trần Thị Bích", "Phạm Quốc Cường")}
    mid = new_meeting(db, dt.date(2025, 5, 6), absences=absent)   # 3 of 6 present: exactly half
    with db.begin() as s:
        summary = mt.summary_of(s, mid)
        assert (summary.tally.present, summary.tally.expected) == (3, 6)
        assert not summary.valid
        mt.set_attendance(s, mid, ids["Nguyễn Văn An"], "present")
        assert mt.summary_of(s, mid).valid        # 4 of 6: more than half
        settings.put(s, "meetings.quorum_share", 2 / 3)
        assert not mt.summary_of(s, mid).valid    # 4 is not more than two thirds of 6


def test_quality_criteria(branch):
    db, ids = branch
    an = ids["Nguyễn Văn An"]
    ok = new_meeting(db, dt.date(2025, 1, 6))
    assert _book(db, ok)[2].ok
    unexcused = new_meeting(db, dt.date(2025, 2, 6), absences={an: ("unexcused", "")})
    q = _book(db, unexcused)[2]
    assert not q.unexcused_ok and not q.attendance_ok    # 5 of 6 = 83.3%, not above 85%
    # absent with reason in March, April, May, June: the fourth in a row breaks the criterion
    meetings = [new_meeting(db, dt.date(2025, m, 6), absences={an: ("excused", "ốm")}) for m in (3, 4, 5)]
    assert _book(db, meetings[-1])[2].streak_ok
    fourth = new_meeting(db, dt.date(2025, 6, 6), absences={an: ("excused", "ốm")})
    q = _book(db, fourth)[2]
    assert not q.streak_ok and q.long_streaks == [("Nguyễn Văn An", 4)]
    # the rule source is named; before HD 12/2018 there were no such criteria
    assert "12-HD/BTCTW" in _book(db, ok)[2].source
    old = new_meeting(db, dt.date(2017, 5, 5))
    assert _book(db, old)[2] is None


def test_duration_rules_are_versioned_and_only_warn(branch):
    db, _ids = branch
    with db.begin() as s:
        before = mt.check_meeting(s, meeting_input(dt.date(2025, 6, 5), end_time=dt.time(15, 0)))
        assert before.ok and not before.warnings        # HD 42 applies from 28/10/2025
        short = mt.check_meeting(s, meeting_input(dt.date(2025, 11, 5), end_time=dt.time(15, 0)))
        assert short.ok
        assert any("90" in w.message and "42-HD/BTCTW" in w.message for w in short.warnings)
        combined = mt.check_meeting(s, meeting_input(dt.date(2025, 11, 5), end_time=dt.time(15, 40),
                                                     topic="Học tập Nghị quyết"))
        assert any("120" in w.message for w in combined.warnings)
        enough = mt.check_meeting(s, meeting_input(dt.date(2025, 11, 5), end_time=dt.time(16, 0),
                                                   topic="Học tập Nghị quyết"))
        assert not enough.warnings
        bad = mt.check_meeting(s, meeting_input(dt.date(2025, 11, 5), end_time=dt.time(13, 0)))
        assert not bad.ok
        no_topic = mt.check_meeting(s, meeting_input(dt.date(2025, 11, 5), kind="thematic", topic=""))
        assert [p.field for p in no_topic.errors] == ["topic"]


def test_times_are_read_as_people_type_them():
    assert mt.parse_time("14:00") == dt.time(14, 0)
    assert mt.parse_time("14h30") == dt.time(14, 30)
    assert mt.parse_time("7g30") == dt.time(7, 30)
    assert mt.parse_time("1430") == dt.time(14, 30)
    assert mt.parse_time("14h") == dt.time(14, 0)
    assert mt.parse_time("25:00") is None
    assert mt.parse_time("") is None


def test_minutes_follow_the_official_order_and_carry_last_months_tasks(branch):
    db, _ids = branch
    first = new_meeting(db, dt.date(2025, 4, 7))
    with db.begin() as s:
        keys = [x["key"] for x in sections_of(mt.get_meeting(s, first))]
        assert keys.index("dues") < keys.index("attendance") < keys.index("agenda") < keys.index("minute_taker") \
            < keys.index("news") < keys.index("review") < keys.index("ho_chi_minh") < keys.index("opinions") \
            < keys.index("next_tasks") < keys.index("resolutions") < keys.index("other_business") \
            < keys.index("adoption")
        texts = {x["key"]: x["text"] for x in sections_of(mt.get_meeting(s, first))}
        assert texts["minute_taker"] == "Chi bộ thống nhất cử đồng chí Lê Thị Hồng Nhung làm thư ký ghi biên bản."
        assert "tháng 4 năm 2025" in texts["dues"]
        mt.set_sections(s, first, {"next_tasks": "- Hoàn thành báo cáo quý II.\n- Chuẩn bị sinh hoạt chuyên đề."})
    second = new_meeting(db, dt.date(2025, 5, 6))
    with db.begin() as s:
        review = next(x["text"] for x in sections_of(mt.get_meeting(s, second)) if x["key"] == "review")
        assert "07/04/2025" in review and "- Hoàn thành báo cáo quý II." in review
        assert mt.minutes_title(mt.get_meeting(s, second)) == "Sinh hoạt chi bộ thường kỳ tháng 5 năm 2025"
        thematic = mt.create_meeting(s, meeting_input(dt.date(2025, 5, 20), kind="thematic", topic="Tiết kiệm"))
        assert mt.minutes_title(thematic) == "Sinh hoạt chi bộ chuyên đề quý II năm 2025"


def test_changing_the_minute_taker_updates_untouched_text_only(branch):
    db, _ids = branch
    mid = new_meeting(db, dt.date(2025, 4, 7))
    with db.begin() as s:
        mt.set_sections(s, mid, {"agenda": "Chương trình do chi ủy chuẩn bị."})
        mt.update_meeting(s, mid, meeting_input(dt.date(2025, 4, 7), secretary_name="nguyễn văn an",
                                                chair_name="Từ Minh Điền"))
        texts = {x["key"]: x["text"] for x in sections_of(mt.get_meeting(s, mid))}
    assert texts["minute_taker"] == "Chi bộ thống nhất cử đồng chí Nguyễn Văn An làm thư ký ghi biên bản."
    assert texts["agenda"] == "Chương trình do chi ủy chuẩn bị."


def test_moving_a_meeting_before_a_transfer_drops_that_members_attendance(branch):
    db, ids = branch
    mid = new_meeting(db, dt.date(2025, 6, 5))
    with db.begin() as s:
        dropped = mt.update_meeting(s, mid, meeting_input(dt.date(2025, 5, 30)))
    assert dropped == ["Đặng Văn Phúc"]
    _r, tally, _q = _book(db, mid)
    assert (tally.expected, tally.present, tally.unrecorded) == (6, 6, 0)


def test_votes_count_only_full_members_present(branch):
    db, ids = branch
    mid = new_meeting(db, dt.date(2025, 5, 6), absences={ids["Nguyễn Văn An"]: ("excused", "ốm")})
    _r, tally, _q = _book(db, mid)
    assert tally.full_present == 4   # 6 expected, An absent, Dung probationary
    with db.begin() as s:
        with pytest.raises(ValidationError) as err:
            mt.save_resolution(s, mid, mt.ResolutionInput("Thông qua nghị quyết tháng 5", in_favour=5))
        assert "4" in str(err.value)
        r = mt.save_resolution(s, mid, mt.ResolutionInput("Thông qua nghị quyết tháng 5", 3, 0, 1, "cần thêm thời hạn"))
        assert (r.in_favour, r.against, r.other) == (3, 0, 1)
        assert mt.check_resolution(mt.ResolutionInput("x", 2), 4).warnings   # not everyone voted: a warning


def test_adoption_follows_the_vote_base_setting(branch):
    from services.meetings.records import adopted

    db, ids = branch
    absent = {ids[n]: ("excused", "đi học") for n in ("Nguyễn Văn An", "Trần Thị Bích")}
    mid = new_meeting(db, dt.date(2025, 5, 6), absences=absent)
    _r, tally, _q = _book(db, mid)
    assert (tally.full_expected, tally.full_present) == (5, 3)
    with db.begin() as s:
        assert not adopted(s, tally, 2)   # 2 of 5 full members: not more than half
        settings.put(s, "meetings.vote_base", "present_full")
        assert adopted(s, tally, 2)       # 2 of the 3 present


def test_finalised_minutes_are_read_only_and_corrected_by_amendment(branch):
    db, ids = branch
    mid = new_meeting(db, dt.date(2025, 5, 6), all_present=False)
    with db.begin() as s:
        check = mt.finalise_check(s, mid, TODAY)
        assert not check.ok and any("Từ Minh Điền" in p.message for p in check.errors)
        mt.mark_all_present(s, mid)
        mt.set_sections(s, mid, {"next_tasks": "- Nộp báo cáo trước ngày 20."})
        m = mt.finalise_meeting(s, mid, "lê thị hồng nhung", dt.datetime(2025, 5, 8, 9, 0), TODAY)
        assert (m.number, m.finalized_by) == (1, "Lê Thị Hồng Nhung")
        assert mt.document_number(s, m) == "Số 01-BB/CB"
    for action in (
        lambda s: mt.set_sections(s, mid, {"news": "x"}),
        lambda s: mt.set_attendance(s, mid, ids["Nguyễn Văn An"], "unexcused"),
        lambda s: mt.update_meeting(s, mid, meeting_input(dt.date(2025, 5, 7))),
        lambda s: mt.delete_meeting(s, mid),
        lambda s: mt.save_resolution(s, mid, mt.ResolutionInput("x", 1)),
    ):
        with db.begin() as s, pytest.raises(ValidationError):
            action(s)
    with db.begin() as s:
        with pytest.raises(ValidationError) as err:
            mt.amend_minutes(s, mid, mt.AmendmentInput(dt.date(2025, 5, 10), "", "Lê Thị Hồng Nhung",
                                                        {"next_tasks": "- Nộp báo cáo trước ngày 25."}), TODAY)
        assert "lý do" in str(err.value)
        a = mt.amend_minutes(s, mid, mt.AmendmentInput(dt.date(2025, 5, 10), "Ghi nhầm ngày", "Lê Thị Hồng Nhung",
                                                        {"next_tasks": "- Nộp báo cáo trước ngày 25."}), TODAY)
        assert a.changes == [{"key": "next_tasks", "title": "Phương hướng, nhiệm vụ tháng tới và phân công "
                              "đảng viên", "old": "- Nộp báo cáo trước ngày 20.", "new": "- Nộp báo cáo trước ngày 25."}]
        texts = {x["key"]: x["text"] for x in sections_of(mt.get_meeting(s, mid))}
        assert texts["next_tasks"] == "- Nộp báo cáo trước ngày 25."
        with pytest.raises(ValidationError):   # nothing changed
            mt.amend_minutes(s, mid, mt.AmendmentInput(dt.date(2025, 5, 11), "Lý do", "X",
                                                        {"next_tasks": "- Nộp báo cáo trước ngày 25."}), TODAY)


def test_draft_minutes_cannot_be_amended_but_can_be_deleted(branch):
    db, _ids = branch
    mid = new_meeting(db, dt.date(2025, 5, 6))
    with db.begin() as s:
        with pytest.raises(ValidationError):
            mt.amend_minutes(s, mid, mt.AmendmentInput(dt.date(2025, 5, 10), "x", "y", {"news": "z"}), TODAY)
        mt.delete_meeting(s, mid)
        assert mt.meetings_of_year(s, 2025) == []


def test_document_numbers_follow_the_order_of_the_year(branch):
    db, _ids = branch
    later = new_meeting(db, dt.date(2025, 3, 5))
    earlier = new_meeting(db, dt.date(2025, 1, 6))
    with db.begin() as s:
        numbers = {x.date.month: x.number for x in mt.meetings_of_year(s, 2025)}
        assert numbers == {1: 1, 3: 2}
        settings.put(s, "documents.branch_symbol", "CB-VP")
        assert mt.document_number(s, mt.get_meeting(s, later)) == "Số 02-BB/CB-VP"
        mt.finalise_meeting(s, earlier, "X", dt.datetime(2025, 1, 7), TODAY)
        mt.finalise_meeting(s, later, "X", dt.datetime(2025, 3, 7), TODAY)
        feb = mt.create_meeting(s, meeting_input(dt.date(2025, 2, 5)))
        assert mt.summary_of(s, feb.id).number == 3   # 2 is taken by the finalised March minutes


def test_attendance_by_month_and_for_a_year(branch):
    db, ids = branch
    an = ids["Nguyễn Văn An"]
    new_meeting(db, dt.date(2025, 5, 6), absences={an: ("excused", "ốm")})
    new_meeting(db, dt.date(2025, 5, 20), kind="thematic", absences={an: ("unexcused", "")})
    new_meeting(db, dt.date(2025, 6, 5))
    new_meeting(db, dt.date(2025, 9, 5), absences={an: ("unexcused", "")})
    with db.begin() as s:
        by_month = mt.attendance_by_month(s, 2025)
        year = mt.attendance_for_year(s, an, 2025)
        regular_only = mt.attendance_by_month(s, 2025, kinds=["regular"])
    may = by_month[(an, 5)]
    assert (may.meetings, may.present, may.excused, may.unexcused) == (2, 0, 1, 1)
    assert regular_only[(an, 5)].meetings == 1
    assert by_month[(an, 6)].present == 1
    assert (ids["Đặng Văn Phúc"], 5) not in by_month    # not yet in the branch
    assert (ids["Hồ Văn Em"], 5) not in by_month        # exempt
    assert (year.summary.meetings, year.summary.present, year.summary.absent) == (4, 1, 3)
    assert year.unexcused_months == [5, 9]
    assert [a.date for a in year.absences] == [dt.date(2025, 5, 6), dt.date(2025, 5, 20), dt.date(2025, 9, 5)]


def test_a_branch_can_use_its_own_minutes_template(branch):
    import json

    from services.meetings.rules import template_path
    from services.paths import data_dir, resources_dir

    db, _ids = branch
    data = json.loads((resources_dir() / "templates" / "minutes_regular.json").read_text(encoding="utf-8"))
    data["sections"][0]["title"] = "Thu nộp đảng phí"
    data["title"] = "Sinh hoạt chi bộ định kỳ tháng {month} năm {year}"
    own = data_dir() / "templates" / "minutes_regular.json"
    own.parent.mkdir(parents=True, exist_ok=True)
    own.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert template_path("regular") == own
    mid = new_meeting(db, dt.date(2025, 4, 7))
    with db.begin() as s:
        m = mt.get_meeting(s, mid)
        assert sections_of(m)[0]["title"] == "Thu nộp đảng phí"
        assert mt.minutes_title(m) == "Sinh hoạt chi bộ định kỳ tháng 4 năm 2025"
    own.write_text("{ not json", encoding="utf-8")
    with db.begin() as s, pytest.raises(UserError) as err:
        mt.create_meeting(s, meeting_input(dt.date(2025, 5, 6)))
    assert "minutes_regular.json" in str(err.value)


def test_a_suspended_member_is_listed_apart_and_not_counted(branch):
    db, ids = branch
    with db.begin() as s:
        cuong = s.get(Member, ids["Phạm Quốc Cường"])
        cuong.events.append(MemberEvent(kind=EventKind.SUSPENDED, date=dt.date(2025, 4, 1),
                                        end_date=dt.date(2025, 6, 30)))
    during = new_meeting(db, dt.date(2025, 5, 6))
    after = new_meeting(db, dt.date(2025, 7, 7))
    roster, tally, _q = _book(db, during)
    assert [r.full_name for r in roster.suspended] == ["Phạm Quốc Cường"]
    assert (tally.total, tally.suspended, tally.expected, tally.present, tally.absent) == (7, 1, 5, 5, 0)
    assert "Phạm Quốc Cường" in [r.full_name for r in _book(db, after)[0].expected]


def test_year_statistics_for_the_committee_file(branch):
    """The exchange file carries meetings held by kind, average attendance and the members
    absent without reason in three months (QĐ 24 §8.1)."""
    db, ids = branch
    an = ids["Nguyễn Văn An"]
    for month in (3, 6, 9):
        new_meeting(db, dt.date(2025, month, 5), absences={an: ("unexcused", "")})
    new_meeting(db, dt.date(2025, 8, 20), kind="thematic")
    with db.begin() as s:
        stats = mt.year_statistics(s, 2025)
        uid = s.get(Member, an).uid
        expected = [mt.YearBook(s, 2025).tally(m) for m in mt.YearBook(s, 2025).meetings]
    assert stats["held"] == {"regular": 3, "thematic": 1}
    pcts = [t.attendance_pct for t in expected]
    assert stats["average_attendance"] == round(sum(pcts) / len(pcts), 2) < 100
    assert stats["three_unexcused"] == [uid]
