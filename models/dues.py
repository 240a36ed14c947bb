"""Đảng phí: each member's monthly amount (with its history) and the payments made."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, ForeignKey, Integer, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base


class DuesRate(Base):
    """Mức đảng phí hằng tháng của một đảng viên, từ tháng (year, month) trở đi.

    Amounts are whole đồng. A new row from a later month replaces the amount from then on; the
    older rows stay, so the amounts of past months never change. `basis` is the salary the amount
    was computed from (1% of the social-insurance salary), when it was.
    """

    __tablename__ = "dues_rate"
    __table_args__ = (UniqueConstraint("member_id", "year", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    month: Mapped[int] = mapped_column(Integer)
    amount: Mapped[int] = mapped_column(Integer)
    basis: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())


class DuesPayment(Base):
    """Một lần nộp đảng phí: the date, the total amount and the months it covers."""

    __tablename__ = "dues_payment"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    paid_on: Mapped[dt.date] = mapped_column(Date)
    amount: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())

    months: Mapped[list[DuesPaymentMonth]] = relationship(
        back_populates="payment", cascade="all, delete-orphan",
        order_by="(DuesPaymentMonth.year, DuesPaymentMonth.month)",
    )


class DuesPaymentMonth(Base):
    """A month covered by a payment, with the part of the amount for that month.

    A member's month can be paid only once (the unique constraint), whichever payment covers it.
    """

    __tablename__ = "dues_payment_month"
    __table_args__ = (UniqueConstraint("member_id", "year", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("dues_payment.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    month: Mapped[int] = mapped_column(Integer)
    amount: Mapped[int] = mapped_column(Integer)

    payment: Mapped[DuesPayment] = relationship(back_populates="months")
