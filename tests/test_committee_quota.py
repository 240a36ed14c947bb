"""The committee applies the HTXSNV quota to the sum of its branches (HD 21 mục 2.3.a: at most 20% of
those rated HTTNV in the grassroots organisation), rounding down: a fraction of a member is not a member."""
from __future__ import annotations

from services.exchange.source import tally_from_members
from services.exchange.tally_sum import BranchTally, sum_tallies


def _branch(name: str, htxsnv: int, httnv: int) -> BranchTally:
    members = [{"level": "HTXSNV", "not_rated_reason": None}] * htxsnv + \
              [{"level": "HTTNV", "not_rated_reason": None}] * httnv
    return BranchTally(uid=name, name=name, tally=tally_from_members(2024, name, members))


def test_the_committee_quota_is_20_percent_of_the_summed_httnv_rounded_down():
    # 7 + 6 = 13 HTTNV: 20% is 2.6, so at most 2 HTXSNV (rounding half up would allow 3).
    t = sum_tallies([_branch("Chi bộ I", 2, 7), _branch("Chi bộ II", 1, 6)], 2024, "Đảng ủy Sở")
    assert t["levels"]["HTTNV"] == 13 and t["levels"]["HTXSNV"] == 3
    assert t["quota"]["max_HTXSNV"] == 2
    assert t["quota"]["ok"] is False
    assert [v["rule"] for v in t["violations"] if v["member"] is None] == ["quota"]


def test_the_committee_quota_is_taken_on_the_sum_not_added_up_from_the_branches():
    # Each branch alone: floor(20% × 7) = 1; together floor(20% × 14) = 2, so 2 HTXSNV are within the quota.
    t = sum_tallies([_branch("Chi bộ I", 1, 7), _branch("Chi bộ II", 1, 7)], 2024, "Đảng ủy Sở")
    assert [b["quota"]["max_HTXSNV"] for b in t["branches"]] == [1, 1]
    assert t["quota"]["max_HTXSNV"] == 2 and t["quota"]["ok"] is True
