"""Sinh hoạt chi bộ: meetings, attendance, resolutions with their votes, and amendments to minutes."""
from __future__ import annotations

import datetime as dt
import enum
import uuid
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, Text, Time, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base


class MeetingKind(enum.StrEnum):
    REGULAR = "regular"              # sinh hoạt chi bộ thường kỳ (monthly)
    THEMATIC = "thematic"            # sinh hoạt chuyên đề (at least once a quarter)
    EXTRAORDINARY = "extraordinary"  # sinh hoạt bất thường


class AttendanceStatus(enum.StrEnum):
    PRESENT = "present"      # có mặt
    EXCUSED = "excused"      # vắng có lý do
    UNEXCUSED = "unexcused"  # vắng không lý do


class Meeting(Base):
    """Một buổi sinh hoạt chi bộ and its biên bản.

    `minutes` holds the biên bản as written: {"template", "title", "title_with_topic", "intro",
    "intro_with_topic", "closing", "sections": [{"key", "part", "title", "block", "text"}, ...]},
    copied from the template when the meeting was created, so a finalised record always reprints
    the same headings even if the template is edited later.
    """

    __tablename__ = "meeting"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True, default=lambda: str(uuid.uuid4()))
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    start_time: Mapped[dt.time | None] = mapped_column(Time)
    end_time: Mapped[dt.time | None] = mapped_column(Time)
    kind: Mapped[str] = mapped_column(String(16), default=MeetingKind.REGULAR)
    # Chuyên đề: the subject of a thematic meeting, or of the thematic part of a regular one.
    topic: Mapped[str] = mapped_column(String(300), default="")
    place: Mapped[str] = mapped_column(String(200), default="")
    chair_name: Mapped[str] = mapped_column(String(120), default="")
    chair_title: Mapped[str] = mapped_column(String(120), default="")
    secretary_name: Mapped[str] = mapped_column(String(120), default="")
    secretary_title: Mapped[str] = mapped_column(String(120), default="")
    guests: Mapped[str] = mapped_column(Text, default="")
    # Đại diện cấp ủy cấp trên dự: "đồng chí …, Đảng ủy viên, …", as the minutes name them.
    representative: Mapped[str] = mapped_column(String(300), default="")
    # Đảng viên sinh hoạt tạm thời dự buổi sinh hoạt (not members of the branch), one name a line.
    temporary_members: Mapped[str] = mapped_column(Text, default="")
    # Ý kiến phát biểu: [{"name": "Nguyễn Văn A", "text": "…"}] in the order they spoke.
    speakers: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    # Kết luận của đồng chí chủ trì.
    conclusion: Mapped[str] = mapped_column(Text, default="")
    # Số văn bản ("Số 05-BB/CB"). Empty until finalised: the number is then the meeting's place in the year.
    number: Mapped[int | None] = mapped_column(Integer)
    minutes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    finalized_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    finalized_by: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())

    attendance: Mapped[list[Attendance]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="Attendance.id")
    resolutions: Mapped[list[Resolution]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="(Resolution.position, Resolution.id)")
    amendments: Mapped[list[MinutesAmendment]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan",
        order_by="(MinutesAmendment.date, MinutesAmendment.id)")


class Attendance(Base):
    """Điểm danh: one member at one meeting. Members with no row are not yet recorded."""

    __tablename__ = "meeting_attendance"
    __table_args__ = (UniqueConstraint("meeting_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text, default="")

    meeting: Mapped[Meeting] = relationship(back_populates="attendance")


class Resolution(Base):
    """Nội dung biểu quyết: a resolution or conclusion put to the vote of the full members present."""

    __tablename__ = "meeting_resolution"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text, default="")
    # What is voted on, which fixes the base the votes count against (services.meetings.votes):
    # "resolution" (nghị quyết, kết luận), "make_full" (công nhận đảng viên chính thức), "admission" (kết nạp).
    kind: Mapped[str] = mapped_column(String(16), default="resolution")
    in_favour: Mapped[int] = mapped_column(Integer, default=0)    # tán thành
    against: Mapped[int] = mapped_column(Integer, default=0)      # không tán thành
    other: Mapped[int] = mapped_column(Integer, default=0)        # ý kiến khác
    other_opinions: Mapped[str] = mapped_column(Text, default="")  # what the other opinions were

    meeting: Mapped[Meeting] = relationship(back_populates="resolutions")


class MinutesAmendment(Base):
    """Đính chính biên bản: a correction to finalised minutes, kept and printed on reprint.

    `changes` lists {"key", "title", "old", "new"} for each section whose text changed.
    """

    __tablename__ = "minutes_amendment"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    date: Mapped[dt.date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text, default="")
    made_by: Mapped[str] = mapped_column(String(120), default="")
    changes: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())

    meeting: Mapped[Meeting] = relationship(back_populates="amendments")
