"""What every page shares: the open database and a signal that records changed."""
from __future__ import annotations

import datetime as dt

from services.branch import get_branch, identity_of
from services.db import Database

from .qt import QtCore, Signal


class AppContext(QtCore.QObject):
    """Pages call services with `ctx.db`; after a write they call `ctx.notify_changed()`."""

    changed = Signal(str)  # the area that changed ("members", "meetings", ...)

    def __init__(self, db: Database, user: str = ""):
        super().__init__()
        self.db = db
        self.user = user

    def today(self) -> dt.date:
        return dt.date.today()

    def notify_changed(self, area: str = "") -> None:
        self.changed.emit(area)

    def identity(self):
        with self.db.begin() as session:
            branch = get_branch(session)
            return identity_of(branch) if branch else None
