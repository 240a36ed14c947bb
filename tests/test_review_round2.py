"""Year-end review, round 2: each rule at both of its edges, named after the article it follows.

Previous-organisation events (HD 21 II.B.2 cap kept), conditions of a level (QĐ 366 Điều 11, QĐ 124
Điều 12, HD 21 2.3.a) refused unless confirmed or decided by the superior with its document number,
the branch's own level, the QĐ 366 frameworks, quarterly assessments, the quota's base reading, the
committee on the same rules, one attendance rule.
"""
import csv
import datetime as dt
import json

import pytest

from models import EventKind, MemberReview
from services import members as msvc
from services import settings
from services.errors import ValidationError
from services.paths import data_dir, resources_dir
from services.review import service as svc
from services.review.engine import CONDITION_PREFIX
from services.review.frameworks import framework_for
from services.review.rules import regulation_for
from services.review.service import ReviewInput, save_review
from services.review.settings import QUOTA_READING
from services.review.tally import format_text, tally
from tests.review_helpers import add_member, branch_confirmed, confirmed, discipline, rated

TODAY = dt.date(2025, 12, 15)


def _refusal(s, year, member_id, data: ReviewInput) -> str:
    with pytest.raises(ValidationError) as err:
        save_review(s, year, member_id, data)
    return str(err.value)


def _row(s, year, member_id):
    return svc.member_row(s, year, member_id)


# --- 2. events at the previous organisation ----------------------------------------------------

def _transferred(s, on=dt.date(2025, 6, 1), org="Chi bộ Trung tâm Dịch vụ việc làm"):
    return msvc.add_member(s, msvc.MemberInput("Đặng Văn Phúc", dt.date(2008, 8, 8), dt.date(2009, 8, 10),
                                               dt.date(1970, 1, 1)), TODAY, admitted_elsewhere=(on, org))


def test_hd21_II_B_2_discipline_at_the_previous_organisation_keeps_the_khtnv_cap(db):
    """Disciplined in the year before transferring in: recorded with the other organisation, still capped."""
    with db.begin() as s:
        m = _transferred(s)
        before = msvc.EventInput(EventKind.DISCIPLINE, dt.date(2025, 3, 10), form="khiển trách", reason="Vi phạm")
        problems = msvc.check_event(s.get(msvc.Member, m.id), before, TODAY)
        assert any("không sinh hoạt tại chi bộ" in p for p in problems)
        assert any("ghi tên tổ chức đó" in p for p in problems)  # the way to record it
        before.other_org = "Chi bộ Trung tâm Dịch vụ việc làm"
        event = msvc.add_event(s, m.id, before, TODAY)
        assert "tại Chi bộ Trung tâm Dịch vụ việc làm (trước khi chuyển đến chi bộ)" in msvc.describe_event(event)
    with db.begin() as s:
        row = _row(s, 2025, m.id)
        assert row.limit.level == "KHTNV"
        assert "(tại Chi bộ Trung tâm Dịch vụ việc làm)" in row.limit.hits[0].detail
        assert "mục II.B.2" in _refusal(s, 2025, m.id, rated(2025, "HTNV", score=60))
        assert tally(s, 2025).disciplined == 1
        assert _row(s, 2026, m.id).limit.hits == ()  # another year: no cap


def test_previous_organisation_event_on_a_day_in_this_branch_is_refused(db):
    with db.begin() as s:
        m = _transferred(s)
        member = s.get(msvc.Member, m.id)
        inside = msvc.EventInput(EventKind.DISCIPLINE, dt.date(2025, 6, 1), form="khiển trách", other_org="Chi bộ X")
        assert any("đang sinh hoạt tại chi bộ" in p for p in msvc.check_event(member, inside, TODAY))
        day_before = msvc.EventInput(EventKind.DISCIPLINE, dt.date(2025, 5, 31), form="khiển trách", other_org="Chi bộ X")
        assert msvc.check_event(member, day_before, TODAY) == []
        before_admission = msvc.EventInput(EventKind.DISCIPLINE, dt.date(2008, 8, 7), form="khiển trách",
                                           other_org="Chi bộ X")
        assert any("chưa vào Đảng" in p for p in msvc.check_event(member, before_admission, TODAY))


def test_admission_and_made_full_at_the_previous_organisation_are_history(db):
    with db.begin() as s:
        m = msvc.add_member(s, msvc.MemberInput("Kim Thị Sóc Kha", dt.date(2023, 1, 5), None, dt.date(1999, 5, 6)),
                            TODAY, admitted_elsewhere=(dt.date(2024, 6, 1), "Chi bộ Trường THCS Long Đức"))
        wrong_day = msvc.EventInput(EventKind.ADMITTED, dt.date(2023, 1, 6), other_org="Chi bộ Trường THCS Long Đức")
        assert any("05/01/2023" in p for p in msvc.check_event(s.get(msvc.Member, m.id), wrong_day, TODAY))
        msvc.add_event(s, m.id, msvc.EventInput(EventKind.ADMITTED, dt.date(2023, 1, 5),
                                                other_org="Chi bộ Trường THCS Long Đức"), TODAY)
        early = msvc.EventInput(EventKind.MADE_FULL, dt.date(2024, 1, 4), other_org="Chi bộ Trường THCS Long Đức")
        assert any("ít nhất 12 tháng" in p for p in msvc.check_event(s.get(msvc.Member, m.id), early, TODAY))
        msvc.add_event(s, m.id, msvc.EventInput(EventKind.MADE_FULL, dt.date(2024, 1, 5),
                                                other_org="Chi bộ Trường THCS Long Đức"), TODAY)
        member = msvc.member_details(s, m.id)
        history = [msvc.describe_event(e) for e in member.events]
        assert sum("tại Chi bộ Trường THCS Long Đức" in h for h in history) == 2
        assert _row(s, 2025, m.id).elig.state.status == "full"
        assert len([e for e in member.events if e.kind == EventKind.ADMITTED]) == 1


# --- 3. the conditions of a member's level ----------------------------------------------------

def test_qd366_dieu11_htxsnv_with_90_points_and_no_condition_confirmed_is_refused(db):
    with db.begin() as s:
        m = add_member(s, "Lâm Chín Mươi")
        message = _refusal(s, 2025, m.id, ReviewInput(proposed_level="HTXSNV", score=90))
        assert "Không thể xếp loại đồng chí Lâm Chín Mươi ở mức “Hoàn thành xuất sắc nhiệm vụ”" in message
        assert "QĐ 366-QĐ/TW, Điều 11" in message and "Ít nhất 30% chỉ tiêu" in message
        flags = confirmed(2025, "HTXSNV")
        one_missing = {k: v for k, v in flags.items() if k != "cond:shortcomings_fixed"}
        message = _refusal(s, 2025, m.id, ReviewInput(proposed_level="HTXSNV", score=90, flags=one_missing))
        assert "Khắc phục 100% hạn chế" in message and "Ít nhất 30%" not in message
        save_review(s, 2025, m.id, ReviewInput(proposed_level="HTXSNV", score=90, flags=flags))
        assert _row(s, 2025, m.id).problems == []


def test_qd366_dieu11_superiors_decision_with_its_document_number_overrides_the_conditions(db):
    with db.begin() as s:
        m = add_member(s)
        decided = ReviewInput(proposed_level="HTTNV", decided_level="HTXSNV", score=92,
                              flags=confirmed(2025, "HTTNV"))
        assert "ghi quyết định của cấp ủy cấp trên kèm số văn bản" in _refusal(s, 2025, m.id, decided)
        decided.decision_ref = "Thông báo số 125-TB/ĐU"
        save_review(s, 2025, m.id, decided)
        row = _row(s, 2025, m.id)
        assert (row.level, row.problems) == ("HTXSNV", [])
        # The branch's own proposal is not the superior's decision: the number does not cover it.
        assert "chưa được xác nhận" in _refusal(s, 2025, m.id, ReviewInput(
            proposed_level="HTXSNV", score=92, decision_ref="Thông báo số 125-TB/ĐU"))
        # The score band is not a condition: no document lifts a level above it.
        assert "Điều 11" in _refusal(s, 2025, m.id, ReviewInput(
            decided_level="HTXSNV", score=85, decision_ref="Thông báo số 125-TB/ĐU"))


@pytest.mark.parametrize("year, cite", [(2020, "HD 21-HD/BTCTW, mục 2.3.a"), (2024, "QĐ 124-QĐ/TW")])
def test_hd21_2_3a_and_qd124_htxsnv_needs_its_conditions_confirmed(db, year, cite):
    with db.begin() as s:
        m = add_member(s)
        assert cite in _refusal(s, year, m.id, ReviewInput(proposed_level="HTXSNV"))
        save_review(s, year, m.id, rated(year, "HTXSNV"))
        svc.set_level(s, year, m.id, "HTTNV")  # no extra condition for HTTNV in these years


def test_qd366_dieu11_a_leader_also_needs_the_unit_led_to_meet_the_conditions(db):
    """Điều 11: for leaders and managers, the unit they lead completes 100% of its tasks (30% exceeded
    for HTXSNV); the framework is chosen by the member's stated attributes."""
    with db.begin() as s:
        leader = add_member(s, "Trương Lãnh Đạo")
        leader.holds_leadership_post, leader.in_political_system = True, True
        staff = add_member(s, "Lý Chuyên Viên")
        staff.holds_leadership_post, staff.in_political_system = False, True
        s.flush()
        base = confirmed(2025, "HTXSNV")
        save_review(s, 2025, staff.id, ReviewInput(proposed_level="HTXSNV", score=93, flags=base))
        message = _refusal(s, 2025, leader.id, ReviewInput(proposed_level="HTXSNV", score=93, flags=base))
        assert "do đồng chí trực tiếp lãnh đạo, quản lý" in message and "ít nhất 30% vượt mức" in message
        flags = {**base, CONDITION_PREFIX + "unit_tasks_exceeded_30": True}
        save_review(s, 2025, leader.id, ReviewInput(proposed_level="HTXSNV", score=93, flags=flags))
        # Proposal: without the unit's condition confirmed the leader's HTTNV is not proposed either.
        save_review(s, 2025, leader.id, ReviewInput(score=80, flags=confirmed(2025, "HTTNV")))
        assert _row(s, 2025, leader.id).proposal.level == "HTNV"


def test_qd366_dieu11_the_tally_reports_a_recorded_level_whose_conditions_are_not_confirmed(db):
    """A level written before this rule (or by another program) shows in the tally's checks."""
    with db.begin() as s:
        m = add_member(s, "Hồ Ghi Trước")
        s.add(MemberReview(year=2025, member_id=m.id, proposed_level="HTXSNV", score=95, criteria={}, flags={}))
        s.flush()
        t = tally(s, 2025)
    assert any(v.member == "Hồ Ghi Trước" and "chưa được xác nhận" in v.message for v in t.violations)


def _csv(tmp_path, rows):
    path = tmp_path / "xl.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def test_qd366_dieu11_ratings_import_refuses_unconfirmed_conditions_all_or_nothing(db, tmp_path):
    from services.review.importer import import_ratings

    with db.begin() as s:
        add_member(s, "Nguyễn Văn An", birth=dt.date(1980, 1, 1))
        add_member(s, "Lê Thị Bình", birth=dt.date(1985, 3, 3))
    rows = [["Họ và tên", "Ngày sinh", "Điểm", "Xếp loại"],
            ["Nguyễn Văn An", "01/01/1980", 91, "HTXSNV"],
            ["Lê Thị Bình", "03/03/1985", 60, "HTNV"]]
    with db.begin() as s, pytest.raises(ValidationError) as err:
        import_ratings(s, 2025, _csv(tmp_path, rows))
    assert "Dòng 2:" in str(err.value) and "Điều 11" in str(err.value)
    with db.begin() as s:
        assert svc.records(s, 2025) == {}  # nothing written, not even the good row
    rows[0].append("Đủ điều kiện")
    rows[1].append("x")
    rows[2].append("")
    with db.begin() as s:
        assert import_ratings(s, 2025, _csv(tmp_path, rows)).count == 2
        assert {r.member_id: r.level for r in svc.year_review(s, 2025).rows if r.level}.__len__() == 2


# --- 4. the branch's own level ----------------------------------------------------------------------

def _leader(s, post="Chi ủy viên", when=dt.date(2025, 4, 2), form="khiển trách"):
    m = add_member(s, "Võ Chi Ủy", events=[discipline(when, form)])
    m.party_post = post
    s.flush()
    return m


def _branch(s, year, level, flags=None, **kw):
    br = svc.branch_review(s, year)
    br.proposed_level = level
    br.flags = branch_confirmed(year, level) if flags is None else flags
    for k, v in kw.items():
        setattr(br, k, v)
    return br


def test_qd366_dieu11_branch_htxsnv_refused_when_a_leadership_member_is_disciplined(db):
    with db.begin() as s:
        plain = add_member(s, events=[discipline(dt.date(2025, 5, 5))])  # not in the leadership
        plain.party_post = ""
        svc.save_branch_review(s, _branch(s, 2025, "HTXSNV"))
    with db.begin() as s:
        _leader(s)
        with pytest.raises(ValidationError) as err:
            svc.save_branch_review(s, _branch(s, 2025, "HTXSNV"))  # confirmed, but the register says otherwise
        assert "Võ Chi Ủy (Chi ủy viên), khiển trách ngày 02/04/2025" in str(err.value)
        assert "QĐ 366-QĐ/TW, Điều 11" in str(err.value)
        svc.save_branch_review(s, _branch(s, 2025, "HTTNV"))
        # The superior decided HTXSNV all the same: recorded with its document number.
        svc.save_branch_review(s, _branch(s, 2025, "HTTNV", decided_level="HTXSNV",
                                          decision_ref="Quyết định số 12-QĐ/ĐU"))
        assert tally(s, 2025).branch_decided_level == "HTXSNV"


def test_qd366_dieu11_a_leadership_discipline_of_another_year_does_not_count(db):
    with db.begin() as s:
        _leader(s, when=dt.date(2024, 12, 31))
        svc.save_branch_review(s, _branch(s, 2025, "HTXSNV"))


def test_qd366_dieu11_branch_httnv_needs_its_condition_confirmed(db):
    with db.begin() as s:
        with pytest.raises(ValidationError) as err:
            svc.save_branch_review(s, _branch(s, 2025, "HTTNV", flags={}))
        assert "Hoàn thành 100% chỉ tiêu" in str(err.value)
        svc.save_branch_review(s, _branch(s, 2025, "HTTNV"))
        with pytest.raises(ValidationError) as err:  # HTNV: 100% done, no more than 20% late
            svc.save_branch_review(s, _branch(s, 2025, "HTNV", flags={}))
        assert "không quá 20% chậm tiến độ" in str(err.value)
        svc.save_branch_review(s, _branch(s, 2025, "", flags={}, decided_level="HTNV",
                                          decision_ref="Thông báo số 7-TB/ĐU"))


@pytest.mark.parametrize("form, capped", [("khiển trách", False), ("cảnh cáo", True), ("cách chức", True)])
def test_hd21_a_leadership_member_disciplined_with_canh_cao_caps_the_branch_at_khtnv(db, form, capped):
    with db.begin() as s:
        _leader(s, post="Bí thư chi bộ", when=dt.date(2020, 7, 1), form=form)
        br = _branch(s, 2020, "HTNV", flags={})
        if capped:
            with pytest.raises(ValidationError) as err:
                svc.save_branch_review(s, br)
            assert "từ cảnh cáo trở lên" in str(err.value) and "HD 21-HD/BTCTW" in str(err.value)
            br.proposed_level = "KHTNV"
        svc.save_branch_review(s, br)


def test_hd21_the_leaders_violation_counted_in_an_earlier_year_is_not_counted_again(db):
    with db.begin() as s:
        m = _leader(s, post="Phó Bí thư", when=dt.date(2020, 1, 20), form="cảnh cáo")
        event_id = next(e.id for e in m.events if e.kind == EventKind.DISCIPLINE)
        svc.save_branch_review(s, _branch(s, 2020, "HTNV", flags={"discipline_counted_before": [event_id]}))


def test_qd124_dieu12_branch_htxsnv_needs_no_leadership_discipline(db):
    with db.begin() as s:
        _leader(s, when=dt.date(2024, 3, 3))
        with pytest.raises(ValidationError) as err:
            svc.save_branch_review(s, _branch(s, 2024, "HTXSNV"))
        assert "QĐ 124-QĐ/TW, Điều 12" in str(err.value)
        svc.save_branch_review(s, _branch(s, 2024, "HTTNV"))


# --- 5. the QĐ 366 frameworks --------------------------------------------------------------------

def test_qd366_phu_luc_five_frameworks_with_their_groups_and_sub_criteria():
    reg = regulation_for(2025)
    assert [f.code for f in reg.frameworks] == ["central_leader", "leader", "no_post", "outside_system"]
    assert reg.collective.framework.code == "collective"
    for fw in (*reg.frameworks, reg.collective.framework):
        assert [(c.code, c.max_points) for c in fw.criteria] == [("general", 30), ("tasks", 70)]
    no_post = reg.framework("no_post")
    assert no_post.annex == "Phụ lục 4" and len(no_post.criteria[0].items) == 3
    assert regulation_for(2024).frameworks == () and regulation_for(2020).frameworks == ()


@pytest.mark.parametrize("leader, inside, code", [(True, True, "leader"), (False, True, "no_post"),
                                                 (None, False, "outside_system"), (True, False, "outside_system")])
def test_qd366_phu_luc_framework_chosen_by_the_stated_attributes(leader, inside, code):
    member = msvc.MemberInput("x", None, holds_leadership_post=leader, in_political_system=inside)
    assert framework_for(member, regulation_for(2025)).framework.code == code


def test_qd366_phu_luc_framework_never_guessed_and_central_cadres_never_chosen():
    choice = framework_for(msvc.MemberInput("x", None, in_political_system=True), regulation_for(2025))
    assert choice.framework is None and choice.missing == ("holds_leadership_post",)
    assert {f.code for f in choice.candidates} == {"leader", "no_post"}


def test_a_framework_whose_groups_differ_from_the_members_criteria_is_refused(tmp_path):
    from services.review.rules import RuleFileError, load_file

    data = json.loads((resources_dir() / "rules" / "review" / "qd366.json").read_text(encoding="utf-8"))
    data["member"]["frameworks"][1]["criteria"][0]["max_points"] = 40
    data["member"]["frameworks"][1]["criteria"][1]["max_points"] = 60
    path = tmp_path / "qd366.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(RuleFileError) as err:
        load_file(path)
    assert "member.frameworks[1].criteria" in str(err.value)


# --- 6. quarterly assessments ------------------------------------------------------------------------

def _leader_member(s, name="Trương Giám Đốc", leader=True):
    m = add_member(s, name)
    m.holds_leadership_post, m.in_political_system = leader, True
    s.flush()
    return m


def test_qd366_kl198_quarters_recorded_for_members_holding_a_leadership_post_only(db):
    with db.begin() as s:
        boss = _leader_member(s)
        staff = _leader_member(s, "Lý Nhân Viên", leader=False)
        unknown = add_member(s, "Mai Chưa Rõ")
        quarters = {1: "HTTNV", 2: "HTTNV", 3: "HTXSNV", 4: "HTTNV"}
        save_review(s, 2025, boss.id, ReviewInput(quarters=quarters))
        assert svc.ReviewInput.of(_row(s, 2025, boss.id).record).quarters == quarters
        assert "không giữ chức vụ lãnh đạo" in _refusal(s, 2025, staff.id, ReviewInput(quarters={1: "HTTNV"}))
        assert "Hãy ghi trong thông tin đảng viên" in _refusal(s, 2025, unknown.id, ReviewInput(quarters={1: "HTTNV"}))
        assert "không có đánh giá hằng quý" in _refusal(s, 2024, boss.id, ReviewInput(quarters={1: "HTTNV"}))
        assert "quý 1 đến 4" in _refusal(s, 2025, boss.id, ReviewInput(quarters={5: "HTTNV"}))


def test_qd366_kl198_the_years_level_takes_the_quarters_into_account(db):
    """The rule file's year_rule (default warn_above_best_quarter, [U]): a proposal from the quarters when
    there is no score; a warning when the year's level is above every quarter; missing quarters named."""
    with db.begin() as s:
        boss = _leader_member(s)
        save_review(s, 2025, boss.id, ReviewInput(quarters={1: "HTTNV", 2: "HTNV", 3: "HTTNV"},
                                                  flags={**confirmed(2025, "HTTNV"), "cond:unit_tasks_on_time": True}))
        row = _row(s, 2025, boss.id)
        assert row.proposal.level == "HTTNV"
        assert any("quý 1 HTTNV, quý 2 HTNV, quý 3 HTTNV" in r for r in row.proposal.reasons)
        assert any("Chưa ghi kết quả đánh giá quý 4" in w for w in row.proposal.warnings)
        # HTXSNV above every quarter: recorded (the rule is not confirmed), with a warning.
        save_review(s, 2025, boss.id, ReviewInput(quarters={1: "HTTNV", 2: "HTTNV", 3: "HTTNV", 4: "HTTNV"},
                                                  proposed_level="HTXSNV", score=91,
                                                  flags={**confirmed(2025, "HTXSNV"),
                                                         "cond:unit_tasks_exceeded_30": True}))
        assert any("cao hơn mức cao nhất của các quý" in w for w in _row(s, 2025, boss.id).proposal.warnings)


def test_qd366_a_rule_file_may_refuse_a_year_level_above_every_quarter(db):
    data = json.loads((resources_dir() / "rules" / "review" / "qd366.json").read_text(encoding="utf-8"))
    data["quarterly"]["year_rule"] = "refuse_above_best_quarter"
    folder = data_dir() / "rules" / "review"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "qd366-tinh.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with db.begin() as s:
        boss = _leader_member(s)
        flags = {**confirmed(2025, "HTXSNV"), "cond:unit_tasks_exceeded_30": True}
        above = ReviewInput(quarters={1: "HTTNV", 2: "HTTNV"}, proposed_level="HTXSNV", score=91, flags=flags)
        assert "cao hơn mức cao nhất của các quý" in _refusal(s, 2025, boss.id, above)
        above.quarters = {1: "HTXSNV", 2: "HTTNV"}
        save_review(s, 2025, boss.id, above)


# --- 7. HTXSNV as a share of no HTTNV --------------------------------------------------------------

def test_hd21_htxsnv_as_a_share_of_no_httnv_is_a_dash_not_zero(db):
    with db.begin() as s:
        m = add_member(s)
        save_review(s, 2024, m.id, rated(2024, "HTXSNV"))
        t = tally(s, 2024)
        assert t.htxsnv_of_httnv is None
        assert "Tỷ lệ HTXSNV so với HTTNV: —;" in format_text(t)
        from services.review.forms import summary

        sheet_rows = summary(s, 2024)[0].sheet[1]
        quota_row = next(r for r in sheet_rows if "so với" in str(r[1]))
        assert quota_row[3] == "—"
    with db.begin() as s:
        n = add_member(s)
        save_review(s, 2024, n.id, rated(2024, "HTTNV"))
        assert tally(s, 2024).htxsnv_of_httnv == 100.0


# --- 9. the quota's base --------------------------------------------------------------------------

def test_hd21_2_3a_quota_base_is_the_texts_by_default_and_the_other_reading_by_setting(db):
    """The seed branch: 24 HTXSNV, 102 HTTNV. The text (20% of HTTNV) allows 20; the reading that fits
    the inspection (20% of HTXSNV + HTTNV) allows 25."""
    from tests.review_helpers import seed_2020_register
    from tests.test_review_tally import _rate_seed

    with db.begin() as s:
        _rate_seed(s, seed_2020_register(s))
        t = tally(s, 2020)
        assert (t.quota_max, t.quota_ok, t.quota_base, t.quota_text_reading) == (20, False, 102, True)
        review = svc.year_review(s, 2020)
        assert review.quota_base.reading_label.startswith("Số lượng đảng viên được xếp loại")
        settings.put(s, QUOTA_READING.key, "htxsnv_and_httnv")
    with db.begin() as s:
        t = tally(s, 2020)
        assert (t.quota_max, t.quota_ok, t.quota_base, t.quota_text_reading) == (25, True, 126, False)
        assert "tổng số được xếp loại" in t.quota_reading
        assert "Cách tính tỷ lệ: 20% tổng số" in format_text(t)


def test_an_unknown_reading_falls_back_to_the_texts(db):
    with db.begin() as s:
        settings.put(s, QUOTA_READING.key, "something_else")
        assert svc.year_review(s, 2025).quota.reading == "text"


# --- 8. the committee on the same rules; one attendance rule ----------------------------------------

def test_the_committee_quota_and_level_names_come_from_the_regulation_of_the_year(tmp_path):
    from services.exchange.report import level_names, tally_text
    from services.exchange.source import tally_from_members
    from services.exchange.tally_sum import BranchTally, sum_tallies

    members = [{"level": "HTXSNV", "not_rated_reason": None}] * 3 + [{"level": "HTTNV", "not_rated_reason": None}] * 10
    assert tally_from_members(2025, "Chi bộ I", members)["quota"] == {"max_HTXSNV": 2, "ok": False}
    data = json.loads((resources_dir() / "rules" / "review" / "qd366.json").read_text(encoding="utf-8"))
    data["quota"]["share"] = 0.3
    data["levels"][0]["name"] = "Hoàn thành xuất sắc nhiệm vụ (tỉnh)"
    folder = data_dir() / "rules" / "review"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "qd366-tinh.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    branch = tally_from_members(2025, "Chi bộ I", members)
    assert branch["quota"] == {"max_HTXSNV": 3, "ok": True}
    total = sum_tallies([BranchTally("u1", "Chi bộ I", branch, "HTTNV")], 2025, "Đảng ủy Sở")
    assert (total["quota"]["max_HTXSNV"], total["quota"]["share"]) == (3, 0.3)
    assert level_names(2025)["HTXSNV"] == "Hoàn thành xuất sắc nhiệm vụ (tỉnh)"
    assert "Hoàn thành xuất sắc nhiệm vụ (tỉnh) (HTXSNV): 3" in tally_text(total)
    assert level_names(2024)["HTXSNV"] == "Hoàn thành xuất sắc nhiệm vụ"  # another year, another file
    assert "exchange.quota_share" not in settings.REGISTRY


def test_qd24_8_1_three_months_without_reason_is_one_rule_for_the_reminder_and_the_review(db):
    """QĐ 24 §8.1: absent without good reason in 3 months of a year (months, not absences)."""
    from services.meetings.rules import removal_rule
    from services.reminders import reminders
    from tests.meeting_fixtures import make_branch, new_meeting

    ids = make_branch(db)
    an = ids["Nguyễn Văn An"]
    rule = removal_rule()
    assert rule.applies([1, 2, 4]) and not rule.applies([1, 2, 2, 2])
    new_meeting(db, dt.date(2025, 1, 6), absences={an: ("unexcused", "")})
    new_meeting(db, dt.date(2025, 2, 6), absences={an: ("unexcused", "")})
    new_meeting(db, dt.date(2025, 2, 20), kind="thematic", absences={an: ("unexcused", "")})

    def both():
        with db.begin() as s:
            reminded = any(r.rule == "meetings_unexcused_absences" and r.ref == an for r in reminders(s, TODAY))
            warned = any("xem xét đề nghị xóa tên" in w for w in _row(s, 2025, an).proposal.warnings)
        return reminded, warned

    assert both() == (False, False)  # three absences, two months
    new_meeting(db, dt.date(2025, 4, 7), absences={an: ("unexcused", "")})
    assert both() == (True, True)
