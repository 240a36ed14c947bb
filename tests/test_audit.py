"""Audit trail: every change through a session is logged with who, when, old and new value."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from models import Member
from services import access, audit, settings
from services import members as svc
from services.branch import BranchIdentity, set_identity
from services.errors import ValidationError

TODAY = dt.date(2025, 12, 15)


def add(db, name="Nguyễn Văn An", made_full=dt.date(2011, 2, 1)) -> int:
    with db.begin() as s:
        return svc.add_member(s, svc.MemberInput(name, dt.date(2010, 1, 1), made_full, dt.date(1980, 3, 3),
                                                 gender="Nam"), TODAY).id


def test_adding_a_member_is_logged_with_its_values_and_user(db):
    audit.set_user(db, "Từ Minh Điền")
    member_id = add(db)
    with db.begin() as s:
        rows = audit.audit_rows(s, member_id=member_id)
    # the member and its two events (admission, made full), all linked to the member
    assert sorted(r.record for r in rows) == ["Sự kiện sinh hoạt đảng: Chuyển đảng chính thức",
                                              "Sự kiện sinh hoạt đảng: Kết nạp vào Đảng",
                                              "Đảng viên: Nguyễn Văn An"]
    assert {r.user for r in rows} == {"Từ Minh Điền"}
    assert {r.action for r in rows} == {"Thêm"}
    member_row = next(r for r in rows if "Họ và tên" in r.new)
    assert "Họ và tên: Nguyễn Văn An" in member_row.new and "Ngày sinh: 03/03/1980" in member_row.new
    assert any("Kết nạp vào Đảng" in r.new and "01/01/2010" in r.new for r in rows)


def test_an_edit_logs_each_changed_field_old_and_new_and_nothing_unchanged(db):
    member_id = add(db)
    with db.begin() as s:
        before = len(audit.audit_entries(s))
        svc.update_member(s, member_id, svc.MemberInput("Nguyễn Văn Anh", dt.date(2010, 1, 1), dt.date(2011, 2, 1),
                                                        dt.date(1980, 3, 4), gender="Nam"), TODAY)
    with db.begin() as s:
        new = audit.audit_entries(s)[:len(audit.audit_entries(s)) - before]
        rows = [audit.describe(e) for e in new]
    assert {(r.field, r.old, r.new) for r in rows} == {
        ("Họ và tên", "Nguyễn Văn An", "Nguyễn Văn Anh"), ("Ngày sinh", "03/03/1980", "04/03/1980")}
    assert {r.action for r in rows} == {"Sửa"}


def test_an_event_removed_as_an_orphan_and_a_deleted_member_are_logged(db):
    member_id = add(db)
    with db.begin() as s:
        svc.update_member(s, member_id, svc.MemberInput("Nguyễn Văn An", dt.date(2010, 1, 1), None,
                                                        dt.date(1980, 3, 3), gender="Nam"), TODAY)
    with db.begin() as s:
        latest = audit.describe(audit.audit_entries(s, member_id=member_id, limit=1)[0])
        assert latest.action == "Xóa" and "Chuyển đảng chính thức" in latest.old
        s.delete(s.get(Member, member_id))
    with db.begin() as s:
        deleted = [e for e in audit.audit_entries(s, table="member", row_id=member_id) if e.action == audit.DELETE]
        assert len(deleted) == 1 and "Nguyễn Văn An" in deleted[0].old
        # the history outlives the member
        assert len(audit.audit_entries(s, member_id=member_id)) >= 5


def test_a_change_rolled_back_leaves_no_entry(db):
    add(db)
    with db.begin() as s:
        count = len(audit.audit_entries(s, limit=None))
    with pytest.raises(ValidationError):
        with db.begin() as s:
            svc.add_member(s, svc.MemberInput("Lê Thị Bình", dt.date(2012, 1, 1)), TODAY)  # flushed, logged ...
            svc.add_member(s, svc.MemberInput("", None), TODAY)                            # ... then refused
    with db.begin() as s:
        assert len(audit.audit_entries(s, limit=None)) == count


def test_default_user_is_the_os_user(db):
    assert db.audit.user == audit.default_user()
    add(db)
    with db.begin() as s:
        assert {e.user for e in audit.audit_entries(s)} == {audit.default_user()}


def test_settings_and_branch_changes_are_logged_password_hashes_are_not(db):
    with db.begin() as s:
        settings.put(s, "documents.branch_symbol", "CBVP")
        set_identity(s, BranchIdentity(name="Chi bộ Văn phòng Sở", parents=["ĐẢNG ỦY SỞ LAO ĐỘNG - TBXH"],
                                       place="Trà Vinh", secretary="Lê Thị Hồng Nhung"))
        access.set_password(s, "mat-khau-1", "mat-khau-1")
    with db.begin() as s:
        rows = audit.audit_rows(s)
        lock_entries = audit.audit_entries(s, table="access_lock")
    assert any(r.field == "Bí thư" and r.old == "Từ Minh Điền" and r.new == "Lê Thị Hồng Nhung" for r in rows)
    assert any("CBVP" in r.new for r in rows)
    assert lock_entries and all(e.old is None and e.new is None for e in lock_entries)


class _OtherBase(DeclarativeBase):
    pass


class _Attendance(_OtherBase):
    """Stands for a table of another area with member_id and meeting_id columns."""

    __tablename__ = "test_attendance"
    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(Integer)
    meeting_id: Mapped[int] = mapped_column(Integer)
    present: Mapped[str] = mapped_column(String(10), default="")


def test_rows_of_other_areas_are_linked_to_member_and_meeting_without_their_code_changing(db):
    member_id = add(db)
    _OtherBase.metadata.create_all(db.engine, tables=[_Attendance.__table__])
    with db.begin() as s:
        s.add(_Attendance(member_id=member_id, meeting_id=7, present="có"))
    with db.begin() as s:
        row = s.query(_Attendance).one()
        row.present = "vắng"
    with db.begin() as s:
        per_meeting = audit.audit_entries(s, meeting_id=7)
        assert [(e.action, e.field, e.old, e.new) for e in per_meeting][0] == ("update", "present", "có", "vắng")
        assert per_meeting[-1].action == "insert"
        assert {e.member_id for e in per_meeting} == {member_id}
        assert per_meeting[0] in audit.audit_entries(s, member_id=member_id)


def test_named_entries_for_amendments(db):
    member_id = add(db)
    with db.begin() as s:
        audit.record(s, audit.AMEND, "member", member_id, member_id=member_id, field="note",
                     old="", new="Đính chính theo Nghị quyết số 05")
    with db.begin() as s:
        row = audit.audit_rows(s, member_id=member_id, limit=1)[0]
    assert (row.action, row.field, row.new) == ("Đính chính", "Ghi chú", "Đính chính theo Nghị quyết số 05")


def test_limit_and_order_newest_first(db):
    for name in ("Nguyễn Văn An", "Lê Thị Bình", "Trần Văn Cường"):
        add(db, name)
    with db.begin() as s:
        entries = audit.audit_entries(s, table="member", limit=2)
    assert len(entries) == 2 and entries[0].id > entries[1].id
    assert "Trần Văn Cường" in entries[0].new


def test_members_written_in_bulk_leave_the_history_of_members_added_one_by_one(tmp_path):
    """An import writes its rows in one statement per table (members.insert_members), past the flush that
    logs changes: the history it leaves is entry for entry the one adding the same members one by one
    leaves, in the chain, which stays whole."""
    from sqlalchemy import select

    from services.db import open_database

    data = svc.MemberInput("nguyễn văn an", dt.date(2010, 1, 1), made_full=dt.date(2011, 2, 1),
                           birth_date=dt.date(1980, 1, 2), card_number="12", gender="Nam", party_post="Chi ủy viên",
                           holds_leadership_post=True)
    later = svc.EventInput("discipline", dt.date(2016, 1, 1), form="khiển trách", reason="Vi phạm")
    histories = []
    for how in ("one by one", "in bulk"):
        db = open_database(tmp_path / f"{how}.db", create=True)
        with db.begin() as s:
            set_identity(s, BranchIdentity(name="Chi bộ A", parents=["ĐẢNG ỦY B"], place="Trà Vinh"))
        with db.begin() as s:
            if how == "one by one":
                m = svc.add_member(s, data, TODAY, admitted_elsewhere=(dt.date(2015, 1, 1), "Chi bộ X"))
                svc.add_event(s, m.id, later, TODAY)
            else:
                svc.insert_members(s, [svc.NewMember(data, (dt.date(2015, 1, 1), "Chi bộ X"), [later])])
        with db.begin() as s:
            histories.append(sorted((e.action, e.table_name, e.row_id, e.row_label, e.member_id, e.field, e.old, e.new)
                                    for e in audit.audit_entries(s) if e.table_name in ("member", "member_event")))
            assert audit.chain_problems(s.connection()) == []
            version = s.scalar(select(Member.version))
        db.close()
        assert version == 1
    assert len(histories[0]) == 5 and histories[1] == histories[0]
