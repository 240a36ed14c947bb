"""What every page shares: the open database, quick reads, and the signal that records changed."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from services import ops
from services.branch import identity
from services.db import Database

from .qt import QtCore, Signal

T = TypeVar("T")


class AppContext(QtCore.QObject):
    """Pages read with `ctx.read(fn)` and write with `ui.operations.run_op`, which calls
    `apply_changes` so that every page concerned refreshes."""

    changed = Signal(object, object)  # (services.ops.OpChanges, the page or dialog that made the change)

    def __init__(self, db: Database, user: str = ""):
        super().__init__()
        self.db = db
        self.user = user

    def today(self) -> dt.date:
        return dt.date.today()

    @property
    def ready(self) -> bool:
        """False while the database is away (a restore replaces its file): a read put off until after a paint
        waits for the refresh that follows."""
        return not getattr(self.db, "away", False)

    def read(self, fn: Callable[[Any], T]) -> T:
        """A quick read on the GUI thread: `fn(session)` returns plain values (services/ops.read)."""
        return ops.read(self.db, fn)

    def apply_changes(self, changes: ops.OpChanges, initiator: Any = None) -> None:
        if changes:
            self.changed.emit(changes, initiator)

    def notify_changed(self, area: str = "") -> None:
        """Records of `area` changed outside an operation (tests, a restore): "" means everything."""
        self.apply_changes(ops.OpChanges.of(area) if area else ops.EVERYTHING)

    def identity(self):
        return self.read(identity)
