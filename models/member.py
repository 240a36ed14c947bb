"""Đảng viên and the dated events of their Party life."""
from __future__ import annotations

import datetime as dt
import enum
import uuid

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, Text, func, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base


class EventKind(enum.StrEnum):
    """Kinds of dated events; membership and status on any date are derived from them."""

    ADMITTED = "admitted"              # kết nạp (start of 12 months' probation)
    MADE_FULL = "made_full"            # chuyển đảng chính thức
    TRANSFER_IN = "transfer_in"        # chuyển sinh hoạt đảng đến
    TRANSFER_OUT = "transfer_out"      # chuyển sinh hoạt đảng đi
    EXEMPT = "exempt"                  # miễn công tác và sinh hoạt đảng (from date to end_date)
    SUSPENDED = "suspended"            # đình chỉ sinh hoạt đảng (from/to)
    SICK_LEAVE = "sick_leave"          # nghỉ ốm dài ngày (from/to)
    MATERNITY_LEAVE = "maternity_leave"  # nghỉ thai sản (from/to)
    DISCIPLINE = "discipline"          # kỷ luật (form: khiển trách, cảnh cáo, cách chức, khai trừ)
    DIED = "died"                      # từ trần
    REMOVED = "removed"                # xóa tên


class DisciplineForm(enum.StrEnum):
    REPRIMAND = "khiển trách"
    WARNING = "cảnh cáo"
    DISMISSAL = "cách chức"
    EXPULSION = "khai trừ"


class Member(Base):
    """Đảng viên. Facts that do not change with time; the rest are MemberEvents."""

    __tablename__ = "member"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True, default=lambda: str(uuid.uuid4()))
    full_name: Mapped[str] = mapped_column(String(120))
    birth_date: Mapped[dt.date | None] = mapped_column(Date)
    gender: Mapped[str] = mapped_column(String(8), default="")      # "Nam" / "Nữ"
    ethnicity: Mapped[str] = mapped_column(String(40), default="Kinh")
    card_number: Mapped[str] = mapped_column(String(30), default="")  # số thẻ đảng viên
    position: Mapped[str] = mapped_column(String(200), default="")    # chức vụ (at work)
    # What chooses the member's review framework and personal form (QĐ 366, HD 25, HD 43); stated by
    # the secretary, never guessed from the job title. None: not stated yet.
    holds_leadership_post: Mapped[bool | None] = mapped_column(Boolean)  # giữ chức vụ lãnh đạo, quản lý
    in_political_system: Mapped[bool | None] = mapped_column(Boolean)    # công tác trong hệ thống chính trị
    party_post: Mapped[str] = mapped_column(String(100), default="")      # chức vụ đảng: Bí thư chi bộ, Chi ủy viên…
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())
    # Row version: raised by every UPDATE; a save made from an older version is refused
    # (services.members.update_member) instead of silently overwriting another window's change.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default=text("1"))

    __mapper_args__ = {"version_id_col": version}

    events: Mapped[list[MemberEvent]] = relationship(
        back_populates="member", cascade="all, delete-orphan",
        order_by="(MemberEvent.date, MemberEvent.id)",
    )


class MemberEvent(Base):
    """Một sự kiện trong quá trình sinh hoạt đảng của đảng viên."""

    __tablename__ = "member_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)    # for periods (exempt, leave, suspension)
    other_org: Mapped[str] = mapped_column(String(200), default="")  # transfer from/to
    form: Mapped[str] = mapped_column(String(40), default="")        # discipline form
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())

    member: Mapped[Member] = relationship(back_populates="events")
