"""ORM mappings only. Importing this package registers every table on Base.metadata."""
from .base import Base
from .branch import Branch, Setting
from .exchange import KnownBranch, ReceivedFile  # noqa: F401
from .member import DisciplineForm, EventKind, Member, MemberEvent

__all__ = ["Base", "Branch", "Setting", "Member", "MemberEvent", "EventKind", "DisciplineForm"]
