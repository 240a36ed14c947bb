"""The tally branches report upward, reproduced from registers built in the test."""
import datetime as dt
import json

import pytest

from services.branch import BranchIdentity, set_identity
from services.review import service as svc
from services.review.tally import Tally, add_tallies, format_text, percent, tally
from tests.review_helpers import add_member, branch_confirmed, rated, seed_2020_register


def _rate_seed(s, groups):
    items = {}
    for m in groups["others"][:24]:
        items[m.id] = rated(2020, "HTXSNV")
    for m in groups["others"][24:]:
        items[m.id] = rated(2020, "HTTNV")
    items[groups["sick"][0].id] = rated(2020, "HTNV")  # "do bệnh hiểm nghèo"
    for m in groups["disciplined"]:
        items[m.id] = rated(2020, "KHTNV")
    svc.save_many(s, 2020, items)


def test_seed_000_arithmetic_137_members_3_not_rated_134_rated_24_102_1_7(db):
    """Seed 000 (Đảng bộ Sở LĐ-TBXH, 2020): 137 members, 134 eligible (03 mới kết nạp, mới chuyển đến),
    24 HTXSNV, 102 HTTNV, 01 HTNV, 07 KHTNV; 24 > floor(20% × 102) = 20, so the quota check is not ok."""
    with db.begin() as s:
        _rate_seed(s, seed_2020_register(s))
    with db.begin() as s:
        t = tally(s, 2020)
    data = t.to_dict()
    assert data["regulation"] == "QD132" and data["year"] == 2020
    assert (data["members_total"], data["assessed"], data["not_assessed"]) == (137, 134, 3)
    assert data["not_assessed_reasons"] == {"new_admission": 2, "new_transfer": 1}
    assert data["levels"] == {"HTXSNV": 24, "HTTNV": 102, "HTNV": 1, "KHTNV": 7}
    assert data["percent"] == {"HTXSNV": 17.91, "HTTNV": 76.12, "HTNV": 0.75, "KHTNV": 5.22}
    assert data["quota"] == {"max_HTXSNV": 20, "ok": False}
    assert [v["rule"] for v in data["violations"]] == ["quota"]
    assert data["violations"][0]["member"] is None
    assert "vượt số tối đa 20" in data["violations"][0]["message"]
    assert t.disciplined == 7 and t.left_during_year == 2 and t.probationary == 2
    assert t.htxsnv_of_httnv == 23.53


def test_tally_json_has_exactly_the_keys_of_the_issue(db):
    with db.begin() as s:
        add_member(s)
        t = tally(s, 2025)
    data = json.loads(json.dumps(t.to_dict()))
    assert list(data) == ["year", "regulation", "branch", "members_total", "assessed", "not_assessed",
                          "not_assessed_reasons", "levels", "percent", "quota", "violations"]
    assert list(data["levels"]) == list(data["percent"]) == ["HTXSNV", "HTTNV", "HTNV", "KHTNV"]
    assert list(data["quota"]) == ["max_HTXSNV", "ok"]
    assert data["branch"] == "Chi bộ Văn phòng Sở"
    assert data["violations"] == [{"member": data["violations"][0]["member"], "rule": "not_rated_yet",
                                   "message": data["violations"][0]["message"]}]
    assert Tally.from_dict(data).to_dict() == data


@pytest.mark.parametrize("n, of, pct", [(1, 3, 33.33), (2, 3, 66.67), (1, 8, 12.5), (0, 0, 0.0), (1, 200, 0.5)])
def test_percentages_of_those_rated_two_decimals_half_up(n, of, pct):
    assert percent(n, of) == pct


def test_quota_within_limits_is_ok(db):
    with db.begin() as s:
        ids = [add_member(s).id for _ in range(11)]
        svc.save_many(s, 2024, {i: rated(2024, "HTTNV") for i in ids[:10]} | {ids[10]: rated(2024, "HTXSNV")})
        t = tally(s, 2024)
    assert t.to_dict()["quota"] == {"max_HTXSNV": 2, "ok": True}
    assert t.violations == []


def test_decisions_count_over_proposals(db):
    with db.begin() as s:
        a, b = add_member(s), add_member(s)
        svc.save_review(s, 2024, a.id, rated(2024, "HTXSNV", decided_level="HTTNV"))
        svc.save_review(s, 2024, b.id, rated(2024, "HTTNV"))
        t = tally(s, 2024)
    assert t.levels == {"HTXSNV": 0, "HTTNV": 2, "HTNV": 0, "KHTNV": 0}
    assert t.decided == 1


def test_comparison_with_last_year_and_the_branch_self_score(db):
    with db.begin() as s:
        ids = [add_member(s).id for _ in range(4)]
        svc.save_many(s, 2024, {i: rated(2024, "HTTNV") for i in ids})
        svc.save_many(s, 2025, {ids[0]: rated(2025, "HTXSNV", score=95)}
                      | {i: rated(2025, "HTTNV", score=80) for i in ids[1:]})
        br = svc.branch_review(s, 2025)
        br.criteria[0].points, br.criteria[1].points = 28, 64
        br.proposed_level = "HTXSNV"
        br.flags = branch_confirmed(2025, "HTXSNV")
        svc.save_branch_review(s, br)
        t = tally(s, 2025)
        text = format_text(t)
    assert t.previous is not None and t.previous.levels["HTTNV"] == 4
    assert t.branch_score == 92 and t.branch_proposed_level == "HTXSNV"
    assert "Năm trước" in text and "Chi bộ tự chấm: 92/100 điểm" in text
    assert "Hoàn thành xuất sắc nhiệm vụ" in text and "25%" in text


def test_readable_table_in_vietnamese(db):
    with db.begin() as s:
        _rate_seed(s, seed_2020_register(s))
        text = format_text(tally(s, 2020))
    assert text.splitlines()[0] == "KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG ĐẢNG VIÊN NĂM 2020"
    assert "Tổng số đảng viên: 137 (chính thức: 135, dự bị: 2)" in text
    assert "Số đảng viên đủ điều kiện đánh giá, xếp loại: 134" in text
    assert "Không đánh giá, xếp loại: 3 (Mới kết nạp dưới 6 tháng: 2; Mới chuyển đến dưới 6 tháng: 1)" in text
    assert "17,91%" in text and "76,12%" in text and "0,75%" in text and "5,22%" in text
    assert "Tỷ lệ HTXSNV so với HTTNV: 23,53%; tối đa 20 đồng chí (vượt tỷ lệ: cảnh báo)." in text


def test_committee_tally_adds_branches_and_recomputes_the_quota(tmp_path):
    """Two branches each within their own quota can exceed it together (HD 21: per grassroots organisation)."""
    a = Tally(year=2020, regulation="QD132", branch="Chi bộ I", members_total=8, assessed=7, not_assessed=1,
              not_assessed_reasons={"new_admission": 1}, levels={"HTXSNV": 1, "HTTNV": 5, "HTNV": 1, "KHTNV": 0},
              quota_max=1)
    b = Tally(year=2020, regulation="QD132", branch="Chi bộ II", members_total=6, assessed=5, not_assessed=1,
              not_assessed_reasons={"exempt": 1}, levels={"HTXSNV": 1, "HTTNV": 4, "HTNV": 0, "KHTNV": 0},
              quota_max=0)
    total = add_tallies([a, b], "Đảng bộ Sở")
    data = total.to_dict()
    assert (data["members_total"], data["assessed"], data["not_assessed"]) == (14, 12, 2)
    assert data["not_assessed_reasons"] == {"new_admission": 1, "exempt": 1}
    assert data["levels"] == {"HTXSNV": 2, "HTTNV": 9, "HTNV": 1, "KHTNV": 0}
    assert data["quota"] == {"max_HTXSNV": 1, "ok": False}
    assert data["percent"]["HTTNV"] == 75.0
    with pytest.raises(ValueError):
        add_tallies([a, Tally.from_dict(a.to_dict() | {"year": 2021})], "x")


def test_committee_database_checks_the_quota_instead_of_warning(db):
    with db.begin() as s:
        set_identity(s, BranchIdentity(name="Đảng ủy Sở", parents=["ĐẢNG ỦY KHỐI"], place="Trà Vinh", kind="committee"))
        ids = [add_member(s).id for _ in range(3)]
        svc.save_many(s, 2024, {ids[0]: rated(2024, "HTXSNV")} | {i: rated(2024, "HTTNV") for i in ids[1:]})
        t = tally(s, 2024)
    assert t.quota_effect == "check"
    assert "cấp ủy cấp trên áp dụng" not in t.violations[0].message


def test_members_total_counts_on_the_review_date(db):
    with db.begin() as s:
        add_member(s, admitted=dt.date(2025, 3, 1), full=False)
        add_member(s)
        t = tally(s, 2024)
    assert t.members_total == 1
