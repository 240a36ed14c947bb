"""A committee's office: the branches it knows and the files they sent (tệp gửi cấp trên)."""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base


class KnownBranch(Base):
    """Chi bộ trực thuộc, as the committee knows it.

    Registered by hand (no uid and no key until its first file arrives) or learned from its
    first file. The first file records the branch's public key; later files must carry the same.
    """

    __tablename__ = "known_branch"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Branch.uid of the branch's own database; None while registered by hand and no file has come.
    uid: Mapped[str | None] = mapped_column(String(36), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    parents: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Raw Ed25519 public key (32 bytes, base64) and its SHA-256 fingerprint (hex); None until the first file.
    public_key: Mapped[str | None] = mapped_column(String(64))
    key_fingerprint: Mapped[str | None] = mapped_column(String(64))
    first_seen: Mapped[dt.datetime | None] = mapped_column(DateTime)
    registered_at: Mapped[dt.datetime] = mapped_column(DateTime)
    # False when the committee no longer expects files from it (dissolved, merged); its files stay.
    expected: Mapped[bool] = mapped_column(Boolean, default=True)
    note: Mapped[str] = mapped_column(Text, default="")
    # The committee's decision on the branch's collective level, by year: {"2025": "HTTNV"}.
    decided_levels: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)

    files: Mapped[list[ReceivedFile]] = relationship(
        back_populates="branch", order_by="ReceivedFile.id", foreign_keys="ReceivedFile.branch_id")


class ReceivedFile(Base):
    """One .scb file received from a branch. Replaced files stay, inactive, with `superseded_by`."""

    __tablename__ = "received_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("known_branch.id"), index=True)
    period_kind: Mapped[str] = mapped_column(String(8))     # year | quarter | month
    period_year: Mapped[int] = mapped_column(Integer, index=True)
    period_number: Mapped[int] = mapped_column(Integer, default=0)  # quarter 1-4, month 1-12, 0 for a year
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    file_name: Mapped[str] = mapped_column(String(260), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)   # when the branch made the file (UTC)
    manifest: Mapped[dict[str, Any]] = mapped_column(JSON)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    content: Mapped[bytes] = mapped_column(LargeBinary)         # the file itself, as received
    received_at: Mapped[dt.datetime] = mapped_column(DateTime)
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("received_file.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    branch: Mapped[KnownBranch] = relationship(back_populates="files", foreign_keys=[branch_id])
