"""Proposals and decisions: the caps, score bands and other rules of each regulation (DOMAIN.md §5)."""
import datetime as dt

import pytest

from models import EventKind, MemberReview
from services import ratings
from services.errors import UserError, ValidationError
from services.review import service as svc
from services.review.service import ReviewInput, save_review, set_level
from tests.review_helpers import add_member, branch_confirmed, confirmed, discipline, period, rated


def _row(s, year, member_id):
    return svc.member_row(s, year, member_id)


def _refusal(s, year, member_id, level, **kw) -> str:
    with pytest.raises(ValidationError) as err:
        save_review(s, year, member_id, ReviewInput(proposed_level=level, **kw))
    return str(err.value)


@pytest.mark.parametrize("year, cite", [
    (2020, "HD 21-HD/BTCTW, mục II.B.2"),
    (2023, "HD 21-HD/BTCTW, mục II.B.2 (áp dụng tiếp; chưa xác nhận trong HD 25-HD/BTCTW)"),
    (2025, "HD 21-HD/BTCTW, mục II.B.2 (áp dụng tiếp; chưa xác nhận trong QĐ 366-QĐ/TW, HD 43-HD/BTCTW)"),
])
def test_hd21_II_B_2_disciplined_member_capped_at_khtnv(db, year, cite):
    """HD 21 mục II.B.2 [C]; carried forward as defaults into QĐ 124 and QĐ 366 [U]."""
    with db.begin() as s:
        m = add_member(s, "Đặng Văn Kỷ", events=[discipline(dt.date(year, 6, 20))])
        row = _row(s, year, m.id)
        assert row.proposal.level == "KHTNV"
        assert row.limit.level == "KHTNV"
        message = _refusal(s, year, m.id, "HTNV", score=60 if year >= 2025 else None)
        assert message.startswith("Không thể xếp loại đồng chí Đặng Văn Kỷ ở mức “Hoàn thành nhiệm vụ”")
        assert f"khiển trách ngày 20/06/{year}" in message
        assert "Mức cao nhất được xếp là “Không hoàn thành nhiệm vụ”" in message
        assert cite in message
        save_review(s, year, m.id, ReviewInput(proposed_level="KHTNV"))
    with db.begin() as s, pytest.raises(ValidationError):
        set_level(s, year, m.id, "HTTNV", stage="decision")  # the committee's decision is checked too


def test_hd21_II_B_2_discipline_of_another_year_does_not_cap(db):
    with db.begin() as s:
        m = add_member(s, events=[discipline(dt.date(2024, 12, 30)), discipline(dt.date(2026, 1, 5))])
        assert _row(s, 2025, m.id).limit.hits == ()
        save_review(s, 2025, m.id, rated(2025, "HTTNV"))


@pytest.mark.parametrize("year", [2020, 2024, 2025])
def test_hd21_II_B_2_discipline_on_the_first_and_last_day_of_the_year_caps(db, year):
    """The year is 1 January to 31 December, both days included."""
    with db.begin() as s:
        first = add_member(s, events=[discipline(dt.date(year, 1, 1))])
        last = add_member(s, events=[discipline(dt.date(year, 12, 31))])
        assert _row(s, year, first.id).limit.level == "KHTNV"
        assert _row(s, year, last.id).limit.level == "KHTNV"


def test_hd21_II_B_2_discipline_after_the_review_meeting_still_caps_the_year(db):
    """Disciplined in the year counts to 31 December, not only up to the day of the review meeting: a
    discipline of 28/12 after a review held on 15/12 still caps that year's level (the committee decides
    later, on the whole year)."""
    with db.begin() as s:
        svc.set_review_date(s, 2025, dt.date(2025, 12, 15))
        m = add_member(s, events=[discipline(dt.date(2025, 12, 28))])
        assert svc.review_date(s, 2025) == dt.date(2025, 12, 15)
        assert _row(s, 2025, m.id).limit.level == "KHTNV"
        assert _refusal(s, 2025, m.id, "HTTNV", score=80)


def test_hd21_II_B_2_one_violation_is_counted_only_once(db):
    """A violation already counted in last year's rating (disciplined this year for it) is not counted again."""
    with db.begin() as s:
        m = add_member(s, events=[discipline(dt.date(2025, 2, 10))])
        event_id = next(e.id for e in m.events if e.kind == EventKind.DISCIPLINE)
        assert _refusal(s, 2025, m.id, "HTTNV", flags=confirmed(2025, "HTTNV"))
        save_review(s, 2025, m.id, rated(2025, "HTTNV", flags={"discipline_counted_before": [event_id]}))
        assert _row(s, 2025, m.id).limit.hits == ()


@pytest.mark.parametrize("flag", ["political_decline", "under_half_targets", "civil_service_khtnv"])
@pytest.mark.parametrize("year", [2021, 2024, 2025])
def test_hd21_II_B_2_automatic_khtnv_conditions_ticked_by_the_branch(db, flag, year):
    """HD 21 mục II.B.2: suy thoái / under 50% of targets / rated KHTNV as a civil servant → KHTNV."""
    with db.begin() as s:
        m = add_member(s)
        message = _refusal(s, year, m.id, "HTNV", flags={flag: True})
        assert "mục II.B.2" in message
        save_review(s, year, m.id, ReviewInput(proposed_level="KHTNV", flags={flag: True}))
        assert _row(s, year, m.id).proposal.level == "KHTNV"


@pytest.mark.parametrize("year", [2020, 2023, 2025])
def test_hd21_II_6_sick_leave_of_three_calendar_months_caps_at_htnv(db, year):
    """HD 21 II.6 [C] (QĐ 124, QĐ 366 [U]): sick leave "từ 03 tháng trở lên" in the year → not above HTNV,
    counted in calendar months (the rule file's "calendar_months"), separate leaves added up."""
    with db.begin() as s:
        three = add_member(s, events=[period(EventKind.SICK_LEAVE, dt.date(year, 2, 1), dt.date(year, 4, 30))])
        almost = add_member(s, events=[period(EventKind.SICK_LEAVE, dt.date(year, 7, 1), dt.date(year, 9, 29))])
        added = add_member(s, events=[period(EventKind.SICK_LEAVE, dt.date(year, 3, 1), dt.date(year, 4, 14)),
                                      period(EventKind.SICK_LEAVE, dt.date(year, 9, 1), dt.date(year, 10, 16))])
        open_ = add_member(s, events=[period(EventKind.SICK_LEAVE, dt.date(year, 11, 1))])  # still on leave: 2 months
        # 01/02–30/04 is exactly 3 months although only 89 days: capped.
        row = _row(s, year, three.id)
        assert row.limit.level == "HTNV"
        assert "3 tháng 0 ngày" in row.limit.hits[0].detail
        message = _refusal(s, year, three.id, "HTTNV", score=80 if year >= 2025 else None,
                           flags=confirmed(year, "HTTNV"))
        assert "Nghỉ ốm từ 03 tháng trở lên" in message
        # 01/07–29/09 is 2 months 29 days although 91 days: not capped.
        assert _row(s, year, almost.id).limit.hits == ()
        save_review(s, year, almost.id, rated(year, "HTTNV", score=80 if year >= 2025 else None))
        # 1 month 14 days + 1 month 16 days = 2 months 30 days = 3 months: capped.
        assert _row(s, year, added.id).limit.level == "HTNV"
        assert _row(s, year, open_.id).limit.hits == ()
        set_level(s, year, three.id, "HTNV")


def test_hd21_II_6_sick_leave_recorded_twice_or_overlapping_is_counted_once(db):
    with db.begin() as s:
        m = add_member(s, events=[period(EventKind.SICK_LEAVE, dt.date(2024, 2, 1), dt.date(2024, 3, 31)),
                                  period(EventKind.SICK_LEAVE, dt.date(2024, 3, 1), dt.date(2024, 4, 29))])
        assert _row(s, 2024, m.id).limit.hits == ()  # 01/02–29/04: 2 months 29 days
        across = add_member(s, events=[period(EventKind.SICK_LEAVE, dt.date(2023, 11, 1), dt.date(2024, 1, 31))])
        assert _row(s, 2024, across.id).limit.hits == ()  # only January falls in 2024


def test_hd21_maternity_leave_is_rated_on_the_time_worked_not_capped(db):
    with db.begin() as s:
        m = add_member(s, events=[period(EventKind.MATERNITY_LEAVE, dt.date(2025, 2, 1), dt.date(2025, 7, 31))])
        row = _row(s, 2025, m.id)
        assert row.limit.hits == ()
        assert any("thời gian công tác thực tế" in r and "181 ngày" in r for r in row.proposal.reasons)
        save_review(s, 2025, m.id, ReviewInput(proposed_level="HTXSNV", score=92,
                                              flags={"cond:all_tasks_on_time": True, "cond:tasks_exceeded_30": True,
                                                     "cond:shortcomings_fixed": True}))


def test_qd366_dieu11_a_level_above_the_score_band_is_refused(db):
    with db.begin() as s:
        m = add_member(s, "Lâm Tám Lăm")
        message = _refusal(s, 2025, m.id, "HTXSNV", criteria={"general": 27, "tasks": 62})
        assert "89 điểm" in message and "QĐ 366-QĐ/TW, Điều 11" in message
        assert "Từ 70 đến dưới 90 điểm" in message
        save_review(s, 2025, m.id, rated(2025, "HTTNV", criteria={"general": 27, "tasks": 62}))
        row = _row(s, 2025, m.id)
        assert row.score == 89
        assert row.proposal.level == "HTTNV"
        # a lower level than the band is allowed (the branch may judge the conditions unmet)
        set_level(s, 2025, m.id, "HTNV")


@pytest.mark.parametrize("score, level", [(49.99, "KHTNV"), (50, "HTNV"), (69.99, "HTNV"), (70, "HTTNV"),
                                          (89.99, "HTTNV")])
def test_qd366_dieu11_proposal_follows_the_band_of_the_score(db, score, level):
    with db.begin() as s:
        m = add_member(s)
        save_review(s, 2025, m.id, ReviewInput(score=score, flags=confirmed(2025, level)))
        assert _row(s, 2025, m.id).proposal.level == level
        higher = {"KHTNV": "HTNV", "HTNV": "HTTNV", "HTTNV": "HTXSNV"}[level]
        assert "Điều 11" in _refusal(s, 2025, m.id, higher, score=score)


def test_qd366_dieu11_htxsnv_needs_90_points_and_its_conditions(db):
    with db.begin() as s:
        m = add_member(s)
        save_review(s, 2025, m.id, ReviewInput(score=90, flags={"cond:all_tasks_on_time": True}))
        row = _row(s, 2025, m.id)
        assert row.proposal.level == "HTTNV"  # the conditions of HTXSNV are not all confirmed yet
        assert any("Ít nhất 30% chỉ tiêu" in r for r in row.proposal.reasons)
        flags = {"cond:all_tasks_on_time": True, "cond:tasks_exceeded_30": True, "cond:shortcomings_fixed": True}
        save_review(s, 2025, m.id, ReviewInput(score=90, flags=flags))
        assert _row(s, 2025, m.id).proposal.level == "HTXSNV"


def test_qd366_points_per_criterion_within_30_and_70(db):
    with db.begin() as s:
        m = add_member(s)
        message = _refusal(s, 2025, m.id, "HTNV", criteria={"general": 31, "tasks": 40})
        assert "“Nhóm tiêu chí chung”: điểm phải từ 0 đến 30" in message
        assert "Nhập điểm của tất cả các tiêu chí" in _refusal(s, 2025, m.id, "HTNV", criteria={"general": 20})
        assert "chữ số thập phân" in _refusal(s, 2025, m.id, "HTNV", criteria={"general": 20.125, "tasks": 40})
        assert "từ 0 đến 100" in _refusal(s, 2025, m.id, "HTNV", score=101)
        save_review(s, 2025, m.id, ReviewInput(proposed_level="HTNV", criteria={"general": 20.5, "tasks": 40.25}))
        assert _row(s, 2025, m.id).score == 60.75


def test_qd132_and_qd124_have_no_points_but_graded_criteria(db):
    with db.begin() as s:
        m = add_member(s)
        assert "không chấm điểm" in _refusal(s, 2023, m.id, "HTTNV", score=80)
        assert "Xuất sắc, Tốt, Trung bình, Kém" in _refusal(s, 2023, m.id, "HTTNV", criteria={"politics": "Giỏi"})
        save_review(s, 2023, m.id, ReviewInput(proposed_level="HTTNV", criteria={"politics": "Tốt", "duties": "Xuất sắc"}))


def test_hd21_not_rated_members_cannot_be_given_a_level(db):
    with db.begin() as s:
        m = add_member(s, "Mai Mới Vào", admitted=dt.date(2025, 9, 2), full=False)
        message = _refusal(s, 2025, m.id, "HTTNV")
        assert "không thuộc diện đánh giá, xếp loại" in message and "Mới kết nạp dưới 6 tháng" in message
        save_review(s, 2025, m.id, ReviewInput(comment="Đã viết bản kiểm điểm"))  # the self-review is still kept


def test_unknown_level_and_votes_are_checked(db):
    with db.begin() as s:
        members = [add_member(s) for _ in range(3)]
        m = members[0]
        assert "không phải là mức xếp loại" in _refusal(s, 2024, m.id, "HTTNV2")
        assert "nhiều hơn số đảng viên biểu quyết" in _refusal(s, 2024, m.id, "HTTNV", votes_for=3, votes_against=1, voters=3)
        assert "Chỉ đảng viên chính thức được biểu quyết" in _refusal(s, 2024, m.id, "HTTNV", votes_for=4, voters=4)
        save_review(s, 2024, m.id, ReviewInput(proposed_level="HTTNV", votes_for=3, votes_against=0, voters=3))


def test_quota_overflow_is_a_warning_not_a_block(db):
    """HD 21 mục 2.3.a: the branch proposes, the committee applies the 20% quota."""
    with db.begin() as s:
        ids = [add_member(s).id for _ in range(7)]
        for i in ids[:5]:
            set_level(s, 2024, i, "HTTNV")
        for i in ids[5:]:
            save_review(s, 2024, i, rated(2024, "HTXSNV"))  # 2 > floor(20% × 5) = 1, still recorded
        review = svc.year_review(s, 2024)
        assert (review.quota_current, review.quota_max) == (2, 1)


def _rate_months(s, member_id: int, year: int, levels: list[str]) -> None:
    """Monthly ratings recorded through the ratings area, January onwards."""
    for month, level in enumerate(levels, 1):
        ratings.set_rating(s, member_id, year, month, level, dt.date(year + 1, 1, 15))


def test_monthly_ratings_from_the_ratings_area_support_the_proposal(db):
    with db.begin() as s:
        m = add_member(s)
        _rate_months(s, m.id, 2024, ["HTXSNV"] * 3 + ["HTTNV"] * 9)
    with db.begin() as s:
        row = _row(s, 2024, m.id)
    assert row.proposal.level == "HTTNV"
    assert "Đánh giá hằng tháng: 3 tháng HTXSNV, 9 tháng HTTNV." in row.proposal.reasons


def test_without_the_other_areas_the_review_still_works(db):
    with db.begin() as s:
        m = add_member(s)
        row = _row(s, 2024, m.id)
    assert row.proposal.level is None
    assert any("Chưa đủ căn cứ" in r for r in row.proposal.reasons)


def test_accept_proposals_records_what_the_program_proposes(db):
    with db.begin() as s:
        disciplined = add_member(s, events=[discipline(dt.date(2024, 3, 3))])
        sick = add_member(s, events=[period(EventKind.SICK_LEAVE, dt.date(2024, 1, 1), dt.date(2024, 6, 1))])
        plain = add_member(s)
        assert svc.accept_proposals(s, 2024) == 2
        levels = {r.member_id: r.proposed_level for r in svc.year_review(s, 2024).rows}
    assert levels == {disciplined.id: "KHTNV", sick.id: "HTNV", plain.id: ""}


def test_a_level_recorded_before_a_later_discipline_is_flagged(db):
    with db.begin() as s:
        m = add_member(s)
        set_level(s, 2024, m.id, "HTTNV")
        from services.members import EventInput, add_event

        add_event(s, m.id, EventInput(EventKind.DISCIPLINE, dt.date(2024, 12, 1), form="khiển trách"),
                  today=dt.date(2025, 1, 5))
        row = _row(s, 2024, m.id)
    assert row.problems and "mục II.B.2" in row.problems[0]


# --- closing the year ----------------------------------------------------------------------------

def test_closing_a_year_takes_a_backup_and_makes_it_read_only(db):
    with db.begin() as s:
        m = add_member(s)
        set_level(s, 2024, m.id, "HTTNV")
    backup = svc.close_year(db, 2024, user="Từ Minh Điền", note="Đã gửi Đảng ủy")
    assert backup.exists() and "truoc-khoa-so-2024" in backup.name
    with db.begin() as s, pytest.raises(UserError) as err:
        set_level(s, 2024, m.id, "HTNV")
    assert "đã khóa sổ" in str(err.value)
    with db.begin() as s, pytest.raises(UserError):
        svc.save_branch_review(s, svc.branch_review(s, 2024))
    with pytest.raises(UserError):
        svc.close_year(db, 2024)
    with pytest.raises(ValidationError):
        svc.reopen_year(db, 2024, reason="  ")
    svc.reopen_year(db, 2024, reason="Cấp trên yêu cầu sửa mức xếp loại", user="Từ Minh Điền")
    with db.begin() as s:
        set_level(s, 2024, m.id, "HTNV")
        log = svc.year_log(s, 2024)
        assert [(e.action, e.note) for e in log] == [("close", "Đã gửi Đảng ủy"),
                                                      ("reopen", "Cấp trên yêu cầu sửa mức xếp loại")]
        assert log[0].backup == str(backup)
        assert s.query(MemberReview).one().proposed_level == "HTNV"


# --- the branch's own review -------------------------------------------------------------------

def test_branch_self_assessment_on_editable_criteria_adds_up_to_100(db):
    with db.begin() as s:
        br = svc.branch_review(s, 2020)
        assert [c.max_points for c in br.criteria] == [30, 50, 10, 10]  # the seeds' four groups
        for c, p in zip(br.criteria, [28, 47, 9, 10], strict=True):
            c.points = p
        br.proposed_level = "HTTNV"
        br.strengths = "Lãnh đạo hoàn thành tốt nhiệm vụ chính trị"
        svc.save_branch_review(s, br)
    with db.begin() as s:
        br = svc.branch_review(s, 2020)
        assert br.self_score == 94 and br.proposed_level == "HTTNV"
        br.criteria[0].max_points = 40
        with pytest.raises(ValidationError) as err:
            svc.save_branch_review(s, br)
        assert "chưa đúng 100 điểm" in str(err.value)
        br.criteria[0].max_points, br.criteria[1].max_points = 40, 40
        br.criteria[1].points = 38
        svc.save_branch_review(s, br)  # a province's own split is fine
        assert svc.branch_review(s, 2020).self_score == 85


def test_qd366_dieu11_branch_level_above_its_score_band_is_refused(db):
    with db.begin() as s:
        br = svc.branch_review(s, 2025)
        br.criteria[0].points, br.criteria[1].points = 26, 60
        br.proposed_level = "HTXSNV"
        br.flags = branch_confirmed(2025, "HTXSNV")
        with pytest.raises(ValidationError) as err:
            svc.save_branch_review(s, br)
        assert "86 điểm" in str(err.value) and "Điều 11" in str(err.value)
        br.proposed_level = "HTTNV"
        svc.save_branch_review(s, br)
        assert svc.suggested_branch_level(svc.regulation_for(2025), br) == "HTTNV"


def test_qd124_htxsnv_requires_all_tasks_done_and_half_of_them_exceeded(db):
    """QĐ 124 [P]: HTXSNV needs 100% of tasks done, at least 50% beyond requirement; confirmed by the branch."""
    reg = svc.regulation_for(2024)
    assert [c.code for c in reg.requirements["HTXSNV"]] == ["all_tasks_done", "tasks_exceeded"]
    assert "50%" in reg.requirements["HTXSNV"][1].text
    with db.begin() as s:
        m = add_member(s)
        _rate_months(s, m.id, 2024, ["HTXSNV"] * 10 + ["HTTNV"] * 2)
    with db.begin() as s:
        assert _row(s, 2024, m.id).proposal.level == "HTTNV"  # conditions not confirmed
        save_review(s, 2024, m.id, ReviewInput(flags={"cond:all_tasks_done": True, "cond:tasks_exceeded": True}))
        assert _row(s, 2024, m.id).proposal.level == "HTXSNV"


def test_hd21_2_3a_htxsnv_requirements_of_a_member():
    """HD 21 mục 2.3.a: truly exemplary; task criteria Xuất sắc, others Tốt; HTXSNV as a civil servant."""
    reg = svc.regulation_for(2021)
    reqs = reg.requirements["HTXSNV"]
    assert [c.code for c in reqs] == ["exemplary", "criteria_excellent", "civil_service_htxsnv"]
    assert all(c.confidence == "C" for c in reqs)


def test_qd366_dieu11_httnv_needs_all_tasks_on_time(db):
    """QĐ 366 Điều 11: HTTNV is 70 to under 90 points with 100% of tasks done on time, with quality: a level
    whose condition is not confirmed is neither proposed nor recorded."""
    with db.begin() as s:
        m = add_member(s)
        save_review(s, 2025, m.id, ReviewInput(score=80))
        row = _row(s, 2025, m.id)
        assert row.proposal.level == "HTNV"
        assert any("Hoàn thành 100% chỉ tiêu" in r and "Điều 11" in r for r in row.proposal.reasons)
        message = _refusal(s, 2025, m.id, "HTTNV", score=80)
        assert "chưa được xác nhận" in message and "QĐ 366-QĐ/TW, Điều 11" in message
        save_review(s, 2025, m.id, ReviewInput(score=80, flags={"cond:all_tasks_on_time": True}))
        assert _row(s, 2025, m.id).proposal.level == "HTTNV"
        set_level(s, 2025, m.id, "HTTNV")


def test_two_closings_of_the_same_year_at_once_log_one_closing(db, monkeypatch):
    """Another window closes the year while this one takes its backup: the second closing is refused
    under the write lock, and the log holds one closing."""
    from sqlalchemy import func, select

    from models.review import ReviewLog
    from services import backup

    real = backup.backup_before
    raced = []

    def backup_then_race(path, reason, **kw):
        out = real(path, reason, **kw)
        if not raced:
            raced.append(True)
            svc.close_year(db, 2024, user="Cửa sổ thứ hai")  # the other window, during our backup
        return out

    monkeypatch.setattr(backup, "backup_before", backup_then_race)
    with pytest.raises(UserError, match="đã khóa sổ|already closed"):
        svc.close_year(db, 2024, user="Cửa sổ thứ nhất")
    with db.begin() as s:
        logs = s.scalars(select(ReviewLog).where(ReviewLog.year == 2024, ReviewLog.action == "close")).all()
        assert [log.user for log in logs] == ["Cửa sổ thứ hai"]
        assert s.scalar(select(func.count()).select_from(ReviewLog)) == 1
