"""ORM mappings only. Importing this package registers every table on Base.metadata."""
from .base import Base
from .branch import Branch, Setting
from .member import DisciplineForm, EventKind, Member, MemberEvent
from .safety import AccessLock, AuditEntry  # noqa: F401  (data safety)

__all__ = ["Base", "Branch", "Setting", "Member", "MemberEvent", "EventKind", "DisciplineForm"]
