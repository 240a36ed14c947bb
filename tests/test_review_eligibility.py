"""Who is counted and who is rated in the year-end review (DOMAIN.md §5), from the register."""
import datetime as dt

import pytest

from models import EventKind, MemberEvent
from models.member import DisciplineForm
from services import settings
from services.review.eligibility import eligibility, review_date
from services.review.service import set_review_date
from tests.review_helpers import add_member, discipline, period


def _by_name(session, year):
    return {e.full_name: e for e in eligibility(session, year)}


@pytest.mark.parametrize("year", [2020, 2023, 2025])
def test_hd21_exempt_member_is_counted_but_not_rated(db, year):
    """HD 21-HD/BTCTW (and, carried forward, QĐ 124 / QĐ 366): miễn công tác và sinh hoạt đảng → not rated."""
    with db.begin() as s:
        add_member(s, "Lê Văn Miễn", events=[period(EventKind.EXEMPT, dt.date(year - 1, 5, 1))])
        add_member(s, "Lê Văn Hết Miễn", events=[period(EventKind.EXEMPT, dt.date(year - 1, 5, 1), dt.date(year, 3, 1))])
        rows = _by_name(s, year)
    assert rows["Lê Văn Miễn"].counted and not rows["Lê Văn Miễn"].rated
    assert rows["Lê Văn Miễn"].reason == "exempt"
    assert rows["Lê Văn Miễn"].reason_text == "Miễn công tác và sinh hoạt đảng"
    assert "01/05" in rows["Lê Văn Miễn"].detail
    assert rows["Lê Văn Hết Miễn"].rated  # exemption ended before the review


@pytest.mark.parametrize("year", [2020, 2023, 2025])
def test_hd21_qd124_suspended_member_is_not_rated(db, year):
    """HD 21-HD/BTCTW; QĐ 124-QĐ/TW: đình chỉ sinh hoạt đảng → not rated."""
    with db.begin() as s:
        add_member(s, "Trần Đình Chỉ", events=[period(EventKind.SUSPENDED, dt.date(year, 10, 1))])
        row = _by_name(s, year)["Trần Đình Chỉ"]
    assert (row.counted, row.rated, row.reason, row.reason_text) == (True, False, "suspended", "Đình chỉ sinh hoạt đảng")


@pytest.mark.parametrize("year", [2020, 2023, 2025])
def test_hd21_II_6_member_admitted_less_than_six_months_before_the_review_is_not_rated(db, year):
    """HD 21-HD/BTCTW mục II.6 (QĐ 124 likewise): admitted < 6 months → not rated, still writes a self-review."""
    with db.begin() as s:
        add_member(s, "Võ Sáu Tháng", admitted=dt.date(year, 6, 30), full=False)   # 6 months on 30/12
        add_member(s, "Võ Chưa Đủ", admitted=dt.date(year, 7, 1), full=False)      # 6 months on 01/01
        rows = _by_name(s, year)
    assert rows["Võ Sáu Tháng"].rated
    new = rows["Võ Chưa Đủ"]
    assert (new.counted, new.rated, new.reason, new.self_review) == (True, False, "new_admission", True)
    assert new.reason_text == "Mới kết nạp dưới 6 tháng"
    assert new.detail == f"kết nạp ngày 01/07/{year}"


def test_probationary_members_are_rated_like_others(db):
    """No central text treats đảng viên dự bị apart [U]: rated once past the 6 months."""
    with db.begin() as s:
        add_member(s, "Ngô Dự Bị", admitted=dt.date(2025, 2, 1), full=False)
        row = _by_name(s, 2025)["Ngô Dự Bị"]
    assert row.probationary and row.rated


def test_transferred_in_less_than_six_months_is_not_rated_by_default_and_the_rule_is_a_setting(db):
    """No central rule [U]: default the same 6 months from the transfer date (setting review.transfer_in_months)."""
    with db.begin() as s:
        add_member(s, "Đỗ Mới Đến", admitted=dt.date(2005, 1, 1), transfer_in=dt.date(2025, 9, 1))
        add_member(s, "Đỗ Đến Lâu", admitted=dt.date(2005, 1, 1), transfer_in=dt.date(2025, 4, 1))
        rows = _by_name(s, 2025)
        assert rows["Đỗ Mới Đến"].reason == "new_transfer"
        assert rows["Đỗ Mới Đến"].reason_text == "Mới chuyển đến dưới 6 tháng"
        assert rows["Đỗ Đến Lâu"].rated
        settings.put(s, "review.transfer_in_months", 3)
        rows = _by_name(s, 2025)
        assert rows["Đỗ Mới Đến"].rated
        settings.put(s, "review.transfer_in_months", 0)
        assert _by_name(s, 2025)["Đỗ Mới Đến"].rated
        settings.put(s, "review.transfer_in_months", 12)
        rows = _by_name(s, 2025)
        assert rows["Đỗ Đến Lâu"].reason_text == "Mới chuyển đến dưới 12 tháng"


def test_members_who_left_during_the_year_are_not_in_the_branch_count(db):
    with db.begin() as s:
        add_member(s, "Phạm Ở Lại")
        add_member(s, "Phạm Chuyển Đi", events=[MemberEvent(kind=EventKind.TRANSFER_OUT, date=dt.date(2025, 5, 1),
                                                           other_org="Đảng bộ xã")])
        add_member(s, "Phạm Từ Trần", events=[MemberEvent(kind=EventKind.DIED, date=dt.date(2025, 11, 2))])
        add_member(s, "Phạm Khai Trừ", events=[discipline(dt.date(2025, 8, 8), DisciplineForm.EXPULSION)])
        add_member(s, "Phạm Đi Năm Ngoái", events=[MemberEvent(kind=EventKind.TRANSFER_OUT, date=dt.date(2024, 5, 1),
                                                              other_org="Đảng bộ xã")])
        rows = eligibility(s, 2025)
    counted = [r.full_name for r in rows if r.counted]
    left = {r.full_name: r for r in rows if not r.counted}
    assert counted == ["Phạm Ở Lại"]
    assert set(left) == {"Phạm Chuyển Đi", "Phạm Từ Trần", "Phạm Khai Trừ"}  # last year's move is not listed
    assert all(r.reason == "left_during_year" and not r.rated for r in left.values())
    assert left["Phạm Chuyển Đi"].detail == "01/05/2025"


def test_review_date_is_31_december_by_default_a_setting_and_per_year(db):
    with db.begin() as s:
        add_member(s, "Hồ Đi Cuối Năm", events=[MemberEvent(kind=EventKind.TRANSFER_OUT, date=dt.date(2025, 12, 20),
                                                           other_org="Đảng bộ xã")])
        add_member(s, "Hồ Kết Nạp", admitted=dt.date(2025, 6, 20), full=False)
        assert review_date(s, 2025) == dt.date(2025, 12, 31)
        rows = _by_name(s, 2025)
        assert not rows["Hồ Đi Cuối Năm"].counted and rows["Hồ Kết Nạp"].rated
        settings.put(s, "review.date", "15/12")
        assert review_date(s, 2025) == dt.date(2025, 12, 15)
        rows = _by_name(s, 2025)
        assert rows["Hồ Đi Cuối Năm"].counted
        assert rows["Hồ Kết Nạp"].reason == "new_admission"  # 6 months only on 20/12
        set_review_date(s, 2025, dt.date(2025, 12, 28))
        assert review_date(s, 2025) == dt.date(2025, 12, 28)
        assert review_date(s, 2024) == dt.date(2024, 12, 15)


def test_exemption_takes_precedence_over_other_reasons(db):
    with db.begin() as s:
        add_member(s, "Bùi Hai Lý Do", admitted=dt.date(2005, 1, 1), transfer_in=dt.date(2025, 10, 1),
                   events=[period(EventKind.EXEMPT, dt.date(2025, 11, 1))])
        row = _by_name(s, 2025)["Bùi Hai Lý Do"]
    assert row.reason == "exempt"
