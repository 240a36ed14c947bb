"""A member entered by mistake: deleted while nothing refers to it, otherwise told what refers to it;
likely duplicates flagged in the register."""
import datetime as dt

import pytest
from sqlalchemy import func, select

from models import EventKind, Member, MemberEvent, MemberReview
from services import audit, dues, ratings
from services import meetings as mt
from services import members as svc
from services.errors import ValidationError
from services.member_removal import delete_entered_by_mistake, likely_duplicates, member_references

TODAY = dt.date(2025, 12, 15)


def add(s, name, birth=dt.date(1980, 1, 2), card="", admitted=dt.date(2010, 1, 1), full=dt.date(2011, 1, 5)):
    return svc.add_member(s, svc.MemberInput(name, admitted, full, birth, card_number=card), TODAY).id


def refused(db, member_id):
    with pytest.raises(ValidationError) as err, db.begin() as s:
        delete_entered_by_mistake(s, member_id)
    return err.value.problems


def exists(db, member_id):
    with db.begin() as s:
        return s.get(Member, member_id) is not None


def test_a_member_nothing_refers_to_is_deleted_with_the_details_and_the_history_says_so(db):
    with db.begin() as s:
        keep = add(s, "Nguyễn Văn An")
        twice = add(s, "Nguyễn  văn an")
    with db.begin() as s:
        refs = member_references(s, twice)
        assert refs.deletable and refs.lines() == []
        assert delete_entered_by_mistake(s, twice, seen_version=refs.version) == "Nguyễn Văn An"
    assert not exists(db, twice) and exists(db, keep)
    with db.begin() as s:
        assert s.scalar(select(func.count()).select_from(MemberEvent).where(MemberEvent.member_id == twice)) == 0
        deleted = [e for e in audit.audit_entries(s, member_id=twice) if e.action == audit.DELETE]
        assert {e.table_name for e in deleted} == {"member", "member_event"}
        assert any(e.table_name == "member" and e.row_label == "Nguyễn Văn An" for e in deleted)


def test_each_kind_of_record_that_refers_to_a_member_is_named_and_nothing_is_deleted(db):
    with db.begin() as s:
        ids = {k: add(s, name) for k, name in (("meeting", "Trần Thị Bình"), ("rating", "Lê Văn Cường"),
                                               ("rate", "Phạm Thị Dung"), ("paid", "Hồ Văn Em"),
                                               ("review", "Võ Thị Gấm"), ("event", "Đặng Văn Hùng"))}
        meeting = mt.create_meeting(s, mt.MeetingInput(kind="regular", date=dt.date(2025, 11, 5)), today=TODAY)
        mt.set_attendance(s, meeting.id, ids["meeting"], "present")
        ratings.set_rating(s, ids["rating"], 2025, 10, ratings.current_scale(s).levels[0].code, TODAY)
        dues.set_rate(s, ids["rate"], 2025, 1, 50_000, TODAY)
        dues.set_rate(s, ids["paid"], 2025, 1, 50_000, TODAY)
        dues.record_payment(s, dues.PaymentInput(ids["paid"], dt.date(2025, 3, 5), [(2025, 3)]), TODAY)
        s.add(MemberReview(year=2024, member_id=ids["review"], proposed_level="HTTNV"))
        svc.add_event(s, ids["event"], svc.EventInput(EventKind.TRANSFER_OUT, dt.date(2025, 9, 1),
                                                      other_org="Chi bộ Trường Tiểu học"), TODAY)
    expected = {
        "meeting": "điểm danh ở 1 buổi sinh hoạt",
        "rating": "xếp loại hằng tháng của 1 tháng",
        "rate": "1 mức đảng phí hằng tháng",
        "paid": "1 lần nộp đảng phí",
        "review": "kiểm điểm cuối năm của 1 năm",
        "event": "Chuyển sinh hoạt đảng đi",
    }
    for key, member_id in ids.items():
        problems = refused(db, member_id)
        assert problems[0].startswith("Không xóa được ")
        assert expected[key] in "\n".join(problems), (key, problems)
        assert "chuyển sinh hoạt, từ trần hoặc xóa tên" in problems[-1]
        assert exists(db, member_id)
    with db.begin() as s:
        assert member_references(s, ids["paid"]).lines() == ["1 mức đảng phí hằng tháng", "1 lần nộp đảng phí"]


def test_a_member_changed_elsewhere_since_shown_is_not_deleted(db):
    with db.begin() as s:
        mid = add(s, "Nguyễn Văn An")
        seen = member_references(s, mid).version
    with db.begin() as s:
        svc.update_member(s, mid, svc.MemberInput("Nguyễn Văn Ân", dt.date(2010, 1, 1), dt.date(2011, 1, 5),
                                                  dt.date(1980, 1, 2)), TODAY)
    with pytest.raises(ValidationError) as err, db.begin() as s:
        delete_entered_by_mistake(s, mid, seen_version=seen)
    assert "đã được sửa ở nơi khác" in str(err.value)
    assert exists(db, mid)
    with pytest.raises(ValidationError) as err, db.begin() as s:
        delete_entered_by_mistake(s, 999)
    assert "không còn" in str(err.value)


def test_likely_duplicates_same_folded_name_and_birth_date_or_same_card(db):
    with db.begin() as s:
        an = add(s, "Nguyễn Văn An", card="01.234567")
        an2 = add(s, "NGUYỄN VĂN AN", card="")
        other_an = add(s, "Nguyễn Văn An", birth=dt.date(1990, 5, 5))   # another person: another birth date
        binh = add(s, "Trần Thị Bình", card="99.000001")
    with db.begin() as s:
        # A card typed twice cannot be saved by the program; an older file or another tool may have it.
        s.execute(Member.__table__.update().where(Member.id == binh).values(card_number="01.234567"))
    with db.begin() as s:
        rows = svc.register(s, TODAY)
    flagged = likely_duplicates(rows)
    assert set(flagged) == {an, an2, binh}
    assert flagged[an2].others == (an,)
    assert "cùng họ tên và ngày sinh (02/01/1980)" in flagged[an2].reason
    assert set(flagged[an].others) == {an2, binh}
    assert "Trần Thị Bình" in flagged[an].reason and "01.234567" in flagged[an].reason
    assert other_an not in flagged
    assert "Nguyễn Văn An" in flagged[binh].reason


def test_entries_without_a_date_of_birth_count_as_the_same_birth_date():
    class Row:
        def __init__(self, id, name, birth=None, card=""):
            self.id, self.full_name, self.birth_date, self.card_number = id, name, birth, card

    flagged = likely_duplicates([Row(1, "Lê Văn Tám"), Row(2, "Lê  Văn  Tám"), Row(3, "Lê Văn Tài"),
                                 Row(4, "Lê Văn Tâm", dt.date(1970, 1, 1)),
                                 Row(5, "Le Van Tam")])   # typed without tone marks (an old file)
    assert set(flagged) == {1, 2, 5}
    assert flagged[5].others == (1, 2)
    assert "chưa nhập ngày sinh" in flagged[1].reason
