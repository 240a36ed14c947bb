"""Identity of the organisation a database belongs to, and stored settings."""
from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class Branch(Base):
    """Chi bộ (or, in a committee's database, the đảng ủy itself). One row per database."""

    __tablename__ = "branch"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True, default=lambda: str(uuid.uuid4()))
    # "branch" for a chi bộ, "committee" for a đảng ủy cơ sở that adds up its branches.
    kind: Mapped[str] = mapped_column(String(16), default="branch")
    name: Mapped[str] = mapped_column(String(200))
    # Superior bodies top-down, as printed in document headers.
    parents: Mapped[list[str]] = mapped_column(JSON, default=list)
    place: Mapped[str] = mapped_column(String(100), default="")
    secretary: Mapped[str] = mapped_column(String(120), default="")
    deputy_secretary: Mapped[str] = mapped_column(String(120), default="")


class Setting(Base):
    """A stored value of a declared setting (see services.settings)."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)
