"""Đánh giá đảng viên hằng tháng: one level (and a comment) per member and month."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class MonthlyRating(Base):
    """Mức đánh giá của một đảng viên trong một tháng.

    `level` is a code of the monthly scale in use (resources/rules/monthly_scale.json); it may be
    empty when only a comment was written (e.g. "nghỉ thai sản").
    """

    __tablename__ = "monthly_rating"
    __table_args__ = (UniqueConstraint("member_id", "year", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    month: Mapped[int] = mapped_column(Integer)
    level: Mapped[str] = mapped_column(String(16), default="")
    comment: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now(), onupdate=func.now())
