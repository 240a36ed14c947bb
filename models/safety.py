"""Data safety: the audit trail of every change, and the optional lock on opening the program."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class AuditEntry(Base):
    """One change to one record (or one field of it): who, when, old and new value.

    Written by services.audit for every insert, update and delete made through a session. No foreign
    keys: the trail of a record outlives the record. The entries form a hash chain: `chain_hash` is
    the SHA-256 of `chain_prev` (the previous entry's `chain_hash`) and of this entry's own fields, so
    an entry changed, removed or slipped in with another tool breaks the chain (`check` reports it).
    """

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    user: Mapped[str] = mapped_column(String(100), default="")
    action: Mapped[str] = mapped_column(String(20))           # insert, update, delete, or a named event
    table_name: Mapped[str] = mapped_column(String(60), index=True)
    row_id: Mapped[str] = mapped_column(String(100), default="")  # primary key as text
    row_label: Mapped[str] = mapped_column(String(200), default="")  # which record, as the user knows it
    member_id: Mapped[int | None] = mapped_column(Integer, index=True)
    meeting_id: Mapped[int | None] = mapped_column(Integer, index=True)
    field: Mapped[str] = mapped_column(String(60), default="")
    old: Mapped[str | None] = mapped_column(Text)
    new: Mapped[str | None] = mapped_column(Text)
    chain_prev: Mapped[str] = mapped_column(String(64), default="", server_default="")
    chain_hash: Mapped[str] = mapped_column(String(64), default="", server_default="")


class AccessLock(Base):
    """The password that opens the program, and the recovery code; both only as scrypt hashes.

    At most one row. This is a lock on the program, not encryption of the file.
    """

    __tablename__ = "access_lock"

    id: Mapped[int] = mapped_column(primary_key=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    recovery_hash: Mapped[str] = mapped_column(String(300))
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime)
