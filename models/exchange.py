"""A committee's office: the branches it knows and the files they sent (tệp gửi cấp trên)."""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    false,
    text,
    true,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base


class KnownBranch(Base):
    """Chi bộ trực thuộc, as the committee knows it.

    Registered by hand (no uid and no key until a file of it is accepted), or learned from a file.
    A file from an id the committee does not know is held, with its branch `accepted = False`, until
    the office accepts it after comparing the key's fingerprint with the branch on the phone; from
    then on, its files must carry the same key.
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
    # False while only held files came from it: nothing of it is counted until the office accepts it.
    accepted: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    accepted_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    files: Mapped[list[ReceivedFile]] = relationship(
        back_populates="branch", order_by="ReceivedFile.id", foreign_keys="ReceivedFile.branch_id")


class ReceivedFile(Base):
    """One .scb file received from a branch. Replaced files stay, inactive, with `superseded_by`.

    A held file (`held`) waits for the office to accept its branch or its new key; it is never active
    while held. At most one file is active per branch and period (a unique partial index).
    """

    __tablename__ = "received_file"
    __table_args__ = (
        Index("uq_received_file_active_period", "branch_id", "period_kind", "period_year", "period_number",
              unique=True, sqlite_where=text("active"), postgresql_where=text("active")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("known_branch.id"), index=True)
    period_kind: Mapped[str] = mapped_column(String(8))     # year | quarter | month
    period_year: Mapped[int] = mapped_column(Integer, index=True)
    period_number: Mapped[int] = mapped_column(Integer, default=0)  # quarter 1-4, month 1-12, 0 for a year
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    file_name: Mapped[str] = mapped_column(String(260), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)   # when the branch made the file (UTC)
    manifest: Mapped[dict[str, Any]] = mapped_column(JSON)
    # JSONB on PostgreSQL: the committee's tally reads two parts of every active file's data without
    # parsing the member lists (services.exchange.committee.active_tallies). The same JSON on SQLite.
    data: Mapped[dict[str, Any]] = mapped_column(JSON().with_variant(JSONB(), "postgresql"))
    content: Mapped[bytes] = mapped_column(LargeBinary)         # the file itself, as received
    received_at: Mapped[dt.datetime] = mapped_column(DateTime)
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("received_file.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    held: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The key that signed this file (base64) and its SHA-256 (hex), as for KnownBranch.
    public_key: Mapped[str | None] = mapped_column(String(64))
    key_fingerprint: Mapped[str | None] = mapped_column(String(64))

    branch: Mapped[KnownBranch] = relationship(back_populates="files", foreign_keys=[branch_id])
