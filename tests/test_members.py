import datetime as dt

import pytest

from models import EventKind
from services import members as svc
from services.errors import ValidationError
from services.membership import Status

D = dt.date
TODAY = D(2025, 12, 15)


def add(db, name="Nguyễn Văn A", admitted=D(2015, 5, 1), full=D(2016, 5, 10), birth=D(1985, 1, 2), **kw):
    with db.begin() as s:
        return svc.add_member(s, svc.MemberInput(name, admitted, full, birth, **kw), TODAY).id


def messages(data, others=()):
    return [p.message for p in svc.check_member(data, TODAY, others).errors]


def test_name_and_admission_date_are_required():
    errors = messages(svc.MemberInput("  ", None))
    assert "Hãy nhập họ và tên đảng viên." in errors
    assert "Hãy nhập ngày vào Đảng." in errors


def test_no_future_dates():
    errors = messages(svc.MemberInput("Lê Văn B", D(2026, 1, 1), birth_date=D(1990, 1, 1)))
    assert "Ngày vào Đảng không được sau ngày hôm nay." in errors


def test_full_membership_at_least_twelve_months_after_admission():
    errors = messages(svc.MemberInput("Lê Văn B", D(2024, 3, 1), D(2025, 2, 28), D(1990, 1, 1)))
    assert errors == ["Ngày chính thức phải sau ngày vào Đảng ít nhất 12 tháng (từ 01/03/2025 trở đi)."]
    assert messages(svc.MemberInput("Lê Văn B", D(2024, 3, 1), D(2025, 3, 1), D(1990, 1, 1))) == []


def test_probable_duplicate_is_pointed_out_but_allowed(db):
    add(db)
    with db.begin() as s:
        check = svc.check_member(svc.MemberInput("nguyen van a", D(2020, 1, 1), birth_date=D(1985, 1, 2)),
                                 TODAY, svc.all_members(s))
    assert check.ok
    assert any("cùng họ tên và ngày sinh" in w.message for w in check.warnings)


def test_text_is_nfc_and_names_are_tidied(db):
    member_id = add(db, name="  nguye\u0302\u0303n   văn  a ")
    with db.begin() as s:
        assert svc.member_details(s, member_id).full_name == "Nguyễn Văn A"


def test_register_sorted_vietnamese_way_and_filters(db):
    a = add(db, "Trần Văn Đức", birth=D(1980, 1, 1))
    add(db, "Lê Thị Dung", birth=D(1981, 1, 1), card_number="1")
    c = add(db, "Phạm Văn An", admitted=D(2025, 6, 1), full=None, birth=D(1990, 1, 1))
    with db.begin() as s:
        svc.add_event(s, a, svc.EventInput(EventKind.TRANSFER_OUT, D(2025, 9, 1), other_org="Đảng bộ huyện"), TODAY)
        rows = svc.register(s, TODAY)
    assert [r.full_name for r in rows] == ["Phạm Văn An", "Lê Thị Dung", "Trần Văn Đức"]
    current = [r.full_name for r in rows if r.in_filter(svc.RegisterFilter.CURRENT)]
    assert current == ["Phạm Văn An", "Lê Thị Dung"]
    assert [r.id for r in rows if r.in_filter(svc.RegisterFilter.PROBATIONARY)] == [c]
    assert [r.full_name for r in rows if r.in_filter(svc.RegisterFilter.TRANSFERRED_OUT)] == ["Trần Văn Đức"]
    assert rows[0].state.status == Status.PROBATIONARY


def test_register_reads_the_states_in_two_queries_however_many_members(db):
    """Issue 17: the register of thousands of members reads every member and every event once (two
    queries) and computes the states in one pass, not a query or an object per member."""
    from sqlalchemy import event

    statements = []

    def count(*_args):
        statements.append(1)

    def queries() -> int:
        statements.clear()
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            with db.begin() as s:
                rows = svc.register(s, TODAY)
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        assert all(r.state.in_branch for r in rows)
        return len(statements)

    add(db, "Trần Văn Đức")
    few = queries()
    for i in range(30):
        add(db, f"Lê Thị {chr(65 + i % 26)}{i}", card_number=str(i))
    assert queries() == few == 2


def test_register_after_a_rename_sorts_and_finds_the_new_name(db):
    """The register keeps names' sort keys and search texts from one load to the next (issue 17): a member
    renamed since is sorted and found under the new name, never the old one."""
    add(db, "Lê Thị Dung", birth=D(1981, 1, 1))
    b = add(db, "Trần Văn Đức", birth=D(1980, 1, 1), position="Kỹ sư")
    with db.begin() as s:
        assert [r.full_name for r in svc.register(s, TODAY)] == ["Lê Thị Dung", "Trần Văn Đức"]
        data = svc.member_input_of(svc.member_details(s, b))
        data.full_name, data.position = "Trần Văn An", "Giáo viên"
        svc.update_member(s, b, data, TODAY)
    with db.begin() as s:
        rows = svc.register(s, TODAY)
    assert [r.full_name for r in rows] == ["Trần Văn An", "Lê Thị Dung"]
    assert rows[0].search_text == "tran van an giao vien"
    assert rows[1].search_text == "le thi dung"


def test_events_never_overwrite_and_are_validated(db):
    m = add(db)
    with db.begin() as s:
        with pytest.raises(ValidationError) as err:
            svc.add_event(s, m, svc.EventInput(EventKind.DISCIPLINE, D(2025, 3, 1)), TODAY)
        assert "Hãy chọn hình thức kỷ luật." in err.value.problems
        with pytest.raises(ValidationError) as err:
            svc.add_event(s, m, svc.EventInput(EventKind.TRANSFER_IN, D(2025, 3, 1), other_org="X"), TODAY)
        assert err.value.problems == ["Ngày 01/03/2025 đồng chí Nguyễn Văn A đã đang sinh hoạt tại chi bộ."]
        with pytest.raises(ValidationError):
            svc.add_event(s, m, svc.EventInput(EventKind.EXEMPT, D(2025, 3, 1), end_date=D(2025, 2, 1)), TODAY)
        svc.add_event(s, m, svc.EventInput(EventKind.DISCIPLINE, D(2025, 3, 1), form="khiển trách",
                                            reason="Vi phạm"), TODAY)
        svc.add_event(s, m, svc.EventInput(EventKind.EXEMPT, D(2025, 4, 1)), TODAY)
    with db.begin() as s:
        member = svc.member_details(s, m)
        kinds = [e.kind for e in member.events]
        assert kinds == ["admitted", "made_full", "discipline", "exempt"]
        assert svc.describe_event(member.events[2]) == "Kỷ luật: khiển trách (Vi phạm)"
        assert svc.describe_event(member.events[3]) == "Miễn công tác và sinh hoạt đảng — đang còn hiệu lực"


def test_editing_dates_corrects_the_admission_event(db):
    m = add(db)
    with db.begin() as s:
        data = svc.member_input_of(svc.member_details(s, m))
        data.admitted = D(2015, 4, 1)
        svc.update_member(s, m, data, TODAY)
    with db.begin() as s:
        events = svc.member_details(s, m).events
        assert [(e.kind, e.date) for e in events] == [("admitted", D(2015, 4, 1)), ("made_full", D(2016, 5, 10))]


def test_duplicate_card_number_refused(db):
    add(db, card_number="79000001")
    with pytest.raises(ValidationError) as err:
        add(db, name="Lê Văn B", card_number="79000001")
    assert "Số thẻ đảng viên 79000001 đã là của đồng chí Nguyễn Văn A." in err.value.problems
