"""Kiểm điểm, đánh giá, xếp loại chất lượng cuối năm: what the branch and its superior decide.

Eligibility, caps, proposals and tallies are computed from the register when asked; only the
people's decisions and texts are stored here.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Date, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base
from .member import Member


class ReviewYear(Base):
    """The branch's own review of one year (kiểm điểm tập thể chi bộ) and whether the year is closed."""

    __tablename__ = "review_year"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    # Review date of this year when it differs from the setting (e.g. the meeting of 20/12).
    review_date: Mapped[dt.date | None] = mapped_column(Date)
    # The branch's self-assessment: [{"code", "name", "max_points", "points"}], editable per year.
    criteria: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    proposed_level: Mapped[str] = mapped_column(String(10), default="")   # chi bộ tự nhận
    decided_level: Mapped[str] = mapped_column(String(10), default="")    # cấp trên quyết định
    decision_ref: Mapped[str] = mapped_column(String(120), default="")   # số quyết định / thông báo của cấp trên
    # Facts only the branch knows: the conditions of a level confirmed ("cond:…"), discipline of a
    # leadership member already counted in an earlier year ("discipline_counted_before").
    flags: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # Narrative parts of the collective report (Mẫu 01).
    strengths: Mapped[str] = mapped_column(Text, default="")     # ưu điểm, kết quả đạt được
    weaknesses: Mapped[str] = mapped_column(Text, default="")    # hạn chế, khuyết điểm
    causes: Mapped[str] = mapped_column(Text, default="")        # nguyên nhân
    remedies: Mapped[str] = mapped_column(Text, default="")      # kết quả khắc phục hạn chế kỳ trước
    directions: Mapped[str] = mapped_column(Text, default="")    # phương hướng, biện pháp
    explanations: Mapped[str] = mapped_column(Text, default="")   # giải trình vấn đề được gợi ý kiểm điểm
    responsibility: Mapped[str] = mapped_column(Text, default="")  # làm rõ trách nhiệm tập thể, cá nhân
    # The meeting at which the branch held the review (its attendance and date go in the minutes).
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id", ondelete="SET NULL"))
    # Votes of that meeting on the collective report and on the branch's proposed level:
    # {"report": {"for": n, "against": n, "other": n}, "level": {...}}.
    collective_votes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now(), onupdate=func.now())


class ReviewLog(Base):
    """Closing and reopening a year: who, when, why, and the backup taken."""

    __tablename__ = "review_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    action: Mapped[str] = mapped_column(String(20))   # "close" | "reopen"
    user: Mapped[str] = mapped_column(String(120), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    backup: Mapped[str] = mapped_column(String(500), default="")


class MemberReview(Base):
    """One member's review of one year: the branch's proposal and the superior's decision."""

    __tablename__ = "member_review"
    __table_args__ = (UniqueConstraint("year", "member_id", name="uq_member_review_year_member"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    self_level: Mapped[str] = mapped_column(String(10), default="")      # tự nhận mức xếp loại
    # Score years: {"general": 27.5, "tasks": 64}; graded years: {"politics": "Tốt", ...}.
    criteria: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    score: Mapped[float | None] = mapped_column(Float)                   # total when given without criteria
    # Facts only the branch knows: the automatic KHTNV conditions ticked, the conditions of a
    # band confirmed ("cond:…"), discipline already counted in an earlier year's rating.
    flags: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    proposed_level: Mapped[str] = mapped_column(String(10), default="")  # chi bộ đề nghị
    votes_for: Mapped[int | None] = mapped_column(Integer)               # biểu quyết tán thành
    votes_against: Mapped[int | None] = mapped_column(Integer)
    voters: Mapped[int | None] = mapped_column(Integer)                  # đảng viên chính thức biểu quyết
    comment: Mapped[str] = mapped_column(Text, default="")               # nhận xét của chi bộ
    decided_level: Mapped[str] = mapped_column(String(10), default="")   # cấp có thẩm quyền quyết định
    decision_ref: Mapped[str] = mapped_column(String(120), default="")   # số quyết định / thông báo
    # Quarterly assessments (đánh giá hằng quý) of members holding a leadership post: {"1": "HTTNV", …}.
    quarters: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now(), onupdate=func.now())

    member: Mapped[Member] = relationship()

    @property
    def level(self) -> str:
        """The level that counts: the decision when there is one, else the branch's proposal."""
        return self.decided_level or self.proposed_level
